"""What the app's widgets show, as plain functions: tables, the shareable URL, the time view, upload outcomes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shlex
from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.escape import safe_url
from dashboard.filters import Filters
from dashboard.i18n import text
from dashboard.schema import CLAIM_TYPES, SIDE_LABELS, side_label

TABLE_COLUMNS = ["date", "place", "side", "claim", "claimed_by", "confidence", "evidence", "place_ar",
                 "date_precision", "title", "source", "url", "claim_id"]
CONTROL_TABLE_COLUMNS = ["place", "place_ar", "holder", "since", "contested", "contested_by", "last_evidence"]
PLAY_STEPS = (1, 7, 30)
MAX_DOWNLOAD_CLAIMS = 100_000  # a download is built in the server's memory: past this, `mihwar export` writes it


def claims_table(df: pd.DataFrame) -> pd.DataFrame:
    """The claims as the table shows them: latest first, dates as dates, side 'none' as the filter says it,
    links only for http(s) URLs; lat/lon kept (for centring the map on a selected row)."""
    table = df.reindex(columns=[*TABLE_COLUMNS, "lat", "lon"]).copy()
    table["url"] = table["url"].map(safe_url)
    table["side"] = table["side"].map(side_label)
    table["claimed_by"] = table["claimed_by"].map(side_label)
    dates = pd.to_datetime(table["date"], errors="coerce")
    table = table.assign(_d=dates).sort_values("_d", ascending=False, na_position="last", kind="mergesort")
    table["date"] = [d.date() if not pd.isna(d) else None for d in table["_d"]]
    return table.drop(columns="_d").reset_index(drop=True)


def control_table(control: pd.DataFrame) -> pd.DataFrame:
    """The control view as the table shows it: dates as dates."""
    table = control.reindex(columns=CONTROL_TABLE_COLUMNS).copy()
    table["since"] = [pd.Timestamp(d).date() if not pd.isna(d) else None for d in table["since"]]
    table["contested_by"] = table["contested_by"].where(table["contested"].astype(bool), "")
    return table


def selected_row(table: pd.DataFrame, rows: list[int] | None) -> dict | None:
    """The table row a user selected (by position), or None."""
    if not rows or table.empty:
        return None
    i = rows[0]
    return table.iloc[i].to_dict() if 0 <= i < len(table) else None


def centre_of(row: Mapping[str, Any] | None) -> tuple[float, float] | None:
    """(lat, lon) of a selected row, or None when it has no location."""
    if not row:
        return None
    lat, lon = pd.to_numeric(pd.Series([row.get("lat"), row.get("lon")]), errors="coerce")
    return None if pd.isna(lat) or pd.isna(lon) else (float(lat), float(lon))


def csv_bytes(csv_text: str) -> bytes:
    """CSV text as UTF-8 with a byte-order mark, so that Excel reads Arabic correctly."""
    return ("\ufeff" + csv_text.lstrip("\ufeff")).encode("utf-8")


def export_command(filters: Filters, fmt: str = "geojson") -> str:
    """The `mihwar export` command line that writes exactly the claims these filters keep."""
    out = f"claims.{'csv' if fmt == 'csv' else 'geojson'}"
    parts = ["mihwar", "export", "--format", fmt, "-o", out]
    if filters.date_from:
        parts += ["--start", filters.date_from.isoformat()]
    if filters.date_to:
        parts += ["--end", filters.date_to.isoformat()]
    if filters.include_undated and (filters.date_from or filters.date_to):
        parts.append("--include-undated")
    for flag, values, allowed in (("--side", filters.sides, SIDE_LABELS), ("--claimed-by", filters.claimed_by, SIDE_LABELS),
                                  ("--claim", filters.claim_types, CLAIM_TYPES)):
        if values is not None:
            for v in (a for a in allowed if a in values):
                parts += [flag, v]
    if filters.place_query.strip():
        parts += ["--place", filters.place_query.strip()]
    if filters.min_confidence > 0:
        parts += ["--min-confidence", f"{filters.min_confidence:g}"]
    return shlex.join(parts)


def control_filters(filters: Filters) -> Filters:
    """The filters the control areas follow: side, claimed-by and confidence (the date is the 'as of')."""
    return Filters(include_undated=False, sides=filters.sides, claimed_by=filters.claimed_by,
                   min_confidence=filters.min_confidence)


def until(filters: Filters, as_of: dt.date | None) -> Filters:
    """The filters with the date range ending at the 'as of' date (when that is earlier)."""
    if as_of is None or (filters.date_to is not None and filters.date_to <= as_of):
        return filters
    return dataclasses.replace(filters, date_to=as_of)


def next_step(as_of: dt.date, step_days: int, last: dt.date) -> tuple[dt.date, bool]:
    """The next 'as of' date when playing and whether playing goes on (it stops at the last date)."""
    nxt = as_of + dt.timedelta(days=step_days)
    return (last, False) if nxt >= last else (nxt, True)


# ---- the shareable URL -------------------------------------------------------------------------------
_LISTS = {"sides": ("side", SIDE_LABELS), "claimed_by": ("by", SIDE_LABELS), "types": ("type", CLAIM_TYPES)}


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def encode_state(state: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters for the widget values that differ from their defaults (widget key -> value)."""
    out: dict[str, str] = {}
    for key, (param, allowed) in _LISTS.items():
        value = state.get(key)
        if value is not None and set(value) != set(defaults.get(key, allowed)):
            out[param] = ",".join(v for v in allowed if v in set(value)) or "-"
    rng = state.get("date_range")
    if rng and tuple(rng) != tuple(defaults.get("date_range") or ()):
        ends = [*list(rng), None, None]
        if ends[0]:
            out["from"] = ends[0].isoformat()
        if ends[1]:
            out["to"] = ends[1].isoformat()
    as_of = state.get("as_of")
    if as_of and as_of != defaults.get("as_of"):
        out["asof"] = as_of.isoformat()
    if state.get("place_query"):
        out["q"] = str(state["place_query"])
    if state.get("min_conf"):
        out["conf"] = f"{float(state['min_conf']):g}"
    if bool(state.get("undated")) != bool(defaults.get("undated", False)):
        out["undated"] = "1" if state.get("undated") else "0"
    if state.get("window") is not None and int(state["window"]) != int(defaults.get("window", 7)):
        out["window"] = str(int(state["window"]))
    if state.get("lang") and state.get("lang") != defaults.get("lang", "en"):
        out["lang"] = str(state["lang"])
    return out


def decode_params(params: Mapping[str, str]) -> dict[str, Any]:
    """Widget values (widget key -> value) from query parameters; unknown or malformed values are ignored."""
    out: dict[str, Any] = {}
    for key, (param, allowed) in _LISTS.items():
        if param in params:
            picked = [v for v in str(params[param]).split(",") if v in allowed]
            out[key] = picked
    start, end = _date(params.get("from", "")), _date(params.get("to", ""))
    if start and end and start <= end:
        out["date_range"] = (start, end)
    if _date(params.get("asof", "")):
        out["as_of"] = _date(params["asof"])
    if params.get("q"):
        out["place_query"] = str(params["q"])[:200]
    try:
        conf = float(params.get("conf", ""))
        if 0.0 <= conf <= 1.0:
            out["min_conf"] = conf
    except ValueError:
        pass
    if params.get("undated") in ("0", "1"):
        out["undated"] = params["undated"] == "1"
    if str(params.get("window", "")).isdigit() and int(params["window"]) <= 365:
        out["window"] = int(params["window"])
    if params.get("lang") in ("en", "ar"):
        out["lang"] = params["lang"]
    return out


# ---- upload outcomes ---------------------------------------------------------------------------------
def upload_outcome(report: Any, name: str, lang: str = "en") -> tuple[str, str, tuple[str, ...]]:
    """(kind, message, details) for an ingest report: 'success', 'info' (already stored) or 'error'."""
    if not report.ok:
        return "error", text("upload_rejected", lang, name=name), tuple(report.errors)
    if report.articles_new == 0 and report.articles_seen > 0:
        return "info", text("upload_already", lang, name=name, seen=report.articles_seen), ()
    return "success", text("upload_stored", lang, new=report.articles_new, seen=report.articles_seen,
                           claims=report.claims_new, name=name), ()

"""What the dashboard shows, asked of the store: each function takes a read-only connection and a Filters
record and returns only what one view draws, computed by SQL on the covering indexes and the claim counts
(schema 5; pipeline.rollup cuts a date range into whole months and days) of pipeline.store.

Memory and time follow what is on screen, not the size of the archive: the sidebar's date range, per-day
counts for the timeline, one row per place for the map and the metrics (the single claims only when there
are at most `max_points`), the newest rows for the table, the control view (window functions) and the
downloads (streamed frame by frame). Each equals the pandas computation on the whole claims frame that it
replaces (tests/test_queries.py); no streamlit here.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import math
import os
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from dashboard.areas import areas_within
from dashboard.control import CONTEST_CLAIMS, CONTROL_COLUMNS, HOLD_CLAIMS, empty_control
from dashboard.escape import esc
from dashboard.grid import CELL_COLUMNS, Cells, cells_of
from dashboard.i18n import text
from dashboard.mapview import DEFAULT_MAX_PLACES, MapLayers, date_text, legend_html, map_layers
from dashboard.schema import CLAIM_TYPES, SIDE_LABELS, side_label
from dashboard.viewport import Box, area_around
from pipeline.export import Format, write_text_stream
from pipeline.filters import Filters, normalize_text
from pipeline.queries import DATED, claims_frame, iter_claims_frames, where
from pipeline.rollup import MonthSplit, has_rollups, split_by_month
from pipeline.store import open_db_readonly

SUMMARY_COLUMNS = ("place_id", "place", "place_ar", "lat", "lon", "claims", *SIDE_LABELS, *CLAIM_TYPES)
LATEST_PER_PLACE = 3  # the latest claims listed in a place's aggregate on the map


@contextlib.contextmanager
def reading(path: str | os.PathLike) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the store for the length of a block (an older schema is migrated first)."""
    conn = open_db_readonly(path)
    try:
        yield conn
    finally:
        conn.close()


def date_bounds(conn: sqlite3.Connection) -> tuple[dt.date | None, dt.date | None]:
    """The first and last event date in the store (None, None when no claim has one); two index seeks."""
    lo = conn.execute("SELECT MIN(date) FROM claims WHERE date >= '0000' AND date < ':'").fetchone()[0]
    hi = conn.execute("SELECT MAX(date) FROM claims WHERE date >= '0000' AND date < ':'").fetchone()[0]
    return (_day(lo), _day(hi))


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def total_claims(conn: sqlite3.Connection) -> int:
    """How many claims the store holds."""
    return int(conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0])


def claims_per_day(conn: sqlite3.Connection, f: Filters) -> pd.DataFrame:
    """Counts of the filtered dated claims per day (index) by side (columns GNA, LNA, none): the frame
    dashboard.filters.claims_per_day gives for the filtered claims frame."""
    w = where(conn, f)
    dated = "" if f.date_from is not None else f" AND {DATED}"  # a start bound leaves out the undated, unless
    # include_undated lets them in: then they are read and dropped below (they have no day)
    # claim_days holds every column the filter tests but the place: without a place query it is read instead
    source = ("claim_days c", "SUM(c.n)") if not normalize_text(f.place_query) and has_rollups(conn) else (
        "claims c", "COUNT(*)")
    rows = conn.execute(f"SELECT c.date, c.side, {source[1]} FROM {source[0]} WHERE ({w.sql}){dated} "
                        "GROUP BY c.date, c.side", w.params).fetchall()
    return per_day_frame(rows)


def per_day_frame(rows: list[tuple]) -> pd.DataFrame:
    """(date, side, count) rows (a day and side may come in several; undated rows are dropped) as the
    claims_per_day frame: counts per day (index) by side (columns GNA, LNA, none)."""
    if not rows:
        return pd.DataFrame(columns=list(SIDE_LABELS), dtype="int64").rename_axis("date")
    df = pd.DataFrame(rows, columns=["date", "side", "n"])
    df["date"] = pd.to_datetime(df["date"].str.slice(0, 10), errors="coerce").dt.normalize()
    df["side"] = df["side"].map(side_label)
    counts = df.dropna(subset=["date"]).groupby(["date", "side"])["n"].sum().unstack("side", fill_value=0)
    counts = counts.reindex(columns=list(SIDE_LABELS), fill_value=0).astype("int64")
    counts.columns.name = None
    return counts.sort_index()


def hint(conn: sqlite3.Connection, index: str) -> str:
    """'INDEXED BY index' when the store has that index (schema 4), else nothing: the query planner, which
    has no statistics, would otherwise pick the index with the most constrained columns, not the one that
    delivers rows in the order the query groups or sorts them."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
    return f"INDEXED BY {index}" if found else ""


_MIDDLES: dict[tuple, str | None] = {}
_MIDDLES_LOCK = threading.Lock()
PARALLEL_FROM = 200_000  # claims: below this one scan is quick enough


def _db_file(conn: sqlite3.Connection) -> str:
    """The file of the connection's main database ('' for an in-memory one)."""
    return next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "") or ""


def _file_stamp(path: str) -> tuple:
    """Changes whenever the store file or its WAL is written."""
    stamps = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
            stamps.append((st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _middle_place(conn: sqlite3.Connection) -> str | None:
    """The place id halfway through the claims_by_kind index (claims, not places, split in two), to scan the
    halves at once; None for a small store or on one core. Found once per store version (one index walk)."""
    if (os.cpu_count() or 1) < 2:
        return None
    path = _db_file(conn)
    if not path:
        return None
    key = (path, _file_stamp(path))
    with _MIDDLES_LOCK:  # shared by every session's thread
        if key in _MIDDLES:
            return _MIDDLES[key]
    total = total_claims(conn)
    row = None
    if total >= PARALLEL_FROM:
        row = conn.execute("SELECT place_id FROM claims INDEXED BY claims_by_kind ORDER BY place_id "
                           "LIMIT 1 OFFSET ?", (total // 2,)).fetchone()
    middle = row[0] if row else None
    with _MIDDLES_LOCK:
        _MIDDLES.clear()
        _MIDDLES[key] = middle
    return middle


def _in_parallel(conn: sqlite3.Connection, jobs: list[tuple[str, tuple]]) -> list[list[tuple]]:
    """The rows of each read-only query, run at once on connections of their own (SQLite lets go of
    Python's lock while it reads, so each runs on a core)."""
    path = _db_file(conn)

    def run(job: tuple[str, tuple]) -> list[tuple]:
        c = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        try:
            return c.execute(*job).fetchall()
        finally:
            c.close()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _narrow_dates(conn: sqlite3.Connection, f: Filters, share: float = 0.25) -> bool:
    """Whether the filter's date range covers less than `share` of the days between the first and last
    event date (then reading that range of the date index beats reading the whole place index)."""
    if f.date_from is None and f.date_to is None:
        return False
    lo, hi = date_bounds(conn)
    if lo is None or hi is None:
        return False
    start, end = max(f.date_from or lo, lo), min(f.date_to or hi, hi)
    return (end - start).days + 1 < share * ((hi - lo).days + 1)


def place_summary(conn: sqlite3.Connection, f: Filters) -> pd.DataFrame:
    """One row per place with filtered claims (columns SUMMARY_COLUMNS, by place id): its name and point,
    the number of claims, by side and by claim type.

    Counted per place, side and claim type, then pivoted: from the claim counts (whole months) and the date
    index (the days at either end of a date range) when the store keeps the counts (schema 5), else from
    the claims' covering indexes.
    """
    split = split_by_month(conn, f) if has_rollups(conn) else None
    rows = _summary_rows(conn, split) if split is not None else _summary_rows_of_claims(conn, f)
    df = _pivot(rows)
    df = df[df["claims"] > 0]  # a place whose claims were all in days taken away
    return summary_frame(df, conn.execute(
        "SELECT id, name, name_ar, lat, lon FROM places WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(df["place_id"])),)).fetchall())


def summary_frame(counts: pd.DataFrame, places: list[tuple]) -> pd.DataFrame:
    """The place_summary frame of per-place counts (_pivot) and the places' (id, name, name_ar, lat, lon)
    rows: a place without a row is left out."""
    places = pd.DataFrame(places, columns=["place_id", "place", "place_ar", "lat", "lon"])
    df = counts.merge(places, on="place_id", how="inner").sort_values("place_id", kind="mergesort")
    for col in ("lat", "lon"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    return df[list(SUMMARY_COLUMNS)].reset_index(drop=True)


def _pivot(rows: list[tuple]) -> pd.DataFrame:
    """(place_id, side, claim, count) rows (a group may come in several) as one row per place: columns place_id, claims, the counts by side (SIDE_LABELS) and by claim type (CLAIM_TYPES)."""
    places, place_codes = {}, []
    sides = {s: i for i, s in enumerate(SIDE_LABELS)}
    types = {t: i for i, t in enumerate(CLAIM_TYPES)}
    none = sides[side_label(None)]
    table: list[list[int]] = []
    for pid, side, claim, n in rows:
        i = places.get(pid)
        if i is None:
            i = places[pid] = len(table)
            table.append([0] * (1 + len(sides) + len(types)))
            place_codes.append(pid)
        row = table[i]
        row[0] += n
        row[1 + sides.get(side, none)] += n
        t = types.get(claim)
        if t is not None:
            row[1 + len(sides) + t] += n
    df = pd.DataFrame(table, columns=["claims", *SIDE_LABELS, *CLAIM_TYPES], dtype="int64")
    df.insert(0, "place_id", pd.Series(place_codes, dtype=object))
    return df


def _summary_rows(conn: sqlite3.Connection, split: MonthSplit) -> list[tuple]:
    """(place_id, side, claim, count) rows of the filter: its whole months counted from claim_months (in key
    order, no sort), the days at either end added or taken away from the claims' date index (a group may
    come in several rows, with negative counts). One statement, so one snapshot: an ingest committing
    meanwhile cannot have a claim taken away from a day range without being counted in its month."""
    parts = [("SELECT c.place_id, c.side, c.claim, SUM(c.n) FROM claim_months c "
              f"WHERE {split.months.sql} GROUP BY c.place_id, c.side, c.claim", split.months.params)]
    by = hint(conn, "claims_by_date")
    for days, sign in split.days:
        w = where(conn, days)
        parts.append((f"SELECT c.place_id, c.side, c.claim, {int(sign)} * COUNT(*) FROM claims c {by} "
                      f"WHERE {w.sql} GROUP BY c.place_id, c.side, c.claim", w.params))
    sql = " UNION ALL ".join(f"SELECT * FROM ({part})" for part, _ in parts)
    return conn.execute(sql, tuple(p for _, params in parts for p in params)).fetchall()


def _summary_rows_of_claims(conn: sqlite3.Connection, f: Filters) -> list[tuple]:
    """(place_id, side, claim, count) rows of the filter counted from the claims (a store without the
    counts): in the order of the claims_by_kind index (no sort), in two halves at once on a large store; a
    date range over less than a quarter of the period from the date index instead (that range only)."""
    w = where(conn, f)
    by = "" if _narrow_dates(conn, f) else hint(conn, "claims_by_kind")
    sql = (f"SELECT c.place_id, c.side, c.claim, COUNT(*) "
           f"FROM claims c {by} WHERE ({w.sql}){{part}} GROUP BY c.place_id, c.side, c.claim")
    cut = _middle_place(conn) if by else None
    if cut is None:
        return conn.execute(sql.format(part=""), w.params).fetchall()
    # the two halves of the index at once, one a core
    return [r for part in _in_parallel(conn, [(sql.format(part=" AND c.place_id < ?"), (*w.params, cut)),
                                              (sql.format(part=" AND c.place_id >= ?"), (*w.params, cut))])
            for r in part]


def latest_claims(conn: sqlite3.Connection, f: Filters, place_ids: list[str],
                  per_place: int = LATEST_PER_PLACE) -> pd.DataFrame:
    """The `per_place` latest filtered claims of each place (undated last; ties in export order), one
    index seek a place in one statement: columns place_id, side, claim, date, date_precision."""
    w = where(conn, f)
    sql = (f"SELECT x.place_id, x.side, x.claim, x.date, x.date_precision FROM json_each(?) j JOIN claims x "
           f"ON x.rowid IN (SELECT c.rowid FROM claims c {hint(conn, 'claims_by_place')} WHERE c.place_id = j.value "
           f"AND ({w.sql}) ORDER BY c.date DESC, c.article_id, c.start, c.id LIMIT ?) "
           "ORDER BY j.key, x.date DESC, x.article_id, x.start, x.id")
    rows = conn.execute(sql, (json.dumps(list(place_ids)), *w.params, per_place)).fetchall()
    df = pd.DataFrame(rows, columns=["place_id", "side", "claim", "date", "date_precision"])
    df["date"] = pd.to_datetime(df["date"].astype(object).map(lambda v: v[:10] if isinstance(v, str) else v),
                                errors="coerce")
    return df


def newest_claims(conn: sqlite3.Connection, f: Filters, n: int) -> pd.DataFrame:
    """The n latest filtered claims as a claims frame (latest first, undated last): what the table shows."""
    return claims_frame(conn, f, newest=n)


# ---- the map --------------------------------------------------------------------------------------------
def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """[name, count] most first, equal counts in the order of `counts` (SIDE_LABELS, CLAIM_TYPES)."""
    return sorted(((k, int(v)) for k, v in counts.items() if v > 0), key=lambda kv: -kv[1])


def aggregate_features(summary: pd.DataFrame, latest: pd.DataFrame) -> list[dict]:
    """One point feature per place of a place_summary (with its latest_claims), in the format of
    dashboard.mapview.aggregate_features: n, sides and types ([name, count], most first; equal counts
    in the order GNA, LNA, none and of CLAIM_TYPES), latest (the latest claims); every text escaped."""
    texts: dict[tuple, str] = {}  # the same few sides, types and dates come back again and again
    items: dict[str, list[str]] = {}
    for pid, side, claim, date, precision in zip(*(latest[c].tolist() for c in (
            "place_id", "side", "claim", "date", "date_precision")), strict=True):
        key = (side, claim, date, precision)
        if key not in texts:
            texts[key] = f"{esc(side_label(side))} {esc(claim)} · {esc(date_text(date, precision))}"
        items.setdefault(pid, []).append(texts[key])
    columns = {c: summary[c].tolist() for c in ("place_id", "place", "place_ar", "lat", "lon", *SIDE_LABELS,
                                                 *CLAIM_TYPES)}
    features = []
    for i, pid in enumerate(columns["place_id"]):
        by_side = _ranked({s: columns[s][i] for s in SIDE_LABELS})
        by_type = _ranked({t: columns[t][i] for t in CLAIM_TYPES})
        total = sum(c for _s, c in by_side)
        top = by_side[0][0] if len(by_side) == 1 or by_side[0][1] > by_side[1][1] else "none"
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [round(float(columns["lon"][i]), 6), round(float(columns["lat"][i]), 6)]},
            "properties": {
            "id": str(pid), "side": top, "claim": by_type[0][0],
            "radius": round(min(6 + 2 * math.log2(total), 20), 1), "n": total,
            "name": esc(columns["place"][i]), "name_ar": esc(columns["place_ar"][i]),
            "sides": [[esc(k), c] for k, c in by_side], "types": [[esc(k), c] for k, c in by_type],
            "latest": items.get(pid, []),
        }})
    return features


def heat_points(summary: pd.DataFrame) -> list[list[float]]:
    """[lat, lon, claims] per located point (4 decimals), as dashboard.mapview.heat_points gives for the claims."""
    df = summary[["lat", "lon", "claims"]].dropna(subset=["lat", "lon"])
    if df.empty:
        return []
    counts = df.assign(lat=df["lat"].round(4), lon=df["lon"].round(4)).groupby(["lat", "lon"])["claims"].sum()
    return [[float(a), float(b), int(n)] for (a, b), n in counts.sort_index().items()]


def bounds(summary: pd.DataFrame, pad: float = 0.03) -> list[list[float]] | None:
    """The map's bounds around the places (as dashboard.mapview does around the claims)."""
    lat, lon = summary["lat"].dropna(), summary["lon"].dropna()
    if lat.empty or lon.empty:
        return None
    return [[float(lat.min()) - pad, float(lon.min()) - pad], [float(lat.max()) + pad, float(lon.max()) + pad]]


def _located(summary: pd.DataFrame) -> pd.DataFrame:
    """The places of a place_summary that have a point."""
    return summary.dropna(subset=["lat", "lon"])


def map_bounds(summary: pd.DataFrame) -> list[list[float]] | None:
    """The bounds map_layers_for gives the aggregated map of this place_summary (those of its located
    places): the map is fitted to them when they change."""
    return bounds(_located(summary))


def follows_view(summary: pd.DataFrame, max_places: int = DEFAULT_MAX_PLACES) -> bool:
    """Whether the map of this place_summary depends on the view: its claims name more located places than
    one map carries (`max_places`), so map_layers_for fills only the area around the view."""
    return len(_located(summary)) > max_places


def area_to_fill(summary: pd.DataFrame, view: Box | None, max_places: int = DEFAULT_MAX_PLACES) -> Box | None:
    """The area around the map's `view` that map_layers_for should fill, or None to draw all the places:
    when the view is unknown, when the places are few enough (follows_view), or when the area holds them all."""
    if view is None or not follows_view(summary, max_places):
        return None
    area = area_around(view)
    located = _located(summary)
    return None if area.covers(located["lat"], located["lon"]) else area


def map_layers_for(conn: sqlite3.Connection, f: Filters, summary: pd.DataFrame, *, max_points: int,
                   show_control: bool = True, lang: str = "en", areas: dict | None = None,
                   max_places: int = DEFAULT_MAX_PLACES, area: Box | None = None) -> MapLayers:
    """The map's layer data for the filtered claims: dashboard.mapview.map_layers on the claims when there
    are at most `max_points` of them, else the per-place aggregates made from `summary` (place_summary of
    the same filter) and each place's latest claims, without loading the claims.

    Above `max_places` places only those in `area` (area_to_fill: around the map's view; all of them when
    None) and the control areas meeting it are drawn, the places per grid cell (dashboard.grid) while they
    are still more than `max_places`: the map's size follows what the view can show, and zooming in brings
    single places back. The layers' bounds stay those of all the places, so the map is fitted to them only
    when the filter changes, not when the view moves.
    """
    total = int(summary["claims"].sum()) if len(summary) else 0
    if total <= max_points:
        return map_layers(claims_frame(conn, f), None, max_points=max_points, show_control=show_control,
                          lang=lang, areas=areas, max_places=max_places)
    located = _located(summary)
    shown = located
    if area is not None and len(located) > max_places:
        shown = located[area.holds(located["lat"], located["lon"])]
        areas = areas_within(areas, area) if areas is not None else None
    latest = latest_claims(conn, f, list(shown["place_id"]))
    cells = cells_of(shown.set_index("place_id").assign(n=shown["claims"].to_numpy()), max_places)
    if cells is not None:
        features = aggregate_features(*_per_cell(shown, latest, cells))
        km = round(cells.cell_deg * 111.32)
        message = (text("msg_zoom_grid", lang, total=total, places=len(located), cells=len(features), km=km)
                   if len(shown) == len(located) else
                   text("msg_view_grid", lang, total=total, places=len(located), shown=len(shown),
                        cells=len(features), km=km))
    else:
        features = aggregate_features(shown, latest)
        if len(shown) == len(located):
            message = text("msg_aggregated", lang, total=total, limit=max_points, places=len(features))
        elif len(shown):
            message = text("msg_view_places", lang, total=total, places=len(located), shown=len(shown))
        else:
            message = text("msg_view_none", lang, total=total, places=len(located))
    legend = legend_html(text("legend_aggregated", lang), lang, areas=areas is not None)
    return MapLayers(claims={"type": "FeatureCollection", "features": features}, control=areas,
                     bounds=map_bounds(summary), aggregated=True, message=message, show_control=show_control,
                     heat=tuple(heat_points(shown)), front_places=tuple(sorted(summary["place_id"].astype(str))),
                     legend=legend)


def _per_cell(summary: pd.DataFrame, latest: pd.DataFrame, cells: Cells) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A place_summary and its latest_claims with each place replaced by its grid cell (counts summed,
    each cell's LATEST_PER_PLACE latest claims)."""
    of = cells.of_place
    counts = [c for c in summary.columns if c not in CELL_COLUMNS]
    by_cell = summary[counts].assign(place_id=summary["place_id"].map(of["place_id"])).groupby(
        "place_id", sort=True).sum(numeric_only=True)
    names = of.drop_duplicates("place_id").set_index("place_id")
    by_cell = by_cell.join(names[["place", "place_ar", "lat", "lon"]]).reset_index()
    latest = (latest.assign(place_id=latest["place_id"].map(of["place_id"]))
              .sort_values("date", ascending=False, na_position="last", kind="stable")
              .groupby("place_id", sort=False).head(LATEST_PER_PLACE))
    return by_cell, latest


# ---- the control view -----------------------------------------------------------------------------------
def control_as_of(conn: sqlite3.Connection, f: Filters, as_of: dt.date, window_days: int = 7) -> pd.DataFrame:
    """dashboard.control.control_as_of of the filtered claims, as one SQL query that reads, per place, a few
    index entries (seeks on claims_by_place and claims_by_kind), not the place's history.

    Per place, the dated GNA/LNA control/repelled claims on or before `as_of` are ranked latest first (same
    day: control before repelled, then higher confidence, then the greater claim id): the first (on the
    latest day any of them has) names the holder; the first of the other side (on the other side's latest
    day) ends the holder's run, and since is the earliest date of the claims ranked before it; contested
    when the other side made a contest claim at the place within `window_days` days before `as_of`.
    """
    if f.sides is not None and not f.sides & {"GNA", "LNA"}:
        return empty_control()  # no side can hold a place: nothing to look up
    w = where(conn, f)
    end = (as_of + dt.timedelta(days=1)).isoformat()
    start = (as_of - dt.timedelta(days=max(int(window_days), 0))).isoformat()
    hold_in = ", ".join(f"'{c}'" for c in HOLD_CLAIMS)
    contest_in = ", ".join(f"'{c}'" for c in CONTEST_CLAIMS)
    by, kind = hint(conn, "claims_by_place"), hint(conn, "claims_by_kind")
    hold = f"({w.sql}) AND c.claim IN ({hold_in}) AND c.side IN ('GNA', 'LNA') AND {DATED} AND c.date < ?"
    # The same, with the date bounds kept off the index (unary +) where a seek on a given day does better:
    # the planner would otherwise prefer the two-sided range.
    hold_on_day = hold.replace(f"AND {DATED} AND c.date < ?", f"AND +{DATED} AND +c.date < ?")
    hold_params = (*w.params, end)
    key = "c.date, c.claim = 'control', COALESCE(c.confidence, 0), c.id"
    # a place's latest day with a hold claim: the latest of four index seeks (each side and claim type)
    latest_days = ", ".join(
        f"COALESCE((SELECT MAX(c.date) FROM claims c {kind} WHERE c.place_id = p.id AND c.side = '{side}' "
        f"AND c.claim = '{claim}' AND {hold}), '')" for side in ("GNA", "LNA") for claim in HOLD_CLAIMS)
    key_desc = "c.date DESC, c.claim = 'control' DESC, COALESCE(c.confidence, 0) DESC, c.id DESC"
    sql = f"""
    WITH day AS MATERIALIZED (
        SELECT p.id AS place_id, NULLIF(MAX({latest_days}), '') AS day FROM places p),
    top AS MATERIALIZED (
        SELECT day.place_id AS place_id,
               (SELECT c.rowid FROM claims c {by} WHERE c.place_id = day.place_id AND c.date = day.day AND {hold_on_day}
                ORDER BY {key_desc} LIMIT 1) AS rid
        FROM day WHERE day.day IS NOT NULL),
    t AS MATERIALIZED (SELECT top.place_id AS place_id, top.rid AS rid, c.side AS holder, c.evidence AS evidence
          FROM top JOIN claims c ON c.rowid = top.rid),
    o AS MATERIALIZED (SELECT t.*, CASE t.holder WHEN 'GNA' THEN 'LNA' ELSE 'GNA' END AS other FROM t),
    d AS MATERIALIZED (SELECT o.*, NULLIF(MAX(
            COALESCE((SELECT MAX(c.date) FROM claims c {kind} WHERE c.place_id = o.place_id AND c.side = o.other
                      AND c.claim = 'control' AND {hold}), ''),
            COALESCE((SELECT MAX(c.date) FROM claims c {kind} WHERE c.place_id = o.place_id AND c.side = o.other
                      AND c.claim = 'repelled' AND {hold}), '')), '') AS bday
          FROM o),
    b AS MATERIALIZED (SELECT d.*, (SELECT c.rowid FROM claims c {by} WHERE c.place_id = d.place_id AND c.date = d.bday
                                    AND c.side = d.other AND {hold_on_day} ORDER BY {key_desc} LIMIT 1) AS brid
          FROM d),
    k AS MATERIALIZED (SELECT b.*, k.date AS bdate, k.claim = 'control' AS brank, COALESCE(k.confidence, 0) AS bconf,
                              k.id AS bid
                       FROM b LEFT JOIN claims k ON k.rowid = b.brid),
    s AS (SELECT k.*, CASE WHEN k.brid IS NULL
                      THEN (SELECT c.date FROM claims c {by} WHERE c.place_id = k.place_id AND {hold}
                            ORDER BY c.date LIMIT 1)
                      ELSE (SELECT c.date FROM claims c {by} WHERE c.place_id = k.place_id AND {hold_on_day}
                            AND c.date >= k.bdate AND ({key}) > (k.bdate, k.brank, k.bconf, k.bid)
                            ORDER BY c.date LIMIT 1) END AS since
          FROM k)
    SELECT s.place_id, p.name, p.name_ar, p.lat, p.lon, s.holder, s.since, s.evidence,
           EXISTS (SELECT 1 FROM claims c {by} WHERE c.place_id = s.place_id
                   AND c.side = CASE s.holder WHEN 'GNA' THEN 'LNA' ELSE 'GNA' END AND c.claim IN ({contest_in})
                   AND c.date >= ? AND c.date < ? AND ({w.sql})) AS contested
    FROM s JOIN places p ON p.id = s.place_id
    ORDER BY s.place_id"""
    params = (*hold_params * 10, start, end, *w.params)
    return control_frame(conn.execute(sql, params).fetchall())


def control_frame(rows: list[tuple]) -> pd.DataFrame:
    """(place_id, name, name_ar, lat, lon, holder, since, last evidence, contested) rows as the control_as_of
    frame (CONTROL_COLUMNS)."""
    if not rows:
        return empty_control()
    df = pd.DataFrame(rows, columns=["place_id", "place", "place_ar", "lat", "lon", "holder", "since",
                                     "last_evidence", "contested"])
    df["contested"] = df["contested"].astype(bool)
    df["contested_by"] = [("LNA" if h == "GNA" else "GNA") if c else None
                          for h, c in zip(df["holder"], df["contested"], strict=True)]
    df["since"] = pd.to_datetime(df["since"].str.slice(0, 10), errors="coerce")
    for col in ("lat", "lon"):
        df[col] = df[col].astype(float)
    return df[list(CONTROL_COLUMNS)].reset_index(drop=True)


# ---- downloads --------------------------------------------------------------------------------------------
def download_bytes(conn: sqlite3.Connection, f: Filters, fmt: Format, bom: bool = False) -> bytes:
    """The export file (GeoJSON, CSV or ACLED CSV, UTF-8) of exactly the filtered claims, written frame by
    frame from the store as `mihwar export` writes it: memory is the file's bytes and one frame."""
    buf = io.BytesIO()
    out = io.TextIOWrapper(buf, encoding="utf-8", newline="")
    write_text_stream(iter_claims_frames(conn, f), fmt, out, bom)
    out.flush()
    data = buf.getvalue()
    out.detach()
    return data


__all__ = ["LATEST_PER_PLACE", "SUMMARY_COLUMNS", "aggregate_features", "bounds", "claims_per_day",
           "control_as_of", "date_bounds", "download_bytes", "heat_points", "latest_claims", "map_layers_for",
           "newest_claims", "place_summary", "reading", "total_claims"]

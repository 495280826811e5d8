"""Mihwar dashboard: claims about the 2019-2020 battle for Tripoli on a map, a timeline and tables.

Run with `streamlit run app.py`. The database path comes from MIHWAR_DB (default data/mihwar.db);
when the file is missing it is built from seeds/. This module holds only widgets and layout;
the logic lives in dashboard/ and pipeline/.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard.control import control_as_of
from dashboard.escape import safe_url
from dashboard.filters import Filters, apply_filters, claims_per_day
from dashboard.mapview import DEFAULT_MAX_POINTS, SIDE_COLORS, MapLayers, map_layers, render_map
from dashboard.schema import CLAIM_TYPES, SIDE_LABELS
from pipeline import export, ingest, store

ROOT = Path(__file__).resolve().parent
SEEDS_DIR = ROOT / "seeds"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 2_000  # the table shows the latest claims; downloads hold every filtered claim
TABLE_COLUMNS = ["date", "date_precision", "place", "place_ar", "side", "claim", "claimed_by", "confidence",
                 "evidence", "title", "source", "url", "claim_id"]
CONTROL_TABLE_COLUMNS = ["place", "place_ar", "holder", "since", "contested", "contested_by", "last_evidence"]


def db_path() -> Path:
    """The database file: MIHWAR_DB, or data/mihwar.db next to this app."""
    env = os.environ.get("MIHWAR_DB")
    return Path(env) if env else ROOT / "data" / "mihwar.db"


def db_version(path: Path) -> tuple:
    """Changes whenever the database (or its WAL) is written, to key the claims cache."""
    stamps = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            s = p.stat()
            stamps.append((s.st_mtime_ns, s.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


@st.cache_data(show_spinner="Loading claims…", max_entries=4)
def load_claims(path: str, version: tuple) -> pd.DataFrame:
    """All claims in the database (cached per database version)."""
    conn = store.open_db(path)
    try:
        return store.load_claims_frame(conn)
    finally:
        conn.close()


@st.cache_data(show_spinner=False, max_entries=16)
def cached_control(path: str, version: tuple, min_confidence: float, as_of: dt.date, window: int) -> pd.DataFrame:
    """The control view for the stored claims above a confidence (cached per database version)."""
    claims = load_claims(path, version)
    confidence = pd.to_numeric(claims["confidence"], errors="coerce").fillna(0)
    return control_as_of(claims[confidence >= min_confidence], as_of, window)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_layers(path: str, version: tuple, filters: Filters, as_of: dt.date, window: int,
                  show_control: bool) -> MapLayers:
    """The map's layer data for the filtered claims (cached per database version, filters and control settings).

    Only plain data is cached: the folium map is built anew on every run, because rendering one map
    object twice draws a blank map.
    """
    shown = apply_filters(load_claims(path, version), filters)
    control = cached_control(path, version, filters.min_confidence, as_of, window)
    return map_layers(shown, control, max_points=DEFAULT_MAX_POINTS, show_control=show_control)


def ensure_database(path: Path) -> None:
    """Build the database from seeds/ on first run, with a progress bar."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    bar = st.progress(0.0, text="First run: building the claims database from seeds/…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=f"Ingesting seed files: {done}/{total}")

    conn = store.open_db(path)
    try:
        report = ingest.ingest_paths([SEEDS_DIR], conn, progress=progress)
    except BaseException:
        conn.close()
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)  # a half-built database would never be rebuilt
        raise
    conn.close()
    bar.empty()
    st.toast(f"Built the database from seeds: {report.articles_new} articles, {report.claims_new} claims.")
    if report.errors:
        with st.expander(f"{len(report.errors)} seed problems"):
            st.code("\n".join(report.errors), language=None)


def handle_upload(path: Path) -> None:
    """The article uploader: store a good file through the pipeline, refuse a bad or oversized one."""
    st.subheader("Add articles")
    upload = st.file_uploader("Seed-format .txt, .jsonl or .csv", type=["txt", "jsonl", "csv"], key="upload")
    if upload is not None:
        marker = (upload.file_id, upload.name, upload.size)
        if st.session_state.get("upload_done") != marker:
            st.session_state["upload_done"] = marker
            if upload.size > MAX_UPLOAD_BYTES:
                st.session_state["upload_result"] = (
                    "error", f"File too large ({upload.size:,} bytes; limit {MAX_UPLOAD_BYTES:,}). "
                    "Nothing was stored.", ())
            else:
                conn = store.open_db(path)
                try:
                    report = ingest.ingest_upload(upload.name, upload.getvalue(), conn)
                    if report.ok:
                        result = ("success", f"Stored {report.articles_new} new article(s) of "
                                  f"{report.articles_seen} and {report.claims_new} new claim(s).", ())
                    else:
                        result = ("error", "The file was rejected; nothing was stored.", report.errors)
                except Exception as exc:  # shown to the user; the pipeline stored nothing
                    result = ("error", "The file could not be read; nothing was stored.", (str(exc),))
                finally:
                    conn.close()
                st.session_state["upload_result"] = result
    kind, message, details = st.session_state.get("upload_result", (None, "", ()))
    if kind == "success":
        st.success(message)
    elif kind == "error":
        st.error(message)
        if details:
            st.code("\n".join(details), language=None)


def follow_data_bounds(key: str, bounds: object) -> None:
    """Start a date widget on the data's bounds; follow them as data arrives unless the user moved it."""
    def norm(value: object) -> object:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    seen_key = f"{key}__bounds"
    previous = st.session_state.get(seen_key)
    if key not in st.session_state or (previous != bounds and norm(st.session_state[key]) == norm(previous)):
        st.session_state[key] = bounds
    st.session_state[seen_key] = bounds


def sidebar_filters(claims: pd.DataFrame) -> tuple[Filters, bool]:
    """The filter widgets; returns the chosen filters and whether to show online tiles."""
    st.header("Filters")
    dates = pd.to_datetime(claims["date"], errors="coerce").dropna()
    lo = dates.min().date() if len(dates) else dt.date(2019, 4, 4)
    hi = dates.max().date() if len(dates) else dt.date(2020, 6, 30)
    follow_data_bounds("date_range", (lo, hi))
    picked = st.date_input("Event date range", key="date_range")
    ends = list(picked) if isinstance(picked, (tuple, list)) else [picked]
    date_from, date_to = [*ends, None, None][:2]  # while picking a range only its start is set
    include_undated = st.checkbox("Include claims without a date", value=True, key="undated")
    sides = st.multiselect("Side", SIDE_LABELS, default=list(SIDE_LABELS), key="sides")
    claimed_by = st.multiselect("Claimed by", SIDE_LABELS, default=list(SIDE_LABELS), key="claimed_by")
    types = st.multiselect("Claim types", CLAIM_TYPES, default=list(CLAIM_TYPES), key="types")
    query = st.text_input("Place (English or Arabic)", key="place_query")
    min_conf = st.slider("Minimum confidence", 0.0, 1.0, 0.0, 0.05, key="min_conf")
    tiles = st.checkbox("Online map tiles (need internet)", value=True, key="tiles")
    filters = Filters(
        date_from=date_from, date_to=date_to, include_undated=include_undated,
        sides=None if set(sides) == set(SIDE_LABELS) else frozenset(sides),
        claimed_by=None if set(claimed_by) == set(SIDE_LABELS) else frozenset(claimed_by),
        claim_types=None if set(types) == set(CLAIM_TYPES) else frozenset(types),
        place_query=query, min_confidence=float(min_conf),
    )
    return filters, tiles


def geojson_of(df: pd.DataFrame) -> str:
    """The GeoJSON text of exactly these claims (the export command's schema)."""
    return json.dumps(export.frame_to_geojson(df), ensure_ascii=False)


def claims_table(df: pd.DataFrame) -> pd.DataFrame:
    """The filtered claims as shown in the table (links only for http(s) URLs)."""
    table = df.reindex(columns=TABLE_COLUMNS).copy()
    table["url"] = table["url"].map(safe_url)
    return table.sort_values("date", ascending=False, na_position="last")


def main() -> None:
    """Lay out the dashboard."""
    st.set_page_config(page_title="Mihwar — Tripoli front claims", layout="wide")
    path = db_path()
    ensure_database(path)
    with st.sidebar:
        filter_box = st.container()
        st.divider()
        handle_upload(path)
    claims = load_claims(str(path), db_version(path))
    with filter_box:
        filters, tiles = sidebar_filters(claims)
    shown = apply_filters(claims, filters)

    st.title("Mihwar — claims on the Tripoli front")
    c1, c2, c3 = st.columns(3)
    c1.metric("Claims shown", len(shown))
    c2.metric("Places", int(shown["place_id"].nunique()) if len(shown) else 0)
    c3.metric("Claims in database", len(claims))

    st.subheader("Control view")
    k1, k2, k3 = st.columns([2, 2, 3])
    dates = pd.to_datetime(claims["date"], errors="coerce").dropna()
    default_as_of = dates.max().date() if len(dates) else dt.date(2020, 6, 4)
    follow_data_bounds("as_of", default_as_of)
    as_of = k1.date_input("As of", key="as_of") or default_as_of
    window = int(k2.number_input("Contest window (days)", min_value=0, max_value=365, value=7, step=1,
                                 key="window"))
    show_control = k3.checkbox("Show control layer on the map", value=True, key="show_control")
    version = db_version(path)
    control = cached_control(str(path), version, filters.min_confidence, as_of, window)
    layers = cached_layers(str(path), version, filters, as_of, window, show_control)
    (st.warning if layers.aggregated else st.caption)(layers.message)
    st_folium(render_map(layers, tiles=tiles), returned_objects=[], height=620, use_container_width=True, key="map")

    st.subheader("Claims per day by side")
    counts = claims_per_day(shown)
    if counts.empty:
        st.info("No dated claims match the filters.")
    else:
        st.bar_chart(counts, color=[SIDE_COLORS[c] for c in counts.columns], height=220)

    st.subheader(f"Control as of {as_of:%Y-%m-%d} (contest window {window} days)")
    st.caption("Holder: the side whose control/repelled claim is the latest on or before the date. "
               "Uses all claims above the minimum confidence, whatever the other filters.")
    st.dataframe(control.reindex(columns=CONTROL_TABLE_COLUMNS), hide_index=True, key="control_table")

    st.subheader("Filtered claims")
    table = claims_table(shown)
    if len(table) > MAX_TABLE_ROWS:
        st.caption(f"Showing the {MAX_TABLE_ROWS:,} latest of {len(table):,} claims; the downloads hold all of them.")
        table = table.head(MAX_TABLE_ROWS)
    st.dataframe(table, hide_index=True, key="claims_table",
                 column_config={"url": st.column_config.LinkColumn("url"),
                                "confidence": st.column_config.NumberColumn(format="%.2f")})
    d1, d2 = st.columns(2)
    # The files are made when a button is clicked, not on every rerun.
    d1.download_button("Download GeoJSON", data=partial(geojson_of, shown),
                       file_name="mihwar_claims.geojson", mime="application/geo+json", key="dl_geojson",
                       on_click="ignore")
    d2.download_button("Download CSV", data=partial(export.frame_to_csv, shown), file_name="mihwar_claims.csv",
                       mime="text/csv", key="dl_csv", on_click="ignore")


main()

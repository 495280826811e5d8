"""Mihwar dashboard: claims about the 2019-2020 battle for Tripoli on a map, a timeline and tables.

Run with `streamlit run app.py`. The database path comes from MIHWAR_DB (default data/mihwar.db);
when the file is missing it is built from seeds/. This module holds only widgets and layout;
the logic lives in dashboard/ and pipeline/.
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_folium import st_folium

from dashboard import queries
from dashboard.areas import control_areas
from dashboard.filters import Filters
from dashboard.i18n import LANGUAGES, direction, text
from dashboard.mapview import DEFAULT_MAX_POINTS, MapLayers, base_map, data_group
from dashboard.schema import CLAIM_TYPES, SIDE_LABELS
from dashboard.timeline import timeline_chart
from dashboard.viewport import Box, current_view
from dashboard.views import (
    MAX_DOWNLOAD_CLAIMS,
    PLAY_STEPS,
    centre_of,
    claims_table,
    control_filters,
    control_table,
    decode_params,
    encode_state,
    export_command,
    next_step,
    selected_row,
    until,
    upload_outcome,
)
from pipeline import ingest, store
from pipeline.export import Format

ROOT = Path(__file__).resolve().parent
SEEDS_DIR = ROOT / "seeds"
RTL_CSS = ROOT / "dashboard" / "data" / "app_rtl.css"
UPLOAD_TYPES = ("txt", "jsonl", "ndjson", "csv", "html", "htm", "xml", "rss", "atom", "json")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 2_000  # the table shows the latest claims; downloads hold every filtered claim
PLAY_SECONDS = 1.5
SELECTED_ZOOM = 14


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


@st.cache_data(show_spinner=False, max_entries=4)
def db_facts(path: str, version: tuple) -> tuple[dt.date | None, dt.date | None, int]:
    """First and last event date and the number of claims in the database (cached per database version)."""
    with queries.reading(path) as conn:  # a reader: never writes, and sees what writers committed
        return (*queries.date_bounds(conn), queries.total_claims(conn))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_summary(path: str, version: tuple, filters: Filters) -> pd.DataFrame:
    """One row per place with its counts of filtered claims (the map's aggregates and the metrics)."""
    with queries.reading(path) as conn:
        return queries.place_summary(conn, filters)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_per_day(path: str, version: tuple, filters: Filters) -> pd.DataFrame:
    """Filtered claims per day by side (the timeline)."""
    with queries.reading(path) as conn:
        return queries.claims_per_day(conn, filters)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_table(path: str, version: tuple, filters: Filters) -> pd.DataFrame:
    """The table: the MAX_TABLE_ROWS latest filtered claims."""
    with queries.reading(path) as conn:
        return claims_table(queries.newest_claims(conn, filters, MAX_TABLE_ROWS))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_control(path: str, version: tuple, filters: Filters, as_of: dt.date, window: int) -> pd.DataFrame:
    """The control view as of a date for the claims passing the side/claimed-by/confidence filters
    (only those parts of `filters` count: control_filters)."""
    with queries.reading(path) as conn:
        return queries.control_as_of(conn, control_filters(filters), as_of, window)


def download_file(path: str, filters: Filters, fmt: Format) -> bytes:
    """The GeoJSON or CSV (with a byte-order mark, so Excel reads the Arabic) of exactly the filtered claims,
    streamed from the database when the button is clicked."""
    with queries.reading(path) as conn:
        return queries.download_bytes(conn, filters, fmt, bom=fmt is Format.CSV)


@st.cache_resource(show_spinner=False, max_entries=32)
def cached_areas(path: str, version: tuple, control_by: Filters, as_of: dt.date, window: int) -> dict:
    """The control areas (GeoJSON) for the control filters and date (shared, never mutated)."""
    return control_areas(cached_control(path, version, control_by, as_of, window))


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_layers(path: str, version: tuple, filters: Filters, as_of: dt.date, window: int,
                  show_control: bool, lang: str, area: Box | None = None) -> MapLayers:
    """The map's layer data for the claims passing `filters` up to `as_of`, asked of the database
    (per-place aggregates, or the claims themselves when at most DEFAULT_MAX_POINTS; when the places are
    more than one map carries, those in `area`, around the map's view).

    Only plain data is cached (shared, never mutated; a resource cache, so it is not copied on every run):
    the folium map is built anew on every run, because rendering one map object twice draws a blank map.
    """
    shown = until(filters, as_of)
    areas = cached_areas(path, version, control_filters(filters), as_of, window) if show_control else None
    with queries.reading(path) as conn:  # the claims themselves only when at most DEFAULT_MAX_POINTS
        return queries.map_layers_for(conn, shown, cached_summary(path, version, shown),
                                      max_points=DEFAULT_MAX_POINTS, show_control=show_control, lang=lang, areas=areas,
                                      area=area)


@st.fragment
def map_section(path: Path, version: tuple, filters: Filters, as_of: dt.date, window: int, show_control: bool,
                lang: str, tiles: bool, centre: tuple[float, float] | None, summary: pd.DataFrame) -> None:
    """The notice and the map of the filtered claims (`summary`: their place_summary). The map reports its
    view after each move, which reruns only this part: when the claims name more places than one map
    carries, the layers are made for the area around the view (dashboard.viewport)."""
    view = current_view(st.session_state, (lang, tiles, queries.map_bounds(summary)))
    area = queries.area_to_fill(summary, view)
    layers = cached_layers(str(path), version, filters, as_of, window, show_control, lang, area)
    (st.warning if layers.aggregated else st.caption)(layers.message)
    show_map(layers, tiles, lang, centre)


def show_map(layers: MapLayers, tiles: bool, lang: str, centre: tuple[float, float] | None) -> None:
    """The map: a frame that depends only on the language and tiles (so it stays mounted in the browser)
    with the filtered layers sent apart and drawn into it in place; centred on `centre` when given. It
    reports its bounds after each move (always: streamlit-folium reads `returned_objects` only when it
    creates the map)."""
    st_folium(base_map(lang=lang, tiles=tiles),
              feature_group_to_add=data_group(layers, heat=bool(st.session_state.get("heat"))),
              returned_objects=["bounds"], height=620, use_container_width=True, key="map",
              center=centre, zoom=SELECTED_ZOOM if centre else None)


def ensure_database(path: Path, lang: str) -> None:
    """Build the database from seeds/ on first run, with a progress bar."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    bar = st.progress(0.0, text=text("seed_building", lang))

    def progress(done: int, total: int) -> None:
        bar.progress(min(done / max(total, 1), 1.0), text=text("seed_progress", lang, done=done, total=total))

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
    st.toast(text("seed_built", lang, articles=report.articles_new, claims=report.claims_new))
    if report.errors:
        with st.expander(text("seed_problems", lang, n=len(report.errors))):
            st.code("\n".join(report.errors), language=None)


def handle_upload(path: Path, lang: str) -> None:
    """The article uploader: store a good file through the pipeline, refuse a bad or oversized one.

    The outcome goes to session state (shown at the top of the page and next to the uploader) and a toast.
    """
    st.subheader(text("add_articles", lang))
    published = st.date_input(text("published", lang), value=None, key="upload_published",
                              help=text("published_help", lang), min_value=dt.date(1990, 1, 1))
    upload = st.file_uploader(text("uploader", lang), type=list(UPLOAD_TYPES), key="upload")
    if upload is not None:
        marker = (upload.file_id, upload.name, upload.size)
        if st.session_state.get("upload_done") != marker:
            st.session_state["upload_done"] = marker
            if upload.size > MAX_UPLOAD_BYTES:
                result = ("error", text("upload_too_large", lang, name=upload.name, size=upload.size,
                                        limit=MAX_UPLOAD_BYTES), ())
            else:
                conn = store.open_db(path)
                try:  # extracted in a separate process: other visitors' pages stay responsive
                    with st.spinner(text("upload_working", lang, name=upload.name)):
                        report = ingest.ingest_upload(upload.name, upload.getvalue(), conn, published=published,
                                                      isolate=True)
                    result = upload_outcome(report, upload.name, lang)
                except sqlite3.OperationalError as exc:
                    busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
                    result = ("info" if busy else "error",
                              text("upload_busy" if busy else "upload_unreadable", lang, name=upload.name), ())
                except Exception as exc:  # shown to the user; the pipeline stored nothing
                    result = ("error", text("upload_unreadable", lang, name=upload.name), (type(exc).__name__,))
                finally:
                    conn.close()
            st.session_state["upload_result"] = result
            st.toast(result[1], icon="✅" if result[0] == "success" else "ℹ️" if result[0] == "info" else "⚠️")
    show_upload_result()


def show_upload_result(box: object = st) -> None:
    """The last upload's outcome, if any (in `box`, a container that is always there, so that the elements
    after it keep their place: a component that moves is remounted and can come up blank)."""
    kind, message, details = st.session_state.get("upload_result", (None, "", ()))
    if kind in ("success", "info", "error"):
        getattr(box, kind)(message)
        if details:
            box.code("\n".join(details), language=None)


def follow_data_bounds(key: str, bounds: object) -> None:
    """Start a date widget on the data's bounds; follow them as data arrives unless the user moved it."""
    def norm(value: object) -> object:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    seen_key = f"{key}__bounds"
    previous = st.session_state.get(seen_key)
    if key not in st.session_state or (previous != bounds and norm(st.session_state[key]) == norm(previous)):
        st.session_state[key] = bounds
    st.session_state[seen_key] = bounds


def data_dates(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The slider's period: the first and last event date in the database (the seeds' period when there is none)."""
    lo = first or dt.date(2019, 4, 4)
    hi = last or dt.date(2020, 6, 30)
    return lo, (hi if hi > lo else lo + dt.timedelta(days=1))


def sidebar_filters(lo: dt.date, hi: dt.date, lang: str) -> tuple[Filters, bool]:
    """The filter widgets; returns the chosen filters and whether to show online tiles."""
    st.header(text("filters", lang))
    follow_data_bounds("date_range", (lo, hi))
    picked = st.date_input(text("date_range", lang), key="date_range")
    ends = list(picked) if isinstance(picked, (tuple, list)) else [picked]
    date_from, date_to = [*ends, None, None][:2]  # while picking a range only its start is set
    include_undated = st.checkbox(text("include_undated", lang), key="undated", help=text("include_undated_help", lang))
    sides = st.multiselect(text("side", lang), SIDE_LABELS, key="sides")
    claimed_by = st.multiselect(text("claimed_by", lang), SIDE_LABELS, key="claimed_by")
    types = st.multiselect(text("claim_types", lang), CLAIM_TYPES, key="types")
    query = st.text_input(text("place_query", lang), key="place_query")
    min_conf = st.slider(text("min_confidence", lang), 0.0, 1.0, step=0.05, key="min_conf")
    tiles = st.checkbox(text("tiles", lang), key="tiles", help=text("tiles_help", lang))
    st.caption(text("share", lang))
    filters = Filters(
        date_from=date_from, date_to=date_to, include_undated=include_undated,
        sides=None if set(sides) == set(SIDE_LABELS) else frozenset(sides),
        claimed_by=None if set(claimed_by) == set(SIDE_LABELS) else frozenset(claimed_by),
        claim_types=None if set(types) == set(CLAIM_TYPES) else frozenset(types),
        place_query=query, min_confidence=float(min_conf),
    )
    return filters, tiles


WIDGET_DEFAULTS = {"sides": list(SIDE_LABELS), "claimed_by": list(SIDE_LABELS), "types": list(CLAIM_TYPES),
                   "undated": False, "place_query": "", "min_conf": 0.0, "tiles": False, "window": 7,
                   "show_control": True, "heat": False, "lang": "en", "playing": False, "step": 7}


def init_state() -> None:
    """Widget defaults, then the values the URL holds (read on a visitor's first run only)."""
    if "url_read" not in st.session_state:
        st.session_state["url_read"] = True
        for key, value in decode_params(st.query_params.to_dict()).items():
            st.session_state[key] = value
    for key, value in WIDGET_DEFAULTS.items():
        st.session_state.setdefault(key, list(value) if isinstance(value, list) else value)
    if "as_of_next" in st.session_state:  # set by the player between runs
        st.session_state["as_of"] = st.session_state.pop("as_of_next")


def write_url(lo: dt.date, hi: dt.date) -> None:
    """Put the filters that differ from their defaults in the address bar (shareable)."""
    defaults = {**WIDGET_DEFAULTS, "date_range": (lo, hi), "as_of": hi}
    params = encode_state(st.session_state, defaults)
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def player(lo: dt.date, hi: dt.date, lang: str) -> None:
    """Advance 'as of' by a step every PLAY_SECONDS while playing; stop at the last date."""
    if not st.session_state.get("playing"):
        return

    @st.fragment(run_every=PLAY_SECONDS)
    def tick() -> None:
        if st.session_state.get("_full_run"):
            return  # drawn as part of a full run: wait for the timer
        current = st.session_state.get("as_of", hi)
        nxt, going = next_step(current, int(st.session_state.get("step", 7)), hi)
        st.session_state["as_of_next"] = nxt
        st.session_state["playing"] = going
        st.rerun(scope="app")

    tick()


def toggle_play(lo: dt.date, hi: dt.date) -> None:
    """Play/pause; playing from the last date starts again at the first."""
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing and st.session_state.get("as_of", hi) >= hi:
        st.session_state["as_of"] = lo


def time_controls(lo: dt.date, hi: dt.date, lang: str) -> tuple[dt.date, int, bool]:
    """The 'as of' slider, play button, step, contest window and control toggle."""
    follow_data_bounds("as_of", hi)
    if not lo <= st.session_state["as_of"] <= hi:
        st.session_state["as_of"] = hi
    t1, t2, t3 = st.columns([5, 1.3, 1.3], vertical_alignment="bottom")
    as_of = t1.slider(text("as_of", lang), min_value=lo, max_value=hi, key="as_of", format="YYYY-MM-DD",
                      help=text("as_of_help", lang))
    playing = st.session_state.get("playing", False)
    t2.button(text("pause" if playing else "play", lang), key="play", on_click=toggle_play, args=(lo, hi),
              width="stretch")
    steps = text("step_days", lang)
    # One widget per language (a keyed selectbox keeps the option texts it was first drawn with); the
    # choice itself lives in "step", which the URL and the player read.
    step_key = f"step_{lang}"
    st.session_state[step_key] = st.session_state["step"]
    t3.selectbox(text("step", lang), PLAY_STEPS, key=step_key, format_func=lambda d: steps[str(d)],
                 on_change=lambda: st.session_state.update(step=st.session_state[step_key]))
    k1, k2, k3 = st.columns([2, 2, 2], vertical_alignment="bottom")
    window = int(k1.number_input(text("window", lang), min_value=0, max_value=365, step=1, key="window"))
    show_control = k2.checkbox(text("show_control", lang), key="show_control")
    k3.checkbox(text("map_heat", lang), key="heat")
    status = st.container()  # always there (see show_upload_result)
    if playing:
        status.caption(text("playing", lang, date=f"{as_of:%Y-%m-%d}"))
    return as_of, window, show_control


def column_config(lang: str) -> dict:
    """Table columns: translated headers, dates as dates, links, the evidence's help."""
    c = st.column_config
    cols = {key: c.Column(text(f"col_{key}", lang)) for key in (
        "place", "place_ar", "side", "claim", "claimed_by", "title", "source", "holder", "contested",
        "contested_by")}
    return cols | {
        "date": c.DateColumn(text("col_date", lang), format="YYYY-MM-DD"),
        "since": c.DateColumn(text("col_since", lang), format="YYYY-MM-DD"),
        "date_precision": c.Column(text("col_precision", lang)),
        "url": c.LinkColumn(text("col_url", lang)),
        "confidence": c.NumberColumn(text("col_confidence", lang), format="%.2f"),
        "evidence": c.TextColumn(text("col_evidence", lang), help=text("evidence_help", lang), width="large"),
        "last_evidence": c.TextColumn(text("col_last_evidence", lang), help=text("evidence_help", lang),
                                      width="large"),
        "lat": None, "lon": None, "claim_id": c.Column("claim_id"),
    }


def main() -> None:
    """Lay out the dashboard."""
    init_state()
    lang = st.session_state.get("lang", "en")
    st.set_page_config(page_title=text("page_title", lang), layout="wide")
    st.session_state["_full_run"] = True
    if direction(lang) == "rtl":
        st.html(f"<style>{RTL_CSS.read_text(encoding='utf-8')}</style>")
    path = db_path()
    ensure_database(path, lang)
    with st.sidebar:
        st.segmented_control(text("language", lang), list(LANGUAGES), key="lang",
                             format_func=LANGUAGES.get, selection_mode="single")
        filter_box = st.container()
        st.divider()
        handle_upload(path, lang)
    try:
        upgrade_store(path, lang)
        show_page(path, lang, filter_box)
    except sqlite3.OperationalError as exc:  # locked by a writer, or unreadable mid-session
        busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
        (st.warning if busy else st.error)(text("db_busy" if busy else "db_broken", lang, name=path.name))
    except sqlite3.DatabaseError:
        st.error(text("db_broken", lang, name=path.name))


def upgrade_store(path: Path, lang: str) -> None:
    """Brings an older store to the current schema once, saying so (new indexes take a while on an archive);
    a store this process cannot write is read as it is."""
    if store.needs_migration(path):
        with st.spinner(text("db_upgrading", lang)):
            store.upgrade(path)


def show_page(path: Path, lang: str, filter_box: DeltaGenerator) -> None:
    """Everything below the sidebar's language and upload: filters, metrics, map, timeline, tables, downloads."""
    version = db_version(path)
    first, last, total = db_facts(str(path), version)
    lo, hi = data_dates(first, last)
    with filter_box:
        filters, tiles = sidebar_filters(lo, hi, lang)

    st.title(text("title", lang))
    show_upload_result(st.container())
    top = st.container()
    as_of, window, show_control = time_controls(lo, hi, lang)
    shown = until(filters, as_of)
    summary = cached_summary(str(path), version, shown)
    total_rows = int(summary["claims"].sum())
    c1, c2, c3 = top.columns(3)
    c1.metric(text("metric_shown", lang), total_rows)
    c2.metric(text("metric_places", lang), len(summary))
    c3.metric(text("metric_total", lang), total)

    table = cached_table(str(path), version, shown)
    selection = st.session_state.get("claims_table")
    rows = list(selection["selection"]["rows"]) if selection and "selection" in selection else []
    picked = selected_row(table, rows)
    centre = centre_of(picked)

    map_section(path, version, filters, as_of, window, show_control, lang, tiles, centre, summary)

    st.subheader(text("timeline", lang))
    counts = cached_per_day(str(path), version, filters)
    if counts.empty:
        st.info(text("no_dated", lang))
    else:
        st.altair_chart(timeline_chart(counts, as_of), width="stretch")

    st.subheader(text("control_header", lang, date=f"{as_of:%Y-%m-%d}", window=window))
    st.caption(text("control_caption", lang))
    control = cached_control(str(path), version, control_filters(filters), as_of, window)
    st.dataframe(control_table(control), hide_index=True, key="control_table", column_config=column_config(lang))

    st.subheader(text("claims_header", lang))
    if total_rows > MAX_TABLE_ROWS:
        st.caption(text("table_capped", lang, shown=MAX_TABLE_ROWS, total=total_rows))
    st.caption(text("table_hint", lang))
    st.dataframe(table, hide_index=True, key="claims_table", on_select="rerun", selection_mode="single-row",
                 column_config=column_config(lang))
    if picked is not None:
        with st.container(border=True):
            st.caption(text("selected", lang))
            st.text(f"{picked['place']} · {picked['place_ar'] or ''} · {picked['side']} {picked['claim']} · "
                    f"{picked['date'] or ''}")
            st.text(str(picked.get("evidence") or ""))
            st.caption(str(picked.get("title") or ""))
    d1, d2 = st.columns(2)
    # The files are made when a button is clicked, not on every rerun, streamed from the database.
    too_many = total_rows > MAX_DOWNLOAD_CLAIMS
    d1.download_button(text("download_geojson", lang), data=partial(download_file, str(path), shown, Format.GEOJSON),
                       file_name="mihwar_claims.geojson", mime="application/geo+json", key="dl_geojson",
                       on_click="ignore", disabled=too_many)
    d2.download_button(text("download_csv", lang), data=partial(download_file, str(path), shown, Format.CSV),
                       file_name="mihwar_claims.csv", mime="text/csv", key="dl_csv", on_click="ignore",
                       disabled=too_many)
    if too_many:
        st.caption(text("download_too_many", lang, n=total_rows, limit=MAX_DOWNLOAD_CLAIMS))
        st.code(export_command(shown), language="bash")
    write_url(lo, hi)
    player(lo, hi, lang)  # last: while playing it adds an element, which must not move the others
    st.session_state["_full_run"] = False


main()

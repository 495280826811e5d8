"""The dashboard's SQL queries give what pandas gives on the whole claims frame, filter by filter.

A small store is written from claims frames (seed-like claims with ties, undated and unattributed claims,
plus synthetic claims at a dozen places); each query is compared with the pandas computation it replaced:
apply_filters, claims_per_day, control_as_of, claims_table, the map's layers and the downloads.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import shlex
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from dashboard import queries as q
from dashboard.control import control_as_of
from dashboard.filters import Filters, apply_filters, claims_per_day
from dashboard.mapview import aggregate_features, heat_points, map_layers
from dashboard.samples import make_claim, seed_like_claims, synthetic_claims
from dashboard.schema import CLAIM_TYPES, normalize_claims, side_label
from dashboard.views import claims_table, control_filters, export_command, until
from pipeline import queries as pq
from pipeline.cli import build_parser
from pipeline.export import Format
from pipeline.store import SCHEMA_VERSION, load_claims_frame, open_db, open_db_readonly


def write_frame(conn: sqlite3.Connection, df: pd.DataFrame) -> None:
    """Stores the claims of a claims frame with their places and articles."""
    day = lambda v: None if pd.isna(v) else pd.Timestamp(v).date().isoformat()  # noqa: E731
    with conn:
        conn.executemany("INSERT OR IGNORE INTO articles (id, title, text, published, source, url, ingested_at) "
                         "VALUES (?,?,?,?,?,?,?)", [
            (r.article_id, r.title, "text", day(r.published), r.source, r.url, "2026-01-01")
            for r in df.drop_duplicates("article_id").itertuples()])
        conn.executemany("INSERT OR IGNORE INTO places (id, name, name_ar, lat, lon, kind, geo_precision, admin1) "
                         "VALUES (?,?,?,?,?,?,?,?)", [
            (r.place_id, r.place, r.place_ar, r.lat, r.lon, "locality", 2, "Tripoli")
            for r in df.drop_duplicates("place_id").itertuples()])
        conn.executemany('INSERT INTO claims (id, article_id, place_id, claim, side, claimed_by, date, date_precision, '
                         'evidence, start, "end", confidence, pattern, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)', [
            (r.claim_id, r.article_id, r.place_id, r.claim, r.side, r.claimed_by, day(r.date), r.date_precision,
             r.evidence, i, i + 5, r.confidence, "test", "agent") for i, r in enumerate(df.itertuples())])


def fixture_claims() -> pd.DataFrame:
    """Seed-like claims, a same-day tie of sides at a place, a holder change, an unattributed and an undated
    claim, and 400 synthetic claims at 12 places (ids and names of their own)."""
    extra = normalize_claims(pd.DataFrame([
        make_claim("t1", "wadi_rabie", "GNA", "control", "2020-05-01", article_id="art2", confidence=0.8),
        make_claim("t2", "wadi_rabie", "LNA", "control", "2020-05-01", article_id="art3", confidence=0.8),
        make_claim("t3", "ain_zara", "GNA", "control", "2020-05-20", article_id="art2", confidence=0.9),
        make_claim("t4", "ain_zara", "GNA", "repelled", "2020-05-25", article_id="art3", confidence=0.6),
        make_claim("t5", "ain_zara", "LNA", "attack", "2020-06-01", article_id="art3", claimed_by="LNA"),
        make_claim("t6", "tripoli", None, "strike", None, article_id="art4", claimed_by=None, confidence=0.3),
    ]))
    synth = synthetic_claims(400, seed=3, n_places=12)
    synth["place_id"] = "s_" + synth["place_id"]
    synth["article_id"] = "s_" + synth["article_id"]
    return pd.concat([seed_like_claims(), extra, synth], ignore_index=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "q.db"
    conn = open_db(path)
    write_frame(conn, fixture_claims())
    conn.close()
    return path


@pytest.fixture(scope="module")
def conn(db: Path):
    c = open_db_readonly(db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def frame(conn) -> pd.DataFrame:
    return load_claims_frame(conn)


FILTERS = {
    "none": Filters(),
    "side GNA": Filters(sides=frozenset({"GNA"})),
    "side none": Filters(sides=frozenset({"none"})),
    "side LNA+none": Filters(sides=frozenset({"LNA", "none"})),
    "no side at all": Filters(sides=frozenset()),
    "claimed by none": Filters(claimed_by=frozenset({"none"})),
    "claimed by GNA+LNA": Filters(claimed_by=frozenset({"GNA", "LNA"})),
    "types": Filters(claim_types=frozenset({"control", "repelled"})),
    "from": Filters(date_from=dt.date(2020, 1, 1)),
    "from + undated": Filters(date_from=dt.date(2020, 1, 1), include_undated=True),
    "to": Filters(date_to=dt.date(2019, 12, 31)),
    "range": Filters(date_from=dt.date(2019, 6, 1), date_to=dt.date(2019, 6, 30)),
    "mid-month to mid-month": Filters(date_from=dt.date(2019, 5, 15), date_to=dt.date(2020, 2, 10)),
    "inside one month": Filters(date_from=dt.date(2020, 5, 3), date_to=dt.date(2020, 5, 20)),
    "to mid-month + undated": Filters(date_to=dt.date(2020, 5, 24), include_undated=True),
    "one day + undated": Filters(date_from=dt.date(2020, 6, 3), date_to=dt.date(2020, 6, 3), include_undated=True),
    "place Arabic variant": Filters(place_query="عين زاره"),
    "place English part": Filters(place_query="AIRPORT"),
    "place id": Filters(place_query="s_p3"),
    "place unknown": Filters(place_query="Benghazi"),
    "confidence": Filters(min_confidence=0.75),
    "all at once": Filters(date_from=dt.date(2019, 5, 1), date_to=dt.date(2020, 6, 3), sides=frozenset({"GNA", "LNA"}),
                           claimed_by=frozenset({"GNA", "LNA", "none"}), claim_types=frozenset(CLAIM_TYPES[:5]),
                           place_query="place", min_confidence=0.3),
}
CASES = list(FILTERS.items())


def expected(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    return apply_filters(frame, f)


def test_the_fixture_has_what_the_filters_need(frame):
    assert frame["date"].isna().sum() == 2
    assert frame["side"].isna().sum() > 2
    assert len(frame) == 413


@pytest.mark.parametrize(("name", "f"), CASES)
def test_sql_filter_keeps_the_rows_pandas_keeps(conn, frame, name, f):
    want = expected(frame, f)
    got = pq.claims_frame(conn, f)
    assert list(got["claim_id"]) == list(want["claim_id"])  # the same rows, in export order
    assert list(got.columns) == list(want.columns)
    if len(want):  # (an empty frame's text columns may differ in dtype: nothing to show either way)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert pq.count_claims(conn, f) == len(want)
    if name not in ("no side at all", "place unknown"):
        assert len(want) > 0, "each filter keeps some claims: the comparison is not vacuous"


@pytest.mark.parametrize(("name", "f"), CASES)
def test_claims_per_day_as_pandas(conn, frame, name, f):
    pd.testing.assert_frame_equal(q.claims_per_day(conn, f), claims_per_day(expected(frame, f)))


@pytest.mark.parametrize(("name", "f"), CASES)
def test_place_summary_counts_as_pandas(conn, frame, name, f):
    want = expected(frame, f)
    got = q.place_summary(conn, f).set_index("place_id")
    assert sorted(got.index) == sorted(want["place_id"].unique())
    assert got["claims"].sum() == len(want)
    for pid, group in want.groupby("place_id"):
        row = got.loc[pid]
        sides = group["side"].map(side_label).value_counts()
        assert {s: int(row[s]) for s in ("GNA", "LNA", "none") if row[s]} == sides.to_dict()
        assert {t: int(row[t]) for t in CLAIM_TYPES if row[t]} == group["claim"].value_counts().to_dict()
        assert (row["place"], row["lat"]) == (group["place"].iloc[0], group["lat"].iloc[0])


@pytest.mark.parametrize(("name", "f"), CASES)
def test_newest_rows_for_the_table_as_pandas(conn, frame, name, f):
    want = claims_table(expected(frame, f)).head(50)
    got = claims_table(q.newest_claims(conn, f, 50))
    pd.testing.assert_frame_equal(got, want, check_dtype=len(want) > 0)


AS_OF = [dt.date(2019, 3, 1), dt.date(2019, 9, 30), dt.date(2020, 5, 1), dt.date(2020, 5, 26), dt.date(2020, 6, 3),
         dt.date(2021, 1, 1)]


@pytest.mark.parametrize("as_of", AS_OF)
@pytest.mark.parametrize("window", [0, 7, 60])
@pytest.mark.parametrize("name", ["none", "side GNA", "side none", "claimed by GNA+LNA", "confidence"])
def test_control_view_as_pandas(conn, frame, as_of, window, name):
    f = control_filters(FILTERS[name])
    want = control_as_of(apply_filters(frame, f), as_of, window)
    got = q.control_as_of(conn, f, as_of, window)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_control_view_same_day_tie_goes_to_the_greater_claim_id(conn):
    """Wadi al-Rabie: GNA (t1) and LNA (t2) both claim control on 2020-05-01 with the same confidence."""
    view = q.control_as_of(conn, Filters(), dt.date(2020, 5, 2), 7).set_index("place_id")
    assert view.loc["wadi_rabie", "holder"] == "LNA"  # "t2" > "t1"
    assert view.loc["wadi_rabie", "contested_by"] == "GNA"


def test_date_bounds_and_total(conn, frame):
    dates = frame["date"].dropna()
    assert q.date_bounds(conn) == (dates.min().date(), dates.max().date())
    assert q.total_claims(conn) == len(frame)


def _features_by_id(features: list[dict]) -> dict[str, dict]:
    return {f["properties"]["id"]: f for f in features}


@pytest.mark.parametrize(("name", "f"), CASES)
def test_map_aggregates_as_the_map_makes_them_from_the_claims(conn, frame, name, f):
    want_claims = expected(frame, f)
    summary = q.place_summary(conn, f)
    layers = q.map_layers_for(conn, f, summary, max_points=0, lang="en")
    want = map_layers(want_claims, None, max_points=0, lang="en")
    assert layers.aggregated == want.aggregated == (len(want_claims) > 0)
    assert (layers.message, layers.bounds, layers.front_places) == (want.message, want.bounds, want.front_places)
    assert layers.legend == want.legend
    assert list(layers.heat) == heat_points(want_claims)
    got, exp = _features_by_id(layers.claims["features"]), _features_by_id(aggregate_features(want_claims))
    assert list(got) == list(exp)
    for pid, g in got.items():
        e, gp, ep = exp[pid], g["properties"], exp[pid]["properties"]
        assert g["geometry"] == e["geometry"]
        for key in ("side", "radius", "n", "name", "name_ar"):
            assert gp[key] == ep[key], (pid, key)
        assert (gp["sides"], gp["types"], gp["claim"]) == (ep["sides"], ep["types"], ep["claim"])  # ties too
        dates = want_claims[want_claims["place_id"] == pid]["date"].sort_values(ascending=False)
        if dates.head(4).is_unique:  # the latest claims, when no two of them share a date
            assert gp["latest"] == ep["latest"]


@pytest.mark.parametrize(("name", "f"), CASES)
def test_map_grid_cells_as_the_map_makes_them_from_the_claims(conn, frame, name, f):
    """Past max_places places both paths group places into the same grid cells with the same counts."""
    want_claims = expected(frame, f)
    layers = q.map_layers_for(conn, f, q.place_summary(conn, f), max_points=0, max_places=1, lang="en")
    want = map_layers(want_claims, None, max_points=0, max_places=1, lang="en")
    assert layers.legend == want.legend
    cells = len(want.claims["features"])
    if "areas of about" in want.message:  # the dashboard's map follows the view: zooming in brings places back
        assert f"grouped into {cells:,} areas" in layers.message and "Zoom in to see single places" in layers.message
    else:
        assert layers.message == want.message
    got, exp = _features_by_id(layers.claims["features"]), _features_by_id(want.claims["features"])
    assert list(got) == list(exp)
    for pid, g in got.items():
        gp, ep = g["properties"], exp[pid]["properties"]
        assert g["geometry"] == exp[pid]["geometry"]
        assert (gp["n"], gp["name"], gp["side"], gp["claim"]) == (ep["n"], ep["name"], ep["side"], ep["claim"])
        assert (gp["sides"], gp["types"]) == (ep["sides"], ep["types"])
        assert len(gp["latest"]) == len(ep["latest"])


@pytest.mark.parametrize(("name", "f"), [c for c in CASES if c[0] in ("side GNA", "range", "place Arabic variant")])
def test_map_single_points_are_the_maps_own(conn, frame, name, f):
    summary = q.place_summary(conn, f)
    layers = q.map_layers_for(conn, f, summary, max_points=10_000, lang="en")
    want = map_layers(expected(frame, f), None, max_points=10_000, lang="en")
    assert not layers.aggregated
    assert layers.claims == want.claims and layers.heat == want.heat and layers.bounds == want.bounds


@pytest.mark.parametrize(("name", "f"), [c for c in CASES if c[0] in ("none", "from + undated", "place English part")])
def test_downloads_hold_exactly_the_filtered_claims(conn, frame, name, f):
    want = list(expected(frame, f)["claim_id"])
    geo = json.loads(q.download_bytes(conn, f, Format.GEOJSON).decode("utf-8"))
    assert [feat["id"] for feat in geo["features"]] == want
    csv = q.download_bytes(conn, f, Format.CSV, bom=True)
    assert csv.startswith("\ufeff".encode())
    assert list(pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")["claim_id"]) == want


@pytest.mark.parametrize(("name", "f"), CASES)
def test_the_export_command_shown_for_large_downloads_keeps_the_same_claims(conn, frame, name, f):
    args = build_parser().parse_args(shlex.split(export_command(f))[1:])
    again = Filters(date_from=args.start, date_to=args.end, include_undated=args.include_undated,
                    sides=frozenset(args.side) if args.side else None,
                    claimed_by=frozenset(args.claimed_by) if args.claimed_by else None,
                    claim_types=frozenset(args.claim) if args.claim else None,
                    place_query=args.place or "", min_confidence=args.min_confidence)
    if f.sides == frozenset():  # "no side": the command line has no way to say it (it keeps none anyway)
        return
    assert set(apply_filters(frame, again)["claim_id"]) == set(expected(frame, f)["claim_id"])


def test_views_read_covering_indexes_not_the_claims_table(conn):
    """The per-filter queries of a page (place counts, timeline) read an index holding every column they
    need: their cost follows the index, not the claims' text."""
    f = until(Filters(sides=frozenset({"GNA", "none"}), min_confidence=0.5), dt.date(2020, 6, 3))
    w = pq.where(conn, f)
    for sql in (f"SELECT c.place_id, c.side, c.claim, COUNT(*) FROM claims c {q.hint(conn, 'claims_by_kind')} "
                f"WHERE {w.sql} GROUP BY c.place_id, c.side, c.claim",
                f"SELECT c.date, c.side, COUNT(*) FROM claims c WHERE ({w.sql}) AND {pq.DATED} GROUP BY c.date, c.side"):
        plan = " ".join(str(r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + sql, w.params))
        assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plan


def test_a_version_3_store_gets_the_indexes_when_a_writer_opens_it(tmp_path):
    path = tmp_path / "v3.db"
    conn = open_db(path)
    write_frame(conn, seed_like_claims())
    for name in ("claims_by_date", "claims_by_place", "claims_by_kind"):
        conn.execute(f"DROP INDEX {name}")
    conn.execute("CREATE INDEX claims_date ON claims(date)")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    ro = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    assert q.hint(ro, "claims_by_kind") == ""  # a reader cannot add them; the queries still answer without
    assert pq.count_claims(ro, Filters(sides=frozenset({"LNA"}))) == 4
    ro.close()
    conn = open_db(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"claims_by_date", "claims_by_place", "claims_by_kind"} <= indexes
    assert "claims_date" not in indexes
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    conn.close()


def test_place_summary_scanned_in_two_halves_at_once_is_the_same(conn, monkeypatch):
    """On a large store the per-place counts are read as two halves of the index in parallel."""
    f = until(Filters(sides=frozenset({"LNA", "none"})), dt.date(2020, 6, 3))
    serial = q.place_summary(conn, f)
    monkeypatch.setattr(q, "PARALLEL_FROM", 1)
    monkeypatch.setattr(q, "_MIDDLES", {})
    monkeypatch.setattr(q.os, "cpu_count", lambda: 2)
    assert q._middle_place(conn) is not None
    pd.testing.assert_frame_equal(q.place_summary(conn, f), serial)


def test_a_version_3_store_a_reader_cannot_migrate_is_read_without_the_indexes(tmp_path, monkeypatch):
    path = tmp_path / "v3ro.db"
    conn = open_db(path)
    write_frame(conn, seed_like_claims())
    for name in ("claims_by_date", "claims_by_place", "claims_by_kind"):
        conn.execute(f"DROP INDEX {name}")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()

    def read_only(*_a, **_k):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("pipeline.store.open_db", read_only)
    ro = open_db_readonly(path)
    assert q.place_summary(ro, Filters())["claims"].sum() == 7
    want = control_as_of(load_claims_frame(ro), dt.date(2020, 6, 3))
    pd.testing.assert_frame_equal(q.control_as_of(ro, Filters(), dt.date(2020, 6, 3)), want, check_dtype=False)
    ro.close()


def test_a_reader_that_migrates_an_older_store_still_gets_a_read_only_connection(tmp_path):
    path = tmp_path / "v3.db"
    conn = open_db(path)
    write_frame(conn, seed_like_claims())
    conn.execute("DROP INDEX claims_by_kind")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    ro = open_db_readonly(path)
    assert ro.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("DELETE FROM claims")
    ro.close()


def test_a_store_a_reader_could_not_migrate_is_not_tried_again_until_it_changes(tmp_path, monkeypatch):
    import pipeline.store as store_module

    path = tmp_path / "v3locked.db"
    conn = open_db(path)
    write_frame(conn, seed_like_claims())
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    tries = []

    def locked(*_a, **_k):
        tries.append(1)
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store_module, "open_db", locked)
    monkeypatch.setattr(store_module, "_NOT_UPGRADED", set())
    for _ in range(3):  # the dashboard opens a reader several times a page
        open_db_readonly(path).close()
    assert len(tries) == 1

"""bench.duck_queries gives the dashboard's answers on DuckDB: the engine comparison of bench.bench_duckdb is
only worth its timings if both engines show the same counts, control view and timeline.

The store of tests/test_queries.py (ties, undated and unattributed claims, 413 claims) is read by DuckDB
through the sqlite_scanner extension and as a converted DuckDB file; each answer must equal dashboard.queries'.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("duckdb_extension_sqlite_scanner")

from bench import duck_queries as d
from dashboard import queries as q
from dashboard.filters import Filters
from dashboard.views import control_filters
from pipeline.store import open_db, open_db_readonly
from tests.test_queries import AS_OF, FILTERS, fixture_claims, write_frame

CASES = [(name, f) for name, f in FILTERS.items() if not name.startswith("place") and name != "all at once"]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    path = tmp_path_factory.mktemp("duck") / "q.db"
    conn = open_db(path)
    write_frame(conn, fixture_claims())
    conn.close()
    duck = path.with_suffix(".duckdb")
    assert d.convert(path, duck)["claims"] == 413
    return path, duck


@pytest.fixture(scope="module", params=["attach", "file"])
def duck(request, stores):
    path, copy = stores
    con = d.attach(path) if request.param == "attach" else d.open_file(copy)
    yield con
    con.close()


@pytest.fixture(scope="module")
def conn(stores):
    c = open_db_readonly(stores[0])
    yield c
    c.close()


@pytest.mark.parametrize(("name", "f"), CASES)
def test_per_place_counts_and_timeline_equal_sqlites(conn, duck, name, f):
    pd.testing.assert_frame_equal(d.place_summary(duck, f), q.place_summary(conn, f))
    pd.testing.assert_frame_equal(d.claims_per_day(duck, f), q.claims_per_day(conn, f))


@pytest.mark.parametrize("as_of", AS_OF)
@pytest.mark.parametrize("name", ["none", "side GNA", "side none", "confidence"])
def test_control_view_equals_sqlites(conn, duck, as_of, name):
    f = control_filters(FILTERS[name])
    for window in (0, 7, 60):
        pd.testing.assert_frame_equal(d.control_as_of(duck, f, as_of, window), q.control_as_of(conn, f, as_of, window))


def test_same_day_tie_and_bounds(conn, duck):
    """Wadi al-Rabie: GNA and LNA claim control on one day with one confidence; the greater claim id holds."""
    view = d.control_as_of(duck, Filters(), dt.date(2020, 5, 2), 7).set_index("place_id")
    assert (view.loc["wadi_rabie", "holder"], view.loc["wadi_rabie", "contested_by"]) == ("LNA", "GNA")
    assert d.facts(duck) == (*q.date_bounds(conn), q.total_claims(conn))


def test_the_place_query_is_refused_not_ignored(duck):
    with pytest.raises(ValueError, match="place query"):
        d.place_summary(duck, Filters(place_query="tripoli"))


def test_the_copy_is_refused_over_an_existing_file(stores):
    with pytest.raises(FileExistsError):
        d.convert(*stores)

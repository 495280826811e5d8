"""`mihwar export --format geojson` writes features straight from SQLite rows: the same bytes as the frame path."""
import io
import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest

from pipeline import geojson
from pipeline.cli import main
from pipeline.export import Format, write_text_stream
from pipeline.filters import Filters, apply_filters
from pipeline.ingest import ingest_paths
from pipeline.store import iter_claims_frames, open_db, open_db_readonly

ROOT = Path(__file__).resolve().parent.parent
ODD = [  # articles whose cells test the encoding: quotes, backslashes, controls, no url, a zoned datetime
    {"id": 'q"1\\', "title": 'Tab\there "quoted" \\ back\u2028line', "source": "=src", "url": None,
     "published": "2019-08-16T23:30:00+02:00",
     "text": "The LNA said its warplanes struck an air defence system at Misrata airport on Thursday."},
    {"id": "n2", "title": "no date", "source": None,
     "text": "أعلنت قوات الوفاق السيطرة على عين زارة."},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The seed articles and two odd ones in a store."""
    folder = tmp_path_factory.mktemp("geo")
    extra = folder / "odd.jsonl"
    extra.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ODD), encoding="utf-8")
    path = folder / "m.db"
    conn = open_db(path)
    assert ingest_paths([ROOT / "seeds", extra], conn).ok
    conn.execute("UPDATE claims SET side = NULL, confidence = NULL WHERE article_id = 'n2'")  # empty cells
    conn.commit()
    conn.close()
    return path


def frame_path_text(path: Path, filters: Filters | None = None) -> str:
    """The export the frame way (pandas frames, dicts, json.dumps): what the row path must equal."""
    out = io.StringIO()
    frames = iter_claims_frames(open_db_readonly(path), rows=7)
    write_text_stream((apply_filters(f, filters) for f in frames) if filters else frames, Format.GEOJSON, out)
    return out.getvalue()


def row_path_text(path: Path, filters: Filters | None = None) -> str:
    out = io.StringIO()
    geojson.write_geojson(open_db_readonly(path), out, filters)
    return out.getvalue()


def test_rows_give_the_bytes_of_the_frame_path(db):
    text = row_path_text(db)
    assert text == frame_path_text(db)
    features = json.loads(text)["features"]
    assert len(features) > 10
    odd = [f for f in features if f["properties"]["article_id"] == 'q"1\\']
    assert odd and odd[0]["properties"]["title"] == 'Tab\there "quoted" \\ back\u2028line'
    assert odd[0]["properties"]["published"] == "2019-08-16" and odd[0]["properties"]["url"] == ""
    empty = [f for f in features if f["properties"]["article_id"] == "n2"]
    assert empty and empty[0]["properties"]["side"] is None and empty[0]["properties"]["confidence"] is None
    assert empty[0]["properties"]["published"] is None and empty[0]["properties"]["source"] == ""


@pytest.mark.parametrize("filters", [
    Filters(sides=frozenset({"LNA"})),
    Filters(place_query="عين زاره"),  # spelling folded
    Filters(date_from=__import__("datetime").date(2019, 6, 1), include_undated=True, min_confidence=0.5),
    Filters(claim_types=frozenset({"nothing"})),
])
def test_filtered_rows_are_the_rows_of_the_one_filter(db, filters):
    assert row_path_text(db, filters) == frame_path_text(db, filters)


def test_python_quoting_stands_in_where_sqlite_differs(db, monkeypatch):
    monkeypatch.setattr(geojson, "PROBE", "a")
    monkeypatch.setattr(geojson, "_quote", lambda s: "different")  # SQLite's json_quote now looks wrong
    assert row_path_text(db) == frame_path_text(db)


def test_sqlite_json_quote_escapes_as_python_does():
    conn = sqlite3.connect(":memory:")
    text = "".join(chr(c) for c in range(0x2100) if not 0xD800 <= c <= 0xDFFF) + geojson.PROBE
    assert conn.execute("SELECT json_quote(?)", (text,)).fetchone()[0] == json.dumps(text, ensure_ascii=False)


def test_cli_export_reads_back_in_geopandas_and_stdout_matches(db, tmp_path, capsys):
    out = tmp_path / "c.geojson"
    assert main(["export", "--db", str(db), "--format", "geojson", "-o", str(out), "-q"]) == 0
    back = gpd.read_file(out)
    assert back.crs.to_epsg() == 4326 and set(back.geometry.geom_type) == {"Point"}
    assert out.read_text(encoding="utf-8") == frame_path_text(db)
    capsys.readouterr()
    assert main(["export", "--db", str(db), "--format", "geojson", "--side", "GNA", "-q"]) == 0
    assert capsys.readouterr().out == frame_path_text(db, Filters(sides=frozenset({"GNA"})))


def test_the_export_leaves_the_connections_cache_size_as_it_was(db):
    conn = open_db_readonly(db)
    conn.execute("PRAGMA cache_size = -1234")
    geojson.write_geojson(conn, io.StringIO())
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -1234

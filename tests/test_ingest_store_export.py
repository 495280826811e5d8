"""Reading untrusted inputs, storing without loss, exporting valid GeoJSON and CSV."""
import datetime as dt
import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from pipeline.export import filter_frame, frame_to_csv, frame_to_geojson
from pipeline.ingest import ingest_paths, ingest_upload
from pipeline.readers import ReadError, read_bytes, split_seed_text
from pipeline.store import load_claims_frame, open_db
from tests.storefaults import fail_storing

GOOD = {"id": "a1", "title": "t", "published": "2020-06-03", "source": "wire",
        "text": "أعلن قنونو، الأربعاء، السيطرة على مطار طرابلس العالمي."}


def test_seed_format_title_twice_starts_an_article():
    content = "عنوان أول\nعنوان أول\n\nفقرة أولى.\n\nفقرة ثانية.\n\nعنوان ثان\nعنوان ثان\n\nنص آخر.\n"
    assert split_seed_text(content) == [("عنوان أول", "فقرة أولى.\n\nفقرة ثانية."), ("عنوان ثان", "نص آخر.")]


def test_jsonl_bad_line_is_named_and_the_rest_is_read():
    data = (json.dumps(GOOD, ensure_ascii=False) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n").encode()
    items = list(read_bytes("batch.jsonl", data))
    assert [isinstance(x, ReadError) for x in items] == [False, True, True]
    assert str(items[1]).startswith("batch.jsonl:2: malformed JSON")
    assert str(items[2]) == "batch.jsonl:3: no text"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.jsonl", b"", "empty file"),
        ("x.jsonl", b"\x00\x01\x02binary", "binary file"),
        ("x.txt", "عنوان".encode("cp1256") + b"\n", "not UTF-8"),
        ("x.csv", b"title,body\na,b\n", "no 'text' column"),
        ("x.pdf", b"%PDF", "unsupported file type"),
    ],
)
def test_bad_files_get_a_clear_message_naming_them(name, data, message):
    (err,) = list(read_bytes(name, data))
    assert isinstance(err, ReadError) and err.origin == name and message in err.message


def test_bom_and_csv_are_read():
    csv = ("\ufeffid,title,text,published\nc1,t,اشتباكات في عين زارة,2020-06-03\n").encode()
    (art,) = list(read_bytes("a.csv", csv))
    assert art.id == "c1" and art.published == dt.date(2020, 6, 3)


def test_reingest_is_a_noop_and_a_bad_line_does_not_lose_the_rest(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    conn = open_db(tmp_path / "m.db")
    first = ingest_paths([src], conn)
    assert (first.articles_new, first.claims_new, len(first.errors)) == (1, 1, 1)
    assert "in.jsonl:2" in first.errors[0]
    again = ingest_paths([src], conn)
    assert (again.articles_new, again.claims_new) == (0, 0)
    df = load_claims_frame(conn)
    assert len(df) == 1 and df.iloc[0]["place_id"] == "mihwar:tripoli_international_airport"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upload_with_a_bad_line_stores_nothing(tmp_path):
    conn = open_db(tmp_path / "m.db")
    bad = (json.dumps(GOOD, ensure_ascii=False) + "\n{oops\n").encode()
    report = ingest_upload("up.jsonl", bad, conn)
    assert not report.ok and report.articles_new == 0
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert ingest_upload("up.jsonl", json.dumps(GOOD, ensure_ascii=False).encode(), conn).articles_new == 1


@pytest.fixture()
def seeded(tmp_path):
    conn = open_db(tmp_path / "m.db")
    from pathlib import Path
    ingest_paths([Path(__file__).resolve().parent.parent / "seeds"], conn)
    return load_claims_frame(conn)


def test_geojson_is_rfc7946_and_round_trips_through_geopandas(seeded, tmp_path):
    fc = frame_to_geojson(seeded)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == len(seeded) > 5
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and 9 < lon < 26 and 19 < lat < 34.5
        p = f["properties"]
        assert p["claim"] in {"control", "repelled", "advance", "attack", "clash", "strike", "withdrawal"}
        assert p["side"] in {"GNA", "LNA", None} and p["claimed_by"] in {"GNA", "LNA", None}
        assert isinstance(p["confidence"], float) and isinstance(p["geo_precision"], int)
        dt.date.fromisoformat(p["date"])
    path = tmp_path / "claims.geojson"
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    assert "عين زارة" in path.read_text(encoding="utf-8")  # Arabic as text, not \u escapes
    gdf = gpd.read_file(path)
    assert len(gdf) == len(seeded) and gdf.crs.to_epsg() == 4326
    row = gdf[gdf["place_id"] == "mihwar:ain_zara"].iloc[0]
    assert row.geometry.x == pytest.approx(seeded[seeded.place_id == "mihwar:ain_zara"].iloc[0]["lon"])


def test_filters_by_side_type_date_and_place(seeded):
    lna = filter_frame(seeded, sides=["LNA"], claims=["repelled"])
    assert set(lna["place_id"]) >= {"mihwar:ain_zara", "mihwar:wadi_al_rabie"}
    assert filter_frame(seeded, start=dt.date(2020, 6, 4)).empty
    assert set(filter_frame(seeded, place="عين زارة")["place_id"]) == {"mihwar:ain_zara"}
    back = pd.read_csv(io.StringIO(frame_to_csv(lna)))
    assert len(back) == len(lna) and set(back["side"]) == {"LNA"}


def test_an_id_reused_for_another_text_is_reported_and_the_stored_one_kept(tmp_path):
    conn = open_db(tmp_path / "m.db")
    assert ingest_upload("a.jsonl", json.dumps(GOOD, ensure_ascii=False).encode(), conn).articles_new == 1
    other = dict(GOOD, text="اشتباكات في عين زارة.")
    report = ingest_upload("b.jsonl", json.dumps(other, ensure_ascii=False).encode(), conn)
    assert not report.ok and "already stored with a different text" in report.errors[0]
    assert conn.execute("SELECT text FROM articles WHERE id='a1'").fetchone()[0] == GOOD["text"]


def test_upload_failing_during_extraction_stores_nothing(tmp_path, monkeypatch):
    import pipeline.engine as engine_module

    real = engine_module.extract

    def flaky(article, matcher=None):
        if article.id == "a2":
            raise RuntimeError("boom")
        return real(article, matcher)

    monkeypatch.setattr(engine_module, "extract", flaky)
    conn = open_db(tmp_path / "m.db")
    lines = [dict(GOOD), dict(GOOD, id="a2"), dict(GOOD, id="a3")]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    report = ingest_upload("up.jsonl", data, conn)
    assert not report.ok and "boom" in report.errors[0]
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    batch = ingest_paths([_write(tmp_path / "in.jsonl", data)], conn)  # a batch goes on past the bad one
    assert batch.articles_new == 2 and len(batch.errors) == 1


def _write(path, data):
    path.write_bytes(data)
    return path


def test_line_separator_inside_a_json_string_keeps_the_article_whole():
    rec = dict(GOOD, text="اشتباكات في عين زارة\u2028واليرموك")
    (art,) = list(read_bytes("a.jsonl", json.dumps(rec, ensure_ascii=False).encode()))
    assert art.text.endswith("واليرموك")


def test_unterminated_csv_quote_is_an_error_not_a_swallowed_file():
    items = list(read_bytes("x.csv", b'id,text\n1,"unterminated\n2,abc\n'))
    assert any(isinstance(x, ReadError) and "x.csv" in str(x) for x in items)


def test_a_bad_manifest_is_reported_and_the_articles_still_read(tmp_path):
    (tmp_path / "manifest.csv").write_text("file,index\nseed.txt,one\n", encoding="utf-8")
    (tmp_path / "seed.txt").write_text("عنوان\nعنوان\n\nاشتباكات في عين زارة.\n", encoding="utf-8")
    from pipeline.readers import read_paths
    items = list(read_paths([tmp_path]))
    assert isinstance(items[0], ReadError) and "manifest" in str(items[0])
    assert items[1].title == "عنوان"


def test_a_lone_surrogate_in_an_id_loses_only_that_article(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"id": "\\ud800", "text": "اشتباكات في عين زارة"}\n' + json.dumps(GOOD, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    report = ingest_paths([src], open_db(tmp_path / "m.db"))
    assert report.articles_new == 1 and len(report.errors) == 1 and report.errors[0].startswith(f"{src}:1")


def test_a_file_that_disappears_mid_run_is_reported(tmp_path):
    from pipeline.readers import read_paths

    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for f in (first, second):
        f.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n", encoding="utf-8")
    stream = read_paths([tmp_path])
    assert not isinstance(next(stream), ReadError)
    second.unlink()
    (err,) = list(stream)
    assert isinstance(err, ReadError) and err.origin == str(second) and "disappeared" in err.message


def test_concurrent_style_reingest_reports_already_stored_not_errors(tmp_path):
    from gazetteer.matcher import default_matcher
    from pipeline.claims import extract
    from pipeline.readers import read_bytes as rb
    from pipeline.store import StoreOutcome, store_article

    conn = open_db(tmp_path / "m.db")
    (art,) = list(rb("a.jsonl", json.dumps(GOOD, ensure_ascii=False).encode()))
    analysis = extract(art, default_matcher())
    assert store_article(conn, analysis, default_matcher()) == (StoreOutcome.STORED, 1)
    assert store_article(conn, analysis, default_matcher()) == (StoreOutcome.ALREADY, 0)  # the race's loser


def test_two_workers_store_exactly_the_claims_of_one(tmp_path):
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    src = tmp_path / "more.jsonl"
    src.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n{bad\n", encoding="utf-8")
    one, two = open_db(tmp_path / "one.db"), open_db(tmp_path / "two.db")
    r1 = ingest_paths([seeds, src], one)
    r2 = ingest_paths([seeds, src], two, workers=2)
    assert (r1.articles_new, r1.claims_new, len(r1.errors)) == (r2.articles_new, r2.claims_new, len(r2.errors)) == (
        3, r1.claims_new, 1)
    query = "SELECT id, side, claim, date, evidence FROM claims ORDER BY id"
    assert one.execute(query).fetchall() == two.execute(query).fetchall()


def test_a_batch_stores_the_claims_of_single_transactions_and_a_failing_article_loses_only_itself(tmp_path,
                                                                                                     monkeypatch):
    from pathlib import Path

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    src = tmp_path / "more.jsonl"
    bad = dict(GOOD, id="breaks-in-store", text=GOOD["text"] + " ")
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (GOOD, bad)) + "\n", encoding="utf-8")
    fail_storing(monkeypatch, "breaks-in-store")
    one, many = open_db(tmp_path / "one.db"), open_db(tmp_path / "many.db")
    r1 = ingest_paths([seeds, src], one)
    rn = ingest_paths([seeds, src], many, batch=64)
    assert (r1.articles_new, len(r1.errors)) == (rn.articles_new, len(rn.errors)) == (3, 1)
    assert "breaks-in-store" not in {r[0] for r in many.execute("SELECT id FROM articles")}
    query = "SELECT id, side, claim, date, evidence FROM claims ORDER BY id"
    assert one.execute(query).fetchall() == many.execute(query).fetchall()

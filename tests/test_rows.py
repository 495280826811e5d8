"""The rows an analysed article is stored as: made once (in a worker, when there are workers), the same rows
whichever way the article is ingested."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from gazetteer.matcher import MATCHER_VERSION, default_matcher
from pipeline.claims import extract
from pipeline.frame import claim_values
from pipeline.ingest import ingest_paths
from pipeline.models import Article
from pipeline.rows import ARTICLE_ROW, CLAIM_ROW, MENTION_ROW, PLACE_ROW, article_rows
from pipeline.store import open_db, store_rows

GNA_TOOK_AIRPORT = "أعلنت قوات حكومة الوفاق الأربعاء السيطرة على مطار طرابلس العالمي جنوبي العاصمة."


def _analysis():
    art = Article(id="a1", title="t", text=GNA_TOOK_AIRPORT, published=dt.date(2020, 6, 3), source="wire",
                  origin="in.jsonl:1")
    return extract(art, default_matcher())


def test_an_article_becomes_its_row_and_the_rows_of_its_places_mentions_and_claims() -> None:
    analysis = _analysis()
    rows = article_rows(analysis, default_matcher())
    article = dict(zip(ARTICLE_ROW, rows.article, strict=True))
    assert article == {"id": "a1", "title": "t", "text": GNA_TOOK_AIRPORT, "published": "2020-06-03",
                       "source": "wire", "url": "", "lang": "", "origin": "in.jsonl:1",
                       "matcher_version": MATCHER_VERSION, "published_at": None}
    assert (rows.id, rows.text, rows.origin) == ("a1", GNA_TOOK_AIRPORT, "in.jsonl:1")
    claims = [dict(zip(CLAIM_ROW, r, strict=True)) for r in rows.claims]
    assert claims and all(c["side"] == "GNA" and c["claim"] == "control" and c["article_id"] == "a1" for c in claims)
    # the same values and ids as the claims frame gives them
    assert [{k: v for k, v in c.items() if k not in ("article_id", "matcher_version")} for c in claims] == [
        claim_values("a1", c) for c in analysis.claims]
    places = {dict(zip(PLACE_ROW, r, strict=True))["id"] for r in rows.places}
    assert {c["place_id"] for c in claims} <= places
    assert {dict(zip(MENTION_ROW, r, strict=True))["place_id"] for r in rows.mentions} <= places


def test_stored_rows_read_back_as_they_were_made(tmp_path: Path) -> None:
    rows = article_rows(_analysis(), default_matcher())
    conn = open_db(tmp_path / "m.db")
    store_rows(conn, rows)
    names = ", ".join(f'"{c}"' for c in CLAIM_ROW)
    assert sorted(conn.execute(f"SELECT {names} FROM claims").fetchall()) == sorted(rows.claims)
    names = ", ".join(f'"{c}"' for c in ARTICLE_ROW)
    assert conn.execute(f"SELECT {names} FROM articles").fetchall() == [rows.article]


def _every_row(conn) -> dict[str, list[tuple]]:
    """Every row of every table, every column but the time an article was stored."""
    out = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] != "ingested_at"]
        out[table] = sorted(conn.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"'))
    return out


def test_two_workers_store_every_row_one_worker_stores(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    src = tmp_path / "more.jsonl"
    src.write_text(json.dumps({"id": "x", "title": "t", "text": GNA_TOOK_AIRPORT}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    one, two = open_db(tmp_path / "one.db"), open_db(tmp_path / "two.db")
    ingest_paths([seeds, src], one, batch=2)
    ingest_paths([seeds, src], two, workers=2, batch=2)
    rows = _every_row(one)
    assert rows["claims"] and rows["mentions"] and rows["claim_months"]
    assert _every_row(two) == rows

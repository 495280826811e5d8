"""The rows an analysed article is stored as: made once (in a worker, when there are workers), the same rows
whichever way the article is ingested."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from gazetteer.matcher import MATCHER_VERSION, default_matcher
from pipeline.claims import extract
from pipeline.frame import claim_values
from pipeline.ingest import ingest_paths
from pipeline.models import Article
from pipeline.rows import ARTICLE_ROW, CLAIM_ROW, MENTION_ROW, PLACE_ROW, article_rows
from pipeline.store import StoreOutcome, open_db, store_batch, store_rows

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


def _rows(article_id: str, text: str = GNA_TOOK_AIRPORT):
    art = Article(id=article_id, title="t", text=text, published=dt.date(2020, 6, 3), origin=f"in.jsonl:{article_id}")
    return article_rows(extract(art, default_matcher()), default_matcher())


def test_a_batch_skips_the_places_stored_before_and_learns_only_what_it_committed(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """Places an ingest has stored are not inserted again; a place whose only article was rolled back is not
    taken as stored, so the next article naming it inserts it (its claims' place must exist)."""
    from tests.storefaults import fail_storing

    conn = open_db(tmp_path / "m.db")
    first, second = _rows("a1"), _rows("a2")
    airport = {p[0] for p in first.places}
    assert airport and airport == {p[0] for p in second.places}
    known: set[str] = set()
    fail_storing(monkeypatch, "a1")
    assert isinstance(store_batch(conn, [first], known)[0], KeyError)
    assert known == set()  # a1 rolled back: its places are not stored
    monkeypatch.undo()
    assert store_batch(conn, [second, _rows("a3")], known)[0] == (StoreOutcome.STORED, len(second.claims))
    assert known == airport
    stored = conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]
    inserted = []
    conn.set_trace_callback(lambda sql: inserted.append(sql) if "INTO places" in sql else None)
    assert store_batch(conn, [_rows("a4"), _rows("a5")], known)[0][0] is StoreOutcome.STORED
    conn.set_trace_callback(None)
    assert not inserted and conn.execute("SELECT COUNT(*) FROM places").fetchone()[0] == stored
    assert conn.execute("SELECT COUNT(*) FROM claims WHERE article_id IN ('a4', 'a5')").fetchone()[0] == 2 * len(
        second.claims)


def test_a_batch_the_store_rolls_back_leaves_the_known_places_as_they_were(tmp_path: Path, monkeypatch) -> None:
    import pipeline.store as store_mod

    conn = open_db(tmp_path / "m.db")
    known: set[str] = set()
    real = store_mod._insert_findings

    def disk_fails_on_a2(conn, rows, *args):
        if rows.id == "a2":
            raise sqlite3.OperationalError("disk I/O error")
        return real(conn, rows, *args)

    monkeypatch.setattr(store_mod, "_insert_findings", disk_fails_on_a2)
    with pytest.raises(sqlite3.OperationalError):
        store_batch(conn, [_rows("a1"), _rows("a2")], known)
    assert known == set() and conn.execute("SELECT COUNT(*) FROM places").fetchone()[0] == 0


def test_a_place_deleted_by_another_connection_is_inserted_again(tmp_path: Path) -> None:
    """A place this run stored and someone else removed since (with its only article) is not taken as
    stored for ever: the next article naming it stores it again, with its claims."""
    conn = open_db(tmp_path / "m.db")
    known: set[str] = set()
    assert store_batch(conn, [_rows("a1")], known)[0][0] is StoreOutcome.STORED
    other = open_db(tmp_path / "m.db")
    with other:
        for table in ("claims", "mentions"):
            other.execute(f"DELETE FROM {table} WHERE article_id = 'a1'")
        other.execute("DELETE FROM articles WHERE id = 'a1'")
        other.execute("DELETE FROM places")
    other.close()
    second = _rows("a2")
    assert store_batch(conn, [second], known) == [(StoreOutcome.STORED, len(second.claims))]
    assert {r[0] for r in conn.execute("SELECT id FROM places")} == {p[0] for p in second.places} == known

"""Hostile and careless input: an article that cannot be bounded is refused by name, the rest is stored."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline import bounds, store
from pipeline.ingest import ingest_paths, ingest_upload
from pipeline.sentences import MAX_SENTENCE_CHARS

GOOD = {"id": "good", "title": "t", "published": "2020-06-04",
        "text": "أعلنت قوات حكومة الوفاق الأربعاء السيطرة على مطار طرابلس العالمي جنوبي العاصمة."}
# One "sentence" naming places, longer than an article may be, with no paragraph or sentence end.
GIANT = {"id": "giant", "title": "t", "published": "2020-06-04",
         "text": "اشتباكات في " + "عين زارة، وادي الربيع، " * (bounds.MAX_ARTICLE_CHARS // 20)}
# Clauses without full stops, within the article limit: windowed, capped, stored.
CHAIN = {"id": "chain", "title": "t", "published": "2020-06-04",
         "text": "، ".join(["سيطرت قوات الوفاق على عين زارة", "صدت قوات حفتر هجوما على وادي الربيع",
                           "قصف مدفعي استهدف قصر بن غشير"] * 400)}


def _jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_an_unboundable_article_is_refused_by_name_and_the_next_is_stored(tmp_path: Path) -> None:
    conn = store.open_db(tmp_path / "m.db")
    report = ingest_paths([_jsonl(tmp_path / "in.jsonl", GIANT, GOOD)], conn)
    assert report.articles_new == 1
    assert len(report.errors) == 1 and "in.jsonl:1" in report.errors[0] and "characters" in report.errors[0]
    assert store.has_article(conn, "good") and not store.has_article(conn, "giant")


def test_a_long_clause_chain_is_stored_with_bounded_evidence_and_capped_claims(tmp_path: Path) -> None:
    conn = store.open_db(tmp_path / "m.db")
    report = ingest_paths([_jsonl(tmp_path / "in.jsonl", CHAIN)], conn)
    assert report.ok and report.articles_new == 1
    n, longest = conn.execute("SELECT COUNT(*), MAX(LENGTH(evidence)) FROM claims").fetchone()
    assert 0 < n <= bounds.MAX_CLAIMS_PER_ARTICLE
    assert longest <= MAX_SENTENCE_CHARS


def test_an_upload_with_an_unboundable_article_stores_nothing_and_says_why(tmp_path: Path) -> None:
    conn = store.open_db(tmp_path / "m.db")
    data = _jsonl(tmp_path / "up.jsonl", GOOD, GIANT).read_bytes()
    report = ingest_upload("up.jsonl", data, conn, isolate=True)
    assert not report.ok and "characters" in report.errors[0]
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    ok = ingest_upload("up.jsonl", _jsonl(tmp_path / "ok.jsonl", GOOD).read_bytes(), conn, isolate=True)
    assert ok.ok and ok.articles_new == 1 and ok.claims_new >= 1


def test_extract_reports_a_repeated_article_id_instead_of_repeating_claim_ids(tmp_path: Path) -> None:
    import subprocess
    import sys
    first = dict(GOOD, id="x")
    second = dict(GOOD, id="x", text="اشتباكات عنيفة في عين زارة ووادي الربيع.")
    src = _jsonl(tmp_path / "dup.jsonl", first, second)
    out = tmp_path / "out.geojson"
    run = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(src), "-o", str(out)],
                         cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and "dup.jsonl:2: id 'x' repeats" in run.stderr
    ids = [f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert ids and len(ids) == len(set(ids))

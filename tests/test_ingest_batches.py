"""Ingest commits in large batches (by article count or elapsed time) without changing what is stored: a bad
article is rolled back alone, readers see each committed batch, and the writer's settings are put back."""
from __future__ import annotations

import itertools
import json
import multiprocessing
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import engine
from pipeline.ingest import Batching, ingest_items, ingest_paths
from pipeline.readers import read_bytes
from pipeline.store import bulk_writes, open_db, open_db_readonly
from tests.storefaults import fail_storing

ROOT = Path(__file__).resolve().parent.parent
TEXT = "أعلنت قوات حكومة الوفاق الأربعاء السيطرة على مطار طرابلس العالمي جنوبي العاصمة."


def _jsonl(ids: list[str]) -> bytes:
    return "".join(json.dumps({"id": i, "title": "t", "published": "2020-06-03", "text": TEXT},
                              ensure_ascii=False) + "\n" for i in ids).encode()


def test_a_batch_is_stored_at_its_article_count_or_after_its_seconds():
    policy = Batching(articles=1000, seconds=15)
    assert not policy.full(999, started=0, now=14.9)
    assert policy.full(1000, started=0, now=0)
    assert policy.full(3, started=0, now=15)
    assert not policy.full(0, started=0, now=99)  # nothing to store
    assert Batching().full(1, started=0, now=0)  # the default: one article a transaction


def test_once_the_input_is_read_batches_shrink_so_the_last_store_is_short():
    """What is left is in the workers: storing it in small pieces overlaps their last work."""
    policy = Batching(articles=1000, seconds=15, tail=64)
    assert not policy.full(64, started=0, now=0)
    assert policy.full(64, started=0, now=0, input_read=True)
    assert not policy.full(63, started=0, now=0, input_read=True)
    assert Batching(articles=10, tail=64).full(10, started=0, now=0, input_read=True)


def test_two_workers_store_the_end_of_the_input_in_small_batches(tmp_path):
    """300 articles, batches of 1,000: the input is read at once (it fits the workers' window), so they are
    stored in pieces of 256 while the workers finish, and every article is stored."""
    db = tmp_path / "m.db"
    conn = open_db(db)
    reader = open_db_readonly(db)
    seen: list[int] = []
    report = ingest_items(read_bytes("in.jsonl", _jsonl([f"a{i}" for i in range(300)])), conn,
                          progress=lambda *_: seen.append(reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0]),
                          workers=2, batch=1000)
    assert report.articles_new == 300 and report.ok
    assert sorted(set(seen) - {0}) == [256]  # a first piece stored before the end, not one batch at the end
    assert reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 300


def test_readers_see_each_batch_once_its_seconds_have_passed(tmp_path):
    """Articles arrive one a (fake) second; batches of up to 1,000 are cut every 3 s, so a reader sees the
    store grow during the run, not only at its end."""
    db = tmp_path / "m.db"
    conn = open_db(db)
    reader = open_db_readonly(db)
    seen: list[int] = []
    ticks = itertools.count()
    report = ingest_items(read_bytes("in.jsonl", _jsonl([f"a{i}" for i in range(10)])), conn,
                          progress=lambda *_: seen.append(reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0]),
                          batch=1000, batch_seconds=3, clock=lambda: float(next(ticks)))
    assert report.articles_new == 10 and report.ok
    assert 0 < seen[len(seen) // 2] < 10  # half-way, some batches are committed and visible
    assert seen == sorted(seen)
    assert reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 10


def test_without_seconds_a_large_batch_is_one_transaction(tmp_path):
    db = tmp_path / "m.db"
    conn = open_db(db)
    reader = open_db_readonly(db)
    seen: list[int] = []
    ingest_items(read_bytes("in.jsonl", _jsonl([f"a{i}" for i in range(10)])), conn,
                 progress=lambda *_: seen.append(reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0]),
                 batch=1000)
    assert set(seen) == {0}  # nothing visible until the single commit at the end
    assert reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 10


def test_a_bad_article_in_a_large_batch_is_rolled_back_alone_and_reported(tmp_path, monkeypatch):
    fail_storing(monkeypatch, "bad")
    src = tmp_path / "in.jsonl"
    ids = [f"a{i}" for i in range(20)] + ["bad"] + [f"b{i}" for i in range(20)]
    src.write_bytes(_jsonl(ids))
    conn = open_db(tmp_path / "m.db")
    report = ingest_paths([src], conn, batch=1000)
    assert report.articles_new == 40 and len(report.errors) == 1 and "bad" in report.errors[0]
    stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
    assert stored == set(ids) - {"bad"}
    assert conn.execute("SELECT COUNT(*) FROM claims WHERE article_id = 'bad'").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 40  # one airport claim each


def test_a_second_run_skips_what_the_large_batches_stored(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl([f"a{i}" for i in range(12)]))
    conn = open_db(tmp_path / "m.db")
    first = ingest_paths([src], conn, batch=5)
    again = ingest_paths([src], conn, batch=1000)
    assert (first.articles_new, again.articles_seen, again.articles_new) == (12, 12, 0)


def test_bulk_writes_puts_the_connection_back_and_leaves_the_wal_copied(tmp_path):
    conn = open_db(tmp_path / "m.db")
    pragmas = ("cache_size", "wal_autocheckpoint", "temp_store", "journal_mode")
    before = {p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas}
    with bulk_writes(conn, cache_mb=64, checkpoint_pages=10_000):
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -64 * 1024
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 10_000
        with conn:
            conn.execute("INSERT INTO places (id, lat, lon) VALUES ('p', 32.9, 13.2)")
    assert {p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in pragmas} == before == {**before, "journal_mode": "wal"}
    busy, frames, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == copied  # every frame of the WAL is in the database file


def test_bulk_writes_restores_the_connection_when_the_store_fails(tmp_path):
    conn = open_db(tmp_path / "m.db")
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    with pytest.raises(sqlite3.OperationalError), bulk_writes(conn):
        raise sqlite3.OperationalError("database or disk is full")
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == before


def test_the_ingest_command_leaves_no_wal_behind(tmp_path):
    """The command closes its connection: the last one to close copies the WAL into the database and
    removes it, so the store is one file again after a run."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl(["a1", "a2", "a3"]))
    db = tmp_path / "m.db"
    run = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(src), "--db", str(db), "--workers", "1",
                          "-q"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert run.returncode == 0, run.stderr
    assert not Path(f"{db}-wal").exists()
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone() == (3,)


def test_an_ingest_stopped_by_the_user_keeps_the_articles_it_had_analysed(tmp_path):
    """Ctrl-C while the reader waits for more input (stdin, a feed): the three articles analysed so far are
    stored before the stop, though their batch of 1,000 was not full."""
    conn = open_db(tmp_path / "m.db")

    def stdin_then_ctrl_c():
        yield from read_bytes("-", _jsonl(["a1", "a2", "a3"]))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_items(stdin_then_ctrl_c(), conn, batch=1000)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    assert conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0] >= 3


def test_two_workers_stopped_by_the_user_hand_over_what_they_had_finished(tmp_path, monkeypatch):
    """Ctrl-C while the reader waits: the 32 articles the workers had already analysed are stored too."""
    finished = multiprocessing.get_context("fork").Value("i", 0)
    analyse = engine.analyse

    def counted(article, matcher=None):
        outcome = analyse(article, matcher)
        with finished.get_lock():
            finished.value += 1
        return outcome

    monkeypatch.setattr(engine, "analyse", counted)  # the forked workers run this one
    conn = open_db(tmp_path / "m.db")

    def stdin_then_ctrl_c():
        yield from read_bytes("-", _jsonl([f"a{i}" for i in range(32)]))
        deadline = time.monotonic() + 120
        while finished.value < 32 and time.monotonic() < deadline:
            time.sleep(0.05)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_items(stdin_then_ctrl_c(), conn, workers=2, batch=1000)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 32

"""The claim counts of schema 5 stay equal to a count of the claims through every write (ingest, reprocess,
a deleted article, an edited claim, a migration), and a date range cut into whole months and ragged ends
covers each day once."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from dashboard import queries as q
from dashboard.samples import make_claim, synthetic_claims
from dashboard.schema import normalize_claims
from pipeline.filters import Filters
from pipeline.ingest import ingest_paths
from pipeline.reprocess import reprocess
from pipeline.rollup import has_rollups, split_by_month
from pipeline.store import ROLLUP_KEYS, SCHEMA_VERSION, fill_rollups, open_db, open_db_readonly

ARTICLES = [
    {"id": "a1", "title": "t", "published": "2020-06-03", "source": "wire",
     "text": "أعلن قنونو، الأربعاء، السيطرة على مطار طرابلس العالمي."},
    {"id": "a2", "title": "t2", "published": "2020-05-30", "source": "wire",
     "text": "قوات الوفاق تصد هجوما على عين زارة. اشتباكات في وادي الربيع."},
]


def counts(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Each rollup table's rows, in key order."""
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY {', '.join(k)}").fetchall() for t, k in ROLLUP_KEYS.items()}


def recount(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """The rollup tables as a fresh count of the claims fills them (computed, then rolled back)."""
    conn.execute("SAVEPOINT recount")
    try:
        for t in ROLLUP_KEYS:
            conn.execute(f"DELETE FROM {t}")
        fill_rollups(conn)
        return counts(conn)
    finally:
        conn.execute("ROLLBACK TO recount")
        conn.execute("RELEASE recount")


@pytest.fixture
def store(tmp_path: Path) -> sqlite3.Connection:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    conn = open_db(tmp_path / "m.db")
    report = ingest_paths([src], conn)
    assert report.articles_new == 2 and report.claims_new >= 2
    yield conn
    conn.close()


def test_ingest_counts_each_claim_once(store):
    n = store.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    for table in ROLLUP_KEYS:
        assert store.execute(f"SELECT SUM(n) FROM {table}").fetchone()[0] == n
    assert counts(store) == recount(store)


def test_reprocess_a_deleted_article_and_an_edited_claim_keep_the_counts_exact(store):
    reprocess(store)
    assert counts(store) == recount(store)
    with store:
        store.execute("UPDATE claims SET side = NULL, date = '2019-04-30', confidence = NULL "
                      "WHERE rowid = (SELECT MIN(rowid) FROM claims)")
    assert counts(store) == recount(store)
    with store:
        store.execute("DELETE FROM articles WHERE id = 'a2'")  # its claims go by cascade
    assert counts(store) == recount(store)
    with store:
        store.execute("DELETE FROM articles")
    assert counts(store) == {t: [] for t in ROLLUP_KEYS}  # no count of zero is left behind


def version_4_store(path: Path) -> Path:
    """A store as schema 4 left it: two claims at Ain Zara, no count tables or triggers."""
    conn = open_db(path)
    conn.execute("DROP TRIGGER claims_counted")
    df = normalize_claims(pd.DataFrame([make_claim("x1", "ain_zara", "GNA", "control", "2020-05-20"),
                                        make_claim("x2", "ain_zara", None, "strike", None, confidence=None)]))
    with conn:
        conn.execute("INSERT INTO articles (id, title, text, ingested_at) VALUES ('art1', 't', 'x', '2026-01-01')")
        conn.execute("INSERT INTO places (id, lat, lon) VALUES ('ain_zara', 32.8, 13.2)")
        conn.executemany("INSERT INTO claims (id, article_id, place_id, claim, side, date, evidence, confidence) "
                         "VALUES (?, 'art1', ?, ?, ?, ?, 'e', ?)",
                         [(r.claim_id, r.place_id, r.claim, r.side, None if pd.isna(r.date) else str(r.date)[:10],
                           None if pd.isna(r.confidence) else r.confidence) for r in df.itertuples()])
    for t in ROLLUP_KEYS:
        conn.execute(f"DROP TABLE {t}")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    return path


def test_a_claim_replaced_in_place_is_counted_once(store):
    """INSERT OR REPLACE deletes the old row: its count goes with it, not only the new one's added."""
    with store:
        store.execute("INSERT OR REPLACE INTO claims SELECT * FROM claims WHERE rowid = (SELECT MIN(rowid) FROM claims)")
        store.execute("UPDATE claims SET side = 'LNA' WHERE rowid = (SELECT MAX(rowid) FROM claims)")
        row = store.execute("SELECT * FROM claims WHERE rowid = (SELECT MAX(rowid) FROM claims)").fetchone()
        cols = [r[1] for r in store.execute("PRAGMA table_info(claims)")]
        changed = list(row)
        changed[cols.index("claim")] = "strike" if row[cols.index("claim")] != "strike" else "attack"
        store.execute(f"INSERT OR REPLACE INTO claims VALUES ({', '.join('?' * len(row))})", changed)
    assert counts(store) == recount(store)


def test_a_version_4_store_is_counted_when_a_writer_opens_it(tmp_path):
    path = version_4_store(tmp_path / "v4.db")
    ro = open_db_readonly(path)  # the reader has the writer migrate it
    assert ro.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert has_rollups(ro)
    months = counts(ro)["claim_months"]
    assert [r[:5] for r in months] == [("ain_zara", "", "strike", "", ""), ("ain_zara", "GNA", "control", "2020-05", "")]
    assert months[0][5:] == (0.0, 1)  # no side, date or confidence: '' and 0, counted once
    assert q.place_summary(ro, Filters())["claims"].tolist() == [2]
    ro.close()


def test_an_interrupted_migration_leaves_the_store_as_it_was_and_the_next_writer_finishes_it(tmp_path, monkeypatch):
    path = version_4_store(tmp_path / "v4.db")

    def fail(conn: sqlite3.Connection) -> None:
        raise KeyboardInterrupt  # the user stops the upgrade while the counts are being filled

    monkeypatch.setattr("pipeline.store.fill_rollups", fail)
    with pytest.raises(KeyboardInterrupt):
        open_db(path)
    ro = sqlite3.connect(path)
    assert ro.execute("PRAGMA user_version").fetchone()[0] == 4
    assert ro.execute("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('claim_months', 'claim_days', "
                      "'claims_counted')").fetchone()[0] == 0  # no empty count tables, no half-made triggers
    assert ro.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 2
    assert q.place_summary(ro, Filters())["claims"].tolist() == [2]  # read from the claims meanwhile
    ro.close()
    monkeypatch.undo()
    conn = open_db(path)
    assert has_rollups(conn) and counts(conn) == recount(conn)
    conn.close()


def test_count_tables_of_a_store_still_at_version_4_are_not_trusted(tmp_path):
    path = version_4_store(tmp_path / "v4.db")
    conn = sqlite3.connect(path)
    for statement in ("CREATE TABLE claim_months (n INTEGER)", "CREATE TABLE claim_days (n INTEGER)"):
        conn.execute(statement)  # as a migration in progress would look to a reader that cannot see its version
    conn.commit()
    assert not has_rollups(conn)
    assert q.place_summary(conn, Filters())["claims"].tolist() == [2]
    conn.close()


def test_without_the_counts_the_summary_and_timeline_are_the_same(tmp_path):
    """A store a reader could not migrate (no counts) answers from the claims, with the same figures."""
    df = synthetic_claims(300, seed=5, n_places=9)
    path = tmp_path / "s.db"
    conn = open_db(path)
    with conn:
        conn.executemany("INSERT OR IGNORE INTO articles (id, title, text, ingested_at) VALUES (?, 't', 'x', 'now')",
                         [(a,) for a in df["article_id"].unique()])
        conn.executemany("INSERT OR IGNORE INTO places (id, name, name_ar, lat, lon) VALUES (?,?,?,?,?)",
                         [(r.place_id, r.place, r.place_ar, r.lat, r.lon) for r in df.itertuples()])
        conn.executemany("INSERT INTO claims (id, article_id, place_id, claim, side, claimed_by, date, evidence, "
                         "confidence) VALUES (?,?,?,?,?,?,?,'e',?)", [
            (r.claim_id, r.article_id, r.place_id, r.claim, r.side, r.claimed_by,
             None if pd.isna(r.date) else pd.Timestamp(r.date).date().isoformat(), r.confidence)
            for r in df.itertuples()])
    filters = [Filters(), Filters(date_from=dt.date(2019, 7, 12), date_to=dt.date(2020, 3, 3)),
               Filters(date_from=dt.date(2019, 8, 2), date_to=dt.date(2019, 8, 20), sides=frozenset({"none"})),
               Filters(date_to=dt.date(2019, 12, 31), include_undated=True, min_confidence=0.7)]
    with_counts = [(q.place_summary(conn, f), q.claims_per_day(conn, f)) for f in filters]
    for t in ROLLUP_KEYS:
        conn.execute(f"DROP TABLE {t}")
    assert not has_rollups(conn)
    for f, (summary, per_day) in zip(filters, with_counts, strict=True):
        pd.testing.assert_frame_equal(q.place_summary(conn, f), summary)
        pd.testing.assert_frame_equal(q.claims_per_day(conn, f), per_day)
    conn.close()


CALENDAR = [dt.date(2018, 12, 1) + dt.timedelta(days=i) for i in range(31 + 366 + 365 + 31)]  # to 2021-01-31


def coverage(conn: sqlite3.Connection, f: Filters) -> dict[dt.date, int]:
    """How many times a split counts each day: once for a month read whole, +1 or -1 for a day range."""
    split = split_by_month(conn, f)
    assert split is not None
    months = {r[0] for r in conn.execute(
        "WITH m(month) AS (SELECT value FROM json_each(?)) SELECT month FROM m c WHERE " + split.months.sql,
        (json.dumps(sorted({d.isoformat()[:7] for d in CALENDAR})), *split.months.params))}
    times = {d: int(d.isoformat()[:7] in months) for d in CALENDAR}
    for days, sign in split.days:
        assert days.date_from is not None and days.date_to is not None and not days.include_undated
        for d in CALENDAR:
            if days.date_from <= d <= days.date_to:
                times[d] += sign
    return times


@pytest.mark.parametrize(("lo", "hi"), [
    ("2019-05-15", "2019-08-02"), ("2019-05-02", "2020-05-30"), ("2019-05-29", "2019-06-02"),
    ("2020-02-01", "2020-02-29"), ("2020-05-03", "2020-05-20"), ("2020-05-02", "2020-05-30"),
    ("2020-05-31", "2020-06-01"), ("2019-12-31", "2020-01-01"), ("2019-03-29", "2020-06-30"),
    (None, "2019-02-10"), (None, "2019-02-27"), ("2019-02-27", None), ("2019-02-02", None), ("2020-03-01", None),
    ("2020-05-20", "2020-03-10"),
])
def test_a_split_counts_each_day_of_the_range_once_and_no_other(lo, hi):
    lo, hi = (None if v is None else dt.date.fromisoformat(v) for v in (lo, hi))
    conn = sqlite3.connect(":memory:")
    times = coverage(conn, Filters(date_from=lo, date_to=hi))
    want = {d: int((lo is None or d >= lo) and (hi is None or d <= hi)) for d in CALENDAR}
    assert times == want


def test_a_partial_month_is_read_as_the_fewer_days():
    conn = sqlite3.connect(":memory:")
    few = split_by_month(conn, Filters(date_from=dt.date(2019, 5, 28), date_to=dt.date(2019, 8, 3)))
    assert [(d.date_from.day, d.date_to.day, sign) for d, sign in few.days] == [(28, 31, 1), (1, 3, 1)]
    most = split_by_month(conn, Filters(date_from=dt.date(2019, 5, 3), date_to=dt.date(2019, 8, 29)))
    assert [(d.date_from.day, d.date_to.day, sign) for d, sign in most.days] == [(1, 2, -1), (30, 31, -1)]


def test_undated_claims_come_from_the_counts_only_when_the_filter_lets_them_in():
    conn = sqlite3.connect(":memory:")
    undated = "SELECT 1 FROM (SELECT '' AS month) c WHERE "
    keep = split_by_month(conn, Filters(date_from=dt.date(2020, 5, 3), include_undated=True))
    drop = split_by_month(conn, Filters(date_from=dt.date(2020, 5, 3)))
    every = split_by_month(conn, Filters())
    assert conn.execute(undated + keep.months.sql, keep.months.params).fetchone() == (1,)
    assert conn.execute(undated + drop.months.sql, drop.months.params).fetchone() is None
    assert conn.execute(undated + every.months.sql, every.months.params).fetchone() == (1,)


def test_a_place_whose_claims_are_all_in_days_taken_away_is_not_listed(tmp_path):
    conn = open_db(tmp_path / "p.db")
    with conn:
        conn.execute("INSERT INTO articles (id, title, text, ingested_at) VALUES ('a', 't', 'x', 'now')")
        conn.executemany("INSERT INTO places (id, name, lat, lon) VALUES (?, ?, 32.8, 13.2)",
                         [("early", "Early"), ("mid", "Mid")])
        conn.executemany("INSERT INTO claims (id, article_id, place_id, claim, side, date, evidence) "
                         "VALUES (?, 'a', ?, 'clash', 'GNA', ?, 'e')",
                         [("c1", "early", "2020-05-01"), ("c2", "mid", "2020-05-10"), ("c3", "mid", "2020-05-31")])
    f = Filters(date_from=dt.date(2020, 5, 3), date_to=dt.date(2020, 5, 30))  # May read whole, less 1-2 and 31
    assert [sign for _d, sign in split_by_month(conn, f).days] == [-1, -1]
    summary = q.place_summary(conn, f)
    assert summary[["place_id", "claims", "GNA"]].values.tolist() == [["mid", 1, 1]]
    conn.close()

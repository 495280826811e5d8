"""The embedded SQLite store of articles, place mentions and claims (WAL mode, versioned schema)."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer.matcher import MATCHER_VERSION, Matcher
from pipeline.claims import ArticleAnalysis
from pipeline.frame import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_FIELDS,
    PLACE_COLUMNS,
    claim_id,
    finish_frame,
)
from pipeline.models import Article
from pipeline.published import TimedArticle
from pipeline.regions import admin1_of
from pipeline.rows import ARTICLE_ROW, CLAIM_ROW, MENTION_ROW, PLACE_ROW, ArticleRows, article_rows

if TYPE_CHECKING:  # pandas is imported where a frame is read: `mihwar ingest` starts without it
    import pandas as pd

__all__ = [
    "CLAIM_COLUMNS",
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "StoreOutcome",
    "bulk_writes",
    "claim_id",
    "db_path",
    "has_article",
    "load_claims_frame",
    "open_db",
    "open_db_readonly",
    "store_analyses",
    "store_analysis",
    "store_batch",
    "store_rows",
    "stored_text",
]

DEFAULT_DB = "data/mihwar.db"
SCHEMA_VERSION = 5
LOCK_SECONDS = 30  # how long a writer waits for another's lock before giving up
BULK_CACHE_MB = 256  # page cache of a bulk writer: a batch's dirty index pages stay in it until the commit
BULK_CHECKPOINT_PAGES = 65_536  # WAL pages (256 MB at 4 KB) a bulk writer lets grow before a checkpoint

_CLAIM_COLUMNS_SQL = ",\n    ".join(f'"{f.name}" {f.sql}' for f in CLAIM_FIELDS)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, published TEXT, source TEXT,
    url TEXT, lang TEXT, origin TEXT, matcher_version TEXT, ingested_at TEXT NOT NULL, published_at TEXT
);
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY, name TEXT, name_ar TEXT, lat REAL NOT NULL, lon REAL NOT NULL, kind TEXT,
    geo_precision INTEGER, admin1 TEXT
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, surface TEXT NOT NULL, place_id TEXT NOT NULL REFERENCES places(id),
    score REAL, how TEXT, PRIMARY KEY (article_id, start, "end")
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    {_CLAIM_COLUMNS_SQL},
    matcher_version TEXT
);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
"""
# The dashboard's queries (pipeline.queries, dashboard.queries) read these covering indexes, which hold every
# column a filter reads, and touch the claims table only for the rows they show: by date (timeline, the
# table's newest rows, date ranges), by place and date (a place's latest claims, the control view) and by
# place, side and claim type (per-place counts, grouped in index order without sorting). Schema version 4.
INDEXES = """
CREATE INDEX IF NOT EXISTS claims_by_date ON claims(date, side, claimed_by, claim, confidence, place_id);
CREATE INDEX IF NOT EXISTS claims_by_place ON claims(place_id, date, side, claimed_by, claim, confidence);
CREATE INDEX IF NOT EXISTS claims_by_kind ON claims(place_id, side, claim, date, claimed_by, confidence);
"""

# Claim counts the dashboard reads instead of the claims (schema version 5), kept exact by triggers in the
# transaction that inserts, deletes or updates a claim (ingest, reprocess, an article's cascade): per place,
# month, side, claim type, claimed-by and confidence (claim_months: whole months of the per-place counts) and
# per day, side, claimed-by, claim type and confidence (claim_days: the timeline). A key holds every value a
# filter tests, so a count answers the filter exactly; an absent side, claimed-by, date or confidence is kept
# as '' ('' for the month too) or 0, which the filters read as they read NULL ("none", undated, 0). Event
# dates are ISO days (frame.claim_values), so a month is the first 7 characters.
ROLLUP_KEYS = {
    "claim_months": ("place_id", "side", "claim", "month", "claimed_by", "confidence"),
    "claim_days": ("date", "side", "claimed_by", "claim", "confidence"),
}
_ROLLUP_VALUES = {"place_id": "{r}.place_id", "side": "COALESCE({r}.side, '')", "claim": "{r}.claim",
                  "month": "COALESCE(substr({r}.date, 1, 7), '')", "date": "COALESCE({r}.date, '')",
                  "claimed_by": "COALESCE({r}.claimed_by, '')", "confidence": "COALESCE({r}.confidence, 0)"}
_ROLLUP_TYPES = {"confidence": "REAL"}


def _rollup_statements() -> tuple[str, ...]:
    """The rollup tables and the triggers that keep them (ROLLUP_KEYS), one statement each."""
    out = []
    add, remove = [], []
    for table, keys in ROLLUP_KEYS.items():
        cols = ", ".join(f"{k} {_ROLLUP_TYPES.get(k, 'TEXT')} NOT NULL" for k in keys)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} ({cols}, n INTEGER NOT NULL, "
                   f"PRIMARY KEY ({', '.join(keys)})) WITHOUT ROWID")
        new = ", ".join(_ROLLUP_VALUES[k].format(r="new") for k in keys)
        add.append(f"INSERT INTO {table} VALUES ({new}, 1) ON CONFLICT DO UPDATE SET n = n + 1;")
        match = " AND ".join(f"{k} = {_ROLLUP_VALUES[k].format(r='old')}" for k in keys)
        remove.append(f"UPDATE {table} SET n = n - 1 WHERE {match}; DELETE FROM {table} WHERE {match} AND n <= 0;")
    watched = ", ".join(sorted({"place_id", "side", "claim", "date", "claimed_by", "confidence"}))
    out.append(f"CREATE TRIGGER IF NOT EXISTS claims_counted AFTER INSERT ON claims BEGIN {' '.join(add)} END")
    out.append(f"CREATE TRIGGER IF NOT EXISTS claims_uncounted AFTER DELETE ON claims BEGIN {' '.join(remove)} END")
    out.append(f"CREATE TRIGGER IF NOT EXISTS claims_recounted AFTER UPDATE OF {watched} ON claims BEGIN "
               f"{' '.join(remove)} {' '.join(add)} END")
    return tuple(out)


ROLLUPS = _rollup_statements()


def fill_rollups(conn: sqlite3.Connection) -> None:
    """Counts the stored claims into the (empty) rollup tables."""
    for table, keys in ROLLUP_KEYS.items():
        values = ", ".join(_ROLLUP_VALUES[k].format(r="c") for k in keys)
        conn.execute(f"INSERT INTO {table} SELECT {values}, COUNT(*) FROM claims c GROUP BY {values}")


class StoreOutcome(StrEnum):
    """What storing one article did."""

    STORED = "stored"
    ALREADY = "already stored"
    CONFLICT = "id taken by another text"


def db_path(value: str | os.PathLike | None = None) -> Path:
    """The database file: the value given, else $MIHWAR_DB, else data/mihwar.db."""
    return Path(value or os.environ.get("MIHWAR_DB") or DEFAULT_DB)


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


def _add_columns(conn: sqlite3.Connection, table: str, columns: dict[str, str]) -> None:
    """Adds the columns a table lacks (ALTER TABLE ... ADD COLUMN; constraints dropped, as SQLite wants)."""
    have = _columns(conn, table)
    for name, sql in columns.items():
        if name not in have:
            kind = sql.split()[0]
            conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {kind}')


def _migrate_1(conn: sqlite3.Connection) -> None:
    """Version 1: the tables as first released (created by SCHEMA when missing)."""


def _migrate_2(conn: sqlite3.Connection) -> None:
    """Version 2: articles.published_at (time and zone as given), places.admin1 (filled from the regions)."""
    _add_columns(conn, "articles", {"published_at": "TEXT"})
    _add_columns(conn, "places", {"admin1": "TEXT"})
    rows = conn.execute("SELECT id, lat, lon FROM places WHERE admin1 IS NULL OR admin1 = ''").fetchall()
    conn.executemany("UPDATE places SET admin1 = ? WHERE id = ?",
                     [(admin1_of(lat, lon), pid) for pid, lat, lon in rows])


def _migrate_3(conn: sqlite3.Connection) -> None:
    """Version 3: claims.why, the kind of evidence for the claim's side (empty for claims stored before)."""
    _add_columns(conn, "claims", {"why": "TEXT"})


def _migrate_4(conn: sqlite3.Connection) -> None:
    """Version 4: the dashboard's covering indexes (INDEXES); the narrow date and place indexes they replace
    are dropped. On a database of millions of claims this takes a while, once, by the first writer."""
    conn.execute("DROP INDEX IF EXISTS claims_date")
    conn.execute("DROP INDEX IF EXISTS claims_place")
    for statement in INDEXES.strip().splitlines():
        conn.execute(statement)


def _migrate_5(conn: sqlite3.Connection) -> None:
    """Version 5: the claim counts (ROLLUPS: tables and the triggers that keep them), filled from the claims."""
    for statement in ("claims_counted", "claims_uncounted", "claims_recounted"):
        conn.execute(f"DROP TRIGGER IF EXISTS {statement}")
    for table in ROLLUP_KEYS:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in ROLLUPS:
        conn.execute(statement)
    fill_rollups(conn)


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _migrate_1, _migrate_2, _migrate_3, _migrate_4, _migrate_5)
assert len(MIGRATIONS) == SCHEMA_VERSION


def migrate(conn: sqlite3.Connection) -> int:
    """Brings the schema to SCHEMA_VERSION (PRAGMA user_version); the version found before."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"database schema version {found} is newer than this Mihwar's "
                                    f"({SCHEMA_VERSION}); upgrade Mihwar")
    if found == SCHEMA_VERSION and {f.name for f in CLAIM_FIELDS} <= _columns(conn, "claims"):
        return found  # up to date: nothing is written
    # One transaction, taken before the version is read again: DDL is transactional in SQLite, so a reader
    # sees the store before or after the whole migration (never empty count tables at the old version),
    # an interrupted migration leaves nothing behind, and a second writer migrating at once finds the work done.
    conn.commit()
    level = conn.isolation_level
    conn.isolation_level = None  # the sqlite3 module would commit around some statements on its own
    try:
        conn.execute("BEGIN IMMEDIATE")  # a lock it cannot get is raised as "database is locked"
        try:
            found = _migrate_in_transaction(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite may already have rolled back (a full disk, an I/O error)
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.isolation_level = level
    return found


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a script, one at a time (executescript would commit the transaction first)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _migrate_in_transaction(conn: sqlite3.Connection) -> int:
    """The migrations from the version found now (another writer may have run them meanwhile)."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"database schema version {found} is newer than this Mihwar's "
                                    f"({SCHEMA_VERSION}); upgrade Mihwar")
    for statement in _statements(SCHEMA):
        conn.execute(statement)
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](conn)
    _add_columns(conn, "claims", {f.name: f.sql for f in CLAIM_FIELDS})  # a column added to CLAIM_FIELDS
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return found


def open_db(path: str | os.PathLike | None = None, *, wait: float = LOCK_SECONDS) -> sqlite3.Connection:
    """A connection to the store (path, else $MIHWAR_DB, else data/mihwar.db), created or migrated, in WAL mode.

    Two processes opening a new store at once race to switch it to WAL and create the schema; SQLite
    answers the loser "database is locked" at once, without its busy wait, so opening is retried for up
    to `wait` seconds (LOCK_SECONDS), which is also how long a locked store is waited for.
    """
    path = Path(path) if path is not None else db_path()
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        conn = sqlite3.connect(str(path), timeout=wait, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last commits
            conn.execute("PRAGMA foreign_keys=ON")
            # the row an INSERT OR REPLACE deletes fires the delete triggers too, so the counts stay exact
            conn.execute("PRAGMA recursive_triggers=ON")
            migrate(conn)
            # The journal of a statement and of an article's savepoint (every claim insert has one: the count
            # triggers make it a multi-row write) stays in memory instead of spilling to a temporary file
            # (which measured as half again the bytes an ingest writes); it holds at most an article's pages.
            conn.execute("PRAGMA temp_store=MEMORY")
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.02, 0.2))
        except BaseException:
            conn.close()
            raise


@contextlib.contextmanager
def bulk_writes(conn: sqlite3.Connection, cache_mb: int = BULK_CACHE_MB,
                checkpoint_pages: int = BULK_CHECKPOINT_PAGES) -> Iterator[sqlite3.Connection]:
    """A writer connection set for a long ingest, restored afterwards (WAL kept: readers go on as before).

    A large page cache keeps a batch's dirty pages in memory until its commit, instead of spilling them to
    the WAL mid-transaction (statement and savepoint journals are in memory on every store connection:
    open_db); and the WAL grows to `checkpoint_pages` before it is copied into the database, so a page written by many
    batches is copied once. At the end the WAL is checkpointed (passively: readers are not waited for).
    With the dashboard's covering indexes every claim lands on a random leaf page of each index, and a
    checkpoint's scattered pages each dirty a whole page-cache folio (the kernel counts it all as written):
    the default 2 MB cache and 1,000-page checkpoints wrote 2.6 MB an article into a store of 200,000.
    """
    names = ("cache_size", "wal_autocheckpoint")
    before = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
    conn.execute(f"PRAGMA cache_size = {-int(cache_mb) * 1024}")
    conn.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
    try:
        yield conn
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        with contextlib.suppress(sqlite3.Error):
            for name, value in before.items():
                conn.execute(f"PRAGMA {name} = {int(value)}")


READER_WAIT_SECONDS = 1.0  # how long a reader waits for the lock to bring an older store up to date
_NOT_UPGRADED: set[tuple[str, int]] = set()  # (store, its mtime) a reader could not migrate: not retried


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30, check_same_thread=False)


def needs_migration(path: str | os.PathLike) -> bool:
    """True when the store at `path` exists and has an older schema than this Mihwar's."""
    path = Path(path)
    if not path.exists():
        return False
    conn = _connect_readonly(path)
    try:
        return schema_version(conn) < SCHEMA_VERSION
    finally:
        conn.close()


def upgrade(path: str | os.PathLike, *, wait: float = READER_WAIT_SECONDS) -> bool:
    """Migrates the store at `path` to SCHEMA_VERSION, waiting at most `wait` seconds for the lock; False
    when it cannot be written now (locked by a writer, a read-only file), which is then not retried until
    the file changes."""
    path = Path(path)
    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
    except OSError:
        key = (str(path), 0)
    if key in _NOT_UPGRADED:
        return False
    try:
        open_db(path, wait=wait).close()
    except sqlite3.OperationalError:
        _NOT_UPGRADED.add(key)
        return False
    return True


def open_db_readonly(path: str | os.PathLike | None = None) -> sqlite3.Connection:
    """A read-only connection for readers (export, the dashboard); an older schema is migrated first.

    Migrating takes a writer and is waited for at most READER_WAIT_SECONDS: a store this reader cannot write
    now that lacks only version 4's indexes is read as it is (the queries give the same answers without
    them, more slowly); an older one cannot be read.
    """
    path = Path(path) if path is not None else db_path()
    conn = _connect_readonly(path)
    found = schema_version(conn)
    if found < SCHEMA_VERSION:
        conn.close()
        if not upgrade(path) and found < 3:
            raise sqlite3.OperationalError(
                f"{path.name}: schema version {found} must be migrated and the store cannot be written now")
        conn = _connect_readonly(path)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version of an open store."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def has_article(conn: sqlite3.Connection, article_id: str) -> bool:
    """True when the article is already stored."""
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def stored_text(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The stored text of an article, or None when it is not stored."""
    row = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def store_analysis(conn: sqlite3.Connection, analysis: ArticleAnalysis, matcher: Matcher) -> int:
    """Stores one analysed article with its mentions and claims (no-op if stored); the number of new claims."""
    return store_article(conn, analysis, matcher)[1]


def store_article(conn: sqlite3.Connection, analysis: ArticleAnalysis, matcher: Matcher
                  ) -> tuple[StoreOutcome, int]:
    """Stores one analysed article in one transaction (INSERT ... ON CONFLICT DO NOTHING, outcome read back)."""
    return store_rows(conn, article_rows(analysis, matcher))


def store_rows(conn: sqlite3.Connection, rows: ArticleRows) -> tuple[StoreOutcome, int]:
    """Stores one article's rows (pipeline.rows) in one transaction; what it did and the number of new claims."""
    with conn:
        return _insert(conn, rows)


def store_batch(conn: sqlite3.Connection, batch: list[ArticleRows], stored_places: set[str] | None = None
                ) -> list[tuple[StoreOutcome, int] | Exception]:
    """Stores articles' rows (pipeline.rows) in one transaction, each article under its own savepoint.

    An article that fails is rolled back alone and its exception stands in its place in the result;
    an error of the store itself (disk full, I/O, lock, a damaged file) rolls back the batch and is raised.
    stored_places: ids of places known to be in the store; their rows are not inserted again, and the ids of
    the places this batch committed are added to it. An article whose rows break a constraint while some of
    its places were skipped is tried once more with all of them (another connection may have deleted one),
    and those ids are forgotten.
    """
    results: list[tuple[StoreOutcome, int] | Exception] = []
    known = stored_places if stored_places is not None else set()
    added: set[str] = set()  # places of this batch's stored articles: in the store once the batch commits
    conn.execute("BEGIN")
    try:
        for rows in batch:
            conn.execute("SAVEPOINT article")
            try:
                try:
                    results.append(_insert(conn, rows, known, added))
                except sqlite3.IntegrityError:
                    skipped = {p[0] for p in rows.places} & known
                    if not skipped:
                        raise
                    conn.execute("ROLLBACK TO article")  # a skipped place may be gone: all of them, once more
                    known -= skipped
                    results.append(_insert(conn, rows, known, added))
                if results[-1][0] is StoreOutcome.STORED:  # type: ignore[index]
                    added.update(p[0] for p in rows.places)
            except sqlite3.IntegrityError as exc:  # this article's data: rolled back alone
                conn.execute("ROLLBACK TO article")
                results.append(exc)
            except sqlite3.DatabaseError:  # the store itself (disk, lock, damage): the batch fails
                raise
            except Exception as exc:
                conn.execute("ROLLBACK TO article")
                results.append(exc)
            conn.execute("RELEASE article")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    known |= added
    return results


def store_analyses(conn: sqlite3.Connection, analyses: list[ArticleAnalysis], matcher: Matcher) -> int:
    """Stores several analysed articles in one transaction (all or none); the number of new claims."""
    with conn:
        return sum(_insert(conn, article_rows(an, matcher))[1] for an in analyses)


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join('"' + n + '"' for n in names)


def _values(n: int) -> str:
    return "(" + ",".join("?" * n) + ")"


_INSERT_ARTICLE = (f"INSERT INTO articles ({_quoted(ARTICLE_ROW)}, ingested_at) VALUES {_values(len(ARTICLE_ROW) + 1)} "
                   "ON CONFLICT(id) DO NOTHING")
_INSERT_PLACE = f"INSERT INTO places ({_quoted(PLACE_ROW)}) VALUES {_values(len(PLACE_ROW))} "
_INSERT_MENTION = (f"INSERT INTO mentions ({_quoted(MENTION_ROW)}) VALUES {_values(len(MENTION_ROW))} "
                   "ON CONFLICT DO NOTHING")
_INSERT_CLAIM = f"INSERT INTO claims ({_quoted(CLAIM_ROW)}) VALUES {_values(len(CLAIM_ROW))} ON CONFLICT(id) DO NOTHING"


def _insert(conn: sqlite3.Connection, rows: ArticleRows, *stored_places: AbstractSet[str]) -> tuple[StoreOutcome, int]:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    cur = conn.execute(_INSERT_ARTICLE, (*rows.article, now))
    if cur.rowcount == 0:
        same = stored_text(conn, rows.id) == rows.text
        return (StoreOutcome.ALREADY if same else StoreOutcome.CONFLICT), 0
    return StoreOutcome.STORED, _insert_findings(conn, rows, False, *stored_places)


def _insert_findings(conn: sqlite3.Connection, rows: ArticleRows, update_places: bool = False,
                     *stored_places: AbstractSet[str]) -> int:
    """Inserts the places, mentions and claims of an article's rows; the number of new claims.

    update_places: stored place records take the rows' name, point and region (reprocess after a
    gazetteer change); otherwise a stored place is left as it is. stored_places: ids of places already in
    the store (in this transaction or before it), whose rows are not inserted again.
    """
    places = [p for p in rows.places if not any(p[0] in ids for ids in stored_places)] if stored_places else rows.places
    conn.executemany(_INSERT_PLACE + (_PLACE_UPSERT if update_places else "ON CONFLICT(id) DO NOTHING"), places)
    conn.executemany(_INSERT_MENTION, rows.mentions)
    cur = conn.executemany(_INSERT_CLAIM, rows.claims)
    return max(cur.rowcount, 0) if rows.claims else 0  # rows the statement inserted (not the counts its trigger wrote)


_PLACE_UPSERT = ("ON CONFLICT(id) DO UPDATE SET name = excluded.name, name_ar = excluded.name_ar, lat = excluded.lat, "
                 "lon = excluded.lon, kind = excluded.kind, geo_precision = excluded.geo_precision, "
                 "admin1 = excluded.admin1")


def replace_findings(conn: sqlite3.Connection, analysis: ArticleAnalysis, matcher: Matcher) -> None:
    """Replaces an article's mentions and claims by these, in one transaction (the old stay if it fails)."""
    art = analysis.article
    with conn:
        conn.execute("DELETE FROM claims WHERE article_id = ?", (art.id,))
        conn.execute("DELETE FROM mentions WHERE article_id = ?", (art.id,))
        _insert_findings(conn, article_rows(analysis, matcher), update_places=True)
        conn.execute("UPDATE articles SET matcher_version = ? WHERE id = ?", (MATCHER_VERSION, art.id))


def claim_sides(conn: sqlite3.Connection, article_id: str) -> dict[str, tuple[str, str | None]]:
    """The stored claims of an article: id -> (place|claim|date key, side)."""
    rows = conn.execute("SELECT id, place_id, claim, date, side FROM claims WHERE article_id = ?", (article_id,))
    return {cid: (f"{pid}|{kind}|{date or '-'}", side) for cid, pid, kind, date, side in rows}


def article_ids(conn: sqlite3.Connection) -> list[str]:
    """The ids of every stored article, in storage order."""
    return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY rowid")]


def stored_article(conn: sqlite3.Connection, aid: str) -> Article | None:
    """A stored article as it was read (its publication time kept), or None."""
    row = conn.execute("SELECT id, title, text, published, source, url, lang, origin, published_at "
                       "FROM articles WHERE id = ?", (aid,)).fetchone()
    if row is None:
        return None
    published = dt.date.fromisoformat(row[3][:10]) if row[3] else None
    return TimedArticle(id=row[0], title=row[1], text=row[2], published=published, source=row[4] or "",
                        url=row[5] or "", lang=row[6] or "", origin=row[7] or "", published_at=row[8] or "")


def iter_articles(conn: sqlite3.Connection) -> Iterator[Article]:
    """Every stored article, one at a time."""
    for aid in article_ids(conn):
        art = stored_article(conn, aid)
        if art is not None:
            yield art


def load_claims_frame(conn: sqlite3.Connection) -> pd.DataFrame:
    """All stored claims with their place and article, one row a claim (columns CLAIM_COLUMNS)."""
    import pandas as pd

    with sqlite_errors():
        return finish_frame(pd.read_sql_query(_claims_query(), conn))


def iter_claims_frames(conn: sqlite3.Connection, rows: int = 20_000) -> Iterator[pd.DataFrame]:
    """The stored claims as frames of at most `rows` rows, in the order of load_claims_frame (bounded memory)."""
    import pandas as pd

    with sqlite_errors():
        for chunk in pd.read_sql_query(_claims_query(), conn, chunksize=rows):
            yield finish_frame(chunk)


@contextlib.contextmanager
def sqlite_errors() -> Iterator[None]:
    """Re-raise the sqlite3 error that pandas wraps (a damaged or locked store), so callers catch one kind."""
    import pandas as pd

    try:
        yield
    except pd.errors.DatabaseError as exc:
        if isinstance(exc.__cause__, sqlite3.DatabaseError):
            raise exc.__cause__ from None
        raise sqlite3.DatabaseError(str(exc)) from None


CLAIMS_FROM = "FROM claims c JOIN places p ON p.id = c.place_id JOIN articles a ON a.id = c.article_id"
CLAIMS_ORDER = "ORDER BY c.date, c.article_id, c.start, c.id"  # c.id: a total order


def claim_column_sql(col: str) -> str:
    """The SQL expression of a CLAIM_COLUMNS column over CLAIMS_FROM (claims c, places p, articles a)."""
    if col == "claim_id":
        return "c.id"
    if col in PLACE_COLUMNS:
        return f'p."{PLACE_COLUMNS[col]}"'
    if col in ARTICLE_COLUMNS:
        return f'a."{col}"'
    return f'c."{col}"'


def _claims_query() -> str:
    return f"{claims_select()} {CLAIMS_ORDER}"


def claims_select() -> str:
    """SELECT ... FROM claims c JOIN places p JOIN articles a: one row a claim in the frame's columns."""
    select = ", ".join(f'{claim_column_sql(col)} AS "{col}"' for col in CLAIM_COLUMNS)
    return f"SELECT {select} {CLAIMS_FROM}"

"""The embedded SQLite store of articles, place mentions and claims (WAL mode)."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd

from gazetteer.matcher import MATCHER_VERSION, Matcher
from pipeline.claims import ArticleAnalysis

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, published TEXT, source TEXT,
    url TEXT, lang TEXT, origin TEXT, matcher_version TEXT, ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY, name TEXT, name_ar TEXT, lat REAL NOT NULL, lon REAL NOT NULL, kind TEXT,
    geo_precision INTEGER
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, surface TEXT NOT NULL, place_id TEXT NOT NULL REFERENCES places(id),
    score REAL, how TEXT, PRIMARY KEY (article_id, start, "end")
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place_id TEXT NOT NULL REFERENCES places(id), claim TEXT NOT NULL, side TEXT, claimed_by TEXT,
    date TEXT, date_precision TEXT, evidence TEXT NOT NULL, start INTEGER, "end" INTEGER,
    confidence REAL, pattern TEXT, matcher_version TEXT, why TEXT
);
CREATE INDEX IF NOT EXISTS claims_date ON claims(date);
CREATE INDEX IF NOT EXISTS claims_place ON claims(place_id);
"""

CLAIM_COLUMNS = [
    "claim_id", "article_id", "place_id", "place", "place_ar", "lat", "lon", "side", "claim", "claimed_by", "date",
    "date_precision", "geo_precision", "evidence", "confidence", "why", "title", "source", "url", "published",
]


def open_db(path: str | Path) -> sqlite3.Connection:
    """A connection to the store at path (created with its schema if new), in WAL mode."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last commits
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA)
    _add_why_column(conn)
    return conn


def _add_why_column(conn: sqlite3.Connection) -> None:
    """Adds the claims' `why` column (the kind of evidence for the side) to a store made before it."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(claims)")}
    if "why" not in columns:
        with conn:
            conn.execute("ALTER TABLE claims ADD COLUMN why TEXT")


def has_article(conn: sqlite3.Connection, article_id: str) -> bool:
    """True when the article is already stored."""
    return conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def stored_text(conn: sqlite3.Connection, article_id: str) -> str | None:
    """The stored text of an article, or None when it is not stored."""
    row = conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def claim_id(article_id: str, place_id: str, claim: str, side: str | None, date: str | None) -> str:
    """A stable id for a claim."""
    return f"{article_id}|{place_id}|{claim}|{side or '-'}|{date or '-'}"


def store_analysis(conn: sqlite3.Connection, analysis: ArticleAnalysis, matcher: Matcher) -> int:
    """Stores one analysed article with its mentions and claims (no-op if stored); the number of new claims."""
    with conn:  # one transaction per article: all of it or nothing
        return _insert(conn, analysis, matcher)


def store_analyses(conn: sqlite3.Connection, analyses: list[ArticleAnalysis], matcher: Matcher) -> int:
    """Stores several analysed articles in one transaction (all or none); the number of new claims."""
    with conn:
        return sum(_insert(conn, an, matcher) for an in analyses)


def _insert(conn: sqlite3.Connection, analysis: ArticleAnalysis, matcher: Matcher) -> int:
    art = analysis.article
    if has_article(conn, art.id):
        return 0
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    conn.execute(
        "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)",
        (art.id, art.title, art.text, art.published.isoformat() if art.published else None, art.source,
         art.url, art.lang, art.origin, MATCHER_VERSION, now),
    )
    places = {m.place.id: m.place for m in analysis.mentions}
    for c in analysis.claims:
        places.setdefault(c.place_id, matcher.by_id[c.place_id])
    conn.executemany(
        "INSERT OR IGNORE INTO places VALUES (?,?,?,?,?,?,?)",
        [(p.id, p.name, p.name_ar, p.lat, p.lon, p.kind, p.geo_precision) for p in places.values()],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO mentions VALUES (?,?,?,?,?,?,?)",
        [(art.id, m.start, m.end, m.surface, m.place.id, m.score, m.how.value) for m in analysis.mentions],
    )
    rows = []
    for c in analysis.claims:
        date = c.date.date.isoformat() if c.date else None
        side = c.side.value if c.side else None
        rows.append((
            claim_id(art.id, c.place_id, c.claim.value, side, date), art.id, c.place_id, c.claim.value, side,
            c.claimed_by.value if c.claimed_by else None, date, c.date.precision.value if c.date else None,
            c.evidence, c.start, c.end, c.confidence, c.pattern, MATCHER_VERSION, c.why.value,
        ))
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO claims (id, article_id, place_id, claim, side, claimed_by, date, date_precision,"
        ' evidence, start, "end", confidence, pattern, matcher_version, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
        rows)
    return conn.total_changes - before


def load_claims_frame(conn: sqlite3.Connection) -> pd.DataFrame:
    """All stored claims with their place and article, one row a claim (columns CLAIM_COLUMNS)."""
    query = """
        SELECT c.id AS claim_id, c.article_id, c.place_id, p.name AS place, p.name_ar AS place_ar, p.lat, p.lon,
               c.side, c.claim, c.claimed_by, c.date, c.date_precision, p.geo_precision, c.evidence,
               c.confidence, c.why, a.title, a.source, a.url, a.published
        FROM claims c JOIN places p ON p.id = c.place_id JOIN articles a ON a.id = c.article_id
        ORDER BY c.date, c.article_id, c.start
    """
    df = pd.read_sql_query(query, conn)
    df["date"] = pd.to_datetime(df["date"], errors="coerce")
    df["published"] = pd.to_datetime(df["published"], errors="coerce")
    for col in ("side", "claimed_by", "date_precision"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    df["url"] = df["url"].fillna("")
    return df[CLAIM_COLUMNS]

"""A store of millions of synthetic claims, written by SQL in seconds (for the dashboard's query benchmarks).

Ingesting 200,000 articles through the pipeline takes hours on this machine; the dashboard's queries only
need the claims, places and articles tables filled like an archive's. This builds them with one
recursive SQL statement per table: `claims` claims over five years (2019-2023, 4 % undated) at `places`
places (a few places named much more often than the rest, as Tripoli is), 14 claims an article, sides,
claim types and confidences in the proportions of the seed articles, evidence of ~200 characters and
article texts of `text_chars` characters. Values come from a hash of the row number: the same arguments
build the same database.

    .venv/bin/python -m bench.archive_db /tmp/archive.db --claims 2800000
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.samples import PLACES  # noqa: E402
from pipeline.store import INDEXES, open_db  # noqa: E402

CLAIMS_PER_ARTICLE = 14
CONFIDENCES = (0.56, 0.58, 0.6, 0.67, 0.67, 0.75, 0.75, 0.79, 0.8, 0.88, 0.9)  # pipeline/data/evidence.json-like
# claim types in rough seed proportions: hash % 20 -> type
TYPES = ["control"] * 4 + ["repelled"] * 2 + ["advance"] * 2 + ["attack"] * 4 + ["clash"] * 3 + ["strike"] * 4 \
    + ["withdrawal"]


def _h(expr: str, k: int) -> str:
    """A pseudo-random non-negative integer < 2**31 from an integer SQL expression (Knuth's multiplicative
    hash with a per-field salt; stays within 64-bit integers for row numbers below 2**32)."""
    return f"((({expr}) + {k * 7919}) * 2654435761 % 4294967291 % 2147483648)"


def _case(expr: str, values: list | tuple) -> str:
    whens = " ".join(f"WHEN {i} THEN {'NULL' if v is None else repr(v)}" for i, v in enumerate(values))
    return f"(CASE {expr} % {len(values)} {whens} END)"


def build_archive_db(path: Path, claims: int, places: int = 1500, text_chars: int = 2000) -> int:
    """Writes a new store at `path` holding `claims` synthetic claims; the number of claims stored."""
    if path.exists():
        raise FileExistsError(path)
    conn = open_db(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    names = list(PLACES.items())
    with conn:
        for statement in INDEXES.strip().splitlines():  # built once at the end: faster than row by row
            conn.execute("DROP INDEX IF EXISTS " + statement.split()[5])
        conn.execute("DROP INDEX IF EXISTS claims_article")
        rows = []
        for i in range(places):
            if i < len(names):
                pid, (name, name_ar, lat, lon) = names[i]
            else:
                pid, name, name_ar = f"bench:p{i}", f"Place {i}", f"مكان {i}"
                lat = 30.0 + (i * 7919 % 99991) / 99991 * 3.0  # north-west Libya, a distinct spot each
                lon = 10.5 + (i * 104729 % 99989) / 99989 * 5.0
            rows.append((pid, name, name_ar, lat, lon, "locality", 2, "Tripoli"))
        conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?)", rows)
        conn.execute("CREATE TEMP TABLE pl (n INTEGER PRIMARY KEY, id TEXT)")
        conn.executemany("INSERT INTO temp.pl VALUES (?,?)", [(i, r[0]) for i, r in enumerate(rows)])
        articles = -(-claims // CLAIMS_PER_ARTICLE)
        body = ("قالت شعبة الإعلام الحربي إن القوات صدت هجوما على محاور جنوب طرابلس. " * 40)[:text_chars]
        conn.execute(f"""
            WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j + 1 < {articles})
            INSERT INTO articles (id, title, text, published, source, url, lang, origin, matcher_version,
                                  ingested_at)
            SELECT 'a' || j, 'Report ' || j, ?, date('2019-01-02', '+' || ({_h('j', 1)} % 1826) || ' days'),
                   'source ' || ({_h('j', 2)} % 40), 'https://example.org/' || j, 'ar', 'bench', 'bench',
                   '2026-01-01T00:00:00+00:00'
            FROM s""", (body,))
        place = f"({_h('i', 3)} % {places}) * ({_h('i', 4)} % {places}) / {places}"  # skewed to the first
        side = _case(_h("i", 5), ["GNA"] * 9 + ["LNA"] * 9 + [None] * 2)
        conn.execute(f"""
            WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < {claims}),
            v AS (SELECT i, 'a' || (i / {CLAIMS_PER_ARTICLE}) AS art, (SELECT id FROM temp.pl WHERE n = {place}) AS pid,
                         {side} AS side, {_case(_h('i', 6), TYPES)} AS claim,
                         CASE WHEN {_h('i', 7)} % 25 = 0 THEN NULL ELSE
                              date('2019-01-01', '+' || ({_h('i / ' + str(CLAIMS_PER_ARTICLE), 1)} % 1826) || ' days',
                                   '-' || ({_h('i', 8)} % 3) || ' days') END AS date,
                         {_case(_h('i', 9), CONFIDENCES)} AS confidence
                  FROM s)
            INSERT INTO claims (id, article_id, place_id, claim, side, claimed_by, date, date_precision, evidence,
                                start, "end", confidence, pattern, why, matcher_version)
            SELECT art || '|' || pid || '|' || claim || '|' || coalesce(side, '-') || '|' || coalesce(date, '-')
                       || '|' || i,
                   art, pid, claim, side, CASE WHEN {_h('i', 10)} % 10 = 0 THEN NULL ELSE side END, date,
                   CASE WHEN date IS NULL THEN NULL ELSE 'day' END,
                   'Evidence ' || i || ': ' || substr(?, 1, 200), i % {CLAIMS_PER_ARTICLE} * 80,
                   i % {CLAIMS_PER_ARTICLE} * 80 + 60, confidence, 'bench', 'agent', 'bench'
            FROM v""", (body,))
    conn.execute("CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id)")
    for statement in INDEXES.strip().splitlines():
        conn.execute(statement)
    conn.execute("PRAGMA journal_mode=WAL")
    n = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    conn.close()
    return n


def main() -> None:
    """Build one database and say how long it took."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--claims", type=int, default=2_800_000)
    ap.add_argument("--places", type=int, default=1500)
    ap.add_argument("--text-chars", type=int, default=2000)
    args = ap.parse_args()
    t = time.perf_counter()
    n = build_archive_db(args.db, args.claims, args.places, args.text_chars)
    size = args.db.stat().st_size / 1e6
    print(f"{args.db}: {n:,} claims at {args.places:,} places, {size:,.0f} MB, built in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()

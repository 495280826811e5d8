"""The dashboard's queries (dashboard.queries) written for DuckDB, for bench.bench_duckdb to compare engines.

DuckDB reads the store in one of two ways:
- `attach(db)`: the SQLite file itself through DuckDB's sqlite_scanner extension (no copy). DuckDB cannot
  download extensions here; the PyPI package duckdb-extension-sqlite-scanner ships the binary, built for
  one DuckDB version only (its 1.5.5 loads in duckdb 1.5.5, not in 1.5.6), and it is loaded from there.
- `convert(db, out)` then `open_file(out)`: a DuckDB file holding a copy of the places, the claims (sorted
  by date, so a date range skips row groups) and the articles' metadata (not their text).

Each query answers what its dashboard.queries namesake answers (the same frame, the same post-processing),
as plain SQL on the claims table: a columnar engine scans the columns a query reads, so the rollup tables
and covering indexes of pipeline.store are not copied. The filter is pipeline.queries.where's SQL, which
DuckDB reads as it is; the place query (looked up in Python over the places table) is not supported here.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.control import CONTEST_CLAIMS, HOLD_CLAIMS, empty_control
from dashboard.queries import _day, _pivot, control_frame, per_day_frame, summary_frame
from pipeline.filters import Filters, normalize_text
from pipeline.queries import DATED, Where, where

ARTICLE_META = ("id", "title", "published", "source", "url", "lang", "published_at")  # what the claims frame joins


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sqlite_extension() -> Path:
    """The sqlite_scanner binary shipped by the duckdb-extension-sqlite-scanner package (ImportError without it)."""
    import duckdb_extension_sqlite_scanner as pkg

    found = sorted(Path(pkg.__file__).parent.glob("extensions/*/sqlite_scanner.duckdb_extension"))
    if not found:
        raise ImportError("duckdb-extension-sqlite-scanner ships no sqlite_scanner binary")
    return found[-1]


def attach(db: str | Path) -> Any:
    """An in-memory DuckDB connection reading the SQLite store read-only (its tables are the default schema)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"LOAD {_sql_text(str(sqlite_extension()))}")
    con.execute(f"ATTACH {_sql_text(str(Path(db).resolve()))} AS store (TYPE sqlite, READ_ONLY)")
    con.execute("USE store")
    return con


def open_file(path: str | Path) -> Any:
    """A read-only connection to a DuckDB file made by convert()."""
    import duckdb

    return duckdb.connect(str(path), read_only=True)


def convert(db: str | Path, out: str | Path) -> dict:
    """Copies the store's places, claims and article metadata into a new DuckDB file `out`; the claims and
    seconds it took."""
    import duckdb

    out = Path(out)
    if out.exists():
        raise FileExistsError(out)
    t = time.perf_counter()
    con = duckdb.connect(str(out))
    try:
        con.execute(f"LOAD {_sql_text(str(sqlite_extension()))}")
        con.execute(f"ATTACH {_sql_text(str(Path(db).resolve()))} AS store (TYPE sqlite, READ_ONLY)")
        con.execute("CREATE TABLE places AS SELECT * FROM store.places")
        con.execute("CREATE TABLE claims AS SELECT * FROM store.claims ORDER BY date, place_id")
        con.execute(f"CREATE TABLE articles AS SELECT {', '.join(ARTICLE_META)} FROM store.articles")
        con.execute("DETACH store")
        con.execute("CHECKPOINT")
        claims = con.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    finally:
        con.close()
    return {"claims": int(claims), "seconds": time.perf_counter() - t}


def _where(f: Filters) -> Where:
    """pipeline.queries.where's condition (no place query: that one is looked up over the SQLite places)."""
    if normalize_text(f.place_query):
        raise ValueError("the DuckDB queries do not take a place query")
    return where(None, f)  # type: ignore[arg-type]  # the connection is read only for a place query


def facts(con: Any) -> tuple[dt.date | None, dt.date | None, int]:
    """dashboard.queries.date_bounds and total_claims: the first and last event date and the number of claims."""
    lo, hi = con.execute("SELECT MIN(date), MAX(date) FROM claims WHERE date >= '0000' AND date < ':'").fetchone()
    total = con.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    return _day(lo), _day(hi), int(total)


def place_summary(con: Any, f: Filters) -> pd.DataFrame:
    """dashboard.queries.place_summary: one row per place with filtered claims, by side and claim type."""
    w = _where(f)
    rows = con.execute(f"SELECT c.place_id, c.side, c.claim, COUNT(*) FROM claims c WHERE {w.sql} "
                       "GROUP BY c.place_id, c.side, c.claim", w.params).fetchall()
    df = _pivot(rows)
    return summary_frame(df, con.execute("SELECT id, name, name_ar, lat, lon FROM places WHERE list_contains(?, id)",
                                         (list(df["place_id"]),)).fetchall())


def claims_per_day(con: Any, f: Filters) -> pd.DataFrame:
    """dashboard.queries.claims_per_day: the filtered dated claims per day (index) by side (columns)."""
    w = _where(f)
    dated = "" if f.date_from is not None else f" AND {DATED}"
    return per_day_frame(con.execute(f"SELECT c.date, c.side, COUNT(*) FROM claims c WHERE ({w.sql}){dated} "
                                     "GROUP BY c.date, c.side", w.params).fetchall())


def control_as_of(con: Any, f: Filters, as_of: dt.date, window_days: int = 7) -> pd.DataFrame:
    """dashboard.queries.control_as_of with a window function instead of index seeks: per place the dated
    GNA/LNA control/repelled claims on or before `as_of` ranked latest first (same day: control, then higher
    confidence, then the greater claim id); the first names the holder, the first of the other side ends
    its run (since: the earliest date ranked before it); contested by the other side's contest claims in
    the `window_days` days up to `as_of`."""
    if f.sides is not None and not f.sides & {"GNA", "LNA"}:
        return empty_control()
    w = _where(f)
    end = (as_of + dt.timedelta(days=1)).isoformat()
    start = (as_of - dt.timedelta(days=max(int(window_days), 0))).isoformat()
    hold_in = ", ".join(f"'{c}'" for c in HOLD_CLAIMS)
    contest_in = ", ".join(f"'{c}'" for c in CONTEST_CLAIMS)
    sql = f"""
    WITH h AS (
        SELECT c.place_id, c.side, c.date, c.evidence,
               ROW_NUMBER() OVER (PARTITION BY c.place_id ORDER BY c.date DESC, c.claim = 'control' DESC,
                                  COALESCE(c.confidence, 0) DESC, c.id DESC) AS r
        FROM claims c
        WHERE ({w.sql}) AND c.claim IN ({hold_in}) AND c.side IN ('GNA', 'LNA') AND {DATED} AND c.date < ?),
    t AS (SELECT place_id, side AS holder, evidence FROM h WHERE r = 1),
    b AS (SELECT h.place_id, MIN(h.r) AS br FROM h JOIN t ON t.place_id = h.place_id
          WHERE h.side <> t.holder GROUP BY h.place_id),
    s AS (SELECT h.place_id, MIN(h.date) AS since FROM h LEFT JOIN b ON b.place_id = h.place_id
          WHERE b.br IS NULL OR h.r < b.br GROUP BY h.place_id),
    k AS (SELECT DISTINCT c.place_id, c.side FROM claims c
          WHERE c.claim IN ({contest_in}) AND c.date >= ? AND c.date < ? AND ({w.sql}))
    SELECT t.place_id, p.name, p.name_ar, p.lat, p.lon, t.holder, s.since, t.evidence, k.place_id IS NOT NULL
    FROM t JOIN s ON s.place_id = t.place_id JOIN places p ON p.id = t.place_id
    LEFT JOIN k ON k.place_id = t.place_id AND k.side = CASE t.holder WHEN 'GNA' THEN 'LNA' ELSE 'GNA' END
    ORDER BY t.place_id"""
    return control_frame(con.execute(sql, (*w.params, end, start, end, *w.params)).fetchall())


__all__ = ["ARTICLE_META", "attach", "claims_per_day", "control_as_of", "convert", "facts", "open_file",
           "place_summary", "sqlite_extension"]

"""The claims filter (pipeline.filters.Filters) as SQL: readers ask the store for the claims they show.

`where(conn, filters)` is the filter as an SQL condition on the claims table (alias `c`), equal to
`apply_filters` on the claims frame: the same rows for every filter (tests/test_queries.py compares them).
The store holds event dates as ISO text (YYYY-MM-DD) or NULL, so date bounds are text comparisons that
the covering indexes of pipeline.store answer; sides outside GNA/LNA count as "none"; the place query is
folded in Python over the places table (it is small) and sent as a JSON list of place ids.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from pipeline.filters import Filters, normalize_text
from pipeline.frame import NO_SIDE, SIDES, finish_frame
from pipeline.store import claims_select, sqlite_errors

# A claim with an event date (the store holds ISO dates, YYYY-MM-DD, or NULL): one text comparison.
DATED = "c.date >= '0'"
EXPORT_ORDER = "c.date, c.article_id, c.start, c.id"  # the order of store.load_claims_frame (NULL dates first)
NEWEST_ORDER = "c.date DESC, c.article_id, c.start, c.id"  # latest first, undated last; ties as exported

assert SIDES == ("GNA", "LNA")


@dataclass(frozen=True)
class Where:
    """An SQL condition on the claims table (alias c) and its parameters."""

    sql: str
    params: tuple

    def __and__(self, other: Where) -> Where:
        return Where(f"({self.sql}) AND ({other.sql})", self.params + other.params)


def _in(expr: str, values: frozenset[str]) -> Where:
    if not values:
        return Where("0", ())
    return Where(f"{expr} IN ({', '.join('?' * len(values))})", tuple(sorted(values)))


def _side_in(col: str, labels: frozenset[str]) -> Where:
    """The side labels (GNA, LNA, none: any other value) as a test of the stored column."""
    named = tuple(sorted(labels & set(SIDES)))
    parts = [f"{col} IN ({', '.join('?' * len(named))})"] if named else []
    if NO_SIDE in labels:
        parts.append(f"{col} IS NULL OR {col} NOT IN ('GNA', 'LNA')")
    return Where(" OR ".join(f"({p})" for p in parts) or "0", named)


def _next_day(day: dt.date) -> str:
    return (day + dt.timedelta(days=1)).isoformat()


def matching_places(conn: sqlite3.Connection, query: str) -> list[str]:
    """The ids of stored places the place query names (its id, or part of the English or Arabic name,
    spelling variants folded): pipeline.filters' rule, applied once per place."""
    q = normalize_text(query)
    return [pid for pid, name, name_ar in conn.execute("SELECT id, name, name_ar FROM places")
            if q == normalize_text(pid) or q in normalize_text(name) or q in normalize_text(name_ar)]


def where(conn: sqlite3.Connection, f: Filters) -> Where:
    """The filter as an SQL condition on `claims c` (the place query is looked up in the places table)."""
    parts = [Where("1", ())]
    bounds = []
    if f.date_from is not None:
        bounds.append(Where("c.date >= ?", (f.date_from.isoformat(),)))
    if f.date_to is not None:
        bounds.append(Where("c.date < ?", (_next_day(f.date_to),)))
    if bounds:  # a start bound is a dated claim's test too (and the lower end of the index range)
        dated = bounds[0] if f.date_from is not None else Where(DATED, ()) & bounds[0]
        for b in bounds[1:]:
            dated = dated & b
        parts.append(Where(f"({dated.sql}) OR NOT COALESCE({DATED}, 0)", dated.params)
                     if f.include_undated else dated)
    if f.sides is not None:
        parts.append(_side_in("c.side", f.sides))
    if f.claimed_by is not None:
        parts.append(_side_in("c.claimed_by", f.claimed_by))
    if f.claim_types is not None:
        parts.append(_in("c.claim", f.claim_types))
    if f.min_confidence > 0:
        parts.append(Where("COALESCE(c.confidence, 0) >= ?", (float(f.min_confidence),)))
    if normalize_text(f.place_query):
        ids = matching_places(conn, f.place_query)
        parts.append(Where("c.place_id IN (SELECT value FROM json_each(?))", (json.dumps(ids),)))
    out = parts[0]
    for p in parts[1:]:
        out = out & p
    return out


def count_claims(conn: sqlite3.Connection, f: Filters) -> int:
    """How many stored claims pass the filter."""
    w = where(conn, f)
    return int(conn.execute(f"SELECT COUNT(*) FROM claims c WHERE {w.sql}", w.params).fetchone()[0])


def _filtered_query(w: Where, order: str, limit: int | None) -> tuple[str, tuple]:
    """The frame query (store.claims_select()'s columns and joins) over the claims that pass `w`."""
    sql = f"{claims_select()} WHERE {w.sql} ORDER BY {order}"
    if limit is not None:
        return sql + " LIMIT ?", (*w.params, int(limit))
    return sql, w.params


def claims_frame(conn: sqlite3.Connection, f: Filters, *, newest: int | None = None) -> pd.DataFrame:
    """The claims frame (pipeline.frame columns) of the claims that pass the filter: in export order, or
    the `newest` latest first (undated last) when given."""
    sql, params = _filtered_query(where(conn, f), NEWEST_ORDER if newest is not None else EXPORT_ORDER, newest)
    with sqlite_errors():
        return finish_frame(pd.read_sql_query(sql, conn, params=params))


def iter_claims_frames(conn: sqlite3.Connection, f: Filters, rows: int = 20_000) -> Iterator[pd.DataFrame]:
    """The claims that pass the filter as frames of at most `rows` rows, in export order (bounded memory)."""
    sql, params = _filtered_query(where(conn, f), EXPORT_ORDER, None)
    with sqlite_errors():
        for chunk in pd.read_sql_query(sql, conn, params=params, chunksize=rows):
            yield finish_frame(chunk)

"""A filter split for the claim counts of pipeline.store (schema 5): whole months from the rollup tables, the
ragged ends of a date range from the claims.

claim_months counts claims per place, month, side, claim type, claimed-by and confidence, so every filter but
the date range is a test of its key (pipeline.queries.where reads it as it reads the claims table: an absent
side or confidence is stored as '' or 0, which the tests treat as they treat NULL). A date range is cut into
the whole months it covers (read from the counts) and the days before the first and after the last whole
month (read from the claims' date index): the counts of the two add up to the counts of the claims.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from pipeline.filters import Filters
from pipeline.queries import Where, where
from pipeline.store import ROLLUP_KEYS

ONE_DAY = dt.timedelta(days=1)


def has_rollups(conn: sqlite3.Connection) -> bool:
    """True when the store keeps the claim counts (schema 5; a store a reader could not migrate does not)."""
    found = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ROLLUP_KEYS)),))}
    return found == set(ROLLUP_KEYS)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class MonthSplit:
    """A filter as whole months of claim_months (`months`, a condition on its alias c, every filter
    included) plus the filters of the ragged ends, each a dated day range to read from the claims."""

    months: Where
    ends: tuple[Filters, ...]


def split_by_month(conn: sqlite3.Connection, f: Filters) -> MonthSplit | None:
    """The filter as whole months and ragged ends (None when its dates cannot be cut, at the calendar's end)."""
    rest = dataclasses.replace(f, date_from=None, date_to=None, include_undated=False)
    lo, hi = f.date_from, f.date_to
    others = where(conn, rest)
    if lo is None and hi is None:  # no date bound: every month, undated claims included
        return MonthSplit(others, ())
    try:
        first = None if lo is None else (lo if lo.day == 1 else _next_month(lo))
        last = None if hi is None else (hi if (hi + ONE_DAY).day == 1 else _month_start(hi) - ONE_DAY)
    except (OverflowError, ValueError):
        return None
    if first is not None and last is not None and first > last:  # no whole month: the range from the claims
        months, ends = Where("0", ()), (dataclasses.replace(rest, date_from=lo, date_to=hi),)
    else:
        sql, params = ["c.month != ''"], []
        if first is not None:
            sql.append("c.month >= ?")
            params.append(first.isoformat()[:7])
        if last is not None:
            sql.append("c.month <= ?")
            params.append(last.isoformat()[:7])
        months = Where(" AND ".join(sql), tuple(params))
        ends = tuple(dataclasses.replace(rest, date_from=a, date_to=b) for a, b in (
            (lo, None if first is None else first - ONE_DAY), (None if last is None else last + ONE_DAY, hi))
            if a is not None and b is not None and a <= b)
    if f.include_undated:
        months = Where(f"({months.sql}) OR c.month = ''", months.params)
    return MonthSplit(months & others, ends)


__all__ = ["MonthSplit", "has_rollups", "split_by_month"]

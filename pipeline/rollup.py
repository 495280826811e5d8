"""A filter split for the claim counts of pipeline.store (schema 5): whole months from the rollup tables, the
ragged ends of a date range from the claims.

claim_months counts claims per place, month, side, claim type, claimed-by and confidence, so every filter but
the date range is a test of its key (pipeline.queries.where reads it as it reads the claims table: an absent
side or confidence is stored as '' or 0, which the tests treat as they treat NULL). A date range is cut into
the whole months it covers (read from the counts) and the days before the first and after the last whole
month (read from the claims' date index); a month the range covers mostly is read whole and the days it
leaves out are taken away, so at most half a month is read from the claims at either end. The counts add
up to the counts of the claims in the range.
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
    """True when the store keeps the claim counts (schema 5; a store a reader could not migrate does not).

    The version is asked too: count tables in a store still at an older version are not trusted.
    """
    if conn.execute("PRAGMA user_version").fetchone()[0] < 5:
        return False
    found = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each(?))",
        (json.dumps(list(ROLLUP_KEYS)),))}
    return found == set(ROLLUP_KEYS)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return _next_month(day) - ONE_DAY


def _month(day: dt.date) -> str:
    return day.isoformat()[:7]


@dataclass(frozen=True)
class MonthSplit:
    """A filter as whole months of claim_months (`months`, a condition on its alias c, every filter
    included) plus day ranges read from the claims, each a filter to count (+1) or, for the days of a
    month read whole that the range leaves out, to take away (-1)."""

    months: Where
    days: tuple[tuple[Filters, int], ...]


def _ends(lo: dt.date | None, hi: dt.date | None) -> tuple[str | None, str | None, list[tuple[dt.date, dt.date, int]]]:
    """The first and last month to read whole (None: unbounded) and the day ranges to add or take away: a
    partial month at either end is read as its days in the range, or as the whole month less the days out
    of it when those are fewer."""
    days: list[tuple[dt.date, dt.date, int]] = []
    if lo is not None and hi is not None and _month(lo) == _month(hi):
        start, end = _month_start(lo), _month_end(lo)
        inside, outside = (hi - lo).days + 1, (end - start).days + 1 - ((hi - lo).days + 1)
        if outside >= inside:
            return None, None, [(lo, hi, 1)]  # no month read whole
        days = [(a, b, -1) for a, b in ((start, lo - ONE_DAY), (hi + ONE_DAY, end)) if a <= b]
        return _month(lo), _month(lo), days
    first = last = None
    if lo is not None:
        if lo.day == 1:
            first = _month(lo)
        elif lo.day - 1 < (_next_month(lo) - lo).days:  # fewer days before lo than from it to the month's end
            first = _month(lo)
            days.append((_month_start(lo), lo - ONE_DAY, -1))
        else:
            first = _month(_next_month(lo))
            days.append((lo, _month_end(lo), 1))
    if hi is not None:
        if hi == _month_end(hi):
            last = _month(hi)
        elif (_month_end(hi) - hi).days < hi.day:  # fewer days after hi than up to it
            last = _month(hi)
            days.append((hi + ONE_DAY, _month_end(hi), -1))
        else:
            last = _month(_month_start(hi) - ONE_DAY)
            days.append((_month_start(hi), hi, 1))
    return first, last, days


def split_by_month(conn: sqlite3.Connection, f: Filters) -> MonthSplit | None:
    """The filter as whole months and day ranges (None when its dates cannot be cut, at the calendar's end)."""
    rest = dataclasses.replace(f, date_from=None, date_to=None, include_undated=False)
    others = where(conn, rest)
    if f.date_from is None and f.date_to is None:  # no date bound: every month, undated claims included
        return MonthSplit(others, ())
    if f.date_from is not None and f.date_to is not None and f.date_from > f.date_to:  # no day: undated only
        months = Where("c.month = ''", ()) if f.include_undated else Where("0", ())
        return MonthSplit(months & others, ())
    try:
        first, last, days = _ends(f.date_from, f.date_to)
    except (OverflowError, ValueError):
        return None
    if (f.date_from is not None and f.date_to is not None and first is None) or (
            first is not None and last is not None and first > last):
        months = Where("0", ())
    else:
        sql, params = ["c.month != ''"], []
        for test, month in (("c.month >= ?", first), ("c.month <= ?", last)):
            if month is not None:
                sql.append(test)
                params.append(month)
        months = Where(" AND ".join(sql), tuple(params))
    if f.include_undated:
        months = Where(f"({months.sql}) OR c.month = ''", months.params)
    return MonthSplit(months & others,
                      tuple((dataclasses.replace(rest, date_from=a, date_to=b), sign) for a, b, sign in days))


__all__ = ["MonthSplit", "has_rollups", "split_by_month"]

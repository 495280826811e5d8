"""Publication dates as sources give them: ISO dates and datetimes, RFC 822 feed dates; time zones kept.

Strict: a value that is not a whole date, or whose year is before 1900 or after tomorrow, is an error.
"""
from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import dataclass

from pipeline.models import Article

FIRST_YEAR = 1900


@dataclass(frozen=True)
class TimedArticle(Article):
    """An article whose source gave a publication time: `published_at` is ISO 8601 with its UTC offset."""

    published_at: str = ""


@dataclass(frozen=True)
class Published:
    """A publication date (in the source's own time zone) and the time as given, if any."""

    date: dt.date
    at: str = ""  # ISO 8601 datetime, with its UTC offset when the source gave one


def _check(day: dt.date, raw: str) -> None:
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    if day.year < FIRST_YEAR or day > tomorrow:
        raise ValueError(f"publication date {raw!r} is out of range ({FIRST_YEAR} to tomorrow)")


def parse_published(value: object) -> Published | None:
    """The publication date of a field value; None when absent; ValueError saying why when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        _check(value.date(), value.isoformat())
        return Published(value.date(), value.isoformat())
    if isinstance(value, dt.date):
        _check(value, value.isoformat())
        return Published(value)
    if not isinstance(value, str):
        raise ValueError(f"publication date must be text, not {type(value).__name__}")
    s = value.strip()
    when: dt.datetime | None = None
    if len(s) == 10:
        try:
            day = dt.date.fromisoformat(s)
        except ValueError:
            day = None
        if day is not None:
            _check(day, s)
            return Published(day)
    try:
        when = dt.datetime.fromisoformat(s.replace(" ", "T", 1)) if len(s) > 10 and s[4:5] == "-" else None
    except ValueError:
        when = None
    if when is None:
        try:
            when = email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError, OverflowError):
            when = None
    if when is None:
        raise ValueError(f"bad publication date {s[:60]!r} (want YYYY-MM-DD, an ISO datetime or a feed date "
                         "such as 'Wed, 03 Jun 2020 14:05:00 +0200')")
    _check(when.date(), s[:60])
    return Published(when.date(), when.isoformat())

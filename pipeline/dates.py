"""Event dates from sentence text: weekdays, relative days and explicit dates.

A weekday resolves to the most recent such day on or before publication (as ACLED
codes them); "23 فبراير" or "April 2019" resolve with their precision.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from gazetteer.normalize import normalize_pattern
from pipeline.literals import search
from pipeline.models import DatePrecision, EventDate

DATA = files("pipeline") / "data" / "dates.json"  # from the installed package (Dask workers)


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text, with its offsets in the normalized text."""

    start: int
    end: int
    date: EventDate


@dataclass(frozen=True)
class AnchoredDate:
    """A date phrase that counts from another date: "the following day" is `days` after the date of
    its sentence (or the article's last); "two days after X" (before_event) dates X `days` before it."""

    start: int
    end: int
    days: int
    before_event: bool = False

    def resolve(self, anchor: EventDate) -> EventDate:
        """The date the phrase gives, counted from the anchor date."""
        shift = -self.days if self.before_event else self.days
        return EventDate(anchor.date + dt.timedelta(days=shift), anchor.precision)


@dataclass(frozen=True)
class _Lexicon:
    weekdays: dict[str, int]
    bare_ok: frozenset[str]
    months: dict[str, int]
    relative: dict[str, int]
    weeks: dict[str, int]
    last_year: tuple[str, ...]
    since: tuple[str, ...]
    pattern: re.Pattern[str]
    future_after: re.Pattern[str]
    future_before: re.Pattern[str]
    anchored: dict[str, int]
    anchored_pattern: re.Pattern[str]
    offset_counts: dict[str, int]
    offset_patterns: tuple[re.Pattern[str], ...]
    continues: re.Pattern[str]


def normalize_text(text: str) -> str:
    """Date words spelt as normalize_aligned spells text."""
    return normalize_pattern(text).lower().replace("-", " ")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The date word lists, normalized and compiled."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    weekdays = {normalize_text(k): v for k, v in raw["weekdays"].items()}
    needs_prefix = {normalize_text(k) for k in raw["weekday_requires_prefix"]}
    months = {normalize_text(k): v for k, v in raw["months"].items()}
    relative = {normalize_text(k): v for k, v in raw["relative_days"].items()}
    weeks = {normalize_text(k): v for k, v in raw["relative_weeks"].items()}
    prefixes = _alt([normalize_text(p) for p in raw["weekday_prefixes"]])
    wd = _alt(list(weekdays))
    mo = _alt(list(months))
    rel = _alt(list(relative))
    last_year = tuple(normalize_text(x) for x in raw["last_year"])
    ly = _alt(list(last_year))
    pattern = re.compile(
        rf"(?<!\w)(?:"
        rf"(?P<day>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?P<dmonth>{mo})(?:\s*,?\s*(?:عام\s+|سنه\s+)?(?P<dyear>\d{{4}}))?"
        rf"|(?P<mday_month>{mo})\s+(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*(?P<mdyear>\d{{4}}))?"
        rf"|(?P<month>{mo})\s*(?:(?:من\s+)?(?:عام\s+|سنه\s+)?(?P<year>\d{{4}})|(?:من\s+)?(?P<lastyear>{ly}))"
        rf"|(?:(?P<prefix>{prefixes})\s+)?(?:[وب])?(?P<weekday>{wd})"
        rf"|(?P<week>{_alt(list(weeks))})"
        rf"|(?P<relative>{rel})"
        rf")(?!\w)"
    )
    anchored = {normalize_text(k): v for k, v in raw["anchored_days"].items()}
    counts = {normalize_text(k): v for k, v in raw["offset_after"]["counts"].items()}
    count_rx = rf"(?P<n>{_alt(list(counts))}|\d{{1,2}})"
    offsets = tuple(re.compile(rf"(?<!\w)(?:{normalize_pattern(r).replace('{N}', count_rx, 1)})(?!\w)")
                    for r in raw["offset_after"]["regex"])
    return _Lexicon(weekdays, frozenset(weekdays) - needs_prefix, months, relative, weeks, last_year,
                    tuple(normalize_text(x) for x in raw["since_words"]), pattern,
                    re.compile(rf"\s*(?:{_alt([normalize_text(w) for w in raw['future_after']])})(?!\w)"),
                    re.compile(rf"(?<!\w)(?:{_alt([normalize_text(w) for w in raw['future_before']])})\s+$"),
                    anchored, re.compile(rf"(?<!\w)(?:{_alt(list(anchored))})(?!\w)"), counts,
                    offsets, re.compile(rf"(?<!\w)(?:{_alt([normalize_text(w) for w in raw['continues_reference']])})(?!\w)"))


def most_recent_weekday(weekday: int, published: dt.date) -> dt.date:
    """The latest date on or before `published` that falls on `weekday` (Monday = 0)."""
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def _year_for(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    if (month, day) > (published.month, published.day):
        year -= 1
    return year


#: Every phrase find_anchored knows holds one of these (a quick test before its patterns run).
_DAY_WORDS = ("day", "يوم", "ايام", "اسبوع", "week")
#: Every "N days after" phrase holds one of these.
_OFFSET_WORDS = ("days after", "day after", "days following", "day following", "بعد يوم", "بعد اسبوع", "ايام من",
                 "ايام علي", "عقب يوم")


def find_anchored(text: str) -> list[AnchoredDate]:
    """Date phrases in a (normalized) text that count from another date, in order."""
    lex = lexicon()
    if not any(w in text for w in _DAY_WORDS):
        return []
    out = [AnchoredDate(m.start(), m.end(), lex.anchored[m.group()]) for m in lex.anchored_pattern.finditer(text)]
    if not any(w in text for w in _OFFSET_WORDS):
        return out
    for m in (m for rx in lex.offset_patterns for m in rx.finditer(text)):
        n = m.groupdict().get("n")
        days = 1 if n is None else (int(n) if n.isdigit() else lex.offset_counts.get(n, 0))
        if days:
            out.append(AnchoredDate(m.start(), m.end(), days, before_event=True))
    return sorted(out, key=lambda a: a.start)


def find_dates(text: str, published: dt.date | None, anchored_dates: list[AnchoredDate] | None = None
               ) -> list[DateMention]:
    """Date expressions in a (normalized) text, resolved against the publication date; those inside a
    phrase that counts from another date ("اليوم التالي", found by find_anchored unless given) are not."""
    lex = lexicon()
    out: list[DateMention] = []
    anchored = [(a.start, a.end) for a in (find_anchored(text) if anchored_dates is None else anchored_dates)]
    for m in lex.pattern.finditer(text):
        if any(a <= m.start() < b for a, b in anchored):
            continue
        if m.group("weekday") == "احد" and text[m.start("weekday") - 1 : m.start("weekday")] == "و":
            continue  # "يوم واحد" is one day, not "يوم الأحد"
        before = text[max(0, m.start() - 12) : m.start()]
        if any(before.rstrip().endswith(s) for s in lex.since):
            continue  # "since April" opens a period, it does not date an event
        date = _resolve(m, lex, published)
        if date is not None and m.group("weekday") and published is not None and (
                lex.future_after.match(text, m.end()) or lex.future_before.search(text, max(0, m.start() - 16),
                                                                                  m.start())):
            ahead = (lex.weekdays[m.group("weekday")] - published.weekday()) % 7 or 7
            date = EventDate(published + dt.timedelta(days=ahead))  # "الأحد المقبل": forward, never back
        if date is not None:
            out.append(DateMention(m.start(), m.end(), date))
    return out


def _resolve(m: re.Match[str], lex: _Lexicon, published: dt.date | None) -> EventDate | None:
    g = m.groupdict()
    try:
        if g["day"]:
            month, day = lex.months[g["dmonth"]], int(g["day"])
            year = int(g["dyear"]) if g["dyear"] else _year_for(month, day, published)
            return EventDate(dt.date(year, month, day)) if year else None
        if g["mday"]:
            month, day = lex.months[g["mday_month"]], int(g["mday"])
            year = int(g["mdyear"]) if g["mdyear"] else _year_for(month, day, published)
            return EventDate(dt.date(year, month, day)) if year else None
        if g["month"]:
            month = lex.months[g["month"]]
            if g["year"]:
                year = int(g["year"])
            elif published is not None:
                year = published.year - 1
            else:
                return None
            return EventDate(dt.date(year, month, 1), DatePrecision.MONTH)
    except ValueError:
        return None
    if published is None:
        return None
    if g["weekday"]:
        if not g["prefix"] and g["weekday"] not in lex.bare_ok:
            return None
        return EventDate(most_recent_weekday(lex.weekdays[g["weekday"]], published))
    if g["week"]:
        return EventDate(published + dt.timedelta(days=lex.weeks[g["week"]]), DatePrecision.WEEK)
    if g["relative"]:
        return EventDate(published + dt.timedelta(days=lex.relative[g["relative"]]))
    return None


def continues_reference(text: str, start: int, end: int) -> bool:
    """True when the (normalized) sentence text[start:end] ties itself to the article's last date
    ("drones later struck", "had also entered")."""
    return bool(search(lexicon().continues, text, start, end))  # its gate skips a sentence without its words

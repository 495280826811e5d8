"""Typed records that flow through the pipeline: articles, mentions, claims."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Side(StrEnum):
    """A party to the war. Neutral actors (the UN, the US, Egypt) are no side."""

    GNA = "GNA"
    LNA = "LNA"

    @property
    def opponent(self) -> Side:
        """The other side."""
        return _OPPONENT[self]  # (a look-up: on Python 3.11 each `Side.GNA` read costs a metaclass hook)


_OPPONENT = {Side.GNA: Side.LNA, Side.LNA: Side.GNA}


class ClaimType(StrEnum):
    """What a side claims about a place, as the side would put it."""

    CONTROL = "control"
    REPELLED = "repelled"
    ADVANCE = "advance"
    ATTACK = "attack"
    CLASH = "clash"
    STRIKE = "strike"
    WITHDRAWAL = "withdrawal"


class Evidence(StrEnum):
    """Why a claim has its side: the kind of evidence found, each with one confidence (data/evidence.json)."""

    AGENT = "agent"  # a side named as the one doing the trigger ("قوات الوفاق سيطرت", "seized by the LNA")
    OBJECT = "object"  # a side named as the one acted upon: the claim is its enemy's ("drove the LNA out")
    REPELLER = "repeller"  # the enemy of the side whose attack was repelled
    CLAUSE = "clause"  # a side named elsewhere in the clause
    ACCUSATION = "accusation"  # the side accused of the act ("اتهم … قوات حفتر بقصف")
    SENTENCE = "sentence"  # a side named elsewhere in the sentence
    SOLE = "sole"  # the only side the sentence names, found in the clause or the sentence (not bound)
    OUTLET = "outlet"  # a name whose side depends on the outlet ("الجيش الليبي", "the Libyan Army")
    SPEAKER = "speaker"  # the speaker's own forces, no side named
    BOTH = "both"  # no side because both act: clashes, "mutual shelling", "between the LNA and the GNA"
    NONE = "none"  # no side because none was found


class DatePrecision(StrEnum):
    """How exactly an event date is known."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Article:
    """One news article as read from an input file."""

    id: str
    title: str
    text: str
    published: dt.date | None = None
    source: str = ""
    url: str = ""
    lang: str = ""
    origin: str = ""  # file (and line) the article came from


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article with its offsets in the text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EventDate:
    """The date an event happened and how precisely it is known."""

    date: dt.date
    precision: DatePrecision = DatePrecision.DAY


@dataclass(frozen=True)
class Claim:
    """One place + side + claim type + event date + speaker + evidence."""

    article_id: str
    place_id: str
    claim: ClaimType
    side: Side | None
    claimed_by: Side | None
    date: EventDate | None
    evidence: str
    start: int  # offsets of the place mention the claim is about
    end: int
    confidence: float = 0.5
    pattern: str = ""  # the lexicon entry that fired
    why: Evidence = Evidence.NONE  # the kind of evidence for the side

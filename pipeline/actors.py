"""Finds the sides named in text and who makes each statement."""
from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gazetteer.normalize import is_arabic
from pipeline.lexicon import Lexicon
from pipeline.literals import may_match
from pipeline.models import Side
from pipeline.wordstarts import word_starts

TokenCount = Callable[[int, int], int]
#: How far after an accusing verb the accuser and the accused may be named
#: ("أدان المجلس الرئاسي القصف الذي استهدف المطار أمس، محملا قوات حفتر المسؤولية").
ACCUSED_TOKENS = 14


@dataclass(frozen=True)
class ActorMention:
    """An actor named in text: a side, a neutral actor (side None) or a word relative to the speaker."""

    start: int
    end: int
    side: Side | None
    relative: str = ""  # "self" (قواته, its forces), "we" (قواتنا, our units) or "enemy" (العدو, militias): resolved
    # against the speaker
    by_outlet: bool = False  # a name whose side was set by the outlet's convention ("الجيش الليبي")

    @property
    def neutral(self) -> bool:
        """True for actors that are no side (the UN, the US, Egypt…)."""
        return self.side is None and not self.relative

    def side_for(self, speaker: Side | None, outlet: Side | None = None) -> Side | None:
        """The side this mention stands for, given who speaks (a side's own media office speaks for it where
        no side is named: pipeline.outlets); with no speaker, the enemy words of an outlet with a convention
        ("the militias" in a pro-LNA outlet) are its opponent's."""
        if self.relative == "self":
            return speaker
        if self.relative == "we":
            return speaker
        if self.relative == "enemy":
            voice = speaker if speaker is not None else outlet
            return voice.opponent if voice is not None else None
        return self.side


def find_actors(norm: str, original: str, to_orig: list[int] | None, lex: Lexicon,
                ranges: Iterable[tuple[int, int]] | None = None,
                words: tuple[list[int], list[int]] | None = None) -> list[ActorMention]:
    """Actor mentions in normalized text (in the given ranges, or all of it; offsets in the normalized
    text), longest first on overlap. `words`: the starts and ends of the text's tokens, when known."""
    found: list[ActorMention] = []
    for lo, hi in ranges if ranges is not None else [(0, len(norm))]:
        found += _actors_in(norm, original, to_orig, lex, lo, hi, words)
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    kept: list[ActorMention] = []
    taken = bytearray(len(norm) + 1)
    for a in found:
        if not any(taken[a.start : a.end]):
            kept.append(a)
            taken[a.start : a.end] = b"\x01" * (a.end - a.start)
    return sorted(kept, key=lambda x: x.start)


def _actors_in(norm: str, original: str, to_orig: list[int] | None, lex: Lexicon, lo: int, hi: int,
               words: tuple[list[int], list[int]] | None) -> list[ActorMention]:
    found: list[ActorMention] = []
    chunk = norm[lo:hi]
    has_arabic, has_latin = is_arabic(chunk), bool(re.search(r"[a-z]{2}", chunk))
    patterns = lex.actors
    scout = word_starts([p.regex for p in patterns])  # each list is tried only at words that can start it
    wanted = [k for k, pat in enumerate(patterns) if (has_arabic if pat.arabic else has_latin)
              and (scout.at_words[k] or may_match(pat.needs, chunk))]
    for k, matches in zip(wanted, scout.search(norm, lo, hi, wanted, words), strict=True):
        pat = patterns[k]
        for m in matches:
            if pat.caps is not None:
                a = to_orig[m.start()] if to_orig else m.start()
                if pat.caps not in original[a : a + len(pat.caps) + 2]:
                    continue
            found.append(ActorMention(m.start(), m.end(), pat.side, pat.relative))
    return found


def attach_possessors(norm: str, actors: list[ActorMention]) -> list[ActorMention]:
    """Words for "the militias" or "the enemy" joined to a side's name take its side: "Haftar's militias",
    «مليشيات حفتر», "GNA militias" are that side's, whoever speaks."""
    out = list(actors)
    for k, a in enumerate(out):
        if a.relative != "enemy":
            continue
        for j in (k - 1, k + 1):
            if not 0 <= j < len(out) or out[j].relative or out[j].side is None:
                continue
            lo, hi = (out[j].end, a.start) if j < k else (a.end, out[j].start)
            if norm[lo:hi].strip() in ("", "'s", "s"):
                out[k] = dataclasses.replace(a, side=out[j].side, relative="")
                break
    return out


@dataclass(frozen=True)
class Speech:
    """Who speaks in a sentence, and whom they accuse."""

    speaker: ActorMention | None
    accused: ActorMention | None = None
    accuser: ActorMention | None = None


_AFTER_CLAUSE = re.compile(r"[,،\"”»']\s*$")


@dataclass(frozen=True)
class SpeechVerbs:
    """The speech verbs of a whole text, found once: (start, end) pairs by kind, in order."""

    report: list[tuple[int, int]]
    cont: list[tuple[int, int]]
    accuse: list[tuple[int, int]]

    @classmethod
    def find(cls, norm: str, lex: Lexicon) -> SpeechVerbs:
        """The speech verbs of a normalized text."""
        has_arabic, has_latin = is_arabic(norm), bool(re.search(r"[a-z]{2}", norm))
        return cls(*(sp.spans(norm, has_arabic, has_latin) for sp in (lex.report, lex.cont, lex.accuse)))


def _spans_in(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    i = bisect.bisect_left(spans, (start, -1))
    j = bisect.bisect_left(spans, (end, -1))
    return spans[i:j]


def find_speech(norm: str, start: int, end: int, actors: list[ActorMention], tokens_between: TokenCount,
                lex: Lexicon, previous: ActorMention | None, verbs: SpeechVerbs | None = None,
                events: list[int] | None = None) -> Speech:
    """The speaker of the sentence norm[start:end] (previous speaker when it goes on), and any accusation.

    `actors` are the sentence's actor mentions; `verbs` the text's speech verbs when already found; `events`
    the starts of its claim triggers (an Arabic side named after one of them acts in it, it does not speak:
    «أعلنت إدارة المطار تعليق الرحلات إثر سقوط قذائف أطلقتها مليشيات حفتر»).
    """
    verbs = verbs or SpeechVerbs.find(norm, lex)
    named = [a for a in actors if not a.relative]
    speaker: ActorMention | None = None
    verb_found = False
    for spans, continues in ((verbs.report, False), (verbs.cont, True)):
        for vs, ve in _spans_in(spans, start, end):
            verb_found = True
            cand = _speaker_near(norm, vs, ve, end, named, tokens_between, lex, events or [])
            if cand is not None:
                speaker = cand
                break
            if continues and previous is not None:
                speaker = previous
        if speaker is not None:
            break
    if speaker is None and verb_found and not _own_english_subject(norm, start, end, verbs.report, lex.back_subjects):
        speaker = previous
    accused = accuser = None
    for vs, ve in _spans_in(verbs.accuse, start, end):
        after = [a for a in named if a.start >= ve and tokens_between(ve, a.start) <= ACCUSED_TOKENS]
        if len(after) >= 2:
            accuser, accused = after[0], after[1]
        elif len(after) == 1:
            accused = after[0]
            before = [a for a in named if a.end <= vs and tokens_between(a.end, vs) <= 6]
            accuser = before[-1] if before else None
        if accuser is not None and speaker is None:
            speaker = accuser
        break
    return Speech(speaker, accused, accuser)


def _own_english_subject(norm: str, start: int, end: int, report: list[tuple[int, int]], back: frozenset[str]) -> bool:
    """The sentence's first English report verb has a subject of its own ("The GNA's new operation … said"),
    not one that refers back to who spoke before ("he said", "the spokesman said", "its media office said";
    `back`: the lexicon's back_subjects): it is not the previous sentence's speaker who speaks."""
    spans = _spans_in(report, start, end)
    if not spans:
        return False
    vs, ve = spans[0]
    if not norm[vs:ve].isascii() or norm[vs:ve].startswith("according"):
        return False
    words = re.findall(r"[a-z]+", norm[start:vs])
    if not words or words[-1] in back:
        return False
    return not any(w in ("its", "his", "her", "their") for w in words[-4:])  # "its media office said": back


def _own_subject(between: str) -> bool:
    """The text between a side and an English speech verb after it ends in a clause of its own with a
    subject ("…, the operations room said")."""
    cut = max(between.rfind(","), between.rfind("،"))
    return cut >= 0 and any(ch.isalpha() for ch in between[cut + 1 :])


def _after_name(norm: str, a: ActorMention, end: int) -> str:
    """The text from an actor's end to `end`, less the closing mark of a name set in quotes by itself
    («الوفاق»، قد أعلنت)."""
    if a.start > 0 and norm[a.start - 1] in '«"“' and norm[a.end : a.end + 1] in '»"”':
        return norm[a.end + 1 : end]
    return norm[a.end : end]


def _speaker_near(norm: str, vstart: int, vend: int, send: int, actors: list[ActorMention],
                  tokens_between: TokenCount, lex: Lexicon, events: list[int]) -> ActorMention | None:
    comp = lex.complement.search(norm, vend, send)
    limit = comp.start() if comp else send
    actors = [a for a in actors if not lex.mute.search(norm, a.start, a.end)]  # a drone does not speak
    verb = norm[vstart:vend]
    before = [a for a in actors if a.end <= vstart and tokens_between(a.end, vstart) <= 6
              and not any(q in _after_name(norm, a, vstart) for q in '"”»')]  # a name quoted is not who speaks
    if verb.isascii():
        # English: "X said …"; "…, said X" and "according to X" name the speaker after the verb; in
        # "…, the operations room said" the words after the comma are the speaker, not a side named before it
        before = [a for a in before if not _own_subject(norm[a.end : vstart])]
        after_ok = verb.startswith("according") or bool(_AFTER_CLAUSE.search(norm[max(0, vstart - 3) : vstart]))
        after = [a for a in actors if vend <= a.start < limit and tokens_between(vend, a.start) <= 4]
        if after_ok and after:
            return after[0]
        return None if verb.startswith("according") else (before[-1] if before else None)
    # with no «إن/أن» after it, a side named after an event between is that event's, not the speaker
    # («أعلنت إدارة المطار تعليق الرحلات إثر سقوط قذائف أطلقتها مليشيات حفتر»); before «إن» it is the speaker's
    # title («المتحدث باسم غرفة عمليات تحرير سرت»)
    after = [a for a in actors if vend <= a.start < limit and tokens_between(vend, a.start) <= 12
             and (comp is not None or bisect.bisect_left(events, vend) == bisect.bisect_left(events, a.start))]
    # «وكانت قوات الوفاق قد أعلنت … التي ينازعها حفتر»: a subject right before the verb speaks, not a
    # side named further on in what is said
    subject = [a for a in before if tokens_between(a.end, vstart) <= 1]
    if subject and not (after and tokens_between(vend, after[0].start) <= 1):
        return subject[-1]
    if after:
        return after[0]
    return before[-1] if before else None

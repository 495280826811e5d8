"""Finds the sides named in text and who makes each statement."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.lexicon import Lexicon
from pipeline.models import Side


@dataclass(frozen=True)
class ActorMention:
    """An actor named in text: a side, a neutral actor (side None) or a pronoun for the speaker."""

    start: int
    end: int
    side: Side | None
    speaker: bool = False

    @property
    def neutral(self) -> bool:
        """True for actors that are no side (the UN, the US, Egypt…)."""
        return self.side is None and not self.speaker


def find_actors(norm: str, original: str, to_orig: list[int] | None, lex: Lexicon) -> list[ActorMention]:
    """Actor mentions in normalized text (offsets in the normalized text), longest first on overlap."""
    found: list[ActorMention] = []
    for pat in lex.actors:
        for m in pat.regex.finditer(norm):
            if pat.caps is not None:
                a = to_orig[m.start()] if to_orig else m.start()
                if pat.caps not in original[a : a + len(pat.caps) + 2]:
                    continue
            found.append(ActorMention(m.start(), m.end(), pat.side, pat.speaker))
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    kept: list[ActorMention] = []
    for a in found:
        if all(a.end <= k.start or a.start >= k.end for k in kept):
            kept.append(a)
    return sorted(kept, key=lambda x: x.start)


@dataclass(frozen=True)
class Speech:
    """Who speaks in a sentence, and whom they accuse."""

    speaker: ActorMention | None
    accused: ActorMention | None = None
    accuser: ActorMention | None = None


def find_speech(norm: str, start: int, end: int, actors: list[ActorMention], tokens_between, lex: Lexicon,
                previous: ActorMention | None) -> Speech:
    """The speaker of the sentence norm[start:end] (previous speaker when it goes on), and any accusation."""
    in_sentence = [a for a in actors if start <= a.start < end and not a.speaker]
    speaker: ActorMention | None = None
    verb_found = False
    for regex, continues in ((lex.report, False), (lex.cont, True)):
        for m in regex.finditer(norm, start, end):
            verb_found = True
            cand = _speaker_near(norm, m.start(), m.end(), end, in_sentence, tokens_between, lex)
            if cand is not None:
                speaker = cand
                break
            if continues and previous is not None:
                speaker = previous
        if speaker is not None:
            break
    if speaker is None and verb_found:
        speaker = previous
    accused = accuser = None
    for m in lex.accuse.finditer(norm, start, end):
        after = [a for a in in_sentence if a.start >= m.end() and tokens_between(m.end(), a.start) <= 8]
        if len(after) >= 2:
            accuser, accused = after[0], after[1]
        elif len(after) == 1:
            accused = after[0]
            before = [a for a in in_sentence if a.end <= m.start() and tokens_between(a.end, m.start()) <= 6]
            accuser = before[-1] if before else None
        if accuser is not None and speaker is None:
            speaker = accuser
        break
    return Speech(speaker, accused, accuser)


def _speaker_near(norm: str, vstart: int, vend: int, send: int, actors: list[ActorMention], tokens_between,
                  lex: Lexicon) -> ActorMention | None:
    comp = lex.complement.search(norm, vend, send)
    limit = comp.start() if comp else send
    latin = norm[vstart:vend].isascii()
    after = [a for a in actors if vend <= a.start < limit
             and tokens_between(vend, a.start) <= (3 if latin else 12)]
    before = [a for a in actors if a.end <= vstart and tokens_between(a.end, vstart) <= 6]
    if latin and before:
        return before[-1]
    if after:
        return after[0]
    return before[-1] if before else None

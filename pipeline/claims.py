"""Tags claims in an article: who claims what, where and when, with the evidence sentence.

A claim trigger (pattern lexicon) applies to the places of its clause; its side comes from named
side rules, in order: an actor bound to the trigger (agent, or the one acted upon), the clause, the
enemy of a repelled attacker, an accusation, the sentence, the speaker; the rule that decided is the
claim's `why` and sets its confidence (data/evidence.json). Its date comes from a phrase counting back
to it, its own predicate, the clause, the sentence, else the article's reference or publication date.
"""
from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import SimpleNamespace
from typing import Any

from gazetteer.matcher import Match, Matcher, MatchKind, default_matcher
from gazetteer.normalize import LATIN_ARTICLES, TOKEN_RE, NormalizedText, is_arabic
from pipeline.actors import ActorMention, Speech, SpeechVerbs, attach_possessors, find_actors, find_speech
from pipeline.dates import AnchoredDate, DateMention, continues_reference, find_anchored, find_dates
from pipeline.lexicon import ClaimPattern, Lexicon, evidence_confidence, load_lexicon, modal_spanning
from pipeline.literals import gate_of, may_match, needs_of, search
from pipeline.models import Article, Claim, ClaimType, DatePrecision, EventDate, Evidence, Side
from pipeline.outlets import load_conventions, resolve_army
from pipeline.sentences import clause_bounds, split_sentences
from pipeline.wordstarts import word_starts


def _plain(enum: type[StrEnum]) -> SimpleNamespace:
    """An enum's members as plain attributes: on Python 3.11 reading `ClaimType.CONTROL` goes through the
    enum metaclass's __getattr__ hook (about 0.3 µs, 20 times a plain attribute), and the code run once a
    trigger, a candidate actor or a claim reads members a dozen times each."""
    return SimpleNamespace(**enum.__members__)


_ClaimType, _Evidence, _MatchKind, _DatePrecision, _Side = (
    _plain(e) for e in (ClaimType, Evidence, MatchKind, DatePrecision, Side))

BIND_TOKENS = 4
#: Claim types that say nothing without a side: whose control, whose advance, whose withdrawal.
_NEEDS_SIDE = frozenset({ClaimType.CONTROL, ClaimType.ADVANCE, ClaimType.WITHDRAWAL, ClaimType.REPELLED})
NAME_REACH = 50  # characters before a place read for the institution whose name it is part of
BY_TOKENS = 8  # how far after a trigger a side named with "by" is still its agent
#: How far a trigger after a place (with none before it) may stand and still be about it.
AFTER_TOKENS = 6
#: Words before "to" that make what follows an achieved event, not a purpose ("managed to advance").
_ACHIEVED = re.compile(r"managed|succeeded|able|began|begun|started|continued|went|proceeded")
#: An Arabic preposition before a control verbal noun that makes it a goal («إلى السيطرة», «نحو السيطرة»).
_TOWARD = frozenset({"الي", "نحو"})
#: «حتى» (until): before a verbal noun of taking, a goal (lexicon goal_until).
_UNTIL = "حتي"
#: Verbs before it that make it a result instead («أدى إلى السيطرة», «انتهى إلى»).
_LED = frozenset({"ادي", "ادت", "افضي", "افضت", "انتهي", "انتهت"})
#: How far before a trigger a plot may be named ("plotting to carry out a terrorist attack").
PLOT_TOKENS = 8
_LATIN = re.compile(r"[a-z]{2}")
#: What may stand between a place and a trigger that follows it and still concerns it:
#: nothing ("طرابلس لهجوم", "the Tarhuna offensive") or a passive auxiliary ("Ain Zara was repelled").
_PASSIVE_GAP = re.compile(r"\s*(?:(?:was|were|is|are|has\s+been|have\s+been|had\s+been|been)\s+)?")
#: The most letters that gap holds ("havebeen").
_PASSIVE_LETTERS = 8
#: What may stand between an English verb and its direct object.
_OBJECT_GAP = re.compile(r"\s*(?:(?:the|a|an|its|their|his|her|several|some)\s+)?(?:\w+(?:ing|ed)\s+)?")
CITY_KINDS = frozenset({"city", "town", "region"})
#: From how many places a clause or sentence is read once for the words of its place tests (fewer: the tests
#: run on each place's few words directly, which costs less than reading the clause).
_MANY_PLACES = 3
#: Between a city and the place after it: a possessive ("the capital's Mitiga airport").
_POSSESSIVE = re.compile(r"\s*['’]s\s+")
_INTENT_OK = frozenset({_ClaimType.CONTROL, _ClaimType.ADVANCE, _ClaimType.ATTACK})
#: Claims a reference point ("on the outskirts of Tripoli") may get: fighting near it, not its possession.
_LOCATOR_OK = frozenset({_ClaimType.ADVANCE, _ClaimType.ATTACK, _ClaimType.REPELLED, _ClaimType.CLASH, _ClaimType.STRIKE})
#: Claim types that describe the same direction of action: an actor may act in several of one group.
_GROUP = {_ClaimType.ATTACK: "offensive", _ClaimType.STRIKE: "offensive", _ClaimType.ADVANCE: "offensive",
          _ClaimType.CONTROL: "holding", _ClaimType.REPELLED: "holding", _ClaimType.WITHDRAWAL: "withdrawal",
          _ClaimType.CLASH: "clash"}


@dataclass(frozen=True, eq=False)
class Trigger:
    """A claim pattern found in the text (offsets in the normalized text). Compared and hashed by identity:
    each is found once, and hashing its pattern (a compiled regex) on every dictionary look-up is costly."""

    start: int
    end: int
    pattern: ClaimPattern


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything extracted from one article."""

    article: Article
    mentions: tuple[Match, ...]
    claims: tuple[Claim, ...]


def _scripts(norm: str) -> set[bool]:
    """Which scripts a text has: True for Arabic, False for Latin."""
    out = set()
    if is_arabic(norm):
        out.add(True)
    if _LATIN.search(norm):
        out.add(False)
    return out


def find_triggers(norm: str, lex: Lexicon, ranges: Iterable[tuple[int, int]] | None = None,
                  places: bytearray | None = None, words: tuple[list[int], list[int]] | None = None
                  ) -> list[Trigger]:
    """Claim triggers (in the given ranges of the text, or all of it), overlaps resolved by priority then
    length; blockers removed at the end. A trigger never spans a place name (`places` marks their
    characters): "تتصدى طرابلس لهجوم" is two triggers around Tripoli, not one across it. `words`: the
    starts and ends of the text's tokens (NormalizedText.token_spans), when known."""
    patterns = lex.patterns
    scout = word_starts([p.regex for p in patterns])  # each pattern is tried only at words that can start it
    found: list[tuple[int, int, ClaimPattern]] = []  # a Trigger is made only for the ones kept
    for lo, hi in ranges if ranges is not None else [(0, len(norm))]:
        chunk = norm[lo:hi]
        scripts = _scripts(chunk)
        wanted = [k for k, p in enumerate(patterns) if p.arabic in scripts
                  and (scout.at_words[k] or may_match(p.needs, chunk))]  # a pattern whose words are absent is not run
        for k, matches in zip(wanted, scout.search(norm, lo, hi, wanted, words), strict=True):
            pattern = patterns[k]
            found += [(m.start(), m.end(), pattern) for m in matches if m.end() > m.start()]
    if places is not None:
        found = [f for f in found if not any(places[f[0] : f[1]])]
    found = [f for f in found if not _is_modifier(norm, *f, lex)]
    found.sort(key=lambda f: (-f[2].priority, f[0] - f[1], f[0]))
    kept: list[Trigger] = []
    taken = bytearray(len(norm) + 1)
    for start, end, pattern in found:
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            if pattern.type is not None:  # a blocker only masks its span
                kept.append(Trigger(start, end, pattern))
    kept.sort(key=lambda t: t.start)
    return kept


def _is_modifier(norm: str, start: int, end: int, pattern: ClaimPattern, lex: Lexicon) -> bool:
    """The trigger word only describes a noun ("retreating militia vehicles", "الرتل المنسحب")."""
    latin_surface, latin_after, latin_before, arabic_surface = lex.modifier
    if pattern.arabic:  # (the surface regexes are anchored with ^ and $: they read the word alone)
        return pattern.type is _ClaimType.WITHDRAWAL and bool(arabic_surface.match(norm[start:end]))
    return bool(latin_surface.match(norm[start:end]) and latin_after.match(norm, end)
                and not latin_before.search(norm, max(0, start - 12), start))


def _clauses(tx: NormalizedText, start: int, end: int, mentions: list[Match], lex: Lexicon) -> list[tuple[int, int]]:
    """Clauses of a sentence (normalized offsets); a list of places or a short aside stays joined."""
    raw = clause_bounds(tx.norm, tx.n(start), tx.n(end))
    if len(raw) == 1:
        return raw  # the first clause always stands: nothing to join
    starts = {tx.n(m.start) for m in mentions}
    ordered = sorted(starts)

    def within(lo: int, hi: int) -> list[int]:  # the place starts in [lo, hi)
        return ordered[bisect.bisect_left(ordered, lo) : bisect.bisect_left(ordered, hi)]

    def named(lo: int, hi: int) -> bool:  # a place starts in [lo, hi) (not listing them: a merged list is long)
        k = bisect.bisect_left(ordered, lo)
        return k < len(ordered) and ordered[k] < hi

    merged: list[list[int]] = [list(raw[0])]  # the first clause always stands
    aside_before = False  # the clause before was a short aside joined to the one before it
    for a, b in raw[1:]:
        inner = within(a + 1, b)
        aside = not named(merged[-1][0], merged[-1][1])
        if aside and any(lex.place_continuation.match(tx.norm[a:s]) for s in inner):
            if len(merged) > 1:
                merged.pop()  # "…شنته مليشيات حفتر، مدعومة بمرتزقة، على محور X": the aside and X join the predicate
            merged[-1][1] = b
            continue
        # the first three words are all it reads ("Al-Jmail" starts at Jmail); a clause opening with a
        # place continues a list whatever follows, so its first word is read alone first
        found = _first_words(tx, a, b, 1)
        if found and found[0][0] in starts:
            merged[-1][1] = b
            continue
        found = _first_words(tx, a, b, 3)
        toks = [tx.norm[s:e] for s, e in found]
        first = found[0][0] if found else a
        second = found[1][0] if len(found) > 1 else -1
        head = toks[0] if toks else ""
        # "، واليرموك، والنهر" or "، and Tiji": the clause only continues a list of places
        list_item = first in starts or (head in ("و", "and", "or") and second in starts) or (
            head.startswith("و") and first + 1 in starts) or any(
            lex.list_continuation.match(tx.norm[a:s]) for s in inner)
        short_aside = len(toks) < 3 and not named(a, b)
        # «دخلت قوات الوفاق، أمس الثلاثاء، مدينة ترهونة»: the object after a time aside is still the predicate's
        resumed = aside_before and len(toks) < 3 and len(_first_words(tx, a, b, 4)) < 4
        if list_item or short_aside or resumed:
            merged[-1][1] = b
        else:
            merged.append([a, b])
        aside_before = short_aside
    return [(a, b) for a, b in merged]


def _first_words(tx: NormalizedText, a: int, b: int, k: int) -> list[tuple[int, int]]:
    """The spans of the first k tokens of norm[a:b] that are no Latin article, as TOKEN_RE.finditer(norm, a, b)
    finds them: read from the text's token spans, or found again when a token runs across a or b (the
    search would cut it there)."""
    starts, ends = tx.token_spans
    i = bisect.bisect_left(starts, a)
    if i > 0 and ends[i - 1] > a:
        return _first_words_found(tx.norm, a, b, k)
    out: list[tuple[int, int]] = []
    norm = tx.norm
    while len(out) < k and i < len(starts) and starts[i] < b:
        if ends[i] > b:
            return _first_words_found(norm, a, b, k)
        if norm[starts[i] : ends[i]] not in LATIN_ARTICLES:
            out.append((starts[i], ends[i]))
        i += 1
    return out


def _first_words_found(norm: str, a: int, b: int, k: int) -> list[tuple[int, int]]:
    return [m.span() for m in itertools.islice(
        (m for m in TOKEN_RE.finditer(norm, a, b) if m.group() not in LATIN_ARTICLES), k)]


#: Characters before a side searched for the words that name it as a target ("a convoy belonging to the").
VICTIM_REACH = 40


def _bound_actor(tx: NormalizedText, trig: Trigger, actors: _Ordered, trigger_starts: list[int], lex: Lexicon,
                 scans: _Scans, verb_starts: list[int] | None = None) -> Binding | None:
    """An actor tied to the trigger and its role: right before it (the agent), or just after it.

    After the trigger, "by X" is the agent and "from X", "positions of X" the one acted upon; an
    English direct object is acted upon too; otherwise the pattern says (Arabic verb-subject order).
    An Arabic verbal noun in construct with the side right after it («بسيطرة قوات الوفاق») has that
    side as its agent, whatever side a modifier names just before it.

    The actors are in order and do not overlap, and the tokens between an actor and the trigger only grow
    with its distance, so each search walks out from the trigger and stops where the count is passed.
    """
    first_after = bisect.bisect_left(actors.starts, trig.end)
    if lex.nominal_agent.match(tx.norm[trig.start : trig.end]):
        for a in actors.items[first_after:]:
            if tx.tokens_between(trig.end, a.start) != 0:
                break
            if not _punct_between(tx.norm, trig.end, a.start):
                return Binding(trig, a, _Role.AGENT)
    items = actors.items
    for k in range(bisect.bisect_right(actors.ends, trig.start) - 1, -1, -1):  # the actors before it, nearest first
        a = items[k]
        if tx.tokens_between(a.end, trig.start) > 1:
            break
        if (not _punct_between(tx.norm, a.end, trig.start)
                and not lex.complement.search(tx.norm, a.end, trig.start)
                and not any(scans.actor_facts(a, lex))):  # named as a target, or as the patron of media
            return Binding(trig, a, _Role.AGENT)
    k = bisect.bisect_left(trigger_starts, trig.end)
    nxt = trigger_starts[k] if k < len(trigger_starts) else len(tx.norm)
    if verb_starts:  # «بقذائف قالت حكومة الوفاق إن…»: a side after a report verb speaks, it does not act
        v = bisect.bisect_left(verb_starts, trig.end)
        if v < len(verb_starts):
            nxt = min(nxt, verb_starts[v])
    actor = None
    for a in actors.items[first_after:]:
        if a.start >= nxt or tx.tokens_between(trig.end, a.start) > BIND_TOKENS:
            break
        if not _punct_between(tx.norm, trig.end, a.start):
            actor = a
            break
    if actor is None:
        # "the shelling of Tripoli's residential neighbourhoods by Haftar's militias": "by X" reaches further
        for a in actors.items[first_after:]:
            if a.start >= nxt or _punct_between(tx.norm, trig.end, a.start) or tx.tokens_between(trig.end, a.start) > BY_TOKENS:
                break
            if (lex.by_before.search(tx.norm, max(trig.end, a.start - 20), a.start)
                    and not lex.operator_before.search(tx.norm, max(trig.end, a.start - 30), a.start)):
                return Binding(trig, a, _Role.AGENT if _passive(tx, trig, lex) else Role(trig.pattern.after_role or _Role.AGENT))
        return None
    gap = tx.norm[trig.end : actor.start]
    if trig.pattern.after_role:
        if lex.agent_gap.search(gap) and _passive(tx, trig, lex):
            return Binding(trig, actor, _Role.AGENT)  # «تم صد هجوم على X من قبل قوات الوفاق»: who repelled it
        return Binding(trig, actor, Role(trig.pattern.after_role))
    offensive = trig.pattern.type is not None and _GROUP[trig.pattern.type] == "offensive"
    if offensive and lex.author_gap.match(gap.strip()):
        return Binding(trig, actor, _Role.AGENT)  # «لهجوم من فلول ميليشيات حفتر»: from whom, before what of
    if offensive and lex.victim_before.search(gap):
        return Binding(trig, actor, _Role.OPPONENT)  # "struck positions of X", "a convoy held by X": X is struck
    if trig.pattern.type is _ClaimType.ADVANCE and lex.pursued_before.search(gap):
        return None  # «تلاحق فلول الميليشيات»: who is pursued does not advance
    if lex.agent_gap.search(gap) or (offensive and lex.author_gap.search(gap)):
        return Binding(trig, actor, _Role.AGENT)  # "shelling by X", "an attack from X", «لهجوم من X»
    if lex.opponent_gap.search(gap):
        return Binding(trig, actor, _Role.OPPONENT)  # "seized it from X", "against X"; but "فرت عناصر X": X flees
    if tx.norm[trig.start : trig.end].isascii():
        if not _OBJECT_GAP.fullmatch(gap):
            return None  # "the advance came after the army seized": the army acts in another clause
        return Binding(trig, actor, _Role.OPPONENT)  # English: the noun right after a verb is its object
    return Binding(trig, actor, Role(trig.pattern.role))


@dataclass(frozen=True)
class _Ordered:
    """A sentence's actors (in order, not overlapping) with their starts and ends, for bisecting."""

    items: list[ActorMention]
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, actors: list[ActorMention]) -> _Ordered:
        """The actors with their offsets listed."""
        return cls(actors, [a.start for a in actors], [a.end for a in actors])

    def covers(self, pos: int) -> bool:
        """An actor's name spans the offset (only the last one starting at or before it can)."""
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


_PUNCT = re.compile(r"[،,;؛.!?؟]")


def _punct_between(norm: str, a: int, b: int) -> bool:
    """A clause or sentence mark stands in norm[a:b]."""
    return a < b and _PUNCT.search(norm, a, b) is not None


class Role(StrEnum):
    """The role of an actor bound to a trigger."""

    AGENT = "agent"  # the side that acts
    OPPONENT = "opponent"  # the side acted upon


_Role = _plain(Role)


@dataclass(frozen=True)
class Binding:
    """An actor tied to a trigger, in a role."""

    trigger: Trigger
    actor: ActorMention
    role: Role


@dataclass(frozen=True)
class _Context:
    """What side resolution needs to know about a sentence."""

    tx: NormalizedText
    sent: tuple[int, int]
    actors: list[ActorMention]
    bound: dict[Trigger, Binding]
    speech: Speech
    speaker: Side | None
    lex: Lexicon
    scans: _Scans  # the article's answers kept for reuse
    outlet: Side | None = None  # the side the outlet writes for, if it has a convention
    media_voice: bool = False  # the speaker is media leaning to a side, not the side itself
    verb_starts: list[int] = dataclasses.field(default_factory=list)  # where the text's speech verbs start
    trigger_starts: list[int] = dataclasses.field(default_factory=list)  # where the sentence's triggers start
    memo: dict = dataclasses.field(default_factory=dict, compare=False)  # per-sentence answers (see pick)


def _same_actor_can(bound_kind: ClaimType | None, kind: ClaimType, subject: bool) -> bool:
    """Whether the agent of one claim type may also be the side of another in the same sentence:
    the subject that advances may take a place ("forces advanced … after seizing X"); the attacker
    named in "لهجمات حفتر" does not take what its attacks were repelled from, nor repel its own attack."""
    if bound_kind is None:
        return True
    if _GROUP[bound_kind] == _GROUP[kind]:
        return True
    # ("our heroes advanced in X and repelled an attempt…": one subject, two verbs)
    return subject and ((_GROUP[bound_kind] == "offensive" and kind is _ClaimType.CONTROL)
                        or (bound_kind is _ClaimType.ADVANCE and kind is _ClaimType.REPELLED))


def _evidence(actor: ActorMention, kind: Evidence) -> Evidence:
    """The evidence kind of a side found through an actor: an outlet-dependent name says so."""
    return _Evidence.OUTLET if actor.by_outlet else kind


_QUOTE = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»')


#: Words up to which a quotation is a quoted phrase of the sentence ('a "tactical redeployment"'), not a statement.
SCARE_QUOTE_WORDS = 4


#: Between two actors, what joins them as one noun phrase: up to two words (adjectives), then "and" or an
#: attached «و» (checked on the second actor).
_JOINED_ACTORS = re.compile(r"(?:\s+[^\s,،.;:]+){0,2}?\s*(?:and\s+)?")


def _closed_relative(norm: str, lex: Lexicon, lo: int, hi: int) -> bool:
    """A relative pronoun opens a clause in norm[lo:hi] ("where" and «حيث» open an adverbial one, which
    goes on after an aside: "where GNA forces, backed by drones, seized X")."""
    m = lex.relative_word.search(norm, lo, hi)
    return m is not None and m.group() not in lex.adverbial_relatives


#: "and" (or "and the") right before a side.
_AND_END = re.compile(r"(?<!\w)and(?:\s+the)?\s*$")
#: Words after a side joined to a struck one within which a trigger makes it that trigger's subject instead.
JOINED_SUBJECT_TOKENS = 2


def _coordinated_victim(ctx: _Context, a: ActorMention) -> bool:
    """The actor is joined by "and" to the one before it, which was named as a target ("struck gatherings of
    the militias and Syrian mercenaries", «تجمعات للميليشيات الإرهابية والمرتزقة السوريين»)."""
    norm = ctx.tx.norm
    if not (norm.startswith("و", a.start) or _AND_END.search(norm, max(0, a.start - 10), a.start)):
        return False  # (most sides are joined to nothing: the cheap test first)
    starts = _offsets(ctx)[0]
    k = bisect.bisect_left(starts, a.start)
    if k == 0:
        return False
    prev = ctx.actors[k - 1]
    t = bisect.bisect_left(ctx.trigger_starts, a.end)
    if t < len(ctx.trigger_starts) and ctx.tx.tokens_between(a.end, ctx.trigger_starts[t]) <= JOINED_SUBJECT_TOKENS:
        return False  # "positions of Haftar's fighters and GNA units then stormed X": the subject of its own verb
    if _JOINED_ACTORS.fullmatch(norm, prev.end, a.start) is None:
        return False
    return ctx.scans.actor_facts(prev, ctx.lex)[1]


def _quoted_army(norm: str, sent: tuple[int, int], actors: list[ActorMention], speaker: ActorMention,
                 side: Side, outlet: Side | None) -> list[ActorMention]:
    """A bare "army" inside a side's quoted words is that side's own, whatever the outlet calls "the army"
    (Anadolu quoting al-Mismari: «القوات المسلحة صدت هجوما»), unless another side is named between the speaker
    and the quote ("Gnounou said…, while al-Mismari said: «…»": whose quote is it?)."""
    if speaker.side is None or not any(a.by_outlet for a in actors):
        return actors
    others = [a.start for a in actors if not a.by_outlet and not a.relative and a.start > speaker.start
              and a.side_for(side, outlet) not in (None, speaker.side)]
    quotes = [q.span() for q in _QUOTE.finditer(norm, *sent) if len(q.group().split()) > SCARE_QUOTE_WORDS]
    if not quotes:
        return actors
    starts = [qs for qs, _qe in quotes]  # in order, not overlapping

    def own_quote(pos: int) -> bool:
        """pos lies in a quote with no other side named between the speaker and it."""
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos < quotes[k][1] and bisect.bisect_left(others, starts[k]) == 0

    return [dataclasses.replace(a, side=speaker.side, by_outlet=False)
            if a.by_outlet and a.start > speaker.start and own_quote(a.start) else a for a in actors]


def _quoted_apart(ctx: _Context, a: int, b: int) -> bool:
    """One of two offsets lies inside a quotation (a statement of its own, not a quoted phrase) of the
    sentence and the other not."""
    quotes = ctx.memo.get("quotes")
    if quotes is None:  # found once a sentence, not once a candidate
        quotes = ctx.memo["quotes"] = [q.span() for q in _QUOTE.finditer(ctx.tx.norm, *ctx.sent)
                                       if len(q.group().split()) > SCARE_QUOTE_WORDS]
    return bool(quotes) and any((qs <= a < qe) != (qs <= b < qe) for qs, qe in quotes)


def _offsets(ctx: _Context) -> tuple[list[int], list[int]]:
    """The starts and the ends of the sentence's actors (in order, not overlapping), listed once a sentence."""
    offsets = ctx.memo.get("offsets")
    if offsets is None:
        offsets = ctx.memo["offsets"] = ([a.start for a in ctx.actors], [a.end for a in ctx.actors])
    return offsets


#: Between a name and its bracketed short name ("Government (of National Accord) (GNA)").
_BRACKET = re.compile(r"(?:\s+\w+){0,4}\s*\(\s*")
#: What joins two actors into one group: nothing, "and", "and the so-called" (the Arabic «و» is attached to the
#: second one, inside its span).
_JOINED = re.compile(r"\s*(?:and\s+)?(?:the\s+)?(?:so[- ]called\s+)?", re.IGNORECASE)


def _is_source(ctx: _Context, a: ActorMention) -> bool:
    """The side is the one something is taken from or done against ("from (the control of) the GNA",
    «من أيدي X»), or the bracketed short name of one ("… Government of National Accord (GNA)")."""
    found = search(ctx.lex.source_before, ctx.tx.norm, max(0, a.start - 60), a.start)
    if found is not None:
        before = ctx.tx.norm[max(0, found.start() - 30) : found.start()].split()
        return not (before and before[-1].lower() in ctx.lex.partitive_before)  # «وحدات من قواتنا»: a part of it
    k = bisect.bisect_left(_offsets(ctx)[0], a.start)  # its index: the actors are in order, one a start
    if k > 0 and (_BRACKET.fullmatch(ctx.tx.norm, ctx.actors[k - 1].end, a.start)
                  or _JOINED.fullmatch(ctx.tx.norm, ctx.actors[k - 1].end, a.start)):
        return _is_source(ctx, ctx.actors[k - 1])  # «من قبضة مليشيات حفتر ومرتزقة فاغنر»: both lose it
    return False


def _antecedents(norm: str, actors: list[ActorMention], speaker: ActorMention | None) -> list[ActorMention]:
    """With no side speaking, a third-person pronoun of forces ("they", "its forces", «قواتها») stands for the
    one actor named before it in the sentence when that actor is a side ("GNA forces entered Gharyan, two days
    after they seized Tarhuna"); with none, or several ("the LNA launched an offensive against the GNA, and its
    forces seized…", "residents said the LNA shelled the area before they fled"), it stays unknown. A neutral
    speaker of an Arabic possessive («مصادر قالت إن قواتها») is not counted: sources have no forces."""
    if not any(a.relative == "self" for a in actors):
        return actors
    out, named = [], []
    for a in actors:
        if a.relative == "self":
            arabic_possessive = not norm[a.start : a.end].isascii()
            before = [x for x in named if not (arabic_possessive and x is speaker and x.side is None)]
            if len(before) == 1 and before[0].side is not None:
                a = dataclasses.replace(a, side=before[0].side, relative="")
        elif not a.relative:
            named.append(a)
        out.append(a)
    return out


#: What a third-person pronoun of forces becomes when it cannot stand for the speaker: an actor of no side.
_UNRESOLVED = "unresolved"


#: Right before a speaker named at the end of its statement: "…, the LNA said", «…"، قال المسماري».
_ATTRIBUTION = re.compile(r"[,،\"”»']\s*(?:the\s+)?$")


def _unspoken_pronouns(norm: str, actors: list[ActorMention], speaker: ActorMention, side: Side,
                       outlet: Side | None) -> list[ActorMention]:
    """A third-person pronoun of forces stands for the speaker only when the speaker is named before it (or
    at the end of the statement: "its forces entered X, Gnounou said") and, in English, no other side comes
    between them; otherwise it stands for nobody known: "its forces pulled out of X, two days after the GNA
    announced…" (the GNA speaks later, of something else), "the GNA said the fighters belonged to Wagner
    and that they had pulled out" ("they" are the fighters)."""
    if not any(a.relative == "self" for a in actors):
        return actors
    trailing = speaker.start > 0 and _ATTRIBUTION.search(norm, max(0, speaker.start - 8), speaker.start) is not None
    out = []
    other = -1  # where the last side other than the speaker's named after the speaker starts
    for a in actors:  # in order: the last other side before a pronoun is known when it comes
        if a.relative == "self":
            if (speaker.start > a.start and not trailing) or (
                    other >= speaker.end and norm[a.start : a.end].isascii()):
                a = dataclasses.replace(a, relative=_UNRESOLVED)
        elif not a.relative and a.side_for(side, outlet) not in (None, side):
            other = a.start
        out.append(a)
    return out


def _is_ended(tx: NormalizedText, trig: Trigger, clause: tuple[int, int], lex: Lexicon, scans: _Scans) -> bool:
    """Words right before an attack end it ("ending the offensive on Tripoli", «تنهي فعليا الهجوم»)."""
    return scans.may(lex.ended_before, *clause) and lex.ended_before.search(
        tx.norm, max(clause[0], trig.start - 40), trig.start) is not None


def _ends_it(tx: NormalizedText, trig: Trigger, clause: tuple[int, int], side: Side | None, bound: Binding | None,
             lex: Lexicon) -> bool:
    """The attack is told as what was ended ("ending an attack on X"): background when no side is found, or
    when the side is the subject of the ending verb («لتنهي قواتها هجوما»: her forces ended it, Arabic
    verb-subject order); a side named as its author stays ("ended Haftar's offensive")."""
    m = lex.ended_before.search(tx.norm, max(clause[0], trig.start - 40), trig.start)
    if m is None:
        return False
    if side is None:
        return True
    a = bound.actor if bound is not None else None
    return a is not None and m.start() <= a.start < trig.start and not tx.norm[a.start : a.end].isascii()


def _says(ctx: _Context, a: ActorMention) -> bool:
    """A speech verb follows the actor within two tokens ("GNA officials said", «حكومة الوفاق قالت»)."""
    k = bisect.bisect_left(ctx.verb_starts, a.end)
    return k < len(ctx.verb_starts) and ctx.tx.tokens_between(a.end, ctx.verb_starts[k]) <= 2


def _victims_report(ctx: _Context) -> bool:
    """The sentence reports casualties ("30 were killed", «مقتل 30»), found once a sentence."""
    found = ctx.memo.get("casualties")
    if found is None:
        found = ctx.memo["casualties"] = ctx.lex.casualties.search(ctx.tx.norm, *ctx.sent) is not None
    return found


def _speaks(ctx: _Context, a: ActorMention) -> bool:
    """The actor is the sentence's speaker, or its name and bracketed short name name it twice ("…
    Government of National Accord (GNA)")."""
    speaker = ctx.speech.speaker
    if speaker is None:
        return False
    if a is speaker:
        return True
    first, second = (speaker, a) if speaker.end <= a.start else (a, speaker)
    return second.start >= first.end and _BRACKET.fullmatch(ctx.tx.norm, first.end, second.start) is not None


def _media_patron(norm: str, lex: Lexicon, a: ActorMention) -> bool:
    """The side is only named as the patron of media ("media loyal to Haftar", «مواقع مناصرة لقوات حفتر»)."""
    if norm.startswith("pro ", a.start):
        return bool(lex.media_after.match(norm, a.end))  # "pro-Haftar media", not "pro-GNA forces"
    before = search(lex.media_before, norm, max(0, a.start - 60), a.start)
    if before is None:
        return False
    if before.group().strip() == "pro":
        return bool(lex.media_after.match(norm, a.end))
    return True


def _both_sides(ctx: _Context, clause: tuple[int, int]) -> bool:
    """The clause says both sides act ("mutual shelling", "between the LNA and GNA militias")."""
    if ctx.lex.mutual.search(ctx.tx.norm, *clause):
        return True
    if not search(ctx.lex.between, ctx.tx.norm, *clause):
        return False
    sides = {a.side_for(ctx.speaker, ctx.outlet) for a in ctx.actors if clause[0] <= a.start < clause[1]}
    return {_Side.GNA, _Side.LNA} <= sides


#: What side resolution's candidate test answers to stop the search with no side (see _resolve_side).
_NO_SIDE: tuple = (None, None, False)


def _resolve_side(ctx: _Context, trig: Trigger, kind: ClaimType, clause: tuple[int, int]
                  ) -> tuple[Side | None, Evidence]:
    """The side a claim is about, with the kind of evidence it was found by (named side rules, in order)."""
    both = ctx.memo.get(clause)  # a clause's answer, once for all its triggers
    if both is None:
        both = ctx.memo[clause] = _both_sides(ctx, clause)
    if kind is _ClaimType.CLASH or both:
        return None, _Evidence.BOTH  # "mutual shelling", "clashes between the LNA and the GNA": both sides
    b = ctx.bound.get(trig)
    if b is not None:
        side = b.actor.side_for(ctx.speaker, ctx.outlet)
        if side is not None:
            if b.role is _Role.OPPONENT:
                return side.opponent, _evidence(b.actor, _Evidence.OBJECT)
            return side, _evidence(b.actor, _Evidence.AGENT)
        if b.role is _Role.AGENT:
            attacker = _named_attacker(ctx, trig, clause) if kind is _ClaimType.REPELLED else None
            if attacker is not None:  # "its forces repelled an attack by Haftar's militias": their enemy
                return attacker, _Evidence.REPELLER
            return None, _Evidence.NONE  # the agent is named but its side is not known: no guess
    # An actor tied to another trigger is that trigger's: the attacker named in "لهجوم قوات حفتر"
    # is not the side that repels it. It may still act in a claim of the same direction.
    group = _GROUP[kind]
    taken = ctx.memo.get(("taken", kind))  # the same for every trigger of a kind in the sentence
    if taken is None:
        # by identity: the sentence's actors are distinct objects (they do not overlap), the bound ones and
        # the accuser among them, and hashing a dataclass runs Python code
        taken = ctx.memo["taken", kind] = {
            id(x.actor) for x in ctx.bound.values()
            if (x.role is _Role.OPPONENT and not (x.trigger.pattern.type is _ClaimType.REPELLED and group == "offensive"))
            or (x.role is not _Role.OPPONENT and not _same_actor_can(x.trigger.pattern.type, kind,
                                                                     subject=x.actor.end <= x.trigger.start))}
        # (who was repelled is who attacked: "repelled an attempt by militias to advance on X")
        if ctx.speech.accuser is not None:
            taken.add(id(ctx.speech.accuser))

    def candidate(a: ActorMention) -> tuple[Side, ActorMention, bool] | None:
        if id(a) in taken:
            return None
        side = a.side_for(ctx.speaker, ctx.outlet)
        if side is None:
            return None
        if group == "offensive" and ((a.start >= trig.end and _speaks(ctx, a)) or (_victims_report(ctx) and (
                a.relative in ("self", "we") or _speaks(ctx, a) or _says(ctx, a)
                or (side is ctx.speaker and a.start >= trig.end)))):
            # who tells of a strike after it is no striker ("rockets hit the port of Tripoli, the GNA said"), nor
            # who reports its dead ("30 were killed in an attack on X, GNA officials said", "… near a GNA base,
            # the GNA said"), and no other side is then guessed (a side named as the subject before the verb
            # still struck: "the LNA has attacked X, killing 20, its spokesman said")
            return _NO_SIDE
        flags = ctx.memo.get(id(a))  # what does not depend on the trigger, once an actor a sentence
        if flags is None:
            patron, victim = ctx.scans.actor_facts(a, ctx.lex)
            flags = ctx.memo[id(a)] = (patron, _is_source(ctx, a), victim)
        patron, source, victim = flags
        if not victim and group == "offensive":
            victim = _coordinated_victim(ctx, a)  # "gatherings of the militias and Syrian mercenaries"
        if patron:
            return None  # "media loyal to Haftar reported shelling": a leaning, not a side of the claim
        if source:
            if trig.pattern.type is _ClaimType.CONTROL and a.start >= trig.end:
                # "seized towns from the LNA": the LNA lost them (and one who means to take them attacks them)
                return side.opponent, a, True
            return None  # otherwise the side taken from is no candidate
        if a.end <= trig.start and (ctx.lex.response_after.match(ctx.tx.norm, a.end, trig.start)
                                    or ctx.lex.response_before.search(ctx.tx.norm, max(0, a.start - 20), a.start)):
            return None  # "the GNA did not comment on the reported airstrikes": it answers, it did not act
        if _quoted_apart(ctx, a.start, trig.start):
            return None  # '"Haftar's militias collapsed," he said, adding that forces advanced…': another statement
        if a.start >= trig.end and ctx.lex.relative_word.search(ctx.tx.norm, max(trig.end, a.start - 120), a.start):
            return None  # "seized the positions which the militias had held": the side of another clause
        if (a.end <= trig.start and _closed_relative(ctx.tx.norm, ctx.lex, max(ctx.sent[0], a.start - 40), a.start)
                and _punct_between(ctx.tx.norm, a.end, trig.start)):
            return None  # «المواقع التي كانت تتمركز فيها المليشيات، كما أحكمت سيطرتها»: a closed relative clause's
        if a.start >= trig.end and ctx.lex.operator_before.search(ctx.tx.norm, max(trig.end, a.start - 30), a.start):
            return None  # "hit a field hospital near Gharyan operated by the GNA": who runs the target
        if victim or (a.end <= trig.start and ctx.lex.victim_after.match(ctx.tx.norm[a.end : trig.start])) or (
                a.start >= trig.end and group == "offensive" and ctx.lex.target_after.match(ctx.tx.norm, a.end)):
            # "positions of X", "X's positions came under fire", "… damaging a Turkish cargo ship": X was struck
            if group != "offensive":
                return None  # "positions of X" do not hold or withdraw; they are struck
            return side.opponent, a, False
        if a.start >= trig.end and ctx.tx.norm[trig.start : trig.end].isascii():
            return None  # English puts the subject first: a side after the verb is its object or another clause's
        return side, a, False

    def pick(lo: int, hi: int) -> tuple[Side, ActorMention, bool] | None:
        """The candidate nearest before the trigger, else the first after it (actors are in order and do
        not overlap, so the search walks out from the trigger and stops at the first one)."""
        starts, ends = _offsets(ctx)
        first, stop = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
        # their ends are in order too: the ones ending by the trigger come first, found by bisecting, so
        # neither walk reads the actors on the other side of the trigger
        split = min(max(bisect.bisect_right(ends, trig.start), first), stop)
        actors = ctx.actors
        for k in range(split - 1, first - 1, -1):
            if (found := candidate(actors[k])) is not None:
                return found
        for k in range(split, stop):
            if (found := candidate(actors[k])) is not None:
                return found
        return None

    def evidence(found: tuple[Side, ActorMention, bool], kind: Evidence) -> Evidence:
        if found[2]:
            return _evidence(found[1], _Evidence.OBJECT)
        named = ctx.memo.get("named")
        if named is None:
            named = ctx.memo["named"] = {a.side_for(ctx.speaker, ctx.outlet) for a in ctx.actors} - {None}
        # a sentence that names one side only leaves no other to confuse it with
        return _evidence(found[1], _Evidence.SOLE if len(named) == 1 else kind)

    found = pick(*clause)
    if found is _NO_SIDE:
        return None, _Evidence.NONE
    if found is not None:
        return found[0], evidence(found, _Evidence.CLAUSE)
    if kind is _ClaimType.REPELLED:  # who repels an attack by X is X's enemy
        for x in ctx.bound.values():
            attacker = x.actor.side_for(ctx.speaker, ctx.outlet)
            if (x.role is _Role.AGENT and attacker is not None and x.trigger.pattern.type is not None
                    and _GROUP[x.trigger.pattern.type] == "offensive" and trig.end <= x.trigger.start < clause[1]):
                # (the attack repelled is told after the repel: "advanced in X and repelled an attempt" is not it)
                return attacker.opponent, _evidence(x.actor, _Evidence.REPELLER)
    accused = ctx.speech.accused
    if accused is not None and accused.side is not None:
        return accused.side, _evidence(accused, _Evidence.ACCUSATION)
    shared = _shared_subject(ctx, trig, clause)
    if shared is not None:
        return shared, _Evidence.SENTENCE
    if kind is _ClaimType.ATTACK:  # «صدت قواتنا، مساء الأحد، الهجوم … على أبوقرين»: the attack is the repeller's enemy's
        repeller = _repeller_before(ctx, trig)
        if repeller is not None:
            return repeller.opponent, _Evidence.REPELLER
    found = pick(*ctx.sent)
    if found is _NO_SIDE:
        return None, _Evidence.NONE
    if found is not None:
        return found[0], evidence(found, _Evidence.SENTENCE)
    if (ctx.speaker is not None and not ctx.media_voice and not (group == "offensive" and _victims_report(ctx))
            and not _points_back(ctx, trig)):
        # A side does not announce its own retreat unnamed: "the withdrawing forces" are the other side, unless
        # it is worded as a side words its own ("the units redeployed", «أعادت تمركزها»).
        enemy = kind is _ClaimType.WITHDRAWAL and (
            not ctx.lex.own_retreat.search(ctx.tx.norm, trig.start, trig.end)
            or ctx.lex.coerced_before.search(ctx.tx.norm, max(ctx.sent[0], trig.start - 60), trig.start) is not None)
        return (ctx.speaker.opponent if enemy else ctx.speaker), _Evidence.SPEAKER
    return None, _Evidence.NONE


#: At most this many tokens between a repel and the attack that is its object («صدت قواتنا، مساء الأحد، الهجوم»).
REPELLED_OBJECT_TOKENS = 6
#: A coordinator between two triggers: the second has a verb of its own.
_COORDINATOR = re.compile(r"(?<!\w)(?:and|then|ثم)(?!\w)", re.IGNORECASE)


def _shared_subject(ctx: _Context, trig: Trigger, clause: tuple[int, int]) -> Side | None:
    """The side of the subject of the last verb before, for a trigger that only a coordinator ("then", «ثم»)
    separates from its clause's start: a coordinated verb with no subject of its own shares it. The last
    finite verb's (an Arabic verbal noun, «الانسحاب», has the subject of the verb that governs it), else
    the first agent's; none if a side not tied to any trigger stands between."""
    if trig.pattern.type is _ClaimType.WITHDRAWAL:
        return None  # "X shelled Y's convoys, then fled": who fled may be either
    if not ctx.lex.coordinated_start.match(ctx.tx.norm[clause[0] : trig.start].strip(" \t،,;؛")):
        return None
    norm = ctx.tx.norm
    agents = [b for b in ctx.bound.values() if b.trigger.start < clause[0] and b.role is _Role.AGENT
              # English puts the subject first: an agent after the verb is no subject ("an attack by X")
              and not (norm[b.trigger.start : b.trigger.end].isascii() and b.actor.start > b.trigger.start)]
    finite = [b for b in agents if not norm.startswith("ال", b.trigger.start)]
    subject = (max(finite, key=lambda b: b.trigger.start) if finite
             else min(agents, key=lambda b: b.trigger.start, default=None))
    if subject is None:
        return None
    bound = {id(b.actor) for b in ctx.bound.values()}
    if subject.trigger.pattern.type is _ClaimType.REPELLED:  # "repelled an attack launched by X": X is its attacker
        attacker = _attacker_after(ctx, subject.trigger, ctx.sent)
        if attacker is not None:
            bound.add(id(attacker))
    actors = ctx.actors
    between = [k for k in range(len(actors)) if subject.actor.end <= actors[k].start < clause[0]]
    accounted = set()
    for k in between:  # bound, or joined to one that is («مليشيات حفتر», "the Kaniyat and the 9th Brigade")
        if id(actors[k]) in bound or (k - 1 in accounted and _JOINED.fullmatch(norm, actors[k - 1].end, actors[k].start)):
            accounted.add(k)
    for k in reversed(between):
        if k + 1 in accounted and _JOINED.fullmatch(norm, actors[k].end, actors[k + 1].start):
            accounted.add(k)
    if any(k not in accounted and actors[k].side_for(ctx.speaker, ctx.outlet) is not None for k in between):
        return None  # "…, and Turkish drones hit back, then struck X": another subject came between
    return subject.actor.side_for(ctx.speaker, ctx.outlet)


def _points_back(ctx: _Context, trig: Trigger) -> bool:
    """A demonstrative stands right before the trigger («هذا الهجوم», "this attack"): an event told before."""
    prev = ctx.tx.prev_tokens(trig.start, 1, ctx.sent[0])
    if not prev or prev[-1].lower() not in ctx.lex.demonstrative_before:
        return False
    return prev[-1].isascii() or ctx.tx.norm.startswith("ال", trig.start)  # «هذا الهجوم»: a noun follows


def _repeller_before(ctx: _Context, trig: Trigger) -> Side | None:
    """The side of the agent of a repel told right before the trigger (no trigger between them), whose
    object the trigger's attack is."""
    k = bisect.bisect_left(ctx.trigger_starts, trig.start)
    if k == 0 or ctx.tx.norm.startswith(("و", "ف"), trig.start):
        return None  # «… المجموعات الإرهابية وهاجمت»: a verb of its own, not the object
    before = ctx.trigger_starts[k - 1]
    for b in ctx.bound.values():
        if b.trigger.start == before and b.trigger.pattern.type is _ClaimType.REPELLED and b.role is _Role.AGENT:
            if (ctx.tx.tokens_between(b.trigger.end, trig.start) > REPELLED_OBJECT_TOKENS
                    or _COORDINATOR.search(ctx.tx.norm, b.trigger.end, trig.start)):
                return None  # "pushed back an advance on X and launched an offensive on Y": its own attack
            return b.actor.side_for(ctx.speaker, ctx.outlet)
    return None


def _passive(tx: NormalizedText, trig: Trigger, lex: Lexicon) -> bool:
    """A passive auxiliary stands right before the trigger ("was repelled", «تم صد»)."""
    return lex.passive_before.search(tx.norm, max(0, trig.start - 12), trig.start) is not None


def _attacker_after(ctx: _Context, trig: Trigger, clause: tuple[int, int]) -> ActorMention | None:
    """The side named right after a repelled attack as its author ("repelled an attack by X", "an attack
    launched by X", «صدت هجوما شنته X»), if the first side after the trigger in the clause is so named."""
    k = bisect.bisect_left(_offsets(ctx)[0], trig.end)
    if k >= len(ctx.actors) or ctx.actors[k].start >= clause[1] or _passive(ctx.tx, trig, ctx.lex):
        return None
    a = ctx.actors[k]
    gap = ctx.tx.norm[trig.end : a.start]
    if ctx.lex.repelled_attacker_gap.match(gap):
        return a
    if ctx.lex.by_before.search(ctx.tx.norm, trig.start, min(trig.end + 1, a.start)) and gap.strip() in ("", "the"):
        return a  # the trigger ends with its "by" ("repelled an attack by")
    return None


def _named_attacker(ctx: _Context, trig: Trigger, clause: tuple[int, int]) -> Side | None:
    """The enemy of the side named as the author of a repelled attack (_attacker_after), if it is known."""
    a = _attacker_after(ctx, trig, clause)
    side = a.side_for(ctx.speaker, ctx.outlet) if a is not None else None
    return side.opponent if side is not None else None


def _repelled_attacker(ctx: _Context, trig: Trigger, clause: tuple[int, int], repeller: Side) -> ActorMention | None:
    """The side a repelled attack is said to be launched by (_attacker_after); it must be the repeller's
    enemy, else nothing is inferred."""
    a = _attacker_after(ctx, trig, clause)
    return a if a is not None and a.side_for(ctx.speaker, ctx.outlet) is repeller.opponent else None


def _targets(tx: NormalizedText, clause: tuple[int, int], mentions: list[Match], actors: _Ordered,
             lex: Lexicon, scans: _Scans) -> list[tuple[Match, bool]]:
    """Places a clause's claims are about, each with whether it is only a reference point. (Every text its
    regexes read lies inside the clause, so one whose words the clause lacks is not run.) `mentions`: the
    sentence's, in order."""

    def n_start(m: Match) -> int:
        return tx.n(m.start)

    # the mentions are in order, and so are their normalized starts: the clause's are found by bisecting
    inside = mentions[bisect.bisect_left(mentions, clause[0], key=n_start) : bisect.bisect_left(
        mentions, clause[1], key=n_start)]
    inside = [m for m in inside if not actors.covers(tx.n(m.start))]
    listing = len(inside) >= _MANY_PLACES  # the clause's words are read once only when it names many places

    def may(regex: re.Pattern[str]) -> bool:
        return not listing or scans.may(regex, *clause)

    # once a clause, not once a place
    may_actor, may_container, may_between = may(lex.actor_name), may(lex.container), may(lex.container_between)
    may_specific, may_background = may(lex.specific_container), may(lex.background)
    may_facility, may_locator = may(lex.facility_before), may(lex.locator)

    out: list[tuple[Match, bool]] = []
    located: set[int] = set()  # cities that only locate an unnamed facility ("the facility in southern Tripoli")
    named = False  # inside an actor's or institution's name ("غرفة عمليات سرت والجفرة")
    for k, m in enumerate(inside):
        ms = tx.n(m.start)
        lead = tx.norm[max(clause[0], ms - 30) : ms]
        if may_actor and lex.actor_name.search(tx.norm, max(clause[0], ms - NAME_REACH), ms):
            named = True
        elif not (named and k > 0 and _listed(tx, inside[k - 1], m)):
            named = False
        if named:
            continue
        if m.surface.isascii() and lex.attributive_after.match(tx.norm, tx.n(m.end), clause[1]):
            continue  # "a Zawiya commander said", "Misrata fighters": where someone is from
        if k > 0:
            gap = tx.norm[tx.n(inside[k - 1].end) : ms]
            if may_container and lex.container.match(gap):
                continue  # "خلة بوعون في محور سوق الأحد": the second names the area of the first
        if k + 1 < len(inside) and m.place.kind in CITY_KINDS:
            nxt = inside[k + 1]
            gap = tx.norm[tx.n(m.end) : tx.n(nxt.start)]
            listed = nxt.surface.startswith("و") and not nxt.place.name_ar.startswith("و")
            if (len(gap) <= 3 and not any(c.isalnum() or c in ",،" for c in gap) and not listed
                    and nxt.place.id != m.place.id and nxt.start != m.start):
                continue  # "محاور طرابلس «عين زارة»": the city frames the places named after it (a comma lists them)
            if nxt.place.id != m.place.id and may_between and lex.container_between.match(gap):
                continue  # "the Tripoli suburb of Tajoura"
            if nxt.place.id != m.place.id and nxt.place.kind not in CITY_KINDS and _POSSESSIVE.fullmatch(gap):
                continue  # "the capital's Mitiga airport": the city only locates the airport
        if (k > 0 and m.place.kind in CITY_KINDS and inside[k - 1].place.kind not in CITY_KINDS
                and inside[k - 1].place.id != m.place.id
                and may_specific and lex.specific_container.match(tx.norm[tx.n(inside[k - 1].end) : ms])):
            continue  # "Mitiga International Airport in Tripoli": the city only locates the airport
        before = lead
        background = k > 0 and may_background and search(lex.background, tx.norm, tx.n(inside[k - 1].end), ms)
        # "Abu Grein, which is the south-eastern gate of Misrata": a place in a relative clause describes the one before
        described = k > 0 and _described(tx.norm, tx.n(inside[k - 1].end), ms, lex)
        # "بين طرابلس ومعبر راس جدير": the second of a pair of reference points is one too
        paired = bool(out) and out[-1][1] and _listed(tx, inside[k - 1], m)
        # "the facility in southern Tripoli": a place in the city, not the city, is meant
        if m.place.kind in CITY_KINDS and may_facility and lex.facility_before.search(before):
            located.add(len(out))
        out.append((m, bool((may_locator and search(lex.locator, before)) or background or paired or described
                            or len(out) in located)))
    # a city that only locates a facility is still where the event is, so reference points give way to it
    main = [not loc or k in located for k, (_m, loc) in enumerate(out)]
    if any(main):
        out = [x for x, keep in zip(out, main, strict=True) if keep]
    return out


_SEPARATORS = re.compile(r"[\s,،]*")


def _described(norm: str, prev_end: int, start: int, lex: Lexicon) -> bool:
    """A relative clause opens right after the place before (norm[prev_end:start]: "Abu Grein, which is the gate
    of Misrata", «أبوقرين التي تعد البوابة … لمصراتة»): the place it names describes that one."""
    if prev_end >= start:
        return False  # the two names overlap
    pos = _SEPARATORS.match(norm, prev_end, start).end()  # type: ignore[union-attr]
    return lex.relative_word.match(norm, pos, start) is not None


#: Words between two places up to which the second shares the first one's trigger without a list between them
#: ("strikes on A and on B"); further on, only a list does ("clashes in A, B, C and D"), or a conjunction
#: within twice as many («تسيطر على ترهونة وعلى الطريق المؤدي إلى مدينة غريان»).
LIST_TOKENS = 4


def _continues_list(tx: NormalizedText, prev_end: int, start: int, surface: str, continuation: re.Pattern[str]) -> bool:
    """The place after another goes on with its predicate: close by, listed, or after "as well as"."""
    gap = tx.norm[prev_end:start]
    n = tx.tokens_between(prev_end, start)
    if n <= LIST_TOKENS or _list_gap(gap, surface):
        return True
    tail = re.split(r"[,،]", gap)[-1]
    return bool(continuation.match(tail)) or (n <= 2 * LIST_TOKENS and gap.lstrip().startswith(("و", "and ")))


#: What makes the trigger after a repel the attempt it repelled ("an attempt by X to advance", «محاولة تقدم»).
_ATTEMPT = re.compile(r"attempt|محاول")
#: An attack named as a noun ("repelled on Sunday an attack by X on Y"): what a repel before it repelled.
_ATTACK_NOUN = re.compile(r"(?:an?\s+|the\s+)?(?:attacks?|assaults?|offensives?|incursions?)|(?:ال)?(?:هجوم|هجوما|هجمات)")
#: A sequence between two predicates: the second is another event.
_THEN = re.compile(r"(?<!\w)(?:then|and|ثم|وثم)(?!\w)")
#: Words up to which a repel before an attempted advance or attack covers its place ("repelled an attempt by the
#: militias to advance on X", «صدت محاولة الميليشيات التقدم نحو X»).
REPEL_REACH = 6


def _with_repel(tx: NormalizedText, triggers: list[Trigger], starts: list[int], t: Trigger, prev_end: int
                ) -> list[Trigger]:
    """The trigger of a place, with the repel right before it when that trigger is the advance or attack the
    repel was against, no place named between."""
    if t.pattern.type not in (_ClaimType.ADVANCE, _ClaimType.ATTACK):
        return [t]
    j = bisect.bisect_left(starts, t.start)
    if j == 0:
        return [t]
    r = triggers[j - 1]
    if (r.pattern.type is _ClaimType.REPELLED and r.start >= prev_end
            and tx.tokens_between(r.end, t.start) <= REPEL_REACH
            and (_ATTEMPT.search(tx.norm, r.start, t.start) or _ATTACK_NOUN.fullmatch(tx.norm, t.start, t.end))
            and not _conjoined(tx.norm, t)
            and not _THEN.search(tx.norm, r.end, t.start)):
        return [r, t]  # not "repelled the attack and advanced on X", «صدت الهجوم ثم هاجمت»
    return [t]


def _trigger_places(tx: NormalizedText, triggers: list[Trigger], targets: list[tuple[Match, bool]],
                    speech_starts: list[int], complement: re.Pattern[str], launch_base: re.Pattern[str],
                    continuation: re.Pattern[str]) -> dict[Trigger, list[tuple[Match, bool]]]:
    """Which of a clause's places each trigger is about.

    A place takes the triggers between it and the place before it (a list shares its trigger:
    "clashes in A, B and C"); with none before it, the nearest trigger after it. A trigger right after
    a place also applies ("تتصدى طرابلس لهجوم…"). So in "advanced towards Sirte after seizing Abu
    Grain" Sirte is advanced on and Abu Grain seized, not both. A passive trigger right after its place
    applies too ("an attack on Ain Zara was repelled"). Of several triggers before a place, the nearest
    ("the advance came after the army seized X": X is seized). A speech verb between a place and the
    trigger after it makes the place the speaker's ("officials in X said the shelling…"); so does a base
    named before it make the place where it is launched from ("X as a base to launch attacks on Y",
    «X كقاعدة لشن الهجمات»). A withdrawal
    after the last place, with none of its own, is from that place.
    """
    out: dict[Trigger, list[tuple[Match, bool]]] = {}
    inherited: list[Trigger] = []
    prev_end = -1
    # the triggers are in order and do not overlap, so their ends are in order too
    starts, ends = [t.start for t in triggers], [t.end for t in triggers]
    for m, locator in targets:
        ms, me = tx.n(m.start), tx.n(m.end)
        k = bisect.bisect_right(ends, ms) - 1  # the last trigger ending before the place
        chosen = [triggers[k]] if k >= 0 and triggers[k].start >= prev_end else []
        after = triggers[bisect.bisect_left(starts, me) :]
        if not chosen:
            # "local officials in Zuwara said the shelling…": a place before a speech verb describes the speaker
            # "clashes in A, B and C": a list shares its trigger; a place far after the last one does not
            chosen = inherited if inherited and _continues_list(tx, prev_end, ms, m.surface, continuation) else []
            if not chosen:
                for t in after:
                    if tx.tokens_between(me, t.start) > AFTER_TOKENS:
                        break  # and so are all after it
                    if (not _between(speech_starts, speech_starts, me, t.start)
                            and not complement.search(tx.norm, me, t.start)
                            and not launch_base.search(tx.norm, me, t.start)):
                        chosen = [t]
                        break
        if len(chosen) == 1:
            chosen = _with_repel(tx, triggers, starts, chosen[0], prev_end)
        adjacent = []
        for t in after:
            if _PASSIVE_GAP.fullmatch(tx.norm, me, t.start):
                if not _conjoined(tx.norm, t):
                    adjacent.append(t)
            elif t.start - me > _PASSIVE_LETTERS and len("".join(tx.norm[me : t.start].split())) > _PASSIVE_LETTERS:
                break  # more than an auxiliary between: so for every later trigger
        for t in dict.fromkeys(chosen + adjacent):
            out.setdefault(t, []).append((m, locator))
        inherited = chosen
        prev_end = me
    # "took control of X after Haftar's militias withdrew southwards": a withdrawal with no place of its own
    # after the clause's last place left that place
    last = [(m, loc) for m, loc in targets if not loc][-1:]
    for t in triggers:
        if (t.pattern.type is _ClaimType.WITHDRAWAL and t not in out and last
                and t.start >= tx.n(last[0][0].end)):
            out[t] = last
    return out


def _is_start(tx: NormalizedText, m: Match, lex: Lexicon) -> bool:
    """The place is where an English advance sets out from ("reached the front from Al-Jufra", "from the
    direction of X"), not where it goes."""
    ms = tx.n(m.start)
    return m.surface.isascii() and lex.start_before.search(tx.norm, max(0, ms - 30), ms) is not None


def _is_goal(tx: NormalizedText, trig: Trigger, m: Match, lex: Lexicon) -> bool:
    """The place is where a movement goes ("fled to X", "تراجعت نحو X", "flown … to the X base"),
    not where it starts."""
    ms = tx.n(m.start)
    lo = trig.end if trig.end <= ms and tx.tokens_between(trig.end, ms) <= 6 else max(0, ms - 25)
    return bool(search(lex.goal_before, tx.norm, lo, ms))


def _is_origin(tx: NormalizedText, m: Match, lex: Lexicon) -> bool:
    """The place is where forces come from ("fighters from Misrata", "قادمة من مصراتة")."""
    ms = tx.n(m.start)
    if lex.origin_before.search(tx.norm, max(0, ms - 50), ms):
        return True
    listed = tx.norm[max(0, ms - 5) : ms].rstrip().endswith(("and", "or")) or m.surface.startswith("و")
    return listed and bool(lex.origin_list_before.search(tx.norm, max(0, ms - 60), ms))


def _origins(tx: NormalizedText, mentions: list[Match], lex: Lexicon) -> dict[int, bool]:
    """Which of a sentence's places (by id) are where forces come from, a list carrying it on ("arriving
    from Zuwara, Zawiya, Zintan and Gharyan", «قادمة من زوارة والزاوية والزنتان وغريان»)."""
    out: dict[int, bool] = {}
    before = False
    for k, m in enumerate(mentions):
        listed = before and k > 0 and _listed(tx, mentions[k - 1], m)
        before = out[id(m)] = listed or _is_origin(tx, m, lex)
    return out


def _dateline_end(tx: NormalizedText, lex: Lexicon) -> int:
    """The original offset where the dateline ("TRIPOLI (Reuters) -") ends, 0 without one."""
    m = lex.dateline.match(tx.text)
    return m.end() if m else 0


def _conjoined(norm: str, trig: Trigger) -> bool:
    """The trigger opens a new predicate with a conjunction ("وسيطرت", "and seized")."""
    surface = norm[trig.start : trig.end]
    if surface[:1] in ("و", "ف") and trig.pattern.regex.fullmatch(surface[1:]):
        return True
    return norm[max(0, trig.start - 4) : trig.start] == "and "


_LIST_WORDS = frozenset({"و", "and", "or", "al", "el", "the"})  # "Sirte and Al-Jufra": the article is no word between


def _listed(tx: NormalizedText, prev: Match | None, m: Match) -> bool:
    """The place comes right after `prev` in a list ("Jufra and Tarhuna", «زوارة والزاوية»)."""
    return prev is not None and _list_gap(tx.norm[tx.n(prev.end) : tx.n(m.start)], m.surface)


def _list_gap(gap: str, next_surface: str) -> bool:
    """True when the text between two place names only joins them in a list."""
    words = gap.replace("،", " ").replace(",", " ").split()
    return all(w in _LIST_WORDS for w in words) and (bool(words) or "،" in gap or "," in gap
                                                            or next_surface.startswith("و"))


_SPACELESS: dict[int, tuple[re.Pattern[str], tuple[frozenset[str], ...]]] = {}  # by id, as literals.needs_of


def _spaceless_needs(regex: re.Pattern[str]) -> tuple[frozenset[str], ...]:
    """The sets of strings a match of the regex needs that hold no space, worked out once a regex."""
    known = _SPACELESS.get(id(regex))
    if known is None or known[0] is not regex:
        known = _SPACELESS[id(regex)] = (regex, tuple(
            s for s in needs_of(regex) if not any(c.isspace() for c in "".join(s))))
    return known[1]


_UNSEEN = object()  # a memo's answer not yet worked out (None is an answer)


class _Scans:
    """Answers about one text that many triggers ask alike, each found once: where a regex matches in a
    clause or sentence (scanned once for all its triggers), and whether a regex matches a word (a dense
    text repeats its words)."""

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self._starts: dict[tuple[int, int, int], list[int]] = {}
        # words tried and words matched, by the id of a regex: by fullmatch, and by match
        self._words: dict[int, tuple[set[str], set[str]] | None] = {}
        self._word_starts: dict[int, tuple[set[str], set[str]] | None] = {}
        self._may: dict[tuple[int, int, int], bool] = {}
        self.memo: dict[tuple, Any] = {}  # other answers that depend on a word and a pattern only (and per-text lists)
        self._actors: dict[tuple[int, int], tuple[bool, bool]] = {}  # actor_facts, by the actor's span

    def starts(self, regex: re.Pattern[str], lo: int, hi: int) -> list[int]:
        """Where the matches of regex.finditer(norm, lo, hi) start."""
        key = (id(regex), lo, hi)
        found = self._starts.get(key)
        if found is None:
            gate = gate_of(regex)  # where none of the words a match needs are, no match starts
            found = self._starts[key] = [] if gate is not None and gate.search(self.norm, lo, hi) is None else [
                m.start() for m in regex.finditer(self.norm, lo, hi)]
        return found

    def none_before(self, regex: re.Pattern[str], region: tuple[int, int], pos: int) -> bool:
        """No match of a word-list regex starts in the region before `pos`, a word start, so
        regex.search(norm, region[0], pos) finds none: each of its matches ends in a letter with (?!\\w)
        after it, so one ending before `pos` matches in the whole region too (or lies inside a match that
        starts earlier), and none can end at `pos` with a word going on across it."""
        found = self.starts(regex, *region)
        return not found or found[0] >= pos

    def may(self, regex: re.Pattern[str], lo: int, hi: int) -> bool:
        """False when norm[lo:hi] lacks the words every match of the regex needs (pipeline.literals): then
        no search inside it, on the text or on a slice of it, finds anything."""
        key = (id(regex), lo, -hi)
        found = self._may.get(key)
        if found is None:
            found = self._may[key] = may_match(needs_of(regex), self.norm[lo:hi])
        return found

    def in_text(self, regex: re.Pattern[str]) -> bool:
        """The text has the words every match of the regex needs (else no word of it matches)."""
        return self.may(regex, 0, len(self.norm))

    def in_joined(self, regex: re.Pattern[str]) -> bool:
        """False when no words of the text joined by spaces can match: the text lacks every string of one
        of the regex's needs that holds no space (such a string cannot span two of the words)."""
        key = (id(regex), -1, 0)
        found = self._may.get(key)
        if found is None:
            found = self._may[key] = may_match(_spaceless_needs(regex), self.norm)
        return found

    def actor_facts(self, a: ActorMention, lex: Lexicon) -> tuple[bool, bool]:
        """Whether an actor is only named as the patron of media ("media loyal to Haftar") and whether it
        is named as a target ("positions of X", lex.victim_before): asked of an actor by the binding of the
        trigger after it and by side resolution, found once an actor's span."""
        facts = self._actors.get((a.start, a.end))
        if facts is None:
            facts = self._actors[a.start, a.end] = (
                _media_patron(self.norm, lex, a), bool(lex.victim_before.search(self.norm[max(0, a.start - VICTIM_REACH) : a.start])))
        return facts

    def any_word(self, regex: re.Pattern[str], words: list[str], full: bool = True) -> bool:
        """regex.fullmatch (or .match with full=False) finds something in one of `words`, words of the text
        (so none does when the text lacks the regex's words). Each word is tried once a text; after that the
        answer is two set operations for all the words, not a look-up each."""
        memo = self._words if full else self._word_starts  # (by id: no key to build, once a trigger)
        entry = memo.get(id(regex), _UNSEEN)
        if entry is _UNSEEN:
            entry = memo[id(regex)] = (set(), set()) if self.in_text(regex) else None
        if entry is None:
            return False
        tried, hits = entry
        if not tried.issuperset(words):
            for w in words:
                if w not in tried:
                    tried.add(w)
                    if (regex.fullmatch(w) if full else regex.match(w)) is not None:
                        hits.add(w)
        return not hits.isdisjoint(words)


def _prev_window(lex: Lexicon) -> int:
    """How many tokens before a trigger its tests read (plot 8, modal window, failure 4, civilians 3, negation 2)."""
    return max(PLOT_TOKENS, lex.modal_window, 4)


def _is_hypothetical(tx: NormalizedText, trig: Trigger, clause: tuple[int, int], lex: Lexicon, scans: _Scans
                     ) -> bool:
    """A warning or a condition before the trigger: the event is not claimed to have happened."""
    if scans.none_before(lex.hypothetical, clause, trig.start):
        return False
    found = lex.hypothetical.search(tx.norm, clause[0], trig.start)
    return found is not None and tx.tokens_between(found.start(), trig.start) <= 8


def _is_plot(prev: list[str], lex: Lexicon, scans: _Scans) -> bool:
    """A plot or plan before the trigger ("plotting to carry out an attack", «تخطط لتنفيذ هجوم»);
    `prev`: the tokens before the trigger in its clause (at most _prev_window)."""
    return scans.any_word(lex.plot, prev[-PLOT_TOKENS:])


def _by_civilians(tx: NormalizedText, trig: Trigger, clause: tuple[int, int], lex: Lexicon, prev: list[str],
                  scans: _Scans) -> bool:
    """Civilians are the ones moving: named among the 3 tokens before the trigger or the 2 after it."""
    if not scans.in_text(lex.civilians):
        return False
    after = TOKEN_RE.findall(tx.norm, trig.end, min(clause[1], trig.end + 40))[:2]
    return scans.any_word(lex.civilians, prev[-3:] + after)


def _is_failed(tx: NormalizedText, trig: Trigger, clause: tuple[int, int], lex: Lexicon, prev: list[str],
               scans: _Scans) -> bool:
    """The control was attempted, not achieved: a failure word before it ("failed to capture", «دون
    التمكن من السيطرة») or a failure phrase after it in its clause ("stormed X without managing to…")."""
    if scans.any_word(lex.failed_before, prev[-4:]):
        return True
    return scans.may(lex.failed_after, *clause) and bool(search(lex.failed_after, tx.norm, trig.end, clause[1]))


def _is_intent(tx: NormalizedText, trig: Trigger, lex: Lexicon, prev: list[str], scans: _Scans, until: int) -> bool:
    """The trigger is meant, not done: a purpose, a goal, a modal or future word before it, or "is a matter of
    time" after it (before `until`, where the next trigger starts)."""
    surface = tx.norm[trig.start : trig.end]
    key = ("purpose", surface, trig.pattern.id)  # a dense text repeats its trigger words
    purpose = scans.memo.get(key)
    if purpose is None:
        purpose = scans.memo[key] = bool(lex.purpose_prefix.match(surface) or _purpose_lam(surface, trig))
    if purpose:
        return not (prev and lex.subject_before.match(prev[-1]))  # «خاضعة لسيطرة»: under control, a state
    prev = prev[-lex.modal_window:] if lex.modal_window > 0 else []
    if prev and scans.any_word(lex.purpose_before, prev[-1:], full=False) and not (len(prev) > 1 and _ACHIEVED.fullmatch(prev[-2])):
        return True  # "to seize": a purpose; but "managed to advance" happened
    if (prev and prev[-1] in _TOWARD and trig.pattern.type is _ClaimType.CONTROL and surface.startswith("ال")
            and trig.pattern.regex.fullmatch(surface) and not _LED.intersection(prev[-4:-1])):
        return True  # «تسعى … إلى السيطرة على»: control is the goal of the sentence, not its news
    if prev and _goal_ahead(prev, lex) and lex.goal_until.match(surface):
        return True  # «حتى السيطرة على سرت», «معركة تحرير طرابلس», «بدء عملية استعادة سرت»: its goal, not done
    if scans.in_text(lex.modal_after) and _modal_after(tx.norm, trig.end, until, lex, scans):
        return True  # "the liberation of Tarhuna is only a matter of time"
    for k in range(len(prev) - 1, -1, -1):
        if prev[k] in lex.modal_stop:
            prev = prev[k + 1 :]  # «ستواصل التقدم بعد أن سيطرت على X»: the future is another clause's
            break
    # (a fullmatch is a match)
    if not scans.in_joined(lex.modal) or scans.any_word(lex.modal, prev, full=False):
        return scans.in_joined(lex.modal)
    # No word matches alone, so in the words joined by spaces a match must read past its first word: only
    # modal's spanning alternatives can (a long search, once a trigger). A word with an apostrophe may hold
    # a match that starts inside it: then the whole regex is searched.
    joined = " ".join(prev)
    return bool((lex.modal if _INNER_START.search(joined) else modal_spanning(lex.modal)).search(joined))


def _goal_ahead(prev: list[str], lex: Lexicon) -> bool:
    """The words before a verbal noun of taking make it a goal: «حتى», a battle not told as won or ended
    («معركة تحرير»), or an operation that starts («بدء عملية استعادة»). `prev`: the tokens before it."""
    if prev[-1] == _UNTIL:
        return True
    if prev[-1] in lex.operation_before:
        return not lex.operation_done.intersection(prev[-4:-1])  # «بنجاح معركة تحرير المدينة»: it was won
    return len(prev) > 1 and prev[-1] in lex.operation_word and prev[-2] in lex.operation_started


#: How far after a trigger, in its clause, a modal phrase makes it an intent.
MODAL_AFTER_REACH = 80
#: What ends the clause a modal phrase after a trigger must be in.
_CLAUSE_END = re.compile(r"[.!?؟,،;:]")


def _modal_after(norm: str, start: int, until: int, lex: Lexicon, scans: _Scans) -> bool:
    """A modal phrase ("is only a matter of time", «مسألة وقت») follows within reach, before `until` and
    in the same clause (the phrases of the text are found once, then looked up by position)."""
    found = scans.memo.get(("modal_after",))
    if found is None:
        found = scans.memo[("modal_after",)] = [m.start() for m in lex.modal_after.finditer(norm)]
    k = bisect.bisect_left(found, start)
    if k == len(found) or found[k] - start > MODAL_AFTER_REACH:
        return False
    m = lex.modal_after.match(norm, found[k], until)
    return m is not None and not _CLAUSE_END.search(norm, start, found[k])


#: A character of a token where a match may start inside it (TOKEN_RE joins runs of letters by apostrophes).
_INNER_START = re.compile(r"[^\w ]")


def _purpose_lam(surface: str, trig: Trigger) -> bool:
    """The trigger word carries the preposition ل of purpose ("حملة لتحرير طرابلس"): the word without
    it is still the trigger (so "لاحقت", pursued, is no purpose)."""
    if trig.pattern.type not in (_ClaimType.CONTROL, _ClaimType.ADVANCE):
        return False  # "تعرضت لقصف", "تصدت لهجوم": the ل of a verb's object, the event happened
    rest = surface[1:] if surface[:1] in ("و", "ف") else surface
    if not rest.startswith("ل"):
        return False
    bare = rest[2:] if rest.startswith("لل") else rest[1:]
    return bool(trig.pattern.regex.fullmatch(bare) or trig.pattern.regex.fullmatch("ال" + bare))


def _is_negated(prev: list[str], lex: Lexicon) -> bool:
    prev = prev[-2:]
    return bool(prev) and (prev[-1] in lex.negation or (len(prev) == 2 and prev[0] in lex.negation
                                                        and prev[1] in ("did", "has", "have", "was", "were")))


def _is_denied(tx: NormalizedText, trig: Trigger, sent: tuple[int, int], lex: Lexicon, scans: _Scans) -> bool:
    if scans.none_before(lex.deny, sent, trig.start):
        return False
    for m in lex.deny.finditer(tx.norm, sent[0], trig.start):
        if not lex.deny_end.search(tx.norm, m.end(), trig.start):
            return True
    return False


@dataclass(frozen=True)
class _Dates:
    """The dates of a sentence: absolute ones, ones counted from another date, and the article's last date
    before the sentence (its reference when it names none)."""

    absolute: list[DateMention]
    anchored: list[AnchoredDate]
    reference: EventDate | None  # the article's last date before the sentence
    default: EventDate | None  # the date of an undated claim: the reference or the publication date

    @property
    def dated(self) -> bool:
        """The sentence names a date of its own."""
        return bool(self.absolute or self.anchored)

    def anchor(self, before: int | None = None) -> EventDate | None:
        """The date phrases of the sentence count from: its first absolute date (before `before` if one
        is), else the article's reference date."""
        first = [d for d in self.absolute if before is None or d.start < before] or self.absolute
        return first[0].date if first else self.reference


def _event_date(tx: NormalizedText, dates: _Dates, trig: Trigger, clause: tuple[int, int], sent: tuple[int, int],
                prev: int, nxt: int) -> EventDate | None:
    """The date of a claim: a phrase counting back to it ("two days after X seized", "بعد يومين من
    استعادة"), the date of its own predicate (between the triggers around it), the clause's, the
    sentence's, else the article's reference or publication date. `prev` and `nxt`: where the clause's
    triggers before and after it end and start (else the clause's ends)."""
    if not dates.dated:
        return dates.default  # the sentence names no date: nothing below finds one
    for a in dates.anchored:
        if a.before_event and clause[0] <= a.start and a.end <= trig.start and tx.tokens_between(a.end, trig.start) <= 5:
            anchor = dates.anchor(a.start)
            return a.resolve(anchor) if anchor is not None else None
    for lo, hi in ((trig.end, nxt), (prev, trig.start), clause, sent):
        found: list[tuple[int, EventDate | None]] = [(d.start, d.date) for d in dates.absolute if lo <= d.start < hi]
        found += [(a.start, a.resolve(anchor) if (anchor := dates.anchor(a.start)) is not None else None)
                  for a in dates.anchored if not a.before_event and lo <= a.start < hi]
        if found:
            return min(found, key=lambda f: f[0])[1]
    return dates.default


def _not_actors(tx: NormalizedText, mentions: list[Match], actors: list[ActorMention], starts: list[int]) -> list[Match]:
    """Drops mentions that end an actor's name (فايز السراج the prime minister, not the suburb)."""
    out = []
    for m in mentions:
        s, e = tx.n(m.start), tx.n(m.end)
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and actors[i].start <= s and actors[i].end - 1 <= e <= actors[i].end:
            continue
        out.append(m)
    return out


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges with the ones that (nearly) touch joined, so fewer scans run."""
    out: list[tuple[int, int]] = []
    for lo, hi in ranges:
        if out and lo - out[-1][1] <= 3:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _in_actor(trig: Trigger, actors: list[ActorMention], starts: list[int]) -> bool:
    """The trigger is a word of an actor's name («قوة حماية وتأمين سرت», "Operation Volcano of Rage")."""
    k = bisect.bisect_right(starts, trig.start) - 1
    return k >= 0 and actors[k].end > trig.start and not actors[k].relative  # "its artillery" still shells


def _between(items: list, starts: list[int], lo: int, hi: int) -> list:
    """The items (sorted by start) whose start lies in [lo, hi)."""
    return items[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]


def extract(article: Article, matcher: Matcher | None = None, lex: Lexicon | None = None) -> ArticleAnalysis:
    """Place mentions and claims of one article."""
    matcher = matcher or default_matcher()
    lex = lex or load_lexicon()
    confidence = evidence_confidence()
    tx = NormalizedText(article.text)
    dateline = _dateline_end(tx, lex)
    own_side = load_conventions().own_media_side(article.source)
    outlet_side = load_conventions().outlet_side(article.source)
    found = matcher.find(article.text)
    found_starts = [m.start for m in found]
    sentences = split_sentences(article.text)
    verbs = SpeechVerbs.find(tx.norm, lex)
    verb_starts = sorted(s for spans in (verbs.report, verbs.cont, verbs.accuse) for s, _e in spans)
    report_starts = [s for s, _e in verbs.report]  # («وتابع» continues a statement, «تابعا ل» belongs to)
    # Actors matter where a claim can be (a place is named) or where someone speaks.
    spans = [(tx.n(s.start), tx.n(s.end)) for s in sentences]
    needed = [sp for s, sp in zip(sentences, spans, strict=True)
              if _between(found, found_starts, s.start, s.end) or _between(verb_starts, verb_starts, *sp)]
    actors = attach_possessors(tx.norm, resolve_army(
        tx.norm, article.source, find_actors(tx.norm, article.text, tx.to_orig, lex, _merged(needed),
                                            tx.token_spans)))
    actor_starts = [a.start for a in actors]
    mentions = _not_actors(tx, found, actors, actor_starts)
    mention_starts = [m.start for m in mentions]
    with_places = _merged([sp for s, sp in zip(sentences, spans, strict=True)
                           if _between(mentions, mention_starts, s.start, s.end)])
    covered = bytearray(len(tx.norm) + 1)
    for m in mentions:
        s, e = tx.n(m.start), tx.n(m.end)
        covered[s:e] = b"\x01" * (e - s)
    triggers = find_triggers(tx.norm, lex, with_places, covered, tx.token_spans)  # a claim needs a place in its sentence
    triggers = [t for t in triggers if not _in_actor(t, actors, actor_starts)]  # «غرفة عمليات تحرير سرت» is a name
    trigger_starts = [t.start for t in triggers]
    dateline_n = tx.n(dateline)
    anchored = find_anchored(tx.norm)
    dates = [d for d in find_dates(tx.norm, article.published, anchored)
             if not any(covered[d.start : d.end]) and d.start >= dateline_n]  # a dateline's date is no event's
    date_starts = [d.start for d in dates]
    anchored_starts = [a.start for a in anchored]
    published = EventDate(article.published, _DatePrecision.DAY) if article.published else None
    reference = published
    scans = _Scans(tx.norm)
    origins: dict[int, bool] = {}
    prev_window = _prev_window(lex)
    claims: dict[tuple, Claim] = {}
    unsided: list[tuple] = []  # the side-less attacks of the sentence before
    earlier: list[tuple] = []  # and of the one before it
    previous: ActorMention | None = None
    for sentence in sentences:
        sent = (tx.n(sentence.start), tx.n(sentence.end))
        s_actors = _between(actors, actor_starts, *sent)
        s_triggers = _between(triggers, trigger_starts, *sent)
        speech = find_speech(tx.norm, sent[0], sent[1], s_actors, tx.tokens_between, lex, previous, verbs,
                             [t.start for t in s_triggers])
        # "media loyal to Haftar reported shelling": its "units" are Haftar's, but an unnamed act is not
        media_voice = speech.speaker is not None and _media_patron(tx.norm, lex, speech.speaker)
        previous = speech.speaker or previous
        # a side's own media speaks for it where the one quoted is no side ("a military source")
        speaker_side = (speech.speaker.side if speech.speaker is not None else None) or own_side
        if speaker_side is None:
            s_actors = _antecedents(tx.norm, s_actors, speech.speaker)
        elif speech.speaker is not None:
            s_actors = _unspoken_pronouns(tx.norm, s_actors, speech.speaker, speaker_side, outlet_side)
            s_actors = _quoted_army(tx.norm, sent, s_actors, speech.speaker, speaker_side, outlet_side)
        s_mentions = _between(mentions, mention_starts, sentence.start, sentence.end)
        s_absolute = _between(dates, date_starts, *sent)
        before_sentence, reference = reference, next(
            (d.date for d in s_absolute if d.date.precision is _DatePrecision.DAY), reference)
        told_before, told_earlier, unsided, earlier = unsided, earlier, [], unsided
        accused = speech.accused.side if speech.accused is not None else None
        if accused is not None and lex.back_reference.search(tx.norm, *sent):
            # "blamed the attack on X": the one told just before; "both attacks", «الهجومين»: two sentences back
            plural = lex.back_reference_plural.search(tx.norm, *sent)
            _blame(claims, told_before + (told_earlier if plural else []), accused, confidence[_Evidence.ACCUSATION])
        if not s_mentions or not s_triggers:
            continue
        s_dates = _Dates(s_absolute, _between(anchored, anchored_starts, *sent), before_sentence,
                         before_sentence if continues_reference(tx.norm, *sent) else published)
        bound = {}
        ordered = _Ordered.of(s_actors)
        s_trigger_starts = [t.start for t in s_triggers]
        for t in s_triggers:
            binding = _bound_actor(tx, t, ordered, s_trigger_starts, lex, scans, report_starts)
            if binding is not None:
                bound[t] = binding
        ctx = _Context(tx, sent, s_actors, bound, speech, speaker_side, lex, scans, outlet_side, media_voice, verb_starts,
                       s_trigger_starts)
        for clause in _clauses(tx, sentence.start, sentence.end, s_mentions, lex):
            targets = _targets(tx, clause, s_mentions, ordered, lex, scans)
            if not targets:
                continue
            c_triggers = _between(s_triggers, s_trigger_starts, *clause)
            applies = _trigger_places(tx, c_triggers, targets, verb_starts, lex.complement, lex.launch_base,
                                      lex.list_continuation)
            for k, trig in enumerate(c_triggers):  # in order, not overlapping
                if not applies.get(trig):
                    continue
                kind = trig.pattern.type
                assert kind is not None
                prev = tx.prev_tokens(trig.start, prev_window, clause[0])
                if _is_negated(prev, lex) or _is_denied(tx, trig, sent, lex, scans):
                    continue
                if (prev and prev[-1] in lex.any_before) or _is_hypothetical(tx, trig, clause, lex, scans):
                    continue  # "any attack on X would…", «أي هجوم»: no particular event; a warning, a condition
                if kind in (_ClaimType.CONTROL, _ClaimType.REPELLED) and (
                        scans.starts(lex.background_state, *clause)
                        or (scans.may(lex.relative, *clause)
                            and lex.relative.search(tx.norm, max(clause[0], trig.start - 30), trig.start))):
                    continue  # "held by … since 2016", "the areas that its forces had seized": background
                if kind is _ClaimType.WITHDRAWAL and _by_civilians(tx, trig, clause, lex, prev, scans):
                    continue  # "residents fled the fighting", «نزح الأهالي»: no side withdrew
                if _is_plot(prev, lex, scans):
                    continue  # "a cell plotting to carry out an attack": nothing happened, and not by its captors
                if kind is _ClaimType.CONTROL and _is_failed(tx, trig, clause, lex, prev, scans):
                    kind = _ClaimType.ATTACK  # "stormed it twice without managing to take it": an attempt
                if _is_intent(tx, trig, lex, prev, scans,
                              c_triggers[k + 1].start if k + 1 < len(c_triggers) else sent[1]):
                    if kind not in _INTENT_OK:
                        continue
                    kind = _ClaimType.ATTACK
                side, why = _resolve_side(ctx, trig, kind, clause)
                if side is None and kind in _NEEDS_SIDE:
                    continue  # "forces took X", nobody's: a change of hands says nothing without whose hands
                attacker = (_repelled_attacker(ctx, trig, clause, side)
                            if kind is _ClaimType.REPELLED and side is not None else None)
                if side is None and scans.starts(lex.background_state, *clause):
                    continue  # "fighting in X since April": the war as background
                ended = _GROUP[kind] == "offensive" and _is_ended(tx, trig, clause, lex, scans)
                if ended and _ends_it(tx, trig, clause, side, bound.get(trig), lex):
                    continue  # "ending an attack on X", «لتنهي قواتها هجوما»: whoever ends it did not launch it
                date = _event_date(tx, s_dates, trig, clause, sent,
                                   c_triggers[k - 1].end if k > 0 else clause[0],
                                   c_triggers[k + 1].start if k + 1 < len(c_triggers) else clause[1])
                goal = start = None  # the last place the trigger's movement went to, or set out from
                for m, locator in applies[trig]:
                    if side is None and m.place.kind == "region":
                        continue  # "fighting in the Western Mountains": a side-less claim on a district is no event
                    if locator and (kind not in _LOCATOR_OK or (kind is _ClaimType.CLASH and m.place.kind in CITY_KINDS)):
                        continue  # "south of Tripoli" is no claim on Tripoli; "fighting south of the capital" not in it
                    if ended and tx.n(m.start) < trig.start:
                        continue  # «خسارة ترهونة تنهي الهجوم»: what ended an attack is not its target
                    if kind is _ClaimType.WITHDRAWAL and (_is_goal(tx, trig, m, lex) or _listed(tx, goal, m)):
                        goal = m
                        continue  # "fled to X", "تراجعت نحو X" (and "towards X and the city centre"): nothing about X
                    goal = None
                    if kind is _ClaimType.ADVANCE and (_is_start(tx, m, lex) or _listed(tx, start, m)):
                        start = m
                        continue  # "reinforcements reached the front from Jufra and Tarhuna": where they set out
                    start = None
                    origin = origins.get(id(m))  # the same for every trigger of the place
                    if origin is None:
                        # its windows reach at most 60 characters before the place, which is in the sentence
                        near = (max(0, sent[0] - 60), sent[1])
                        if (len(s_mentions) < _MANY_PLACES or scans.may(lex.origin_before, *near)
                                or scans.may(lex.origin_list_before, *near)):
                            origins.update(_origins(tx, s_mentions, lex))
                        origin = origins.setdefault(id(m), False)
                    if m.start < dateline or (origin and not (
                            kind is _ClaimType.WITHDRAWAL and trig.end <= tx.n(m.start))):
                        continue  # "TRIPOLI (Reuters) -"
                    c = Claim(  # by position: a call with keywords costs twice as much, once a claim
                        article.id, m.place.id, kind, side, speaker_side,  # article, place, claim, side, claimed by
                        # date: "the city" in an undated sentence is the event told before, at its date
                        s_dates.reference if (m.how is _MatchKind.REFERENCE and not s_dates.dated) else date,
                        sentence.text, m.start, m.end, confidence[why], trig.pattern.id, why,
                    )  # evidence, start, end, confidence, pattern, why
                    key = (c.place_id, c.side, c.claim, c.date)
                    old = claims.get(key)  # (one look-up: hashing a key hashes its EventDate in Python)
                    if old is None or old.confidence < c.confidence:
                        claims[key] = c
                    if side is None and _GROUP[kind] == "offensive":
                        unsided.append(key)
                    if attacker is not None and side is not None:  # who was repelled attacked the place
                        a_why = _evidence(attacker, _Evidence.AGENT)
                        hit = dataclasses.replace(c, claim=_ClaimType.ATTACK, side=side.opponent, why=a_why,
                                                  confidence=min(confidence[a_why], c.confidence))
                        key = (hit.place_id, hit.side, hit.claim, hit.date)
                        old = claims.get(key)
                        if old is None or old.confidence < hit.confidence:
                            claims[key] = hit
    return ArticleAnalysis(article, tuple(mentions), _without_sideless_doubles(claims.values()))


def _blame(claims: dict[tuple, Claim], keys: list[tuple], side: Side, confidence: float) -> None:
    """Gives side-less attacks told before the side an accusation names."""
    for key in keys:
        c = claims.pop(key, None)
        if c is not None:
            blamed = dataclasses.replace(c, side=side, why=_Evidence.ACCUSATION, confidence=confidence)
            claims[(blamed.place_id, blamed.side, blamed.claim, blamed.date)] = blamed


#: The order of an article's claims: by position, then type (a ClaimType is its value, a str).
_POSITION = operator.attrgetter("start", "claim")


#: Days apart within which a side-less claim and a sided one of the same kind at the same place are one event.
SAME_EVENT_DAYS = 2


def _without_sideless_doubles(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    """Claims sorted by position; a side-less claim is dropped where the article tells the same claim at the
    same place with its side, dated within SAME_EVENT_DAYS ("an air strike hit X late Sunday" … "the LNA said
    its air force struck X"), or either undated."""
    claims = list(claims)
    sided: dict[tuple, list] = {}
    for c in claims:
        if c.side is not None:
            sided.setdefault((c.place_id, c.claim), []).append(c.date)

    def told_with_side(c: Claim) -> bool:
        return any(d is None or c.date is None or abs((d.date - c.date.date).days) <= SAME_EVENT_DAYS
                   for d in sided.get((c.place_id, c.claim), ()))

    kept = [c for c in claims if c.side is not None or c.claim is _ClaimType.CLASH or not told_with_side(c)]
    return tuple(sorted(kept, key=_POSITION))

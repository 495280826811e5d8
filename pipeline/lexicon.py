"""Loads the word lists of pipeline/data (actors, speech verbs, claim patterns) into compiled form."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from gazetteer.normalize import is_arabic, normalize_pattern
from pipeline.literals import required
from pipeline.models import ClaimType, Evidence, Side

DATA = files("pipeline") / "data"  # from the installed package, not a path next to the source (Dask workers)
#: Optional Arabic proclitics before a word: و ف, then ب ل ك (or لل), then ال.
PREFIX = r"(?:[وف])?(?:لل|[بلك])?(?:ال)?"


@dataclass(frozen=True)
class ActorPattern:
    """A compiled actor name: which side it stands for (None: neutral), or the speaker's."""

    regex: re.Pattern[str]
    side: Side | None
    relative: str  # "self"/"we": a pronoun for the speaker's side; "enemy": the speaker's word for the other side
    caps: str | None  # an all-caps acronym that must match in capitals (GNA, UN, US)
    arabic: bool = False  # Arabic-script names: run only on text that has Arabic
    needs: tuple[frozenset[str], ...] = ()  # sets of strings every match holds one of each (pipeline.literals)


@dataclass(frozen=True)
class ClaimPattern:
    """A compiled claim trigger."""

    id: str
    type: ClaimType | None  # None: a blocker (ceasefire) that only masks its span
    role: str  # "agent" or "opponent": the role of an actor named right after it
    priority: int
    regex: re.Pattern[str]
    arabic: bool  # written in Arabic script: runs only on text that has Arabic
    after_role: str = ""  # role of an actor right after the trigger when the pattern fixes it ("fell to X")
    needs: tuple[frozenset[str], ...] = ()  # sets of strings every match holds one of each (pipeline.literals)


def _structure(pattern: str) -> list[tuple[str, int, int]]:
    """The |, ( and ) of a regex outside escapes and character classes: (character, offset, depth
    inside groups before it)."""
    out, depth, k, in_class = [], 0, 0, False
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\":
            k += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            k += 2 if pattern[k + 1 : k + 2] == "]" else 3 if pattern[k + 1 : k + 3] == "^]" else 1
            continue  # (a ] right after the [ or [^ is a literal)
        elif ch in "|()":
            depth -= ch == ")"
            out.append((ch, k, depth))
            depth += ch == "("
        k += 1
    return out


def _one_group(pattern: str) -> bool:
    """Whether a regex is one non-capturing group, the whole of it ("(?:a|b)", not "(?:a)|b")."""
    closes = [k for ch, k, depth in _structure(pattern) if ch == ")" and depth == 0]
    return pattern.startswith("(?:") and closes[:1] == [len(pattern) - 1]


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex, or of the one group it is ("(?:a|b)" gives a and b)."""
    marks = _structure(pattern)
    outer = _one_group(pattern)
    level, start, end = (1, 3, len(pattern) - 1) if outer else (0, 0, len(pattern))
    parts = []
    for ch, k, depth in marks:
        if ch == "|" and depth == level:
            parts.append(pattern[start:k])
            start = k + 1
    return [*parts, pattern[start:end]]


#: What an alternative reading word characters only may hold, once every \w is taken out: no escape, no
#: dot, no white space, no negated class (each of those may match the space between two words).
_ONE_WORD_ONLY = re.compile(r"[^\\.\s]*")


def spanning_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex that may match a white-space character, so may read past a
    word ("in\\s+order"). The others read word characters only: where one matches at the start of a word
    of words joined by spaces, it matches that word alone too. Judged from the text of the regex, erring
    towards spanning (any escape but \\w, a dot, a space, a negated class)."""
    out = []
    for alt in alternatives(pattern):
        bare = alt.replace("\\w", "")
        if not _ONE_WORD_ONLY.fullmatch(bare) or "[^" in bare:
            out.append(alt)
    return out


MODAL_PREFIX = r"(?<!\w)(?:[وف])?"  # modal's regex is this, then the data file's (one word start, a clitic)
_INLINE = re.compile(r"\(\?[^:=!<]|\(\?<[^=!]")  # an inline flag, a comment or a named group
_SPANNING: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}  # by id(modal), the regex kept so the id holds


def modal_spanning(modal: re.Pattern[str]) -> re.Pattern[str]:
    """modal with only the alternatives that may read past one word ("in order", "matter of time"): in a
    window of words none of which modal matches alone, the only ones that can match (spanning_alternatives).
    modal itself when the split would not be exact: its regex is not MODAL_PREFIX and one non-capturing
    group of alternatives, or it has capturing groups, inline flags, comments or verbose mode. Found once a
    regex (so a Lexicon given another modal gets its own)."""
    known = _SPANNING.get(id(modal))
    if known is not None and known[0] is modal:
        return known[1]
    raw = modal.pattern[len(MODAL_PREFIX):] if modal.pattern.startswith(MODAL_PREFIX) else ""
    out = modal
    if (_one_group(raw) and modal.groups == 0 and not modal.flags & re.VERBOSE and not _INLINE.search(raw)):
        spanning = spanning_alternatives(raw)
        out = re.compile(MODAL_PREFIX + f"(?:{'|'.join(spanning)})" if spanning else r"(?!)", modal.flags)  # (?!): never
    _SPANNING[id(modal)] = (modal, out)
    return out


@dataclass(frozen=True)
class Lexicon:
    """All compiled word lists of the claim extractor."""

    actors: tuple[ActorPattern, ...]
    report: ScriptPatterns
    cont: ScriptPatterns
    accuse: ScriptPatterns
    deny: re.Pattern[str]
    deny_end: re.Pattern[str]
    complement: re.Pattern[str]
    back_subjects: frozenset[str]
    mute: re.Pattern[str]  # names of machines: an actor so named never speaks
    patterns: tuple[ClaimPattern, ...]
    modal: re.Pattern[str]
    hypothetical: re.Pattern[str]
    modal_window: int
    purpose_prefix: re.Pattern[str]
    purpose_before: re.Pattern[str]
    subject_before: re.Pattern[str]
    goal_until: re.Pattern[str]
    modal_after: re.Pattern[str]
    negation: frozenset[str]
    locator: re.Pattern[str]
    container: re.Pattern[str]
    actor_name: re.Pattern[str]
    attributive_after: re.Pattern[str]
    agent_gap: re.Pattern[str]
    opponent_gap: re.Pattern[str]
    author_gap: re.Pattern[str]
    victim_before: re.Pattern[str]
    pursued_before: re.Pattern[str]
    coordinated_start: re.Pattern[str]
    partitive_before: frozenset[str]
    demonstrative_before: frozenset[str]
    start_before: re.Pattern[str]
    adverbial_relatives: frozenset[str]
    own_retreat: re.Pattern[str]
    coerced_before: re.Pattern[str]
    modal_stop: frozenset[str]
    any_before: frozenset[str]
    operation_before: frozenset[str]
    operation_started: frozenset[str]
    operation_done: frozenset[str]
    operation_word: frozenset[str]
    victim_after: re.Pattern[str]
    target_after: re.Pattern[str]
    goal_before: re.Pattern[str]
    origin_before: re.Pattern[str]
    origin_list_before: re.Pattern[str]
    background: re.Pattern[str]
    dateline: re.Pattern[str]
    list_continuation: re.Pattern[str]
    place_continuation: re.Pattern[str]
    background_state: re.Pattern[str]
    relative: re.Pattern[str]
    relative_word: re.Pattern[str]
    mutual: re.Pattern[str]
    casualties: re.Pattern[str]
    by_before: re.Pattern[str]
    response_after: re.Pattern[str]
    response_before: re.Pattern[str]
    operator_before: re.Pattern[str]
    passive_before: re.Pattern[str]
    between: re.Pattern[str]
    source_before: re.Pattern[str]
    back_reference: re.Pattern[str]
    back_reference_plural: re.Pattern[str]
    container_between: re.Pattern[str]
    nominal_agent: re.Pattern[str]
    plot: re.Pattern[str]
    failed_before: re.Pattern[str]
    failed_after: re.Pattern[str]
    ended_before: re.Pattern[str]
    specific_container: re.Pattern[str]
    facility_before: re.Pattern[str]
    launch_base: re.Pattern[str]
    civilians: re.Pattern[str]
    media_before: re.Pattern[str]
    media_after: re.Pattern[str]
    repelled_attacker_gap: re.Pattern[str]
    modifier: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]


def _word_regex(entries: list[str], article: bool = True) -> str:
    """One regex for lexicon words or phrases on normalized text, Arabic clitics allowed.

    Verbs take no article (article=False): «التابع» (affiliated) is not «تابع» (he went on).
    Longer entries come first, so the longest name at a position wins.
    """
    with_al, arabic, latin = set(), set(), set()
    for entry in entries:
        norm = normalize_pattern(entry).lower().replace("-", " ")
        if not is_arabic(norm):
            latin.add(r"\s+".join(re.escape(w) for w in norm.split()))
        elif article and norm.startswith("ال"):
            with_al.add(re.escape(norm[2:]))
        else:
            arabic.add(re.escape(norm))

    def alt(items: set[str]) -> str:
        return "|".join(sorted(items, key=lambda x: (-len(x), x)))

    prefix = PREFIX if article else r"(?:[وف])?"
    parts = []
    if with_al:
        parts.append(rf"(?<!\w)(?:[وف])?(?:[بك]?ال|لل)(?:{alt(with_al)})(?!\w)")
    if arabic:
        parts.append(rf"(?<!\w){prefix}(?:{alt(arabic)})(?!\w)")
    if latin:
        parts.append(rf"(?<![\w'])(?:{alt(latin)})(?:'s)?(?!\w)")
    return "|".join(parts) or r"(?!x)x"


def _word_set(words: list[str]) -> frozenset[str]:
    """A word list as the normalized, lower-case tokens it is compared with."""
    return frozenset(normalize_pattern(w).lower() for w in words)


def _alternation(entries: list[str], article: bool = True) -> re.Pattern[str]:
    return re.compile(_word_regex(entries, article))


def _acronym(entry: str) -> re.Pattern[str]:
    """The regex _alternation([entry]) builds for one Latin word ("gna", "u.n."), with the word first and
    the test of the character before it after: a regex that starts with a literal is searched for at C
    speed, one that starts with a look-behind is tried at every character."""
    word = re.escape(normalize_pattern(entry).lower().replace("-", " "))
    if is_arabic(entry) or " " in entry or "-" in entry:
        return _alternation([entry])
    return re.compile(rf"{word}(?<![\w']{word})(?:'s)?(?!\w)")


@dataclass(frozen=True)
class ScriptPatterns:
    """One word list compiled apart for Arabic and Latin script, so each runs only where it can match."""

    arabic: re.Pattern[str]
    latin: re.Pattern[str]

    @classmethod
    def of(cls, entries: list[str], article: bool = True) -> ScriptPatterns:
        """The word list split by script and compiled."""
        return cls(_alternation([e for e in entries if is_arabic(e)], article),
                   _alternation([e for e in entries if not is_arabic(e)], article))

    def spans(self, norm: str, has_arabic: bool, has_latin: bool) -> list[tuple[int, int]]:
        """Where the words occur in a normalized text, in order."""
        out = [m.span() for m in self.arabic.finditer(norm)] if has_arabic else []
        if has_latin:  # "the reported airstrikes", "an announced ceasefire": a participle, not a speech verb
            out += [m.span() for m in self.latin.finditer(norm)
                    if not _DETERMINER_BEFORE.search(norm, max(0, m.start() - 8), m.start())]
        return sorted(out)


_DETERMINER_BEFORE = re.compile(r"(?<!\w)(?:the|a|an|these|those|this|its|their|his|her)\s+$")


def _expand(pattern: str) -> str:
    body = normalize_pattern(pattern).replace("{P}", PREFIX).replace("{W}", r"\w*")
    return rf"(?<!\w)(?:{body})"


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled lexicon from pipeline/data."""
    actors_raw = json.loads((DATA / "actors.json").read_text(encoding="utf-8"))
    actors: list[ActorPattern] = []
    for key, side, relative in (("GNA", Side.GNA, ""), ("LNA", Side.LNA, ""), ("NEUTRAL", None, ""),
                                ("SPEAKER", None, "self"), ("WE", None, "we"), ("ENEMY", None, "enemy"),
                                ("ARMY", None, "army")):
        plain = [e for e in actors_raw[key] if not (e.isascii() and e.isupper())]
        arabic = [e for e in plain if is_arabic(e)]
        for rx, caps, in_arabic in ((_alternation(arabic), None, True),
                                    (_alternation([e for e in plain if e not in arabic]), None, False),
                                    *((_acronym(e), e, False) for e in actors_raw[key]
                                      if e.isascii() and e.isupper())):  # GNA, UN, US: only in capitals
            actors.append(ActorPattern(rx, side, relative, caps, in_arabic, required(rx)))
    speech = json.loads((DATA / "speech.json").read_text(encoding="utf-8"))
    claims = json.loads((DATA / "claim_patterns.json").read_text(encoding="utf-8"))
    patterns = tuple(
        ClaimPattern(p["id"], ClaimType(p["type"]) if p["type"] else None, p.get("role", "agent"),
                     int(p["priority"]), rx, is_arabic(p["regex"]), p.get("after_role", ""), required(rx))
        for p in claims["patterns"] for rx in [re.compile(_expand(p["regex"]))]
    )
    modal = claims["modal"]
    return Lexicon(
        actors=tuple(actors),
        report=ScriptPatterns.of(speech["report"], article=False),
        cont=ScriptPatterns.of(speech["continue"], article=False),
        accuse=ScriptPatterns.of(speech["accuse"], article=False),
        deny=_alternation(speech["deny"], article=False),
        deny_end=_alternation(speech["deny_end"]),
        complement=_alternation(speech["complement"]),
        back_subjects=frozenset(speech["back_subjects"]),
        mute=re.compile(normalize_pattern(speech["mute"]), re.IGNORECASE),
        patterns=patterns,
        modal=re.compile(MODAL_PREFIX + normalize_pattern(modal["regex"])),
        hypothetical=re.compile(rf"(?<!\w){normalize_pattern(modal['hypothetical'])}(?!\w)"),
        modal_window=int(modal["window_tokens"]),
        purpose_prefix=re.compile(normalize_pattern(modal["purpose_prefix"])),
        purpose_before=re.compile(modal["purpose_word_before"]),
        subject_before=re.compile(normalize_pattern(modal["subject_before"])),
        goal_until=re.compile(normalize_pattern(modal["goal_after_until"])),
        modal_after=re.compile(normalize_pattern(modal["after"])),
        negation=_word_set(claims["negation"]["words"]),
        locator=re.compile(normalize_pattern(claims["locators"]["regex"])),
        container=re.compile(normalize_pattern(claims["locators"]["container_regex"])),
        actor_name=re.compile(normalize_pattern(claims["locators"]["actor_name_regex"])),
        attributive_after=re.compile(claims["locators"]["attributive_after_regex"]),
        agent_gap=re.compile(normalize_pattern(claims["roles"]["agent_gap"])),
        opponent_gap=re.compile(normalize_pattern(claims["roles"]["opponent_gap"])),
        author_gap=re.compile(normalize_pattern(claims["roles"]["author_gap"])),
        victim_before=re.compile(normalize_pattern(claims["roles"]["victim_before"])),
        pursued_before=re.compile(normalize_pattern(claims["roles"]["pursued_before"])),
        demonstrative_before=_word_set(claims["roles"]["demonstrative_before"]),
        partitive_before=_word_set(claims["roles"]["partitive_before"]),
        coordinated_start=re.compile(normalize_pattern(claims["roles"]["coordinated_start"]), re.IGNORECASE),
        start_before=re.compile(claims["roles"]["start_before"]),
        adverbial_relatives=frozenset(normalize_pattern(w) for w in claims["locators"]["adverbial_relative_words"]),
        own_retreat=re.compile(normalize_pattern(claims["roles"]["own_retreat"])),
        coerced_before=re.compile(normalize_pattern(claims["roles"]["coerced_before"])),
        modal_stop=_word_set(modal["stop_words"]),
        any_before=_word_set(modal["any_before"]),
        operation_before=_word_set(modal["operation_before"]),
        operation_done=_word_set(modal["operation_done_before"]),
        operation_started=_word_set(modal["operation_started_before"]),
        operation_word=_word_set(modal["operation_word"]),
        victim_after=re.compile(normalize_pattern(claims["roles"]["victim_after"])),
        target_after=re.compile(normalize_pattern(claims["roles"]["target_after"])),
        goal_before=re.compile(normalize_pattern(claims["roles"]["goal_before"])),
        origin_before=re.compile(normalize_pattern(claims["roles"]["origin_before"])),
        origin_list_before=re.compile(normalize_pattern(claims["roles"]["origin_list_before"])),
        background=re.compile(normalize_pattern(claims["locators"]["background_regex"])),
        dateline=re.compile(normalize_pattern(claims["locators"]["dateline_regex"]), re.IGNORECASE),
        list_continuation=re.compile(normalize_pattern(claims["locators"]["list_continuation_regex"])),
        place_continuation=re.compile(normalize_pattern(claims["locators"]["place_continuation_regex"])),
        background_state=re.compile(normalize_pattern(claims["background_state"]["regex"])),
        relative=re.compile(normalize_pattern(claims["locators"]["relative_regex"])),
        relative_word=re.compile(normalize_pattern(claims["locators"]["relative_word_regex"])),
        mutual=re.compile(normalize_pattern(claims["roles"]["mutual"])),
        casualties=re.compile(normalize_pattern(claims["roles"]["casualties"])),
        by_before=re.compile(normalize_pattern(claims["roles"]["by_before"])),
        response_after=re.compile(normalize_pattern(claims["roles"]["response_after"])),
        response_before=re.compile(normalize_pattern(claims["roles"]["response_before"])),
        operator_before=re.compile(normalize_pattern(claims["roles"]["operator_before"])),
        passive_before=re.compile(normalize_pattern(claims["roles"]["passive_before"])),
        between=re.compile(normalize_pattern(claims["roles"]["between"])),
        source_before=re.compile(normalize_pattern(claims["roles"]["source_before"])),
        back_reference=re.compile(normalize_pattern(claims["roles"]["back_reference"])),
        back_reference_plural=re.compile(normalize_pattern(claims["roles"]["back_reference_plural"])),
        container_between=re.compile(normalize_pattern(claims["locators"]["container_between_regex"])),
        nominal_agent=re.compile(normalize_pattern(claims["roles"]["nominal_agent"])),
        plot=re.compile(rf"(?<!\w)(?:[وف])?{normalize_pattern(modal['plot'])}"),
        failed_before=re.compile(normalize_pattern(modal["failed_before"])),
        failed_after=re.compile(normalize_pattern(modal["failed_after"])),
        ended_before=re.compile(normalize_pattern(modal["ended_before"])),
        specific_container=re.compile(normalize_pattern(claims["locators"]["specific_container_regex"])),
        facility_before=re.compile(normalize_pattern(claims["locators"]["facility_before_regex"])),
        launch_base=re.compile(normalize_pattern(claims["locators"]["launch_base_regex"])),
        civilians=re.compile(rf"(?<!\w)(?:[وف])?{normalize_pattern(claims['roles']['civilians'])}(?!\w)"),
        media_before=re.compile(normalize_pattern(claims["roles"]["media_affiliation_before"])),
        media_after=re.compile(normalize_pattern(claims["roles"]["media_affiliation_after"])),
        repelled_attacker_gap=re.compile(normalize_pattern(claims["roles"]["repelled_attacker_gap"])),
        modifier=tuple(re.compile(normalize_pattern(claims["modifiers"][k]))  # type: ignore[arg-type]
                       for k in ("latin_surface", "latin_after", "latin_before", "arabic_surface")),
    )


@lru_cache(maxsize=1)
def evidence_confidence() -> dict[Evidence, float]:
    """The confidence of a claim by the kind of evidence for its side (pipeline/data/evidence.json)."""
    raw = json.loads((DATA / "evidence.json").read_text(encoding="utf-8"))["confidence"]
    table = {Evidence(k): float(v) for k, v in raw.items()}
    missing = set(Evidence) - set(table)
    if missing:
        raise ValueError(f"evidence.json lacks a confidence for {sorted(missing)}")
    return table

"""The literal strings a regex cannot match without: a quick test that skips a regex on text that lacks them.

`required(regex)` reads the parsed regex into sets of strings, each of which a match must hold one of: a
run of literal characters is a set of one; an alternation needs one of its alternatives' strings; a repeat
of at least one, a group or a look-ahead needs what its body needs; an optional part, a look-behind or a
character class needs nothing. So when, for some set, none of its strings occurs in text[lo:hi],
regex.finditer(text, lo, hi) finds nothing (the characters a match or its look-aheads read lie inside
[lo, hi)). An empty tuple means nothing is known: the regex always runs.

`first_word(regex)` does the same for the run of word characters a match starts with, when the regex opens
with a look-behind for no word character ("(?<!\\w)…"): such a regex can only start a match at the start of
a run, and only at a run that holds one of the strings (pipeline.wordstarts tries it there alone).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as C  # the parsed form the re module itself compiles
from re import _parser as P

Needs = tuple[frozenset[str], ...]


def required(regex: re.Pattern[str]) -> Needs:
    """Sets of strings; every match of the regex holds a string of each."""
    if regex.flags & re.IGNORECASE:
        return ()
    return tuple(_minimal(s) for s in _sequence(P.parse(regex.pattern, regex.flags)))


_KNOWN: dict[int, tuple[re.Pattern[str], Needs]] = {}  # by id: hashing a compiled regex hashes its code


def needs_of(regex: re.Pattern[str]) -> Needs:
    """required(regex), worked out once a regex."""
    known = _KNOWN.get(id(regex))
    if known is None or known[0] is not regex:
        known = _KNOWN[id(regex)] = (regex, required(regex))
    return known[1]


def first_word(regex: re.Pattern[str]) -> frozenset[str]:
    """Strings one of which every match of the regex holds in the run of word characters (\\w) it starts
    with, the run starting where the match does; empty when not known (the regex does not open with a
    look-behind for no word character, can match nothing, or ignores case or Unicode)."""
    if regex.flags & (re.IGNORECASE | re.ASCII):
        return frozenset()
    parsed = P.parse(regex.pattern, regex.flags)
    if parsed.getwidth()[0] == 0 or _sets_flags(parsed):
        return frozenset()
    return _opening(list(parsed))


def _sets_flags(node: object) -> bool:
    """Whether a parsed regex holds a group with flags of its own ((?a:…), (?i:…), …): inside one, word
    characters and boundaries may not be what the rest of the regex means by them."""
    if isinstance(node, P.SubPattern):
        return any(_sets_flags(item) for item in node.data)
    if isinstance(node, tuple | list):
        if len(node) == 2 and node[0] is C.SUBPATTERN and (node[1][1] or node[1][2]):
            return True
        return any(_sets_flags(item) for item in node)
    return False


_GATES: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}  # by id, as _KNOWN


def gate_of(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """A regex that finds the strings a match needs, and starts with a literal (so it is searched at C
    speed), or None when nothing is known: where it finds nothing, the regex finds nothing. It looks for
    the ways a match's first word may begin (first_word) when they are few, else for the regex's most
    selective set of needs."""
    known = _GATES.get(id(regex))
    if known is None or known[0] is not regex:
        heads = first_word(regex)
        if heads and len(heads) <= _GATE_WORDS:
            gate = re.compile("|".join(_word_gate(s) for s in sorted(heads, key=lambda s: (-len(s.strip()), s))))
        else:
            strings = _best(list(needs_of(regex)))
            gate = re.compile("|".join(re.escape(s) for s in sorted(strings, key=lambda s: (-len(s), s)))) if strings else None
        known = _GATES[id(regex)] = (regex, gate)
    return known[1]


#: The most first-word strings a gate lists (an alternation is tried one alternative after the other).
_GATE_WORDS = 200


def _word_gate(string: str) -> str:
    """A first-word string as a regex that starts with its letters: " ab " is "ab" starting and ending a word."""
    core = re.escape(string.strip(" "))
    return core + (rf"(?<!\w{core})" if string.startswith(" ") else "") + (r"(?!\w)" if string.endswith(" ") else "")


def search(regex: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
    """regex.search(text, pos, endpos), not run where its gate finds none of the words a match needs: for a
    regex that reads each character slowly (one that starts with a look-behind or a long alternation)."""
    end = len(text) if endpos is None else endpos
    gate = gate_of(regex)
    if gate is not None and gate.search(text, pos, end) is None:
        return None
    return regex.search(text, pos, end)


def may_match(needs: Needs, text: str) -> bool:
    """False only when the text lacks every string of one of the sets the regex needs."""
    return all(any(s in text for s in strings) for strings in needs)


def _sequence(seq: P.SubPattern) -> list[frozenset[str]]:
    """What a sequence needs: every set its parts need (a part may need several)."""
    needs: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            needs.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in seq:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is C.SUBPATTERN:
            if av[1] & re.IGNORECASE:  # (?i:…)
                return []
            needs += _sequence(av[3])
        elif op is C.BRANCH:
            alternatives = [_best(_sequence(sub)) for sub in av[1]]
            if all(alternatives):
                needs.append(frozenset().union(*alternatives))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
            needs += _sequence(av[2])
        elif op is C.ASSERT and av[0] == 1:  # a look-ahead reads text after the match start, inside [lo, hi)
            needs += _sequence(av[1])
    flush()
    return needs


def _best(needs: list[frozenset[str]]) -> frozenset[str]:
    """The most selective set (the longest shortest string, then the fewest strings); empty if none."""
    return max(needs, key=lambda s: (min(map(len, s)), -len(s)), default=frozenset())


def _minimal(strings: frozenset[str]) -> frozenset[str]:
    """A string that holds another of the set adds nothing: the set without it."""
    kept: list[str] = []
    for s in sorted(strings, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)



_WORD = re.compile(r"\w")


def _opening(seq: list) -> frozenset[str]:
    """What the first word of a match of `seq` needs, if `seq` opens with the look-behind (every alternative
    of an opening alternation, each followed by the rest of the sequence)."""
    if not seq:
        return frozenset()
    op, av = seq[0]
    if op is C.ASSERT_NOT and av[0] == -1 and _excludes_word(av[1]):
        heads = _heads(seq[1:], frozenset({""}))
        return heads if heads else _minimal(_best(_first_word(seq[1:], True)[0]))
    if op is C.BRANCH:
        alternatives = [_opening([*sub, *seq[1:]]) for sub in av[1]]
        return frozenset().union(*alternatives) if all(alternatives) else frozenset()
    if op is C.SUBPATTERN:  # no group has flags of its own (first_word)
        return _opening([*av[3], *seq[1:]])
    return frozenset()


#: The most ways a word may begin that _heads lists (clitics times stems) before it gives up.
_HEADS = 20_000


def _heads(seq: list, heads: frozenset[str]) -> frozenset[str]:
    """The ways the first word of a match of `seq` can begin, when they are few and fixed (optional clitics,
    then one of a list of stems: "(?:[وف])?(?:سيطرت|تقدمت)" begins " سيطرت", " وسيطرت", " فسيطرت"…),
    written with a space before (and after, when the word must end there); `heads` are the ways the word
    began before `seq`. Empty when they are not known, too many, or one of them is nothing."""
    for i, (op, av) in enumerate(seq):
        if len(heads) > _HEADS:
            return frozenset()
        if op is C.LITERAL and _WORD.match(chr(av)):
            heads = frozenset(h + chr(av) for h in heads)
        elif op is C.IN and all(o is C.LITERAL and _WORD.match(chr(c)) for o, c in av):
            heads = frozenset(h + chr(c) for h in heads for _o, c in av)
        elif (op is C.ASSERT_NOT and av[0] == 1 and _excludes_word(av[1])) or (
                op is C.AT and av in (C.AT_BOUNDARY, C.AT_UNI_BOUNDARY)):
            return _ended(heads, seq[i:])  # (?!\w) or \b: the word ends here
        elif op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue
        elif op is C.SUBPATTERN:
            return _heads([*av[3], *seq[i + 1 :]], heads)
        elif op is C.BRANCH:
            return _joined(_heads([*sub, *seq[i + 1 :]], heads) for sub in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[1] == 1:  # once, or optional
            once = _heads([*av[2], *seq[i + 1 :]], heads)
            return _joined([once, _heads(seq[i + 1 :], heads)]) if av[0] == 0 else once
        else:
            return _ended(heads, seq[i:])
    return _ended(heads, [])


def _ended(heads: frozenset[str], rest: list) -> frozenset[str]:
    if "" in heads:
        return frozenset()
    end = " " if _ends_word(rest) else ""
    return frozenset(f" {h}{end}" for h in heads)


def _joined(parts: Iterable[frozenset[str]]) -> frozenset[str]:
    """All the ways of the alternatives; empty if one of them is not known."""
    out: set[str] = set()
    for part in parts:
        if not part or len(out) > _HEADS:
            return frozenset()
        out |= part
    return frozenset(out)


def _excludes_word(seq: P.SubPattern) -> bool:
    """The look-behind's body is one character class that holds every word character (\\w, [\\w'])."""
    if len(seq) != 1 or seq[0][0] is not C.IN:
        return False
    items = seq[0][1]
    return (C.NEGATE, None) not in items and any(
        op is C.CATEGORY and av in (C.CATEGORY_WORD, C.CATEGORY_UNI_WORD) for op, av in items)


def _first_word(seq: list, at_start: bool) -> tuple[list[frozenset[str]], bool]:
    """Sets of strings the part of a match of `seq` inside its first word holds one of each, and whether
    `seq` may leave that word (consume a character that is not a word character). `at_start`: `seq` starts
    where the word does. A string that must start the word is written with a space before it, one that must
    end it with a space after (the word is looked up with a space on each side)."""
    needs: list[frozenset[str]] = []
    run: list[tuple] = []  # the word characters read last, in a row
    run_at_start = False
    i = 0
    while i < len(seq):
        op, av = seq[i]
        if op is C.LITERAL and _WORD.match(chr(av)):
            if not run:
                run_at_start = at_start
            run.append(seq[i])
            at_start = False
            i += 1
            continue
        if op is C.BRANCH:  # each alternative after the run and followed by the rest: one of their strings
            parts = [_first_word([*run, *sub, *seq[i + 1 :]], run_at_start if run else at_start) for sub in av[1]]
            alternatives = [_best(n) for n, _ in parts]
            if all(alternatives):
                needs.append(frozenset().union(*alternatives))
            return needs, any(left for _, left in parts)
        if run:
            needs.append(frozenset({(" " if run_at_start else "") + "".join(chr(c) for _, c in run)
                                    + (" " if _ends_word(seq[i:]) else "")}))
            run.clear()
        if op is C.SUBPATTERN:
            seq = [*av[3], *seq[i + 1 :]]  # a group: its parts, then the rest
            i = 0
            continue
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            i += 1  # reads, consumes nothing
            continue
        if op is C.IN and _word_class(av):
            at_start = False
            i += 1
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            inner, leaves = _first_word(list(av[2]), at_start)
            if av[0] >= 1:
                needs += inner
            if leaves:
                return needs, True
            at_start = False
            i += 1
            continue
        return needs, True  # a character that may not be a word character, or an unknown part
    if run:
        needs.append(frozenset({(" " if run_at_start else "") + "".join(chr(c) for _, c in run)}))
    return needs, False


def _ends_word(seq: list) -> bool:
    """Every match of `seq` starts with a character that is no word character, or `seq` asserts there is
    none (the word before it ends there)."""
    for k, (op, av) in enumerate(seq):
        if op is C.LITERAL:
            return not _WORD.match(chr(av))
        if op is C.IN:
            return _non_word_class(av)
        if op is C.ASSERT_NOT and av[0] == 1:
            if _excludes_word(av[1]):
                return True  # (?!\w)
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):  # another look-around: reads, consumes nothing
            continue
        if op is C.AT:
            return av is C.AT_BOUNDARY or av is C.AT_UNI_BOUNDARY  # \b right after a word character
        if op is C.SUBPATTERN:
            return _ends_word([*av[3], *seq[k + 1 :]])
        if op is C.BRANCH:
            return all(_ends_word([*sub, *seq[k + 1 :]]) for sub in av[1])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            body = _ends_word(list(av[2]))
            return body if av[0] >= 1 else body and _ends_word(seq[k + 1 :])
        return False
    return False


def _word_class(items: list) -> bool:
    """A character class all of whose characters are word characters."""
    for op, av in items:
        if op is C.LITERAL:
            if not _WORD.match(chr(av)):
                return False
        elif op is C.RANGE:
            if not all(_WORD.match(chr(c)) for c in range(av[0], av[1] + 1)):
                return False
        elif not (op is C.CATEGORY and av in (C.CATEGORY_WORD, C.CATEGORY_UNI_WORD, C.CATEGORY_DIGIT,
                                               C.CATEGORY_UNI_DIGIT)):
            return False
    return True


def _non_word_class(items: list) -> bool:
    """A character class none of whose characters is a word character."""
    for op, av in items:
        if op is C.LITERAL:
            if _WORD.match(chr(av)):
                return False
        elif op is C.RANGE:
            if any(_WORD.match(chr(c)) for c in range(av[0], av[1] + 1)):
                return False
        elif not (op is C.CATEGORY and av in (C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE)):
            return False
    return True

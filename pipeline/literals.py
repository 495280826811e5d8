"""The literal strings a regex cannot match without: a quick test that skips a regex on text that lacks them.

`required(regex)` reads the parsed regex into sets of strings, each of which a match must hold one of: a
run of literal characters is a set of one; an alternation needs one of its alternatives' strings; a repeat
of at least one, a group or a look-ahead needs what its body needs; an optional part, a look-behind or a
character class needs nothing. So when, for some set, none of its strings occurs in text[lo:hi],
regex.finditer(text, lo, hi) finds nothing (the characters a match or its look-aheads read lie inside
[lo, hi)). An empty tuple means nothing is known: the regex always runs.
"""
from __future__ import annotations

import re
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

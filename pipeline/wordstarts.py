"""Finds the matches of word-list regexes by trying each only at the words that can start one.

A regex that opens with a look-behind for no word character ("(?<!\\w)…", as every claim pattern and actor
list does) is tried by `re` at every character of the text. `pipeline.literals.first_word` tells which
strings the run of word characters a match starts with must hold; a run that holds none of them cannot start
a match. So each regex is tried, with regex.match, only at the starts of the runs that hold one of its
strings, in order of position, going on after each match's end as finditer does: the matches are the same,
in the same order. Which regexes a word can start is worked out once a word (a memo, dropped when full): most
strings start the word (literals.first_word lists the few ways it may begin, clitics included), so they are
looked up among its beginnings.

The runs are read from the text's tokens (gazetteer.normalize.TOKEN_RE on the normalized text: letters and
digits, with apostrophes inside): a token is one run or several joined by apostrophes. A range of the text
that holds "_" (a word character that is no letter) is searched the plain way.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from gazetteer.normalize import token_spans
from pipeline.literals import first_word

#: Words whose answer is kept; past that the memo starts afresh.
_MEMO_SIZE = 100_000
_RUN = re.compile(r"\w+")

Entry = tuple[tuple[int, tuple[int, ...]], ...]  # (offset of a run in the word, the regexes that may start there)


class WordStarts:
    """A list of regexes searched together over ranges of one text at a time."""

    def __init__(self, regexes: Sequence[re.Pattern[str]]) -> None:
        self.regexes = tuple(regexes)
        firsts = [first_word(rx) for rx in self.regexes]
        #: the regexes that can be tried at words alone (the others are searched the plain way)
        self.at_words = tuple(bool(f) for f in firsts)
        owners: dict[str, set[int]] = {}
        for k, strings in enumerate(firsts):
            for string in strings:
                owners.setdefault(string, set()).add(k)
        # a string with a space before starts the word: looked up among the word's beginnings
        self._starting = {t: tuple(sorted(ks)) for t, ks in owners.items() if t.startswith(" ")}
        self._lengths = sorted({len(t) for t in self._starting})
        self._inside = [(t, tuple(sorted(ks))) for t, ks in owners.items() if not t.startswith(" ")]
        self._memo: dict[str, Entry] = {}

    def entry(self, word: str) -> Entry:
        """The runs of a token that may start a match, with the regexes that may (kept once a word)."""
        found = self._memo.get(word)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[word] = self._entry(word)
        return found

    def _entry(self, word: str) -> Entry:
        out = []
        for run in _RUN.finditer(word):
            spaced = f" {run.group()} "
            ks: set[int] = set()
            for n in self._lengths:  # the beginnings of the word the strings that start one may be
                if n > len(spaced):
                    break
                found = self._starting.get(spaced[:n])
                if found:
                    ks.update(found)
            for t, owners in self._inside:
                if t in spaced:
                    ks.update(owners)
            if ks:
                out.append((run.start(), tuple(sorted(ks))))
        return tuple(out)

    def search(self, norm: str, lo: int, hi: int, wanted: Sequence[int],
               words: tuple[list[int], list[int]] | None = None) -> list[list[re.Match[str]]]:
        """For each regex index of `wanted`, what regex.finditer(norm, lo, hi) finds (as a list).

        `words`: the starts and ends of norm's tokens (TOKEN_RE), when known; else they are read here.
        """
        if norm.find("_", lo, hi) >= 0:
            return [list(self.regexes[k].finditer(norm, lo, hi)) for k in wanted]
        starts, ends = words if words is not None else token_spans(norm)
        i, j = bisect.bisect_right(ends, lo), bisect.bisect_left(starts, hi)  # the tokens that reach into [lo, hi)
        firsts, lasts = starts[i:j], ends[i:j]
        if lasts and lasts[-1] > hi:
            lasts[-1] = hi  # a word cut by the range ends there for the search ("(?!\\w)" holds at hi)
        memo = self._memo
        entries = [memo.get(norm[s:e]) for s, e in zip(firsts, lasts, strict=True)]
        tried = {k: [] for k in wanted if self.at_words[k]}
        for n, s in enumerate(firsts):
            entry = entries[n]
            if entry is None:
                entry = self.entry(norm[s : lasts[n]])
            for offset, ks in entry:
                pos = s + offset
                if lo <= pos < hi:
                    for k in ks:
                        at = tried.get(k)
                        if at is not None:
                            at.append(pos)
        out = []
        for k in wanted:
            at = tried.get(k)
            out.append(list(self.regexes[k].finditer(norm, lo, hi)) if at is None else _matches(self.regexes[k], norm, at, hi))
        return out


_BUILT: dict[tuple[int, ...], WordStarts] = {}  # by the ids of its regexes (which it holds, so they stay theirs)


def word_starts(regexes: Sequence[re.Pattern[str]]) -> WordStarts:
    """The WordStarts of a list of regexes, built once a list."""
    key = tuple(map(id, regexes))
    found = _BUILT.get(key)
    if found is None:
        if len(_BUILT) >= 64:
            _BUILT.clear()
        found = _BUILT[key] = WordStarts(regexes)
    return found


def _matches(regex: re.Pattern[str], norm: str, at: list[int], hi: int) -> list[re.Match[str]]:
    """The matches regex.finditer(norm, lo, hi) finds, given every position a match can start at (in order,
    from lo on): a match found at one goes on from its end, as finditer does (a match is never empty)."""
    found = []
    end = -1
    for pos in at:
        if pos >= end:
            m = regex.match(norm, pos, hi)
            if m is not None:
                found.append(m)
                end = m.end()
    return found

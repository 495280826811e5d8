"""Finds gazetteer places named in Arabic or English text.

Exact lookup runs on a token index (first token -> remaining tokens), with Arabic
clitics stripped and Latin transliteration variants folded; rapidfuzz then catches
spelling variants of the more important places. Context rules decide ambiguous
names (a place cue, a list of places), namesakes abroad and shared names.
"""
from __future__ import annotations

import bisect
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from rapidfuzz import fuzz, process

from gazetteer.normalize import (
    LATIN_ARTICLES,
    TOKEN_RE,
    clitic_forms,
    fold_latin,
    is_arabic,
    name_key,
    normalize_text,
    token_key,
)
from gazetteer.records import DATA_DIR, Place, default_places, load_word_list

MATCHER_VERSION = "1.0"
MAX_NAME_TOKENS = 6
FUZZY_MIN_IMPORTANCE = 0.45
NEAR_KM = 150  # an ambiguous name prefers the place within this distance of another place the text names
#: The context lists a word may be in, as bits (Matcher._word).
_CUE_BEFORE, _CUE_AFTER, _CUE_SKIP, _FOREIGN, _INSTITUTION = 1, 2, 4, 8, 16
#: The most answers a matcher keeps of a question asked again for the same name (then it starts afresh).
_MEMO_SIZE = 100_000
_LIST_NEIGHBOURS = 3  # names before a name that may be its neighbour in a list (overlaps aside, it is the last)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _remember(memo: dict[K, tuple[Any, V]], key: K, owner: object, compute: Callable[[], V]) -> V:
    """The answer kept in `memo` for `key` while it belongs to `owner` (the very object it was worked out
    for: a key may hold an object's id); else `compute()`, kept. A full memo starts afresh (_MEMO_SIZE)."""
    got = memo.get(key)
    if got is None or got[0] is not owner:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        got = memo[key] = (owner, compute())
    return got[1]


class MatchKind(StrEnum):
    """Why a span matched a place."""

    EXACT = "exact"  # the place's own English or Arabic name
    ALIAS = "alias"  # one of its variant names
    FUZZY = "fuzzy"  # a spelling variant within the fuzzy cutoff
    REFERENCE = "reference"  # a short reference ("the airport") resolved from the article


@dataclass(frozen=True)
class Match:
    """A place found in text."""

    start: int
    end: int
    surface: str
    place: Place
    score: float
    how: MatchKind
    cue: bool = False  # a place cue (منطقة، محور، town of…) stands next to it


@dataclass(frozen=True)
class _Entry:
    place: Place
    alias: str
    primary: bool
    ambiguous: bool


class _Candidate(NamedTuple):
    """A name found at tokens [start_tok, end_tok) before disambiguation (a named tuple: one is made for
    every name a text holds, and a tuple is built several times faster than a frozen dataclass)."""

    start_tok: int
    end_tok: int  # exclusive
    entries: tuple[_Entry, ...]
    how: MatchKind
    ratio: float = 100.0


@dataclass(frozen=True)
class _Facts:
    """What lookup and disambiguation ask of a name's entries: the places they name, whether every one is
    a common-word reading, the entries that stand without a cue (the others, or all when none is), how an
    exact look-up matched them and whether one of their names holds a hamza (_hamza_inside)."""

    ids: frozenset[str]
    all_ambiguous: bool
    clear: tuple[_Entry, ...]
    clear_single: bool  # the entries that stand without a cue name one place
    how: MatchKind  # EXACT when one is the place's own name, else ALIAS
    hamza: bool

    @classmethod
    def of(cls, entries: tuple[_Entry, ...]) -> _Facts:
        """The facts of an entries tuple."""
        clear = tuple(e for e in entries if not e.ambiguous) or entries
        return cls(frozenset(e.place.id for e in entries), all(e.ambiguous for e in entries), clear,
                   len({e.place.id for e in clear}) == 1,
                   MatchKind.EXACT if any(e.primary for e in entries) else MatchKind.ALIAS,
                   any("ء" in e.alias for e in entries))


def _load_cues() -> dict:
    with (DATA_DIR / "matcher_cues.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def _keys(words: Iterable[str]) -> frozenset[str]:
    out = set()
    for w in words:
        out.update(clitic_forms(w) if is_arabic(w) else (fold_latin(w),))
    return frozenset(out)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


#: A little under the kilometres in a degree of latitude on km()'s sphere (6371 km × π / 180 = 111.19).
_KM_PER_DEGREE_BELOW = 111.0


#: What a name does not run across (Matcher._contiguous).
_NAME_BREAK = re.compile("[.,،;؛:!?؟()\n\"«»“”]")
#: The score of an exact or alias match (a fuzzy one scores by its ratio).
_BASE_SCORE = {MatchKind.EXACT: 1.0, MatchKind.ALIAS: 0.95}
#: Those scores rounded as a match holds them, by kind and whether every reading of the name is a common word.
_SCORE = {(how, common): round(base - 0.1 if common else base, 3) for how, base in _BASE_SCORE.items()
          for common in (False, True)}
#: Read once a name: on Python 3.11 `MatchKind.FUZZY` goes through the enum metaclass's __getattr__ hook.
_FUZZY = MatchKind.FUZZY


class _Anchors:
    """The unambiguous places of a text, indexed on a grid to ask "is another of them near this place?".
    `places` gives them when first asked: a text whose names each name one place never asks."""

    _CELL_DEG = 1.5  # wider than NEAR_KM: a near anchor is in the place's cell or a neighbouring one

    def __init__(self, places: Callable[[], Iterable[Place]]) -> None:
        self._places = places
        self._cells: dict[tuple[int, int], list[Place]] | None = None
        self._memo: dict[str, bool] = {}

    @property
    def _grid(self) -> dict[tuple[int, int], list[Place]]:
        if self._cells is None:
            self._cells = defaultdict(list)
            for p in self._places():
                self._cells[self._cell(p.lat, p.lon)].append(p)
        return self._cells

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self._CELL_DEG), math.floor(lon / self._CELL_DEG)

    def near(self, place: Place, km_limit: float) -> bool:
        """Whether an anchor other than the place itself lies within km_limit of it."""
        if place.id not in self._memo:
            ci, cj = self._cell(place.lat, place.lon)
            grid = self._grid
            self._memo[place.id] = any(
                # a degree of latitude is 111.2 km on the sphere, so a great circle is never shorter
                a.id != place.id and abs(a.lat - place.lat) * _KM_PER_DEGREE_BELOW < km_limit
                and km(place.lat, place.lon, a.lat, a.lon) < km_limit
                for di in (-1, 0, 1) for dj in (-1, 0, 1) for a in grid.get((ci + di, cj + dj), ())
            )
        return self._memo[place.id]



_LATIN_UPPER = re.compile(r"[A-Z]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _lowercase_latin(surface: str) -> bool:
    """A one-word Latin-script surface with no capital letter ("short", "dawn"): a common word, not a name
    (a lowercase name of several words, "the airport road", is still one)."""
    return (" " not in surface.strip() and bool(_LATIN_LETTER.search(surface)) and not _LATIN_UPPER.search(surface)
            and surface.isascii())

class Matcher:
    """A place finder over a fixed gazetteer (the index is its state)."""

    def __init__(self, places: Sequence[Place] | None = None) -> None:
        self.places = tuple(places if places is not None else default_places())
        self.by_id = {p.id: p for p in self.places}
        cues = _load_cues()
        self._cue_before = _keys(cues["cue_before"])
        self._cue_after = _keys(cues["cue_after"])
        self._cue_skip = frozenset(cues["cue_skip"])
        self._separators = frozenset(w.lower() for w in cues["list_separators"])
        self._foreign = _keys(cues["foreign_markers"])
        self._institution = _keys(cues["institution_before"])
        self._word_lists = ((_CUE_BEFORE, self._cue_before), (_CUE_AFTER, self._cue_after), (_CUE_SKIP, self._cue_skip),
                            (_FOREIGN, self._foreign), (_INSTITUTION, self._institution))
        self._word_bits: dict[str, int] = {}  # a context word's lists (see _word)
        self._reference_point = _keys(cues["reference_point_before"])
        self._not_a_reference = _keys(cues["reference_not_after"])
        self._dual = frozenset(" ".join(normalize_text(w).split()[1:] if w.startswith("the ") else normalize_text(w).split())
                               for w in cues["dual_references"])
        self._minor_refs = frozenset(normalize_text(w) for w in cues["minor_references"]["words"])
        self._minor_max = float(cues["minor_references"]["max_importance"])
        self._common_words = frozenset(k for w in load_word_list("ambiguous_words.txt") for k in name_key(w)[:1])
        self._generic = {normalize_text(k): tuple(v) for k, v in cues["generic_references"].items()}
        self._generic_by_first: dict[str, list[tuple[bool, list[str], tuple[str, ...]]]] = defaultdict(list)
        for phrase, kinds in self._generic.items():
            words = phrase.split()
            definite = words[0] == "the"  # "the" is not in the token stream: checked in the text instead
            words = words[1:] if definite else words
            self._generic_by_first[_generic_key(words[0])].append((definite, words, kinds))
        self._generic_words = frozenset(
            form for k in self._generic for form in (k, k.removeprefix("the "), k.removeprefix("ال"))
        )
        # a name's first word -> (length of the rest, {rest: entries}), longest rest first
        self._index: dict[str, list[tuple[int, dict[tuple[str, ...], tuple[_Entry, ...]]]]] = {}
        self._fuzzy: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._single: dict[str, list[_Entry]] = {}
        self._cue_needed: dict[tuple[str, int], tuple[tuple[_Entry, ...], bool]] = {}  # _needs_cue's, by word and entries
        self._facts: dict[int, tuple[tuple[_Entry, ...], _Facts]] = {}  # by the id of an entries tuple of the index
        self._build()

    # ---- index -------------------------------------------------------------
    def _build(self) -> None:
        table: dict[tuple[str, ...], dict[str, _Entry]] = defaultdict(dict)
        # a word that says what kind of place follows («مدينة», "district") names none: "المدينة" is "the city"
        cues = _load_cues()
        cue_words = {name_key(w) for w in (*cues["cue_before"], *cues["cue_after"])}
        for place in self.places:
            ambiguous_keys = {name_key(a) for a in place.ambiguous_aliases}
            primary_keys = {name_key(place.name), name_key(place.name_ar)}
            for alias in (place.name, place.name_ar, *place.aliases):
                key = name_key(alias)
                if (not key or len(key) > MAX_NAME_TOKENS or (len(key) == 1 and len(key[0]) < 3)
                        or key in cue_words):
                    continue
                entry = _Entry(place, alias, key in primary_keys, key in ambiguous_keys)
                old = table[key].get(place.id)
                if old is None or (entry.primary and not old.primary) or (old.ambiguous and not entry.ambiguous):
                    table[key][place.id] = entry
        grouped: dict[str, list[tuple[tuple[str, ...], list[_Entry]]]] = defaultdict(list)
        for key, entries in table.items():
            grouped[key[0]].append((key[1:], tuple(entries.values())))  # tuples kept for good: asked by id
            if len(key) == 1:
                self._single[key[0]] = list(entries.values())
            joined = " ".join(key)
            if len(joined) >= 5 and any(  # fuzzy variants of a place's own names, not of its variants
                e.place.importance >= FUZZY_MIN_IMPORTANCE and not e.ambiguous and e.primary for e in entries.values()
            ):
                self._fuzzy[(joined[0], len(key))].append(joined)
        for first, tails in grouped.items():
            by_len: dict[int, dict[tuple[str, ...], list[_Entry]]] = defaultdict(dict)
            for tail, entries in tails:
                by_len[len(tail)][tail] = entries
            self._index[first] = sorted(by_len.items(), key=lambda t: -t[0])
        self._fuzzy_table = {" ".join(k): tuple(v.values()) for k, v in table.items()}

    # ---- public ------------------------------------------------------------
    def find(self, text: str) -> list[Match]:
        """All place mentions in a text, in order, after disambiguation."""
        # plain (start, end, text) tuples, the shape of normalize.Token, built fast on the hot path
        toks = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text) if not _is_latin_article(m.group())]
        if not toks:
            return []
        cands = self._exact(text, toks)
        cands = self._add_fuzzy(toks, cands)
        matches = self._decide(text, toks, cands)
        if _LATIN_UPPER.search(text):  # in cased text a Latin name is capitalized: "short" is not Surt (Sirte)
            matches = [m for m in matches if not _lowercase_latin(m.surface)]
        matches += self._references(text, toks, matches)
        matches.sort(key=lambda m: m.start)
        return matches

    # ---- exact and fuzzy lookup ----------------------------------------------
    def _exact(self, text: str, toks: list[tuple[int, int, str]]) -> list[_Candidate]:
        out: list[_Candidate] = []
        keys = [token_key(t) for _s, _e, t in toks]
        i, n = 0, len(toks)
        while i < n:
            best: _Candidate | None = None
            for form in clitic_forms(toks[i][2]):
                tails = self._index.get(form)
                if not tails:
                    continue
                for length, rests in tails:  # one look-up a length: only one name of a length fits the words
                    j = i + 1 + length
                    if j > n or (best is not None and j <= best.end_tok):
                        continue
                    entries = rests.get(tuple(keys[i + 1 : j]))
                    if entries is None or (length and not self._contiguous(text, toks, i, j)):
                        continue  # (a one-word name has no gap to read)
                    facts = self._facts_of(entries)  # worked out once a name, not once an occurrence
                    if not _hamza_inside(text[toks[i][0] : toks[j - 1][1]], toks[i][2], entries, facts.hamza):
                        best = _Candidate(i, j, entries, facts.how)
                        break
            if best is not None:
                out.append(best)
                i = best.end_tok
            else:
                i += 1
        return out

    @staticmethod
    def _contiguous(text: str, toks: list[tuple[int, int, str]], i: int, j: int) -> bool:
        """A name does not run across punctuation (a dropped article may stand between its words)."""
        for k in range(i, j - 1):
            a, b = toks[k][1], toks[k + 1][0]
            if b - a > 5 or _NAME_BREAK.search(text, a, b):
                return False
        return True

    def _add_fuzzy(self, toks: list[tuple[int, int, str]], cands: list[_Candidate]) -> list[_Candidate]:
        taken = set()
        for c in cands:
            taken.update(range(c.start_tok, c.end_tok))
        extra: list[_Candidate] = []
        for i, (_s, _e, tok) in enumerate(toks):
            if i in taken:
                continue
            arabic = is_arabic(tok)
            if arabic:
                if len(tok) < 4 or i == 0 or not self._has_cue_before(toks, i):
                    continue
            elif not tok[:1].isupper() or len(tok) < 5 or self._in_proper_name(toks, i):
                continue
            for span in (2, 1):
                if i + span > len(toks) or any(k in taken for k in range(i, i + span)):
                    continue
                key = tuple(_fuzzy_form(toks[k][2]) for k in range(i, i + span))
                if not all(key):
                    continue
                hit = self._fuzzy_lookup(key)
                if hit is not None:
                    joined, ratio = hit
                    extra.append(_Candidate(i, i + span, self._fuzzy_table[joined], MatchKind.FUZZY, ratio))
                    taken.update(range(i, i + span))
                    break
        return sorted(cands + extra, key=lambda c: c.start_tok)

    def _needs_cue(self, c: _Candidate, toks: list[tuple[int, int, str]]) -> bool:
        """Common-word names, and one-word Latin spellings of minor places that only the phonetic key
        matched ("Hassan" for al-Hashshan), stand as places only next to a cue or in a list. The answer
        depends on the name's entries and, for a one-word name, its word only: it is asked once each."""
        if c.end_tok - c.start_tok != 1:
            return self._facts_of(c.entries).all_ambiguous  # the other tests read a one-word name
        key = (toks[c.start_tok][2], id(c.entries))
        got = self._cue_needed.get(key)  # (a plain look-up first: asked once a name of the text)
        if got is not None and got[0] is c.entries:
            return got[1]
        return _remember(self._cue_needed, key, c.entries, lambda: self._needs_cue_uncached(c, toks))

    def _needs_cue_uncached(self, c: _Candidate, toks: list[tuple[int, int, str]]) -> bool:
        if all(e.ambiguous for e in c.entries):
            return True
        if c.end_tok - c.start_tok == 1 and _short_with_clitic(toks[c.start_tok][2], c.entries):
            return True
        if c.end_tok - c.start_tok == 1 and not self._common_words.isdisjoint(clitic_forms(toks[c.start_tok][2])):
            return True
        if c.end_tok - c.start_tok == 1 and not is_arabic(toks[c.start_tok][2]):
            surface = fold_latin(toks[c.start_tok][2]).removesuffix("'s").removesuffix("’s")
            spelled = any(surface in {fold_latin(w) for a in (e.alias, e.place.name) for w in a.replace("-", " ").split()}
                          for e in c.entries)
            return not spelled and all(e.place.importance < 0.5 for e in c.entries)
        return False

    @staticmethod
    def _in_proper_name(toks: list[tuple[int, int, str]], i: int) -> bool:
        """The token is part of a longer capitalized name (Ahmed Maiteeg): no fuzzy guess for it."""
        for k in (i - 1, i + 1):
            if 0 <= k < len(toks) and abs(toks[k][0] - toks[i][0]) < 40:
                gap = toks[i][0] - toks[k][1] if k < i else toks[k][0] - toks[i][1]
                if gap <= 1 and toks[k][2][:1].isupper() and not is_arabic(toks[k][2]):
                    return True
        return False

    @lru_cache(maxsize=100_000)  # noqa: B019 - the matcher lives as long as its index
    def _fuzzy_lookup(self, key: tuple[str, ...]) -> tuple[str, float] | None:
        joined = " ".join(key)
        if len(joined) < 5 or joined in self._fuzzy_table:
            return None
        choices = self._fuzzy.get((joined[0], len(key)), [])
        choices = [c for c in choices if abs(len(c) - len(joined)) <= 2]
        if not choices:
            return None
        cutoff = 90.0 if len(joined) >= 7 else 92.0
        hit = process.extractOne(joined, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return (hit[0], float(hit[1])) if hit else None

    # ---- context ---------------------------------------------------------------
    @staticmethod
    def _tok_keys(tok: str) -> frozenset[str]:
        return _tok_keys(tok)

    def _word(self, tok: str) -> int:
        """Which context lists a word is in (the _CUE_BEFORE… bits), worked out once a word."""
        bits = self._word_bits.get(tok)  # asked several times for each name of a text: a plain look-up
        if bits is None:
            if len(self._word_bits) >= _MEMO_SIZE:
                self._word_bits.clear()
            keys = _tok_keys(tok)
            bits = self._word_bits[tok] = sum(bit for bit, words in self._word_lists if not keys.isdisjoint(words))
        return bits

    def _has_cue_before(self, toks: list[tuple[int, int, str]], i: int) -> bool:
        k, steps = i - 1, 0
        while k >= 0 and steps < 3:
            if toks[k + 1][0] - toks[k][1] > 5:  # room for a dropped article ("town of al-Hadba")
                return False
            bits = self._word(toks[k][2])
            if bits & _CUE_BEFORE:
                return True
            if not bits & _CUE_SKIP:
                return False
            k, steps = k - 1, steps + 1
        return False

    def _listed_pair(self, text: str, toks: list[tuple[int, int, str]], left: _Candidate, right: _Candidate) -> bool:
        """The two names stand next to each other in a list (joined by و، and, commas)."""
        if left.end_tok > right.start_tok:
            return False
        gap = text[toks[left.end_tok - 1][1] : toks[right.start_tok][0]]
        if len(gap) > 12:
            return False
        words = [w for w in re.split(r"[\s,،\"“”'«»()]+", gap) if w]
        if any(w.lower() not in self._separators for w in words):
            return False
        first = toks[right.start_tok][2]
        return bool(words) or "," in gap or "،" in gap or (is_arabic(first) and normalize_text(first).startswith("و"))

    def _accept_lists(self, text: str, toks: list[tuple[int, int, str]], kept: list[_Candidate],
                      accepted: list[bool]) -> None:
        """Accept, in place, every name listed next to an accepted one, along whole lists.

        One pass forward and one backward over the names in text order: a list is a run of
        neighbours, so acceptance spreads along it in one direction or the other.
        """
        order = sorted(range(len(kept)), key=lambda k: (kept[k].start_tok, kept[k].end_tok))
        reach = _LIST_NEIGHBOURS
        for seq in (order, order[::-1]):
            for pos, k in enumerate(seq):
                if accepted[k]:
                    continue
                for other in seq[max(0, pos - reach) : pos]:
                    a, b = (kept[other], kept[k]) if seq is order else (kept[k], kept[other])
                    if accepted[other] and self._listed_pair(text, toks, a, b):
                        accepted[k] = True
                        break

    def _decide(self, text: str, toks: list[tuple[int, int, str]], cands: list[_Candidate]) -> list[Match]:
        kept: list[tuple[_Candidate, bool]] = []
        abroad: set[str] = set()  # places named once as a namesake abroad ("Tripoli, Lebanon"): so in all the text
        word, n = self._word, len(toks)
        for c in cands:
            i, j = c.start_tok, c.end_tok
            before = word(toks[i - 1][2]) if i > 0 else 0  # the words next to it, each looked up once here
            if before & _INSTITUTION:
                continue
            after = word(toks[j][2]) if j < n else 0
            if ((before | after) & _FOREIGN or (i > 1 and word(toks[i - 2][2]) & _FOREIGN)
                    or (j + 1 < n and word(toks[j + 1][2]) & _FOREIGN)):  # one of the 2 words either side
                abroad.update(e.place.id for e in c.entries)
                continue
            if _norm_token(text[toks[i][0] : toks[j - 1][1]]) in self._generic_words:  # normalized once a name
                continue  # "المدينة", "the airport": a reference, resolved later
            if i == 0 or toks[i][0] - toks[i - 1][1] > 5 or not before & (_CUE_BEFORE | _CUE_SKIP):
                cue = False  # (the first step of _has_cue_before, on the word already looked up)
            else:
                cue = bool(before & _CUE_BEFORE) or self._has_cue_before(toks, i)
            cue = cue or bool(after & _CUE_AFTER)
            kept.append((c, cue))
        if abroad:
            kept = [(c, cue) for c, cue in kept if not self._facts_of(c.entries).ids <= abroad]
        names = [c for c, _cue in kept]
        ok = [cue or not self._needs_cue(c, toks) for c, cue in kept]
        self._accept_lists(text, toks, names, ok)
        accepted = [c for c, good in zip(names, ok, strict=True) if good]
        facts = [self._facts_of(c.entries) for c in accepted]
        anchors = _Anchors(lambda: {c.entries[0].place.id: c.entries[0].place for c, f in zip(accepted, facts, strict=True)
                                    if len(f.ids) == 1}.values())
        cue_of = {id(c): cue for c, cue in kept}
        out = []
        for c, f in sorted(zip(accepted, facts, strict=True), key=lambda cf: cf[0].start_tok):
            # a cue keeps the common-word readings; without one, the others win if there are any
            entries, single = (c.entries, len(f.ids) == 1) if cue_of[id(c)] else (f.clear, f.clear_single)
            place = entries[0].place if single else max(entries, key=lambda e: self._rank(e, anchors)).place
            s, e = toks[c.start_tok][0], toks[c.end_tok - 1][1]
            if c.how is _FUZZY:
                score = round(0.85 * c.ratio / 100 - (0.1 if f.all_ambiguous else 0.0), 3)
            else:
                score = _SCORE[c.how, f.all_ambiguous]
            out.append(Match(s, e, text[s:e], place, score, c.how, cue_of[id(c)]))
        return out

    def _facts_of(self, entries: tuple[_Entry, ...]) -> _Facts:
        """What _decide asks of a name's entries, worked out once a tuple (the index keeps them)."""
        got = self._facts.get(id(entries))  # (a plain look-up first: asked once a name of the text)
        if got is not None and got[0] is entries:
            return got[1]
        return _remember(self._facts, id(entries), entries, lambda: _Facts.of(entries))

    @staticmethod
    def _rank(entry: _Entry, anchors: _Anchors) -> float:
        p = entry.place
        score = p.importance + (0.05 if entry.primary else 0.0) - (0.2 if p.kind == "region" else 0.0)
        if anchors.near(p, NEAR_KM):
            score += 0.3
        return score

    def _last_pair(self, text: str, toks: list[tuple[int, int, str]], before: list[Match], kinds: tuple[str, ...]
                   ) -> list[Place]:
        """The last two places of the kinds named as a pair ("Sabratha and Surman", «صبراتة وصرمان»), not
        inside a longer list and not as reference points."""
        def joined(a: Match, b: Match) -> bool:
            gap = _LATIN_ARTICLE_GAP.sub("", text[a.end : b.start].lower()).strip()
            return gap in ("", ",", "،", "and", ", and", "و") or (gap == "" and b.surface.startswith("و"))

        for k in range(len(before) - 1, 0, -1):
            a, b = before[k - 1], before[k]
            if not (a.place.kind in kinds and b.place.kind in kinds and a.place.id != b.place.id and joined(a, b)):
                continue
            if (k >= 2 and joined(before[k - 2], a)) or (k + 1 < len(before) and joined(b, before[k + 1])):
                continue  # part of a longer list
            if self._is_reference_point(toks, a) or self._is_reference_point(toks, b):
                continue
            return [a.place, b.place]
        return []

    def _is_reference_point(self, toks: list[tuple[int, int, str]], m: Match) -> bool:
        """The place is named only to locate another ("south of Tripoli", "جنوب العاصمة طرابلس")."""
        i = bisect.bisect_left(toks, (m.start,))
        if i >= len(toks) or toks[i][0] != m.start:
            return False
        prev = [t for _s, _e, t in toks[max(0, i - 3) : i]]
        for word in reversed(prev):
            keys = self._tok_keys(word)
            if keys & self._reference_point:
                return True
            if not keys & {"عاصمه", "capital", "the", "ليبيه", "libyan", "of"}:
                return False
        return False

    def _references(self, text: str, toks: list[tuple[int, int, str]], found: list[Match]) -> list[Match]:
        """Short references ("المطار", "the airport") resolved to the place of that kind the article names."""
        out: list[Match] = []
        if not found:
            return out
        covered = bytearray(len(text) + 1)
        for m in found:
            covered[m.start : m.end] = b"\x01" * (m.end - m.start)
        for i, (s, _e, tok) in enumerate(toks):
            for definite, words, kinds in self._generic_by_first.get(_generic_key(tok), ()):
                if i + len(words) > len(toks):
                    continue
                e = toks[i + len(words) - 1][1]
                tail = " ".join(_norm_token(t) for _a, _b, t in toks[i + 1 : i + len(words)])
                first = _norm_token(tok)
                if is_arabic(tok):
                    shift = _definite_offset(first, words[0])
                else:
                    shift = 0 if first == words[0] and (not definite or _after_the(text, s)) else -1
                if shift < 0 or tail != " ".join(words[1:]) or any(covered[s:e]):
                    continue
                if text[e : e + 4].lower() == " of " or text[e : e + 2] == "'s":
                    continue  # "the town of Gharyan", "the airport's runway": not a reference
                if i > 0 and self._tok_keys(toks[i - 1][2]) & self._not_a_reference:
                    continue  # "تنظيم القاعدة" is al-Qaeda
                named = [m for m in found if m.place.kind in kinds]
                if normalize_text(text[s + max(shift, 0) : e]) in self._minor_refs:
                    named = [m for m in named if m.place.importance < self._minor_max]
                if not named:
                    continue
                before = [m for m in named if m.start < s and not self._is_reference_point(toks, m)] or [
                    m for m in named if m.start < s]
                if " ".join(words) in self._dual:  # "the two cities": the last pair named together before
                    pair = self._last_pair(text, toks, [m for m in found if m.start < s], kinds)
                    out += [Match(s + shift, e, text[s + shift : e], p, 0.8, MatchKind.REFERENCE) for p in pair]
                    continue
                ref = (before[-1] if before else named[0]).place
                out.append(Match(s + shift, e, text[s + shift : e], ref, 0.8, MatchKind.REFERENCE))
        return out


#: An Arabic name this short, found only once a clitic is cut off, stands as a place only next to a cue
#: ("ودرج" is "and a drawer" far more often than "and Derj"), unless the place is a major one.
SHORT_NAME_LETTERS = 3
SHORT_NAME_MAJOR = 0.85


def _hamza_inside(span: str, first: str, entries: Iterable[_Entry], alias_hamza: bool) -> bool:
    """A text word holds a hamza the name lacks: the name only matched once it was dropped, inside
    another word ("جاءت", it came, is not Ghat «جات»; "وأدان", and he condemned, is not Waddan «وادان»:
    a و before a hamza is the conjunction, not the first letter of a name). `span`: the text from the
    name's first word to its last (a hamza is a letter: one between them is in one of its words);
    `first`: its first word; `alias_hamza`: one of the entries' names holds a hamza."""
    if not alias_hamza and "ء" in span:
        return True
    return (first[:1] in ("و", "ف") and first[1:2] in ("أ", "إ", "آ")
            and all(normalize_text(e.alias).startswith(first[0] + "ا") for e in entries))


def _short_with_clitic(token: str, entries: Iterable[_Entry]) -> bool:
    """A short Arabic name found with a clitic cut off, of no major place."""
    if not is_arabic(token):
        return False
    key = token_key(token)
    forms = clitic_forms(token)
    short = [f for f in forms if len(f) <= SHORT_NAME_LETTERS]
    return bool(short) and short[0] != key and all(e.place.importance < SHORT_NAME_MAJOR for e in entries)


_LATIN_ARTICLE_GAP = re.compile(r"(?<![a-z])(?:al|el|ad|as|az|ash|an|ar|at)[-\s]\s*$")


@lru_cache(maxsize=200_000)
def _tok_keys(tok: str) -> frozenset[str]:
    """The forms a context word is compared under (clitics stripped, Latin folded)."""
    return frozenset(clitic_forms(tok) if is_arabic(tok) else (fold_latin(tok),))


def _after_the(text: str, start: int) -> bool:
    """True when the word at start follows "the" (short references are definite)."""
    return text[max(0, start - 4) : start].lower() == "the "


@lru_cache(maxsize=100_000)
def _is_latin_article(token: str) -> bool:
    """True for al-, el-, the… tokens, which names and text alike drop."""
    return not is_arabic(token) and fold_latin(token) in LATIN_ARTICLES


@lru_cache(maxsize=100_000)
def _norm_token(token: str) -> str:
    return normalize_text(token)


@lru_cache(maxsize=100_000)
def _generic_key(token: str) -> str:
    """The index key of a token for short references: Arabic without clitics and article, Latin folded."""
    if is_arabic(token):
        forms = clitic_forms(token)
        return forms[-1] if forms else ""
    return _norm_token(token)


def _fuzzy_form(token: str) -> str:
    """The form of a token compared by the fuzzy lookup ("" when nothing of it is left)."""
    if is_arabic(token):
        forms = clitic_forms(token)
        return forms[-1] if forms else ""
    return token_key(token)


def _definite_offset(token: str, word: str) -> int:
    """Where a definite Arabic word starts inside a token with clitics (والمطار, للمطار), or -1."""
    for p1 in ("", "و", "ف"):
        for p2 in ("", "ب", "ك"):
            if token == p1 + p2 + word:
                return len(p1 + p2)
        if word.startswith("ال") and token == p1 + "لل" + word[2:]:
            return len(p1)
    return -1


@lru_cache(maxsize=2)
def default_matcher() -> Matcher:
    """A matcher over the committed gazetteer, built once per process."""
    return Matcher()

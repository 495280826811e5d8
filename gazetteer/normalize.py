"""Normalization of Arabic and Latin place names and text tokens.

Arabic: alef and hamza forms, taa marbuta, alef maqsura, diacritics, tatweel,
Persian/Urdu letter forms, invisible marks. Latin: case, diacritics, articles and
common transliteration pairs (Ain/Ayn/Ein, Zara/Zarah, q/g/gh).
"""
from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

# Arabic combining marks (harakat, Quranic marks, superscript alef) and tatweel.
_AR_MARKS = "".join(
    chr(c)
    for c in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640]
)
# Invisible format marks (zero-width spaces and joiners, direction marks and overrides, soft hyphen, BOM).
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e\ufeff\u00ad"
    "\u2060\u180e"
)

_AR_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ؤ": "و", "ئ": "ي", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي",
        "ة": "ه", "ۀ": "ه", "ہ": "ه", "ە": "ه", "ھ": "ه",
        "ک": "ك", "ڪ": "ك", "گ": "ق", "ڨ": "ق", "ڤ": "ف", "پ": "ب", "چ": "ج", "ژ": "ز",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
        "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
        **{ch: None for ch in _AR_MARKS + _INVISIBLE + "ء"},
    }
)

_LETTERS = r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640])+"
#: A word: letters, with invisible marks allowed between them ("عين ز\u200dارة" is one word to normalize).
_WORD = rf"{_LETTERS}(?:[{_INVISIBLE}]+{_LETTERS})*"
TOKEN_RE = re.compile(rf"{_WORD}(?:['’ʼʿ`]{_WORD})*")
_ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")

#: Latin article tokens dropped from names and text alike ("al-Watiya" = "Watiya").
LATIN_ARTICLES = frozenset({"al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "the", "ul"})
_AIN = frozenset({"ain", "ayn", "ein", "ayin", "aen", "ayun", "aïn", "ʿayn"})


def is_arabic(text: str) -> bool:
    """True when the text holds Arabic-script letters."""
    if len(text) <= 40:
        return _short_is_arabic(text)
    return bool(_ARABIC_RE.search(text))


@lru_cache(maxsize=200_000)
def _short_is_arabic(text: str) -> bool:
    return bool(_ARABIC_RE.search(text))


def normalize_arabic(text: str) -> str:
    """Unify Arabic letter variants and drop diacritics, tatweel and invisible marks."""
    return text.translate(_AR_MAP)


_APOSTROPHES = re.compile(r"['’ʼʿʾ`‘]")
_SPACES = re.compile(r"\s+")


def fold_latin(text: str) -> str:
    """Lowercase ASCII-folded Latin text: diacritics and apostrophe-like marks removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(itertools.filterfalse(unicodedata.combining, decomposed))
    stripped = _APOSTROPHES.sub("", stripped)
    return stripped.lower()


def normalize_text(text: str) -> str:
    """Normalize any text (Arabic and Latin) for comparison; idempotent."""
    text = normalize_arabic(text)
    text = fold_latin(text)
    text = text.replace("-", " ")
    return _SPACES.sub(" ", text).strip()


def strip_article(token: str) -> str:
    """Drop a leading Arabic definite article when enough of the word remains."""
    if token.startswith("ال") and len(token) > 3:
        return token[2:]
    return token


@lru_cache(maxsize=200_000)
def latin_key(token: str) -> str:
    """A phonetic key for a Latin token that merges common transliteration variants."""
    t = fold_latin(token)
    t = re.sub(r"[^a-z0-9]", "", t)
    if t.endswith("s") and token.endswith(("'s", "’s")):
        t = t[:-1]
    if t in _AIN:
        return "ain"
    t = t.replace("gh", "g").replace("q", "g").replace("kh", "k").replace("dh", "d").replace("th", "t")
    t = t.replace("sh", "s").replace("ch", "s").replace("dj", "j")
    t = t.replace("ou", "u").replace("oo", "u").replace("ee", "i").replace("w", "u")
    t = t.replace("y", "i").replace("e", "i").replace("o", "u")
    t = re.sub(r"(.)\1+", r"\1", t)  # collapse doubled letters
    if len(t) > 3 and t.endswith("ah"):
        t = t[:-2] + "a"
    elif len(t) > 3 and t.endswith("h") and t[-2] in "aiu":
        t = t[:-1]
    return t


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """The canonical lookup form of a name token (no clitic stripping)."""
    if is_arabic(token):
        return strip_article(normalize_arabic(token))
    return latin_key(token)


_PROCLITICS_1 = ("", "و", "ف")
_PROCLITICS_2 = ("", "ب", "ل", "ك")


@lru_cache(maxsize=200_000)
def clitic_forms(token: str) -> tuple[str, ...]:
    """Lookup forms of a text token: itself, then with Arabic proclitics (و ف ب ل ك ال) removed."""
    if not is_arabic(token):
        key = latin_key(token)
        return (key,) if key else ()
    norm = normalize_arabic(token)
    forms: list[str] = []
    for p1 in _PROCLITICS_1:
        if not norm.startswith(p1):
            continue
        rest1 = norm[len(p1):]
        for p2 in _PROCLITICS_2:
            if not rest1.startswith(p2):
                continue
            rest2 = rest1[len(p2):]
            candidates = [rest2]
            if p2 == "ل" and rest2.startswith("ل"):  # لل = ل + ال
                candidates.append(rest2[1:])
            for cand in candidates:
                key = strip_article(cand)
                if len(key) >= 2 and key not in forms:
                    forms.append(key)
    return tuple(forms)


class Token(NamedTuple):
    """A word of a text with its character offsets (in whichever text it was read from)."""

    start: int
    end: int
    text: str


def tokenize(text: str) -> Iterator[Token]:
    """Word tokens of a text with their character offsets."""
    return (Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text))


def name_key(name: str) -> tuple[str, ...]:
    """The token-key tuple a name is indexed under (Latin articles dropped)."""
    keys = []
    for _s, _e, tok in tokenize(name.replace("-", " ")):
        if not is_arabic(tok) and fold_latin(tok) in LATIN_ARTICLES:
            continue
        key = token_key(tok)
        if key:
            keys.append(key)
    return tuple(keys)


_ALIGNED_MAP = str.maketrans(
    {
        **{k: v for k, v in _AR_MAP.items() if v is not None and len(v) == 1 and k != ord("ء")},
        ord("-"): " ", ord("‐"): " ", ord("–"): " ", ord("—"): " ", ord("’"): "'", ord("‘"): "'",
    }
)
_DELETABLE = re.compile(f"[{re.escape(_AR_MARKS + _INVISIBLE)}]")


def deleted_offsets(text: str) -> list[int]:
    """Offsets of the characters normalize_aligned removes (diacritics, tatweel, invisible marks)."""
    return [m.start() for m in _DELETABLE.finditer(text)]


def normalize_aligned(text: str) -> tuple[str, list[int] | None]:
    """Text normalized for pattern matching, and the map from its offsets back to the original.

    Letters are unified one to one (Arabic forms, lowercase Latin, hyphens as spaces);
    diacritics, tatweel and invisible marks are removed, in which case the map gives each
    normalized character's original offset (None when offsets are unchanged).
    """
    mapped = text.translate(_ALIGNED_MAP)
    lowered = mapped.lower()
    if len(lowered) != len(mapped):  # a few non-ASCII capitals lowercase to two characters
        lowered = "".join(ch.lower()[0] for ch in mapped)
    deleted = [m.start() for m in _DELETABLE.finditer(lowered)]
    if not deleted:
        return lowered, None
    keep: list[int] = []
    prev = 0
    for d in deleted:
        keep.extend(range(prev, d))
        prev = d + 1
    keep.extend(range(prev, len(lowered)))
    return _DELETABLE.sub("", lowered), keep


def normalize_pattern(pattern: str) -> str:
    """A regex written in plain Arabic spelling, with letters unified like normalize_aligned."""
    return pattern.translate({k: v for k, v in _ALIGNED_MAP.items() if k >= 0x0600})


def token_spans(norm: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of a normalized text's tokens (TOKEN_RE)."""
    spans = [m.span() for m in TOKEN_RE.finditer(norm)]
    return [a for a, _b in spans], [b for _a, b in spans]


class NormalizedText:
    """A text with its normalized form (normalize_aligned), the map between their offsets, and the
    normalized form's tokens: the one position system the claim extractor works in. The place matcher
    reads the original text; `n` brings its offsets here."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm, self.to_orig = normalize_aligned(text)
        self._deleted = deleted_offsets(text) if self.to_orig is not None else []
        self._starts, self._ends = token_spans(self.norm)
        self._tokens: list[Token] | None = None

    @property
    def tokens(self) -> list[Token]:
        """The tokens of the normalized text (built on first use)."""
        if self._tokens is None:
            self._tokens = list(tokenize(self.norm))
        return self._tokens

    @property
    def token_spans(self) -> tuple[list[int], list[int]]:
        """The starts and the ends of the normalized text's tokens."""
        return self._starts, self._ends

    def n(self, i: int) -> int:
        """Normalized offset of an original offset."""
        return i - bisect.bisect_left(self._deleted, i) if self._deleted else i

    def tokens_between(self, a: int, b: int) -> int:
        """How many tokens start in norm[a:b]."""
        return bisect.bisect_left(self._starts, b) - bisect.bisect_left(self._starts, a)

    def prev_tokens(self, pos: int, k: int, floor: int = 0) -> list[str]:
        """The texts of the k tokens before a normalized offset (none before floor)."""
        starts, ends, norm = self._starts, self._ends, self.norm
        i = bisect.bisect_left(starts, pos)
        lo = i - k if i > k else 0
        if lo < i and starts[lo] < floor:  # (asked once a claim trigger: kept to plain look-ups)
            lo = bisect.bisect_left(starts, floor, lo, i)
        return [norm[starts[j] : ends[j]] for j in range(lo, i)]

"""Sentence and clause splitting for Arabic and English news text, with offsets."""
from __future__ import annotations

import itertools
import re

from pipeline.models import Sentence

# A sentence ends at . ! ? ؟ (with closing quotes) before white space, or at a line break. The regex starts
# with the character class of both, so it is searched for at C speed; the look-behinds then test what stands
# before the first mark (one character further back, past the mark itself).
_END = re.compile(r"""[.!?؟…\n\r\u2028\u2029\x85](?:(?<=[\n\r\u2028\u2029\x85])[\n\r\u2028\u2029\x85]*"""
                  r"""|(?<!\b[A-Z].)(?<!\b[A-Z][a-z].)(?<!\bU\.S.)(?<!\bSt.)(?<!\bMr.)(?<!\bDr.)[.!?؟…]*["”»')\]]*(?=\s|$))""")
#: Abbreviations after which a full stop ends no sentence ("Lt. Gen. Khalifa Haftar", "at 3 a.m. on Friday").
_ABBREVIATIONS = frozenset({"Gen", "Col", "Maj", "Brig", "Capt", "Sgt", "Gov", "Sen", "Rep", "Prof", "Mrs", "Lieut",
                            "Cmdr", "Adm", "Dept", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec", "No", "a.m", "p.m",
                            "A.M", "P.M"})
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
# A clause ends at a comma or semicolon, or before a contrastive conjunction.
_CLAUSE = re.compile(
    r"[،,;؛:]|(?=(?<!\w)(?:فيما|بينما|في حين|وفي حين|في المقابل|لكن|ولكن|غير أن|whereas|while|but)(?!\w))"
)


#: A longer "sentence" (a list of places, text without full stops) is cut into windows of at most this
#: many characters at clause ends, else at spaces: it bounds the work per sentence and the evidence.
MAX_SENTENCE_CHARS = 600
_SPACE = re.compile(r"\s+")


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a text with their character offsets (white space trimmed; over-long ones windowed)."""
    out: list[Sentence] = []
    pos = 0
    for m in _END.finditer(text):
        if text[m.start()] == "." and _abbreviation_before(text, m.start()):
            continue
        _add(text, pos, m.end(), out)
        pos = m.end()
    _add(text, pos, len(text), out)
    return out


def _abbreviation_before(text: str, dot: int) -> bool:
    """The full stop at `dot` closes an abbreviation ("Gen.", "a.m.")."""
    m = _WORD_BEFORE.search(text, max(0, dot - 6), dot)
    return m is not None and m.group(1).lstrip(".") in _ABBREVIATIONS


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    s, e = start + lead, end - trail
    while e - s > MAX_SENTENCE_CHARS:
        cut = _window_end(text, s, s + MAX_SENTENCE_CHARS)
        piece = text[s:cut].rstrip()
        out.append(Sentence(s, s + len(piece), piece))
        s = cut + len(text[cut:e]) - len(text[cut:e].lstrip())
    if e > s:
        out.append(Sentence(s, e, text[s:e]))


def _window_end(text: str, start: int, limit: int) -> int:
    """Where a window of text[start:limit] ends: after its last clause end, else its last space, else at limit."""
    floor = start + (limit - start) // 3
    ends = [m.end() for m in _CLAUSE.finditer(text, floor, limit) if m.group()]
    if ends:
        return ends[-1]
    spaces = [m.start() for m in _SPACE.finditer(text, floor, limit)]
    return spaces[-1] if spaces else limit


def clause_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause ranges inside text[start:end], split at commas and contrastive conjunctions."""
    cuts = [start]
    for m in _CLAUSE.finditer(text, start, end):
        if m.start() > cuts[-1]:
            cuts.append(m.start() if m.group() == "" else m.end())
    cuts.append(end)
    bounds = [(a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip(" ،,;؛:\n\t\"“”«»")]
    return bounds or [(start, end)]

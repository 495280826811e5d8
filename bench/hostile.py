"""Pathological articles for the abuse tests and benchmarks: long texts built to make extraction slow.

Each generator returns about `chars` characters of text built from real gazetteer names:
- `place_list`: one sentence listing places ("clashes in A, B, C and D, …") with no full stop;
- `clause_chain`: one "sentence" of claim clauses joined by commas ("GNA forces took A, the LNA repelled an
  attack on B, …");
- `unpunctuated`: ordinary claim sentences with every full stop removed (Arabic or English);
- `sentences`: ordinary punctuated claim sentences (Arabic or English), the control case.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator

from gazetteer.records import default_places

KINDS = ("place_list", "clause_chain", "unpunctuated_ar", "unpunctuated_en", "sentences_ar", "sentences_en")

_AR_CLAUSES = ("سيطرت قوات الوفاق على {p}", "صدت قوات حفتر هجوما على {p}", "اشتباكات عنيفة في {p}",
               "قصف مدفعي استهدف {p}", "انسحبت قوات حفتر من {p}", "تقدمت قوات الوفاق نحو {p}")
_EN_CLAUSES = ("GNA forces took {p}", "the LNA repelled an attack on {p}", "heavy clashes broke out in {p}",
               "shelling hit {p}", "Haftar's forces withdrew from {p}", "government forces advanced toward {p}")


def _names(arabic: bool, seed: int) -> Iterator[str]:
    places = [p for p in default_places() if (p.name_ar if arabic else p.name)]
    rng = random.Random(seed)
    rng.shuffle(places)
    return itertools.cycle([p.name_ar if arabic else p.name for p in places])


def _fill(chars: int, parts: Iterator[str], sep: str, end: str = "") -> str:
    out: list[str] = []
    size = 0
    for part in parts:
        if size >= chars:
            break
        out.append(part)
        size += len(part) + len(sep)
    return sep.join(out) + end


def place_list(chars: int, seed: int = 0) -> str:
    """One Arabic sentence listing places, no full stop."""
    names = _names(True, seed)
    return "اشتباكات في " + _fill(chars, names, "، ")


def clause_chain(chars: int, seed: int = 0) -> str:
    """One Arabic 'sentence' of claim clauses joined by commas."""
    names = _names(True, seed)
    clauses = (c.format(p=next(names)) for c in itertools.cycle(_AR_CLAUSES))
    return _fill(chars, clauses, "، ")


def _sentences(chars: int, arabic: bool, stop: str, seed: int) -> str:
    names = _names(arabic, seed)
    templates = _AR_CLAUSES if arabic else _EN_CLAUSES
    clauses = (c.format(p=next(names)) for c in itertools.cycle(templates))
    return _fill(chars, clauses, stop + " ", stop)


GENERATORS: dict[str, Callable[[int, int], str]] = {
    "place_list": place_list,
    "clause_chain": clause_chain,
    "unpunctuated_ar": lambda chars, seed=0: _sentences(chars, True, "", seed),
    "unpunctuated_en": lambda chars, seed=0: _sentences(chars, False, "", seed),
    "sentences_ar": lambda chars, seed=0: _sentences(chars, True, ".", seed),
    "sentences_en": lambda chars, seed=0: _sentences(chars, False, ".", seed),
}


def make_text(kind: str, chars: int, seed: int = 0) -> str:
    """About `chars` characters of the named pathological kind."""
    return GENERATORS[kind](chars, seed)

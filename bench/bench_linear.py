"""Cost per word of extraction on texts built to be superlinear, against ordinary articles.

    python -m bench.bench_linear

Measures pipeline.claims.extract (no bounds applied) per whitespace word, best of three runs, on:
ordinary synthetic articles (bench.corpus, ~500 words), a 10,000-word article without sentence
punctuation (English and Arabic), and one sentence naming 100, 200, 400 and 800 places. The target
(issue "A five-year archive"): the pathological cases within 1.5x of the ordinary cost per word.
"""
from __future__ import annotations

import datetime as dt
import time

from bench.corpus import make_corpus
from bench.hostile import make_text
from gazetteer.matcher import default_matcher
from gazetteer.records import default_places
from pipeline.claims import extract
from pipeline.models import Article


def per_word(texts: list[str], repeat: int = 3) -> float:
    """Best-of-`repeat` seconds per word to extract the texts."""
    matcher = default_matcher()
    arts = [Article(id=f"b{i}", title="t", text=t, published=dt.date(2020, 6, 3)) for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a in arts:
            extract(a, matcher)
        best = min(best, time.perf_counter() - t0)
    return best / words


def place_sentence(n: int) -> str:
    """One Arabic sentence of clashes naming n places."""
    names = [p.name_ar for p in default_places() if p.name_ar][:n]
    return "اشتباكات عنيفة في " + "، ".join(names) + "."


def main() -> None:
    default_matcher()
    base = per_word([a.text for a in make_corpus(120, words=500, seed=7)])
    print(f"{'text':<40} {'µs/word':>8} {'x ordinary':>10}")
    print(f"{'ordinary articles (~500 words)':<40} {base * 1e6:>8.1f} {1.0:>10.2f}")
    cases = {
        "10k words, no full stops (English)": make_text("unpunctuated_en", 62_000),
        "10k words, no full stops (Arabic)": make_text("unpunctuated_ar", 55_000),
        **{f"one sentence naming {n} places": place_sentence(n) for n in (100, 200, 400, 800)},
    }
    for label, text in cases.items():
        cost = per_word([text])
        print(f"{label + f' ({len(text.split()):,} words)':<40} {cost * 1e6:>8.1f} {cost / base:>10.2f}")


if __name__ == "__main__":
    main()

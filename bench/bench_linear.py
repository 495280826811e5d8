"""Cost per word of extraction on texts built to be superlinear, against ordinary articles.

    python -m bench.bench_linear

Measures pipeline.claims.extract (no bounds applied) per whitespace word, in CPU time (process_time:
the machine is shared), best of --repeat runs, on: ordinary synthetic articles (bench.corpus, ~500
words); ordinary articles of one language run together into one 10,000-word article with no sentence
punctuation (English and Arabic: a normal article that lost its full stops); a 10,000-word article of
claim clauses without sentence punctuation (a claim every six words, several times an ordinary article's
density) and, as its control, the same clauses with full stops; and one sentence naming 100, 200, 400 and 800 places (with --interleave, the
same 100 and 800 places four a sentence as their control). Each case is
measured right after the ordinary articles again, so the ratio compares runs made under the same load.
`--sizes` also prints the unpunctuated cost per word at 1k, 2.5k and 10k words (flat = linear).
`--interleave SECONDS` instead times every case in turn, round after round, for that long, and prints the
least cost per word of each and its ratio: on a shared machine the steadiest figure (each case meets the
same swings of load).
The target (issue "A five-year archive"): the pathological cases within 1.5x of the ordinary cost
per word.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import time

from bench.corpus import make_corpus
from bench.hostile import make_text
from gazetteer.matcher import default_matcher
from gazetteer.normalize import is_arabic
from gazetteer.records import default_places
from pipeline.claims import extract
from pipeline.models import Article


def per_word(texts: list[str], repeat: int = 3) -> float:
    """Best-of-`repeat` CPU seconds per word to extract the texts."""
    matcher = default_matcher()
    arts = [Article(id=f"b{i}", title="t", text=t, published=dt.date(2020, 6, 3)) for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for a in arts:
            extract(a, matcher)
        best = min(best, time.process_time() - t0)
    return best / words


def interleaved(cases: dict[str, list[str]], seconds: float) -> tuple[dict[str, float], int]:
    """Least CPU seconds per word of each case's texts, timing the cases in turn round after round for
    `seconds` (at least one round); and the number of rounds."""
    matcher = default_matcher()
    arts = {k: [Article(id=f"b{i}", title="t", text=t, published=dt.date(2020, 6, 3)) for i, t in enumerate(texts)]
            for k, texts in cases.items()}
    words = {k: sum(len(t.split()) for t in texts) for k, texts in cases.items()}
    for batch in arts.values():  # warm
        for a in batch:
            extract(a, matcher)
    best = dict.fromkeys(cases, float("inf"))
    rounds, end = 0, time.monotonic() + seconds
    while rounds == 0 or time.monotonic() < end:
        for k, batch in arts.items():
            t0 = time.process_time()
            for a in batch:
                extract(a, matcher)
            best[k] = min(best[k], (time.process_time() - t0) / words[k])
        rounds += 1
    return best, rounds


#: What ends a sentence for pipeline.sentences (its _END), without the line breaks: removed to make one
#: sentence of many.
_SENTENCE_END = re.compile(r"[.!?؟…]")


def articles_without_stops(arabic: bool, words: int = 10_000, seed: int = 7) -> str:
    """Ordinary synthetic articles of one language run together into one text of about `words` words,
    with every sentence end removed: an ordinary article that lost its punctuation."""
    out: list[str] = []
    count = 0
    for a in make_corpus(4 * words // 500 + 10, words=500, seed=seed):
        if count >= words:
            break
        if is_arabic(a.text) == arabic:
            out.append(_SENTENCE_END.sub("", a.text).replace("\n", " "))
            count += len(out[-1].split())
    return " ".join(out)


def place_sentence(n: int) -> str:
    """One Arabic sentence of clashes naming n places."""
    return place_sentences(n, n)


def place_sentences(n: int, per: int) -> str:
    """The same n places as place_sentence, in sentences of clashes naming `per` places each (the control:
    the same names written as an ordinary article would)."""
    names = [p.name_ar for p in default_places() if p.name_ar][:n]
    return " ".join("اشتباكات عنيفة في " + "، ".join(names[i:i + per]) + "." for i in range(0, n, per))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", action="store_true", help="also the unpunctuated cost per word by size")
    ap.add_argument("--interleave", type=float, default=0, metavar="SECONDS",
                    help="time the cases in turn for this long; least cost per word of each")
    args = ap.parse_args(argv)
    default_matcher()
    ordinary = [a.text for a in make_corpus(120, words=500, seed=7)]
    if args.interleave:
        best, rounds = interleaved({
            "ordinary articles (~500 words, 20 of them)": ordinary[:20],
            "ordinary articles, 10k words, no stops (English)": [articles_without_stops(False)],
            "ordinary articles, 10k words, no stops (Arabic)": [articles_without_stops(True)],
            "claim clauses, 10k words, no stops (English)": [make_text("unpunctuated_en", 62_000)],
            "  control: same clauses with full stops": [make_text("sentences_en", 62_000)],
            "claim clauses, 10k words, no stops (Arabic)": [make_text("unpunctuated_ar", 55_000)],
            "  control: same clauses with full stops ": [make_text("sentences_ar", 55_000)],
            "one sentence naming 100 places (8 times)": [place_sentence(100)] * 8,
            "  control: the same places 4 a sentence": [place_sentences(100, 4)] * 8,
            "one sentence naming 800 places": [place_sentence(800)],
            "  control: the same places 4 a sentence ": [place_sentences(800, 4)],
        }, args.interleave)
        base = next(iter(best.values()))
        print(f"{'text':<52} {'µs/word':>8} {'x ordinary':>10}   (least of {rounds} rounds)")
        for label, cost in best.items():
            print(f"{label:<52} {cost * 1e6:>8.1f} {cost / base:>10.2f}")
        return

    base = per_word(ordinary, args.repeat)
    print(f"{'text':<52} {'µs/word':>8} {'x ordinary':>10}")
    print(f"{'ordinary articles (~500 words)':<52} {base * 1e6:>8.1f} {1.0:>10.2f}")
    cases = {
        "ordinary articles run together, no stops (English)": articles_without_stops(False),
        "ordinary articles run together, no stops (Arabic)": articles_without_stops(True),
        "claim clauses, 10k words, no stops (English)": make_text("unpunctuated_en", 62_000),
        "  control: same clauses with full stops": make_text("sentences_en", 62_000),
        "claim clauses, 10k words, no stops (Arabic)": make_text("unpunctuated_ar", 55_000),
        "  control: same clauses with full stops ": make_text("sentences_ar", 55_000),
        **{f"one sentence naming {n} places": place_sentence(n) for n in (100, 200, 400, 800)},
    }
    if args.sizes:
        for chars in (5_500, 14_000):
            cases[f"no full stops (Arabic), {chars:,} chars"] = make_text("unpunctuated_ar", chars)
    for label, text in cases.items():
        base_now = per_word(ordinary, args.repeat)  # the ordinary cost under the load of this moment
        cost = per_word([text], args.repeat)
        print(f"{label + f' ({len(text.split()):,} words)':<52} {cost * 1e6:>8.1f} {cost / base_now:>10.2f}")


if __name__ == "__main__":
    main()

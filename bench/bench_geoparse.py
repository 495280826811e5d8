"""Geoparsing throughput: gazetteer.matcher.Matcher.find over a synthetic corpus, on one core.

Run from the project root: `python -m bench.bench_geoparse [--articles N] [--words W]`.
Timings are taken without tracemalloc; memory is measured in a second, traced pass.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import make_corpus
from gazetteer.matcher import Matcher, default_matcher
from pipeline.models import Article

TARGET = 500.0  # articles/s
MEMORY_SAMPLE = 200  # articles geoparsed in the traced memory pass


def maxrss_mb() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def geoparse(matcher: Matcher, corpus: list[Article]) -> tuple[int, list[str]]:
    """Mentions found over the corpus, and one line for each article the matcher failed on."""
    mentions = 0
    errors: list[str] = []
    for article in corpus:
        try:
            mentions += len(matcher.find(article.text))
        except Exception as exc:  # a bench reports failures, it does not stop on them
            errors.append(f"{article.id}: {type(exc).__name__}: {exc}")
    return mentions, errors


def traced_memory(corpus: list[Article]) -> tuple[float, float, float]:
    """MiB (tracemalloc): peak while building a fresh matcher, its retained size, peak geoparsing a sample."""
    tracemalloc.start()
    matcher = Matcher()
    retained, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    geoparse(matcher, corpus[:MEMORY_SAMPLE])
    find_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return build_peak / 2**20, retained / 2**20, find_peak / 2**20


def main(argv: list[str] | None = None) -> int:
    """Builds the corpus, loads the matcher, geoparses every article; prints the figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default 2000)")
    ap.add_argument("--words", type=int, default=500, help="words an article (default 500)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    corpus = make_corpus(args.articles, args.words, args.seed)
    t_corpus = time.perf_counter() - t0
    n_words = sum(len(a.text.split()) for a in corpus)

    t0 = time.perf_counter()
    matcher = default_matcher()
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    mentions, errors = geoparse(matcher, corpus)
    t_find = time.perf_counter() - t0
    build_peak, retained, find_peak = traced_memory(corpus)

    rate = len(corpus) / t_find
    print(f"corpus        {len(corpus)} articles, {n_words:,} words, seed {args.seed} "
          f"(built in {t_corpus:.2f} s)")
    print(f"matcher load  {t_load:.3f} s ({len(matcher.places)} places)")
    print(f"geoparse      {t_find:.2f} s on one core")
    print(f"articles/s    {rate:,.0f}  (target >= {TARGET:.0f}: {'met' if rate >= TARGET else 'NOT met'})")
    print(f"words/s       {n_words / t_find:,.0f}")
    print(f"mentions      {mentions:,} ({mentions / len(corpus):.1f} an article)")
    print(f"failed        {len(errors)} articles" + (f", first: {errors[0]}" if errors else ""))
    print(f"tracemalloc   matcher build peak {build_peak:.1f} MiB, index retained {retained:.1f} MiB, "
          f"geoparse peak {find_peak:.1f} MiB ({min(MEMORY_SAMPLE, len(corpus))} articles)")
    print(f"ru_maxrss     {maxrss_mb():.1f} MiB (whole process, corpus included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

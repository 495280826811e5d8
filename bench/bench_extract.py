"""End-to-end throughput: claims extraction and SQLite storage, then ingest of a JSONL file.

Run from the project root: `python -m bench.bench_extract [--articles N] [--words W]`.
Pass 1 calls pipeline.claims.extract + pipeline.store.store_analysis per article into a fresh
SQLite file; pass 2 times pipeline.ingest.ingest_paths on a JSONL file of the same corpus into
another fresh file. Both run on one core with the matcher and lexicon loaded beforehand.
Timings are taken without tracemalloc; memory is measured in a third, traced pass over a sample.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_geoparse import maxrss_mb
from bench.corpus import make_corpus, write_jsonl
from gazetteer.matcher import Matcher, default_matcher
from pipeline.claims import extract
from pipeline.ingest import ingest_paths
from pipeline.lexicon import Lexicon, load_lexicon
from pipeline.models import Article
from pipeline.store import open_db, store_analysis

TARGET = 200.0  # articles/s
MEMORY_SAMPLE = 200  # articles extracted in the traced memory pass


def extract_and_store(corpus: list[Article], db: Path, matcher: Matcher, lex: Lexicon
                      ) -> tuple[float, float, int, int, list[str]]:
    """Seconds in extract, seconds in store, claims extracted, claims stored, failures (one line each)."""
    conn = open_db(db)
    t_extract = t_store = 0.0
    extracted = stored = 0
    errors: list[str] = []
    try:
        for article in corpus:
            t0 = time.perf_counter()
            try:
                analysis = extract(article, matcher, lex)
            except Exception as exc:  # a bench reports failures, it does not stop on them
                errors.append(f"{article.id}: {type(exc).__name__}: {exc}")
                continue
            finally:
                t_extract += time.perf_counter() - t0
            extracted += len(analysis.claims)
            t0 = time.perf_counter()
            stored += store_analysis(conn, analysis, matcher)
            t_store += time.perf_counter() - t0
        stored_rows = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    finally:
        conn.close()
    assert stored_rows == stored, (stored_rows, stored)
    return t_extract, t_store, extracted, stored, errors


def traced_peak(corpus: list[Article], db: Path, matcher: Matcher, lex: Lexicon) -> float:
    """tracemalloc peak (MiB) while extracting and storing a sample of the corpus into a fresh file."""
    tracemalloc.start()
    extract_and_store(corpus[:MEMORY_SAMPLE], db, matcher, lex)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    """Builds the corpus, runs extract+store and ingest_paths into fresh databases; prints the figures."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default 2000)")
    ap.add_argument("--words", type=int, default=500, help="words an article (default 500)")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    ap.add_argument("--skip-ingest", action="store_true", help="do not time ingest_paths")
    args = ap.parse_args(argv)

    corpus = make_corpus(args.articles, args.words, args.seed)
    n_words = sum(len(a.text.split()) for a in corpus)
    t0 = time.perf_counter()
    matcher = default_matcher()
    lex = load_lexicon()
    t_load = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="mihwar-bench-") as tmp:
        tmpdir = Path(tmp)
        t0 = time.perf_counter()
        db = tmpdir / "extract.sqlite"
        t_ex, t_st, extracted, stored, errors = extract_and_store(corpus, db, matcher, lex)
        t_total = time.perf_counter() - t0
        ok = len(corpus) - len(errors)
        rate = len(corpus) / t_total
        print(f"corpus        {len(corpus)} articles, {n_words:,} words, seed {args.seed}")
        print(f"load          {t_load:.3f} s (matcher + lexicon)")
        print(f"extract+store {t_total:.2f} s on one core (extract {t_ex:.2f} s, store {t_st:.2f} s)")
        verdict = "met" if rate >= TARGET else "NOT met"
        print(f"articles/s    {rate:,.0f}  (target >= {TARGET:.0f}: {verdict})")
        print(f"words/s       {n_words / t_total:,.0f}")
        print(f"claims/s      {extracted / t_total:,.0f}")
        print(f"claims        {extracted:,} extracted, {stored:,} stored "
              f"({stored / max(ok, 1):.1f} an article)")
        print(f"failed        {len(errors)} articles" + (f", first: {errors[0]}" if errors else ""))

        if not args.skip_ingest:
            jsonl = tmpdir / "corpus.jsonl"
            n_jsonl = write_jsonl(jsonl, corpus)  # ingest_paths reports articles it fails on in its errors
            conn = open_db(tmpdir / "ingest.sqlite")
            t0 = time.perf_counter()
            report = ingest_paths([jsonl], conn)
            t_ingest = time.perf_counter() - t0
            conn.close()
            size = jsonl.stat().st_size / 2**20
            print(f"ingest_paths  {t_ingest:.2f} s for {n_jsonl} articles in {size:.1f} MiB "
                  f"of JSONL: {n_jsonl / t_ingest:,.0f} articles/s, {report.articles_new} new, "
                  f"{report.claims_new:,} claims, {len(report.errors)} errors")

        peak = traced_peak(corpus, tmpdir / "traced.sqlite", matcher, lex)
    print(f"tracemalloc   extract+store peak {peak:.1f} MiB of new allocations "
          f"({min(MEMORY_SAMPLE, len(corpus))} articles, matcher already loaded)")
    print(f"ru_maxrss     {maxrss_mb():.1f} MiB (whole process, corpus included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

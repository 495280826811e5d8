"""Bytes an ingest writes into a large store: MB written an article, wall and CPU time, peak memory.

    python -m bench.bench_writes --base /tmp/wbench/base.db --articles 3000 --seed 7   # new articles into a copy
    python -m bench.bench_writes --base /tmp/wbench/base.db -- --batch 64             # extra `ingest` flags after --

The store at --base is never written: each run copies it to --scratch (deleted afterwards, unless --keep),
then runs `python -m pipeline ingest CORPUS --db SCRATCH --workers N -q` in a child process and samples
its process tree with psutil (bench_archive.measure): bytes written (the kernel's write_bytes, pages sent
to the disk), peak RSS and PSS summed over the tree, CPU seconds. The corpus is `--articles` synthetic
articles of seed `--seed` (written as JSON Lines once): a seed the store was not built from gives new
articles. Without --base the ingest goes into an empty store (the small-store case).
"""
from __future__ import annotations

import argparse
import contextlib
import shutil
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

from bench.bench_archive import ROOT, measure, write_corpus
from pipeline.store import open_db_readonly

OUT = Path("/tmp/wbench")


def _count(db: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:  # closed: the ingest's
        return (con.execute("SELECT COUNT(*) FROM articles").fetchone()[0],  # close then removes the WAL
                con.execute("SELECT COUNT(*) FROM claims").fetchone()[0])


READER_QUERY = "SELECT date, side, COUNT(*) FROM claims GROUP BY date, side"  # the timeline: claims_by_date


def _reader(db: Path, stop: threading.Event, times: list[float], errors: list[str]) -> None:
    """A dashboard-like reader while the ingest runs: the timeline query every half second, timed."""
    conn = open_db_readonly(db)
    try:
        while not stop.wait(0.5):
            t0 = time.perf_counter()
            try:
                conn.execute(READER_QUERY).fetchall()
            except sqlite3.Error as exc:
                errors.append(str(exc))
                continue
            times.append(time.perf_counter() - t0)
    finally:
        conn.close()


def _remove(db: Path) -> None:
    for p in db.parent.glob(db.name + "*"):
        p.unlink()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=Path, default=None, help="store to copy (never written); none: an empty store")
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7, help="corpus seed (not the store's: new articles)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=OUT, help="folder for the corpus and the scratch copy")
    ap.add_argument("--label", default="ingest")
    ap.add_argument("--keep", action="store_true", help="keep the scratch store")
    ap.add_argument("--root", type=Path, default=ROOT,
                    help="source tree whose `python -m pipeline` runs (e.g. an export of main, to compare)")
    ap.add_argument("--reader", action="store_true",
                    help="time a dashboard query (claims a day by side) every 0.5 s while the ingest runs")
    ap.add_argument("extra", nargs="*", help="more `ingest` flags (after --)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = args.out / f"new-{args.articles}-s{args.seed}.jsonl"
    write_corpus(corpus, args.articles, seed=args.seed)
    scratch = args.out / "scratch.db"
    _remove(scratch)
    if args.base is not None:
        if Path(f"{args.base}-wal").exists() and Path(f"{args.base}-wal").stat().st_size:
            sys.exit(f"{args.base} has a WAL: checkpoint it first (sqlite3 {args.base} 'PRAGMA wal_checkpoint')")
        shutil.copyfile(args.base, scratch)
        before = _count(scratch)
    else:
        before = (0, 0)
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(corpus), "--db", str(scratch),
           "--workers", str(args.workers), "-q", *args.extra]
    stop, times, errors = threading.Event(), [], []
    reader = threading.Thread(target=_reader, args=(scratch, stop, times, errors), daemon=True)
    try:
        if args.reader and args.base is not None:
            reader.start()
        run = measure(args.label, cmd, cwd=args.root)
        stop.set()
        if reader.is_alive():
            reader.join()
        after = _count(scratch)
        new_articles, new_claims = after[0] - before[0], after[1] - before[1]
        size_mb = sum(p.stat().st_size for p in scratch.parent.glob(scratch.name + "*")) / 2**20
    finally:
        if not args.keep:
            _remove(scratch)
    per = run.written_mb / max(1, new_articles)
    print(f"{args.label}: {new_articles:,} new articles, {new_claims:,} new claims into a store of "
          f"{before[0]:,} articles; {run.seconds:.1f} s wall, {run.cpu_seconds:.1f} s CPU, peak RSS "
          f"{run.peak_mb:.0f} MB (PSS {run.peak_pss_mb:.0f} MB); written {run.written_mb:,.0f} MB = "
          f"{per * 1024:,.0f} KB an article (write calls {run.write_calls_mb:,.0f} MB = "
          f"{run.write_calls_mb / max(1, new_articles) * 1024:,.0f} KB an article); store now {size_mb:,.0f} MB; "
          f"exit {run.returncode}", flush=True)
    if args.reader and times:
        times.sort()
        print(f"  reader during the ingest: {len(times)} queries, median {statistics.median(times) * 1000:.0f} ms, "
              f"90th percentile {times[int(len(times) * 0.9)] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms, "
              f"{len(errors)} errors {errors[:1]}")


if __name__ == "__main__":
    main()

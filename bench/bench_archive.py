"""A five-year archive on one machine: ingest with 1 and 2 workers and on Dask, then export.

    python -m bench.bench_archive                 # 200,000 synthetic articles (about an hour on 2 cores)
    python -m bench.bench_archive --quick         # 2,000 articles: a smoke run of every step
    python -m bench.bench_archive --articles 20000 --speedup-articles 4000

Each step runs the command line in a child process; its whole process tree (workers included) is
sampled for peak resident memory and bytes written. The speed-up compares 1 and 2 workers on the
first --speedup-articles articles; the full archive is ingested with all cores. Results go to
bench/out/archive/ (corpus, databases, exports), which is reused between runs.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "archive"


@dataclass(frozen=True)
class Run:
    """One measured command."""

    label: str
    seconds: float
    peak_mb: float
    written_mb: float
    returncode: int


def measure(label: str, cmd: list[str], interval: float = 0.2) -> Run:
    """Run a command, sampling its process tree's memory and bytes written until it ends."""
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    written: dict[int, int] = {}
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = 0
        for p in tree:
            try:
                rss += p.memory_info().rss
                written[p.pid] = p.io_counters().write_bytes
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        peak = max(peak, rss)
        time.sleep(interval)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"  {label}: exit {proc.returncode}: {err.strip()[-400:]}", file=sys.stderr)
    return Run(label, seconds, peak / 2**20, sum(written.values()) / 2**20, proc.returncode)


def write_corpus(path: Path, n: int, seed: int = 0) -> None:
    """The synthetic archive as JSON Lines (written once, streamed: memory stays small)."""
    from bench.corpus import iter_corpus

    if path.exists() and sum(1 for _ in path.open(encoding="utf-8")) == n:
        return
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for a in iter_corpus(n, seed=seed):
            fh.write(json.dumps({"id": a.id, "title": a.title, "text": a.text, "source": a.source, "lang": a.lang,
                                 "published": a.published.isoformat() if a.published else None},
                                ensure_ascii=False) + "\n")
    tmp.replace(path)


def head(src: Path, dst: Path, n: int) -> None:
    """The first n lines of a file."""
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)


def plain_dump_seconds(path: Path) -> float:
    """Time to serialise the export's features again with json.dumps and write them (the floor for an export).

    The features are parsed first (untimed); then each is dumped and written, one a line, as the export does.
    """
    features = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if line.startswith('{"type": "Feature"') or line.startswith('{"type":"Feature"'):
                features.append(json.loads(line))
    target = path.with_suffix(".copy")
    t0 = time.perf_counter()
    with target.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        for i, f in enumerate(features):
            out.write(("," if i else "") + json.dumps(f, ensure_ascii=False) + "\n")
        out.write("]}\n")
    seconds = time.perf_counter() - t0
    target.unlink()
    return seconds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--speedup-articles", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="2,000 articles, 1,000 for the speed-up")
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.articles, args.speedup_articles = 2_000, 1_000
    OUT.mkdir(parents=True, exist_ok=True)
    corpus = OUT / f"archive-{args.articles}.jsonl"
    write_corpus(corpus, args.articles)
    sample = OUT / f"sample-{args.speedup_articles}.jsonl"
    head(corpus, sample, args.speedup_articles)
    py = [sys.executable, "-m", "pipeline"]

    def fresh(name: str) -> Path:
        db = OUT / name
        for p in OUT.glob(name + "*"):
            p.unlink()
        return db

    runs = []
    for workers in (1, 2):
        db = fresh(f"speedup-w{workers}.db")
        runs.append(measure(f"ingest {args.speedup_articles:,} articles, {workers} worker(s)",
                            [*py, "ingest", str(sample), "--db", str(db), "--workers", str(workers), "-q"]))
    if not args.skip_dask:
        db = fresh("speedup-dask.db")
        runs.append(measure(f"ingest {args.speedup_articles:,} articles, Dask LocalCluster (2 workers)",
                            [*py, "ingest", str(sample), "--db", str(db), "--engine", "dask", "--workers", "2",
                             "--shards", str(OUT / "shards"), "-q"]))
    archive_db = fresh("archive.db")
    runs.append(measure(f"ingest {args.articles:,} articles, all cores",
                        [*py, "ingest", str(corpus), "--db", str(archive_db), "-q"]))
    export = OUT / "archive.geojson"
    runs.append(measure("export GeoJSON of every claim",
                        [*py, "export", "--db", str(archive_db), "--format", "geojson", "-o", str(export)]))
    print(f"{'step':<58} {'seconds':>8} {'peak MB':>8} {'written MB':>10}")
    for r in runs:
        print(f"{r.label:<58} {r.seconds:>8.1f} {r.peak_mb:>8.0f} {r.written_mb:>10.0f}"
              + ("" if r.returncode in (0, 1) else f"  (exit {r.returncode})"))
    one, two = runs[0].seconds, runs[1].seconds
    print(f"speed-up with 2 workers: {one / two:.2f}x")
    if export.exists():
        size = export.stat().st_size
        dump = plain_dump_seconds(export)
        print(f"export: {size / 2**20:.0f} MB; json.dumps of the same features takes {dump:.1f} s "
              f"(export / dump: {runs[-1].seconds / max(dump, 1e-9):.2f}x)")
    db_mb = sum(p.stat().st_size for p in OUT.glob("archive.db*")) / 2**20
    print(f"archive database: {db_mb:.0f} MB")


if __name__ == "__main__":
    main()

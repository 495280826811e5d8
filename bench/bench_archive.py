"""A five-year archive on one machine: ingest with 1 and 2 workers and on Dask, export, the dashboard's queries.

    python -m bench.bench_archive --quick         # 2,000 articles: a smoke run of every step
    python -m bench.bench_archive --articles 2000 --speedup-articles 1000 --skip-ingest --skip-export  # speed-up, Dask
    python -m bench.bench_archive --speedup-articles 0 --workers 2 --out /work/archive \
        --db /work/archive/archive200k.db --skip-export   # the 200,000-article ingest alone, 2 workers
    python -m bench.bench_archive --skip-ingest --speedup-articles 0 --db /work/archive/archive200k.db \
        --out /work/archive   # its export

Each step runs the command line in a child process; its whole process tree (workers included) is
sampled for peak resident memory, and its bytes written and CPU time are counted exactly once it has
exited; an ingest step also reports KB written an article it added. The speed-up compares 1 and 2 workers (and Dask)
on the first --speedup-articles articles (0 skips it: at 200,000 articles one worker would take hours);
the full archive is then ingested with --workers (default all cores). The export is the CLI's (wall
time, peak RSS), then the export path and a json.dumps of the same feature dicts in this process, CPU
seconds, best of --rounds. Last, the dashboard's queries run on the archive in a fresh process
(`bench.bench_dashboard_queries`: cold start, then each filter change, server side; --skip-dashboard skips
them). Results go to --out (default bench/out/archive/: corpus, databases, exports),
reused between runs.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
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
    peak_mb: float  # resident memory summed over the tree (pages shared after fork counted in each)
    written_mb: float
    returncode: int
    peak_pss_mb: float = 0.0  # proportional set size summed: shared pages split between sharers (real use)
    cpu_seconds: float = 0.0  # user + system seconds of the whole tree
    articles: int = 0  # articles the command added to its store (0: not an ingest)
    write_calls_mb: float = 0.0  # bytes passed to write calls (wchar): what the program wrote, before the page cache

    def workers_label(self) -> str:
        """The part of the label after its last comma ("2 worker(s)")."""
        return self.label.rsplit(",", 1)[-1].strip()


def measure(label: str, cmd: list[str], interval: float = 0.2, cwd: Path = ROOT) -> Run:
    """Run a command, sampling its process tree's memory until it ends; bytes written and CPU time of the
    whole tree.

    Bytes written and CPU seconds are read exactly once the child is reaped: Linux adds a reaped child's
    I/O counters (and those of the children it reaped: the workers) to its parent's, and getrusage(
    RUSAGE_CHILDREN) its CPU time, so writes made while the process exits (SQLite's last checkpoint at
    close) are counted too. Sampling the live tree, as this bench did before, misses those.
    """
    me = psutil.Process()
    io0 = me.io_counters()
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = pss = 0
        for p in tree:
            try:
                full = p.memory_full_info()
                rss += full.rss
                pss += getattr(full, "pss", full.rss)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        time.sleep(interval)
    proc.wait()
    seconds = time.perf_counter() - t0
    io1 = me.io_counters()
    written, calls = io1.write_bytes - io0.write_bytes, io1.write_chars - io0.write_chars
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - usage0.ru_utime - usage0.ru_stime
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"  {label}: exit {proc.returncode}: {err.strip()[-400:]}", file=sys.stderr)
    return Run(label, seconds, peak / 2**20, written / 2**20, proc.returncode, peak_pss / 2**20, cpu_seconds=cpu,
               write_calls_mb=calls / 2**20)


SPIN = "x = 0\nfor i in range(20_000_000):\n    x += i * i % 7\n"  # pure CPU, no memory to speak of


def machine_speedup() -> float:
    """What this machine gives two processes right now: a pure-CPU loop alone, then two at once (wall
    time ratio scaled to the same work). A shared host that slows both when both run shows here first."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", SPIN], check=True)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(2)]
    for p in procs:
        p.wait()
    return 2 * one / (time.perf_counter() - t0)


def stored_articles(db: Path) -> int:
    """The number of articles in a store (0 when there is none)."""
    if not db.exists():
        return 0
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
        return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def measure_ingest(label: str, cmd: list[str], db: Path) -> Run:
    """measure() of an ingest into `db`, with the number of articles it added (for MB written an article)."""
    before = stored_articles(db)
    run = measure(label, cmd)
    return dataclasses.replace(run, articles=stored_articles(db) - before)


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


def _feature_chunks(path: Path, size: int = 20_000) -> Iterator[list[dict]]:
    """The features of an export file, parsed, `size` at a time (one feature a line)."""
    chunk: list[dict] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if line.startswith('{"type": "Feature"'):
                chunk.append(json.loads(line))
                if len(chunk) == size:
                    yield chunk
                    chunk = []
    if chunk:
        yield chunk


def plain_dump_seconds(path: Path) -> float:
    """CPU seconds to write the export's features again with json.dumps: the floor for an export.

    The features are parsed a chunk at a time (untimed, so memory stays bounded); then each is dumped and
    written, one a line, to a file as the export does. Only the dumping and writing are timed.
    """
    target = path.with_suffix(".copy")
    seconds = 0.0
    with target.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        n = 0
        for chunk in _feature_chunks(path):
            t0 = time.process_time()
            for f in chunk:
                out.write(("\n" if n == 0 else ",\n") + json.dumps(f, ensure_ascii=False))
                n += 1
            out.flush()
            seconds += time.process_time() - t0
        out.write("\n]}\n")
    target.unlink()
    return seconds


def export_seconds(db: Path, path: Path) -> float:
    """CPU seconds of the export path in this process (pipeline.geojson.export_geojson, no filters)."""
    from pipeline.geojson import export_geojson
    from pipeline.store import open_db_readonly

    conn = open_db_readonly(db)
    t0 = time.process_time()
    export_geojson(conn, path)
    seconds = time.process_time() - t0
    conn.close()
    return seconds


def compare_export(db: Path, export: Path, rounds: int = 3) -> tuple[float, float]:
    """Best of `rounds` CPU seconds of the export path and of the plain dump, run alternately."""
    ours, dump = [], []
    copy = export.with_suffix(".inproc.geojson")
    for _ in range(rounds):
        ours.append(export_seconds(db, copy))
        dump.append(plain_dump_seconds(copy))
    copy.unlink()
    return min(ours), min(dump)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--speedup-articles", type=int, default=10_000,
                    help="articles for the 1- vs 2-worker (and Dask) comparison; 0 skips it")
    ap.add_argument("--pairs", type=int, default=1,
                    help="1- then 2-worker runs, back to back, this many times (the median ratio is printed)")
    ap.add_argument("--quick", action="store_true", help="2,000 articles, 1,000 for the speed-up")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--workers", type=int, default=0, help="workers for the full ingest (default: all cores)")
    ap.add_argument("--out", type=Path, default=OUT, help="folder for corpus, databases and export")
    ap.add_argument("--db", type=Path, default=None, help="archive database (default OUT/archive.db)")
    ap.add_argument("--skip-ingest", action="store_true",
                    help="no full ingest: reuse the archive database as it is (the speed-up still runs unless 0)")
    ap.add_argument("--resume", action="store_true",
                    help="keep the archive database: the ingest skips the articles already stored")
    ap.add_argument("--skip-export", action="store_true")
    ap.add_argument("--skip-dashboard", action="store_true", help="no run of the dashboard's queries on the archive")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the in-process export / dump comparison")
    args = ap.parse_args(argv)
    if args.quick:
        args.articles, args.speedup_articles = 2_000, 1_000
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / f"archive-{args.articles}.jsonl"
    py = [sys.executable, "-m", "pipeline"]

    def fresh(db: Path) -> Path:
        for p in db.parent.glob(db.name + "*"):
            p.unlink()
        return db

    runs: list[Run] = []
    speedup: list[Run] = []
    if not args.skip_ingest or args.speedup_articles:
        t0 = time.perf_counter()
        write_corpus(corpus, args.articles)
        print(f"corpus {corpus} ({corpus.stat().st_size / 2**20:.0f} MB) ready in {time.perf_counter() - t0:.0f} s",
              flush=True)
    if args.speedup_articles:
        sample = out / f"sample-{args.speedup_articles}.jsonl"
        head(corpus, sample, args.speedup_articles)
        for _ in range(args.pairs):  # 1 then 2 workers, back to back: each ratio compares runs under one load
            print(f"the machine's own 2-process speed-up now (a pure-CPU loop): {machine_speedup():.2f}x", flush=True)
            for workers in (1, 2):
                db = fresh(out / f"speedup-w{workers}.db")
                speedup.append(measure_ingest(f"ingest {args.speedup_articles:,} articles, {workers} worker(s)",
                                              [*py, "ingest", str(sample), "--db", str(db), "--workers",
                                               str(workers), "-q"], db))
            print("  ".join(f"{r.workers_label()}: {r.seconds:.1f} s ({r.cpu_seconds:.1f} s CPU)" for r in speedup[-2:])
                  + f"  -> {speedup[-2].seconds / speedup[-1].seconds:.2f}x", flush=True)
        if not args.skip_dask:
            db = fresh(out / "speedup-dask.db")
            speedup.append(measure_ingest(f"ingest {args.speedup_articles:,} articles, Dask LocalCluster (2 workers)",
                                          [*py, "ingest", str(sample), "--db", str(db), "--engine", "dask",
                                           "--workers", "2", "--shards", str(out / "shards"), "-q"], db))
        runs.extend(speedup)
    archive_db = args.db or out / "archive.db"
    if not args.skip_ingest:
        if not args.resume:
            fresh(archive_db)
        workers = ["--workers", str(args.workers)] if args.workers else []
        runs.append(measure_ingest(f"ingest {args.articles:,} articles, {args.workers or 'all'} workers",
                                   [*py, "ingest", str(corpus), "--db", str(archive_db), *workers, "-q"], archive_db))
        print(f"{runs[-1]}", flush=True)
    export = out / "archive.geojson"
    if not args.skip_export:
        runs.append(measure("export GeoJSON of every claim (CLI)",
                            [*py, "export", "--db", str(archive_db), "--format", "geojson", "-o", str(export)]))
    print(f"{'step':<58} {'seconds':>8} {'CPU s':>8} {'peak MB':>8} {'PSS MB':>8} {'written MB':>10} "
          f"{'KB/article':>10}")
    for r in runs:
        per = f"{r.written_mb * 1024 / r.articles:>10.0f}" if r.articles else f"{'':>10}"
        print(f"{r.label:<58} {r.seconds:>8.1f} {r.cpu_seconds:>8.1f} {r.peak_mb:>8.0f} {r.peak_pss_mb:>8.0f} "
              f"{r.written_mb:>10.0f} {per}" + ("" if r.returncode in (0, 1) else f"  (exit {r.returncode})"))
    ratios = [speedup[i].seconds / speedup[i + 1].seconds for i in range(0, 2 * args.pairs, 2)
              if i + 1 < len(speedup)]
    if ratios:
        ones, twos = speedup[0:2 * args.pairs:2], speedup[1:2 * args.pairs:2]
        print(f"speed-up with 2 workers: {statistics.median(ratios):.2f}x (median; each pair: "
              + ", ".join(f"{r:.2f}x" for r in ratios) + "); least time of each: "
              f"{min(r.seconds for r in ones):.1f} s / {min(r.seconds for r in twos):.1f} s = "
              f"{min(r.seconds for r in ones) / min(r.seconds for r in twos):.2f}x")
    if archive_db.exists():
        with sqlite3.connect(f"file:{archive_db}?mode=ro", uri=True) as con:
            n_claims = con.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        db_mb = sum(p.stat().st_size for p in archive_db.parent.glob(archive_db.name + "*")) / 2**20
        print(f"archive database: {db_mb:.0f} MB, {n_claims:,} claims")
    dask_runs = [r for r in speedup if "Dask" in r.label]
    if dask_runs and len(speedup) > 1:
        print(f"speed-up of the Dask LocalCluster (2 workers) against 1 local worker: "
              f"{speedup[0].seconds / dask_runs[-1].seconds:.2f}x")
    if export.exists() and not args.skip_export:
        size = export.stat().st_size
        ours, dump = compare_export(archive_db, export, args.rounds)
        print(f"export: {size / 2**20:.0f} MB; in one process, best of {args.rounds} (CPU s): export path "
              f"{ours:.2f} s, json.dumps of the same feature dicts {dump:.2f} s (export / dump: {ours / dump:.2f}x); "
              f"whole CLI {runs[-1].cpu_seconds:.2f} s CPU ({runs[-1].cpu_seconds / dump:.2f}x the dump), "
              f"{runs[-1].seconds:.1f} s wall ({runs[-1].seconds / dump:.2f}x the dump's CPU)", flush=True)
    if archive_db.exists() and not args.skip_dashboard:
        from bench.bench_dashboard_queries import print_session

        print("the dashboard's queries on the archive (a fresh process: cold start, then each filter change):",
              flush=True)
        print_session(archive_db)


if __name__ == "__main__":
    main()

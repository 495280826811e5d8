"""DuckDB against SQLite for the dashboard's queries on one store: time, memory, and equal answers.

Engines:
- `sqlite`: dashboard.queries on a read-only connection, as the dashboard runs them (covering indexes and,
  on a schema-5 store, the claim counts).
- `sqlite-indexes`: the same without the claim counts (dashboard.queries as on a schema-4 store: the covering
  indexes alone), to show what the counts buy.
- `duck-attach`: bench.duck_queries on DuckDB reading the same SQLite file through the sqlite_scanner
  extension (from the PyPI package duckdb-extension-sqlite-scanner: DuckDB cannot download it here).
- `duck-file`: the same queries on a DuckDB copy of the store (bench.duck_queries.convert: places, claims
  sorted by date, article metadata), made first; its cost and size are reported.

Queries: the cold start's date bounds and total, per-place counts for the map (whole period; last year with
a side filter), claims per day for the timeline (the same two filters) and the control view a year before
the last day. Each query runs in a fresh process per engine (round): its first call is "cold" (nothing
cached in the process; the OS page cache is warm, as for a dashboard that has been up), then `--repeat`
more calls are "warm"; engines alternate within each round, in a rotated order, and the best of the rounds
is kept. Per query and engine: connect seconds, cold and warm seconds (wall), CPU seconds of the cold call
(all threads), the process's RSS before the query and its peak, and whether the answer equals SQLite's
(pandas.testing on the frames the dashboard gets).

    .venv/bin/python -m bench.bench_duckdb --quick                      # a smoke run on 200 ingested articles
    nice -n 10 .venv/bin/python -m bench.bench_duckdb --db /tmp/copy-of-store.db --rounds 3

The store given is only read (pass a copy of a shared one: a reader of a WAL store still writes its -shm).
Without --db a store is built by ingesting `--articles` articles of bench.corpus.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENGINES = ("sqlite", "sqlite-indexes", "duck-attach", "duck-file")
SIDES = ("GNA", "none")  # the side filter of the filtered queries


def query_specs(lo: dt.date, hi: dt.date) -> dict[str, dict]:
    """The measured queries: name -> kind (facts, summary, per_day, control), filter fields, as-of date."""
    base = {"date_from": lo.isoformat(), "date_to": hi.isoformat()}
    year = {"date_from": (hi - dt.timedelta(days=365)).isoformat(), "date_to": hi.isoformat(), "sides": list(SIDES)}
    return {
        "cold start: date bounds + total": {"kind": "facts", "filters": {}},
        "map: per-place counts": {"kind": "summary", "filters": base},
        "map: last year, side GNA + none": {"kind": "summary", "filters": year},
        "timeline: claims per day": {"kind": "per_day", "filters": base},
        "timeline: last year, side GNA + none": {"kind": "per_day", "filters": year},
        "control view as of last day - 365": {"kind": "control", "filters": base,
                                               "as_of": (hi - dt.timedelta(days=365)).isoformat()},
    }


def _filters(fields: dict):
    from dashboard.filters import Filters

    kw = {}
    for key in ("date_from", "date_to"):
        if fields.get(key):
            kw[key] = dt.date.fromisoformat(fields[key])
    if fields.get("sides") is not None:
        kw["sides"] = frozenset(fields["sides"])
    return Filters(**kw)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(engine: str, db: str, duck_file: str, spec: dict, repeat: int, out: str) -> dict:
    """Runs one query on one engine in this (fresh) process: connect, a cold call, `repeat` warm calls."""
    from bench import duck_queries as d
    from dashboard import queries as q
    from dashboard.views import control_filters
    from pipeline.store import open_db_readonly

    f = _filters(spec["filters"])
    as_of = dt.date.fromisoformat(spec["as_of"]) if spec.get("as_of") else None
    t = time.perf_counter()
    if engine.startswith("sqlite"):
        if engine == "sqlite-indexes":
            q.has_rollups = lambda conn: False  # read the claims' indexes, as on a store without the counts
        conn = open_db_readonly(db)
        calls = {"facts": lambda: (*q.date_bounds(conn), q.total_claims(conn)),
                 "summary": lambda: q.place_summary(conn, f),
                 "per_day": lambda: q.claims_per_day(conn, f),
                 "control": lambda: q.control_as_of(conn, control_filters(f), as_of)}
    else:
        conn = d.attach(db) if engine == "duck-attach" else d.open_file(duck_file)
        calls = {"facts": lambda: d.facts(conn),
                 "summary": lambda: d.place_summary(conn, f),
                 "per_day": lambda: d.claims_per_day(conn, f),
                 "control": lambda: d.control_as_of(conn, control_filters(f), as_of)}
    connect = time.perf_counter() - t
    call = calls[spec["kind"]]
    rss_before = _rss_mb()
    t, cpu = time.perf_counter(), time.process_time()
    result = call()
    cold, cold_cpu = time.perf_counter() - t, time.process_time() - cpu
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        call()
        warm.append(time.perf_counter() - t)
    conn.close()
    with open(out, "wb") as fh:
        pickle.dump(result, fh)
    return {"connect": connect, "cold": cold, "cold_cpu": cold_cpu, "warm": min(warm) if warm else None,
            "rss_before": rss_before, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def same(a, b) -> str:
    """'equal' when two answers are the same (frames by pandas.testing), else what differs."""
    import pandas as pd

    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b)
        except AssertionError as e:
            return "MISMATCH: " + " ".join(str(e).split())[:200]
        return "equal"
    return "equal" if a == b else f"MISMATCH: {a!r} != {b!r}"


def run_child(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.bench_duckdb", *args], cwd=ROOT, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def convert_child(db: str, out: str) -> dict:
    """bench.duck_queries.convert in this (fresh) process: seconds, CPU, peak RSS, file size."""
    from bench import duck_queries as d

    t, cpu = time.perf_counter(), time.process_time()
    done = d.convert(db, out)
    return {"claims": done["claims"], "seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu,
            "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "bytes": Path(out).stat().st_size}


def build_store(path: Path, articles: int) -> None:
    """A store of `articles` bench.corpus articles, ingested by the pipeline."""
    from bench.corpus import iter_corpus, write_jsonl
    from pipeline.ingest import ingest_paths
    from pipeline.store import open_db

    jsonl = path.with_suffix(".jsonl")
    write_jsonl(jsonl, iter_corpus(articles))
    conn = open_db(path)
    try:
        report = ingest_paths([jsonl], conn, batch=500)
    finally:
        conn.close()
    jsonl.unlink()
    print(f"built {path}: {report.articles_new:,} articles, {report.claims_new:,} claims")


def sqlite_sizes(db: Path) -> dict[str, float]:
    """MB of the store's claims table, its indexes, the claim counts and the rest (SQLite's dbstat)."""
    import sqlite3

    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        pages = conn.execute("SELECT d.name, m.tbl_name, SUM(d.pgsize) FROM dbstat d "
                             "LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY d.name").fetchall()
    finally:
        conn.close()
    out = {"claims table": 0.0, "claims indexes": 0.0, "claim counts": 0.0, "the rest": 0.0}
    for name, table, size in pages:
        part = ("claims table" if name == "claims" else "claims indexes" if table == "claims"
                else "claim counts" if table in ("claim_months", "claim_days") else "the rest")
        out[part] += size / 1e6
    return out


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    """Builds (or takes) a store, converts it for DuckDB, measures each query on each engine; prints a table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="the store to read (only read; pass a copy of a shared one)")
    ap.add_argument("--articles", type=int, default=2000, help="articles of the store built without --db")
    ap.add_argument("--rounds", type=int, default=3, help="fresh processes per query and engine (best kept)")
    ap.add_argument("--repeat", type=int, default=3, help="warm calls after the cold one in each process")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated, of " + ", ".join(ENGINES))
    ap.add_argument("--work", type=Path, help="where the built store and the DuckDB copy go (default: a temp dir); "
                    "a copy there newer than the store is reused")
    ap.add_argument("--quick", action="store_true", help="200 articles, 1 round, 1 warm call")
    ap.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    ap.add_argument("--convert", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        engine, db, duck_file, spec, repeat, out = args.child
        print(json.dumps(child(engine, db, duck_file, json.loads(spec), int(repeat), out)))
        return
    if args.convert:
        print(json.dumps(convert_child(*args.convert)))
        return
    if args.quick:
        args.articles, args.rounds, args.repeat = 200, 1, 1
    engines = [e for e in args.engines.split(",") if e]
    if unknown := set(engines) - set(ENGINES):
        ap.error(f"unknown engines: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="bench-duckdb-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        db = args.db
        if db is None:
            db = work / f"corpus{args.articles}.db"
            if not db.exists():
                t = time.perf_counter()
                build_store(db, args.articles)
                print(f"  ingest took {time.perf_counter() - t:.1f} s")
        measure(db, work, engines, args.rounds, args.repeat)


def measure(db: Path, work: Path, engines: list[str], rounds: int, repeat: int) -> None:
    """Converts the store (when duck-file is measured), runs every query on every engine; prints the figures."""
    from dashboard import queries as q

    print(f"store {db}: {db.stat().st_size / 1e6:,.1f} MB; load {load()}; {os.cpu_count()} cores")
    with q.reading(db) as conn:
        lo, hi = q.date_bounds(conn)
        total = q.total_claims(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    print(f"{total:,} claims, {lo} to {hi}, schema version {version}")
    duck_file = work / (db.stem + ".duckdb")
    if "duck-file" in engines:
        if duck_file.exists() and duck_file.stat().st_mtime > db.stat().st_mtime:
            print(f"DuckDB copy {duck_file} reused (newer than the store): {duck_file.stat().st_size / 1e6:,.1f} MB")
        else:
            duck_file.unlink(missing_ok=True)
            c = run_child(["--convert", str(db), str(duck_file)])
            print(f"DuckDB copy: {c['claims']:,} claims in {c['seconds']:.1f} s ({c['cpu']:.1f} s CPU), peak RSS "
                  f"{c['peak_rss']:.0f} MB; {c['bytes'] / 1e6:,.1f} MB (the SQLite store: {db.stat().st_size / 1e6:,.1f} MB)")
        sizes = sqlite_sizes(db)
        print("  the SQLite store, MB: " + ", ".join(f"{k} {v:,.1f}" for k, v in sizes.items()))
    specs = query_specs(lo, hi)
    runs: dict[tuple[str, str], list[dict]] = {}
    mismatches = 0
    for r in range(rounds):
        print(f"round {r + 1}/{rounds}, load {load()}", flush=True)
        for name, spec in specs.items():
            order = engines[r % len(engines):] + engines[:r % len(engines)]
            answers = {}
            for engine in order:
                out = work / f"answer-{engine}.pickle"
                got = run_child(["--child", engine, str(db), str(duck_file), json.dumps(spec), str(repeat), str(out)])
                with open(out, "rb") as fh:
                    answers[engine] = pickle.load(fh)
                runs.setdefault((name, engine), []).append(got)
            for engine in engines:
                if engine != "sqlite" and "sqlite" in answers:
                    got = runs[(name, engine)][-1]
                    got["same"] = same(answers["sqlite"], answers[engine])
                    mismatches += got["same"] != "equal"
    print(f"\nload {load()}; wall seconds, best of {rounds} (cold: first call in a fresh process) and of "
          f"{rounds}x{repeat} (warm); CPU of the cold call; RSS before the query -> peak, MB")
    print(f"{'query':38s} {'engine':14s} {'connect':>8s} {'cold':>8s} {'warm':>8s} {'CPU':>7s} {'RSS MB':>13s}  answer")
    for name in specs:
        for engine in engines:
            got = runs[(name, engine)]
            best = lambda k, got=got: min(g[k] for g in got if g[k] is not None)  # noqa: E731
            warm = f"{best('warm'):8.3f}" if any(g["warm"] is not None for g in got) else f"{'-':>8s}"
            rss = f"{min(g['rss_before'] for g in got):.0f} -> {max(g['peak_rss'] for g in got):.0f}"
            answers = {g.get("same", "") for g in got} - {""}
            answer = "; ".join(sorted(answers)) if answers else ("reference" if engine == "sqlite" else "")
            print(f"{name:38s} {engine:14s} {best('connect'):8.3f} {best('cold'):8.3f} {warm} "
                  f"{best('cold_cpu'):7.3f} {rss:>13s}  {answer}")
    print(f"\n{mismatches} answers differ from SQLite's" if mismatches else "\nevery DuckDB answer equals SQLite's")


if __name__ == "__main__":
    main()

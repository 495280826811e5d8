"""The dashboard's data path on archive-sized databases: cold start, each filter change, peak memory.

For each database (built by bench.archive_db when missing: 284,000 and 2,800,000 synthetic claims by
default) a fresh process makes the calls app.py makes for one page (dashboard.queries: date range and
total, per-place counts, the map's layer data, per-day counts, the table's newest rows, the control view
and its areas), first cold (a new process: nothing cached), then for each filter change the calls whose
inputs changed (what Streamlit's caches would recompute). It prints server-side seconds (wall clock), the
CPU seconds of the process (on a shared machine the wall clock counts other people's work too; the per-place
counts run on two threads, so their CPU seconds can exceed the wall clock on an idle machine) and the peak RSS. `--live` also starts `streamlit run app.py` on the database, loads the page in headless chromium
and reports the time to the first drawn map and the streamlit process's peak RSS (VmHWM).

    .venv/bin/python -m bench.bench_dashboard_queries                       # 284k and 2.8M claims in /tmp/mihwar-bench
    .venv/bin/python -m bench.bench_dashboard_queries --db /work/archive/archive200k.db --live
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZES = (284_000, 2_800_000)


def session(db: str) -> dict:
    """One visitor's page and filter changes, as app.py computes them (run in a fresh process)."""
    from dashboard import queries as q
    from dashboard.areas import control_areas
    from dashboard.filters import Filters
    from dashboard.mapview import DEFAULT_MAX_POINTS
    from dashboard.views import claims_table, control_filters, until

    cache: dict = {}
    spent: dict[str, float] = {}

    def cached(name, fn, *key):
        k = (name, *key)
        if k not in cache:
            t = time.perf_counter()
            cache[k] = fn()
            spent[name] = round(time.perf_counter() - t, 3)
        return cache[k]

    def page(f: Filters, as_of: dt.date | None, window: int = 7) -> dict:
        """The data of one page run; the seconds it took and what it showed."""
        t, cpu = time.perf_counter(), time.process_time()
        spent.clear()
        with q.reading(db) as conn:
            _lo, hi, _total = cached("facts", lambda: (*q.date_bounds(conn), q.total_claims(conn)))
            as_of = as_of or hi
            shown = until(f, as_of)
            summary = cached("summary", lambda: q.place_summary(conn, shown), shown)
            control = cached("control", lambda: q.control_as_of(conn, control_filters(f), as_of, window),
                             control_filters(f), as_of, window)
            areas = cached("areas", lambda: control_areas(control), control_filters(f), as_of, window)
            layers = cached("layers", lambda: q.map_layers_for(conn, shown, summary, max_points=DEFAULT_MAX_POINTS,
                                                               areas=areas), shown, as_of, window)
            per_day = cached("per_day", lambda: q.claims_per_day(conn, f), f)
            table = cached("table", lambda: claims_table(q.newest_claims(conn, shown, 2_000)), shown)
        return {"seconds": round(time.perf_counter() - t, 3), "cpu": round(time.process_time() - cpu, 3), "shown": int(summary["claims"].sum()),
                "places": len(summary), "points": layers.points, "aggregated": layers.aggregated,
                "days": len(per_day), "table": len(table), "held": len(control), "as_of": str(as_of),
                "parts": dict(spent)}

    out = {}
    with q.reading(db) as conn:
        lo, hi = q.date_bounds(conn)
    base = Filters(date_from=lo, date_to=hi)  # the sidebar's date range starts on the data's first and last day
    out["cold start"] = page(base, None)
    changes = [
        ("side: GNA and none", dataclasses.replace(base, sides=frozenset({"GNA", "none"})), None),
        ("side: none", dataclasses.replace(base, sides=frozenset({"none"})), None),
        ("claim types: control, repelled", dataclasses.replace(base, claim_types=frozenset({"control", "repelled"})),
         None),
        ("min confidence 0.8", dataclasses.replace(base, min_confidence=0.8), None),
        ("place query 'ain zara'", dataclasses.replace(base, place_query="ain zara"), None),
        ("date range: the last year", dataclasses.replace(base, date_from=hi - dt.timedelta(days=365)), None),
        ("as of: a year earlier", base, hi - dt.timedelta(days=365)),
        ("as of: a week later than that", base, hi - dt.timedelta(days=358)),
    ]
    for label, f, as_of in changes:
        out[label] = page(f, as_of)
    out["peak RSS MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def live(db: Path) -> dict:
    """Start the app on the database, load the page in chromium; first drawn map and the server's peak RSS."""
    from playwright.sync_api import sync_playwright

    from bench.bench_dashboard_live import ARGS, CHROMIUM, LOCAL, _shown, _wait_drawn, start_app

    t0 = time.perf_counter()
    proc, port = start_app(db)
    try:
        up = time.perf_counter() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
            t = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}")
            drawn = _wait_drawn(page, lambda d: d >= 0, timeout=300)
            first = time.perf_counter() - t
            shown = _shown(page)
            side = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Side").first
            frame = next(f for f in page.frames if "streamlit_folium" in f.url)
            frame.evaluate("window.mihwar.claims = -1")
            t = time.perf_counter()
            side.get_by_role("button", name="Remove GNA").click()
            _wait_drawn(page, lambda d: d != -1, timeout=300)
            change = time.perf_counter() - t
            browser.close()
        status = Path(f"/proc/{proc.pid}/status").read_text()
        hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return {"server up s": round(up, 1), "page to first drawn map s": round(first, 2), "claims shown": shown,
                "points drawn": drawn, "side filter to redrawn map s (browser included)": round(change, 2),
                "streamlit peak RSS MB": round(hwm / 1024)}
    finally:
        proc.terminate()
        proc.wait(15)


def print_session(db: Path) -> None:
    """Runs one visitor's session on the database in a fresh process and prints its figures."""
    proc = subprocess.run([sys.executable, "-m", "bench.bench_dashboard_queries", "--session", str(db)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    for label, r in result.items():
        if isinstance(r, dict):
            print(f"{label:32s} {r['seconds']:6.2f} s server side, {r['cpu']:5.2f} s CPU  ({r['shown']:,} claims at "
                  f"{r['places']:,} places; map {r['points']:,} {'places' if r['aggregated'] else 'points'}; "
                  f"{r['held']:,} places held)")
            print(" " * 33 + ", ".join(f"{k} {v:.2f}" for k, v in r["parts"].items()))
        else:
            print(f"{label:32s} {r}")


def main() -> None:
    """Build (if needed) and measure each database; print the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, action="append", help="a database to measure (repeatable)")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/mihwar-bench"), help="where built databases go")
    ap.add_argument("--live", action="store_true", help="also start the app and load the page in chromium")
    ap.add_argument("--live-only", action="store_true", help="only the app in chromium")
    ap.add_argument("--session", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.session:
        print(json.dumps(session(args.session)))
        return
    dbs = args.db or []
    if not dbs:
        from bench.archive_db import build_archive_db
        args.dir.mkdir(parents=True, exist_ok=True)
        for n in SIZES:
            path = args.dir / f"claims{n}.db"
            if not path.exists():
                t = time.perf_counter()
                build_archive_db(path, n)
                print(f"built {path} in {time.perf_counter() - t:.0f} s")
            dbs.append(path)
    for db in dbs:
        print(f"\n== {db} ({db.stat().st_size / 1e6:,.0f} MB)")
        if args.live_only:
            for k, v in live(db).items():
                print(f"{k:48s} {v}")
            continue
        print_session(db)
        if args.live:
            for k, v in live(db).items():
                print(f"{k:48s} {v}")


if __name__ == "__main__":
    main()

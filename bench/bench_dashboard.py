"""Dashboard benchmark: map build/render on 20,000 synthetic claims, and the live app's start and redraw.

Usage: python bench/bench_dashboard.py [--claims N] [--no-browser]

Prints, for N synthetic claims (default 20,000):
- Python: filtering, control view, map build + offline HTML render (aggregated above the point limit, a
  filtered view under it, and all N points un-aggregated);
- browser (headless /usr/bin/chromium, offline): load of each HTML to the first drawn frame;
- the live app on the seeds: cold start (process start to first drawn map) and filter-to-redraw.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from dashboard.assets import offline_html  # noqa: E402
from dashboard.control import control_as_of  # noqa: E402
from dashboard.filters import Filters, apply_filters  # noqa: E402
from dashboard.mapview import build_map  # noqa: E402
from dashboard.samples import synthetic_claims  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
FILTER = Filters(sides=frozenset({"GNA"}), claim_types=frozenset({"control", "repelled"}))


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def python_figures(n: int, out_dir: Path) -> dict[str, Path]:
    """Time the Python side and write the three map HTML files; return them by label."""
    claims, t = timed(synthetic_claims, n)
    print(f"synthetic claims: {len(claims):,} in {t * 1000:.0f} ms")
    shown, t = timed(apply_filters, claims, FILTER)
    print(f"filter (side=GNA, type in control/repelled): {len(shown):,} claims in {t * 1000:.0f} ms")
    control, t = timed(control_as_of, claims, dt.date(2020, 6, 4), 7)
    print(f"control view as of 2020-06-04: {len(control):,} places in {t * 1000:.0f} ms")
    pages = {}
    for label, frame, limit in (("all, aggregated", claims, 5000), ("filtered", shown, 5000),
                                ("all, un-aggregated", claims, n)):
        build, t_build = timed(build_map, frame, control, max_points=limit, tiles=False)
        html, t_html = timed(offline_html, build.map)
        path = out_dir / f"map_{len(pages)}.html"
        path.write_text(html, encoding="utf-8")
        pages[label] = path
        print(f"map [{label}]: {build.layers.points:,} points, build {t_build * 1000:.0f} ms + render "
              f"{t_html * 1000:.0f} ms, HTML {len(html) / 1e6:.1f} MB")
    return pages


def browser_figures(pages: dict[str, Path]) -> None:
    """Time each standalone map page in headless Chromium to its first drawn frame."""
    from conftest import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for label, path in pages.items():
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="commit")
            page.wait_for_function("window.mihwar && window.mihwar.claims !== undefined", timeout=180_000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            elapsed = time.perf_counter() - start
            points = page.evaluate("window.mihwar.claims")
            print(f"browser [{label}]: {points:,} points drawn {elapsed * 1000:.0f} ms after navigation")
            page.close()
        browser.close()


def app_figures(tmp: Path) -> None:
    """Cold start of the live app on the seeds to the first drawn map, then a filter-to-redraw."""
    from conftest import CHROMIUM_ARGS, start_app
    from playwright.sync_api import sync_playwright
    from test_browser_dashboard import shown_count, wait_for_map

    start = time.perf_counter()
    proc, url = start_app(tmp / "bench.db", tmp / "streamlit.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("http://127.0.0.1", "data:", "blob:", "about:")) else r.abort())
            page = context.new_page()
            page.goto(url)
            n_all = wait_for_map(page)
            cold = time.perf_counter() - start
            print(f"app cold start (new database from seeds) to first drawn map: {cold * 1000:.0f} ms "
                  f"({n_all} points)")
            side = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Side").first
            t0 = time.perf_counter()
            side.get_by_role("button", name="Remove GNA").click()
            while True:
                try:
                    n = shown_count(page)
                except Exception:
                    n = n_all
                if n != n_all:
                    break
                page.wait_for_timeout(20)
            wait_for_map(page, n)
            redraw = time.perf_counter() - t0
            print(f"app filter-to-redraw (side without GNA, {n} points): {redraw * 1000:.0f} ms")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        pages = python_figures(args.claims, tmp)
        if args.no_browser:
            return 0
        if not CHROMIUM.exists():
            print("no /usr/bin/chromium: browser figures skipped")
            return 0
        browser_figures(pages)
        app_figures(tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

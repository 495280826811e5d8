"""The live dashboard with a large real database: cold start, zoom and filter to redraw in the browser, bytes sent.

Builds a database by ingesting a synthetic corpus through the pipeline (about 14 claims an article,
so 1,500 articles give some 20,000 claims), starts `streamlit run app.py` on it, and drives Debian's
headless chromium with Playwright, offline, through a counting TCP proxy (so "bytes sent" is what went
over the wire from the server to the browser: websocket messages, plus any HTTP the page fetched).
Prints the figures. Run from the project root:

    .venv/bin/python bench/bench_dashboard_live.py [--articles 1500]
    .venv/bin/python bench/bench_dashboard_live.py --claims 10000   # 10,000 claims at 300 places
    .venv/bin/python bench/bench_dashboard_live.py --claims 30000 --places 10000  # a map of ~9,500 places
    .venv/bin/python bench/bench_dashboard_live.py --db /tmp/big.db  # reuse (or keep) the built database
    .venv/bin/python -m bench.archive_db /tmp/p10k.db --claims 300000 --places 10000  # then --db /tmp/p10k.db

After the cold start it zooms the map into Tripoli and back out (a map of more than 2,000 places follows the
view: new data each time), then takes each side off the filter.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import make_corpus, write_jsonl  # noqa: E402
from pipeline.ingest import ingest_paths  # noqa: E402
from pipeline.store import open_db  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CountingProxy:
    """A TCP proxy on a free local port to `port`; counts the bytes the server sends to the browser."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.down = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        try:
            while data := src.recv(65536):
                if count:
                    with self.lock:
                        self.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def take(self) -> int:
        """Bytes sent to the browser since the last call."""
        with self.lock:
            n, self.down = self.down, 0
        return n


def start_app(db: Path, waits: int = 300) -> tuple[subprocess.Popen, int]:
    """`streamlit run app.py` on the database `db`, headless on a free local port, once it answers its
    health check (or after `waits` tries of 0.3 s); the caller terminates the process."""
    port = free_port()
    env = {**os.environ, "MIHWAR_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(waits):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    return proc, port


def build_db(path: Path, articles: int) -> int:
    """Ingest a synthetic corpus into a new database; the number of claims stored."""
    src = path.with_suffix(".jsonl")
    write_jsonl(src, make_corpus(articles))
    conn = open_db(path)
    report = ingest_paths([src], conn)
    conn.close()
    return report.claims_new


def build_synthetic_db(path: Path, n: int, places: int = 300) -> int:
    """A database holding n synthetic claims at `places` places (dashboard.samples), written straight to the
    tables; the number of claims stored."""
    from dashboard.samples import synthetic_claims

    df = synthetic_claims(n, n_places=places)
    conn = open_db(path)
    with conn:
        now = "2026-01-01T00:00:00+00:00"
        arts = df.drop_duplicates("article_id")
        conn.executemany("INSERT INTO articles (id, title, text, published, source, url, lang, origin, "
                         "matcher_version, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (r.article_id, r.title, r.evidence, str(r.published)[:10], r.source, r.url, "", "bench", "bench", now)
            for r in arts.itertuples()])
        places = df.drop_duplicates("place_id")
        conn.executemany("INSERT INTO places (id, name, name_ar, lat, lon, kind, geo_precision) "
                         "VALUES (?,?,?,?,?,?,?)", [
            (r.place_id, r.place, r.place_ar, r.lat, r.lon, "locality", int(r.geo_precision))
            for r in places.itertuples()])
        conn.executemany('INSERT INTO claims (id, article_id, place_id, claim, side, claimed_by, date, date_precision, '
                         'evidence, start, "end", confidence, pattern, matcher_version) '
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            (r.claim_id, r.article_id, r.place_id, r.claim, r.side, r.claimed_by,
             None if r.date is None or str(r.date) == "NaT" else str(r.date)[:10], r.date_precision, r.evidence,
             0, 0, float(r.confidence), "bench", "bench")
            for r in df.itertuples()])
    conn.close()
    return len(df)


def main() -> None:
    """Measure and print."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1500, help="synthetic articles to ingest (default 1500)")
    ap.add_argument("--claims", type=int, default=0,
                    help="instead: this many synthetic claims at 300 places, written straight to the database")
    ap.add_argument("--places", type=int, default=300, help="places of the --claims database (default 300)")
    ap.add_argument("--db", help="use this database file (built there first if it does not exist)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "mihwar.db"
        t = time.perf_counter()
        if db.exists():
            print(f"database: {db} (reused)")
        elif args.claims:
            claims = build_synthetic_db(db, args.claims, args.places)
            print(f"database: {claims:,} synthetic claims at {args.places:,} places, built in "
                  f"{time.perf_counter() - t:.1f} s")
        else:
            claims = build_db(db, args.articles)
            print(f"database: {args.articles} articles, {claims:,} claims, built in {time.perf_counter() - t:.1f} s")
        proc, port = start_app(db)
        try:
            proxy = CountingProxy(port)
            url = f"http://127.0.0.1:{proxy.port}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                ctx = browser.new_context(viewport={"width": 1440, "height": 900})
                ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(url)
                first = _wait_drawn(page, lambda d: d >= 0)
                shown = _shown(page)
                print(f"cold start to first drawn map: {time.perf_counter() - t:.2f} s "
                      f"({shown:,} claims shown, {first:,} points drawn); {proxy.take() / 1e6:.2f} MB sent")
                page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=180_000)  # the page's end
                print(f"whole page (down to the download buttons): {time.perf_counter() - t:.2f} s; "
                      f"{proxy.take() / 1e6:.2f} MB more sent")
                page.wait_for_timeout(1500)
                proxy.take()
                for lat, lon, zoom in ((32.85, 13.2, 12), (31.5, 13.0, 6)):  # into Tripoli, back to the country
                    frame = _map_frame(page)
                    frame.evaluate("window.mihwar.claims = -1")
                    t = time.perf_counter()
                    frame.evaluate(f"window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); null")
                    drawn = _wait_drawn(page, lambda d: d != -1, timeout=20.0, give_up=True)
                    took = time.perf_counter() - t
                    page.wait_for_timeout(1500)
                    if drawn is None:
                        print(f"zoom {zoom}: the map kept its data (it follows the view only past 2,000 places)")
                        continue
                    print(f"zoom {zoom} at {lat}, {lon} to redrawn map: {took:.2f} s ({drawn:,} points drawn); "
                          f"{proxy.take() / 1e6:.2f} MB sent")
                for label in ("Remove GNA", "Remove none", "Remove LNA"):
                    frame = _map_frame(page)
                    frame.evaluate("window.mihwar.claims = -1")
                    side = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Side").first
                    t = time.perf_counter()
                    side.get_by_role("button", name=label).click()
                    drawn = _wait_drawn(page, lambda d: d != -1)
                    took = time.perf_counter() - t
                    page.wait_for_timeout(1500)  # let the rest of the run's messages arrive
                    draw_ms = _map_frame(page).evaluate("[window.mihwar.drawMs, window.mihwar.drawParts]")
                    print(f"filter '{label}' to redrawn map: {took:.2f} s ({_shown(page):,} claims shown, "
                          f"{drawn:,} points drawn; drawing in the page {draw_ms} ms); "
                          f"{proxy.take() / 1e6:.2f} MB sent")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(15)


def _shown(page) -> int:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Claims shown")
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", "").strip())


def _map_frame(page):
    return next((f for f in page.frames if "streamlit_folium" in f.url), None)


def _wait_drawn(page, ok, timeout: float = 180.0, give_up: bool = False) -> int | None:
    """The number of points the map drew once `ok` of it; after `timeout` seconds None when `give_up`, else
    the run ends."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        frame = _map_frame(page)
        if frame is not None:
            try:
                drawn = frame.evaluate("window.mihwar ? window.mihwar.claims : null")
            except Exception:
                drawn = None
            if drawn is not None and ok(drawn):
                return int(drawn)
        page.wait_for_timeout(20)
    if give_up:
        return None
    raise SystemExit("timed out waiting for the map")


if __name__ == "__main__":
    main()

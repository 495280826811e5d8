"""The running dashboard in offline headless Chromium: map points, a faction filter, the GeoJSON download."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.store import load_claims_frame, open_db

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshots" / "dashboard.png"
TIMEOUT_MS = 120_000


def map_frame(page):
    """The streamlit-folium component frame that holds the Leaflet map."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    return None


def shown_count(page) -> int:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Claims shown")
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", "").strip())


def drawn_points(page) -> int | None:
    """Claim points the map drew (published by the claims layer), or None before the map is up."""
    frame = map_frame(page)
    if frame is None:
        return None
    try:
        return frame.evaluate("window.mihwar ? window.mihwar.claims : null")
    except Exception:  # frame navigating / reloading
        return None


def wait_until(page, predicate, what: str, timeout_ms: int = TIMEOUT_MS):
    waited = 0
    while waited < timeout_ms:
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(250)  # lets Playwright serve routed requests meanwhile
        waited += 250
    raise AssertionError(f"timed out waiting for {what}")


def wait_for_map(page, expected: int | None = None) -> int:
    """Wait until the map drew the number of points the 'Claims shown' metric says; return it."""
    def ready():
        try:
            n = shown_count(page)
        except Exception:
            return None
        drawn = drawn_points(page)
        if drawn is None or drawn != n or (expected is not None and n != expected):
            return None
        return ("ok", n)
    what = f"the map to draw {expected if expected is not None else 'all'} points"
    wait_until(page, ready, what)
    settle(page)  # a click sent while the script reruns (the map reporting its view) may be dropped
    return wait_until(page, ready, what)[1]


SCRIPT_STATE = "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"


def settle(page, quiet_ms: int = 800, within_ms: int = 20_000) -> None:
    """Wait (at most within_ms) until the app's script has not been running for quiet_ms, as a person waits
    for the page to stop changing before the next click; a page that keeps rerunning (playing) is left."""
    quiet = waited = 0
    while quiet < quiet_ms and waited < within_ms:
        try:
            running = page.evaluate(SCRIPT_STATE) != "notRunning"
        except Exception:  # navigating
            running = True
        quiet = 0 if running else quiet + 100
        page.wait_for_timeout(100)
        waited += 100


def test_map_filter_download_and_screenshot(page, app) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    n_all = wait_for_map(page)
    assert n_all > 0
    frame = map_frame(page)
    assert frame.evaluate("document.querySelectorAll('.leaflet-overlay-pane canvas').length") >= 1
    count_attr = frame.evaluate("document.querySelector('#map_div').getAttribute('data-claims-count')")
    assert count_attr == str(n_all)
    page.wait_for_timeout(500)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)

    side = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Side").first
    side.get_by_role("button", name="Remove GNA").click()
    n_filtered = wait_until(page, lambda: (lambda n: n if n is not None and n != n_all else None)(
        _safe(shown_count, page)), "the count to change after the faction filter")
    assert n_filtered < n_all
    assert wait_for_map(page, n_filtered) == n_filtered

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    download = info.value
    assert download.suggested_filename.endswith(".geojson")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == n_filtered == drawn_points(page)
    assert all(f["properties"].get("side") != "GNA" for f in data["features"])
    # Exactly the claims the filter keeps, by id: every stored claim whose side is not GNA.
    conn = open_db(app[1])
    try:
        stored = load_claims_frame(conn)
    finally:
        conn.close()
    expected = set(stored.loc[stored["side"] != "GNA", "claim_id"])
    assert {f["properties"]["claim_id"] for f in data["features"]} == expected
    for f in data["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert 9 < lon < 26 and 19 < lat < 34  # RFC 7946 order, inside Libya

    # Offline: nothing but map tiles was asked of the outside world.
    tiles = re.compile(r"https://[a-z.]*tile\.openstreetmap\.org/")
    assert all(tiles.match(u) for u in page.blocked), page.blocked[:5]
    assert not page.dialogs


def _safe(fn, *args):
    try:
        return fn(*args)
    except Exception:
        return None

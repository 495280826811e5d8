"""Phone and desktop layouts (with screenshots), the play button, the shareable URL, a table row centring
the map, and the Arabic interface, in offline headless Chromium."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from conftest import open_offline_page
from test_browser_dashboard import TIMEOUT_MS, map_frame, shown_count, wait_for_map, wait_until

from dashboard.filters import Filters, apply_filters
from dashboard.views import claims_table
from pipeline.store import load_claims_frame, open_db

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}




def show_map(page) -> object:
    """Scroll the map into view; its frame."""
    frame = map_frame(page)
    frame.frame_element().scroll_into_view_if_needed()
    page.wait_for_timeout(600)
    return frame


def as_of_text(page) -> str:
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="As of").first
    return slider.locator('[data-testid="stSliderThumbValue"]').inner_text().strip()


def test_desktop_and_phone_layouts(browser, app_url: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport, wide in (("desktop", DESKTOP, True), ("phone", PHONE, False)):
        context, page, errors = open_offline_page(browser, app_url, viewport, is_mobile=not wide, has_touch=not wide)
        try:
            n = wait_for_map(page)
            assert n > 0
            page.wait_for_timeout(800)
            page.screenshot(path=str(SHOTS / f"{name}.png"))
            frame = show_map(page)
            state = frame.evaluate("""() => ({
                legendOpen: document.querySelector('details.mihwar-legend').open,
                layersOpen: !!document.querySelector('.leaflet-control-layers-expanded'),
                mapWidth: window.map_div.getSize().x, labels: window.mihwar.labels,
                areas: window.mihwar.areas, attribution: document.querySelector('.leaflet-control-attribution').textContent
            })""")
            assert state["legendOpen"] is wide and state["layersOpen"] is wide
            assert state["labels"] > 0 and state["areas"] > 0
            assert "OpenStreetMap" not in state["attribution"]  # no tile was loaded, so no tile credit
            page.screenshot(path=str(SHOTS / f"{name}_map.png"))
            # A claim's popup fits inside the map.
            box = frame.evaluate("""() => {
                let f = null;
                window.map_div.setZoom(14, {animate: false});
                window.map_div.eachLayer(l => { if (!f && l.feature && l.getPopup && l.getPopup()) f = l; });
                window.map_div.setView(f.getLatLng(), 14, {animate: false});
                f.openPopup();
                const r = document.querySelector('.leaflet-popup').getBoundingClientRect();
                return {left: r.left, right: r.right, width: r.width};
            }""")
            page.wait_for_timeout(700)
            box = frame.evaluate("""() => { const r = document.querySelector('.leaflet-popup').getBoundingClientRect();
                                            return {left: r.left, right: r.right, width: r.width}; }""")
            assert box["width"] <= state["mapWidth"] and box["left"] >= 0 and box["right"] <= state["mapWidth"]
            page.screenshot(path=str(SHOTS / f"{name}_popup.png"))
            assert not errors, errors
        finally:
            context.close()


def test_play_button_steps_to_the_last_date_and_stops(browser, app_url: str) -> None:
    context, page, errors = open_offline_page(browser, f"{app_url}/?asof=2020-05-20", DESKTOP)
    try:
        wait_for_map(page)
        assert as_of_text(page) == "2020-05-20"
        before = shown_count(page)
        page.get_by_role("button", name="▶ Play").click()
        page.get_by_role("button", name="⏸ Pause").wait_for(timeout=TIMEOUT_MS)
        wait_until(page, lambda: as_of_text(page) == "2020-05-27", "the first step (a week)")
        page.get_by_role("button", name="▶ Play").wait_for(timeout=TIMEOUT_MS)  # stopped at the end
        assert as_of_text(page) == "2020-06-03"
        after = wait_for_map(page)
        assert after > before  # the claims of 3 June arrived on the map as the date passed
        assert not errors, errors
    finally:
        context.close()


def test_shareable_url_restores_the_filters(browser, page, app_url: str) -> None:
    n_all = wait_for_map(page)
    side = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Side").first
    side.get_by_role("button", name="Remove GNA").click()
    wait_until(page, lambda: "side=" in page.url, "the address bar to hold the side filter")
    n_filtered = wait_for_map(page)
    assert n_filtered < n_all
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query["side"] == ["LNA,none"]
    context, other, errors = open_offline_page(browser, page.url, DESKTOP)
    try:
        assert wait_for_map(other, n_filtered) == n_filtered
        tags = other.locator('[data-testid="stMultiSelect"]').filter(has_text="Side").first.inner_text()
        assert "GNA" not in tags and "LNA" in tags
        assert not errors, errors
    finally:
        context.close()


def test_table_row_click_centres_the_map(page, app) -> None:
    wait_for_map(page)
    conn = open_db(app[1])
    try:
        first = claims_table(apply_filters(load_claims_frame(conn), Filters(include_undated=False))).iloc[0]
    finally:
        conn.close()
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    frame = map_frame(page)

    def centred():
        try:
            c = map_frame(page).evaluate("[window.map_div.getCenter().lat, window.map_div.getCenter().lng, "
                                         "window.map_div.getZoom()]")
        except Exception:
            return None
        return c if abs(c[0] - first["lat"]) < 0.005 and abs(c[1] - first["lon"]) < 0.005 and c[2] == 14 else None

    assert wait_until(page, centred, "the map to centre on the selected claim")
    assert frame is not None
    detail = page.locator('[data-testid="stText"]').filter(has_text=str(first["evidence"])[:40])
    detail.first.wait_for(timeout=TIMEOUT_MS)  # the detail panel shows the whole evidence
    assert detail.first.inner_text().strip() == str(first["evidence"]).strip()


def test_arabic_interface(browser, app_url: str) -> None:
    context, page, errors = open_offline_page(browser, app_url, DESKTOP)
    try:
        n = wait_for_map(page)
        page.get_by_text("العربية").first.click()
        page.get_by_role("heading", name="محور — ادعاءات على جبهة طرابلس").wait_for(timeout=TIMEOUT_MS)
        wait_until(page, lambda: page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=\"stAppViewContainer\"]')).direction") == "rtl",
            "the page to turn right-to-left")
        wait_until(page, lambda: "lang=ar" in page.url, "the address bar to hold the language")
        step = page.locator('[data-testid="stSelectbox"]').filter(has_text="الخطوة").first
        wait_until(page, lambda: step.locator("input").input_value() == "أسبوع", "the play step in Arabic")
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="الادعاءات المعروضة")
        assert int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", "")) == n

        def arabic_map():
            frame = map_frame(page)
            try:
                return frame.evaluate("document.querySelector('details.mihwar-legend summary').textContent "
                                      "+ '|' + window.map_div.getContainer().dir + '|' + window.mihwar.claims")
            except Exception:
                return None
        got = wait_until(page, lambda: (lambda t: t if t and t.startswith("مفتاح") else None)(arabic_map()),
                         "the map legend in Arabic")
        assert got == f"مفتاح الخريطة|rtl|{n}"
        page.wait_for_timeout(800)
        page.screenshot(path=str(SHOTS / "arabic.png"))
        show_map(page)
        page.screenshot(path=str(SHOTS / "arabic_map.png"))
        assert not errors, errors
    finally:
        context.close()


def test_tiles_that_do_not_load_are_dropped_with_a_notice(browser, app_url: str) -> None:
    context, page, errors = open_offline_page(browser, app_url, DESKTOP)  # every non-local request fails
    try:
        n = wait_for_map(page)
        box = page.locator('[data-testid="stCheckbox"]').filter(has_text="Online map tiles").first
        box.click()
        wait_until(page, lambda: box.locator("input").is_checked(), "the tiles switch to turn on")

        def dropped():
            for frame in page.frames:  # while the app reruns, an outgoing map frame may still be listed
                if "streamlit_folium" not in frame.url:
                    continue
                try:
                    notice = frame.evaluate("window.mihwar && window.mihwar.tilesFailed ? "
                                            "document.querySelector('.mihwar-notice').textContent : null")
                except Exception:
                    continue
                if notice:
                    return frame, notice
            return None
        frame, notice = wait_until(page, dropped, "the map to give up on the tiles")
        assert "could not load" in notice
        assert "OpenStreetMap" not in frame.evaluate(
            "document.querySelector('.leaflet-control-attribution').textContent")
        assert frame.evaluate("window.mihwar.claims") == n  # the map itself still draws
        assert not errors, errors
    finally:
        context.close()


def test_density_layer_draws_when_switched_on(browser, app_url: str) -> None:
    context, page, errors = open_offline_page(browser, app_url, DESKTOP)
    try:
        wait_for_map(page)
        page.locator('[data-testid="stCheckbox"]').filter(has_text="Density of claims").first.click()

        def heat():
            try:
                return map_frame(page).evaluate("document.querySelectorAll('canvas.leaflet-heatmap-layer').length")
            except Exception:
                return None
        assert wait_until(page, heat, "the density layer") == 1
        assert not errors, errors
    finally:
        context.close()

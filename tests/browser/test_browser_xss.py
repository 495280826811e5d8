"""Script payloads in an uploaded article's text, title and source never run, popups and tooltips open."""
from __future__ import annotations

import json

import pytest
from test_browser_dashboard import TIMEOUT_MS, map_frame, shown_count, wait_for_map, wait_until

pytestmark = pytest.mark.browser

PAYLOAD = ("<img src=x onerror=window.__xss=1> ${window.__xss=2} `${window.__xss=3}` "
           "</script><script>window.__xss=4</script> \\u0060 <svg onload=window.__xss=6>")
ARTICLE = {
    "title": f"عنوان {PAYLOAD}",
    "text": ("أعلن محمد قنونو، الناطق الرسمي باسم قوات حكومة الوفاق الليبية، الأربعاء، "
             f"{PAYLOAD} السيطرة على مطار طرابلس العالمي جنوبي العاصمة الليبية."),
    "published": "2020-06-10", "source": f"src {PAYLOAD}", "url": "javascript:window.__xss=5",
}

OPEN_ALL = """() => {
    const map = window.map_div;
    map.setZoom(14, {animate: false});  // past the clustering zoom: every claim point is on the map
    let popups = 0, tooltips = 0, withPayload = 0;
    map.eachLayer(layer => {
        if (!layer.feature || !layer.getPopup || !layer.getPopup()) return;
        layer.openPopup(); popups++;
        const content = layer.getPopup().getElement();
        if (content && content.textContent.includes('onerror=window.__xss=1')) withPayload++;
        if (layer.getTooltip && layer.getTooltip()) {
            layer.openTooltip();
            if (layer.getTooltip().getElement()) tooltips++;
        }
    });
    return {popups, tooltips, withPayload};
}"""

PAYLOAD_POINT = """() => {
    let found = null;
    window.map_div.eachLayer(layer => {
        if (!found && layer.feature && layer.getLatLng &&
            String(layer.feature.properties.popup).includes('__xss=1')) {
            window.map_div.setView(layer.getLatLng(), 14, {animate: false});
            found = layer;
        }
    });
    if (!found) return null;
    const p = window.map_div.latLngToContainerPoint(found.getLatLng());
    return {x: p.x, y: p.y};
}"""


def xss_fired(page) -> list[str]:
    fired = []
    for frame in page.frames:
        try:
            if frame.evaluate("typeof window.__xss") != "undefined":
                fired.append(frame.url)
        except Exception:  # a frame that went away
            continue
    return fired


def test_uploaded_payloads_do_not_run(page) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    before = wait_for_map(page)
    data = (json.dumps(ARTICLE, ensure_ascii=False) + "\n").encode("utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        files=[{"name": "xss.jsonl", "mimeType": "application/json", "buffer": data}])
    page.get_by_text("Stored 1 new article").first.wait_for(timeout=TIMEOUT_MS)
    wait_until(page, lambda: (lambda n: n if n and n > before else None)(_count(page)), "the new claims")
    after = wait_for_map(page)
    assert after > before

    frame = map_frame(page)
    opened = frame.evaluate(OPEN_ALL)
    assert opened["popups"] == opened["tooltips"] == after  # every claim point (control areas have no popup)
    assert opened["withPayload"] >= 1, "the payload text should be shown, as text"
    assert frame.evaluate("document.querySelector('.leaflet-popup-content a[href^=\"javascript\"]')") is None

    # A real hover and click on the payload claim's point (the whole map in view, so a click does not scroll).
    frame.frame_element().scroll_into_view_if_needed()
    point = frame.evaluate(PAYLOAD_POINT)
    assert point is not None
    page.wait_for_timeout(300)
    box = frame.frame_element().bounding_box()
    point = frame.evaluate(PAYLOAD_POINT)
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(500)
    texts = frame.evaluate("[...document.querySelectorAll('.leaflet-popup-content')].map(e => e.textContent)")
    assert any("onerror=window.__xss=1" in t for t in texts)

    page.get_by_text("Filtered claims").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    assert xss_fired(page) == []
    assert not page.dialogs


def _count(page) -> int | None:
    try:
        return shown_count(page)
    except Exception:
        return None

"""Every visitor, reload and toggle draws the whole map, not only the first page load of a fresh server."""
from __future__ import annotations

import pytest
from conftest import open_offline_page
from test_browser_dashboard import TIMEOUT_MS, shown_count, wait_for_map, wait_until

pytestmark = pytest.mark.browser


def _checkbox(page, label: str):
    return page.locator('[data-testid="stCheckbox"]').filter(has_text=label).first


def test_second_visitor_and_reload_draw_every_claim(page, browser, app_url: str) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    n = wait_for_map(page)
    assert n > 0
    # A colleague opens the shared link while the first visitor is still there.
    context, second, errors = open_offline_page(browser, app_url)
    try:
        assert wait_for_map(second, n) == n
        assert not errors, errors
    finally:
        context.close()
    # The first visitor reloads the page.
    page.reload()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    assert wait_for_map(page, n) == n


def test_toggle_and_cleared_search_redraw_the_map(page) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    n = wait_for_map(page)
    toggle = _checkbox(page, "Show control layer")
    toggle.click()
    page.wait_for_timeout(500)
    toggle.click()
    assert wait_for_map(page, n) == n

    search = page.get_by_label("Place (English or Arabic)")
    search.fill("Ain Zara")
    search.press("Enter")
    n_place = wait_until(page, lambda: (lambda k: k if k is not None and k != n else None)(_count(page)),
                         "the place search to narrow the claims")
    assert wait_for_map(page, n_place) == n_place
    search.fill("")
    search.press("Enter")
    assert wait_for_map(page, n) == n


def _count(page) -> int | None:
    try:
        return shown_count(page)
    except Exception:
        return None


def test_rejected_upload_keeps_the_map(page, tmp_path) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    n = wait_for_map(page)
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"title": "no closing brace", "text": "اشتباكات في عين زارة"\n', encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    page.get_by_text("nothing was stored", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    assert wait_for_map(page, n) == n

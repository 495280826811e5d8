"""A store naming more places than one map carries: the map groups them into areas, zooming in brings
single places back and zooming out groups them again, each visitor on their own view."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import open_offline_page, running_app
from test_browser_dashboard import drawn_points, map_frame, wait_until

from bench.archive_db import build_archive_db

pytestmark = pytest.mark.browser

PLACES = 3_000  # about 2,400 of them get claims: more than the map's 2,000


@pytest.fixture(scope="module")
def many_places_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("many_places")
    build_archive_db(tmp / "mihwar.db", 20_000, PLACES, text_chars=200)
    with running_app(tmp / "mihwar.db", tmp / "streamlit.log") as url:
        yield url


def notice(page) -> str:
    try:
        return page.locator('[data-testid="stAlert"]').filter(has_text="claims").first.inner_text(timeout=2_000)
    except Exception:  # the page is rerunning
        return ""


def settled(page, pattern: str) -> tuple[re.Match, int]:
    """The notice once it matches `pattern` and the map drew as many points as it names (group 'n')."""
    def ready():
        found = re.search(pattern, notice(page).replace(",", ""))
        drawn = drawn_points(page)
        return (found, drawn) if found and drawn == int(found["n"]) else None
    return wait_until(page, ready, f"the notice /{pattern}/ and as many points on the map")


def move(page, lat: float, lon: float, zoom: int) -> None:
    map_frame(page).evaluate(f"window.map.setView([{lat}, {lon}], {zoom}, {{animate: false}}); null")


def view(page) -> tuple[int, float, float]:
    return tuple(map_frame(page).evaluate("[map.getZoom(), map.getCenter().lat, map.getCenter().lng]"))


GROUPED = r"at (?P<places>\d+) places are more than one map shows: they are grouped into (?P<n>\d+) areas"
CLOSE = r"at (?P<places>\d+) places: showing the (?P<n>\d+) places in and around this view"


def test_zooming_in_shows_single_places_and_zooming_out_groups_them_again(browser, many_places_url: str,
                                                                          tmp_path: Path) -> None:
    context, page, errors = open_offline_page(browser, many_places_url)
    try:
        grouped, cells = settled(page, GROUPED)
        places = int(grouped["places"])
        assert places > 2_000 and 0 < cells <= 2_000

        move(page, 31.2, 12.0, 12)  # a close view on a few villages
        close, shown = settled(page, CLOSE)
        assert int(close["places"]) == places and 0 < shown < cells
        page.wait_for_timeout(1_000)
        assert view(page)[0] == 12  # new data for the view does not move the map away from it
        page.screenshot(path=str(tmp_path / "zoomed_in.png"))

        # A colleague opening the link meanwhile sees the whole map, grouped; the first view is untouched.
        other, second, other_errors = open_offline_page(browser, many_places_url, viewport={"width": 390, "height": 844},
                                                        is_mobile=True, has_touch=True)
        try:
            assert int(settled(second, GROUPED)[0]["places"]) == places
            assert not other_errors, other_errors
        finally:
            other.close()
        assert re.search(CLOSE, notice(page).replace(",", "")) and drawn_points(page) == shown

        move(page, 31.5, 13.0, 6)  # back out to the country
        assert settled(page, GROUPED)[1] == cells
        assert not errors, errors
    finally:
        context.close()


def test_a_map_opened_on_few_places_follows_the_view_once_they_are_many(browser, many_places_url: str) -> None:
    """A shared link narrowed to fewer than 2,000 places, then widened: the same map starts following."""
    context, page, errors = open_offline_page(browser, many_places_url + "/?q=Place%201")
    try:
        wait_until(page, lambda: (drawn_points(page) or 0) > 0 and "places" in notice(page), "the narrowed map")
        assert not re.search(GROUPED, notice(page).replace(",", ""))
        search = page.get_by_label("Place (English or Arabic)")
        search.fill("")
        search.press("Enter")
        _grouped, cells = settled(page, GROUPED)
        move(page, 31.2, 12.0, 12)
        _close, shown = settled(page, CLOSE)
        assert 0 < shown < cells
        assert not errors, errors
    finally:
        context.close()

"""The map follows the visitor's view when the filtered claims name more places than one map carries: the
view the map reports, the area around it that gets filled, and the layers made for that area."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from test_queries import write_frame

from dashboard import queries as q
from dashboard.areas import areas_within, control_areas
from dashboard.filters import Filters
from dashboard.samples import PLACES, make_claim
from dashboard.schema import normalize_claims
from dashboard.viewport import MIN_STEP_DEG, Box, area_around, current_view, view_of
from pipeline.store import open_db, open_db_readonly


def reported(south: object, west: object, north: object, east: object) -> dict:
    """What streamlit-folium gives back for a map showing this box."""
    return {"bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}}


def test_the_view_the_map_reports_is_read_as_a_box():
    assert view_of(reported(32.5, 12.6, 33.1, 13.9)) == Box(32.5, 12.6, 33.1, 13.9)
    assert view_of(reported(-95, -200, 95, 400)) == Box(-90.0, -180.0, 90.0, 180.0)  # clamped to the globe


@pytest.mark.parametrize("value", [
    None, "bounds", {}, {"bounds": None}, {"bounds": {"_southWest": {"lat": 1, "lng": 2}}},
    reported("32.5", 12.6, 33.1, 13.9), reported(math.nan, 12.6, 33.1, 13.9), reported(32.5, math.inf, 33.1, 13.9),
    reported(True, 12.6, 33.1, 13.9), reported(33.1, 12.6, 32.5, 13.9), reported(32.5, 13.9, 33.1, 12.6),
    reported(10**400, 12.6, 33.1, 13.9),
])
def test_a_missing_or_malformed_view_is_no_view(value):
    assert view_of(value) is None


def test_a_reported_view_counts_until_the_map_is_fitted_to_other_places():
    state: dict = {}
    tripoli = ("en", False, [[32.7, 13.0], [33.0, 13.4]])
    assert current_view(state, tripoli) is None  # the first run: no view reported yet
    state["map"] = reported(32.80, 13.10, 32.90, 13.30)  # the visitor zoomed in
    assert current_view(state, tripoli) == Box(32.80, 13.10, 32.90, 13.30)
    assert current_view(state, tripoli) == Box(32.80, 13.10, 32.90, 13.30)  # a rerun
    # A filter with other places: the map is fitted to them, so the old view no longer says what is shown.
    libya = ("en", False, [[30.0, 10.0], [33.0, 15.0]])
    assert current_view(state, libya) is None
    state["map"] = reported(30.5, 10.5, 32.5, 14.5)  # what the refitted map reports
    assert current_view(state, libya) == Box(30.5, 10.5, 32.5, 14.5)
    # Another language: a new map, fitted anew.
    assert current_view(state, ("ar", False, libya[2])) is None


def test_the_area_holds_the_view_with_room_around_it():
    view = Box(32.70, 13.00, 32.95, 13.40)
    area = area_around(view)
    assert area.south < view.south and area.west < view.west and area.north > view.north and area.east > view.east
    assert area.north - area.south <= 4 * (view.east - view.west) + 1e-9  # at most a step on each side


def test_a_small_pan_keeps_the_area_and_zooming_changes_it():
    view = Box(32.70, 13.00, 32.95, 13.40)
    assert area_around(Box(32.71, 13.02, 32.96, 13.42)) == area_around(view)
    closer = area_around(Box(32.80, 13.15, 32.86, 13.25))
    farther = area_around(Box(31.0, 11.0, 34.0, 16.0))
    size = lambda b: (b.north - b.south) * (b.east - b.west)  # noqa: E731
    assert size(closer) < size(area_around(view)) < size(farther)


def test_a_view_with_no_place_in_its_area_says_so(conn):
    f = Filters()
    summary = q.place_summary(conn, f)
    sea = q.area_to_fill(summary, Box(34.0, 15.0, 34.1, 15.1), max_places=3)
    layers = q.map_layers_for(conn, f, summary, max_points=0, max_places=3, area=sea)
    assert layers.claims["features"] == [] and layers.heat == ()
    assert layers.message == "14 claims at 4 places, none of them in or around this view. Zoom out or pan to see them."


def test_a_tiny_view_still_gets_the_smallest_step_around_it():
    area = area_around(Box(32.8133, 13.2697, 32.8133, 13.2697))
    assert area.north - area.south >= MIN_STEP_DEG and area.east - area.west >= MIN_STEP_DEG


def claims_at(counts: dict[str, int]) -> pd.DataFrame:
    rows = [make_claim(f"{pid}{i}", pid, "GNA" if i % 2 else "LNA", "control", f"2020-06-{i % 28 + 1:02d}",
                       article_id=f"a{pid}{i}") for pid, n in counts.items() for i in range(n)]
    return normalize_claims(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("viewport") / "v.db"
    writer = open_db(path)
    write_frame(writer, claims_at({"ain_zara": 5, "tripoli": 4, "tripoli_airport": 3, "wadi_rabie": 2}))
    writer.close()
    reader = open_db_readonly(path)
    yield reader
    reader.close()


def around(place_id: str) -> Box:
    """A close view centred on a sample place."""
    _name, _ar, lat, lon = PLACES[place_id]
    return Box(lat - 0.002, lon - 0.002, lat + 0.002, lon + 0.002)


def test_only_more_places_than_the_map_carries_make_the_map_follow_the_view(conn):
    summary = q.place_summary(conn, Filters())
    assert q.follows_view(summary, max_places=3)
    assert not q.follows_view(summary, max_places=4)
    assert q.area_to_fill(summary, around("ain_zara"), max_places=4) is None  # four places: all drawn
    assert q.area_to_fill(summary, None, max_places=3) is None  # no view reported yet: all drawn
    assert q.area_to_fill(summary, Box(30, 10, 35, 16), max_places=3) is None  # the area holds every place
    assert q.area_to_fill(summary, around("ain_zara"), max_places=3) == area_around(around("ain_zara"))


def test_a_close_view_draws_the_places_around_it_and_keeps_the_filters_bounds(conn):
    f = Filters()
    summary = q.place_summary(conn, f)
    everything = q.map_layers_for(conn, f, summary, max_points=0, max_places=3)
    area = q.area_to_fill(summary, around("ain_zara"), max_places=3)
    close = q.map_layers_for(conn, f, summary, max_points=0, max_places=3, area=area)
    feature = close.claims["features"]
    assert [x["properties"]["id"] for x in feature] == ["ain_zara"]
    assert feature[0]["properties"]["n"] == 5 and feature[0]["properties"]["sides"] == [["LNA", 3], ["GNA", 2]]
    assert "showing the 1 places in and around this view" in close.message and "14 claims at 4 places" in close.message
    assert close.bounds == everything.bounds  # the map is not fitted again when the view moves
    assert [(lat, lon) for lat, lon, _n in close.heat] == [(PLACES["ain_zara"][2], PLACES["ain_zara"][3])]
    assert "Zoom in to see single places" in everything.message  # four places in cells of the grid


def test_a_view_with_still_too_many_places_groups_them_into_cells(conn):
    f = Filters()
    summary = q.place_summary(conn, f)
    view = Box(32.655, 13.15, 32.735, 13.32)  # the airport and Wadi al-Rabie; around them Ain Zara, not Tripoli
    area = q.area_to_fill(summary, view, max_places=1)
    assert area is not None and not area.holds(pd.Series([PLACES["tripoli"][2]]), pd.Series([PLACES["tripoli"][3]])).all()
    layers = q.map_layers_for(conn, f, summary, max_points=0, max_places=1, area=area)
    assert sum(x["properties"]["n"] for x in layers.claims["features"]) == 10  # 3 + 2 + 5, none of Tripoli's 4
    assert "the 3 places in and around this view are shown as" in layers.message


def test_control_areas_are_cut_to_those_meeting_the_area(conn):
    f = Filters()
    summary = q.place_summary(conn, f)
    areas = control_areas(q.control_as_of(conn, f, dt.date(2020, 6, 30)))
    assert len(areas["features"]) == 4 and all(len(x["bbox"]) == 4 for x in areas["features"])
    area = q.area_to_fill(summary, around("tripoli"), max_places=3)
    close = q.map_layers_for(conn, f, summary, max_points=0, max_places=3, areas=areas, area=area)
    kept = close.control["features"]
    assert 0 < len(kept) < 4
    assert all(w <= area.east and e >= area.west and s <= area.north and n >= area.south for w, s, e, n in
               (x["bbox"] for x in kept))
    assert q.map_layers_for(conn, f, summary, max_points=0, max_places=3, areas=areas).control == areas


def test_an_area_without_a_bounding_box_is_kept():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"side": "GNA"}},
        {"type": "Feature", "bbox": [20.0, 30.0, 21.0, 31.0], "geometry": None, "properties": {"side": "LNA"}},
        {"type": "Feature", "bbox": [13.0, 32.0, 13.5, 33.0], "geometry": None, "properties": {"side": "LNA"}},
    ]}
    kept = areas_within(fc, Box(32.5, 13.2, 32.9, 13.4))["features"]
    assert [x.get("bbox") for x in kept] == [None, [13.0, 32.0, 13.5, 33.0]]

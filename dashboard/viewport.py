"""What part of the map the visitor looks at: the view the map reports back, and the area around it the
dashboard fills with places when the filtered claims name more places than one map should carry.

The area is the view padded on every side and snapped to a grid whose step follows the view's size, so a
small pan or a page at another width keeps the same area (and the same cached map layers); zooming in or
out by a level changes it.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

import pandas as pd

MIN_STEP_DEG = 1 / 64  # about 1.7 km: a closer view still gets an area of at least this step around it


@dataclass(frozen=True)
class Box:
    """A latitude/longitude box in degrees (south <= north, west <= east)."""

    south: float
    west: float
    north: float
    east: float

    def holds(self, lat: pd.Series, lon: pd.Series) -> pd.Series:
        """Which of these points are in the box (edges included)."""
        return lat.between(self.south, self.north) & lon.between(self.west, self.east)

    def covers(self, lat: pd.Series, lon: pd.Series) -> bool:
        """Whether every one of these points is in the box."""
        return bool(self.holds(lat, lon).all())


def _number(value: object) -> float | None:
    """A finite float from a JSON number, else None (booleans, strings and numbers past a float's range too)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def view_of(state: object) -> Box | None:
    """The view a map reported (streamlit-folium's value: {"bounds": {"_southWest": {"lat", "lng"},
    "_northEast": {...}}}), clamped to the globe; None when there is none or it is malformed (the value
    comes from the browser)."""
    if not isinstance(state, Mapping):
        return None
    bounds = state.get("bounds")
    if not isinstance(bounds, Mapping):
        return None
    corners = []
    for key in ("_southWest", "_northEast"):
        corner = bounds.get(key)
        if not isinstance(corner, Mapping):
            return None
        lat, lng = _number(corner.get("lat")), _number(corner.get("lng"))
        if lat is None or lng is None:
            return None
        corners.append((min(max(lat, -90.0), 90.0), min(max(lng, -180.0), 180.0)))
    (south, west), (north, east) = corners
    if south > north or west > east:
        return None
    return Box(south, west, north, east)


def current_view(state: MutableMapping, fitted: object, key: str = "map") -> Box | None:
    """The view the map reported (`state[key]`, a visitor's session state) if it still holds: the map is
    the same and fitted to the same bounds as when the last run drew it (`fitted`, e.g. the language, the
    tiles and the data's bounds; remembered in `state`). None when they changed: the map is refitted (or
    built anew) and reports its new view after that."""
    same_fit = state.get(key + "_fitted") == fitted
    state[key + "_fitted"] = fitted
    return view_of(state.get(key)) if same_fit else None


def area_around(view: Box) -> Box:
    """The view padded by half to a whole step on each side, on a grid of half steps, where the step is the
    smallest power of two degrees (at least MIN_STEP_DEG) not below the view's larger side."""
    side = max(view.north - view.south, view.east - view.west, MIN_STEP_DEG)
    step = max(2.0 ** math.ceil(math.log2(side)), MIN_STEP_DEG)
    unit = step / 2
    return Box(math.floor(view.south / unit) * unit - unit, math.floor(view.west / unit) * unit - unit,
               math.ceil(view.north / unit) * unit + unit, math.ceil(view.east / unit) * unit + unit)

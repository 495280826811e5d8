"""Place labels drawn offline on the map: gazetteer towns and front-line places, more of them as you zoom in."""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from gazetteer.records import Place, default_places

# The Tripoli front (south of the capital to Gharyan and Tarhuna): its villages and suburbs get labels too.
FRONT_BBOX = (32.2, 12.5, 33.0, 13.9)  # south, west, north, east
SKIPPED_KINDS = frozenset({"region", "road", "front"})
# (least importance, zoom from which the label shows), most important first.
ZOOM_BY_IMPORTANCE: tuple[tuple[float, int], ...] = ((0.85, 5), (0.75, 7), (0.6, 9), (0.5, 10))
FRONT_ZOOM = 11
CLAIM_PLACE_ZOOM = 10


def min_zoom(place: Place) -> int | None:
    """The zoom from which a place's label shows, or None when it gets no label."""
    if place.kind in SKIPPED_KINDS:
        return None
    for least, zoom in ZOOM_BY_IMPORTANCE:
        if place.importance >= least:
            return zoom
    south, west, north, east = FRONT_BBOX
    if south <= place.lat <= north and west <= place.lon <= east:
        return FRONT_ZOOM
    return None


@lru_cache(maxsize=1)
def _gazetteer_labels() -> tuple[tuple[float, float, str, str, int, str, float], ...]:
    out = []
    for p in default_places():
        zoom = min_zoom(p)
        if zoom is not None:
            out.append((round(p.lat, 4), round(p.lon, 4), p.name, p.name_ar, zoom, p.id, p.importance))
    return tuple(out)


def place_labels(front_place_ids: Iterable[str] = ()) -> list[list]:
    """Labels as [lat, lon, name, name_ar, min_zoom], most prominent first (the map drops a label that
    would overlap an earlier one), one per name.

    Gazetteer places by importance (cities from zoom 5, towns from 7-10, villages and suburbs of the
    Tripoli front from 11); places named in the shown claims (`front_place_ids`) from zoom 10 at the latest.
    """
    front = set(front_place_ids)
    labels = []
    for lat, lon, name, name_ar, zoom, pid, importance in _gazetteer_labels():
        if pid in front:
            zoom = min(zoom, CLAIM_PLACE_ZOOM)
        labels.append([lat, lon, name, name_ar, zoom, importance])
    labels.sort(key=lambda r: (r[4], -r[5], r[2]))
    seen: set[str] = set()
    unique = []
    for row in labels:
        if row[2] not in seen:
            seen.add(row[2])
            unique.append(row[:5])
    return unique

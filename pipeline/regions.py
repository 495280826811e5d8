"""Libya's first-level regions (admin1) by point in polygon on the dashboard's region file."""
from __future__ import annotations

import json
from functools import cache
from importlib import resources

import shapely
from shapely.geometry import shape

REGIONS_FILE = ("dashboard", "data/libya_admin1.geojson")


@cache
def _regions() -> tuple[shapely.STRtree, tuple[str, ...], tuple]:
    package, name = REGIONS_FILE
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    feats = json.loads(text)["features"]
    geoms = tuple(shape(f["geometry"]) for f in feats)
    names = tuple(str(f["properties"].get("name") or "") for f in feats)
    return shapely.STRtree(geoms), names, geoms


@cache
def admin1_of(lat: float, lon: float) -> str:
    """The name of the region holding the point, or '' outside Libya's regions."""
    tree, names, _ = _regions()
    hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
    return names[int(min(hits))] if len(hits) else ""

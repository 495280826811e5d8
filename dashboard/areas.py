"""Control as areas: a Voronoi cell around each held place, clipped to Libya and to a radius from the place.

The way front-line maps show control: every place with a holder (dashboard.control.control_as_of) gets the
part of the country nearer to it than to any other held place, but no farther than `radius_km`; the cell
takes the holder's side and is marked contested when the other side contests the place. Places at the same
spot share one cell (contested when their holders differ).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, shape
from shapely.ops import unary_union

from dashboard.gcpause import paused_gc
from dashboard.schema import side_label
from dashboard.viewport import Box

OUTLINE_FILE = files("dashboard") / "data" / "libya_outline.geojson"
DEFAULT_RADIUS_KM = 8.0
_KM_PER_DEG = 111.32
METHOD_NOTE = ("Areas: the land nearer to a held place than to any other held place (Voronoi cells), "
               "at most {radius:g} km from it, clipped to Libya; hatched and dashed where the other side "
               "contests it. Holder = latest control/repelled claim on or before the date.")


@lru_cache(maxsize=1)
def libya_shape() -> Any:
    """The Libya outline as a shapely (Multi)Polygon in lon/lat degrees."""
    fc = json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))
    return unary_union([shape(f["geometry"]) for f in fc["features"]]).buffer(0)


def _to_plane(geom: Any, lat0: float) -> Any:
    k = math.cos(math.radians(lat0))
    return shapely.transform(geom, lambda xy: xy * [k, 1.0])


def _from_plane(geom: Any, lat0: float) -> Any:
    k = math.cos(math.radians(lat0))
    return shapely.transform(geom, lambda xy: xy / [k, 1.0])


def control_cells(control: pd.DataFrame, radius_km: float = DEFAULT_RADIUS_KM) -> list[dict]:
    """One row per held spot: lat, lon, side ('GNA'/'LNA'), contested (bool), places (rows), geometry.

    `control` is a control_as_of() frame. The geometry is a shapely polygon in lon/lat degrees: the
    spot's Voronoi cell among all held spots, intersected with a circle of `radius_km` and the Libya
    outline. Spots whose cell is empty after clipping (outside Libya) are left out.
    """
    if control is None or control.empty:
        return []
    groups: dict[tuple[float, float], list[dict]] = {}
    for row in control.to_dict("records"):
        groups.setdefault((round(float(row["lat"]), 5), round(float(row["lon"]), 5)), []).append(row)
    spots = []
    for (lat, lon), rows in sorted(groups.items()):
        holders = {side_label(r["holder"]) for r in rows}
        latest = max(rows, key=lambda r: pd.Timestamp(r["since"]) if not pd.isna(r["since"]) else pd.Timestamp.min)
        spots.append({
            "lat": lat, "lon": lon, "side": side_label(latest["holder"]),
            "contested": any(bool(r["contested"]) for r in rows) or len(holders) > 1, "places": rows,
        })
    lat0 = sum(s["lat"] for s in spots) / len(spots)
    outline = _to_plane(libya_shape(), lat0)
    radius = radius_km / _KM_PER_DEG
    points = shapely.points([[s["lon"] * math.cos(math.radians(lat0)), s["lat"]] for s in spots])
    if len(points) == 1:
        cells = [shapely.buffer(points[0], radius)]
    else:
        envelope = MultiPoint(points).envelope.buffer(radius * 4)
        regions = shapely.voronoi_polygons(MultiPoint(points), extend_to=envelope, ordered=True)
        cells = list(regions.geoms)  # ordered: the i-th region is the i-th point's
    circles = shapely.buffer(points, radius, quad_segs=6)
    shapely.prepare(outline)
    clipped = shapely.intersection(cells, circles)
    border = ~shapely.contains_properly(outline, clipped)  # only cells near the coast or a border need cutting
    clipped[border] = shapely.intersection(clipped[border], outline)
    keep = ~shapely.is_empty(clipped) & (shapely.area(clipped) > 0)
    back = _from_plane(clipped[keep], lat0)
    return [spot | {"geometry": geom} for spot, geom in zip([s for s, k in zip(spots, keep, strict=True) if k], back,
                                                             strict=True)]


def control_areas(control: pd.DataFrame, radius_km: float = DEFAULT_RADIUS_KM, precision: int = 3) -> dict:
    """GeoJSON FeatureCollection of the control cells (properties: side, contested, places = how many).

    No article text: the areas are not interactive (the control table and the claims' popups say more).
    """
    with paused_gc():
        return _control_areas(control, radius_km, precision)


def _control_areas(control: pd.DataFrame, radius_km: float, precision: int) -> dict:
    cells = control_cells(control, radius_km)
    if not cells:
        return {"type": "FeatureCollection", "features": []}
    # Rounded for the map (about 100 m at 3 decimals): a drawing, not a topology, so no repair is needed.
    geoms = shapely.transform(np.array([c["geometry"] for c in cells], dtype=object),
                              lambda xy: np.round(xy, precision))
    keep = ~shapely.is_empty(geoms)
    texts = shapely.to_geojson(geoms[keep])
    shapes = json.loads("[" + ",".join(texts) + "]")  # one parse for all areas
    boxes = shapely.bounds(geoms[keep]).round(precision).tolist()  # west, south, east, north
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "bbox": box, "geometry": geometry,
         "properties": {"side": cell["side"], "contested": cell["contested"], "places": len(cell["places"])}}
        for cell, geometry, box in zip([c for c, k in zip(cells, keep, strict=True) if k], shapes, boxes,
                                       strict=True)
    ]}


def areas_within(fc: dict, area: Box) -> dict:
    """The control areas (control_areas) whose bounding box meets `area` (an area with no bbox is kept)."""
    def meets(box: list[float] | None) -> bool:
        if not box:
            return True
        west, south, east, north = box
        return west <= area.east and east >= area.west and south <= area.north and north >= area.south
    return {"type": "FeatureCollection", "features": [f for f in fc["features"] if meets(f.get("bbox"))]}


def pack_areas(fc: dict, scale: int = 1000) -> list[list]:
    """The control areas compactly, for the map: one [side, contested, polygons] per area, each polygon a
    list of rings, each ring a flat list of integers: lat and lon times `scale`, the first pair absolute and
    the others as differences from the previous pair (the map's script undoes this)."""
    out = []
    for f in fc["features"]:
        geom = f["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        packed = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                flat: list[int] = []
                prev = (0, 0)
                for lon, lat in ring[:-1]:  # Leaflet closes rings itself
                    cur = (round(lat * scale), round(lon * scale))
                    flat += [cur[0] - prev[0], cur[1] - prev[1]]
                    prev = cur
                rings.append(flat)
            packed.append(rings)
        out.append([f["properties"]["side"], bool(f["properties"]["contested"]), packed])
    return out


def unpack_ring(flat: list[int], scale: int = 1000) -> list[tuple[float, float]]:
    """(lat, lon) pairs of one packed ring (what the map's script computes)."""
    pts, lat, lon = [], 0, 0
    for i in range(0, len(flat), 2):
        lat, lon = lat + flat[i], lon + flat[i + 1]
        pts.append((lat / scale, lon / scale))
    return pts

"""Bound the map's size: when the shown claims name more places than the map should carry, group the places
into square grid cells (the smallest cell size, doubling from `START_DEG`, that gives at most the limit) and
let each cell stand as one place: at its most-claimed place, named after it with how many others it holds.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

START_DEG = 0.01  # about 1 km; doubled until the cells are few enough
CELL_COLUMNS = ("place_id", "place", "place_ar", "lat", "lon")


@dataclass(frozen=True)
class Gridded:
    """Claims relabelled so that each grid cell is one place; `cell_deg` is 0 when nothing was grouped."""

    claims: pd.DataFrame
    places: int  # distinct located places before grouping
    cells: int  # places (cells) after grouping
    cell_deg: float


@dataclass(frozen=True)
class Cells:
    """Per-place rows (index place_id; lat, lon, n, place, place_ar) grouped into grid cells: `of_place`
    gives each place its cell's CELL_COLUMNS (index place_id); `cell_deg` is 0 when nothing was grouped."""

    of_place: pd.DataFrame
    count: int
    cell_deg: float


def cells_of(per_place: pd.DataFrame, limit: int) -> Cells | None:
    """The grid cells of these places (index place_id; lat, lon, n, place, place_ar) when there are more
    than `limit` of them, else None."""
    if len(per_place) <= limit or limit < 1:
        return None
    cell = START_DEG
    while True:
        rows_ = np.floor(per_place["lat"] / cell).astype(np.int64)
        cols_ = np.floor(per_place["lon"] / cell).astype(np.int64)
        keys = rows_ * 1_000_000 + (cols_ - cols_.min())
        if keys.nunique() <= limit:
            break
        cell *= 2
    per_place = per_place.assign(cell=keys)
    top = (per_place.reset_index().sort_values(["n", "place"], ascending=[False, True], kind="stable")
           .drop_duplicates("cell").set_index("cell"))
    others = per_place.groupby("cell").size() - 1
    suffix = others.map(lambda k: f" + {k} nearby" if k else "")
    cells = pd.DataFrame({
        "place_id": "cell:" + top["place_id"].astype(str), "place": top["place"].astype(str) + suffix[top.index],
        "place_ar": top["place_ar"], "lat": top["lat"], "lon": top["lon"],
    })
    return Cells(cells.loc[per_place["cell"]].set_axis(per_place.index), len(cells), cell)


def grid_places(claims: pd.DataFrame, limit: int) -> Gridded:
    """The claims with place_id/place/place_ar/lat/lon replaced by their grid cell's, when they name more
    than `limit` located places; else the claims unchanged. Unlocated claims are left as they are."""
    lat = pd.to_numeric(claims["lat"], errors="coerce")
    lon = pd.to_numeric(claims["lon"], errors="coerce")
    located = lat.notna() & lon.notna()
    per_place = (claims.loc[located].assign(_lat=lat[located], _lon=lon[located])
                 .groupby("place_id", sort=True)
                 .agg(lat=("_lat", "first"), lon=("_lon", "first"), n=("_lat", "size"),
                      place=("place", "first"), place_ar=("place_ar", "first")))
    cells = cells_of(per_place, limit)
    if cells is None:
        return Gridded(claims, len(per_place), len(per_place), 0.0)
    ids = claims.loc[located, "place_id"]
    out = claims.copy()
    for col in CELL_COLUMNS:
        values = ids.map(cells.of_place[col]).to_numpy()
        if col in ("lat", "lon"):
            out.loc[located, col] = values.astype(float)
        else:
            out[col] = out[col].astype(object)
            out.loc[located, col] = values
    return Gridded(out, len(per_place), cells.count, cells.cell_deg)

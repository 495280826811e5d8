"""Control areas: Voronoi cells around held places, in the holder's colour, inside Libya, marked when contested."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from shapely.geometry import Point, shape

from dashboard.areas import control_areas, control_cells, libya_shape, pack_areas, unpack_ring
from dashboard.control import control_as_of
from dashboard.samples import make_claim, seed_like_claims, synthetic_claims
from dashboard.schema import normalize_claims


def seed_cells() -> list[dict]:
    return control_cells(control_as_of(seed_like_claims(), dt.date(2020, 6, 4)))


def test_a_place_held_by_gna_gets_a_gna_cell_containing_it() -> None:
    cells = seed_cells()
    airport = next(c for c in cells if any(r["place_id"] == "tripoli_airport" for r in c["places"]))
    assert airport["side"] == "GNA"
    assert airport["geometry"].contains(Point(13.159, 32.6635))
    zara = next(c for c in cells if any(r["place_id"] == "ain_zara" for r in c["places"]))
    assert zara["side"] == "LNA" and zara["geometry"].contains(Point(13.2697, 32.8133))


def test_cells_do_not_leave_libya_or_overlap() -> None:
    cells = control_cells(control_as_of(synthetic_claims(3000, n_places=80), dt.date(2020, 6, 4)))
    assert len(cells) > 20
    libya = libya_shape().buffer(1e-6)
    for cell in cells:
        assert libya.contains(cell["geometry"])
    for i, a in enumerate(cells):
        for b in cells[i + 1:]:
            assert a["geometry"].intersection(b["geometry"]).area < 1e-9


def test_cells_reach_no_farther_than_the_radius() -> None:
    for cell in control_cells(control_as_of(seed_like_claims(), dt.date(2020, 6, 4)), radius_km=5):
        _minx, miny, _maxx, maxy = cell["geometry"].bounds
        assert maxy - miny <= 2 * 5 / 111.32 + 1e-6


def test_contested_cells_are_marked() -> None:
    fc = control_areas(control_as_of(seed_like_claims(), dt.date(2020, 6, 4)))
    by_place = {}
    for f in fc["features"]:
        geom = shape(f["geometry"])
        for pid, lat, lon in (("tripoli_airport", 32.6635, 13.159), ("ain_zara", 32.8133, 13.2697)):
            if geom.contains(Point(lon, lat)):
                by_place[pid] = f["properties"]
    assert by_place["tripoli_airport"]["contested"] is True  # the LNA says it repelled the GNA there
    assert by_place["ain_zara"]["contested"] is False


def test_places_at_one_spot_with_different_holders_share_a_contested_cell() -> None:
    rows = [make_claim("a", "ain_zara", "LNA", "control", "2020-05-01"),
            make_claim("b", "ain_zara", "GNA", "control", "2020-05-02")]
    df = normalize_claims(pd.DataFrame(rows))
    df.loc[1, "place_id"] = "ain_zara_2"  # another gazetteer entry at the same spot
    control = control_as_of(df, dt.date(2020, 5, 3), window_days=0)
    (cell,) = control_cells(control)
    assert cell["contested"] and cell["side"] == "GNA" and len(cell["places"]) == 2


def test_no_control_no_areas() -> None:
    assert control_areas(control_as_of(seed_like_claims().iloc[0:0], dt.date(2020, 6, 4)))["features"] == []


def test_a_place_at_sea_gets_no_cell() -> None:
    rows = [make_claim("a", "ain_zara", "LNA", "control", "2020-05-01", lat=34.5, lon=14.0)]
    control = control_as_of(normalize_claims(pd.DataFrame(rows)), dt.date(2020, 5, 3))
    assert control_cells(control) == []


def test_packed_areas_give_back_the_rings() -> None:
    fc = control_areas(control_as_of(seed_like_claims(), dt.date(2020, 6, 4)))
    packed = pack_areas(fc)
    assert [(side, contested) for side, contested, _ in packed] == [
        (f["properties"]["side"], f["properties"]["contested"]) for f in fc["features"]]
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    back = unpack_ring(packed[0][2][0][0])
    assert len(back) == len(ring) - 1
    assert all(abs(a - lat) < 1e-9 and abs(b - lon) < 1e-9 for (a, b), (lon, lat) in zip(back, ring, strict=False))

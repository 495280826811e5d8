"""Grid cells bound the map when the claims name more places than it should carry."""
from __future__ import annotations

import pandas as pd

from dashboard.grid import grid_places
from dashboard.mapview import map_layers
from dashboard.samples import make_claim, synthetic_claims
from dashboard.schema import normalize_claims


def test_few_places_stay_as_they_are() -> None:
    df = synthetic_claims(300, n_places=20)
    gridded = grid_places(df, limit=20)
    assert gridded.claims is df and gridded.cell_deg == 0 and gridded.cells == gridded.places == 20


def test_many_places_become_at_most_limit_cells_keeping_every_claim() -> None:
    df = synthetic_claims(3000, n_places=1000)
    gridded = grid_places(df, limit=100)
    assert gridded.places == df["place_id"].nunique() and gridded.cells <= 100 < gridded.places
    assert len(gridded.claims) == len(df)
    assert gridded.claims["place_id"].nunique() == gridded.cells
    assert gridded.claims["claim_id"].tolist() == df["claim_id"].tolist()  # only the place columns change
    # Every claim moved less than a cell's diagonal, to a place of its own cell.
    moved = ((gridded.claims["lat"] - df["lat"]) ** 2 + (gridded.claims["lon"] - df["lon"]) ** 2) ** 0.5
    assert moved.max() <= gridded.cell_deg * 2 ** 0.5


def test_a_cell_stands_at_its_most_claimed_place_and_says_how_many_others_it_holds() -> None:
    rows = [make_claim(f"a{i}", "ain_zara", "LNA", "clash", "2020-05-01") for i in range(3)]
    rows += [make_claim("b", "tripoli_airport", "GNA", "control", "2020-05-02"),
             make_claim("c", "tripoli_airport", "GNA", "control", "2020-05-03")]
    df = normalize_claims(pd.DataFrame(rows))
    gridded = grid_places(df, limit=1)
    assert gridded.cells == 1
    (name,) = set(gridded.claims["place"])
    assert name == "Ain Zara + 1 nearby"
    assert set(gridded.claims["lat"]) == {df.loc[df["place_id"] == "ain_zara", "lat"].iloc[0]}


def test_the_map_of_many_places_ships_cells_and_says_so() -> None:
    df = synthetic_claims(4000, n_places=1500)
    places = map_layers(df, max_points=100, max_places=10_000)
    cells = map_layers(df, max_points=100, max_places=200)
    assert places.points == df["place_id"].nunique()
    assert cells.points <= 200 and "areas of about" in cells.message
    assert sum(f["properties"]["n"] for f in cells.claims["features"]) == len(df)
    assert len(cells.data_json) < len(places.data_json) / 3

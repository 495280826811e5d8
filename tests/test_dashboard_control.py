"""The control view: last holder claim per place as of a date, and contesting by the other side."""
import datetime as dt

import pandas as pd

from dashboard.control import CONTROL_COLUMNS, control_as_of
from dashboard.samples import make_claim, seed_like_claims
from dashboard.schema import normalize_claims


def by_place(df: pd.DataFrame) -> dict[str, dict]:
    return {r["place_id"]: r for r in df.to_dict("records")}


def test_seed_control_as_of_june_4() -> None:
    view = control_as_of(seed_like_claims(), dt.date(2020, 6, 4), window_days=7)
    assert list(view.columns) == list(CONTROL_COLUMNS)
    places = by_place(view)
    assert set(places) == {"ain_zara", "tripoli_airport", "wadi_rabie"}
    # Tripoli International Airport: GNA announced control on 3 June; the LNA said it repelled the attack
    # there the same day, so the GNA holds it and the LNA contests it.
    airport = places["tripoli_airport"]
    assert airport["holder"] == "GNA" and airport["contested"] and airport["contested_by"] == "LNA"
    assert airport["since"] == pd.Timestamp("2020-06-03")
    assert "مطار طرابلس" in airport["last_evidence"]
    # Ain Zara and Wadi al-Rabie: the LNA's repelled claims, no GNA control/attack claim there.
    for pid in ("ain_zara", "wadi_rabie"):
        assert places[pid]["holder"] == "LNA" and not places[pid]["contested"]


def test_before_the_claims_nothing_is_held() -> None:
    assert control_as_of(seed_like_claims(), dt.date(2020, 6, 2)).empty


def test_contest_window() -> None:
    df = normalize_claims(pd.DataFrame([
        make_claim("h", "ain_zara", "LNA", "control", "2020-05-01"),
        make_claim("a", "ain_zara", "GNA", "attack", "2020-05-20"),
    ]))
    assert by_place(control_as_of(df, dt.date(2020, 5, 25), 7))["ain_zara"]["contested_by"] == "GNA"
    assert not by_place(control_as_of(df, dt.date(2020, 6, 10), 7))["ain_zara"]["contested"]
    assert by_place(control_as_of(df, dt.date(2020, 6, 10), 30))["ain_zara"]["contested"]
    # a claim after the as-of date does not count
    assert not by_place(control_as_of(df, dt.date(2020, 5, 19), 30))["ain_zara"]["contested"]


def test_holder_changes_and_since_is_start_of_run() -> None:
    df = normalize_claims(pd.DataFrame([
        make_claim("1", "wadi_rabie", "LNA", "control", "2019-04-10"),
        make_claim("2", "wadi_rabie", "GNA", "control", "2020-05-01"),
        make_claim("3", "wadi_rabie", "GNA", "repelled", "2020-05-10"),
        make_claim("4", "wadi_rabie", "LNA", "clash", "2020-05-12"),  # clashes say nothing of holding
    ]))
    assert by_place(control_as_of(df, dt.date(2020, 1, 1)))["wadi_rabie"]["holder"] == "LNA"
    row = by_place(control_as_of(df, dt.date(2020, 5, 15), 7))["wadi_rabie"]
    assert row["holder"] == "GNA" and row["since"] == pd.Timestamp("2020-05-01") and not row["contested"]


def test_unattributed_and_undated_claims_are_ignored() -> None:
    df = normalize_claims(pd.DataFrame([
        make_claim("1", "tripoli", None, "control", "2020-01-01"),
        make_claim("2", "tripoli", "GNA", "control", None),
    ]))
    assert control_as_of(df, dt.date(2020, 6, 1)).empty

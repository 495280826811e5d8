"""Sidebar filters and the per-day timeline counts on seed-like claims."""
import datetime as dt

import pandas as pd

from dashboard.filters import Filters, apply_filters, claims_per_day, normalize_text
from dashboard.samples import make_claim, seed_like_claims
from dashboard.schema import normalize_claims


def ids(df: pd.DataFrame) -> set[str]:
    return set(df["claim_id"])


def test_no_filters_keeps_everything() -> None:
    df = seed_like_claims()
    assert len(apply_filters(df, Filters())) == len(df)


def test_side_filter_uses_none_for_unattributed() -> None:
    df = seed_like_claims()
    assert ids(apply_filters(df, Filters(sides=frozenset({"GNA"})))) == {"c4"}
    assert ids(apply_filters(df, Filters(sides=frozenset({"LNA"})))) == {"c1", "c2", "c3", "c7"}
    assert ids(apply_filters(df, Filters(sides=frozenset({"none"})))) == {"c5", "c6"}


def test_claimed_by_and_claim_types() -> None:
    df = seed_like_claims()
    assert ids(apply_filters(df, Filters(claimed_by=frozenset({"none"})))) == {"c7"}
    assert ids(apply_filters(df, Filters(claim_types=frozenset({"repelled"})))) == {"c1", "c2", "c3"}
    assert ids(apply_filters(df, Filters(claim_types=frozenset({"clash"}), claimed_by=frozenset({"GNA"})))) \
        == {"c5", "c6"}


def test_date_range_inclusive_and_undated() -> None:
    df = seed_like_claims()
    day = dt.date(2020, 6, 3)
    assert len(apply_filters(df, Filters(date_from=day, date_to=day, include_undated=False))) == 6
    assert ids(apply_filters(df, Filters(date_from=dt.date(2020, 6, 4), include_undated=True))) == {"c7"}
    assert apply_filters(df, Filters(date_from=dt.date(2020, 6, 4))).empty  # undated left out by default
    assert apply_filters(df, Filters(date_to=dt.date(2020, 6, 2), include_undated=False)).empty
    assert "c7" in ids(apply_filters(df, Filters()))  # no date bound: undated claims stay


def test_place_search_english_and_arabic_variants() -> None:
    df = seed_like_claims()
    assert ids(apply_filters(df, Filters(place_query="AIRPORT"))) == {"c2", "c4"}
    assert ids(apply_filters(df, Filters(place_query="زاره"))) == {"c1"}  # taa marbuta written as haa
    assert ids(apply_filters(df, Filters(place_query="مطار طرابلس"))) == {"c2", "c4"}
    assert apply_filters(df, Filters(place_query="Benghazi")).empty


def test_normalize_text_unifies_alef_and_yaa() -> None:
    assert normalize_text("إأآا") == "اااا"
    assert normalize_text("مستشفى") == normalize_text("مستشفي")
    assert normalize_text("طَرَابُلُس") == "طرابلس"


def test_min_confidence() -> None:
    df = seed_like_claims()
    assert ids(apply_filters(df, Filters(min_confidence=0.85))) == {"c4"}


def test_claims_per_day_by_side() -> None:
    counts = claims_per_day(seed_like_claims())
    assert list(counts.columns) == ["GNA", "LNA", "none"]
    row = counts.loc[pd.Timestamp("2020-06-03")]
    assert (row["GNA"], row["LNA"], row["none"]) == (1, 3, 2)
    assert len(counts) == 1  # the undated claim is not on the timeline


def test_claims_per_day_empty() -> None:
    empty = normalize_claims(pd.DataFrame([make_claim("x", "tripoli", "GNA", "attack", None)]))
    assert claims_per_day(empty).empty
    assert claims_per_day(empty.iloc[0:0]).empty


def test_place_query_by_id_and_missing_arabic_name() -> None:
    df = seed_like_claims()
    assert ids(apply_filters(df, Filters(place_query="TRIPOLI_AIRPORT"))) == {"c2", "c4"}
    df.loc[df["claim_id"] == "c7", "place_ar"] = None
    assert apply_filters(df, Filters(place_query="nan")).empty  # a missing name is no text "nan"
    assert ids(apply_filters(df, Filters(place_query="tripoli", sides=frozenset({"LNA"})))) == {"c2", "c7"}

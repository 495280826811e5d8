"""Tables, the shareable URL, the time view, upload outcomes, labels and interface strings."""
from __future__ import annotations

import datetime as dt
import json

from dashboard.filters import Filters, apply_filters
from dashboard.i18n import STRINGS_FILE, direction, text, ui_strings
from dashboard.labels import place_labels
from dashboard.samples import seed_like_claims
from dashboard.views import (
    centre_of,
    claims_table,
    control_filters,
    csv_bytes,
    decode_params,
    encode_state,
    next_step,
    selected_row,
    until,
    upload_outcome,
)
from pipeline.ingest import IngestReport

DEFAULTS = {"sides": ["GNA", "LNA", "none"], "claimed_by": ["GNA", "LNA", "none"],
            "types": ["control", "repelled", "advance", "attack", "clash", "strike", "withdrawal"],
            "undated": False, "window": 7, "lang": "en",
            "date_range": (dt.date(2019, 4, 1), dt.date(2020, 6, 3)), "as_of": dt.date(2020, 6, 3)}


def test_table_shows_dates_as_dates_and_side_none_as_the_filter_says() -> None:
    table = claims_table(seed_like_claims())
    assert table["date"].iloc[0] == dt.date(2020, 6, 3)  # latest first, a date (no 00:00:00)
    assert all(isinstance(d, dt.date) or d is None for d in table["date"])
    assert table["date"].iloc[-1] is None  # the undated claim last
    assert set(table["side"]) == {"GNA", "LNA", "none"} and None not in set(table["claimed_by"])


def test_selected_row_gives_the_point_to_centre_on() -> None:
    table = claims_table(seed_like_claims())
    row = selected_row(table, [0])
    assert row is not None and centre_of(row) == (float(row["lat"]), float(row["lon"]))
    assert selected_row(table, []) is None and selected_row(table, [99]) is None
    assert centre_of({"lat": None, "lon": 13.0}) is None


def test_csv_starts_with_a_byte_order_mark() -> None:
    data = csv_bytes("claim_id,place_ar\nc1,عين زارة\n")
    assert data.startswith(b"\xef\xbb\xbf") and "عين زارة" in data.decode("utf-8-sig")
    assert csv_bytes("\ufeffa\n").count(b"\xef\xbb\xbf") == 1


def test_url_round_trip_keeps_the_filters() -> None:
    state = {**DEFAULTS, "sides": ["LNA"], "types": ["control", "repelled"], "place_query": "عين زارة",
             "min_conf": 0.5, "undated": True, "date_range": (dt.date(2020, 1, 1), dt.date(2020, 3, 1)),
             "as_of": dt.date(2020, 2, 1), "lang": "ar", "window": 3}
    params = encode_state(state, DEFAULTS)
    assert params["side"] == "LNA" and params["q"] == "عين زارة" and params["asof"] == "2020-02-01"
    back = decode_params(params)
    for key in ("sides", "types", "place_query", "min_conf", "undated", "date_range", "as_of", "lang", "window"):
        assert back[key] == state[key], key


def test_default_state_makes_an_empty_url_and_bad_params_are_ignored() -> None:
    assert encode_state(DEFAULTS, DEFAULTS) == {}
    assert decode_params({"side": "XYZ,LNA", "conf": "7", "from": "2020-05-01", "to": "2020-01-01",
                          "lang": "fr", "window": "-1"}) == {"sides": ["LNA"]}
    assert decode_params({"side": "-"}) == {"sides": []}


def test_time_view_ends_at_as_of_and_the_player_stops_at_the_end() -> None:
    f = Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 6, 30))
    assert until(f, dt.date(2020, 3, 1)).date_to == dt.date(2020, 3, 1)
    assert until(f, dt.date(2020, 12, 1)) == f
    shown = apply_filters(seed_like_claims(), until(Filters(include_undated=False), dt.date(2020, 6, 2)))
    assert shown.empty  # every seed claim is dated 2020-06-03
    assert next_step(dt.date(2020, 1, 1), 7, dt.date(2020, 1, 31)) == (dt.date(2020, 1, 8), True)
    assert next_step(dt.date(2020, 1, 28), 7, dt.date(2020, 1, 31)) == (dt.date(2020, 1, 31), False)


def test_control_follows_side_claimant_and_confidence_but_not_type_or_place() -> None:
    f = Filters(sides=frozenset({"LNA"}), claimed_by=frozenset({"LNA"}), min_confidence=0.6,
                claim_types=frozenset({"clash"}), place_query="x", date_from=dt.date(2020, 6, 1))
    c = control_filters(f)
    assert (c.sides, c.claimed_by, c.min_confidence) == (f.sides, f.claimed_by, 0.6)
    assert c.claim_types is None and c.place_query == "" and c.date_from is None and not c.include_undated


def test_upload_outcomes() -> None:
    assert upload_outcome(IngestReport(2, 2, 5, ()), "a.jsonl")[0] == "success"
    kind, message, _ = upload_outcome(IngestReport(2, 0, 0, ()), "a.jsonl")
    assert kind == "info" and "already stored" in message and "a.jsonl" in message
    kind, message, details = upload_outcome(IngestReport(1, 0, 0, ("a.jsonl:2: bad",)), "a.jsonl")
    assert kind == "error" and "nothing was stored" in message and details == ("a.jsonl:2: bad",)
    assert "مخزّن" in upload_outcome(IngestReport(2, 0, 0, ()), "a.jsonl", "ar")[1]


def test_interface_strings_exist_in_both_languages() -> None:
    strings = ui_strings()
    assert set(strings["en"]) == set(strings["ar"])
    assert json.loads(STRINGS_FILE.read_text(encoding="utf-8")) == strings
    assert text("side", "ar") == "الطرف" and direction("ar") == "rtl" and direction("en") == "ltr"
    assert text("playing", "en", date="2020-01-01") == "Playing: 2020-01-01"


def test_labels_show_tripoli_first_and_front_villages_only_zoomed_in() -> None:
    labels = place_labels()
    by_name = {r[2]: r for r in labels}
    assert by_name["Tripoli"][4] <= 5 and by_name["Tripoli"][3] == "طرابلس"
    assert labels.index(by_name["Tripoli"]) < labels.index(by_name["Ain Zara"])
    assert by_name["Ain Zara"][4] > by_name["Tripoli"][4]
    assert len({r[2] for r in labels}) == len(labels)
    assert all(19 < r[0] < 34 and 9 < r[1] < 26 for r in labels)

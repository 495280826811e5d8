""""The Libyan Army" is the GNA in Tripoli outlets and the LNA in eastern ones; conflicting evidence gives no side."""
import datetime as dt

from pipeline.claims import extract
from pipeline.models import Article, ClaimType, Evidence, Side
from pipeline.outlets import load_conventions

GHARYAN = "mihwar:gharyan"
AR = "أعلن الجيش الليبي، الثلاثاء، سيطرته على مدينة غريان."
EN = "The Libyan Army said on Tuesday it had taken control of Gharyan."


def control_sides(text, source):
    an = extract(Article("o", "", text, dt.date(2020, 6, 3), source))
    return {(c.side, c.why) for c in an.claims if c.place_id == GHARYAN and c.claim is ClaimType.CONTROL}


def test_outlets_with_a_convention():
    conv = load_conventions()
    assert conv.outlet_side("ليبيا الأحرار") is Side.GNA and conv.outlet_side("Libya Observer") is Side.GNA
    assert conv.outlet_side("سكاي نيوز عربية") is Side.LNA and conv.outlet_side("Libya Review") is Side.LNA
    assert conv.outlet_side("Reuters") is None


def test_the_libyan_army_of_a_tripoli_outlet_is_the_gna():
    assert control_sides(AR, "ليبيا الأحرار") == {(Side.GNA, Evidence.OUTLET)}
    assert control_sides(EN, "Libya Observer") == {(Side.GNA, Evidence.OUTLET)}


def test_the_libyan_army_of_an_eastern_outlet_is_the_lna():
    assert control_sides(AR, "العربية.نت") == {(Side.LNA, Evidence.OUTLET)}
    assert control_sides(EN, "Libya Review") == {(Side.LNA, Evidence.OUTLET)}


def test_a_wire_gives_the_army_no_side_without_evidence():
    # no side, so no control claim at all: whose hands a town is in is the claim
    assert control_sides(EN, "Reuters") == set()
    assert {side for side, _ in control_sides(EN, "Libya Observer")} == {Side.GNA}


def test_a_qualifier_names_the_army_side_for_a_wire():
    text = "قالت قوات الجيش الليبي التابع لحكومة الوفاق إنها سيطرت على مدينة غريان."
    assert {side for side, _ in control_sides(text, "وكالة أنباء")} == {Side.GNA}


def test_an_eastern_outlet_qualifying_its_army_as_the_gna_is_conflicting_evidence():
    text = "The army of the Government of National Accord took Gharyan. The army then shelled Tarhuna."
    an = extract(Article("o", "", text, dt.date(2020, 6, 3), "Libya Review"))
    (c,) = [c for c in an.claims if c.place_id == "mihwar:tarhuna"]
    assert c.side is None  # Libya Review's "army" is the LNA, this article's is the GNA: no guess


def test_the_militias_of_a_partisan_outlet_are_its_enemy():
    text = "Militias attacked Gharyan on Tuesday."
    an = extract(Article("o", "", text, dt.date(2020, 6, 3), "Libya Review"))
    assert {(c.side, c.claim) for c in an.claims} == {(Side.GNA, ClaimType.ATTACK)}
    an = extract(Article("o", "", text, dt.date(2020, 6, 3), "Libya Observer"))
    assert {(c.side, c.claim) for c in an.claims} == {(Side.LNA, ClaimType.ATTACK)}
    an = extract(Article("o", "", text, dt.date(2020, 6, 3), "Reuters"))
    assert {c.side for c in an.claims} == {None}

"""Claims: who claims what, where and when, from Arabic and English sentences."""
import datetime as dt
from pathlib import Path

import pytest

from pipeline.claims import extract
from pipeline.models import Article, ClaimType, Side
from pipeline.readers import read_paths

ROOT = Path(__file__).resolve().parent.parent
AIRPORT, AIN_ZARA, WADI_RABIE = "mihwar:tripoli_international_airport", "mihwar:ain_zara", "mihwar:wadi_al_rabie"


def claims_of(text, published=dt.date(2020, 6, 3)):
    an = extract(Article("t", "", text, published))
    return {(c.place_id, c.side, c.claim, c.claimed_by, c.date.date if c.date else None) for c in an.claims}


@pytest.fixture(scope="module")
def seed2():
    arts = [a for a in read_paths([ROOT / "seeds"]) if a.published == dt.date(2020, 6, 3)]
    (an,) = [extract(a) for a in arts]
    return {(c.place_id, c.side, c.claim) for c in an.claims}, an


def test_seed_spokesman_announces_gna_control_of_the_airport(seed2):
    claims, an = seed2
    assert (AIRPORT, Side.GNA, ClaimType.CONTROL) in claims
    (c,) = [c for c in an.claims if c.place_id == AIRPORT and c.claim is ClaimType.CONTROL]
    assert c.claimed_by is Side.GNA and c.date.date == dt.date(2020, 6, 3)
    assert "قنونو" in c.evidence


def test_seed_clashes_fan_out_over_the_list(seed2):
    claims, _ = seed2
    for place in ("mihwar:khallatat", "mihwar:yarmouk_camp", "mihwar:nahr_axis", "mihwar:khallat_bu_oun"):
        assert (place, None, ClaimType.CLASH) in claims
    assert ("mihwar:souq_al_ahad", None, ClaimType.CLASH) not in claims  # "في محور سوق الأحد" locates, not listed


def test_seed_lna_repelled_at_ain_zara_the_airport_and_wadi_al_rabie(seed2):
    claims, an = seed2
    for place in (AIN_ZARA, AIRPORT, WADI_RABIE):
        assert (place, Side.LNA, ClaimType.REPELLED) in claims
    assert not any(c.side is Side.GNA and c.claim is ClaimType.ATTACK and c.place_id == AIN_ZARA for c in an.claims)
    assert ("gn:2210247", Side.LNA, ClaimType.REPELLED) not in claims  # "محاور طرابلس" frames the list


def test_repelled_claim_is_dated_and_attributed():
    got = claims_of('أعلنت شعبة الإعلام الحربي أن قواته نجحت في صد هجوم قوات الوفاق في محور "عين زارة"، الأربعاء.')
    assert (AIN_ZARA, Side.LNA, ClaimType.REPELLED, Side.LNA, dt.date(2020, 6, 3)) in got


def test_a_denial_is_not_a_claim():
    got = claims_of("ونفى المسماري أن تكون قواته قد انسحبت من غريان.")
    assert not any(c[2] is ClaimType.WITHDRAWAL for c in got)
    got = claims_of("The LNA denied it had withdrawn from Gharyan.")
    assert got == set()


def test_a_neutral_actor_is_no_side():
    got = claims_of("قالت الأمم المتحدة إن اشتباكات عنيفة اندلعت في عين زارة.")
    assert got == {(AIN_ZARA, None, ClaimType.CLASH, None, dt.date(2020, 6, 3))}
    got = claims_of("Egypt said shelling hit Ain Zara.")
    assert {(c[1], c[3]) for c in got} == {(None, None)}


def test_accused_side_carried_the_strike():
    got = claims_of("قتل عشرات، ليل الثلاثاء، في غارة جوية على مركز في تاجوراء، واتهمت حكومة الوفاق قوات حفتر بتنفيذها.",
                    dt.date(2019, 7, 3))
    assert ("mihwar:tajoura", Side.LNA, ClaimType.STRIKE, Side.GNA, dt.date(2019, 7, 2)) in got


def test_english_article_recapture_and_withdrawal():
    text = ("Forces allied to the Tripoli government recaptured the town of Gharyan on Wednesday, a GNA spokesman "
            "said.\n\nHaftar's LNA said its troops had withdrawn from Gharyan.")
    got = claims_of(text, dt.date(2019, 6, 26))
    assert ("mihwar:gharyan", Side.GNA, ClaimType.CONTROL, Side.GNA, dt.date(2019, 6, 26)) in got
    assert ("mihwar:gharyan", Side.LNA, ClaimType.WITHDRAWAL, Side.LNA, dt.date(2019, 6, 26)) in got
    assert not any(c[0] == "gn:2210247" for c in got)  # Tripoli only names the government


def test_reference_point_is_not_the_place_claimed():
    got = claims_of("GNA forces said on Tuesday they had taken control of the towns of Badr and Tiji south-west of "
                    "Tripoli.", dt.date(2020, 5, 20))
    assert {c[0] for c in got} == {"mihwar:badr", "mihwar:tiji"}
    assert all(c[1] is Side.GNA and c[2] is ClaimType.CONTROL and c[4] == dt.date(2020, 5, 19) for c in got)


def test_intent_to_take_a_place_is_an_attack_not_control():
    got = claims_of("ورفضت حكومة الوفاق التصريحات، مؤكدة عزمها استعادة سرت.")
    assert {(c[0], c[1], c[2]) for c in got} == {("mihwar:sirte", Side.GNA, ClaimType.ATTACK)}


def test_ceasefire_is_no_clash():
    assert claims_of("دعا إلى وقف إطلاق النار في ترهونة") == set()


def test_a_list_of_towns_is_not_a_city_framing_its_suburbs():
    got = claims_of("سيطرت قوات الوفاق على مدينة صبراتة وصرمان.")
    assert {(c[0], c[1], c[2]) for c in got} == {
        ("mihwar:sabratha", Side.GNA, ClaimType.CONTROL), ("mihwar:surman", Side.GNA, ClaimType.CONTROL)}


def test_pushing_the_enemy_back_is_repelling_it():
    got = claims_of("GNA forces pushed LNA fighters back from Qasr bin Ghashir.")
    assert {(c[0], c[1], c[2]) for c in got} == {("mihwar:qasr_bin_ghashir", Side.GNA, ClaimType.REPELLED)}


def test_places_in_an_actors_name_are_not_claimed():
    got = claims_of("أكدت غرفة عمليات سرت والجفرة التابعة لحكومة الوفاق أن قواتها صدت هجوما لقوات حفتر غرب سرت.")
    assert {(c[0], c[1], c[2]) for c in got} == {("mihwar:sirte", Side.GNA, ClaimType.REPELLED)}


def test_a_speaker_before_that_does_not_carry_out_the_strike():
    got = claims_of("وقال المتحدث باسم قوات الوفاق إن الطيران التابع لحفتر شن غارات على مواقع في مصراتة.")
    assert {(c[1], c[2], c[3]) for c in got} == {(Side.LNA, ClaimType.STRIKE, Side.GNA)}


def test_a_warning_of_fighting_is_no_clash():
    assert claims_of("حذرت الأمم المتحدة من تصاعد القتال في طرابلس.") == set()


@pytest.mark.parametrize(
    ("text", "place", "side", "kind"),
    [
        ("Airstrikes hit LNA positions in Tarhuna.", "mihwar:tarhuna", Side.GNA, ClaimType.STRIKE),
        ("قصفت طائرات مسيرة تركية مواقع قوات حفتر في ترهونة", "mihwar:tarhuna", Side.GNA, ClaimType.STRIKE),
        ("تعرضت مواقع قوات الوفاق في عين زارة لقصف مدفعي", AIN_ZARA, Side.LNA, ClaimType.STRIKE),
        ("Gharyan was seized from the LNA by GNA forces.", "mihwar:gharyan", Side.GNA, ClaimType.CONTROL),
        ("Tarhuna was recaptured from GNA forces by Haftar's troops.", "mihwar:tarhuna", Side.LNA, ClaimType.CONTROL),
        ("صدت قوات الوفاق هجوما لقوات حفتر على محور عين زارة", AIN_ZARA, Side.GNA, ClaimType.REPELLED),
        ("قال المسماري إن الميليشيات تقدمت نحو غريان", "mihwar:gharyan", Side.GNA, ClaimType.ADVANCE),
    ],
)
def test_the_side_acted_upon_is_not_taken_for_the_actor(text, place, side, kind):
    got = {(c[0], c[1], c[2]) for c in claims_of(text)}
    assert got == {(place, side, kind)}


def test_a_condition_or_a_deal_is_no_claim():
    assert claims_of("Egypt warned it would intervene if GNA forces advanced on Sirte.") == set()
    assert claims_of("The LNA struck a deal with tribal elders in Tarhuna.") == set()


def test_a_reported_statement_names_its_speaker_not_the_actor():
    (c,) = claims_of("A hospital official said Haftar's forces shelled Tripoli.")
    assert (c[1], c[2], c[3]) == (Side.LNA, ClaimType.STRIKE, None)


def test_each_place_takes_the_trigger_that_governs_it():
    got = {(c[0], c[1], c[2]) for c in claims_of(
        "Turkish-backed forces advanced towards Sirte after seizing Abu Grain, a military source said.")}
    assert got == {("mihwar:sirte", Side.GNA, ClaimType.ADVANCE), ("mihwar:abu_grain", Side.GNA, ClaimType.CONTROL)}
    got = {(c[0], c[1], c[2]) for c in claims_of("GNA forces recaptured Gharyan, the LNA's supply base, in a surprise attack.")}
    assert got == {("mihwar:gharyan", Side.GNA, ClaimType.CONTROL)}
    got = {(c[0], c[2]) for c in claims_of("قالت شعبة الإعلام الحربي إن قواته تقدمت في محور خلة الفرجان وسيطرت على عدد من المباني.")}
    assert got == {("mihwar:khallat_al_furjan", ClaimType.ADVANCE)}


def test_seed_tripoli_resists_the_lna_offensive():
    got = {(c[0], c[1], c[2], c[4]) for c in claims_of(
        "في وقت تتصدى طرابلس لهجوم قوات المشير خليفة حفتر المستمر منذ نحو عام.", dt.date(2020, 5, 22))}
    assert ("gn:2210247", Side.LNA, ClaimType.ATTACK, dt.date(2020, 5, 22)) in got
    assert ("gn:2210247", Side.GNA, ClaimType.REPELLED, dt.date(2020, 5, 22)) in got
    assert not any(c[1] is Side.LNA and c[2] is ClaimType.REPELLED for c in got)


def test_a_passive_repulse_after_its_place():
    got = {(c[0], c[1], c[2]) for c in claims_of("An LNA attack on Ain Zara was repelled by GNA forces.")}
    assert (AIN_ZARA, Side.GNA, ClaimType.REPELLED) in got
    assert (AIN_ZARA, Side.LNA, ClaimType.REPELLED) not in got


def test_a_place_that_fell_to_a_side_is_under_its_control():
    got = {(c[0], c[1], c[2], c[4]) for c in claims_of("The city of Tarhuna fell to GNA forces on Friday.")}
    assert got == {("mihwar:tarhuna", Side.GNA, ClaimType.CONTROL, dt.date(2020, 5, 29))}  # the Friday before 3 June
    got = {(c[0], c[1], c[2]) for c in claims_of("مدينة غريان سقطت بيد قوات الوفاق فجر الأربعاء.")}
    assert got == {("mihwar:gharyan", Side.GNA, ClaimType.CONTROL)}

"""The error classes of claims, stated as domain facts in Arabic and English (invented sentences)."""
import datetime as dt

from pipeline.claims import extract
from pipeline.models import Article, ClaimType, Side

TRIPOLI, GHARYAN, TARHUNA = "gn:2210247", "mihwar:gharyan", "mihwar:tarhuna"
PUBLISHED = dt.date(2020, 6, 3)


def claims(text, source=""):
    an = extract(Article("c", "", text, PUBLISHED, source))
    return {(c.place_id, c.side, c.claim) for c in an.claims}


def at(text, place, source=""):
    return {(side, kind) for p, side, kind in claims(text, source) if p == place}


def test_fleeing_to_a_town_says_nothing_about_who_holds_it():
    assert at("Haftar's fighters fled to Tarhuna after the battle.", TARHUNA) == set()
    assert at("انسحبت قوات حفتر من غريان وتراجعت نحو ترهونة.", TARHUNA) == set()
    assert (Side.LNA, ClaimType.WITHDRAWAL) in at("انسحبت قوات حفتر من غريان وتراجعت نحو ترهونة.", GHARYAN)


def test_a_reference_city_is_not_taken():
    text = "قوات الوفاق تسيطر على غريان الواقعة جنوب العاصمة طرابلس."
    assert at(text, TRIPOLI) == set() and (Side.GNA, ClaimType.CONTROL) in at(text, GHARYAN)
    assert at("GNA forces took control of positions west of Tripoli.", TRIPOLI) == set()


def test_the_dateline_is_no_claim():
    text = "TRIPOLI (Reuters) - Forces of the Government of National Accord seized Gharyan on Wednesday."
    assert at(text, TRIPOLI) == set() and (Side.GNA, ClaimType.CONTROL) in at(text, GHARYAN)


def test_an_order_to_confront_is_no_repelled_attack():
    text = "أمر السراج القوات الموالية له بالتصدي للهجوم على طرابلس."
    assert (Side.GNA, ClaimType.REPELLED) not in at(text, TRIPOLI)


def test_a_sides_own_media_speaks_for_it():
    text = "قواتنا تصد هجوما على محور ترهونة."
    assert (Side.GNA, ClaimType.REPELLED) in at(text, TARHUNA, "المركز الإعلامي لعملية بركان الغضب")
    assert (Side.LNA, ClaimType.REPELLED) in at(text, TARHUNA, "شعبة الإعلام الحربي")


def test_a_list_continued_after_a_comma_shares_the_trigger():
    text = "أعلنت قوات الوفاق سيطرتها على مدينة غريان، إضافة إلى بلدة ترهونة."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)


def test_the_owner_of_a_stronghold_is_not_who_enters_it():
    text = "دخلت قوات الوفاق مدينة ترهونة، آخر معاقل مليشيات حفتر في الغرب."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}


def test_forces_from_a_city_make_no_claim_on_it():
    text = "قوات الوفاق صدت هجوما شنته مجموعات قادمة من ترهونة على محور غريان."
    assert at(text, TARHUNA) == set()
    assert at("Fighters from Tarhuna attacked Gharyan on Monday.", TARHUNA) == set()


def test_people_captured_in_a_town_do_not_take_it():
    assert (Side.LNA, ClaimType.CONTROL) not in at("Dozens of Haftar's fighters were captured in Tarhuna.", TARHUNA)


def test_a_foiled_attempt_to_advance_is_the_attackers_not_the_defenders():
    text = "قالت قوات الوفاق إنها صدت محاولات تقدم لقوات حفتر في محور غريان."
    assert (Side.GNA, ClaimType.ATTACK) not in at(text, GHARYAN)
    assert (Side.GNA, ClaimType.REPELLED) in at(text, GHARYAN)


def test_an_unnamed_air_force_takes_the_outlets_side_or_none():
    text = "استهدف سلاح الجو رتلا على الطريق قرب ترهونة."
    assert at(text, TARHUNA, "ليبيا الأحرار") == {(Side.GNA, ClaimType.STRIKE)}
    assert at(text, TARHUNA, "وكالة") == {(None, ClaimType.STRIKE)}


def test_a_noun_trigger_does_not_take_the_subject_of_the_next_verb_as_its_object():
    text = "The advance came after the army of the Government of National Accord seized Gharyan."
    assert (Side.LNA, ClaimType.ADVANCE) not in at(text, GHARYAN)


def dated(text, place):
    an = extract(Article("d", "", text, PUBLISHED))
    return {c.date.date for c in an.claims if c.place_id == place}


def test_two_days_after_dates_the_earlier_event():
    text = "دخلت قوات الوفاق مدينة غريان يوم الثلاثاء، بعد يومين من سيطرتها على ترهونة."
    assert dated(text, GHARYAN) == {dt.date(2020, 6, 2)} and dated(text, TARHUNA) == {dt.date(2020, 5, 31)}
    text = "GNA forces entered Gharyan on Tuesday, two days after they seized Tarhuna."
    assert dated(text, TARHUNA) == {dt.date(2020, 5, 31)}


def test_the_following_day_counts_from_the_sentence_date():
    text = "Haftar's forces attacked Gharyan on Saturday, and they withdrew from Tarhuna the following day."
    assert dated(text, TARHUNA) == {dt.date(2020, 5, 31)}


def test_a_dateline_date_is_not_the_event_date():
    text = "Tripoli, 3 June 2020 - The mission condemns yesterday's shelling of Tarhuna."
    assert dated(text, TARHUNA) == {dt.date(2020, 6, 2)}


def test_a_retreating_convoy_is_struck_not_withdrawing():
    text = "GNA drones struck retreating militia vehicles on the outskirts of Tarhuna on Tuesday."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.STRIKE)}


def test_of_several_verbs_before_a_place_the_nearest_is_its_claim():
    text = "The advance came after the army of the Government of National Accord seized Tarhuna."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}


def test_where_the_speaker_is_is_not_where_the_event_is():
    text = "وقال مسؤولون محليون في ترهونة إن القصف ألحق أضرارا بالمطار."
    assert at(text, TARHUNA) == set()


def test_purging_and_securing_a_town_is_control():
    text = "أعلنت قوات الوفاق أنه تم تطهير مدينة ترهونة من مليشيات حفتر."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, TARHUNA)


def test_a_siege_is_an_attack():
    assert (Side.LNA, ClaimType.ATTACK) in at("قوات حفتر تحاصر مدينة غريان منذ أيام.", GHARYAN)
    assert (Side.GNA, ClaimType.ATTACK) in at("GNA forces besieged Tarhuna on Tuesday.", TARHUNA)


def test_a_lasting_state_is_background_not_news():
    text = "Tarhuna, controlled by Haftar's forces since 2016, was calm on Tuesday."
    assert at(text, TARHUNA) == set()


def test_wire_names_of_the_sides():
    assert (Side.GNA, ClaimType.CONTROL) in at("Forces allied with Libya's U.N.-supported government retook Tarhuna.",
                                              TARHUNA)
    assert (Side.LNA, ClaimType.CONTROL) in at("Hifter's self-styled Libyan Arab Armed Forces recaptured Gharyan.",
                                              GHARYAN)


def test_areas_a_side_had_seized_are_background():
    text = "استعادت قوات الوفاق جميع المناطق التي سيطرت عليها قوات حفتر في ترهونة."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, TARHUNA)


def test_places_between_which_a_strip_lies_are_not_taken():
    text = "سيطرت قوات الوفاق على الطريق الساحلي بين غريان وترهونة."
    assert at(text, GHARYAN) == set() and at(text, TARHUNA) == set()


def test_mutual_shelling_has_no_side():
    text = "Residents reported mutual shelling between the LNA and GNA forces in Tarhuna."
    assert at(text, TARHUNA) == {(None, ClaimType.STRIKE)}


def test_the_side_things_are_taken_from_does_not_take_the_next_place():
    text = "The GNA has made strides, seizing towns from the LNA, capturing the Tarhuna barracks."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, TARHUNA)


def test_a_dash_dateline_is_no_claim():
    text = "TRIPOLI – The Libyan National Army shot down a drone near Tarhuna on Tuesday."
    assert at(text, TRIPOLI) == set()


def test_a_campaign_to_liberate_a_city_is_no_control_of_it():
    text = "أطلقت قوات حفتر حملة عسكرية لتحرير مدينة غريان."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, GHARYAN)
    assert (Side.LNA, ClaimType.ATTACK) in at(text, GHARYAN)


def test_a_town_mobilizing_against_an_attack_elsewhere_is_not_attacked():
    text = "أعلنت مدينة ترهونة حالة النفير العام دفاعا عن مدينة غريان في مواجهة هجوم تشنه قوات حفتر."
    assert at(text, TARHUNA) == set()


def test_a_town_that_fell_to_a_side_is_that_sides():
    assert at("سقطت غريان بيد قوات الوفاق صباح الأربعاء.", GHARYAN) == {(Side.GNA, ClaimType.CONTROL)}
    assert at("The fall of Gharyan to GNA forces on Wednesday stunned Haftar.", GHARYAN) == {
        (Side.GNA, ClaimType.CONTROL)}
    assert at("Tarhuna was retaken by government forces on Friday.", TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}


def test_the_fall_of_a_town_with_no_side_named_is_no_claim():
    assert at("The fall of Gharyan shocked the region.", GHARYAN) == set()


def test_elements_that_flee_are_the_ones_withdrawing():
    assert at("وفرت عناصر الوفاق من مدينة غريان.", GHARYAN) == {(Side.GNA, ClaimType.WITHDRAWAL)}


def test_a_neutral_speaker_gives_no_side():
    text = ("The Tripoli government said its forces had repelled an attack on Gharyan. "
            "The U.N. mission said rockets hit Tarhuna on Monday, without saying who fired them.")
    assert at(text, TARHUNA) == {(None, ClaimType.STRIKE)}


def test_wire_spellings_of_the_spokesmen():
    assert at("Ahmed al-Mosmari said LNA troops recaptured Tarhuna.", TARHUNA) == {(Side.LNA, ClaimType.CONTROL)}
    assert at("Its forces entered Tarhuna on Friday, Mohamed Gnono said.", TARHUNA) == {(Side.GNA, ClaimType.CONTROL)}


def test_the_two_towns_are_both_places_named_before():
    text = "Haftar's forces shelled Gharyan and Tarhuna overnight. GNA forces later entered the two towns."
    assert (Side.GNA, ClaimType.CONTROL) in at(text, GHARYAN) and (Side.GNA, ClaimType.CONTROL) in at(text, TARHUNA)


def test_a_side_quoted_in_another_statement_is_not_the_agent():
    text = ('"Haftar\'s militias collapsed within hours," a commander said, adding that forces '
            "from the coast had advanced on Tarhuna.")
    assert (Side.LNA, ClaimType.ADVANCE) not in at(text, TARHUNA)


def test_both_places_forces_come_from_are_origins():
    text = "GNA forces from Gharyan and Tarhuna advanced on the airport."
    assert at(text, GHARYAN) == set() and at(text, TARHUNA) == set()


def test_an_accusation_gives_the_attacks_told_before_their_side():
    text = "Rockets hit Tarhuna on Monday. The GNA blamed the attack on Haftar's forces."
    assert at(text, TARHUNA) == {(Side.LNA, ClaimType.STRIKE)}
    text = "Rockets hit Tarhuna on Monday. The GNA accused Haftar's forces of corruption."
    assert at(text, TARHUNA) == {(None, ClaimType.STRIKE)}


def test_who_condemns_a_shelling_is_not_who_shelled():
    text = "وأدان المجلس الرئاسي القصف الذي استهدف مدينة غريان أمس، محملا قوات حفتر المسؤولية."
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.STRIKE)}


def test_a_convoy_of_a_side_is_struck_by_the_other():
    text = "قال آمر غرفة العمليات إن الطيران المسير التابع للوفاق استهدف رتلا لقوات حفتر قرب ترهونة."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.STRIKE)}


def test_a_commander_is_not_an_order():
    text = "وقال آمر غرفة العمليات التابعة لحكومة الوفاق إن قواته تتقدم نحو ترهونة."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.ADVANCE)}


def test_a_suburb_of_a_city_is_the_place_not_the_city():
    text = "The LNA said its air force struck a military camp in the Tripoli suburb of Tajoura."
    assert at(text, TRIPOLI) == set() and at(text, "mihwar:tajoura") == {(Side.LNA, ClaimType.STRIKE)}


def test_a_resident_speaks_for_no_side():
    text = "The LNA said it repelled an attack on Gharyan. A Tripoli resident said shells fell on Tarhuna overnight."
    assert at(text, TARHUNA) == {(None, ClaimType.STRIKE)}


def test_reach_as_a_noun_is_no_advance():
    assert at("Eastern Libyan forces took Gharyan, extending their reach towards Tarhuna.", TARHUNA) == set()


def test_a_side_acknowledging_its_pull_out_withdrew():
    text = "Hifter's Libyan Arab Armed Forces acknowledged in a statement that they had pulled out of Tarhuna."
    assert at(text, TARHUNA) == {(Side.LNA, ClaimType.WITHDRAWAL)}


def test_an_aside_does_not_cut_a_place_from_its_predicate():
    text = "قواتنا تصد هجوما واسعا شنته مليشيات حفتر، مدعومة بمرتزقة فاغنر، على محور غريان."
    assert (Side.GNA, ClaimType.REPELLED) in at(text, GHARYAN, "المركز الإعلامي لعملية بركان الغضب")


def test_a_withdrawal_after_a_capture_is_from_the_captured_place():
    text = "GNA forces took control of Tarhuna on Monday after Haftar's militias withdrew southwards."
    assert at(text, TARHUNA) == {(Side.GNA, ClaimType.CONTROL), (Side.LNA, ClaimType.WITHDRAWAL)}


def test_a_sides_militias_are_that_side_whoever_speaks():
    assert at("مليشيات حفتر تقصف غريان.", GHARYAN) == {(Side.LNA, ClaimType.STRIKE)}
    assert at("GNA militias shelled Tarhuna.", TARHUNA, "Libya Observer") == {(Side.GNA, ClaimType.STRIKE)}


def test_the_city_in_an_undated_sentence_is_the_event_told_before():
    text = "دخلت قوات الوفاق، أمس الثلاثاء، مدينة ترهونة.\n\nوأعلن المركز الإعلامي أن القوات تمكنت من تحرير المدينة بالكامل."
    an = extract(Article("d", "", text, dt.date(2020, 6, 3)))
    assert {c.date.date for c in an.claims if c.place_id == TARHUNA} == {dt.date(2020, 6, 2)}

"""Error classes found on real reporting the rules had never seen, stated as domain facts
(invented sentences, Arabic and English)."""
import datetime as dt

from pipeline.claims import extract
from pipeline.models import Article, ClaimType, Side

TRIPOLI, GHARYAN, TARHUNA = "gn:2210247", "mihwar:gharyan", "mihwar:tarhuna"
WATIYA, MITIGA, SABRATHA, TAJOURA = ("mihwar:al_watiya_air_base", "mihwar:mitiga_airport", "mihwar:sabratha",
                                     "mihwar:tajoura")
PUBLISHED = dt.date(2020, 5, 20)


def at(text, place, source=""):
    an = extract(Article("u", "", text, PUBLISHED, source))
    return {(c.side, c.claim) for c in an.claims if c.place_id == place}


# 1. The side something is taken from is the loser, not the agent.
def test_the_side_a_place_is_taken_from_does_not_hold_it():
    assert (Side.LNA, ClaimType.CONTROL) not in at("قال القائد إن انتزاع قاعدة الوطية من أيدي ميليشيات حفتر تم بسرعة.", WATIYA)
    assert (Side.LNA, ClaimType.CONTROL) not in at("أكد المتحدث أن السيطرة على غريان من قبضة قوات حفتر جاءت فجرا.", GHARYAN)
    assert (Side.GNA, ClaimType.CONTROL) not in at("جاء تحرير ترهونة من يد قوات الوفاق بعد معارك.", TARHUNA)


def test_an_offensive_to_retake_a_city_from_a_side_is_the_other_sides():
    text = "Last year Haftar began a campaign to retake Tripoli from the control of the Government of National Accord."
    assert (Side.GNA, ClaimType.ATTACK) not in at(text, TRIPOLI)
    text = "The LNA wrested Gharyan from the GNA after a week of fighting."
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.CONTROL)}


# 2. A nominal trigger takes the side right after it, not one inside a modifier before it.
def test_a_nominal_trigger_takes_its_genitive_agent():
    text = "اعترفت صفحات موالية لقوات حفتر بسيطرة قوات الوفاق على قاعدة الوطية."
    assert at(text, WATIYA) == {(Side.GNA, ClaimType.CONTROL)}
    text = "نقلت قنوات داعمة لحكومة الوفاق خبر استعادة قوات حفتر مدينة غريان."
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.CONTROL)}


# 3. A past state in a relative clause is background.
def test_a_past_presence_in_a_relative_clause_is_not_holding_now():
    text = "قالت مصادر إن قوات حفتر التي كانت تسيطر على قاعدة الوطية انسحبت جنوبا."
    assert at(text, WATIYA) == {(Side.LNA, ClaimType.WITHDRAWAL)}
    text = "Sources said Haftar's forces that had controlled Gharyan withdrew southwards."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, GHARYAN)
    text = "Haftar's troops, who had been stationed in Gharyan, pulled out on Tuesday."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, GHARYAN)


def test_years_of_holding_before_a_withdrawal_are_background():
    text = "انسحبت قوات حفتر من قاعدة الوطية بعد خمس سنوات من السيطرة عليها."
    assert at(text, WATIYA) == {(Side.LNA, ClaimType.WITHDRAWAL)}


# 4. A failed attempt is no control.
def test_storming_without_taking_is_an_attack_not_control():
    text = "اقتحمت قوات الوفاق قاعدة الوطية ثلاث مرات دون التمكن من السيطرة عليها."
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, WATIYA)
    text = "GNA forces stormed Tarhuna twice without managing to take it."
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, TARHUNA)
    text = "Haftar's fighters failed to capture Gharyan on Monday."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, GHARYAN)


# 5. A city that only locates a more specific place gets no claim.
def test_a_city_that_locates_a_place_is_not_claimed():
    text = "LNA aircraft bombed Mitiga International Airport in Tripoli on Sunday."
    assert at(text, TRIPOLI) == set() and (Side.LNA, ClaimType.STRIKE) in at(text, MITIGA)
    text = "قصفت طائرات حفتر مطار معيتيقة في طرابلس فجر اليوم."
    assert at(text, TRIPOLI) == set() and (Side.LNA, ClaimType.STRIKE) in at(text, MITIGA)


def test_an_unnamed_facility_in_a_city_is_no_claim_on_the_city():
    text = "GNA forces said they had seized the compound in southern Tripoli."
    assert (Side.GNA, ClaimType.CONTROL) not in at(text, TRIPOLI)


# 6. Intent is no attack.
def test_a_plot_to_attack_is_not_an_attack():
    text = "The GNA interior ministry arrested a cell in Sabratha that were plotting to carry out a deadly bomb attack in the city."
    assert at(text, SABRATHA) == set()
    text = "اعتقلت قوات الوفاق خلية في صبراتة كانت تخطط لتنفيذ هجوم في المدينة."
    assert at(text, SABRATHA) == set()


# 7. A neutral speaker does not inherit the previous speaker's side.
def test_a_neutral_government_does_not_speak_for_the_side_quoted_before():
    text = ("The LNA said it had destroyed GNA positions in Gharyan. "
            "Separately, Tunisia announced that three of its citizens died in the strike on a camp in Tajoura.")
    assert (Side.LNA, ClaimType.STRIKE) not in at(text, TAJOURA)
    text = ("قالت قوات حفتر إنها دمرت مواقع للوفاق في غريان. "
            "من جهتها أعلنت الأمم المتحدة مقتل مدنيين في القصف على تاجوراء.")
    assert (Side.LNA, ClaimType.STRIKE) not in at(text, TAJOURA)


# 8. Raids are strikes, not control.
def test_raiding_a_place_is_no_control():
    text = "The offensive on Tripoli entered its third day with Haftar's forces raiding the capital's Mitiga airport."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, MITIGA)
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, TRIPOLI)
    text = "نفذت طائرات حفتر إغارة على مطار معيتيقة."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, MITIGA)


def test_the_bracketed_short_name_of_the_side_taken_from_is_the_loser_too():
    text = ("In May, Haftar, the commander of the LNA, opened a campaign to retake Tripoli from the control of "
            "the UN-backed Government of National Accord (GNA).")
    assert (Side.GNA, ClaimType.ATTACK) not in at(text, TRIPOLI)


def test_a_base_for_launching_attacks_is_not_attacked():
    text = "ولم يبق لمليشيات حفتر سوى بلدة ترهونة كقاعدة خلفية لشن الهجمات على العاصمة طرابلس."
    assert (Side.LNA, ClaimType.ATTACK) not in at(text, TARHUNA)
    text = "Haftar's forces still use Tarhuna as a rear base to launch attacks on Tripoli."
    assert (Side.LNA, ClaimType.ATTACK) not in at(text, TARHUNA)


def test_managing_to_advance_is_an_advance_not_a_purpose():
    text = "Reports said Haftar's forces managed to advance on Gharyan on Sunday."
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.ADVANCE)}


def test_the_subject_before_the_verb_is_the_speaker():
    text = "وكانت قوات الوفاق قد أعلنت الأربعاء تحرير مدينة غريان التي يطمع فيها حفتر."
    an = extract(Article("u", "", text, PUBLISHED, ""))
    assert {c.claimed_by for c in an.claims if c.place_id == GHARYAN} == {Side.GNA}


def test_a_side_found_in_a_sentence_naming_one_side_only_is_stronger_evidence():
    from pipeline.lexicon import evidence_confidence
    from pipeline.models import Evidence

    def whys(text):
        return {c.why for c in extract(Article("u", "", text, PUBLISHED, "")).claims if c.place_id == GHARYAN}

    assert whys("Forces of the Government of National Accord, backed by drones, seized Gharyan.") == {Evidence.SOLE}
    assert whys("Forces of the Government of National Accord, after a week against the LNA, seized Gharyan.") & {
        Evidence.CLAUSE, Evidence.SENTENCE}
    conf = evidence_confidence()
    # measured with the blind articles too: a side picked in its clause is as reliable as a sole side (21 of 21)
    assert conf[Evidence.SOLE] >= conf[Evidence.CLAUSE] and conf[Evidence.SOLE] > conf[Evidence.SENTENCE]


def test_a_side_that_loses_a_town_withdraws_from_it():
    assert at("Haftar's forces lost the town of Gharyan to GNA troops on Wednesday.", GHARYAN) == {
        (Side.LNA, ClaimType.WITHDRAWAL)}
    assert at("خسرت مليشيات حفتر مدينة غريان بعد معارك عنيفة.", GHARYAN) == {(Side.LNA, ClaimType.WITHDRAWAL)}


def test_losing_fighters_in_a_town_is_no_loss_of_the_town():
    assert (Side.GNA, ClaimType.WITHDRAWAL) not in at("The GNA lost three fighters in Gharyan on Monday.", GHARYAN)
    assert (Side.GNA, ClaimType.WITHDRAWAL) not in at("خسرت قوات الوفاق ثلاثة مقاتلين في غريان.", GHARYAN)


def test_seeking_control_for_a_year_is_no_control():
    text = "وتحاول مليشيات حفتر منذ أكثر من عام الوصول إلى طرابلس، وتسعى قواتها إلى السيطرة على العاصمة طرابلس."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, TRIPOLI)
    text = "Haftar's forces have tried for more than a year to take control of Tripoli."
    assert (Side.LNA, ClaimType.CONTROL) not in at(text, TRIPOLI)
    assert (Side.GNA, ClaimType.CONTROL) in at("أدى الهجوم إلى السيطرة على غريان من قبل قوات الوفاق.", GHARYAN)


def test_a_clash_has_no_side_because_both_act_an_unclaimed_strike_because_none_is_named():
    from pipeline.models import Evidence

    def whys(text):
        return {c.why for c in extract(Article("u", "", text, PUBLISHED, "")).claims if c.place_id == GHARYAN}

    assert whys("Heavy clashes erupted in Gharyan on Monday.") == {Evidence.BOTH}
    assert whys("Shells fell on Gharyan on Monday.") == {Evidence.NONE}


def test_civilians_fleeing_is_no_withdrawal():
    assert at("Families in Gharyan fled the fighting on Sunday.", GHARYAN) == set()
    assert (None, ClaimType.WITHDRAWAL) not in at("نزحت عشرات العائلات من غريان بسبب القصف.", GHARYAN)
    assert at("فر الأهالي من غريان مع اقتراب المعارك.", GHARYAN) <= {(None, ClaimType.CLASH)}
    assert at("Haftar's fighters fled Gharyan.", GHARYAN) == {(Side.LNA, ClaimType.WITHDRAWAL)}


def test_driving_a_possessive_named_side_out_is_the_drivers():
    assert at("The GNA drove Haftar's forces out of Gharyan.", GHARYAN) == {(Side.GNA, ClaimType.REPELLED)}
    assert at("Haftar's forces pushed the GNA's fighters back from Tarhuna.", TARHUNA) == {
        (Side.LNA, ClaimType.REPELLED)}


def test_repelling_a_sides_possessive_attack_is_the_repellers():
    assert at("GNA forces repelled Haftar's assault on Gharyan.", GHARYAN) == {(Side.GNA, ClaimType.REPELLED)}
    assert at("Haftar's forces thwarted the GNA's offensive on Tarhuna.", TARHUNA) == {(Side.LNA, ClaimType.REPELLED)}


def test_an_advance_named_as_a_noun_takes_the_side_after_it():
    text = "نقلت حسابات قريبة من حكومة الوفاق تقدم مليشيات حفتر في محور عين زارة."
    assert at(text, "mihwar:ain_zara") == {(Side.LNA, ClaimType.ADVANCE)}
    text = "أقرت منصات تابعة لقوات حفتر تراجع قوات الوفاق من غريان."
    assert at(text, GHARYAN) == {(Side.GNA, ClaimType.WITHDRAWAL)}


def test_a_side_named_as_the_patron_of_media_is_no_side_of_the_claim():
    assert at("Outlets loyal to Haftar reported heavy shelling of Gharyan overnight.", GHARYAN) == {
        (None, ClaimType.STRIKE)}
    assert at("Pro-GNA pages reported heavy shelling of Gharyan overnight.", GHARYAN) == {(None, ClaimType.STRIKE)}
    assert at("تحدثت حسابات موالية لحفتر عن قصف عنيف على غريان.", GHARYAN) == {(None, ClaimType.STRIKE)}
    # but what the media say of "its units" is the patron's
    assert at("Pro-Haftar media said its units had pulled out of Gharyan.", GHARYAN) == {
        (Side.LNA, ClaimType.WITHDRAWAL)}


def test_the_withdrawal_of_forces_from_a_town_leaves_the_town():
    text = "Sources confirmed the withdrawal of Haftar's forces from Gharyan on Wednesday."
    assert at(text, GHARYAN) == {(Side.LNA, ClaimType.WITHDRAWAL)}
    assert at("Fighters from Gharyan withdrew from the front on Wednesday.", GHARYAN) == set()

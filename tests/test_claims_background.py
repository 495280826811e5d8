"""Background is not news (third round of issue 8): places named in passing get no claim, stated as
domain facts with invented sentences in Arabic and English."""
import datetime as dt

from pipeline.claims import extract
from pipeline.models import Article, ClaimType, Side

TRIPOLI, AIN_ZARA, YARMOUK = "gn:2210247", "mihwar:ain_zara", "mihwar:yarmouk_camp"
PUBLISHED = dt.date(2019, 9, 20)


def at(text, place, source=""):
    an = extract(Article("b", "", text, PUBLISHED, source))
    return {(c.side, c.claim) for c in an.claims if c.place_id == place}


# 1. The war told as a lasting state ("since April") is no event, when it names no side.
def test_sideless_fighting_since_a_month_is_background():
    assert at("Clashes have gone on in Ain Zara since April, residents say.", AIN_ZARA) == set()
    assert at("تدور اشتباكات متقطعة في عين زارة منذ بدء الهجوم على العاصمة.", AIN_ZARA) == set()


def test_fighting_on_a_day_is_still_news():
    assert at("Clashes broke out in Ain Zara on Tuesday, residents said.", AIN_ZARA) == {(None, ClaimType.CLASH)}
    assert at("اندلعت اشتباكات عنيفة في عين زارة أمس الثلاثاء.", AIN_ZARA) == {(None, ClaimType.CLASH)}


def test_a_side_named_since_a_month_keeps_its_attack():
    text = "Haftar's forces have attacked Ain Zara repeatedly since April."
    assert (Side.LNA, ClaimType.ATTACK) in at(text, AIN_ZARA)


# 2. Fighting south of a city is not fighting in the city; around a camp it is at the camp.
def test_fighting_south_of_a_city_is_no_clash_in_it():
    assert at("Heavy fighting raged south of Tripoli on Monday.", TRIPOLI) == set()
    assert at("تواصلت المعارك جنوب طرابلس أمس الإثنين.", TRIPOLI) == set()


def test_fighting_around_a_camp_is_at_the_camp():
    assert at("قال مسؤول إن الاشتباكات انتقلت إلى محيط معسكر اليرموك.", YARMOUK) == {(None, ClaimType.CLASH)}


# 3. An airport named by its town is the airport, and a city that only locates it gets no claim.
def test_a_towns_airport_is_the_airport_not_the_town():
    text = "شن سلاح الجو التابع لقوات حفتر غارات على مطار زوارة فجر اليوم."
    assert at(text, "mihwar:zuwara_airport") == {(Side.LNA, ClaimType.STRIKE)}
    assert at(text, "mihwar:zuwara") == set()
    assert at("Haftar's jets struck Zuwara airport on Thursday.", "mihwar:zuwara_airport") == {
        (Side.LNA, ClaimType.STRIKE)}


def test_an_airfield_in_the_capital_is_the_airfield():
    text = "The LNA said its aircraft had attacked the Mitiga airfield in Tripoli."
    assert at(text, "mihwar:mitiga_airport") == {(Side.LNA, ClaimType.ATTACK)}
    assert at(text, TRIPOLI) == set()


# 4. An attack said to be launched by a side and repelled is that side's attack too.
def test_a_repelled_attack_launched_by_a_side_is_its_attack():
    text = "قال مسؤول محلي إن قوات الوفاق صدت أمس هجوما شنته قوات حفتر على عين زارة."
    assert at(text, AIN_ZARA) == {(Side.GNA, ClaimType.REPELLED), (Side.LNA, ClaimType.ATTACK)}
    text = "GNA forces repelled an attack launched by Haftar's forces on Ain Zara on Friday."
    assert at(text, AIN_ZARA) == {(Side.GNA, ClaimType.REPELLED), (Side.LNA, ClaimType.ATTACK)}
    text = "صدت قوات الوفاق هجوما عنيفا شنته مليشيات حفتر على عين زارة فجر اليوم."
    assert at(text, AIN_ZARA) == {(Side.GNA, ClaimType.REPELLED), (Side.LNA, ClaimType.ATTACK)}


def test_a_repelled_attack_gives_no_attack_without_its_attacker_named_so():
    # a bare genitive only says whose attack it was; a side after "by" that is the repeller's own is no attacker
    assert at("صدت قوات حفتر هجوم قوات الوفاق على عين زارة.", AIN_ZARA) == {(Side.LNA, ClaimType.REPELLED)}
    text = "Forces backed by the GNA repelled an attack on Ain Zara."
    assert (Side.LNA, ClaimType.ATTACK) not in at(text, AIN_ZARA)


# 5. A comma lists towns; it does not make the first the frame of the next.
def test_every_town_of_a_comma_list_is_claimed():
    text = "GNA forces entered Al-Ajaylat, Al-Jmail, Regdalin and Al-Assa on Monday."
    assert at(text, "mihwar:al_jmail") == {(Side.GNA, ClaimType.CONTROL)}
    text = "دخلت قوات الوفاق بلدات العجيلات، الجميل، رقدالين أمس."
    assert at(text, "mihwar:al_jmail") == {(Side.GNA, ClaimType.CONTROL)}


# 6. "Both attacks" blamed on a side reach back to the two attacks told before; a singular only to the last.
def test_both_attacks_blamed_on_a_side_are_its_strikes():
    text = ("An air strike hit a factory in Ain Zara late on Saturday. Two days earlier another raid destroyed "
            "houses in Salah al-Din. The GNA blamed both attacks on Haftar's forces.")
    assert at(text, AIN_ZARA) == {(Side.LNA, ClaimType.STRIKE)}
    assert at(text, "mihwar:salah_al_din") == {(Side.LNA, ClaimType.STRIKE)}
    text = ("قصفت طائرة مسيرة مصنعا في عين زارة مساء السبت. وقبل يومين دمرت غارة أخرى منازل في صلاح الدين. "
            "واتهمت حكومة الوفاق قوات حفتر بتنفيذ الغارتين.")
    assert at(text, AIN_ZARA) == {(Side.LNA, ClaimType.STRIKE)}


def test_one_attack_blamed_on_a_side_is_only_the_last_one():
    text = ("An air strike hit a factory in Ain Zara late on Saturday. Two days earlier another raid destroyed "
            "houses in Salah al-Din. The GNA blamed the raid on Haftar's forces.")
    assert at(text, AIN_ZARA) == {(None, ClaimType.STRIKE)}
    assert at(text, "mihwar:salah_al_din") == {(Side.LNA, ClaimType.STRIKE)}


# 7. Around a city, on its edge or its fringes, is a reference point like south of it.
def test_areas_around_a_city_are_not_the_city():
    assert at("Haftar's forces seized several areas around Tripoli on Friday.", TRIPOLI) == set()
    assert at("Heavy clashes broke out on the southern edge of Tripoli on Monday.", TRIPOLI) == set()
    assert at("سيطرت قوات حفتر على مواقع على أطراف طرابلس أمس.", TRIPOLI) == set()
    assert at("اندلعت اشتباكات حول طرابلس أمس.", TRIPOLI) == set()


# 8. Fighting somewhere in a whole district, no side named, is no event at a place.
def test_sideless_fighting_in_a_district_is_no_claim():
    assert at("اندلعت اشتباكات عنيفة في الجبل الغربي أمس.", "gn:7602689") == set()
    assert at("Heavy fighting broke out in Jabal al Gharbi on Monday.", "gn:7602689") == set()


def test_a_side_taking_a_district_keeps_its_claim():
    assert at("سيطرت قوات حفتر على الجفرة أمس.", "gn:2219944") == {(Side.LNA, ClaimType.CONTROL)}


# 9. An attack named as what was ended, with no side of its own, is background.
def test_an_ended_attack_without_its_side_is_no_event():
    assert at("ساعد الدعم الخارجي الحكومة على التقدم، لتنهي قواتها هجوماً على عين زارة.", AIN_ZARA) == set()
    assert at("The advance put an end to an attack on Ain Zara.", AIN_ZARA) == set()
    # with its side named it is still that side's attack
    assert at("GNA forces ended Haftar's offensive on Ain Zara on Thursday.", AIN_ZARA) == {(Side.LNA, ClaimType.ATTACK)}
    assert at("وضعت القوات حدا للهجوم على عين زارة.", AIN_ZARA) == set()


def test_what_ends_with_an_attack_or_a_clash_still_reports_it():
    assert at("The truce ended with an attack on Ain Zara on Monday.", AIN_ZARA) == {(None, ClaimType.ATTACK)}
    assert at("The weekend ended with clashes in Ain Zara on Sunday.", AIN_ZARA) == {(None, ClaimType.CLASH)}
    # ending the fighting is not ending an offensive: the clash is still news
    assert at("A ceasefire ended the fighting in Ain Zara on Sunday.", AIN_ZARA) == {(None, ClaimType.CLASH)}


# 10. A front named after a city frames the places on it: the fighting is at those places.
def test_a_citys_front_frames_its_places():
    text = "Fighting raged on the Tripoli fronts of Ain Zara and Salah al-Din on Monday."
    assert at(text, TRIPOLI) == set()
    assert at(text, AIN_ZARA) == {(None, ClaimType.CLASH)}
    text = "The LNA was drawn into fighting on southern Tripoli frontlines like Ain Zara."
    assert at(text, TRIPOLI) == set()

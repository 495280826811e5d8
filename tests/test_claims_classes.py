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

"""The place matcher: curated front-line places, clitics, variants, and what must not match."""
import pytest

from gazetteer.matcher import MatchKind, default_matcher

CURATED = [
    ("مطار طرابلس العالمي", "Tripoli International Airport", "mihwar:tripoli_international_airport"),
    ("مطار معيتيقة", "Mitiga airport", "mihwar:mitiga_airport"),
    ("قاعدة الوطية", "al-Watiya air base", "mihwar:al_watiya_air_base"),
    ("عين زارة", "Ain Zara", "mihwar:ain_zara"),
    ("وادي الربيع", "Wadi al-Rabie", "mihwar:wadi_al_rabie"),
    ("الخلاطات", "Khallatat", "mihwar:khallatat"),
    ("خلة الفرجان", "Khallat al-Furjan", "mihwar:khallat_al_furjan"),
    ("صلاح الدين", "Salah al-Din", "mihwar:salah_al_din"),
    ("سوق الأحد", "Souq al-Ahad", "mihwar:souq_al_ahad"),
    ("خلة بوعون", "Khallat Bu Oun", "mihwar:khallat_bu_oun"),
    ("معسكر اليرموك", "Yarmouk camp", "mihwar:yarmouk_camp"),
    ("ترهونة", "Tarhuna", "mihwar:tarhuna"),
    ("غريان", "Gharyan", "mihwar:gharyan"),
]


def ids(text):
    return [m.place.id for m in default_matcher().find(text)]


@pytest.mark.parametrize(("arabic", "english", "place_id"), CURATED)
def test_curated_place_found_in_arabic_english_and_with_clitics(arabic, english, place_id):
    assert ids(f"اشتباكات في {arabic} اليوم") == [place_id]
    assert ids(f"Fighting was reported in {english} on Monday.") == [place_id]
    assert ids(f"قصف على و{arabic} أمس") == [place_id]
    assert ids(f"تقدم نحو ب{arabic}") == [place_id]


def test_transliteration_variant_finds_ain_zara():
    assert ids("clashes in Ayn Zarah") == ["mihwar:ain_zara"]


def test_fuzzy_spelling_variant_is_found_and_says_so():
    found = default_matcher().find("Heavy fighting near Misrtata overnight.")
    assert [m.place.name for m in found] == ["Misrata"]
    assert found[0].how is MatchKind.FUZZY


def test_longest_name_wins():
    found = default_matcher().find("السيطرة على مطار طرابلس العالمي")
    assert [(m.surface, m.place.id) for m in found] == [("مطار طرابلس العالمي", "mihwar:tripoli_international_airport")]


def test_a_word_for_a_kind_of_place_names_none():
    """«مدينة» is "city" (a village of the east is called المدينة): it introduces the place that follows."""
    assert ids("منذ استعادة قوات الوفاق طرابلس ومدينة ترهونة مطلع يونيو") == ["gn:2210247", "mihwar:tarhuna"]
    assert ids("دخلت القوات المدينة بعد معارك عنيفة") == []


def test_benghazi_listed_after_ajdabiya_is_the_city():
    """A list near Ajdabiya does not pull Benghazi to a second, misplaced record: there is one Benghazi."""
    assert ids("توجه معظم النازحين إلى أجدابيا وبنغازي.")[1] == "gn:88319"


def test_no_match_inside_another_word():
    assert ids("الخطة الاستراتيجية للحكومة") == []


def test_common_words_need_a_place_cue():
    assert ids("عبر النهر الكبير") == []
    assert ids("في ليلة بدر") == []
    assert ids("قال إن الجميل لا ينسى") == []
    assert ids("سيطرت القوات على مدينة بدر") == ["mihwar:badr"]
    assert ids("took control of the towns of Badr and Tiji") == ["mihwar:badr", "mihwar:tiji"]


def test_common_word_in_a_list_of_places_is_a_place():
    assert ids("في مناطق الخلاطات، واليرموك، والنهر") == [
        "mihwar:khallatat", "mihwar:yarmouk_camp", "mihwar:nahr_axis"]


def test_tripoli_in_lebanon_is_not_libyas_capital():
    assert ids("اشتباكات في طرابلس اللبنانية") == []
    assert ids("Protests in Tripoli, Lebanon") == []
    assert ids("اشتباكات في طرابلس") == ["gn:2210247"]


def test_country_name_is_not_a_point():
    assert ids("وقف إطلاق النار في ليبيا") == []


def test_shared_name_resolves_to_the_important_place():
    (m,) = default_matcher().find("تقدم نحو الوشكة")
    assert m.place.id == "mihwar:al_wishka"
    assert 30.5 < m.place.lat < 31.5 and 15.0 < m.place.lon < 16.5  # central Libya, between Misrata and Sirte


def test_short_reference_resolves_from_article_context():
    found = default_matcher().find('السيطرة على مطار طرابلس العالمي. صد هجوم في "المطار".')
    assert [m.place.id for m in found] == ["mihwar:tripoli_international_airport"] * 2
    assert found[1].how is MatchKind.REFERENCE


def test_offsets_point_at_the_surface():
    text = "وقالت إن قواتها تصدت لمحاولة تقدم في محور العزيزية"
    (m,) = default_matcher().find(text)
    assert text[m.start : m.end] == m.surface == "العزيزية"


@pytest.mark.parametrize(
    "text",
    ["Al Jazeera reported heavy fighting.", "وذكرت الجزيرة أن القتال مستمر", "Ahmed Maiteeg said on Monday",
     "Fathi Bashagha said", "Aguila Saleh said", "Libya Dawn forces", "Jordan and Egypt", "Hassan said",
     "اندلعت اشتباكات في مناطق و مدن ـ"],
)
def test_people_media_and_common_words_are_not_places(text):
    assert ids(text) == []


def test_transliterations_of_a_place_still_match_without_a_cue():
    assert ids("Tarhouna") == ["mihwar:tarhuna"]
    assert ids("Qasr Ben Gashir") == ["mihwar:qasr_bin_ghashir"]


def test_english_short_reference_and_an_appositive_that_is_not_one():
    found = default_matcher().find("The LNA struck Misrata airport. Flights at the airport were suspended.")
    assert [(m.place.id, m.how) for m in found] == [
        ("mihwar:misrata_airport", MatchKind.ALIAS), ("mihwar:misrata_airport", MatchKind.REFERENCE)]
    assert ids("Tripoli is calm. Forces recaptured the town of Gharyan.") == ["gn:2210247", "mihwar:gharyan"]


def _curated():
    from gazetteer.records import default_places

    return [p for p in default_places() if p.id.startswith("mihwar:") and p.id != "mihwar:al_watiya_village"]


@pytest.mark.parametrize("place", _curated(), ids=lambda p: p.id)
def test_every_curated_place_is_found_by_its_arabic_and_english_names(place):
    if place.name_ar:
        assert ids(f"اشتباكات في منطقة {place.name_ar} اليوم") == [place.id]
        if not place.name_ar.startswith("و"):
            assert ids(f"اشتباكات في منطقة و{place.name_ar} اليوم") == [place.id]
    assert ids(f"Fighting near the town of {place.name} on Monday.") == [place.id]


def test_the_watiya_base_is_the_default_reading_of_al_watiya():
    assert ids("سيطرت قوات الوفاق على قاعدة الوطية") == ["mihwar:al_watiya_air_base"]
    assert ids("GNA forces took the Watiya air base") == ["mihwar:al_watiya_air_base"]


def test_a_common_word_is_a_place_at_either_end_of_a_list_of_places() -> None:
    # «النهر» ("the river") needs a place cue on its own; in a list of places it is the al-Nahr axis,
    # whether it opens the list or closes it.
    m = default_matcher()
    for text in ("والنهر وعين زارة ووادي الربيع وخلة الفرجان", "عين زارة ووادي الربيع وخلة الفرجان والنهر"):
        assert "al-Nahr axis" in {x.place.name for x in m.find(text)}
    assert m.find("يجري النهر في الوادي") == []


@pytest.mark.parametrize("text", ["اشتباكات في عين ز\u200dارة", "اشتباكات في عين زا\u00adرة", "clashes in Ain Za\u00adra",
                                  "clashes in Ain Z\u200bara", "اشتباكات في \u202eعين زارة"])
def test_invisible_marks_inside_a_name_do_not_hide_the_place(text: str) -> None:
    assert [m.place.name for m in default_matcher().find(text)] == ["Ain Zara"]


def test_a_name_is_not_found_inside_a_word_once_its_hamza_is_dropped():
    assert ids("جاءت التعزيزات من الجنوب") == []  # «جاءت» (came) is not Ghat «جات»
    assert ids("سيطرت القوات على غات") == ["gn:2217351"]


def test_a_short_minor_name_behind_a_clitic_needs_a_place_cue():
    assert ids("ودرج المكتب على ذلك") == []
    assert ids("وصلت القوات إلى بلدة درج") == ["gn:2217774"]


def test_the_town_refers_to_the_town_not_to_the_capital():
    text = "Government forces seized Gharyan in an offensive on Tripoli. Fighting broke out inside the town."
    found = default_matcher().find(text)
    assert [m.place.id for m in found if m.how is MatchKind.REFERENCE] == ["mihwar:gharyan"]


def test_the_base_refers_to_the_base_named_before_but_al_qaeda_does_not():
    found = default_matcher().find("أعلنت قوات الوفاق تحرير قاعدة الوطية الجوية. وقال قنونو إن قواتنا دخلت القاعدة.")
    assert [m.place.id for m in found if m.how is MatchKind.REFERENCE] == ["mihwar:al_watiya_air_base"]
    found = default_matcher().find("سيطرت القوات على قاعدة الوطية في الحرب على تنظيم القاعدة.")
    assert [m.how for m in found] == [MatchKind.ALIAS]


def test_the_two_cities_are_the_last_pair_named_together():
    text = ("GNA forces entered Sabratha and Surman. Fighters from Zuwara and Zawiya had advanced on the two cities.")
    found = default_matcher().find(text)
    assert sorted(m.place.id for m in found if m.how is MatchKind.REFERENCE) == ["mihwar:sabratha", "mihwar:surman"]


def test_a_namesake_abroad_once_is_abroad_in_the_whole_text():
    text = "Tripoli, Lebanon's second city, saw protests. Crowds in Tripoli chanted all night."
    assert ids(text) == []


def test_a_conjunction_before_a_hamza_is_not_the_first_letter_of_a_name():
    assert ids("وأدان المجلس الرئاسي القصف") == []  # "and he condemned", not Waddan «وادان»


def test_what_a_matcher_remembers_of_a_word_or_name_carries_no_context_to_the_next_text():
    # the matcher keeps answers that depend on a word or a name only (whether it needs a cue, which cue
    # lists a word is in, what its entries name); a cue or a foreign marker in one text decides nothing
    # in another, in either order
    from gazetteer.matcher import Matcher

    m = Matcher(default_matcher().places)
    texts = [("سيطرت القوات على مدينة بدر", ["mihwar:badr"]), ("في ليلة بدر", []),
             ("Protests in Tripoli, Lebanon", []), ("Fighting in Tripoli", ["gn:2210247"])]
    for order in (texts, texts[::-1], texts):
        for text, want in order:
            assert [x.place.id for x in m.find(text)] == want, text


def test_the_airport_axis_of_tripoli_is_the_international_airport():
    found = [(m.surface, m.place.id) for m in default_matcher().find("وفي محور المطار، صدت القوات هجوما.")]
    assert found == [("محور المطار", "mihwar:tripoli_international_airport")]


def test_a_lowercase_common_word_in_cased_english_is_no_place():
    text = "Forces entered the base at dawn, a short drive from Tripoli, the Army said."
    assert [(m.surface, m.place.id) for m in default_matcher().find(text)] == [("Tripoli", "gn:2210247")]


def test_abu_names_are_found_joined_as_libyan_writing_often_has_them():
    found = [(m.surface, m.place.id) for m in default_matcher().find("قصف على أبوسليم وأبوقرين")]
    assert found == [("أبوسليم", "mihwar:abu_salim"), ("وأبوقرين", "mihwar:abu_grain")]

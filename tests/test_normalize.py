"""Arabic and Latin normalization: letter variants, clitics, transliteration pairs."""
from hypothesis import given
from hypothesis import strategies as st

from gazetteer.normalize import clitic_forms, latin_key, name_key, normalize_aligned, normalize_text


def test_alef_hamza_taa_marbuta_alef_maqsura_diacritics_tatweel_unify():
    assert normalize_text("أَحْمَد") == normalize_text("احمد")
    assert normalize_text("إسبيعة") == normalize_text("اسبيعه")
    assert normalize_text("مصطفى") == normalize_text("مصطفي")
    assert normalize_text("طـرابـلس") == "طرابلس"
    assert normalize_text("ی ک") == "ي ك"  # Persian yeh and keheh
    assert normalize_text("عين\u00a0زارة") == "عين زاره"


def test_clitics_are_stripped_from_arabic_tokens():
    assert "خلاطات" in clitic_forms("والخلاطات")
    assert "عين" in clitic_forms("بعين")
    assert "مطار" in clitic_forms("للمطار")
    assert "يرموك" in clitic_forms("واليرموك")


def test_transliteration_variants_share_a_key():
    assert name_key("Ain Zara") == name_key("Ayn Zarah") == name_key("Ein Zara")
    assert latin_key("Tarhouna") == latin_key("Tarhuna") == latin_key("Tarhunah")
    assert name_key("al-Watiya") == name_key("Watiya")
    assert latin_key("Gasr") == latin_key("Qasr")


def test_aligned_normalization_keeps_a_map_to_original_offsets():
    text = "هجوماً على ترهونة"
    norm, mapping = normalize_aligned(text)
    assert norm == "هجوما علي ترهونه"
    assert mapping is not None and text[mapping[norm.index("ترهونه")]] == "ت"


@given(st.text(alphabet=st.sampled_from(list("أإآاةهىيـًٌٍَُِّْءؤئ طرابلس AinZarah-'é")), max_size=40))
def test_normalization_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_one_position_system_for_matcher_and_claims():
    from gazetteer.normalize import NormalizedText
    tx = NormalizedText("قصفت\u0651 قواتُ حفتر غريان")  # diacritics are dropped from the normalized text
    assert tx.norm == "قصفت قوات حفتر غريان"
    assert tx.n("قصفت\u0651 قواتُ حفتر ".__len__()) == tx.norm.index("غريان")
    assert [t.text for t in tx.tokens] == ["قصفت", "قوات", "حفتر", "غريان"]
    assert tx.tokens_between(0, tx.norm.index("غريان")) == 3 and tx.prev_tokens(tx.norm.index("غريان"), 2) == [
        "قوات", "حفتر"]

"""NormalizedText.prev_tokens: the k tokens before an offset, none before a floor (read off token offsets)."""
from gazetteer.normalize import NormalizedText


def test_prev_tokens_counts_back_from_an_offset_and_stops_at_the_floor():
    tx = NormalizedText("قالت قوات الوفاق إنها سيطرت على العزيزية")
    at = tx.norm.index("سيطرت")
    assert tx.prev_tokens(at, 2) == ["الوفاق", "انها"]  # hamza folded: إنها -> انها
    assert tx.prev_tokens(at, 10) == ["قالت", "قوات", "الوفاق", "انها"]
    assert tx.prev_tokens(at, 10, floor=tx.norm.index("الوفاق")) == ["الوفاق", "انها"]
    assert tx.prev_tokens(at, 3, floor=at) == [] and tx.prev_tokens(0, 3) == []


def test_prev_tokens_inside_a_token_and_in_latin_text():
    tx = NormalizedText("Haftar's forces shelled Ain Zara.")
    assert tx.prev_tokens(tx.norm.index("zara") + 2, 3) == ["shelled", "ain", "zara"]  # the token it is inside
    assert tx.prev_tokens(tx.norm.index("shelled"), 5) == ["haftar's", "forces"]

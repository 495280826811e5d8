"""Sentences end at full stops, not at the abbreviations of ranks and times."""
from pipeline.sentences import split_sentences


def test_ranks_and_times_do_not_end_a_sentence():
    text = "Forces loyal to Lt. Gen. Khalifa Haftar struck at 3 a.m. on Friday. Col. Mohamed Gununu denied it."
    assert [s.text for s in split_sentences(text)] == [
        "Forces loyal to Lt. Gen. Khalifa Haftar struck at 3 a.m. on Friday.", "Col. Mohamed Gununu denied it."]


def test_arabic_sentences_end_at_full_stops_and_line_breaks():
    text = "سيطرت القوات على المدينة. وانسحبت الأخرى\nإلى الجنوب"
    assert [s.text for s in split_sentences(text)] == ["سيطرت القوات على المدينة.", "وانسحبت الأخرى", "إلى الجنوب"]

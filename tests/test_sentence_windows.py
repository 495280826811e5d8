"""Over-long 'sentences' (lists, text without full stops) are cut into windows at clause ends."""
from __future__ import annotations

from pipeline.sentences import MAX_SENTENCE_CHARS, split_sentences


def test_text_without_full_stops_is_cut_at_clause_ends() -> None:
    clause = "سيطرت قوات الوفاق على عين زارة"
    text = "، ".join([clause] * 80)
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text == text[s.start : s.end] for s in sentences)
    assert all(s.text.startswith("سيطرت") for s in sentences)  # cut after a comma, not inside a clause
    assert sum(s.text.count("عين زارة") for s in sentences) == 80  # nothing lost


def test_ordinary_sentences_are_not_windowed() -> None:
    text = "GNA forces took Gharyan on Tuesday. The LNA said it repelled an attack at Ain Zara."
    assert [s.text for s in split_sentences(text)] == [
        "GNA forces took Gharyan on Tuesday.", "The LNA said it repelled an attack at Ain Zara."]

"""Trying word-list regexes only at the words that can start them (pipeline.wordstarts) finds exactly what
the plain search finds: same matches, same order, on texts built to sit on the edges (Arabic clitics, a
trigger at the very start and end, a word cut by the searched range, apostrophes, digits and underscores
next to a word)."""
import random
import re
from pathlib import Path

from gazetteer.normalize import NormalizedText, token_spans
from pipeline.lexicon import load_lexicon
from pipeline.literals import first_word, gate_of, search
from pipeline.readers import read_paths
from pipeline.wordstarts import WordStarts

ROOT = Path(__file__).resolve().parent.parent

#: Pieces of text: triggers and actor names with and without clitics and endings, words that hold a
#: trigger's letters without being it, and what may stand between words.
_WORDS = ["سيطرت", "وسيطرت", "فالسيطره", "مسيطره", "للسيطره", "بالسيطره", "هجوم", "بهجوم", "والهجوم", "هجوما",
          "صد", "صدت", "وصدت", "انسحبت", "انسحابها", "في", "فيه", "تحت", "سقطت", "بيد", "قوات", "الوفاق", "حفتر",
          "بقوات", "طرابلس", "attack", "attacked", "counterattack", "attacks", "in", "into", "fell", "to", "the",
          "GNA", "gna's", "haftar's", "haftar", "forces", "seized", "control", "of", "fighting", "was", "taken",
          "repelled", "an", "a", "x", "3", "attackʼs", "lʼattack"]
_GAPS = [" ", " ", " ", "  ", ", ", ". ", "'", "’", "-", "_", "1", "\n", "،"]


def _regexes() -> list[re.Pattern[str]]:
    lex = load_lexicon()
    return ([p.regex for p in lex.patterns] + [a.regex for a in lex.actors]
            + [lex.report.arabic, lex.report.latin, lex.deny, lex.complement])


def _same(starts: WordStarts, norm: str, lo: int, hi: int, words: tuple[list[int], list[int]] | None) -> None:
    wanted = list(range(len(starts.regexes)))
    got = starts.search(norm, lo, hi, wanted, words)
    for k, matches in zip(wanted, got, strict=True):
        plain = [m.span() for m in starts.regexes[k].finditer(norm, lo, hi)]
        assert [m.span() for m in matches] == plain, (starts.regexes[k].pattern[:60], norm, lo, hi)


def test_first_word_strings_mark_where_they_stand_in_the_word():
    assert first_word(re.compile(r"(?<!\w)(?:foo|bar)baz")) == {" foobaz", " barbaz"}  # starts the word
    # the few ways a word may begin are listed: with a clitic or without, the word ending after the stem
    assert first_word(re.compile(r"(?<!\w)(?:[وف])?هجوم(?!\w)")) == {" هجوم ", " وهجوم ", " فهجوم "}
    assert first_word(re.compile(r"(?<!\w)(?:in\s+the|at)\b")) == {" in ", " at "}
    assert first_word(re.compile(r"(?<!\w)\w*x")) == {"x"}  # anywhere in the word
    assert first_word(re.compile(r"(?<!\w)(?:ab|cd)\w*\s+x")) == {" ab", " cd"}  # the word goes on


def test_regexes_that_can_start_inside_a_word_are_not_tried_at_words():
    assert first_word(re.compile(r"foo")) == frozenset()  # no look-behind: may start anywhere
    assert first_word(re.compile(r"(?<!\w)\s*foo")) == frozenset()  # the word may start later
    assert first_word(re.compile(r"(?<!\w)foo", re.IGNORECASE)) == frozenset()
    assert first_word(re.compile(r"(?<!\w)(?:foo)?")) == frozenset()  # may match nothing
    # a group with flags of its own: its \w and \b are not the rest's ("é" is no word character under (?a:))
    for pattern, text in ((r"(?a:(?<!\w))foo", "éfoo"), (r"(?<!\w)ab(?a:\b)", "abé")):
        assert first_word(re.compile(pattern)) == frozenset()
        starts = WordStarts([re.compile(pattern)])
        assert [m.span() for m in starts.search(text, 0, len(text), [0], token_spans(text))[0]] == \
               [m.span() for m in re.finditer(pattern, text)]


def test_word_starts_find_what_the_plain_search_finds_on_edge_texts():
    starts = WordStarts(_regexes())
    rng = random.Random(4)
    for _ in range(400):
        parts = [rng.choice(_WORDS) + rng.choice(_GAPS) for _ in range(rng.randint(1, 7))]
        text = "".join(parts)
        if rng.random() < 0.5:
            text = text.rstrip(" ,.\n")  # a trigger at the very end
        norm = NormalizedText(text).norm
        cut = rng.randint(0, len(norm))
        for lo, hi in ((0, len(norm)), (cut, len(norm)), (0, cut), (min(cut, 2), max(cut, len(norm) - 2))):
            _same(starts, norm, lo, hi, token_spans(norm))


def test_word_starts_find_what_the_plain_search_finds_on_the_seed_articles():
    starts = WordStarts(_regexes())
    for art in list(read_paths([ROOT / "seeds"]))[:40]:
        tx = NormalizedText(art.text)
        _same(starts, tx.norm, 0, len(tx.norm), tx.token_spans)
        third = len(tx.norm) // 3
        _same(starts, tx.norm, third, 2 * third, tx.token_spans)


def test_a_text_with_an_underscore_is_searched_the_plain_way():
    starts = WordStarts([re.compile(r"(?<!\w)\w*attack")])
    norm = "x_attack attack"
    assert [m.span() for m in starts.search(norm, 0, len(norm), [0])[0]] == [(0, 8), (9, 15)]


def test_a_gate_finds_something_wherever_its_regex_finds_a_match():
    lex = load_lexicon()
    regexes = _regexes() + [getattr(lex, n) for n in ("hypothetical", "background_state", "locator", "background",
                                                      "media_before", "source_before", "goal_before", "modal")]
    words = [*_WORDS, "لو", "ولو", "اذا", "if", "near", "south of", "since", "منذ", "media", "from the control of",
             "towards", "نحو"]
    rng = random.Random(7)
    for _ in range(300):
        norm = NormalizedText("".join(rng.choice(words) + rng.choice(_GAPS) for _ in range(rng.randint(1, 8)))).norm
        lo = rng.randint(0, len(norm))
        hi = rng.randint(lo, len(norm))
        for regex in regexes:
            gate = gate_of(regex)
            if regex.search(norm, lo, hi):
                assert gate is None or gate.search(norm, lo, hi), (regex.pattern[:60], norm, lo, hi)
            assert (search(regex, norm, lo, hi) is None) == (regex.search(norm, lo, hi) is None)


def test_a_gate_looks_for_how_a_first_word_begins():
    gate = gate_of(re.compile(r"(?<!\w)(?:[وف])?(?:لو|اذا)(?!\w)"))
    assert gate is not None
    assert gate.search("وقال لو اتى") and gate.search("فاذا")
    assert not gate.search("اللواء الجلود")  # "لو" inside other words starts no match


def test_triggers_at_the_start_and_end_with_clitics_and_word_edges_are_found_as_before():
    lex = load_lexicon()
    starts = WordStarts([p.regex for p in lex.patterns])
    texts = ["سيطرت قوات الوفاق على المطار", "وقالت إن قوات حفتر انسحبت", "فالسيطرة على العزيزية ثم وسيطرت",
             "المسيطرة مسيطره", "GNA forces attacked", "attack on Tripoli, counterattack", "x'attack l’attack",
             "the militias fled_x and fled"]
    for text in texts:
        norm = NormalizedText(text).norm
        for lo, hi in ((0, len(norm)), (1, len(norm)), (0, len(norm) - 1), (0, 5)):
            _same(starts, norm, lo, hi, token_spans(norm))
    norm = NormalizedText(texts[0]).norm
    found = starts.search(norm, 0, len(norm), range(len(lex.patterns)), token_spans(norm))
    assert any(m.start() == 0 for ms in found for m in ms)  # the trigger that opens the text

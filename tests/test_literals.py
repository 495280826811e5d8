"""Quick tests that skip regexes: the words a regex needs, and regexes rewritten to start with a literal.

Each shortcut must find exactly what the plain regex finds; these tests compare the two on small texts
built to sit on their edges (word boundaries, look-behinds, the start and end of a searched range).
"""
import dataclasses
import itertools
import random
import re
from pathlib import Path

import pytest

from gazetteer.normalize import NormalizedText
from pipeline.claims import find_triggers
from pipeline.lexicon import (
    MODAL_PREFIX,
    _acronym,
    _alternation,
    alternatives,
    load_lexicon,
    modal_spanning,
    spanning_alternatives,
)
from pipeline.literals import may_match, required
from pipeline.readers import read_paths
from pipeline.sentences import _END

ROOT = Path(__file__).resolve().parent.parent


def test_a_regex_needs_its_literal_runs_one_of_each_alternation_and_its_look_aheads():
    assert required(re.compile(r"(?<!\w)(?:foo|bar)baz")) == (frozenset({"foo", "bar"}), frozenset({"baz"}))
    assert required(re.compile(r"x(?=yz)")) == (frozenset({"x"}), frozenset({"yz"}))
    assert required(re.compile(r"a+b{2,}")) == (frozenset({"a"}), frozenset({"b"}))


def test_optional_parts_look_behinds_and_ignored_case_need_nothing():
    assert required(re.compile(r"(?<=ab)c")) == (frozenset({"c"}),)  # what stands before a match is not in it
    assert required(re.compile(r"(?:ab)?cd")) == (frozenset({"cd"}),)
    assert required(re.compile(r"(?:a|)b")) == (frozenset({"b"}),)  # an empty alternative needs nothing
    assert required(re.compile(r"abc", re.IGNORECASE)) == ()
    assert required(re.compile(r"\w+")) == ()


def test_a_string_that_holds_another_of_its_set_is_dropped():
    assert required(re.compile(r"(?:ab|cab|zz)")) == (frozenset({"ab", "zz"}),)  # "cab" holds "ab"


def test_text_without_the_words_a_claim_pattern_needs_has_no_match_of_it():
    lex = load_lexicon()
    texts = ["قصفت مدفعية قوات حفتر أحياء في طرابلس", "the LNA said its forces repelled an attack on Ain Zara",
             "ceasefire talks", "سقطت المدينة في يد قوات الوفاق"]
    for text in texts:
        norm = NormalizedText(text).norm
        for p in lex.patterns:
            if not may_match(p.needs, norm):
                assert not list(p.regex.finditer(norm)), (p.id, text)


def test_skipping_patterns_by_their_words_finds_the_same_triggers_on_the_seed_articles():
    lex = load_lexicon()
    plain = dataclasses.replace(lex, patterns=tuple(dataclasses.replace(p, needs=()) for p in lex.patterns))
    for art in list(read_paths([ROOT / "seeds"]))[:40]:
        norm = NormalizedText(art.text).norm
        got = [(t.start, t.end, t.pattern.id) for t in find_triggers(norm, lex)]
        assert got == [(t.start, t.end, t.pattern.id) for t in find_triggers(norm, plain)], art.id


#: Strings around acronyms: letters, apostrophes, digits and stops on either side, and the possessive.
_EDGES = ["", "x", "'", " ", ".", "1", "_", "'s", "s", "é", "ب"]


@pytest.mark.parametrize("entry", ["GNA", "LNA", "UN", "U.N.", "UNSMIL"])
def test_an_acronym_regex_matches_what_the_word_list_regex_matched(entry):
    plain, fast = _alternation([entry]), _acronym(entry)
    word = entry.lower()
    for before, after, more in itertools.product(_EDGES, _EDGES, _EDGES):
        text = f"{before}{word}{after}{more}{word}"
        for lo, hi in ((0, len(text)), (len(before), len(text)), (0, len(before) + len(word))):
            assert [m.span() for m in fast.finditer(text, lo, hi)] == [m.span() for m in plain.finditer(text, lo, hi)]


#: The end-of-sentence regex as it was written before it started with its marks.
_END_BEFORE = re.compile(r"""(?:(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\bU\.S)(?<!\bSt)(?<!\bMr)(?<!\bDr)[.!?؟…]+["”»')\]]*)(?=\s|$)"""
                         r"""|[\n\r\u2028\u2029\x85]+""")


def test_sentence_ends_are_found_where_the_former_regex_found_them():
    parts = ["A", "a", "U.S", "St", "Mr", "Dr", " ", ".", "!", "?", "؟", "…", "\n", "\r\n", "\u2028", '"', "»", ")",
             "x", "ب"]
    for a, b, c, d in itertools.product(parts, repeat=4):
        text = a + b + c + d
        assert [m.span() for m in _END.finditer(text)] == [m.span() for m in _END_BEFORE.finditer(text)], text


def test_a_regex_splits_into_its_top_level_alternatives():
    assert alternatives("(?:a|b(?:c|d)|[|]e)") == ["a", "b(?:c|d)", "[|]e"]  # nested groups and classes stay whole
    assert alternatives("a|b") == ["a", "b"]
    assert alternatives("(?:a)|(?:b)") == ["(?:a)", "(?:b)"]  # two groups, not one around it all
    assert alternatives(r"(?:[]|]x|\(|y)") == ["[]|]x", r"\(", "y"]


def test_alternatives_that_may_read_past_a_word_are_told_from_the_rest():
    assert spanning_alternatives(r"(?:ab\w*|c d|e\s+f|[^x]y|[ab]+|g.h|i(?!\w)|j\S)") == [
        "c d", r"e\s+f", "[^x]y", "g.h", r"j\S"]  # any escape but \w counts, a negated class and a dot too


def test_a_window_of_words_is_modal_the_same_way_with_the_spanning_alternatives_only():
    """Where no word of the window matches modal alone, modal finds a match in the words joined by spaces
    exactly when its spanning alternatives do (words with an apostrophe aside: they are searched whole)."""
    lex = load_lexicon()
    words = ["in", "order", "matter", "of", "time", "called", "on", "for", "ready", "to", "will", "seek", "x",
             "مساله", "وقت", "امر", "امرت", "قواته", "الجيش", "بسرعه", "يحاول", "ومحاوله", "وin", "the"]
    rng = random.Random(3)
    seen = 0
    for _ in range(3000):
        window = [rng.choice(words) for _ in range(rng.randint(1, 5))]
        if any(lex.modal.match(w) for w in window):
            continue
        joined = " ".join(window)
        seen += bool(lex.modal.search(joined))
        assert bool(lex.modal.search(joined)) == bool(modal_spanning(lex.modal).search(joined)), joined
    assert seen > 50  # the spanning phrases were met


def test_the_spanning_regex_is_made_from_the_modal_regex_it_stands_for():
    """A lexicon given another modal regex gets that regex's spanning alternatives, not the data file's."""
    own = re.compile(MODAL_PREFIX + r"(?:in\s+order|set\s+now|will)")
    assert modal_spanning(own).pattern == MODAL_PREFIX + r"(?:in\s+order|set\s+now)"
    lex = dataclasses.replace(load_lexicon(), modal=own)
    assert modal_spanning(lex.modal).search("forces set now shelled")


@pytest.mark.parametrize("raw", [r"in\s+order|ill", r"(?:in\s+order)|ill", r"(?:(in)\s+order|ill)",
                                 r"(?:(?i:in)\s+order|ill)", r"(?:in\s+order|ill(?#x|y))"])
def test_a_modal_regex_the_split_might_change_is_searched_whole(raw):
    """Not one non-capturing group (the look-behind would cover other alternatives), or with groups, inline
    flags or comments: the whole regex is searched, so "will" still matches where the split would not."""
    modal = re.compile(MODAL_PREFIX + raw)
    assert modal_spanning(modal) is modal

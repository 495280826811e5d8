"""Shortcuts of the claim extractor for text dense with claims: each must give what the plain way gives."""
import itertools
import random

from gazetteer.normalize import LATIN_ARTICLES, TOKEN_RE, NormalizedText
from pipeline.claims import _first_words, _punct_between
from pipeline.models import Side

_PIECES = ["قوات", "الوفاق", "al", "the", "Jmail", "x'y", "و", "،", ", ", ". ", " ", "  ", "طرابلس", "d'", "el-Sirte"]


def _plain(norm: str, a: int, b: int, k: int) -> list[tuple[int, int]]:
    return [m.span() for m in itertools.islice(
        (m for m in TOKEN_RE.finditer(norm, a, b) if m.group() not in LATIN_ARTICLES), k)]


def test_the_first_words_of_a_range_are_the_ones_a_search_of_the_range_finds():
    rng = random.Random(5)
    for _ in range(400):
        tx = NormalizedText("".join(rng.choice(_PIECES) + rng.choice([" ", "", "، "]) for _ in range(rng.randint(1, 9))))
        a = rng.randint(0, len(tx.norm))
        b = rng.randint(a, len(tx.norm))  # also inside a word: the search cuts it there
        assert _first_words(tx, a, b, 3) == _plain(tx.norm, a, b, 3), (tx.norm, a, b)


def test_punctuation_between_two_offsets():
    norm = "قوات الوفاق، طرابلس. x"
    assert _punct_between(norm, 0, len(norm))
    assert not _punct_between(norm, 0, 11)
    assert not _punct_between(norm, 12, 5)  # an empty range has none


def test_each_side_has_the_other_as_opponent():
    assert Side.GNA.opponent is Side.LNA and Side.LNA.opponent is Side.GNA


def _sides(text: str) -> dict[str, tuple]:
    import datetime as dt

    from pipeline.claims import extract
    from pipeline.models import Article
    found = extract(Article(id="x", title="t", text=text, published=dt.date(2020, 6, 3))).claims
    return {c.place_id: (c.claim.value, c.side) for c in found}


def test_what_an_actor_is_named_as_is_the_same_for_every_trigger_that_asks():
    """Whether an actor is named as a target ("مواقع قوات حفتر") is found once an actor for the binding of
    the trigger before it and for side resolution: two triggers of one sentence get the sides each gets alone."""
    both = _sides("قوات الوفاق سيطرت على غريان وقصفت مواقع قوات حفتر في ترهونة.")
    alone = {**_sides("قوات الوفاق سيطرت على غريان."), **_sides("قوات الوفاق قصفت مواقع قوات حفتر في ترهونة.")}
    assert both == alone
    assert both["mihwar:tarhuna"] == ("strike", Side.GNA)  # struck the LNA's positions: the GNA's strike

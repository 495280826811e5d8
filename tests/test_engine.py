"""Bounded extraction of article streams, in this process and in worker processes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import os

from gazetteer.matcher import Matcher, default_matcher
from pipeline import bounds, engine
from pipeline.engine import Analysed, ArticleFailure, analyse, analyse_stream
from pipeline.models import Article, ClaimType, Side
from pipeline.readers import ReadError

GNA_TOOK_AIRPORT = ("أعلنت قوات حكومة الوفاق الأربعاء السيطرة على مطار طرابلس العالمي جنوبي العاصمة.")


def _art(i: int, text: str = GNA_TOOK_AIRPORT) -> Article:
    return Article(id=f"a{i}", title="t", text=text, published=dt.date(2020, 6, 4), origin=f"in.jsonl:{i}")


def _summary(outcomes) -> list:
    out = []
    for o in outcomes:
        if isinstance(o, Analysed):
            out.append([(c.place_id, c.claim, c.side) for an in o.analyses for c in an.claims])
        else:
            out.append(str(o))
    return out


def test_an_article_gives_its_claim() -> None:
    result = analyse(_art(1))
    assert isinstance(result, Analysed)
    claims = result.analyses[0].claims
    assert any(c.claim is ClaimType.CONTROL and c.side is Side.GNA for c in claims)


def test_an_unbreakable_giant_is_refused_and_the_stream_goes_on() -> None:
    giant = _art(2, "عين زارة، " * (bounds.MAX_ARTICLE_CHARS // 5))
    outcomes = list(analyse_stream([_art(1), giant, ReadError("in.jsonl:3", "malformed JSON"), _art(4)]))
    assert isinstance(outcomes[0], Analysed)
    assert isinstance(outcomes[1], ArticleFailure) and "without a paragraph or sentence end" in outcomes[1].message
    assert isinstance(outcomes[2], ReadError)
    assert isinstance(outcomes[3], Analysed) and outcomes[3].analyses[0].claims


def test_two_workers_give_the_same_outcomes_in_the_same_order() -> None:
    items = [_art(i, GNA_TOOK_AIRPORT if i % 2 else "اشتباكات عنيفة في عين زارة ووادي الربيع.") for i in range(40)]
    items.insert(7, ReadError("in.jsonl:99", "not UTF-8"))
    assert _summary(analyse_stream(items, workers=2)) == _summary(analyse_stream(items, workers=1))


def test_workers_read_the_stream_only_a_bounded_way_ahead() -> None:
    """A stream of any length is read as workers free up: memory holds a bounded window of articles."""
    pulled = 0

    def endless():
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield _art(i, "اشتباكات في عين زارة.")

    stream = analyse_stream(endless(), workers=2)
    first = next(stream)
    stream.close()
    window = 2 * engine.IN_FLIGHT_PER_WORKER * engine.CHUNK
    assert isinstance(first, Analysed) and first.article.id == "a0"
    assert window <= pulled <= window + engine.CHUNK


def test_workers_send_gazetteer_places_back_by_id() -> None:
    """A worker's result names the parent's own place records, not copies of them (less to pickle and hold)."""
    matcher = default_matcher()
    [outcome] = list(analyse_stream([_art(1)], workers=2, matcher=matcher))
    mention = outcome.analyses[0].mentions[0]
    assert mention.place is matcher.by_id[mention.place.id]


def test_workers_hold_a_bounded_amount_of_text_however_long_the_articles(monkeypatch) -> None:
    """Long articles fill the window by their text, not their count."""
    monkeypatch.setattr(engine, "IN_FLIGHT_CHARS_PER_WORKER", 1_000)
    pulled = 0

    def long_articles():
        nonlocal pulled
        for i in range(10_000):
            pulled += 1
            yield _art(i, "اشتباكات في عين زارة. " * 5)  # 110 characters: each its own chunk here

    stream = analyse_stream(long_articles(), workers=2)
    next(stream)
    stream.close()
    assert pulled <= 20  # two workers' 2,000 characters: 19 articles, then the first is taken


def test_two_streams_at_once_each_get_the_places_of_their_own_gazetteer() -> None:
    """Places come back by id: each stream's ids are read in its own matcher, however the streams interleave."""
    base = default_matcher()
    custom = Matcher([dataclasses.replace(p, note="a desk's own gazetteer") for p in base.places])
    ours = analyse_stream([_art(i) for i in range(40)], workers=2, matcher=base)
    theirs = analyse_stream([_art(i) for i in range(40)], workers=2, matcher=custom)
    for mine, other in zip(ours, theirs, strict=True):
        a, b = mine.analyses[0].mentions[0].place, other.analyses[0].mentions[0].place
        assert a is base.by_id[a.id] and b is custom.by_id[b.id] and b.note == "a desk's own gazetteer"
    assert engine._STREAMS == {}  # both streams ended: nothing kept


def _made_where(analysis, matcher) -> tuple[str, int]:
    """A prepare step that says which process prepared which article."""
    if analysis.article.id == "a3":
        raise KeyError("a place the gazetteer lost")
    return analysis.article.id, os.getpid()


def test_workers_hand_over_what_prepare_makes_of_each_analysis_in_input_order() -> None:
    """With a prepare step (ingest: the store's rows) the workers send its result, made in the worker; an
    article it fails on is reported as not stored and the stream goes on."""
    items = [_art(i) for i in range(40)]
    for workers in (1, 2):
        outcomes = list(analyse_stream(items, workers=workers, prepare=_made_where))
        assert [o.article.id for o in outcomes if isinstance(o, Analysed)] == [f"a{i}" for i in range(40) if i != 3]
        assert [o.analyses[0][0] for o in outcomes if isinstance(o, Analysed)] == [
            f"a{i}" for i in range(40) if i != 3]
        failure = outcomes[3]
        assert isinstance(failure, ArticleFailure)
        assert str(failure) == "in.jsonl:3: not stored (KeyError: 'a place the gazetteer lost')"
        pids = {o.analyses[0][1] for o in outcomes if isinstance(o, Analysed)}
        assert (os.getpid() in pids) == (workers == 1) and len(pids) <= workers

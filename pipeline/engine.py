"""Bounded extraction of a stream of articles, in this process or in a pool of worker processes.

Each article is split when too long, extracted under a time budget, its claims capped and its
evidence cut to a window (pipeline.bounds). What comes out, in input order, is for each input item
either the ReadError it was, the analyses of its parts, or an ArticleFailure saying why it gave none.
Workers load the gazetteer once each; at most a few chunks per worker are in flight, so memory stays
bounded however long the stream.
"""
from __future__ import annotations

import copyreg
import dataclasses
import itertools
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from gazetteer.matcher import Matcher, default_matcher
from gazetteer.records import Place
from pipeline import bounds
from pipeline.claims import ArticleAnalysis, extract
from pipeline.models import Article
from pipeline.readers import ReadError

CHUNK = 16  # articles sent to a worker at once
# chunks queued per worker before the reader waits: enough (256 articles, ~3 s of extraction) that workers stay
# busy while the consumer stores a batch (ingest commits up to 1,000 articles at once), few enough to bound
# memory (a few MB of articles and results)
IN_FLIGHT_PER_WORKER = 16
IN_FLIGHT_CHARS_PER_WORKER = 4_000_000  # and at most this much text a worker: a stream of giants stays bounded too


@dataclass(frozen=True)
class ArticleFailure:
    """An article that gave no analysis: where it came from and why."""

    article_id: str
    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass(frozen=True)
class Analysed:
    """An article's analyses (one per part of a long article) and warnings about it; each analysis an
    ArticleAnalysis, or what analyse_stream's `prepare` made of it."""

    article: Article
    analyses: tuple[Any, ...]
    warnings: tuple[str, ...] = ()


Outcome = Analysed | ArticleFailure | ReadError
Prepare = Callable[[ArticleAnalysis, Matcher], Any]


def prepared(outcome: Analysed | ArticleFailure, prepare: Prepare | None, matcher: Matcher
             ) -> Analysed | ArticleFailure:
    """The outcome with each analysis replaced by prepare(analysis, matcher); an article whose analysis it
    cannot prepare fails as a whole, with why."""
    if prepare is None or not isinstance(outcome, Analysed):
        return outcome
    parts = []
    for analysis in outcome.analyses:
        try:
            parts.append(prepare(analysis, matcher))
        except Exception as exc:  # a bug on one article must not end the batch
            part = analysis.article
            return ArticleFailure(part.id, part.origin, f"not stored ({type(exc).__name__}: {exc})")
    return dataclasses.replace(outcome, analyses=tuple(parts))


def analyse(article: Article, matcher: Matcher | None = None,
            seconds: float | None = bounds.ARTICLE_SECONDS) -> Analysed | ArticleFailure:
    """One article extracted within the bounds: its analyses, or why it has none."""
    matcher = matcher or default_matcher()
    try:
        parts = bounds.split_long_article(article)
    except bounds.ArticleTooLong as exc:
        return ArticleFailure(article.id, article.origin, f"not stored: {exc}")
    analyses = []
    warnings = []
    if len(parts) > 1:
        warnings.append(f"{article.origin}: {len(article.text):,} characters, stored as {len(parts)} articles "
                        f"of at most {bounds.MAX_ARTICLE_CHARS:,}")
    for part in parts:
        try:
            with bounds.time_budget(seconds):
                analysis = extract(part, matcher)
        except bounds.ArticleTimeout as exc:
            return ArticleFailure(part.id, part.origin, f"not stored: {exc} (limit per article)")
        except Exception as exc:  # a bug on one article must not end the batch
            return ArticleFailure(part.id, part.origin, f"not stored ({type(exc).__name__}: {exc})")
        capped = bounds.cap_claims(bounds.bound_evidence(part, analysis.claims))
        if capped.dropped:
            warnings.append(f"{part.origin}: {capped.dropped:,} claims over the limit of "
                            f"{bounds.MAX_CLAIMS_PER_ARTICLE} per article were dropped (the least confident)")
        analyses.append(dataclasses.replace(analysis, claims=capped.claims))
    return Analysed(article, tuple(analyses), tuple(warnings))


# In a worker: the token of the stream it serves, that stream's matcher and prepare step, set by the pool's
# initializer.
_WORKER: list[tuple[int, Matcher, Prepare | None]] = []
# In the parent: each running stream's matcher by its token, for the places its workers send back by id.
_STREAMS: dict[int, Matcher] = {}
_TOKENS = itertools.count()


def _analyse_chunk(items: tuple[Article | ReadError, ...]) -> list[Outcome]:
    _token, matcher, prepare = _WORKER[0]
    return [item if isinstance(item, ReadError) else prepared(analyse(item, matcher), prepare, matcher)
            for item in items]


def _chunks(items: Iterable[Article | ReadError], size: int, chars: int
            ) -> Iterator[tuple[tuple[Article | ReadError, ...], int]]:
    """Chunks of `size` items, cut earlier once their text reaches `chars` characters; each with its text's
    length."""
    chunk: list[Article | ReadError] = []
    held = 0
    for item in items:
        chunk.append(item)
        held += len(item.text) if isinstance(item, Article) else 0
        if len(chunk) >= size or held >= chars:
            yield tuple(chunk), held
            chunk, held = [], 0
    if chunk:
        yield tuple(chunk), held


def _gazetteer_place(token: int, place_id: str) -> Place:
    """In the parent: the place of this id in the matcher of the stream `token`."""
    return _STREAMS[token].by_id[place_id]


def _place_by_id(place: Place) -> tuple:
    """In a worker: pickles a place of its stream's gazetteer as the stream's token and the place's id (the
    parent holds that gazetteer), any other place whole."""
    token, matcher, _prepare = _WORKER[0]
    if matcher.by_id.get(place.id) is place:
        return _gazetteer_place, (token, place.id)
    return place.__reduce_ex__(pickle.DEFAULT_PROTOCOL)


def _warm(token: int, matcher: Matcher, prepare: Prepare | None) -> None:
    """A worker's start: the stream it serves (forked, so the matcher and prepare step are not pickled) and
    places sent by id."""
    _WORKER[:] = [(token, matcher, prepare)]
    copyreg.pickle(Place, _place_by_id)  # results name places by id: a fifth of the bytes, half the unpickling


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def analyse_stream(items: Iterable[Article | ReadError], workers: int = 1, matcher: Matcher | None = None,
                   prepare: Prepare | None = None) -> Iterator[Outcome]:
    """Each input item's outcome, in input order; with workers > 1 extraction runs in worker processes.

    Items are pulled from `items` only as workers free up, so a lazy stream stays lazy. prepare: each
    analysis is handed over as prepare(analysis, matcher), made where the analysis is (in the worker), so
    that what comes back to this process is what its consumer needs (the store's rows: pipeline.rows);
    an analysis it fails on makes its article an ArticleFailure.
    """
    matcher = matcher or default_matcher()
    if workers <= 1:
        for item in items:
            yield item if isinstance(item, ReadError) else prepared(analyse(item, matcher), prepare, matcher)
        return
    token = next(_TOKENS)
    _STREAMS[token] = matcher  # until the pool is shut down: the last results are unpickled before that
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm, initargs=(token, matcher, prepare),
                               mp_context=multiprocessing.get_context("fork"))
    try:
        pending: deque[tuple[Future[list[Outcome]], int]] = deque()
        chars = 0  # text in flight
        for chunk, size in _chunks(items, CHUNK, IN_FLIGHT_CHARS_PER_WORKER // IN_FLIGHT_PER_WORKER):
            pending.append((pool.submit(_analyse_chunk, chunk), size))
            chars += size
            while pending and (len(pending) >= workers * IN_FLIGHT_PER_WORKER
                               or chars > workers * IN_FLIGHT_CHARS_PER_WORKER):
                done, size = pending.popleft()
                chars -= size
                yield from done.result()
        while pending:
            yield from pending.popleft()[0].result()
    except KeyboardInterrupt:  # stopped: chunks not started are dropped; the others are handed over first
        for future, _size in pending:
            future.cancel()  # only a chunk no worker has taken can be cancelled
        # The pool's shutdown waits for the chunks workers have taken anyway: their results are not thrown
        # away, and none is lost for being still on its way back when the stop came.
        while pending and not pending[0][0].cancelled() and not pending[0][0].exception():
            yield from pending.popleft()[0].result()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        del _STREAMS[token]

"""Ingests article files into the store: read, extract, store, report what failed (a stream, article by article)."""
from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gazetteer.matcher import Matcher, default_matcher
from pipeline.engine import Analysed, ArticleFailure, analyse, analyse_stream, prepared
from pipeline.models import Article
from pipeline.readers import ReadError, read_bytes, read_paths
from pipeline.rows import ArticleRows, article_rows
from pipeline.sources import Fetcher
from pipeline.store import (
    StoreOutcome,
    bulk_writes,
    store_analyses,
    store_batch,
    store_rows,
    stored_text,
)

Progress = Callable[[int, int], None]
STORAGE_FAULTS = ("database or disk is full", "disk i/o error", "database is locked", "readonly database",
                  "unable to open database", "database disk image is malformed", "file is not a database")


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    articles_seen: int = 0
    articles_new: int = 0
    claims_new: int = 0
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # stored all the same: a long article split, claims over the cap dropped

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.errors


class StorageFault(Exception):
    """The store failed (disk full, I/O error, locked past the timeout): the run stops; `report` says what was stored."""

    def __init__(self, message: str, report: IngestReport) -> None:
        super().__init__(message)
        self.report = report


def is_storage_fault(exc: BaseException) -> bool:
    """True for a database error that no other article would escape (the disk, not the article)."""
    return isinstance(exc, sqlite3.DatabaseError) and any(f in str(exc).lower() for f in STORAGE_FAULTS)


def _id_clash(art: Article | ArticleRows) -> str:
    """Why an article is not stored when its id is taken by another text."""
    return f"{art.origin}: id {art.id!r} is already stored with a different text; not replaced"


def _check_new(conn: sqlite3.Connection, art: Article) -> tuple[bool, str | None]:
    """Whether the article is still to be stored, and why it may not be (its id is taken by another text);
    one look-up."""
    text = stored_text(conn, art.id)
    if text is None:
        return True, None
    return False, (_id_clash(art) if text != art.text else None)


def _store(conn: sqlite3.Connection, ready: list[ArticleRows], so_far: IngestReport, stored_places: set[str]
           ) -> list[tuple[ArticleRows, tuple[StoreOutcome, int] | Exception]]:
    """Stores a batch in one transaction (one article: its own); a storage fault stops the run. stored_places:
    ids of places known to be stored, not inserted again (store_batch)."""
    if not ready:
        return []
    try:
        if len(ready) == 1:
            return [(ready[0], store_rows(conn, ready[0]))]
        return list(zip(ready, store_batch(conn, ready, stored_places), strict=True))
    except Exception as exc:
        if is_storage_fault(exc):
            raise StorageFault(f"{ready[0].origin}: {exc}", so_far) from exc
        if len(ready) == 1:
            return [(ready[0], exc)]
        return [item for one in ready for item in _store(conn, [one], so_far, stored_places)]  # find the culprit alone


def _new_articles(items: Iterable[Article | ReadError], conn: sqlite3.Connection, tally: _Tally
                  ) -> Iterator[Article | ReadError]:
    """The articles not stored yet (and the read errors, passed on); known ones counted, id clashes reported."""
    for item in items:
        if isinstance(item, ReadError):
            yield item
            continue
        tally.seen += 1
        try:  # whatever stage fails, only this article is lost
            new, problem = _check_new(conn, item)
            if problem is not None:
                tally.errors.append(problem)
            elif new:
                yield item
        except Exception as exc:
            if is_storage_fault(exc):
                raise StorageFault(f"{item.origin}: {exc}", tally.report()) from exc
            tally.errors.append(f"{item.origin}: not stored ({type(exc).__name__}: {exc})")


@dataclass
class _Tally:
    """Running counts of one ingest."""

    seen: int = 0
    new: int = 0
    claims: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # ids of the places this run has stored (not inserted again)

    def report(self) -> IngestReport:
        return IngestReport(self.seen, self.new, self.claims, tuple(self.errors), tuple(self.warnings))

    def stored(self, conn: sqlite3.Connection, ready: list[ArticleRows]) -> None:
        """Store a batch of articles' rows and count what it did."""
        for art, outcome in _store(conn, ready, self.report(), self.places):
            if isinstance(outcome, Exception):
                self.errors.append(f"{art.origin}: not stored ({type(outcome).__name__}: {outcome})")
            elif outcome[0] is StoreOutcome.STORED:
                self.new, self.claims = self.new + 1, self.claims + outcome[1]
            elif outcome[0] is StoreOutcome.CONFLICT:
                self.errors.append(_id_clash(art))


@dataclass(frozen=True)
class Batching:
    """When ingest commits: after `articles` articles or `seconds` seconds since a batch's first article,
    whichever comes first (each article under its own savepoint in the batch's one transaction)."""

    articles: int = 1
    seconds: float = float("inf")
    tail: int = 256  # about one worker's window of articles (see `full`)

    def full(self, size: int, started: float, now: float, input_read: bool = False) -> bool:
        """True when a batch of `size` articles begun at `started` is to be stored at `now`; once the
        input is all read (what is left is in the workers), batches shrink to `tail`, so the last store,
        made when no worker has anything left to do, is short."""
        limit = min(self.articles, self.tail) if input_read else self.articles
        return size >= limit or (size > 0 and now - started >= self.seconds)


class _Watched:
    """An iterator that records when its source is exhausted."""

    def __init__(self, items: Iterable[Article | ReadError]) -> None:
        self._items = iter(items)
        self.exhausted = False

    def __iter__(self) -> Iterator[Article | ReadError]:
        return self

    def __next__(self) -> Article | ReadError:
        try:
            return next(self._items)
        except StopIteration:
            self.exhausted = True
            raise


def _ingest(items: Iterable[Article | ReadError], conn: sqlite3.Connection, matcher: Matcher,
            progress: Progress | None, workers: int = 1, batching: Batching = Batching(),
            clock: Callable[[], float] = time.monotonic) -> IngestReport:
    tally = _Tally()
    ready: list[ArticleRows] = []
    started = clock()
    fresh = _Watched(_new_articles(items, conn, tally))
    with bulk_writes(conn):
        try:  # the workers send each analysis as the rows to insert: this process only stores them
            for outcome in analyse_stream(fresh, workers=workers, matcher=matcher, prepare=article_rows):
                if isinstance(outcome, Analysed):
                    tally.warnings.extend(outcome.warnings)
                    if not ready:
                        started = clock()
                    ready.extend(outcome.analyses)
                else:
                    tally.errors.append(str(outcome))
                if batching.full(len(ready), started, clock(), fresh.exhausted):
                    tally.stored(conn, ready)
                    ready = []
                if progress is not None:
                    progress(tally.seen, 0)
        except KeyboardInterrupt:
            # stopped by the user: what is analysed is kept (stdin or a feed cannot be read again), then the stop
            tally.stored(conn, ready)
            raise
        tally.stored(conn, ready)
    return tally.report()


def ingest_dask(items: Iterable[Article | ReadError], conn: sqlite3.Connection, shard_dir: Path,
                scheduler: str | None = None, workers: int | None = None, progress: Progress | None = None,
                matcher: Matcher | None = None, partition: int | None = None) -> IngestReport:
    """Extracts on a Dask cluster (a LocalCluster without a scheduler address), one Parquet shard per
    partition (of `partition` articles, default dask_ingest.PARTITION) under shard_dir, and stores each shard
    as it arrives (idempotently)."""
    from pipeline.dask_ingest import PARTITION, read_shard, run_dask

    matcher = matcher or default_matcher()
    tally = _Tally()

    def store_shard(shard: Path) -> None:
        ready: list[ArticleRows] = []
        for analysis in read_shard(shard, matcher):  # its rows, or why it has none (as the workers make them)
            outcome = prepared(Analysed(analysis.article, (analysis,)), article_rows, matcher)
            if isinstance(outcome, ArticleFailure):
                tally.errors.append(str(outcome))
            else:
                ready.extend(outcome.analyses)
        tally.stored(conn, ready)
        if progress is not None:
            progress(tally.seen, 0)

    with bulk_writes(conn):
        warnings, errors = run_dask(_new_articles(items, conn, tally), shard_dir, store_shard, scheduler, workers,
                                    partition=partition or PARTITION)
    tally.warnings.extend(warnings)
    tally.errors.extend(errors)
    return tally.report()


def ingest_items(items: Iterable[Article | ReadError], conn: sqlite3.Connection, progress: Progress | None = None,
                 matcher: Matcher | None = None, workers: int = 1, batch: int = 1,
                 batch_seconds: float = float("inf"), clock: Callable[[], float] = time.monotonic) -> IngestReport:
    """Extracts (in `workers` processes) and stores a stream of read articles.

    batch 1: each article in its own transaction; batch N: up to N articles a transaction, committed
    earlier once `batch_seconds` have passed since the batch's first article; each article is under a
    savepoint (a failing article is rolled back alone and reported, the rest of its batch is stored).
    `clock` (seconds) times the batches.
    """
    return _ingest(items, conn, matcher or default_matcher(), progress, workers, Batching(batch, batch_seconds),
                   clock)


def ingest_paths(paths: list[Path], conn: sqlite3.Connection, published: dt.date | None = None,
                 progress: Progress | None = None, matcher: Matcher | None = None,
                 fetch: Fetcher | None = None, workers: int = 1, batch: int = 1,
                 batch_seconds: float = float("inf")) -> IngestReport:
    """Reads, extracts and stores every article of the files and folders named (`-`: standard input)."""
    items = read_paths([Path(p) for p in paths], published, fetch)
    return _ingest(items, conn, matcher or default_matcher(), progress, workers, Batching(batch, batch_seconds))


def ingest_upload(name: str, data: bytes, conn: sqlite3.Connection, published: dt.date | None = None,
                  matcher: Matcher | None = None, isolate: bool = False) -> IngestReport:
    """Stores an uploaded file's articles only if the whole file reads and extracts cleanly (nothing half-made).

    The bounds of a CLI ingest apply (pipeline.bounds). isolate: extract in a separate process, so that
    a server calling this stays responsive and the per-article time budget holds.
    """
    matcher = matcher or default_matcher()
    items = list(read_bytes(name, data, published))
    errors = [str(x) for x in items if isinstance(x, ReadError)]
    articles = [x for x in items if not isinstance(x, ReadError)]
    checked = [(a, *_check_new(conn, a)) for a in articles]
    errors += [problem for _, _, problem in checked if problem is not None]
    if errors:
        return IngestReport(len(articles), 0, 0, tuple(errors))
    fresh = list({a.id: a for a, new, _ in checked if new}.values())
    outcomes = _analyse_apart(fresh) if isolate and fresh else [analyse(a, matcher) for a in fresh]
    failures = tuple(str(o) for o in outcomes if not isinstance(o, Analysed))
    if failures:
        return IngestReport(len(articles), 0, 0, failures)
    done = [o for o in outcomes if isinstance(o, Analysed)]
    warnings = tuple(w for o in done for w in o.warnings)
    try:
        claims = store_analyses(conn, [an for o in done for an in o.analyses], matcher)
    except Exception as exc:
        return IngestReport(len(articles), 0, 0, (f"{name}: not stored ({type(exc).__name__}: {exc})",))
    return IngestReport(len(articles), len(fresh), claims, (), warnings)


def _analyse_apart(articles: list[Article]) -> list[Analysed | ArticleFailure]:
    """The bounded analyses of the articles, made in a fresh worker process (spawned: safe in a threaded server)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(analyse, articles, chunksize=8))

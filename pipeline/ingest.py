"""Ingests article files into the store: read, extract, store, report what failed (a stream, article by article)."""
from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gazetteer.matcher import Matcher, default_matcher
from pipeline.claims import ArticleAnalysis, extract
from pipeline.models import Article
from pipeline.readers import ReadError, read_bytes, read_paths
from pipeline.sources import Fetcher
from pipeline.store import StoreOutcome, has_article, store_analyses, store_article, store_batch, stored_text

Progress = Callable[[int, int], None]
STORAGE_FAULTS = ("database or disk is full", "disk i/o error", "database is locked", "readonly database",
                  "unable to open database")


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    articles_seen: int = 0
    articles_new: int = 0
    claims_new: int = 0
    errors: tuple[str, ...] = ()

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
    return isinstance(exc, sqlite3.OperationalError) and any(f in str(exc).lower() for f in STORAGE_FAULTS)


def _check_new(conn: sqlite3.Connection, art: Article) -> str | None:
    """None when the article may be stored; else why not (its id is taken by another text)."""
    text = stored_text(conn, art.id)
    if text is not None and text != art.text:
        return f"{art.origin}: id {art.id!r} is already stored with a different text; not replaced"
    return None


CHUNK = 32  # articles handed to each worker at a time: memory stays bounded, workers stay busy
_WORKER: dict[str, Matcher | None] = {"matcher": None}  # set before the pool forks; workers inherit it


def _extract_with(art: Article, matcher: Matcher) -> ArticleAnalysis | str:
    """The analysis of an article, or why it could not be made (the batch goes on)."""
    try:
        return extract(art, matcher)
    except Exception as exc:
        return f"{art.origin}: not extracted ({type(exc).__name__}: {exc})"


def _extract_in_worker(art: Article) -> ArticleAnalysis | str:
    return _extract_with(art, _WORKER["matcher"] or default_matcher())


def _store(conn: sqlite3.Connection, ready: list[tuple[Article, ArticleAnalysis]], matcher: Matcher,
           so_far: IngestReport) -> list[tuple[Article, tuple[StoreOutcome, int] | Exception]]:
    """Stores a batch in one transaction (one article: its own); a storage fault stops the run."""
    if not ready:
        return []
    try:
        if len(ready) == 1:
            return [(ready[0][0], store_article(conn, ready[0][1], matcher))]
        return list(zip([a for a, _ in ready], store_batch(conn, [an for _, an in ready], matcher), strict=True))
    except Exception as exc:
        if is_storage_fault(exc):
            raise StorageFault(f"{ready[0][0].origin}: {exc}", so_far) from exc
        if len(ready) == 1:
            return [(ready[0][0], exc)]
        return [item for one in ready for item in _store(conn, [one], matcher, so_far)]  # find the culprit alone


def _chunks(items: Iterable[Article | ReadError], size: int) -> Iterator[list[Article | ReadError]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _ingest(items: Iterable[Article | ReadError], conn: sqlite3.Connection, matcher: Matcher,
            progress: Progress | None, workers: int = 1, batch: int = 1) -> IngestReport:
    seen = new = claims = 0
    errors: list[str] = []
    pool = None
    if workers > 1:
        _WORKER["matcher"] = matcher
        pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        for chunk in _chunks(items, max(batch, CHUNK * workers if pool else 1)):
            todo: list[Article] = []
            for item in chunk:
                if isinstance(item, ReadError):
                    errors.append(str(item))
                    continue
                seen += 1
                try:  # whatever stage fails, only this article is lost
                    problem = _check_new(conn, item)
                    if problem is not None:
                        errors.append(problem)
                    elif not has_article(conn, item.id):
                        todo.append(item)
                except Exception as exc:
                    if is_storage_fault(exc):
                        raise StorageFault(f"{item.origin}: {exc}", IngestReport(seen, new, claims, tuple(errors))
                                           ) from exc
                    errors.append(f"{item.origin}: not stored ({type(exc).__name__}: {exc})")
            results = pool.map(_extract_in_worker, todo) if pool else [_extract_with(a, matcher) for a in todo]
            ready: list[tuple[Article, ArticleAnalysis]] = []
            for art, result in zip(todo, results, strict=True):
                if isinstance(result, str):
                    errors.append(result)
                else:
                    ready.append((art, result))
            for art, outcome in _store(conn, ready, matcher, IngestReport(seen, new, claims, tuple(errors))):
                if isinstance(outcome, Exception):
                    errors.append(f"{art.origin}: not stored ({type(outcome).__name__}: {outcome})")
                elif outcome[0] is StoreOutcome.STORED:
                    new, claims = new + 1, claims + outcome[1]
                elif outcome[0] is StoreOutcome.CONFLICT:
                    errors.append(f"{art.origin}: id {art.id!r} is already stored with a different text; "
                                  "not replaced")
            if progress is not None:
                progress(seen, 0)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            _WORKER["matcher"] = None
    return IngestReport(seen, new, claims, tuple(errors))


def ingest_items(items: Iterable[Article | ReadError], conn: sqlite3.Connection, progress: Progress | None = None,
                 matcher: Matcher | None = None, workers: int = 1, batch: int = 1) -> IngestReport:
    """Extracts (in `workers` processes) and stores a stream of read articles.

    batch 1: each article in its own transaction; batch N: N articles a transaction, each under a
    savepoint (a failing article is rolled back alone). With workers, a batch is a worker chunk at least.
    """
    return _ingest(items, conn, matcher or default_matcher(), progress, workers, batch)


def ingest_paths(paths: list[Path], conn: sqlite3.Connection, published: dt.date | None = None,
                 progress: Progress | None = None, matcher: Matcher | None = None,
                 fetch: Fetcher | None = None, workers: int = 1, batch: int = 1) -> IngestReport:
    """Reads, extracts and stores every article of the files and folders named (`-`: standard input)."""
    items = read_paths([Path(p) for p in paths], published, fetch)
    return _ingest(items, conn, matcher or default_matcher(), progress, workers, batch)


def ingest_upload(name: str, data: bytes, conn: sqlite3.Connection, published: dt.date | None = None,
                  matcher: Matcher | None = None) -> IngestReport:
    """Stores an uploaded file's articles only if the whole file reads and extracts cleanly (nothing half-made)."""
    matcher = matcher or default_matcher()
    items = list(read_bytes(name, data, published))
    errors = [str(x) for x in items if isinstance(x, ReadError)]
    articles = [x for x in items if not isinstance(x, ReadError)]
    errors += [p for p in (_check_new(conn, a) for a in articles) if p is not None]
    if errors:
        return IngestReport(len(articles), 0, 0, tuple(errors))
    fresh = {a.id: a for a in articles if not has_article(conn, a.id)}
    try:
        analyses = [extract(a, matcher) for a in fresh.values()]
        claims = store_analyses(conn, analyses, matcher)
    except Exception as exc:
        return IngestReport(len(articles), 0, 0, (f"{name}: not stored ({type(exc).__name__}: {exc})",))
    return IngestReport(len(articles), len(fresh), claims, ())

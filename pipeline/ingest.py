"""Ingests article files into the store: read, extract, store, report what failed (a stream, article by article)."""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from gazetteer.matcher import Matcher, default_matcher
from pipeline.claims import extract
from pipeline.models import Article
from pipeline.readers import ReadError, read_bytes, read_paths
from pipeline.sources import Fetcher
from pipeline.store import StoreOutcome, has_article, store_analyses, store_article, stored_text

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


def _ingest(items: Iterable[Article | ReadError], conn: sqlite3.Connection, matcher: Matcher,
            progress: Progress | None, total: int = 0) -> IngestReport:
    seen = new = claims = 0
    errors: list[str] = []
    for item in items:
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        seen += 1
        try:  # whatever stage fails, only this article is lost
            problem = _check_new(conn, item)
            if problem is not None:
                errors.append(problem)
            elif not has_article(conn, item.id):
                outcome, added = store_article(conn, extract(item, matcher), matcher)
                if outcome is StoreOutcome.STORED:
                    new, claims = new + 1, claims + added
                elif outcome is StoreOutcome.CONFLICT:
                    errors.append(f"{item.origin}: id {item.id!r} is already stored with a different text; "
                                  "not replaced")
        except Exception as exc:
            if is_storage_fault(exc):
                raise StorageFault(f"{item.origin}: {exc}", IngestReport(seen, new, claims, tuple(errors))) from exc
            errors.append(f"{item.origin}: not stored ({type(exc).__name__}: {exc})")
        if progress is not None:
            progress(seen, total)
    return IngestReport(seen, new, claims, tuple(errors))


def ingest_items(items: Iterable[Article | ReadError], conn: sqlite3.Connection, progress: Progress | None = None,
                 matcher: Matcher | None = None) -> IngestReport:
    """Extracts and stores a stream of read articles, each in its own transaction."""
    return _ingest(items, conn, matcher or default_matcher(), progress)


def ingest_paths(paths: list[Path], conn: sqlite3.Connection, published: dt.date | None = None,
                 progress: Progress | None = None, matcher: Matcher | None = None,
                 fetch: Fetcher | None = None) -> IngestReport:
    """Reads, extracts and stores every article of the files and folders named (`-`: standard input)."""
    items = read_paths([Path(p) for p in paths], published, fetch)
    return _ingest(items, conn, matcher or default_matcher(), progress)


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

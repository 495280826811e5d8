"""Ingests article files into the store: read, extract, store, report what failed."""
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
from pipeline.store import has_article, store_analysis

Progress = Callable[[int, int], None]


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


def _ingest(items: Iterable[Article | ReadError], conn: sqlite3.Connection, matcher: Matcher,
            progress: Progress | None, total: int = 0) -> IngestReport:
    seen = new = claims = 0
    errors: list[str] = []
    for item in items:
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        seen += 1
        if not has_article(conn, item.id):
            try:
                claims += store_analysis(conn, extract(item, matcher), matcher)
                new += 1
            except (sqlite3.Error, ValueError) as exc:  # one bad article does not stop the batch
                errors.append(f"{item.origin}: not stored ({exc})")
        if progress is not None:
            progress(seen, total)
    return IngestReport(seen, new, claims, tuple(errors))


def ingest_paths(paths: list[Path], conn: sqlite3.Connection, published: dt.date | None = None,
                 progress: Progress | None = None, matcher: Matcher | None = None) -> IngestReport:
    """Reads, extracts and stores every article of the files and folders named."""
    items = list(read_paths([Path(p) for p in paths], published))
    total = sum(1 for x in items if not isinstance(x, ReadError))
    return _ingest(items, conn, matcher or default_matcher(), progress, total)


def ingest_upload(name: str, data: bytes, conn: sqlite3.Connection, published: dt.date | None = None,
                  matcher: Matcher | None = None) -> IngestReport:
    """Stores an uploaded file's articles only if the whole file reads cleanly (nothing half-made)."""
    items = list(read_bytes(name, data, published))
    errors = [str(x) for x in items if isinstance(x, ReadError)]
    if errors:
        return IngestReport(0, 0, 0, tuple(errors))
    return _ingest(items, conn, matcher or default_matcher(), None, len(items))

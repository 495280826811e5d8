"""Reads articles from files, folders and standard input (`-`): the seed text format, JSON Lines, CSV,
web pages, RSS/Atom feeds and Telegram Desktop exports (the last three in pipeline.sources).

Every input is untrusted: a bad file or line yields a ReadError naming it, and the
other articles of the batch are still read. Articles are yielded one at a time (a stream): seed text,
JSON Lines and CSV files and standard input are read a line at a time, never whole (web pages, feeds
and Telegram exports are single documents and are read whole).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import ReadError
from pipeline.models import Article
from pipeline.published import TimedArticle, parse_published
from pipeline.sources import Fetcher, read_feed, read_html, read_telegram
from pipeline.textlines import (
    NUL_WINDOW,
    BadText,
    Prefixed,
    bad_byte_message,
    decoded_lines,
    file_problem,
    universal_lines,
)

__all__ = [
    "MANIFEST",
    "STDIN",
    "SUFFIXES",
    "ReadError",
    "article_id",
    "decode",
    "parse_date",
    "read_bytes",
    "read_paths",
    "read_stream",
    "sniff_suffix",
    "split_seed_text",
]

TEXT_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".csv")
STREAMED_SUFFIXES = TEXT_SUFFIXES  # read a line at a time (other files are read whole)
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
TELEGRAM_SUFFIXES = (".json",)
SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *FEED_SUFFIXES, *TELEGRAM_SUFFIXES)
MANIFEST = "manifest.csv"
MAX_FIELD = 2_000_000
CHUNK_BYTES = 1 << 16
STDIN = "-"
SNIFF_BYTES = 1_000_000  # the most of standard input read before its format is known
_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
csv.field_size_limit(MAX_FIELD + 1)  # the default 131,072 would refuse a long article


def article_id(title: str, text: str) -> str:
    """A stable id for an article that has none: a hash of its title and text."""
    return hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()[:16]


def parse_date(value: object) -> dt.date | None:
    """The date of an ISO date, ISO datetime or feed date (1900 to tomorrow); None when absent."""
    when = parse_published(value)
    return when.date if when else None


def decode(data: bytes, origin: str) -> str:
    """UTF-8 text (BOM allowed) of a file's bytes, or ValueError saying what is wrong."""
    if not data.strip():
        raise ValueError("empty file")
    if b"\x00" in data[:NUL_WINDOW]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(bad_byte_message(data[: exc.start].count(b"\n") + 1)) from exc


def _field(rec: dict, meta: dict, name: str) -> str:
    """A text field of a record (or its manifest row); '' when absent; ValueError when not text."""
    value = rec.get(name)
    if value is None or value == "":
        value = meta.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{name} must be text, not {type(value).__name__}")
    return _valid_text(name, str(value))


def _valid_text(name: str, value: str) -> str:
    """The value, if it can be stored as UTF-8 text; else ValueError (a JSON-escaped lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{name} is not valid text: an unpaired surrogate at character {exc.start + 1}") from None
    return value


def _make(rec: dict, origin: str, default_published: dt.date | None, meta: dict | None = None) -> Article:
    meta = meta or {}
    text = rec.get("text")
    if text is not None and not isinstance(text, str):
        raise ValueError(f"text must be text, not {type(text).__name__}")
    if not text or not text.strip():
        raise ValueError("no text")
    _valid_text("text", text)
    if len(text) > MAX_FIELD:
        raise ValueError(f"text longer than {MAX_FIELD:,} characters")
    title = _field(rec, meta, "title")
    raw = rec.get("published")
    when = parse_published(raw if raw not in (None, "") else meta.get("published"))
    given = _field(rec, meta, "id")
    return TimedArticle(
        id=given if given.strip() else article_id(title, text),
        title=title.strip(),
        text=text,
        published=when.date if when else default_published,
        source=_field(rec, meta, "source"),
        url=_field(rec, meta, "url"),
        lang=_field(rec, meta, "lang"),
        origin=origin,
        published_at=when.at if when else "",
    )


def split_seed_text(content: str) -> list[tuple[str, str]]:
    """(title, text) pairs of the seed format: a title line given twice starts an article."""
    return list(seed_articles(content.splitlines(keepends=True), cap=None))


class _Gathered:
    """Text gathered a piece at a time and stripped at the end. With a cap, past `cap` characters (stripped)
    only a stand-in of cap + 1 characters is held: too long to be an article, whatever follows."""

    def __init__(self, cap: int | None) -> None:
        self.parts: list[str] = []
        self.cap = cap
        self.size = 0
        self.check_at = 2 * cap if cap is not None else -1
        self.over = False

    def add(self, piece: str) -> None:
        if self.over:
            return
        self.parts.append(piece)
        self.size += len(piece)
        if self.cap is not None and self.size > self.check_at:
            whole = "".join(self.parts).lstrip()  # leading white space is stripped at the end anyway
            stripped = whole.rstrip()
            if len(stripped) > self.cap:
                self.parts, self.over = [stripped[: self.cap] + stripped[-1]], True
                return
            if len(whole) > self.cap:
                # trailing white space past the cap: any text after it makes the article too long, and
                # without text it is stripped, so a stand-in of spaces up to cap + 1 keeps the outcome
                # (and what is held, and joined at each check, stays bounded: blank lines by the million)
                whole = stripped + " " * (self.cap + 1 - len(stripped))
            self.parts, self.size = [whole], len(whole)
            self.check_at = self.size + self.cap

    def text(self) -> str:
        return "".join(self.parts).strip()


def seed_articles(pieces: Iterable[str], cap: int | None = MAX_FIELD) -> Iterator[tuple[str, str]]:
    """(title, text) pairs of seed-format text given in pieces that end at line ends (a file's lines).

    A line given twice, at the start or after a blank line, is a title and starts an article; the text
    before the first title is dropped; a text with no title is one article with no title. Memory: one
    article (past `cap` characters, only a stand-in that is too long to be an article; None: no cap).
    """
    title: str | None = None
    body = _Gathered(cap)
    untitled: _Gathered | None = _Gathered(cap)  # the whole text, while no title has been seen
    pending: str | None = None  # the line before the current one, not yet known to be a title or not
    pending_may_start = True  # the line before `pending` is blank, or there is none
    next_may_start = True  # the same for the next line, when pending is None
    for piece in pieces:
        if untitled is not None:
            untitled.add(piece)
        for line in piece.splitlines():
            if pending is None:
                pending, pending_may_start = line, next_may_start
                continue
            head = pending.strip()
            if head and pending_may_start and head == line.strip():  # `line` repeats the title
                if title is not None:
                    yield title, body.text()
                title, body, untitled = head, _Gathered(cap), None
                pending, next_may_start = None, False
                continue
            if title is not None:
                body.add(pending)
                body.add("\n")
            pending, pending_may_start = line, not head
    if title is None:
        text = untitled.text() if untitled is not None else ""
        if text:
            yield "", text
        return
    if pending is not None:
        body.add(pending)
    yield title, body.text()


def read_manifest(folder: Path) -> tuple[dict[tuple[str, int], dict], ReadError | None]:
    """The seed manifest of a folder (file, index -> metadata), and an error if it cannot be read."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}, None
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return {(row["file"], int(row["index"])): row for row in csv.DictReader(fh, strict=True)}, None
    except (OSError, UnicodeDecodeError, csv.Error, KeyError, TypeError, ValueError) as exc:
        return {}, ReadError(str(path), f"manifest not used ({type(exc).__name__}: {exc}); "
                             "want columns file,index,id,published,source,url,lang")


def read_seed_text(name: str, content: str, published: dt.date | None, manifest: dict | None = None
                   ) -> Iterator[Article | ReadError]:
    """Articles of a seed-format text file."""
    yield from _seed_items(name, content.splitlines(keepends=True), published, manifest)


def _seed_items(name: str, pieces: Iterable[str], published: dt.date | None, manifest: dict | None = None
                ) -> Iterator[Article | ReadError]:
    base = Path(name).name
    for n, (title, text) in enumerate(seed_articles(pieces), start=1):
        origin = f"{name}#article{n}"
        try:
            yield _make({"title": title, "text": text}, origin, published, (manifest or {}).get((base, n)))
        except ValueError as exc:
            yield ReadError(origin, str(exc))


def read_jsonl(name: str, content: str, published: dt.date | None) -> Iterator[Article | ReadError]:
    """Articles of a JSON Lines file, one object a line."""
    yield from _jsonl_lines(name, content.split("\n"), published)  # not splitlines: U+2028 may stand in a string


def read_jsonl_file(path: Path, published: dt.date | None = None) -> Iterator[Article | ReadError]:
    """Articles of a JSON Lines file read a line at a time (memory: one line, not the file)."""
    yield from read_text_file(path, published)


def read_text_file(path: Path, published: dt.date | None = None, manifest: dict | None = None
                   ) -> Iterator[Article | ReadError]:
    """Articles of a seed text, JSON Lines or CSV file (by its suffix), read a line at a time.

    The file is checked first as read_bytes checks content held whole (not empty, no NUL bytes at its
    start, UTF-8 throughout), in one pass of constant memory, so a bad file still gives one error and no
    articles; memory is then one line (JSON Lines), one row (CSV) or one article (seed text).
    """
    name = str(path)
    problem = file_problem(path)
    if problem is not None:
        yield ReadError(name, problem)
        return
    with open(path, "rb") as fh:
        yield from _text_items(name, path.suffix.lower(), decoded_lines(fh), published, manifest)


def _text_items(name: str, suffix: str, lines: Iterable[str], published: dt.date | None,
                manifest: dict | None = None) -> Iterator[Article | ReadError]:
    """Articles of decoded text lines (endings kept) in the format of a suffix; a bad byte ends them with an error."""
    try:
        if suffix == ".txt":
            yield from _seed_items(name, lines, published, manifest)
        elif suffix == ".csv":
            yield from _csv_rows(name, universal_lines(lines), published)
        else:
            yield from _jsonl_lines(name, (line.removesuffix("\n") for line in lines), published)
    except BadText as exc:  # a file changed since it was checked, or standard input
        yield ReadError(name, exc.message)


def _jsonl_lines(name: str, lines: Iterable[str], published: dt.date | None) -> Iterator[Article | ReadError]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        origin = f"{name}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(origin, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield ReadError(origin, "malformed JSON (nested too deeply)")
            continue
        if not isinstance(rec, dict):
            yield ReadError(origin, "a line must be a JSON object")
            continue
        try:
            yield _make(rec, origin, published)
        except ValueError as exc:
            yield ReadError(origin, str(exc))


def read_csv(name: str, content: str, published: dt.date | None) -> Iterator[Article | ReadError]:
    """Articles of a CSV file with a header row and a `text` column."""
    yield from _csv_rows(name, io.StringIO(content, newline=""), published)


def _csv_rows(name: str, lines: Iterable[str], published: dt.date | None) -> Iterator[Article | ReadError]:
    """Articles of CSV lines (split as a file opened with newline='' splits them), a row at a time."""
    try:
        reader = csv.DictReader(lines, strict=True)
        fields = reader.fieldnames or []
    except csv.Error as exc:
        yield ReadError(name, f"unreadable CSV ({exc})")
        return
    if "text" not in fields:
        yield ReadError(name, f"CSV has no 'text' column (columns: {', '.join(fields) or 'none'})")
        return
    try:
        for row in reader:
            origin = f"{name}:{reader.line_num}"
            try:
                yield _make({k: v for k, v in row.items() if k}, origin, published)
            except ValueError as exc:
                yield ReadError(origin, str(exc))
    except csv.Error as exc:
        yield ReadError(f"{name}:{reader.line_num}", f"unreadable CSV ({exc})")


def _csv_header(data: bytes) -> bool:
    """Whether content starts with a CSV header naming a `text` column (and others), as `id,title,text`."""
    first = data[:NUL_WINDOW].removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
    try:
        fields = next(csv.reader([first.decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error):
        return False
    return len(fields) >= 2 and "text" in fields and all(_COLUMN.fullmatch(f) for f in fields)


def sniff_suffix(data: bytes) -> str:
    """The file type of content without a name (standard input), from its first bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{") and b'"messages"' in data[:1_000_000] and b"\n{" not in data[:4096].strip():
        return ".json"
    if head.startswith((b"{", b"[")):
        return ".jsonl"
    if head.startswith((b"<!doctype html", b"<html")):
        return ".html"
    if head.startswith(b"<") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head):
        return ".xml"
    if head.startswith(b"<"):
        return ".html"
    if _csv_header(data):
        return ".csv"
    return ".txt"


def _sniff_settled(data: bytes, ended: bool) -> bool:
    """Whether the first bytes of a stream are enough for sniff_suffix and decode's NUL check."""
    if ended or len(data) >= SNIFF_BYTES:
        return True
    if len(data) < NUL_WINDOW:
        return False
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return not (head.startswith(b"{") and b'"messages"' not in data and b"\n{" not in data[:4096].strip())


def read_stream(name: str, stream: BinaryIO, published: dt.date | None = None, fetch: Fetcher | None = None
                ) -> Iterator[Article | ReadError]:
    """Articles of a stream without a file name (standard input), its format sniffed from its first bytes.

    Seed text, JSON Lines and CSV are read a line at a time: articles come while the stream is still being
    read, and a bad byte ends the stream with an error naming its line (the articles before it were given).
    Web pages, feeds and Telegram exports are single documents, read whole.
    """
    head = b""
    ended = False
    read1 = getattr(stream, "read1", stream.read)
    while not _sniff_settled(head, ended):
        chunk = read1(CHUNK_BYTES)
        ended = not chunk
        head += chunk
    suffix = sniff_suffix(head)
    if suffix not in STREAMED_SUFFIXES:
        yield from read_bytes(name, head + stream.read(), published, None, fetch)
        return
    if ended and not head.strip():
        yield ReadError(name, "empty file")
        return
    if b"\x00" in head[:NUL_WINDOW]:
        yield ReadError(name, "binary file (NUL bytes), not text")
        return
    raw = Prefixed(head, stream)
    yield from _text_items(name, suffix, decoded_lines(io.BufferedReader(raw, CHUNK_BYTES)), published)
    if raw.blank:  # white space throughout, longer than the first bytes
        yield ReadError(name, "empty file")


def read_bytes(name: str, data: bytes, published: dt.date | None = None, manifest: dict | None = None,
               fetch: Fetcher | None = None) -> Iterator[Article | ReadError]:
    """Articles of one file's content, by its name's suffix (sniffed for standard input)."""
    suffix = sniff_suffix(data) if name == STDIN else Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        yield ReadError(name, f"unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}")
        return
    if suffix in FEED_SUFFIXES + HTML_SUFFIXES:
        if not data.strip():
            yield ReadError(name, "empty file")
        elif suffix in FEED_SUFFIXES:
            yield from read_feed(name, data, fetch)
        else:
            yield from read_html(name, data)
        return
    try:
        content = decode(data, name)
    except ValueError as exc:
        yield ReadError(name, str(exc))
        return
    if suffix in TELEGRAM_SUFFIXES:
        yield from read_telegram(name, content)
    elif suffix == ".txt":
        yield from read_seed_text(name, content, published, manifest)
    elif suffix == ".csv":
        yield from read_csv(name, content, published)
    else:
        yield from read_jsonl(name, content, published)


def iter_files(paths: list[Path]) -> Iterator[Path | ReadError]:
    """The article files named, folders expanded (sorted, manifests skipped); `-` is standard input."""
    for path in paths:
        if str(path) == STDIN:
            yield path
        elif path.is_dir():
            for f in sorted(path.rglob("*")):
                if not f.is_dir() and f.suffix.lower() in SUFFIXES and f.name != MANIFEST:
                    yield f
        elif path.is_file():
            yield path
        else:
            yield ReadError(str(path), "no such file or folder")


def read_paths(paths: list[Path], published: dt.date | None = None, fetch: Fetcher | None = None
               ) -> Iterator[Article | ReadError]:
    """Articles of all files and folders named (`-`: standard input), with read errors in place of bad inputs."""
    manifests: dict[Path, dict] = {}
    for item in iter_files([Path(p) for p in paths]):
        if isinstance(item, ReadError):
            yield item
            continue
        if str(item) == STDIN:
            yield from read_stream(STDIN, sys.stdin.buffer, published, fetch)
            continue
        if item.parent not in manifests:
            manifests[item.parent], problem = read_manifest(item.parent)
            if problem is not None:
                yield problem
        if item.suffix.lower() in STREAMED_SUFFIXES:  # seed text, JSON Lines, CSV: a line at a time
            try:
                yield from read_text_file(item, published, manifests[item.parent])
            except FileNotFoundError:
                yield ReadError(str(item), "file disappeared before it was read")
            except OSError as exc:
                yield ReadError(str(item), f"cannot read ({exc.strerror})")
            continue
        try:
            data = item.read_bytes()
        except FileNotFoundError:
            yield ReadError(str(item), "file disappeared before it was read")
            continue
        except OSError as exc:
            yield ReadError(str(item), f"cannot read ({exc.strerror})")
            continue
        yield from read_bytes(str(item), data, published, manifests[item.parent], fetch)

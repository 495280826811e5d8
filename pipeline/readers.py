"""Reads articles from files, folders and standard input (`-`): the seed text format, JSON Lines, CSV,
web pages, RSS/Atom feeds and Telegram Desktop exports (the last three in pipeline.sources).

Every input is untrusted: a bad file or line yields a ReadError naming it, and the
other articles of the batch are still read. Articles are yielded one at a time (a stream).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.errors import ReadError
from pipeline.models import Article
from pipeline.published import TimedArticle, parse_published
from pipeline.sources import Fetcher, read_feed, read_html, read_telegram

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
    "sniff_suffix",
    "split_seed_text",
]

TEXT_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".csv")
STREAMED_SUFFIXES = (".jsonl", ".ndjson")  # read a line at a time from a file (other files are read whole)
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
TELEGRAM_SUFFIXES = (".json",)
SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, *FEED_SUFFIXES, *TELEGRAM_SUFFIXES)
MANIFEST = "manifest.csv"
MAX_FIELD = 2_000_000
STDIN = "-"
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
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"not UTF-8 text (bad byte at line {line}); save the file as UTF-8") from exc


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
    lines = content.splitlines()
    starts = [
        i for i in range(len(lines) - 1)
        if lines[i].strip() and lines[i].strip() == lines[i + 1].strip() and (i == 0 or not lines[i - 1].strip())
    ]
    if not starts:
        return [("", content.strip())] if content.strip() else []
    out = []
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        body = "\n".join(lines[i + 2 : end]).strip()
        out.append((lines[i].strip(), body))
    return out


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
    base = Path(name).name
    for n, (title, text) in enumerate(split_seed_text(content), start=1):
        origin = f"{name}#article{n}"
        try:
            yield _make({"title": title, "text": text}, origin, published, (manifest or {}).get((base, n)))
        except ValueError as exc:
            yield ReadError(origin, str(exc))


def read_jsonl(name: str, content: str, published: dt.date | None) -> Iterator[Article | ReadError]:
    """Articles of a JSON Lines file, one object a line."""
    yield from _jsonl_lines(name, content.split("\n"), published)  # not splitlines: U+2028 may stand in a string


def read_jsonl_file(path: Path, published: dt.date | None = None) -> Iterator[Article | ReadError]:
    """Articles of a JSON Lines file read a line at a time (memory: one line, not the file).

    The file is checked first as read_bytes checks it (not empty, no NUL bytes at its start, UTF-8
    throughout), in one pass of constant memory, so a bad file still gives one error and no articles.
    """
    name = str(path)
    problem = _text_file_problem(path)
    if problem is not None:
        yield ReadError(name, problem)
        return
    with open(path, "rb") as fh:
        lines = (raw.decode("utf-8").removesuffix("\n") for raw in fh)
        first = next(lines, "")
        yield from _jsonl_lines(name, itertools.chain([first.removeprefix("\ufeff")], lines), published)


def _text_file_problem(path: Path, chunk: int = 1 << 20) -> str | None:
    """What decode() would say is wrong with a file's bytes, read a chunk at a time; None when it is fine."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0
    blank = True
    with open(path, "rb") as fh:
        data = fh.read(8192)
        if b"\x00" in data:  # NUL is no white space: such a file is not empty either
            return "binary file (NUL bytes), not text"
        while data:
            blank = blank and not data.strip()
            try:
                decoder.decode(data)
            except UnicodeDecodeError as exc:  # a bad byte is no white space either
                line = lines_before + exc.object[: exc.start].count(b"\n") + 1
                return f"not UTF-8 text (bad byte at line {line}); save the file as UTF-8"
            lines_before += data.count(b"\n")
            data = fh.read(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends inside a character
            return f"not UTF-8 text (bad byte at line {lines_before + 1}); save the file as UTF-8"
    return "empty file" if blank else None


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
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
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
    return ".txt"


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
            yield from read_bytes(STDIN, sys.stdin.buffer.read(), published, None, fetch)
            continue
        if item.parent not in manifests:
            manifests[item.parent], problem = read_manifest(item.parent)
            if problem is not None:
                yield problem
        if item.suffix.lower() in STREAMED_SUFFIXES:  # an archive of JSON Lines: a line at a time
            try:
                yield from read_jsonl_file(item, published)
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

"""Reads articles from the seed text format, JSON Lines, CSV files and folders.

Every input is untrusted: a bad file or line yields a ReadError naming it, and the
other articles of the batch are still read.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.models import Article

SUFFIXES = (".txt", ".jsonl", ".ndjson", ".csv")
MANIFEST = "manifest.csv"
MAX_FIELD = 2_000_000


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read: where, and why."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def article_id(title: str, text: str) -> str:
    """A stable id for an article that has none: a hash of its title and text."""
    return hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()[:16]


def parse_date(value: object) -> dt.date | None:
    """An ISO date (or the date part of an ISO timestamp); None when absent."""
    if value is None or value == "":
        return None
    s = str(value).strip()
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError as exc:
        raise ValueError(f"bad date {s!r} (want YYYY-MM-DD)") from exc


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


def _make(rec: dict, origin: str, default_published: dt.date | None, meta: dict | None = None) -> Article:
    meta = meta or {}
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("no text")
    title = rec.get("title") or meta.get("title") or ""
    if not isinstance(title, str):
        raise ValueError("title is not a string")
    if len(text) > MAX_FIELD:
        raise ValueError(f"text longer than {MAX_FIELD:,} characters")
    published = parse_date(rec.get("published") or meta.get("published")) or default_published
    aid = str(rec.get("id") or meta.get("id") or article_id(title, text))
    return Article(
        id=aid,
        title=title.strip(),
        text=text,
        published=published,
        source=str(rec.get("source") or meta.get("source") or ""),
        url=str(rec.get("url") or meta.get("url") or ""),
        lang=str(rec.get("lang") or meta.get("lang") or ""),
        origin=origin,
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
    for n, line in enumerate(content.split("\n"), start=1):  # not splitlines: U+2028 may stand inside a string
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


def read_bytes(name: str, data: bytes, published: dt.date | None = None, manifest: dict | None = None
               ) -> Iterator[Article | ReadError]:
    """Articles of one file's content, by its name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        yield ReadError(name, f"unsupported file type {suffix or '(none)'}; use {', '.join(SUFFIXES)}")
        return
    try:
        content = decode(data, name)
    except ValueError as exc:
        yield ReadError(name, str(exc))
        return
    if suffix == ".txt":
        yield from read_seed_text(name, content, published, manifest)
    elif suffix == ".csv":
        yield from read_csv(name, content, published)
    else:
        yield from read_jsonl(name, content, published)


def iter_files(paths: list[Path]) -> Iterator[Path | ReadError]:
    """The article files named, folders expanded (sorted, manifests skipped)."""
    for path in paths:
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and f.name != MANIFEST:
                    yield f
        elif path.is_file():
            yield path
        else:
            yield ReadError(str(path), "no such file or folder")


def read_paths(paths: list[Path], published: dt.date | None = None) -> Iterator[Article | ReadError]:
    """Articles of all files and folders named, with read errors in place of bad inputs."""
    manifests: dict[Path, dict] = {}
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            yield item
            continue
        if item.parent not in manifests:
            manifests[item.parent], problem = read_manifest(item.parent)
            if problem is not None:
                yield problem
        try:
            data = item.read_bytes()
        except OSError as exc:
            yield ReadError(str(item), f"cannot read ({exc.strerror})")
            continue
        yield from read_bytes(str(item), data, published, manifests[item.parent])

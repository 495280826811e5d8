"""Text files and streams read a line at a time as UTF-8 (byte-order mark allowed), in constant memory.

`file_problem` says what is wrong with a file's bytes (empty, binary, not UTF-8) in one chunked pass,
as `pipeline.readers.decode` says it of bytes held whole; `decoded_lines` turns byte lines into text
lines and raises BadText at the first bad byte; `universal_lines` splits them further the way a text
file opened with `newline=""` is split (what the csv module expects); `Prefixed` puts bytes already read
(the head of standard input, read to recognise its format) back in front of the rest of a stream.
"""
from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

NUL_WINDOW = 8192  # a NUL byte among the first this many bytes marks a binary file
CHUNK = 1 << 20
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def bad_byte_message(line: int) -> str:
    """The message for a file that is not UTF-8, naming the line of its first bad byte."""
    return f"not UTF-8 text (bad byte at line {line}); save the file as UTF-8"


class BadText(Exception):
    """A stream that turned out not to be UTF-8 text; `line` is that of its first bad byte (lines end at \\n)."""

    def __init__(self, line: int) -> None:
        super().__init__(bad_byte_message(line))
        self.line = line
        self.message = bad_byte_message(line)


def file_problem(path: Path, chunk: int = CHUNK) -> str | None:
    """What is wrong with a file's bytes (empty, binary, not UTF-8), read a chunk at a time; None when fine."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0
    blank = True
    with open(path, "rb") as fh:
        data = fh.read(NUL_WINDOW)
        if b"\x00" in data:  # NUL is no white space: such a file is not empty either
            return "binary file (NUL bytes), not text"
        while data:
            blank = blank and not data.strip()
            try:
                decoder.decode(data)
            except UnicodeDecodeError as exc:  # a bad byte is no white space either
                return bad_byte_message(lines_before + exc.object[: exc.start].count(b"\n") + 1)
            lines_before += data.count(b"\n")
            data = fh.read(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends inside a character
            return bad_byte_message(lines_before + 1)
    return "empty file" if blank else None


def decoded_lines(raw_lines: Iterable[bytes]) -> Iterator[str]:
    """The text of byte lines that end at b'\\n' (endings kept), a leading byte-order mark dropped.

    A line ending is a whole character in UTF-8, so each line decodes on its own; BadText at a bad byte.
    """
    for n, raw in enumerate(raw_lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadText(n) from None
        yield text.removeprefix("\ufeff") if n == 1 else text


def universal_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines that end at \\n, split again at a lone \\r: the lines of a text file opened with newline=''."""
    for line in lines:
        cr = line.find("\r")
        if cr < 0 or (cr == len(line) - 2 and line.endswith("\r\n")):
            yield line
        else:
            yield from (part for part in _LONE_CR.split(line) if part)


class Prefixed(io.RawIOBase):
    """A readable stream: `head` (bytes already read from `rest`), then the rest of `rest`.

    It also notes whether every byte it gave was ASCII white space (`blank`), as bytes.strip() counts it.
    """

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest
        self.blank = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        """Bytes of the head first, then of the rest as they arrive (not waiting to fill the buffer)."""
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            read1 = getattr(self._rest, "read1", self._rest.read)
            data = read1(len(buffer))
            n = len(data)
            buffer[:n] = data
        if self.blank and n and bytes(buffer[:n]).strip():
            self.blank = False
        return n

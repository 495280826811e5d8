"""Seed text, JSON Lines and CSV files and standard input are read a line at a time, with the checks and
errors of reading them whole."""
import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import readers, textlines
from pipeline.readers import (
    STDIN,
    ReadError,
    article_id,
    read_bytes,
    read_jsonl_file,
    read_paths,
    read_stream,
    sniff_suffix,
)

LINES = [{"id": "a1", "text": "اشتباكات في عين زارة\u2028 امس", "published": "2019-05-01"},
         {"id": "a2", "text": "Clashes near Tripoli airport.", "title": "t"}]


@pytest.mark.parametrize("data", [
    ("\ufeff" + "\n".join(json.dumps(x, ensure_ascii=False) for x in LINES) + "\n\n{bad\n[1]\r\n").encode(),
    b"", b" \n\t\n", b'{"text": "a"}\n\x00', '{"text": "ب"}\n{"text": "x"}\n'.encode() + b'{"text": "\xff"}\n',
    '{"text": "ب"}'.encode()[:-3],  # ends inside a character
])
def test_streamed_file_reads_as_the_whole_file_does(tmp_path, data):
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)
    assert list(read_jsonl_file(path)) == list(read_bytes(str(path), data))


def test_a_bad_byte_anywhere_rejects_the_file_before_any_article(tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(b'{"text": "one"}\n{"text": "two"}\n{"text": "\xd8"}\n')
    (only,) = list(read_paths([path]))
    assert only.message == "not UTF-8 text (bad byte at line 3); save the file as UTF-8"


def test_read_paths_streams_jsonl_articles_in_order(tmp_path):
    path = tmp_path / "c.ndjson"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in LINES), encoding="utf-8")
    items = list(read_paths([path]))
    assert [a.id for a in items] == ["a1", "a2"] and items[0].text == LINES[0]["text"]
    assert items[1].origin == f"{path}:2"


# --- CSV and seed text files, standard input: read a line at a time, the same articles and errors -----

CSV_ROWS = ("id,title,text,published\r\n"
            "c1,t1,اشتباكات في عين زارة,2019-05-01\r\n"
            'c2,t2,"Clashes near Tripoli airport.\nA second line, quoted.",2019-05-02\r\n'
            "c3,t3,,2019-05-03\r\n"  # the bad row: no text
            "c4,t4,Shelling in Abu Salim.,2099-01-01\r\n"  # a bad date
            "c5,t5,Fighting in Wadi Rabie.,\r\n")
SEED = ("ignored preamble\n\nعنوان أول\nعنوان أول\n\nفقرة أولى.\r\n\r\nفقرة ثانية.\n\n"
        "Second title\nSecond title\n\nA body\u2028with a line separator.\n\nThird\nThird\n\n\n")


def test_a_csv_whose_third_row_is_bad_gives_the_others_and_an_error_naming_its_line(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(CSV_ROWS.encode())
    items = list(read_paths([path]))
    assert [getattr(x, "id", None) for x in items] == ["c1", "c2", None, None, "c5"]
    assert str(items[2]) == f"{path}:5: no text"  # line 5: the quoted field of c2 spans two lines
    assert str(items[3]).startswith(f"{path}:6: publication date")
    assert items[1].text == "Clashes near Tripoli airport.\nA second line, quoted."


def test_a_seed_text_file_with_several_articles(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(SEED, encoding="utf-8")
    one, two, three = list(read_paths([path]))
    assert (one.title, one.text) == ("عنوان أول", "فقرة أولى.\n\nفقرة ثانية.")
    assert (two.title, two.text) == ("Second title", "A body\nwith a line separator.")
    assert str(three) == f"{path}#article3: no text"


@pytest.mark.parametrize(("suffix", "data"), [
    (".csv", CSV_ROWS.encode()),
    (".csv", b"\xef\xbb\xbfid,text\rx1,lone CR ends a line\r\r\nx2,\"a\rb\"\nx3,last"),
    (".csv", b'id,text\n1,"unterminated\n2,abc\n'),
    (".csv", b"title,body\na,b\n"),
    (".csv", b"id,text\n"),
    (".csv", b"id,text\n1,ok\n2,\xff\n"),
    (".txt", SEED.encode()),
    (".txt", b"\xef\xbb\xbfno title at all\r\njust text\r\n"),
    (".txt", b"A\nA\nA\n\nB\nB\n"),
    (".txt", "\n\nعنوان\nعنوان\nنص\x85بعده\n".encode()),
    (".txt", b" \n\t\n"),
    (".txt", b"x\x00y"),
])
def test_a_streamed_file_reads_as_the_whole_file_does(tmp_path, suffix, data):
    path = tmp_path / f"a{suffix}"
    path.write_bytes(data)
    assert list(read_paths([path])) == list(read_bytes(str(path), data))


def test_the_manifest_dates_articles_of_a_streamed_seed_file(tmp_path):
    (tmp_path / "manifest.csv").write_text("file,index,id,published,source,url,lang\n"
                                           "seed.txt,2,m2,2020-06-03,wire,,en\n", encoding="utf-8")
    (tmp_path / "seed.txt").write_text(SEED, encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert (items[1].id, items[1].published, items[1].source) == ("m2", dt.date(2020, 6, 3), "wire")
    assert items[0].id == article_id("عنوان أول", "فقرة أولى.\n\nفقرة ثانية.")


class Recording(io.BytesIO):
    """A byte stream that records the furthest byte read and the largest read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.furthest = self.largest = 0

    def _note(self, size):
        self.largest = max(self.largest, size if size is not None and size >= 0 else len(self.getbuffer()))

    def read(self, size=-1):
        self._note(size)
        out = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return out

    def read1(self, size=-1):
        self._note(size)
        out = super().read1(size)
        self.furthest = max(self.furthest, self.tell())
        return out

    def readinto(self, b):
        self._note(len(b))
        n = super().readinto(b)
        self.furthest = max(self.furthest, self.tell())
        return n

    readinto1 = readinto

    def readline(self, size=-1):
        out = super().readline(size)
        self.furthest = max(self.furthest, self.tell())
        return out


def _many_csv(n: int) -> bytes:
    rows = "".join(f'r{i},"Clashes near Tripoli airport, day {i}."\n' for i in range(n))
    return ("id,text\n" + rows).encode()


def _many_seed(n: int) -> bytes:
    return "".join(f"Title {i}\nTitle {i}\n\nClashes near Tripoli airport, day {i}.\n\n" for i in range(n)).encode()


def _many_jsonl(n: int) -> bytes:
    return "".join(json.dumps({"text": f"Clashes near Tripoli airport, day {i}."}) + "\n" for i in range(n)).encode()


@pytest.mark.parametrize(("suffix", "make"), [(".csv", _many_csv), (".txt", _many_seed), (".jsonl", None)])
def test_a_file_gives_its_first_article_before_it_is_read_to_the_end(tmp_path, monkeypatch, suffix, make):
    n = 40_000  # over a megabyte: more than one chunk of the check
    data = (make or _many_jsonl)(n)
    path = tmp_path / f"big{suffix}"
    path.write_bytes(data)
    opened = []

    def recording_open(file, mode="r", *args, **kwargs):
        with open(file, "rb") as fh:
            opened.append(Recording(fh.read()))
        return opened[-1]

    monkeypatch.setattr(readers, "open", recording_open, raising=False)
    monkeypatch.setattr(textlines, "open", recording_open, raising=False)
    stream = read_paths([path])
    first = next(stream)
    assert not isinstance(first, ReadError)
    check, parse = opened  # one pass checks the bytes a chunk at a time, the second reads the articles
    assert check.furthest == len(data) and check.largest <= textlines.CHUNK < len(data)
    assert parse.furthest < len(data) // 4
    assert len(list(stream)) == n - 1


@pytest.mark.parametrize(("make", "suffix"), [(_many_csv, ".csv"), (_many_seed, ".txt"), (None, ".jsonl")])
def test_standard_input_gives_its_first_article_before_it_is_read_to_the_end(make, suffix):
    data = (make or _many_jsonl)(20_000)
    stdin = Recording(data)
    stream = read_stream(STDIN, stdin)
    first = next(stream)
    assert not isinstance(first, ReadError) and stdin.furthest < len(data) // 4
    rest = list(stream)
    assert len(rest) == 20_000 - 1 and [first, *rest] == list(read_bytes(STDIN, data))
    assert sniff_suffix(data) == suffix


@pytest.mark.parametrize("data", [
    "\n".join(json.dumps(x, ensure_ascii=False) for x in LINES).encode(),
    CSV_ROWS.encode(),
    ("\ufeff" + CSV_ROWS).encode(),
    SEED.encode(),
    b"", b" \n\t\n", b"\x00binary",
    b" " * 100_000,  # white space longer than the first bytes read
    b"id,text\n",
])
def test_standard_input_reads_as_the_same_bytes_held_whole(data):
    assert list(read_stream(STDIN, io.BytesIO(data))) == list(read_bytes(STDIN, data))


@pytest.mark.parametrize(("data", "ids", "origin"), [
    (CSV_ROWS.encode(), ["c1", "c2", None, None, "c5"], "-:2"),
    ("\n".join(json.dumps(x, ensure_ascii=False) for x in LINES).encode(), ["a1", "a2"], "-:1"),
])
def test_standard_input_csv_and_jsonl_through_read_paths(monkeypatch, data, ids, origin):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    items = list(read_paths([Path(STDIN)]))
    assert [getattr(x, "id", None) for x in items] == ids and items[0].origin == origin


def test_a_bad_byte_on_standard_input_ends_it_with_an_error_naming_its_line():
    data = b'{"text": "one"}\n{"text": "two"}\n{"text": "\xd8"}\n{"text": "four"}\n'
    one, two, err = list(read_stream(STDIN, io.BytesIO(data)))
    assert (one.text, two.text) == ("one", "two")
    assert str(err) == "-: not UTF-8 text (bad byte at line 3); save the file as UTF-8"


@pytest.mark.parametrize(("data", "suffix"), [
    (b"id,title,text,published\n", ".csv"), (b"\xef\xbb\xbftext,id\r\n", ".csv"),
    (b"text\nbody\n", ".txt"),  # one column: could be a seed title
    (b"text, and more\ntext, and more\n", ".txt"), (b"Tripoli, Libya\n", ".txt"),
])
def test_standard_input_csv_is_recognised_by_its_header(data, suffix):
    assert sniff_suffix(data) == suffix


NASTY = st.lists(st.sampled_from(["T", "T", "a", " ", "\n", "\n", "\r", "\r\n", "\u2028", "\x85", ",", '"', "ب",
                                  "\ufeff", "text", "id"]), max_size=40).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.sampled_from([".txt", ".csv"]), NASTY)
def test_any_text_streamed_reads_as_held_whole(tmp_path, suffix, text):
    data = (("id,text\n" if suffix == ".csv" else "") + text).encode()
    path = tmp_path / f"h{suffix}"
    path.write_bytes(data)
    assert list(read_paths([path])) == list(read_bytes(str(path), data))
    assert list(read_stream(STDIN, io.BytesIO(data))) == list(read_bytes(STDIN, data))


@pytest.mark.parametrize("seed", [
    "T\nT\n\n" + "word " * 450_000,  # one article over the limit after a title
    "word " * 450_000 + "\n\n",  # no title
    "\n" * 10 + "word " * 390_000 + " " * 2_500_000 + "end",  # under the limit, then white space, then more
    "word " * 390_000 + " " * 2_500_000,  # under the limit, with long trailing white space
])
def test_a_long_seed_article_is_refused_as_when_held_whole(tmp_path, seed):
    path = tmp_path / "long.txt"
    path.write_text(seed, encoding="utf-8")
    assert list(read_paths([path])) == list(read_bytes(str(path), seed.encode()))


def test_a_seed_article_followed_by_a_flood_of_blank_lines_is_read_in_bounded_memory():
    """The blank lines after an article are stripped; they are not held (nor joined again and again)."""
    from pipeline.readers import _Gathered, seed_articles

    pieces = ["Title\n", "Title\n", "Clashes in Ain Zara.\n", *(["   \n"] * 20_000)]
    assert list(seed_articles(pieces, cap=1_000)) == [("Title", "Clashes in Ain Zara.")]
    held = _Gathered(cap=1_000)
    held.add("Clashes in Ain Zara.")
    for _ in range(20_000):
        held.add("   \n")
        assert held.size <= 3_001  # at most the cap + 1 and what came since the last check
    assert held.text() == "Clashes in Ain Zara."
    held.add("More text.")  # text after that much white space is past the cap: too long to be an article
    assert len(held.text()) > 1_000

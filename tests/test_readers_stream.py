"""A JSON Lines file is read a line at a time, with the checks and errors of reading it whole."""
import json

import pytest

from pipeline.readers import read_bytes, read_jsonl_file, read_paths

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

"""Fuzzed batches through the whole ingest path: a bad line is a named error, never a traceback, and every
good article of the batch, before or after it, is stored."""
from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import store
from pipeline.ingest import ingest_items
from pipeline.readers import read_bytes

GOOD_TEXT = "أعلنت قوات حكومة الوفاق الأربعاء السيطرة على مطار طرابلس العالمي جنوبي العاصمة."
INVISIBLE = "\u200b\u200c\u200d\u00ad\u202e\u2066\ufeff"

# Lines that must be refused by name (JSON text, escaped with ensure_ascii so lone surrogates survive).
BAD_LINES = st.one_of(
    # (a NUL byte makes the whole file binary, and a byte that is not UTF-8 (a lone surrogate) makes it
    # text in another encoding, refused whole with the line named: those cases have their own tests)
    st.text(st.characters(codec="utf-8", blacklist_characters="\x00"), max_size=30).filter(
        lambda t: t.strip() and not t.strip().startswith(("{", "["))),
    st.builds(lambda s: json.dumps({"id": s, "text": GOOD_TEXT}), st.sampled_from(["\ud800", "a\udfffb", "\udc80"])),
    st.builds(lambda s: json.dumps({"title": s, "text": GOOD_TEXT}), st.sampled_from(["\ud83d", "x\udbff"])),
    st.builds(lambda s: json.dumps({"text": GOOD_TEXT + s}), st.sampled_from(["\ud800", "\udfff"])),
    st.builds(lambda d: json.dumps({"text": "قصف أمس على عين زارة يوم الأربعاء", "published": d}),
              st.sampled_from(["0001-01-01", "9999-12-31", "2019-06-26 is not a date", "2019-06-26T99:99:99",
                               "2099-01-01", "1899-12-31", "", "yesterday"])),
    st.builds(lambda v: json.dumps({"title": v, "text": GOOD_TEXT}), st.sampled_from([["a"], {"b": 1}, 3.5e300])),
    st.builds(lambda v: json.dumps({"id": v, "text": GOOD_TEXT}), st.sampled_from([["x"], {"y": 2}, None, True])),
    st.just(json.dumps({"title": "no text"})),
    st.just(json.dumps({"text": "   "})),
)


def _good(i: int, marks: str) -> str:
    text = GOOD_TEXT.replace("طرابلس", "طرا" + marks + "بلس")
    return json.dumps({"id": f"good-{i}", "title": "t", "text": text, "published": "2020-06-04"}, ensure_ascii=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad=st.lists(BAD_LINES, min_size=1, max_size=4), n_good=st.integers(1, 3),
       marks=st.text(alphabet=INVISIBLE, max_size=2), data=st.data())
def test_a_jsonl_batch_with_bad_lines_stores_every_good_article(bad, n_good, marks, data) -> None:
    lines = [_good(i, marks) for i in range(n_good)]
    for line in bad:
        lines.insert(data.draw(st.integers(0, len(lines))), line)
    payload = "\n".join(lines).encode("utf-8", "surrogatepass")
    conn = store.open_db(":memory:")
    report = ingest_items(read_bytes("batch.jsonl", payload), conn)
    stored = {row[0] for row in conn.execute("SELECT id FROM articles")}
    assert {f"good-{i}" for i in range(n_good)} <= stored
    assert all(e.startswith("batch.jsonl") for e in report.errors), report.errors


@settings(max_examples=30, deadline=None)
@given(fields=st.lists(st.text(alphabet=st.sampled_from('ab ,"\n\r\t;عين'), max_size=20), min_size=1, max_size=4))
def test_csv_quoting_never_breaks_the_batch(fields) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "text"])
    writer.writerow(["good-1", "t", GOOD_TEXT])
    for i, f in enumerate(fields):
        writer.writerow([f"odd-{i}", f, f])
    writer.writerow(["good-2", "t", GOOD_TEXT])
    conn = store.open_db(":memory:")
    report = ingest_items(read_bytes("batch.csv", out.getvalue().encode("utf-8")), conn)
    stored = {row[0] for row in conn.execute("SELECT id FROM articles")}
    assert {"good-1", "good-2"} <= stored
    assert all(e.startswith("batch.csv") for e in report.errors)


@settings(max_examples=20, deadline=None)
@given(encoding=st.sampled_from(["utf-16", "utf-32", "cp1256", "latin-1"]))
def test_a_file_in_another_encoding_is_a_named_error(encoding) -> None:
    text = _good(1, "") + "\n"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # the Arabic does not fit latin-1: use its bytes anyway
        data = text.encode("utf-8").decode("utf-8").encode(encoding, "replace")
    items = list(read_bytes("batch.jsonl", data))
    conn = store.open_db(":memory:")
    report = ingest_items(items, conn)
    assert all(e.startswith("batch.jsonl") for e in report.errors)


def test_an_escaped_lone_surrogate_is_named_as_such() -> None:
    lines = [json.dumps({"id": "\ud800", "text": GOOD_TEXT}), _good(1, "")]
    conn = store.open_db(":memory:")
    report = ingest_items(read_bytes("batch.jsonl", "\n".join(lines).encode()), conn)
    assert report.articles_new == 1
    assert report.errors == ("batch.jsonl:1: id is not valid text: an unpaired surrogate at character 1",)


def test_a_nul_byte_makes_the_file_a_named_binary_file() -> None:
    payload = (_good(1, "") + "\n\x00\n").encode()
    report = ingest_items(read_bytes("batch.jsonl", payload), store.open_db(":memory:"))
    assert len(report.errors) == 1 and report.errors[0].startswith("batch.jsonl") and "binary" in report.errors[0]

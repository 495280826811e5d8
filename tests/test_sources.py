"""Web pages, RSS/Atom feeds, Telegram exports and standard input, read from tiny fixtures (no network)."""
import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from pipeline.published import parse_published
from pipeline.readers import ReadError, read_bytes, read_paths, sniff_suffix

FIX = Path(__file__).resolve().parent / "fixtures" / "sources"


def read(name: str, **kw) -> list:
    return list(read_paths([FIX / name], **kw))


def test_web_page_gives_main_text_title_date_and_site_not_the_menu():
    (art,) = read("page.html")
    assert art.title == "LNA strikes Misrata airport"
    assert art.source == "Libya Wire" and art.published == dt.date(2019, 8, 16)
    assert art.url == "https://libyawire.example/2019/08/16/lna-strikes-misrata-airport"
    assert "struck an air defence system at Misrata airport" in art.text
    assert "Sport" not in art.text and "newsletter" not in art.text


def test_page_without_an_article_is_named():
    (err,) = read("no_article.html")
    assert isinstance(err, ReadError) and err.origin.endswith("no_article.html") and "no article text" in err.message


def test_rss_entries_keep_their_time_zone_and_the_channel_is_the_source():
    first, second = read("feed_rss.xml")
    assert (first.source, first.title) == ("Libya Wire", "LNA strikes Misrata airport")
    assert first.published_at == "2019-08-16T09:30:00+02:00" and first.published == dt.date(2019, 8, 16)
    assert first.text.startswith("The LNA said its warplanes")  # the summary's HTML is gone
    assert second.published_at == "2020-06-03T14:05:00+02:00" and "مطار طرابلس" in second.text


def test_atom_date_is_the_local_date_of_its_own_offset():
    (art,) = read("feed_atom.xml")
    # 23:30 at UTC-4 is already 4 June in UTC; the reporter's own day is 3 June
    assert art.published == dt.date(2020, 6, 3) and art.published_at == "2020-06-03T23:30:00-04:00"
    assert art.source == "Burkan Watch" and art.url == "https://burkan.example/airport"


def test_feed_full_text_fetches_each_entry_link():
    page = (FIX / "page.html").read_bytes()
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return page

    first, _second = read("feed_rss.xml", fetch=fetch)
    assert asked[0] == "https://libyawire.example/2019/08/16/lna-strikes-misrata-airport"
    assert "civilian flights had been suspended" in first.text  # only on the page, not in the summary
    assert first.published_at == "2019-08-16T09:30:00+02:00"


def test_full_text_falls_back_to_the_summary_when_the_link_fails():
    def offline(url: str) -> bytes:
        raise OSError("cannot reach the site; are you offline?")

    first, _ = read("feed_rss.xml", fetch=offline)
    assert first.text.startswith("The LNA said its warplanes")


def test_a_feed_that_is_not_xml_is_named_and_the_batch_goes_on(tmp_path):
    items = list(read_paths([FIX / "not_a_feed.xml", FIX / "feed_atom.xml"]))
    assert isinstance(items[0], ReadError) and "not an RSS or Atom feed" in items[0].message
    assert items[0].origin.endswith("not_a_feed.xml")
    assert items[1].source == "Burkan Watch"


def test_telegram_one_article_per_message_with_text_string_or_entities():
    a, b = read("telegram_result.json")
    assert (a.source, a.url, a.id) == ("عملية بركان الغضب", "https://t.me/c/1346725393/2", "tg:1346725393:2")
    assert a.published_at == "2020-06-03T12:05:00+00:00"  # date_unixtime, in UTC
    assert b.text == "The LNA said its warplanes struck an air defence system at #Misrata airport on Thursday."


def test_telegram_export_without_messages_is_named():
    (err,) = read("telegram_empty.json")
    assert isinstance(err, ReadError) and "no messages" in err.message and err.origin.endswith("telegram_empty.json")


@pytest.mark.parametrize(("name", "suffix"), [("page.html", ".html"), ("feed_rss.xml", ".xml"),
                                              ("feed_atom.xml", ".xml"), ("telegram_result.json", ".json")])
def test_stdin_content_is_recognised(name, suffix):
    assert sniff_suffix((FIX / name).read_bytes()) == suffix


def test_stdin_dash_reads_standard_input(monkeypatch):
    line = json.dumps({"id": "s1", "text": "اشتباكات في عين زارة", "published": "2020-06-03"}, ensure_ascii=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode() + b"\n")))
    (art,) = list(read_paths([Path("-")]))
    assert art.id == "s1" and art.origin == "-:1"


@pytest.mark.parametrize(("value", "day", "at"), [
    ("2020-06-03", dt.date(2020, 6, 3), ""),
    ("Wed, 03 Jun 2020 14:05:00 +0200", dt.date(2020, 6, 3), "2020-06-03T14:05:00+02:00"),
    ("2020-06-03T14:05:00Z", dt.date(2020, 6, 3), "2020-06-03T14:05:00+00:00"),
])
def test_publication_dates_in_feed_and_iso_forms(value, day, at):
    when = parse_published(value)
    assert (when.date, when.at) == (day, at)


@pytest.mark.parametrize("value", ["2019-06-26 is not a date", "2019-06-26T99:99:99", "2099-01-01", "0001-01-01",
                                   "yesterday"])
def test_bad_publication_dates_are_refused(value):
    with pytest.raises(ValueError, match="publication date"):
        parse_published(value)


def test_bad_date_or_field_type_is_reported_per_article_and_the_rest_is_read():
    lines = [{"id": "x1", "text": "نص", "published": "2099-01-01"}, {"id": "x2", "text": "نص", "title": ["a"]},
             {"id": "x3", "text": "اشتباكات في عين زارة", "published": "Wed, 03 Jun 2020 14:05:00 +0200"}]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    bad1, bad2, good = list(read_bytes("b.jsonl", data))
    assert str(bad1).startswith("b.jsonl:1: publication date") and "out of range" in str(bad1)
    assert str(bad2) == "b.jsonl:2: title must be text, not list"
    assert good.published == dt.date(2020, 6, 3)


def test_csv_field_longer_than_the_csv_module_default_is_read():
    text = "اشتباكات في عين زارة. " * 8000  # ~180,000 characters, over csv's 131,072 default
    (art,) = list(read_bytes("long.csv", f'id,text\nL1,"{text}"\n'.encode()))
    assert art.id == "L1" and len(art.text) == len(text)


def test_the_feed_time_and_zone_are_stored(tmp_path):
    from pipeline.ingest import ingest_paths
    from pipeline.store import open_db

    conn = open_db(tmp_path / "m.db")
    assert ingest_paths([FIX / "feed_rss.xml"], conn).articles_new == 2
    rows = set(conn.execute("SELECT published, published_at FROM articles"))
    assert rows == {("2019-08-16", "2019-08-16T09:30:00+02:00"), ("2020-06-03", "2020-06-03T14:05:00+02:00")}

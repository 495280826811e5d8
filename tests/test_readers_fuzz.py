"""Whatever bytes arrive under whatever name, a reader yields articles or errors naming the input: never raises."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.models import Article
from pipeline.readers import ReadError, read_bytes

NAMES = st.sampled_from(["a.txt", "a.jsonl", "a.csv", "a.html", "a.xml", "a.rss", "result.json", "-"])
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=3), max_leaves=8)


def check(name: str, data: bytes) -> None:
    for item in read_bytes(name, data):
        assert isinstance(item, Article | ReadError)
        if isinstance(item, ReadError):
            assert item.origin.startswith(name) and item.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES, st.binary(max_size=300))
def test_random_bytes(name, data):
    check(name, data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["a.jsonl", "result.json", "-"]), JSONISH)
def test_random_json_shapes(name, value):
    check(name, json.dumps(value).encode())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["id", "title", "text", "published", "source", "url"]), JSONISH, max_size=6))
def test_random_telegram_messages(message):
    check("result.json", json.dumps({"name": "c", "id": 1, "messages": [message]}).encode())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=40))
def test_any_feed_date_is_an_article_or_a_named_error(date):
    from xml.sax.saxutils import escape

    rss = (f"<rss version='2.0'><channel><title>t</title><item><title>x</title><pubDate>{escape(date)}</pubDate>"
           "<description>اشتباكات في عين زارة</description></item></channel></rss>")
    check("f.xml", rss.encode("utf-8", "surrogatepass"))
    check("a.jsonl", json.dumps({"text": "اشتباكات في عين زارة", "published": date}).encode())

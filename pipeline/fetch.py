"""Fetching web pages and feeds over HTTP(S) politely: a user agent, timeouts, a size cap, clear errors."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from pipeline import __version__
from pipeline.errors import ReadError
from pipeline.models import Article
from pipeline.readers import FEED_SUFFIXES, sniff_suffix
from pipeline.sources import read_feed, read_html

TIMEOUT_S = 20.0
MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = f"mihwar/{__version__} (conflict-map research tool)"
HOST_INTERVAL_S = 1.0  # at most one request a second to the same site
_last_request: dict[str, float] = {}
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml")


class FetchError(OSError):
    """A URL that could not be fetched, with the reason in plain words."""


def fetch(url: str, timeout: float = TIMEOUT_S) -> tuple[bytes, str]:
    """The body and content type of an http(s) URL; FetchError saying why not (offline, HTTP status, too big).

    Requests to one site are spaced HOST_INTERVAL_S apart.
    """
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"not an http(s) URL: {url[:200]!r}")
    host = urllib.parse.urlsplit(url).netloc
    wait = _last_request.get(host, float("-inf")) + HOST_INTERVAL_S - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    _last_request[host] = time.monotonic()
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html, application/xml;q=0.9, */*;q=0.5"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read(MAX_BYTES + 1)
            ctype = resp.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FetchError(f"cannot reach the site ({exc.reason}); are you offline?") from exc
    except TimeoutError as exc:
        raise FetchError(f"no answer within {timeout:g} s") from exc
    except OSError as exc:
        raise FetchError(f"connection failed ({exc})") from exc
    if len(body) > MAX_BYTES:
        raise FetchError(f"larger than {MAX_BYTES // (1024 * 1024)} MB; not read")
    return body, ctype


def fetch_url(url: str) -> bytes:
    """The body of a URL (for a feed entry's full text)."""
    return fetch(url)[0]


def read_url(url: str, fetch_entries: bool = False) -> Iterator[Article | ReadError]:
    """The articles of a URL: a feed's entries (their pages fetched when asked) or a web page's article."""
    body, ctype = fetch(url)
    if ctype in FEED_TYPES or sniff_suffix(body) in FEED_SUFFIXES:
        yield from read_feed(url, body, fetch_url if fetch_entries else None)
    else:
        yield from read_html(url, body, url)

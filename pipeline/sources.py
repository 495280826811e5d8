"""Readers for the sources analysts keep: web pages (trafilatura), RSS/Atom feeds (feedparser) and
Telegram Desktop channel exports (result.json). Each yields Article or ReadError, one item at a time.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import warnings
from collections.abc import Callable, Iterator

from pipeline.errors import ReadError
from pipeline.models import Article
from pipeline.published import TimedArticle, parse_published

log = logging.getLogger(__name__)

Fetcher = Callable[[str], bytes]
TITLE_CHARS = 160
MIN_PAGE_CHARS = 40  # less than a sentence: a menu or an error page, not an article


def url_id(prefix: str, key: str) -> str:
    """A stable article id for a URL or feed entry id."""
    return f"{prefix}:{hashlib.sha1(key.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def _article(*, aid: str, title: str, text: str, published: object, source: str, url: str, origin: str,
             lang: str = "") -> Article:
    when = parse_published(published)
    return TimedArticle(id=aid, title=title.strip(), text=text, published=when.date if when else None,
                        source=source, url=url, lang=lang, origin=origin,
                        published_at=when.at if when else "")


# --- web pages ---------------------------------------------------------------------------------------

def html_article(name: str, data: bytes | str, url: str = "") -> Article:
    """The main text, title, date and site name of a web page; ValueError when it holds no article."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = trafilatura.bare_extraction(data, url=url or None, with_metadata=True, include_comments=False,
                                          date_extraction_params={"extensive_search": False,
                                                                  "original_date": True})
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ValueError("no article text found on the page")
    title = (doc.title or "").strip()
    if title and text.startswith(title):  # trafilatura keeps the headline as the first line
        text = text[len(title):].lstrip("\n")
    if len(text.strip()) < MIN_PAGE_CHARS:
        raise ValueError(f"no article text found on the page (main text under {MIN_PAGE_CHARS} characters)")
    page_url = url or (doc.url or "")
    published = doc.date or None
    try:
        parse_published(published)
    except ValueError as exc:  # the page's date is a guess (htmldate), not a field someone gave: drop it
        log.warning("%s: page date not used (%s)", name, exc)
        published = None
    return _article(aid=url_id("web", page_url) if page_url else url_id("web", f"{title}\n{text}"),
                    title=title, text=text, published=published, source=(doc.sitename or doc.hostname or ""),
                    url=page_url, origin=name, lang=doc.language or "")


def read_html(name: str, data: bytes, url: str = "") -> Iterator[Article | ReadError]:
    """The article of one web page (a file or a fetched URL)."""
    try:
        article = html_article(name, data, url)
    except ValueError as exc:
        yield ReadError(name, str(exc))
    except Exception as exc:  # trafilatura and lxml raise several kinds on broken markup
        yield ReadError(name, f"unreadable page ({type(exc).__name__}: {exc})")
    else:
        yield article


# --- RSS and Atom ------------------------------------------------------------------------------------

def _plain(html: str) -> str:
    """The text of an HTML fragment (feed summaries and contents), paragraphs kept."""
    if "<" not in html:
        return html.strip()
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several kinds on fragments it cannot parse
        return html.strip()
    for br in root.iter("br", "p", "div", "li"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def read_feed(name: str, data: bytes, fetch: Fetcher | None = None) -> Iterator[Article | ReadError]:
    """One article per feed entry: its link's full text when fetch is given, else its content or summary."""
    import feedparser

    parsed = feedparser.parse(data)  # bytes: never a URL or path
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        yield ReadError(name, f"not an RSS or Atom feed ({why or 'no feed element'})")
        return
    source = parsed.feed.get("title", "") or ""
    if not parsed.entries:
        yield ReadError(name, "feed has no entries")
        return
    for n, entry in enumerate(parsed.entries, start=1):
        origin = f"{name}#entry{n}"
        link = entry.get("link", "") or ""
        # dict.get: feedparser's own get maps a missing 'updated' to 'published' with a DeprecationWarning
        raw_date = dict.get(entry, "published") or dict.get(entry, "updated") or dict.get(entry, "created")
        try:
            if fetch is not None and link.startswith(("http://", "https://")):
                try:
                    page = html_article(origin, fetch(link), link)
                    published = raw_date or page.published_at or page.published  # type: ignore[attr-defined]
                    yield _article(aid=url_id("web", link), title=entry.get("title") or page.title, text=page.text,
                                   published=published, source=source or page.source, url=link, origin=origin)
                    continue
                except Exception as exc:  # offline, HTTP error, no article on the page, broken markup
                    log.warning("%s: full text of %s not used (%s); the summary is stored", origin, link, exc)
            contents = entry.get("content") or []
            body = contents[0].get("value", "") if contents else entry.get("summary", "")
            text = _plain(body or "")
            if not text:
                raise ValueError("entry has no text (no summary or content)")
            key = entry.get("id") or link or f"{entry.get('title', '')}\n{text}"
            yield _article(aid=url_id("web" if link and key == link else "feed", key), title=entry.get("title", ""),
                           text=text, published=raw_date, source=source, url=link, origin=origin)
        except ValueError as exc:
            yield ReadError(origin, str(exc))


# --- Telegram Desktop exports -----------------------------------------------------------------------

def telegram_text(value: object) -> str:
    """The text of a Telegram export message: a string, or a list of strings and {type, text} entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def read_telegram(name: str, content: str) -> Iterator[Article | ReadError]:
    """One article per message of a Telegram Desktop channel export (result.json); the channel is the source."""
    try:
        export = json.loads(content)
    except (json.JSONDecodeError, RecursionError) as exc:
        yield ReadError(name, f"not a Telegram export (malformed JSON: {exc})")
        return
    messages = export.get("messages") if isinstance(export, dict) else None
    if not isinstance(messages, list):
        yield ReadError(name, "not a Telegram export (no 'messages' list)")
        return
    channel = str(export.get("name") or "Telegram")
    channel_id = export.get("id")
    found = 0
    for n, msg in enumerate(messages, start=1):
        if not isinstance(msg, dict) or msg.get("type", "message") != "message":
            continue
        text = telegram_text(msg.get("text")).strip()
        if not text:
            continue  # a photo or sticker without a caption
        found += 1
        mid = msg.get("id", n)
        origin = f"{name}#message{mid}"
        link = f"https://t.me/c/{channel_id}/{mid}" if channel_id is not None else ""
        unix = msg.get("date_unixtime")
        try:
            published: object = msg.get("date")
            if isinstance(unix, str | int) and str(unix).isdigit():
                published = dt.datetime.fromtimestamp(int(unix), dt.UTC)
            yield _article(aid=f"tg:{channel_id}:{mid}", title=text.split("\n", 1)[0][:TITLE_CHARS], text=text,
                           published=published, source=channel, url=link, origin=origin)
        except (ValueError, OverflowError, OSError) as exc:
            yield ReadError(origin, str(exc))
    if not found:
        yield ReadError(name, "Telegram export has no messages with text")


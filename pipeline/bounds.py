"""Bounds on the work one article may cause: its length, its claims, its evidence and its time.

News articles are well under 50,000 characters; wire copy that runs longer is several stories
pasted together, so a longer text is split into parts at paragraph (else sentence) ends, and a
stretch of 50,000 characters with neither is refused. Evidence is the claim's sentence cut to a
window of at most 600 characters around the place. An article gives at most 300 claims. Extraction
of one article gets a time budget; past it the article is reported and skipped, not the batch.
"""
from __future__ import annotations

import contextlib
import dataclasses
import itertools
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline.models import Article, Claim

MAX_ARTICLE_CHARS = 50_000
MAX_EVIDENCE_CHARS = 600
MAX_CLAIMS_PER_ARTICLE = 300
ARTICLE_SECONDS = 10.0

_PARAGRAPH_END = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_LINE_END = re.compile(r"[\n\r\u2028\u2029]")
_SENTENCE_END = re.compile(r"[.!?؟…]+[\"”»')\]]*\s")
_ELLIPSIS = "…"


class ArticleTooLong(ValueError):
    """A text with a stretch longer than the article limit and no paragraph or sentence end in it."""


class ArticleTimeout(TimeoutError):
    """Extraction of one article ran past its time budget."""


@dataclass(frozen=True)
class Capped:
    """Claims kept under the per-article cap and how many were dropped."""

    claims: tuple[Claim, ...]
    dropped: int


def _cut_points(text: str, limit: int) -> list[int]:
    """Offsets where a text longer than limit is cut, each part at most limit characters."""
    cuts: list[int] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        end = 0
        for pattern in (_PARAGRAPH_END, _LINE_END, _SENTENCE_END):
            ends = [m.end() for m in pattern.finditer(window) if m.end() > limit // 10]
            if ends:
                end = ends[-1]
                break
        if not end:
            raise ArticleTooLong(
                f"{len(text):,} characters with a stretch of over {limit:,} without a paragraph or sentence "
                f"end (articles are limited to {limit:,} characters)"
            )
        cuts.append(start + end)
        start += end
    return cuts


def split_long_article(article: Article, limit: int = MAX_ARTICLE_CHARS) -> list[Article]:
    """The article itself when short enough, else its parts (ids `ID~2`, `ID~3`, … after the first).

    Raises ArticleTooLong when the text cannot be cut at a paragraph or sentence end.
    """
    if len(article.text) <= limit:
        return [article]
    cuts = [0, *_cut_points(article.text, limit), len(article.text)]
    parts = []
    for n, (a, b) in enumerate(itertools.pairwise(cuts), start=1):
        text = article.text[a:b].strip()
        if not text:
            continue
        suffix = "" if n == 1 else f"~{n}"
        parts.append(dataclasses.replace(article, id=article.id + suffix, text=text,
                                         origin=f"{article.origin} (part {n} of {len(cuts) - 1})"))
    return parts


def evidence_window(text: str, start: int, end: int, evidence: str, limit: int = MAX_EVIDENCE_CHARS) -> str:
    """The evidence sentence cut to at most `limit` characters around the place at text[start:end].

    Cuts fall at white space and are marked with an ellipsis; short evidence is returned unchanged.
    """
    if len(evidence) <= limit:
        return evidence
    room = limit - 2  # two ellipses at most
    ev_start = text.find(evidence, max(0, end - len(evidence)), min(len(text), start + len(evidence)))
    if ev_start < 0 or not ev_start <= start < end <= ev_start + len(evidence):
        return evidence[:room].rsplit(" ", 1)[0] + _ELLIPSIS  # not verbatim text: keep its start
    ev_end = ev_start + len(evidence)
    half = max(room - (end - start), 0) // 2
    lo, hi = max(ev_start, start - half), min(ev_end, end + half)
    if lo == ev_start:
        hi = min(ev_end, lo + room)
    elif hi == ev_end:
        lo = max(ev_start, hi - room)
    if lo > ev_start:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < ev_end:
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    return (_ELLIPSIS if lo > ev_start else "") + text[lo:hi] + (_ELLIPSIS if hi < ev_end else "")


def bound_evidence(article: Article, claims: Sequence[Claim], limit: int = MAX_EVIDENCE_CHARS) -> tuple[Claim, ...]:
    """The claims with their evidence cut to a window of at most `limit` characters around the place."""
    return tuple(
        c if len(c.evidence) <= limit
        else dataclasses.replace(c, evidence=evidence_window(article.text, c.start, c.end, c.evidence, limit))
        for c in claims
    )


def cap_claims(claims: Sequence[Claim], limit: int = MAX_CLAIMS_PER_ARTICLE) -> Capped:
    """At most `limit` claims, the most confident first (then in text order), and the number dropped."""
    if len(claims) <= limit:
        return Capped(tuple(claims), 0)
    order = sorted(range(len(claims)), key=lambda i: (-claims[i].confidence, claims[i].start))
    kept = sorted(order[:limit])
    return Capped(tuple(claims[i] for i in kept), len(claims) - limit)


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise ArticleTimeout in the block once `seconds` have passed (None or 0: no limit).

    In a process's main thread (the CLI, a worker process) a SIGALRM timer raises it; in any other
    thread (a Dask worker runs tasks in threads) a timer thread raises it asynchronously in this one
    (CPython's PyThreadState_SetAsyncExc). Either way it lands between two Python bytecodes, so one
    long call into C (a regular expression) finishes first.
    """
    if not seconds:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_alarm(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise ArticleTimeout(f"extraction took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _ThreadTimeout(ArticleTimeout):
    """ArticleTimeout raised into a thread (the exception is made without arguments: the message is its own)."""

    def __init__(self, *args: object) -> None:
        super().__init__(*(args or ("extraction took longer than its time budget",)))


def _set_async_exc(ident: int, exc: type[BaseException] | None) -> int:
    import ctypes

    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc) if exc else None)


@contextlib.contextmanager
def _thread_alarm(seconds: float) -> Iterator[None]:
    """The time budget in a thread that is not the main one: a timer thread interrupts this one."""
    if sys.implementation.name != "cpython":  # no way to interrupt a thread: no limit
        yield
        return
    ident = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(ident, _ThreadTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            if state["fired"]:
                _set_async_exc(ident, None)  # not delivered yet (the block ended first): never outside it
        timer.cancel()

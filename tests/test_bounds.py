"""Bounds on one article's work: length, evidence, claim count and time."""
from __future__ import annotations

import time

import pytest

from pipeline.bounds import (
    ArticleTimeout,
    ArticleTooLong,
    bound_evidence,
    cap_claims,
    evidence_window,
    split_long_article,
    time_budget,
)
from pipeline.models import Article, Claim, ClaimType, Side


def _article(text: str) -> Article:
    return Article(id="a1", title="t", text=text, origin="in.jsonl:1")


def test_short_article_is_kept_whole() -> None:
    art = _article("اشتباكات في عين زارة.")
    assert split_long_article(art, limit=100) == [art]


def test_long_article_is_split_at_paragraph_ends_with_stable_ids() -> None:
    para = "Clashes broke out in Ain Zara on Wednesday. " * 5
    art = _article("\n\n".join([para] * 6))
    parts = split_long_article(art, limit=600)
    assert [p.id for p in parts][:3] == ["a1", "a1~2", "a1~3"]
    assert all(len(p.text) <= 600 for p in parts)
    assert "".join("".join(p.text.split()) for p in parts) == "".join(art.text.split())  # nothing lost
    assert "part 2 of" in parts[1].origin


def test_text_without_any_break_is_refused() -> None:
    with pytest.raises(ArticleTooLong, match="without a paragraph or sentence end"):
        split_long_article(_article("عين زارة، " * 200), limit=500)


def test_evidence_window_keeps_the_place_and_marks_cuts() -> None:
    text = ("word " * 300) + "Ain Zara" + (" word" * 300) + "."
    start = text.index("Ain Zara")
    window = evidence_window(text, start, start + 8, text, limit=100)
    assert len(window) <= 100
    assert "Ain Zara" in window
    assert window.startswith("…") and window.endswith("…")


def test_short_evidence_is_unchanged() -> None:
    assert evidence_window("GNA took Gharyan.", 9, 16, "GNA took Gharyan.") == "GNA took Gharyan."


def _claim(i: int, confidence: float, evidence: str = "e") -> Claim:
    return Claim(article_id="a1", place_id=f"p{i}", claim=ClaimType.CLASH, side=Side.GNA, claimed_by=None,
                 date=None, evidence=evidence, start=i, end=i + 1, confidence=confidence)


def test_claim_cap_keeps_the_most_confident_in_text_order() -> None:
    capped = cap_claims([_claim(0, 0.3), _claim(1, 0.9), _claim(2, 0.5)], limit=2)
    assert [c.place_id for c in capped.claims] == ["p1", "p2"]
    assert capped.dropped == 1


def test_bound_evidence_cuts_only_long_evidence() -> None:
    text = "x " * 1000
    claims = bound_evidence(_article(text), [_claim(500, 0.5, evidence=text.strip())], limit=50)
    assert len(claims[0].evidence) <= 50


def test_time_budget_interrupts_a_runaway_article() -> None:
    with pytest.raises(ArticleTimeout), time_budget(0.05):
        while True:
            time.sleep(0.01)


def test_time_budget_interrupts_a_runaway_article_in_a_worker_thread() -> None:
    """A Dask worker extracts in a thread, where no SIGALRM arrives: the budget holds there too."""
    from concurrent.futures import ThreadPoolExecutor

    def runaway() -> str:
        try:
            with time_budget(0.05):
                while True:
                    sum(range(100))
        except ArticleTimeout as exc:
            return str(exc)
        return "no timeout"

    def quick() -> str:
        with time_budget(0.05):
            pass
        time.sleep(0.2)  # past the budget, outside the block: nothing may be raised here
        return "ok"

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert "time budget" in pool.submit(runaway).result(timeout=10)
        assert pool.submit(quick).result(timeout=10) == "ok"

"""A visitor uploads a pathological article (one 'sentence' of claim clauses, ~127 KB) while a colleague
opens the page: the colleague's map draws, the upload is bounded and its outcome is said."""
from __future__ import annotations

import json
import time

import pytest
from conftest import open_offline_page
from test_browser_dashboard import TIMEOUT_MS, wait_for_map

from bench.hostile import make_text

pytestmark = pytest.mark.browser


def test_a_hostile_upload_does_not_stall_another_visitor(page, browser, app_url: str, tmp_path) -> None:
    page.wait_for_selector('[data-testid="stMetric"]', timeout=TIMEOUT_MS)
    n = wait_for_map(page)
    record = {"id": "hostile", "title": "clauses", "published": "2020-06-03", "text": make_text("clause_chain", 70_000)}
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert 120_000 < hostile.stat().st_size < 140_000

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(hostile))
    start = time.monotonic()
    context, second, errors = open_offline_page(browser, app_url)
    try:
        assert wait_for_map(second) >= n  # the colleague's page comes up with its map while the upload runs
        assert not errors, errors
    finally:
        context.close()
    # The uploader is told what happened: stored (split into parts, claims capped) or refused, by name.
    page.get_by_text("hostile.jsonl", exact=False).first.wait_for(timeout=TIMEOUT_MS)
    assert time.monotonic() - start < TIMEOUT_MS / 1000

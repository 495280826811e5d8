"""Test helper: make storing one article fail, as a bug or a lost gazetteer place would."""
from __future__ import annotations

import pytest

import pipeline.store as store_mod


def fail_storing(monkeypatch: pytest.MonkeyPatch, article_id: str) -> None:
    """Storing the findings of `article_id` raises KeyError; every other article is stored as usual."""
    real = store_mod._insert_findings

    def failing(conn, rows, *args):
        if rows.id == article_id:
            raise KeyError("a place the gazetteer lost")
        return real(conn, rows, *args)

    monkeypatch.setattr(store_mod, "_insert_findings", failing)

"""Re-extracts stored articles with the current gazetteer and rules, in place, and reports what changed."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from gazetteer.matcher import Matcher, default_matcher
from pipeline.claims import extract
from pipeline.frame import claim_values
from pipeline.store import article_ids, claim_sides, replace_findings, stored_article

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReprocessReport:
    """What a reprocess run changed: claims added, removed, and those whose side changed."""

    articles: int = 0
    claims_added: int = 0
    claims_removed: int = 0
    side_changed: int = 0
    errors: tuple[str, ...] = ()


def _diff(old: dict[str, tuple[str, str | None]], new: dict[str, tuple[str, str | None]]) -> tuple[int, int, int]:
    """(added, removed, side changed) between two id -> (key without side, side) maps."""
    gone = {k: v for k, v in old.items() if k not in new}
    came = {k: v for k, v in new.items() if k not in old}
    gone_keys: dict[str, int] = {}
    for key, _side in gone.values():
        gone_keys[key] = gone_keys.get(key, 0) + 1
    changed = 0
    for key, _side in came.values():
        if gone_keys.get(key, 0) > 0:
            gone_keys[key] -= 1
            changed += 1
    return len(came) - changed, len(gone) - changed, changed


def reprocess(conn: sqlite3.Connection, matcher: Matcher | None = None, progress: Progress | None = None
              ) -> ReprocessReport:
    """Re-extracts every stored article; each article's claims are replaced in one transaction."""
    matcher = matcher or default_matcher()
    ids = article_ids(conn)
    added = removed = changed = 0
    errors: list[str] = []
    for n, aid in enumerate(ids, start=1):
        try:
            art = stored_article(conn, aid)
            if art is not None:
                analysis = extract(art, matcher)
                old = claim_sides(conn, aid)
                new = {}
                for c in analysis.claims:
                    v = claim_values(aid, c)
                    new[str(v["id"])] = (f"{v['place_id']}|{v['claim']}|{v['date'] or '-'}", v["side"])
                replace_findings(conn, analysis, matcher)
                a, r, ch = _diff(old, new)
                added, removed, changed = added + a, removed + r, changed + ch
        except Exception as exc:  # the article keeps its old claims
            errors.append(f"article {aid!r}: not reprocessed ({type(exc).__name__}: {exc})")
        if progress is not None:
            progress(n, len(ids))
    return ReprocessReport(len(ids), added, removed, changed, tuple(errors))

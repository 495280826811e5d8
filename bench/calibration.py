"""Reliability of claim confidences on a gold file: confidence bin -> claims, precision; and by evidence kind.

Run from the project root: `python -m bench.calibration GOLD.jsonl [--places PLACES.json]`.
The gold file has one article a line with gold `claims` (place key, side, accepted types), as the
evaluation set does; `places.json` (default: next to the gold file) gives each place key a point and a
tolerance in km. A predicted claim is right when a gold claim of its article has its place (the
reference place within tolerance, preferring one it names), its side (a gold side of null accepts
any) and one of the accepted types. Duplicates (place, side, type) count once, at their highest
confidence. The table shows whether a confidence of 0.8 is right about eight times in ten.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gazetteer.matcher import default_matcher
from pipeline.claims import extract
from pipeline.models import Article

BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass(frozen=True)
class Scored:
    """One distinct predicted claim with its confidence, evidence kind and whether the gold has it."""

    confidence: float
    why: str
    right: bool


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _fold(name: str | None) -> str:
    s = (name or "").lower()
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي")):
        s = s.replace(a, b)
    drop = {"al", "el", "the", "camp", "front", "axis", "area", "محور", "منطقه", "معسكر", "مدينه"}
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w
             for w in re.findall(r"[a-z\u0621-\u064a]+", s) if w not in drop]
    return " ".join(words)


def place_key(lat: float, lon: float, places: dict, names: Iterable[str | None]) -> str | None:
    """The reference place of a point: within tolerance, one it names if any, else the nearest."""
    folded = [f for f in (_fold(n) for n in names) if f]
    best, best_rank = None, (False, -math.inf)
    for key, p in places.items():
        d = _km(lat, lon, p["lat"], p["lon"])
        if d > p["tol_km"]:
            continue
        refs = [r for r in (_fold(p.get("name_en")), _fold(p.get("name_ar"))) if r]
        rank = (any(r in f or f in r for r in refs for f in folded), -d)
        if rank > best_rank:
            best, best_rank = key, rank
    return best


def score_claims(gold_path: Path, places_path: Path) -> list[Scored]:
    """Every distinct predicted claim of the gold articles, judged against the gold claims."""
    places = json.loads(places_path.read_text(encoding="utf-8"))
    matcher = default_matcher()
    out: list[Scored] = []
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        g = json.loads(line)
        published = dt.date.fromisoformat(g["published"][:10]) if g.get("published") else None
        art = Article(str(g["id"]), g.get("title", ""), g["text"], published, g.get("source", ""),
                      lang=g.get("lang", ""))
        best: dict[tuple, tuple[float, str]] = {}
        for c in extract(art, matcher).claims:
            p = matcher.by_id[c.place_id]
            key = place_key(p.lat, p.lon, places, (p.name, p.name_ar)) or f"?{c.place_id}"
            sig = (key, c.side.value if c.side else None, c.claim.value)
            if sig not in best or best[sig][0] < c.confidence:
                best[sig] = (c.confidence, c.why.value)
        for (key, side, kind), (conf, why) in best.items():
            right = any(gc["place"] == key and (gc["side"] is None or gc["side"] == side) and kind in gc["types"]
                        for gc in g["claims"])
            out.append(Scored(conf, why, right))
    return out


def _rows(groups: dict[str, list[Scored]]) -> list[str]:
    lines = []
    for label, items in groups.items():
        if items:
            p = sum(s.right for s in items) / len(items)
            lines.append(f"| {label} | {len(items)} | {p:.2f} |")
    return lines


def reliability_table(scored: list[Scored]) -> str:
    """A Markdown table: confidence bin -> claims, precision; then evidence kind -> claims, precision."""
    bins: dict[str, list[Scored]] = {}
    for lo, hi in pairwise(BINS):
        bins[f"{lo:.1f}–{min(hi, 1.0):.1f}"] = [s for s in scored if lo <= s.confidence < hi]
    kinds: dict[str, list[Scored]] = {}
    for s in sorted(scored, key=lambda s: s.why):
        kinds.setdefault(s.why, []).append(s)
    return "\n".join(["| confidence | claims | precision |", "| --- | --- | --- |", *_rows(bins), "",
                      "| why (evidence) | claims | precision |", "| --- | --- | --- |", *_rows(kinds)])


PRIOR_WEIGHT = 8.0


def suggested_confidence(scored: list[Scored], prior_weight: float = PRIOR_WEIGHT) -> dict[str, float]:
    """Each evidence kind's precision, shrunk toward 0.5 by `prior_weight` pseudo-claims (so that a kind
    seen twice is not trusted as if seen a hundred times, and the split the rules were written on does
    not overstate unseen text): the values for pipeline/data/evidence.json."""
    out = {}
    for why in sorted({s.why for s in scored}):
        items = [s for s in scored if s.why == why]
        right = sum(s.right for s in items)
        out[why] = round((right + prior_weight / 2) / (len(items) + prior_weight), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    """Prints the reliability table of the claims extracted from a gold file."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, help="gold JSON Lines (articles with gold claims)")
    ap.add_argument("--places", type=Path, default=None, help="reference places (default: places.json by the gold)")
    ap.add_argument("--suggest", action="store_true", help="also print smoothed precisions by evidence kind (JSON)")
    ap.add_argument("--prior-weight", type=float, default=PRIOR_WEIGHT, help="pseudo-claims at 0.5 per kind")
    args = ap.parse_args(argv)
    places = args.places or args.gold.resolve().parent / "places.json"
    scored = score_claims(args.gold, places)
    print(reliability_table(scored))
    if args.suggest:
        print(json.dumps(suggested_confidence(scored, args.prior_weight), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

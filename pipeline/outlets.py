"""Outlet conventions: the side of a name that depends on who writes ("الجيش الليبي", "the Libyan Army").

The side of an article's bare "army" comes from three kinds of evidence: the outlet's convention
(pipeline/data/outlets.json), a qualifier next to the name ("الجيش الليبي التابع لحكومة الوفاق", "the
army's spokesman, Mohamed Gununu"), and the article's use of a side's unambiguous army name ("the
Libyan National Army"). When they agree the name takes that side; when they conflict, none.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from gazetteer.normalize import normalize_pattern, normalize_text
from pipeline.actors import ActorMention
from pipeline.lexicon import DATA
from pipeline.models import Side

ARMY = "army"  # ActorMention.relative of a name whose side the outlet decides


@dataclass(frozen=True)
class OutletConventions:
    """The compiled outlet conventions."""

    army_side: tuple[tuple[str, Side], ...]  # normalized outlet name, the side its "army" is
    own_media: tuple[tuple[str, Side], ...]  # normalized name of a side's own media office
    qualifier_gap: re.Pattern[str]
    full_names: tuple[tuple[re.Pattern[str], Side], ...]
    distance: re.Pattern[str]

    def outlet_side(self, source: str) -> Side | None:
        """The side an outlet calls "the army", when it has a convention."""
        return _side_of(source, self.army_side)

    def own_media_side(self, source: str) -> Side | None:
        """The side whose own media office the source is (it speaks for that side), if any."""
        return _side_of(source, self.own_media)


def _side_of(source: str, names: tuple[tuple[str, Side], ...]) -> Side | None:
    src = normalize_text(source or "")
    sides = {side for name, side in names if name and name in src}
    return sides.pop() if len(sides) == 1 else None


@lru_cache(maxsize=1)
def load_conventions() -> OutletConventions:
    """The outlet conventions of pipeline/data/outlets.json."""
    raw = json.loads((DATA / "outlets.json").read_text(encoding="utf-8"))
    army = tuple((normalize_text(name), Side(side)) for side, names in raw["army_side"].items() for name in names)
    own = tuple((normalize_text(name), Side(side)) for side, names in raw["own_media"].items() for name in names)
    full = tuple((re.compile(normalize_pattern(rx)), Side(side)) for side, rx in raw["full_names"].items())
    return OutletConventions(army, own, re.compile(normalize_pattern(raw["qualifier_gap"])), full,
                             re.compile(normalize_pattern(raw["distance_regex"])))


def army_evidence(norm: str, source: str, actors: list[ActorMention],
                  conv: OutletConventions | None = None) -> set[Side]:
    """The sides the evidence of an article gives its bare "army" names (none, one, or both: conflict)."""
    conv = conv or load_conventions()
    votes: set[Side] = set()
    outlet = conv.outlet_side(source)
    if outlet is not None:
        votes.add(outlet)
    for k, a in enumerate(actors):
        if a.relative != ARMY or k + 1 >= len(actors):
            continue
        nxt = actors[k + 1]
        gap = norm[a.end : nxt.start]
        if nxt.side is None or nxt.relative or len(gap) > 40 or not conv.qualifier_gap.match(gap):
            continue
        if "،" in gap or "," in gap:
            head = norm[nxt.start : nxt.start + 4]
            if head.startswith(("و", "and ")):
                continue  # "الجيش الليبي، وقوات الوفاق": a list, not an apposition
        votes.add(nxt.side)
    for rx, side in conv.full_names:
        for m in rx.finditer(norm):
            if not conv.distance.search(norm, max(0, m.start() - 30), m.start()):
                votes.add(side)
                break
    return votes


def resolve_army(norm: str, source: str, actors: list[ActorMention],
                 conv: OutletConventions | None = None) -> list[ActorMention]:
    """The actors with every bare "army" name given the side the article's evidence agrees on (else none),
    marked as resolved by the outlet convention."""
    if not any(a.relative == ARMY for a in actors):
        return actors
    votes = army_evidence(norm, source, actors, conv)
    side = next(iter(votes)) if len(votes) == 1 else None
    return [dataclasses.replace(a, side=side, relative="", by_outlet=True) if a.relative == ARMY else a
            for a in actors]

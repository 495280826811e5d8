"""Gazetteer records and loading of the committed place data."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

DATA_DIR = files("gazetteer") / "data"  # from the installed package (Dask workers import it)
PLACES_FILE = DATA_DIR / "places.jsonl"

@dataclass(frozen=True)
class Place:
    """One place of the gazetteer."""

    id: str
    name: str
    name_ar: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    kind: str
    admin1: str
    population: int
    importance: float
    geo_precision: int
    ambiguous_aliases: frozenset[str]
    note: str = ""


def place_from_dict(rec: dict) -> Place:
    """A Place from one JSON record of places.jsonl."""
    return Place(
        id=str(rec["id"]),
        name=str(rec.get("name") or rec.get("name_ar") or rec["id"]),
        name_ar=str(rec.get("name_ar") or ""),
        aliases=tuple(rec.get("aliases") or ()),
        lat=float(rec["lat"]),
        lon=float(rec["lon"]),
        kind=str(rec.get("kind") or "locality"),
        admin1=str(rec.get("admin1") or ""),
        population=int(rec.get("population") or 0),
        importance=float(rec.get("importance") or 0.0),
        geo_precision=int(rec.get("geo_precision") or 1),
        ambiguous_aliases=frozenset(rec.get("ambiguous_aliases") or ()),
        note=str(rec.get("note") or ""),
    )


def load_places(path: Path | str | Traversable = PLACES_FILE) -> list[Place]:
    """All places of a places.jsonl file (a path, or a resource of the installed package)."""
    with (Path(path) if isinstance(path, str) else path).open(encoding="utf-8") as fh:
        return [place_from_dict(json.loads(line)) for line in fh if line.strip()]


@lru_cache(maxsize=4)
def default_places() -> tuple[Place, ...]:
    """The committed gazetteer, loaded once."""
    return tuple(load_places(PLACES_FILE))


def load_word_list(name: str) -> frozenset[str]:
    """A word list from gazetteer/data (one entry a line, # comments)."""
    words = set()
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                words.add(line)
    return frozenset(words)

"""Regenerate the simplified Libya boundary GeoJSON files the map draws without tiles.

Usage: python dashboard/build_boundaries.py SOURCES_DIR

SOURCES_DIR must hold wof_LY_admin1.geojson (Who's On First) and ne_10m_admin0_LY.geojson
(Natural Earth). Writes dashboard/data/libya_admin1.geojson and dashboard/data/libya_outline.geojson.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shapely.geometry import mapping, shape

TOLERANCE = 0.01
DATA_DIR = Path(__file__).resolve().parent / "data"


def _round_coords(obj: Any, ndigits: int = 4) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(x, ndigits) for x in obj]
    return obj


def simplify_features(collection: dict, keep: dict[str, str], tolerance: float = TOLERANCE) -> dict:
    """A FeatureCollection with simplified geometries and only the `keep` properties (source -> target)."""
    features = []
    for feat in collection["features"]:
        geom = shape(feat["geometry"]).simplify(tolerance, preserve_topology=True)
        if geom.is_empty:
            continue
        props = {dst: feat["properties"].get(src) for src, dst in keep.items()}
        gj = mapping(geom)
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": gj["type"], "coordinates": _round_coords(gj["coordinates"])}})
    return {"type": "FeatureCollection", "features": features}


def build(sources: Path, out_dir: Path = DATA_DIR) -> list[Path]:
    """Write the two simplified files from the source directory and return their paths."""
    admin1 = json.loads((sources / "wof_LY_admin1.geojson").read_text(encoding="utf-8"))
    admin0 = json.loads((sources / "ne_10m_admin0_LY.geojson").read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    admin1_path, outline_path = out_dir / "libya_admin1.geojson", out_dir / "libya_outline.geojson"
    targets = {
        admin1_path: simplify_features(admin1, {"name_en": "name", "name_ar": "name_ar"}),
        outline_path: simplify_features(admin0, {"NAME_EN": "name", "NAME_AR": "name_ar"}),
    }
    for path, data in targets.items():
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return list(targets)


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in build(Path(argv[1])):
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

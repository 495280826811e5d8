"""Claims for the tools analysts use: GeoJSON (RFC 7946), CSV, GeoPackage, GeoParquet and ACLED-style CSV."""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from gazetteer.matcher import Matcher
from pipeline.claims import ArticleAnalysis
from pipeline.filters import Filters, apply_filters
from pipeline.formats import BINARY_FORMATS, Format
from pipeline.frame import CLAIM_COLUMNS, DATE_COLUMNS, NUMBER_COLUMNS, SIDE_NAMES, analyses_frame, finish_frame
from pipeline.regions import admin1_of

PROPERTY_COLUMNS = [c for c in CLAIM_COLUMNS if c not in ("lat", "lon")]
CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


# ACLED's event types for each claim type (README, "ACLED columns"). A control claim is "Government
# regains territory" when the side is the GNA (the recognised government), else "Non-state actor
# overtakes territory".
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "control": ("Battles", "Non-state actor overtakes territory"),
    "repelled": ("Battles", "Armed clash"),
    "advance": ("Battles", "Armed clash"),
    "attack": ("Battles", "Armed clash"),
    "clash": ("Battles", "Armed clash"),
    "strike": ("Explosions/Remote violence", "Air/drone strike"),
    "withdrawal": ("Strategic developments", "Non-violent transfer of territory"),
}
ACLED_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
                  "Strategic developments": "Strategic developments"}
ACLED_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor2", "iso", "region", "country", "admin1", "location", "latitude", "longitude",
    "geo_precision", "source", "notes",
)
LIBYA_ISO = 434


def analyses_to_frame(analyses: Iterable[ArticleAnalysis], matcher: Matcher) -> pd.DataFrame:
    """One row per claim of the analysed articles (columns CLAIM_COLUMNS)."""
    return analyses_frame(analyses, matcher.by_id, lambda p: admin1_of(p.lat, p.lon))


def filter_frame(df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None,
                 sides: Iterable[str] | None = None, claims: Iterable[str] | None = None,
                 place: str | None = None, include_undated: bool = False) -> pd.DataFrame:
    """Claims within a date range, of the sides ("GNA", "LNA", "none"), claim types and place (the one filter)."""
    return apply_filters(df, Filters(
        date_from=start, date_to=end, include_undated=include_undated,
        sides=frozenset(sides) if sides is not None else None,
        claim_types=frozenset(claims) if claims is not None else None, place_query=place or ""))


def _jsonable(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def iter_features(df: pd.DataFrame) -> Iterator[dict]:
    """RFC 7946 Point features ([lon, lat]), one a claim, with its claim id as feature `id`."""
    columns = [c for c in PROPERTY_COLUMNS if c in df.columns]
    for row in df.to_dict("records"):
        props = {k: _jsonable(row.get(k)) for k in columns}
        yield {
            "type": "Feature",
            "id": props.get("claim_id"),
            "geometry": {"type": "Point", "coordinates": [round(float(row["lon"]), 6), round(float(row["lat"]), 6)]},
            "properties": props,
        }


def frame_to_geojson(df: pd.DataFrame) -> dict:
    """An RFC 7946 FeatureCollection, one Point ([lon, lat]) a claim with its claim id as feature `id`."""
    return {"type": "FeatureCollection", "features": list(iter_features(df))}


def geojson_text(df: pd.DataFrame) -> str:
    """The GeoJSON of a claims frame as UTF-8 text, Arabic kept as text, one feature a line."""
    buf = io.StringIO()
    write_text_stream([df], Format.GEOJSON, buf)
    return buf.getvalue()


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with an apostrophe; other values as they are."""
    if isinstance(value, str) and value.startswith(CSV_RISKY):
        return "'" + value
    return value


def _csv(out: pd.DataFrame, bom: bool, header: bool = True) -> str:
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            try:
                risky = out[col].str.startswith(CSV_RISKY, na=False)  # non-text cells are not risky
            except AttributeError:  # a column without any text
                continue
            if risky.any():
                out[col] = out[col].astype(object).where(~risky, "'" + out[col].astype(str))
    return (BOM if bom else "") + out.to_csv(index=False, header=header)


def frame_to_csv(df: pd.DataFrame, bom: bool = False, header: bool = True) -> str:
    """The claims as CSV text (dates ISO, one row a claim, formula-like cells neutralised; BOM for Excel)."""
    out = df[[c for c in CLAIM_COLUMNS if c in df.columns]].copy()
    for col in ("date", "published"):
        out[col] = out[col].map(lambda v: v.date().isoformat() if isinstance(v, pd.Timestamp) else "")
    return _csv(out, bom, header)


def acled_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The claims under ACLED's column names (ACLED_COLUMNS); mapping in the README."""
    rows = []
    for r in df.to_dict("records"):
        event_type, sub = ACLED_TYPES.get(r["claim"], ("", ""))
        if r["claim"] == "control" and r["side"] == "GNA":
            sub = "Government regains territory"
        date = r["date"] if isinstance(r["date"], pd.Timestamp) else None
        precision = ACLED_TIME_PRECISION.get(r["date_precision"] or "", 3)
        note = ""
        if date is None and isinstance(r["published"], pd.Timestamp):
            date, precision, note = r["published"], 3, " [event date not stated: publication date]"
        side = r["side"] if r["side"] in SIDE_NAMES else None
        other = ({"GNA": "LNA", "LNA": "GNA"}[side]) if side else None
        claimed = f"Claimed by {r['claimed_by']}: " if r["claimed_by"] else ""
        rows.append({
            "event_id_cnty": r["claim_id"],
            "event_date": date.date().isoformat() if date is not None else "",
            "year": date.year if date is not None else None,
            "time_precision": precision,
            "disorder_type": ACLED_DISORDER.get(event_type, ""),
            "event_type": event_type, "sub_event_type": sub,
            "actor1": SIDE_NAMES[side] if side else "", "actor2": SIDE_NAMES[other] if other else "",
            "iso": LIBYA_ISO, "region": "Northern Africa", "country": "Libya",
            "admin1": r.get("admin1") or "", "location": r["place"],
            "latitude": r["lat"], "longitude": r["lon"], "geo_precision": r["geo_precision"],
            "source": r["source"] or "", "notes": f"{claimed}{r['evidence']}{note}",
        })
    out = pd.DataFrame(rows, columns=list(ACLED_COLUMNS))
    out["year"] = out["year"].astype("Int64")
    return out


def acled_csv(df: pd.DataFrame, bom: bool = False, header: bool = True) -> str:
    """The ACLED-style CSV text of the claims."""
    return _csv(acled_frame(df), bom, header)


def geo_frame(df: pd.DataFrame):  # -> geopandas.GeoDataFrame
    """The claims as a GeoDataFrame of points in WGS 84 (EPSG:4326)."""
    import geopandas as gpd

    out = df[[c for c in CLAIM_COLUMNS if c in df.columns]].copy()
    return gpd.GeoDataFrame(out, geometry=gpd.points_from_xy(out["lon"], out["lat"]), crs="EPSG:4326")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Writes through a temporary file in the same folder, renamed into place: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # some drivers (GPKG) want to create the file themselves
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def export_text(df: pd.DataFrame, fmt: Format, bom: bool = False) -> str:
    """The text of a text export (GeoJSON, CSV, ACLED CSV)."""
    if fmt is Format.GEOJSON:
        return geojson_text(df)
    if fmt is Format.CSV:
        return frame_to_csv(df, bom)
    if fmt is Format.ACLED:
        return acled_csv(df, bom)
    raise ValueError(f"{fmt} is not a text format")


def write_text_stream(frames: Iterable[pd.DataFrame], fmt: Format, out: TextIO, bom: bool = False) -> int:
    """Writes claims frame by frame in a text format (GeoJSON, CSV, ACLED); the number of claims written."""
    n = 0
    if fmt is Format.GEOJSON:
        out.write('{"type": "FeatureCollection", "features": [')
        for df in frames:
            for feature in iter_features(df):
                out.write(("\n" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
                n += 1
        out.write("\n]}\n")
        return n
    if fmt not in (Format.CSV, Format.ACLED):
        raise ValueError(f"{fmt} is not a text format")
    to_text = frame_to_csv if fmt is Format.CSV else acled_csv
    wrote_header = False
    for df in frames:
        if not wrote_header or len(df):
            out.write(to_text(df, bom and not wrote_header, not wrote_header))
            wrote_header = True
        n += len(df)
    if n == 0 and not wrote_header:  # no frame at all: still a header
        out.write(to_text(finish_frame(pd.DataFrame(columns=list(CLAIM_COLUMNS))), bom))
    return n


def write_export_stream(frames: Iterable[pd.DataFrame], fmt: Format, output: str | Path, bom: bool = False,
                        stdout: TextIO | None = None) -> int:
    """Writes claim frames to a file (through a temporary file) or to stdout ('-'); the number of claims.

    Every format is written frame by frame: memory is bounded by one frame, whatever the number of claims.
    """
    if fmt not in BINARY_FORMATS and str(output) == "-":
        return write_text_stream(frames, fmt, stdout or sys.stdout, bom)
    written = [0]

    def stream(p: Path) -> None:
        if fmt is Format.GPKG:
            written[0] = write_gpkg_frames(frames, p)
        elif fmt is Format.PARQUET:
            written[0] = write_parquet_frames(frames, p)
        else:
            with open(p, "w", encoding="utf-8", newline="") as fh:
                written[0] = write_text_stream(frames, fmt, fh, bom)

    atomic_write(Path(output), stream)
    return written[0]


def write_gpkg_frames(frames: Iterable[pd.DataFrame], path: Path) -> int:
    """Writes claim frames as the GeoPackage layer 'claims' (WGS 84 points), each appended in turn; the count."""
    def write(df: pd.DataFrame, mode: str) -> None:  # Point declared: an empty first frame leaves it unknown
        geo_frame(df).to_file(path, driver="GPKG", layer="claims", engine="pyogrio", mode=mode, geometry_type="Point")

    n = 0
    created = False
    for df in frames:
        if created and not len(df):
            continue
        write(df, "a" if created else "w")
        created = True
        n += len(df)
    if not created:
        write(finish_frame(pd.DataFrame(columns=list(CLAIM_COLUMNS))), "w")
    return n


def _parquet_schema():  # -> pyarrow.Schema
    """The GeoParquet columns: CLAIM_COLUMNS typed as the claims frame types them, then WKB `geometry`."""
    import pyarrow as pa

    def arrow_type(col: str) -> pa.DataType:
        if col in NUMBER_COLUMNS:
            return pa.float64()
        if col in DATE_COLUMNS:
            return pa.timestamp("us")
        return pa.int64() if col == "geo_precision" else pa.string()

    return pa.schema([*(pa.field(c, arrow_type(c)) for c in CLAIM_COLUMNS), pa.field("geometry", pa.binary())])


def _geo_metadata(bbox: list[float] | None) -> str:
    """GeoParquet 1.0.0 file metadata for the WKB points in WGS 84 (bbox: the points' extent, if any)."""
    from pyproj import CRS

    column: dict[str, object] = {"encoding": "WKB", "geometry_types": ["Point"],
                                 "crs": CRS.from_epsg(4326).to_json_dict()}
    if bbox is not None:
        column["bbox"] = bbox
    return json.dumps({"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": column}})


def write_parquet_frames(frames: Iterable[pd.DataFrame], path: Path) -> int:
    """Writes claim frames as GeoParquet (WKB points in WGS 84), a row group a frame; the number of claims."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely

    schema = _parquet_schema()
    n = 0
    lo_lon = lo_lat = math.inf
    hi_lon = hi_lat = -math.inf
    # No stored Arrow schema: readers then take the 'geo' metadata (with the bbox, known only at the end)
    # from the file's key-value metadata, as GeoParquet says, whether they read through Arrow or not.
    with pq.ParquetWriter(path, schema, store_schema=False) as writer:
        for df in frames:
            if not len(df):
                continue
            if not set(CLAIM_COLUMNS) <= set(df.columns):
                df = finish_frame(df)
            lon, lat = df["lon"].to_numpy(dtype=float), df["lat"].to_numpy(dtype=float)
            arrays = [pa.array(df[c], type=schema.field(c).type, from_pandas=True) for c in CLAIM_COLUMNS]
            arrays.append(pa.array(shapely.to_wkb(shapely.points(lon, lat)), type=pa.binary()))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(df)
            if np.isfinite(lon).any() and np.isfinite(lat).any():
                lo_lon, lo_lat = min(lo_lon, float(np.nanmin(lon))), min(lo_lat, float(np.nanmin(lat)))
                hi_lon, hi_lat = max(hi_lon, float(np.nanmax(lon))), max(hi_lat, float(np.nanmax(lat)))
        if n == 0:
            writer.write_table(schema.empty_table())
        bbox = [lo_lon, lo_lat, hi_lon, hi_lat]
        writer.add_key_value_metadata({"geo": _geo_metadata(bbox if all(map(math.isfinite, bbox)) else None)})
    return n


def write_export(df: pd.DataFrame, fmt: Format, path: str | Path, bom: bool = False) -> None:
    """Writes the claims to a file in a format (GeoPackage layer 'claims'; GeoParquet with WKB points)."""
    write_export_stream([df], fmt, path, bom)

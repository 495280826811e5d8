"""Claims as a DataFrame, GeoJSON (RFC 7946) and CSV, with the export filters."""
from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable

import pandas as pd

from gazetteer.matcher import Matcher
from pipeline.claims import ArticleAnalysis
from pipeline.store import CLAIM_COLUMNS, claim_id

PROPERTY_COLUMNS = [c for c in CLAIM_COLUMNS if c not in ("lat", "lon")]


def analyses_to_frame(analyses: Iterable[ArticleAnalysis], matcher: Matcher) -> pd.DataFrame:
    """One row per claim of the analysed articles (columns CLAIM_COLUMNS)."""
    rows = []
    for an in analyses:
        art = an.article
        for c in an.claims:
            p = matcher.by_id[c.place_id]
            date = c.date.date.isoformat() if c.date else None
            side = c.side.value if c.side else None
            rows.append({
                "claim_id": claim_id(art.id, p.id, c.claim.value, side, date), "article_id": art.id,
                "place_id": p.id, "place": p.name, "place_ar": p.name_ar, "lat": p.lat, "lon": p.lon,
                "side": side, "claim": c.claim.value, "claimed_by": c.claimed_by.value if c.claimed_by else None,
                "date": date, "date_precision": c.date.precision.value if c.date else None,
                "geo_precision": p.geo_precision, "evidence": c.evidence, "confidence": c.confidence,
                "why": c.why.value,
                "title": art.title, "source": art.source, "url": art.url,
                "published": art.published.isoformat() if art.published else None,
            })
    df = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    df["date"] = pd.to_datetime(df["date"], errors="coerce")
    df["published"] = pd.to_datetime(df["published"], errors="coerce")
    return df


def filter_frame(df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None,
                 sides: Iterable[str] | None = None, claims: Iterable[str] | None = None,
                 place: str | None = None) -> pd.DataFrame:
    """Claims within a date range, of the sides ("GNA", "LNA", "none"), claim types and place (id or name)."""
    mask = pd.Series(True, index=df.index)
    if start is not None:
        mask &= df["date"] >= pd.Timestamp(start)
    if end is not None:
        mask &= df["date"] <= pd.Timestamp(end)
    if sides is not None:
        wanted = set(sides)
        mask &= df["side"].map(lambda s: (s or "none") in wanted)
    if claims is not None:
        mask &= df["claim"].isin(list(claims))
    if place:
        q = place.casefold()
        mask &= (df["place_id"].str.casefold() == q) | df["place"].str.casefold().str.contains(q, regex=False) | (
            df["place_ar"].str.contains(place, regex=False))
    return df[mask]


def _jsonable(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def frame_to_geojson(df: pd.DataFrame) -> dict:
    """An RFC 7946 FeatureCollection, one Point ([lon, lat]) a claim, the other columns as properties."""
    features = []
    for row in df.to_dict("records"):
        props = {k: _jsonable(row.get(k)) for k in PROPERTY_COLUMNS}
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(row["lon"]), 6), round(float(row["lat"]), 6)]},
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def geojson_text(df: pd.DataFrame) -> str:
    """The GeoJSON of a claims frame as UTF-8 text, Arabic kept as text."""
    return json.dumps(frame_to_geojson(df), ensure_ascii=False, indent=1)


def frame_to_csv(df: pd.DataFrame) -> str:
    """The claims as CSV text (dates ISO, one row a claim)."""
    out = df.copy()
    for col in ("date", "published"):
        out[col] = out[col].map(lambda v: v.date().isoformat() if isinstance(v, pd.Timestamp) else "")
    return out[CLAIM_COLUMNS].to_csv(index=False)

"""The claims DataFrame columns the dashboard relies on (as produced by pipeline.store.load_claims_frame)."""
from __future__ import annotations

import pandas as pd

CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id", "article_id", "place_id", "place", "place_ar", "lat", "lon", "side", "claim",
    "claimed_by", "date", "date_precision", "geo_precision", "evidence", "confidence",
    "title", "source", "url", "published",
)
CLAIM_TYPES: tuple[str, ...] = ("control", "repelled", "advance", "attack", "clash", "strike", "withdrawal")
SIDES: tuple[str, ...] = ("GNA", "LNA")
NO_SIDE = "none"
SIDE_LABELS: tuple[str, ...] = (*SIDES, NO_SIDE)


def side_label(value: object) -> str:
    """'GNA', 'LNA' or 'none' for a side/claimed_by cell (None/NaN become 'none')."""
    return value if value in SIDES else NO_SIDE  # type: ignore[return-value]


def empty_claims() -> pd.DataFrame:
    """An empty claims frame with the expected columns and dtypes."""
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in CLAIM_COLUMNS})
    for col in ("lat", "lon", "confidence"):
        df[col] = df[col].astype(float)
    for col in ("date", "published"):
        df[col] = pd.to_datetime(df[col])
    return df


def normalize_claims(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with any missing columns added and date/number columns coerced to their dtypes."""
    out = df.copy()
    for col in CLAIM_COLUMNS:
        if col not in out.columns:
            out[col] = None
    for col in ("lat", "lon", "confidence"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    for col in ("date", "published"):
        out[col] = pd.to_datetime(out[col], errors="coerce")
    return out

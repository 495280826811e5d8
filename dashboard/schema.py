"""The claims DataFrame columns the dashboard relies on: those of the pipeline's claims frame (pipeline.frame)."""
from __future__ import annotations

import pandas as pd

from pipeline.frame import (
    CLAIM_COLUMNS,
    CLAIM_TYPES,
    NO_SIDE,
    SIDE_LABELS,
    SIDES,
    empty_claims,
    finish_frame,
    side_label,
)

__all__ = ["CLAIM_COLUMNS", "CLAIM_TYPES", "NO_SIDE", "SIDES", "SIDE_LABELS", "empty_claims", "normalize_claims",
           "side_label"]


def normalize_claims(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with any missing columns added and date/number columns coerced to their dtypes."""
    return finish_frame(df)

"""Sidebar filter values and applying them (the pipeline's one filter), and per-day counts for the timeline."""
from __future__ import annotations

import pandas as pd

from dashboard.schema import SIDE_LABELS, side_label
from pipeline.filters import Filters, apply_filters, normalize_text

__all__ = ["Filters", "apply_filters", "claims_per_day", "normalize_text"]


def claims_per_day(df: pd.DataFrame) -> pd.DataFrame:
    """Counts of dated claims per day (index) by side (columns GNA, LNA, none)."""
    dates = pd.to_datetime(df["date"], errors="coerce") if not df.empty else pd.Series(dtype="datetime64[ns]")
    if df.empty or dates.notna().sum() == 0:
        return pd.DataFrame(columns=list(SIDE_LABELS), dtype="int64").rename_axis("date")
    frame = pd.DataFrame({"date": dates.dt.normalize(), "side": df["side"].map(side_label)})
    frame = frame.dropna(subset=["date"])
    counts = frame.groupby(["date", "side"]).size().unstack("side", fill_value=0)
    counts = counts.reindex(columns=list(SIDE_LABELS), fill_value=0).astype("int64")
    counts.columns.name = None
    return counts.sort_index()

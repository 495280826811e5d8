"""The one claims filter, used by `mihwar export` and the dashboard alike."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.frame import side_label

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_TABLE = str.maketrans({
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ -> ا
    "\u0629": "\u0647",  # ة -> ه
    "\u0649": "\u064a",  # ى -> ي
    "\u06cc": "\u064a",  # Persian yeh -> ي
})


def normalize_text(text: object) -> str:
    """Case-folded text with Arabic alef/taa-marbuta/yaa variants unified and diacritics/tatweel removed."""
    if not isinstance(text, str):
        return ""
    return _AR_DIACRITICS.sub("", text).translate(_AR_TABLE).casefold().strip()


@dataclass(frozen=True)
class Filters:
    """Which claims to keep; None means 'no restriction'.

    With a date bound set, claims without a date are left out unless include_undated is true.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_undated: bool = False
    sides: frozenset[str] | None = None  # subset of {"GNA", "LNA", "none"}
    claimed_by: frozenset[str] | None = None  # subset of {"GNA", "LNA", "none"}
    claim_types: frozenset[str] | None = None
    place_query: str = ""  # a place id, or part of its English or Arabic name (spelling variants folded)
    min_confidence: float = 0.0


def apply_filters(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The claims rows that satisfy every filter, in the input order."""
    if df.empty:
        return df.copy()
    mask = pd.Series(True, index=df.index)
    dates = pd.to_datetime(df["date"], errors="coerce")
    undated = dates.isna()
    keep_undated = undated if f.include_undated else pd.Series(False, index=df.index)
    if f.date_from is not None:
        mask &= keep_undated | (dates >= pd.Timestamp(f.date_from))
    if f.date_to is not None:
        mask &= keep_undated | (dates < pd.Timestamp(f.date_to) + pd.Timedelta(days=1))
    if f.sides is not None:
        mask &= df["side"].map(side_label).isin(f.sides)
    if f.claimed_by is not None:
        mask &= df["claimed_by"].map(side_label).isin(f.claimed_by)
    if f.claim_types is not None:
        mask &= df["claim"].isin(f.claim_types)
    if f.min_confidence > 0:
        mask &= pd.to_numeric(df["confidence"], errors="coerce").fillna(0.0) >= f.min_confidence
    query = normalize_text(f.place_query)
    if query:
        mask &= _place_matches(df, query)
    return df[mask].copy()


def _place_matches(df: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose place id is the query or whose English or Arabic name contains it (once per place, not row)."""
    sep = "\x1f"  # the unit separator: in no place name
    cols = [df[c].fillna("").astype(str) for c in ("place_id", "place", "place_ar")]
    codes, uniques = pd.factorize(cols[0] + sep + cols[1] + sep + cols[2])
    hits = [query == normalize_text(pid) or query in normalize_text(name) or query in normalize_text(name_ar)
            for pid, name, name_ar in (u.split(sep, 2) for u in uniques)]
    return pd.Series(np.asarray(hits, dtype=bool)[codes] if len(hits) else codes >= 0, index=df.index)

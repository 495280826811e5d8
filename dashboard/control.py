"""Who held each place 'as of' a date, by the sides' own control/repelled claims, and who contests it."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.schema import SIDES

HOLD_CLAIMS = ("control", "repelled")
CONTEST_CLAIMS = ("control", "repelled", "advance", "attack", "strike")
CONTROL_COLUMNS = (
    "place_id", "place", "place_ar", "lat", "lon", "holder", "since", "contested", "contested_by",
    "last_evidence",
)
# On the same day an explicit control claim outranks a repelled claim.
_CLAIM_RANK = {"repelled": 0, "control": 1}


def empty_control() -> pd.DataFrame:
    """A control view with no place (the columns and dtypes of control_as_of)."""
    df = pd.DataFrame({c: pd.Series(dtype="object") for c in CONTROL_COLUMNS})
    df["since"] = pd.to_datetime(df["since"])
    df["contested"] = df["contested"].astype(bool)
    return df


def control_as_of(claims: pd.DataFrame, as_of: dt.date, window_days: int = 7) -> pd.DataFrame:
    """One row per place with a holder on or before `as_of`.

    holder: side of the latest dated control/repelled claim at the place (same-day ties: control beats
    repelled, then higher confidence, then claim_id). since: first date of the holder's unbroken run of such
    claims. contested/contested_by: whether the other side made control/repelled/advance/attack/strike claims
    of its own at the place dated within `window_days` days before `as_of` (inclusive).
    """
    if claims.empty:
        return empty_control()
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=max(int(window_days), 0))
    df = claims.assign(date=pd.to_datetime(claims["date"], errors="coerce").dt.normalize())
    df = df[df["date"].notna() & (df["date"] <= end) & df["side"].isin(SIDES)]
    hold = df[df["claim"].isin(HOLD_CLAIMS)].copy()
    if hold.empty:
        return empty_control()
    hold["_rank"] = hold["claim"].map(_CLAIM_RANK)
    hold["_conf"] = pd.to_numeric(hold["confidence"], errors="coerce").fillna(0.0)
    hold = hold.sort_values(["place_id", "date", "_rank", "_conf", "claim_id"], kind="mergesort")
    contest = df[df["claim"].isin(CONTEST_CLAIMS) & (df["date"] >= start)]
    contested_pairs = set(zip(contest["place_id"], contest["side"], strict=True))
    by_place: dict[str, list[dict]] = {}
    for rec in hold[["place_id", "place", "place_ar", "lat", "lon", "side", "date", "evidence"]].to_dict("records"):
        by_place.setdefault(rec["place_id"], []).append(rec)
    rows = []
    for place_id in sorted(by_place):
        group = by_place[place_id]
        last = group[-1]
        holder = last["side"]
        since = last["date"]
        for rec in reversed(group):
            if rec["side"] != holder:
                break
            since = rec["date"]
        other = "LNA" if holder == "GNA" else "GNA"
        contested = (place_id, other) in contested_pairs
        rows.append({
            "place_id": place_id, "place": last["place"], "place_ar": last["place_ar"],
            "lat": float(last["lat"]), "lon": float(last["lon"]), "holder": holder, "since": since,
            "contested": contested, "contested_by": other if contested else None,
            "last_evidence": last["evidence"],
        })
    out = pd.DataFrame(rows, columns=list(CONTROL_COLUMNS))
    out["since"] = pd.to_datetime(out["since"])
    return out.reset_index(drop=True)

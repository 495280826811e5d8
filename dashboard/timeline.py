"""The timeline: claims per day by side as stacked bars, with the 'as of' date marked."""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from dashboard.mapview import SIDE_COLORS


def timeline_chart(counts: pd.DataFrame, as_of: dt.date | None = None, height: int = 220) -> alt.LayerChart:
    """Stacked bars of a claims_per_day() frame (index date, columns sides) and a rule at `as_of`."""
    long = counts.reset_index().melt(id_vars="date", var_name="side", value_name="claims")
    long = long[long["claims"] > 0]
    sides = list(SIDE_COLORS)
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("sum(claims):Q", title=None),
        color=alt.Color("side:N", scale=alt.Scale(domain=sides, range=[SIDE_COLORS[s] for s in sides]),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("date:T", format="%Y-%m-%d"), "side:N", "claims:Q"],
    )
    layers = [bars]
    if as_of is not None:
        rule = alt.Chart(pd.DataFrame({"date": [pd.Timestamp(as_of)]})).mark_rule(
            color="#111", strokeDash=[4, 3], strokeWidth=2).encode(x="date:T")
        layers.append(rule)
    return alt.layer(*layers).properties(height=height)

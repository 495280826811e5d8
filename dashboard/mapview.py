"""The folium map: Libya outline and regions, claims as one canvas GeoJSON layer, control layer, legend."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import pandas as pd
from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template

from dashboard.assets import localize
from dashboard.escape import clip, esc, safe_url
from dashboard.schema import side_label

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MAX_POINTS = 2_500  # above this the map aggregates per place (keeps a redraw under ~1.5 s)
TRIPOLI = (32.80, 13.20)
SIDE_COLORS = {"GNA": "#1f5fbf", "LNA": "#c62828", "none": "#6d6d6d"}
# How each claim type is drawn: radius (px), stroke weight, dash pattern, fill opacity.
CLAIM_STYLES: dict[str, dict[str, Any]] = {
    "control": {"radius": 9, "weight": 3, "dashArray": None, "fillOpacity": 0.9},
    "repelled": {"radius": 9, "weight": 4, "dashArray": None, "fillOpacity": 0.2},
    "advance": {"radius": 7, "weight": 2, "dashArray": "5 3", "fillOpacity": 0.6},
    "attack": {"radius": 7, "weight": 2, "dashArray": "1 3", "fillOpacity": 0.6},
    "strike": {"radius": 5, "weight": 1, "dashArray": None, "fillOpacity": 0.95},
    "clash": {"radius": 6, "weight": 2, "dashArray": "6 2 1 2", "fillOpacity": 0.35},
    "withdrawal": {"radius": 6, "weight": 2, "dashArray": "2 2", "fillOpacity": 0.05},
}
_DEFAULT_STYLE = {"radius": 6, "weight": 2, "dashArray": None, "fillOpacity": 0.5}
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SPREAD_DEG = 0.0035
_EVIDENCE_CHARS = 600
_TITLE_CHARS = 200
_CONTROL_EVIDENCE_CHARS = 240


@dataclass(frozen=True)
class MapLayers:
    """What the map shows, as plain data (safe to cache and share between visitors and reruns)."""

    claims: dict  # GeoJSON FeatureCollection of the claim points (or per-place aggregates)
    control: dict | None  # GeoJSON FeatureCollection of the control view, or None
    bounds: list[list[float]] | None
    aggregated: bool
    message: str
    show_control: bool = True

    @property
    def points(self) -> int:
        """Features in the claims layer."""
        return len(self.claims["features"])

    @property
    def control_places(self) -> int:
        """Places in the control layer."""
        return len(self.control["features"]) if self.control else 0


@dataclass
class MapBuild:
    """A freshly built folium map and the layer data it was built from.

    A folium map must be rendered once only (streamlit-folium renames its elements while rendering):
    cache the MapLayers, never the map.
    """

    map: folium.Map
    layers: MapLayers

    @property
    def points(self) -> int:
        """Features in the claims layer."""
        return self.layers.points

    @property
    def aggregated(self) -> bool:
        """Whether the claims are aggregated per place."""
        return self.layers.aggregated

    @property
    def message(self) -> str:
        """What the map shows, for a caption."""
        return self.layers.message

    @property
    def control_places(self) -> int:
        """Places in the control layer."""
        return self.layers.control_places


@lru_cache(maxsize=4)
def load_boundary(name: str) -> dict:
    """A committed boundary GeoJSON from dashboard/data ('libya_outline' or 'libya_admin1')."""
    return json.loads((DATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


class PointsLayer(Layer):
    """A GeoJSON layer of points drawn as circle markers (canvas when the map prefers canvas).

    Each feature carries pre-escaped `popup` and `tooltip` HTML plus `side`/`claim` for styling.
    The number of drawn points is published as window.mihwar[kind] and as a data-<kind>-count
    attribute on the map container.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var styles = {{ this.styles|tojson }};
            var layer = L.geoJson({{ this.data|tojson }}, {
                pointToLayer: function (feature, latlng) {
                    var p = feature.properties;
                    var c = styles.claims[p.claim] || styles.fallback;
                    var colour = styles.colors[p.side] || styles.colors.none;
                    return L.circleMarker(latlng, {
                        radius: p.radius || c.radius, weight: c.weight, dashArray: c.dashArray,
                        color: colour, fillColor: colour, fillOpacity: c.fillOpacity, opacity: 0.95
                    });
                },
                onEachFeature: function (feature, layer) {
                    layer.bindPopup(feature.properties.popup, {maxWidth: 380});
                    layer.bindTooltip(feature.properties.tooltip, {sticky: true});
                }
            });
            var n = layer.getLayers().length;
            window.mihwar = window.mihwar || {};
            window.mihwar[{{ this.kind|tojson }}] = n;
            try {
                {{ this._parent.get_name() }}.getContainer().setAttribute(
                    {{ ("data-" ~ this.kind ~ "-count")|tojson }}, String(n));
            } catch (e) {}
            return layer;
        })();
        {% endmacro %}
    """)

    def __init__(self, data: dict, kind: str, name: str, styles: dict, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointsLayer"
        self.data = data
        self.kind = kind
        self.styles = styles


class Legend(MacroElement):
    """A static legend control (trusted markup only)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "mihwar-legend");
                div.style.cssText = "background:rgba(255,255,255,.92);padding:6px 8px;font:12px sans-serif;" +
                    "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);line-height:1.3;max-width:170px";
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


def _swatch(colour: str, style: dict[str, Any]) -> str:
    r = min(style["radius"], 8)
    dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
    return (f'<svg width="20" height="20" style="vertical-align:middle"><circle cx="10" cy="10" r="{r}" '
            f'stroke="{colour}" stroke-width="{style["weight"]}"{dash} fill="{colour}" '
            f'fill-opacity="{style["fillOpacity"]}"/></svg>')


def legend_html(note: str = "") -> str:
    """Legend markup: side colours, claim-type symbols and the control-layer symbol."""
    sides = "".join(f'<div>{_swatch(c, _DEFAULT_STYLE | {"fillOpacity": 0.9})} {esc(s)}</div>'
                    for s, c in SIDE_COLORS.items())
    types = "".join(f'<div>{_swatch("#333", st)} {esc(t)}</div>' for t, st in CLAIM_STYLES.items())
    control = '<div><b>Control view</b>: big ring in holder colour, dashed if contested</div>'
    extra = f'<div style="margin-top:4px"><i>{esc(note)}</i></div>' if note else ""
    return f"<b>Side</b>{sides}<b>Claim type</b>{types}{control}{extra}"


def _date_text(date: Any, precision: Any) -> str:
    if date is None or pd.isna(date):
        return "unknown date"
    ts = pd.Timestamp(date)
    if precision == "year":
        return f"{ts:%Y} (year)"
    if precision == "month":
        return f"{ts:%Y-%m} (month)"
    if precision == "week":
        return f"week of {ts:%Y-%m-%d} (week)"
    return f"{ts:%Y-%m-%d} ({precision or 'day'})"


def _source_html(row: Any) -> str:
    source = esc(clip(row.get("source"), _TITLE_CHARS)) or "source unknown"
    url = safe_url(row.get("url"))
    if url:
        return f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">{source}</a>'
    return source


def claim_popup(row: Any) -> str:
    """Popup HTML for one claim row (a dict or Series); every value is escaped."""
    evidence = clip(row.get("evidence"), _EVIDENCE_CHARS)
    conf = row.get("confidence")
    conf_text = f"{float(conf):.2f}" if conf is not None and not pd.isna(conf) else "?"
    return (
        '<div class="mihwar-popup" style="max-width:360px">'
        f'<b>{esc(row.get("place"))}</b> · <span dir="auto" lang="ar">{esc(row.get("place_ar"))}</span><br>'
        f'Side: <b>{esc(side_label(row.get("side")))}</b> · Claim: <b>{esc(row.get("claim"))}</b>'
        f' · Claimed by: {esc(side_label(row.get("claimed_by")))}<br>'
        f'Date: {esc(_date_text(row.get("date"), row.get("date_precision")))} · Confidence: {esc(conf_text)}'
        f'<br>Why: {esc(row.get("why") or "?")}'
        f'<p dir="auto" style="margin:6px 0;border-left:3px solid #ccc;padding-left:6px">{esc(evidence)}</p>'
        f'<div dir="auto"><i>{esc(clip(row.get("title"), _TITLE_CHARS))}</i></div>'
        f'<div>{_source_html(row)}</div></div>'
    )


def claim_tooltip(row: Any) -> str:
    """Short tooltip HTML for one claim row; every value is escaped."""
    return (f'{esc(row.get("place"))} · {esc(side_label(row.get("side")))} {esc(row.get("claim"))}'
            f' · {esc(_date_text(row.get("date"), row.get("date_precision")))}')


def spread_offsets(n: int, lat: float) -> list[tuple[float, float]]:
    """Deterministic (dlat, dlon) offsets on a sunflower spiral so n points at one place stay apart."""
    scale = 1 / max(math.cos(math.radians(lat)), 0.2)
    out = []
    for i in range(n):
        r = _SPREAD_DEG * math.sqrt(i)
        a = i * _GOLDEN_ANGLE
        out.append((r * math.sin(a), r * math.cos(a) * scale))
    return out


def _feature(lat: float, lon: float, props: dict[str, Any]) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": props}


def claims_features(claims: pd.DataFrame) -> list[dict]:
    """One point feature per located claim; claims at the same spot are spread on a spiral."""
    df = claims[pd.to_numeric(claims["lat"], errors="coerce").notna()
                & pd.to_numeric(claims["lon"], errors="coerce").notna()]
    if df.empty:
        return []
    df = df.assign(_lat=df["lat"].astype(float), _lon=df["lon"].astype(float))
    df = df.assign(_key=list(zip(df["_lat"].round(5), df["_lon"].round(5), strict=True)))
    df = df.sort_values(["_key", "date", "claim_id"], kind="mergesort", na_position="last")
    features = []
    for _, group in df.groupby("_key", sort=False):
        offsets = spread_offsets(len(group), float(group["_lat"].iloc[0]))
        for (dlat, dlon), row in zip(offsets, group.to_dict("records"), strict=True):
            features.append(_feature(row["_lat"] + dlat, row["_lon"] + dlon, {
                "id": str(row.get("claim_id")), "side": side_label(row.get("side")),
                "claim": row.get("claim"), "popup": claim_popup(row), "tooltip": claim_tooltip(row),
            }))
    return features


def aggregate_features(claims: pd.DataFrame, recent: int = 3) -> list[dict]:
    """One point feature per place summarising its claims (count by side and type, latest few)."""
    df = claims[pd.to_numeric(claims["lat"], errors="coerce").notna()]
    if df.empty:
        return []
    sides = pd.crosstab(df["place_id"], df["side"].map(side_label))
    types = pd.crosstab(df["place_id"], df["claim"])
    firsts = df.groupby("place_id", sort=True).first()
    latest = df.sort_values("date", ascending=False, na_position="last").groupby("place_id").head(recent)
    items: dict[str, list[str]] = {}
    for r in latest.to_dict("records"):
        items.setdefault(r["place_id"], []).append(f"<li>{claim_tooltip(r)}</li>")
    side_counts = sides.to_dict("index")
    type_counts = types.to_dict("index")

    def ranked(counts: dict) -> list[tuple[str, int]]:
        return sorted(((k, int(v)) for k, v in counts.items() if v > 0), key=lambda kv: -kv[1])

    features = []
    for place_id, first in zip(firsts.index, firsts.to_dict("records"), strict=True):
        by_side = ranked(side_counts[place_id])
        by_type = ranked(type_counts[place_id])
        total = sum(c for _s, c in by_side)
        top = by_side[0][0] if len(by_side) == 1 or by_side[0][1] > by_side[1][1] else "none"
        popup = (
            f'<div style="max-width:360px"><b>{esc(first["place"])}</b> · '
            f'<span dir="auto" lang="ar">{esc(first["place_ar"])}</span><br>{total} claims — '
            + ", ".join(f"{esc(s)}: {c}" for s, c in by_side) + "<br>"
            + ", ".join(f"{esc(t)}: {c}" for t, c in by_type)
            + f"<br>Latest:<ul style='padding-left:16px;margin:2px 0'>{''.join(items.get(place_id, []))}</ul></div>"
        )
        features.append(_feature(float(first["lat"]), float(first["lon"]), {
            "id": str(place_id), "side": top, "claim": by_type[0][0],
            "radius": min(6 + 2 * math.log2(total), 20), "popup": popup,
            "tooltip": f'{esc(first["place"])} · {total} claims',
        }))
    return features


def control_features(control: pd.DataFrame) -> list[dict]:
    """One point feature per place of a control_as_of() frame."""
    features = []
    for row in control.to_dict("records"):
        contested = bool(row.get("contested"))
        since = row.get("since")
        since_text = f"{pd.Timestamp(since):%Y-%m-%d}" if since is not None and not pd.isna(since) else "?"
        status = f"contested by {esc(row.get('contested_by'))}" if contested else "uncontested"
        popup = (
            f'<div style="max-width:360px"><b>{esc(row.get("place"))}</b> · '
            f'<span dir="auto" lang="ar">{esc(row.get("place_ar"))}</span><br>'
            f'Held by <b>{esc(row.get("holder"))}</b> since {esc(since_text)} ({status})'
            f'<p dir="auto" style="margin:6px 0">{esc(clip(row.get("last_evidence"), _CONTROL_EVIDENCE_CHARS))}</p></div>'
        )
        features.append(_feature(float(row["lat"]), float(row["lon"]), {
            "id": str(row.get("place_id")), "side": side_label(row.get("holder")),
            "claim": "contested" if contested else "held", "popup": popup,
            "tooltip": f'{esc(row.get("place"))}: {esc(row.get("holder"))} ({status})',
        }))
    return features


def _styles(extra: dict[str, dict[str, Any]] | None = None) -> dict:
    return {"colors": SIDE_COLORS, "claims": CLAIM_STYLES | (extra or {}), "fallback": _DEFAULT_STYLE}


_CONTROL_STYLES = {
    "held": {"radius": 16, "weight": 4, "dashArray": None, "fillOpacity": 0.12},
    "contested": {"radius": 16, "weight": 4, "dashArray": "8 6", "fillOpacity": 0.12},
}


def _bounds(claims: pd.DataFrame, pad: float = 0.03) -> list[list[float]] | None:
    lat = pd.to_numeric(claims["lat"], errors="coerce").dropna()
    lon = pd.to_numeric(claims["lon"], errors="coerce").dropna()
    if lat.empty or lon.empty:
        return None
    south_west = [float(lat.min()) - pad, float(lon.min()) - pad]
    return [south_west, [float(lat.max()) + pad, float(lon.max()) + pad]]


def _base_map(tiles: bool) -> folium.Map:
    m = folium.Map(location=list(TRIPOLI), zoom_start=10, tiles=None, prefer_canvas=True, control_scale=True)
    folium.GeoJson(load_boundary("libya_outline"), name="Libya outline", control=False,
                   style_function=lambda _: {"color": "#444", "weight": 2, "fillColor": "#f4efe3",
                                             "fillOpacity": 0.35}).add_to(m)
    folium.GeoJson(load_boundary("libya_admin1"), name="Regions (admin1)",
                   style_function=lambda _: {"color": "#999", "weight": 1, "fill": False}).add_to(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap tiles (online only)", overlay=True,
                         control=True, show=True).add_to(m)
    return m


def map_layers(claims: pd.DataFrame, control: pd.DataFrame | None = None, *,
               max_points: int = DEFAULT_MAX_POINTS, show_control: bool = True) -> MapLayers:
    """The layer data of the dashboard map for the (already filtered) claims and a control_as_of() frame."""
    aggregated = len(claims) > max_points
    if aggregated:
        features = aggregate_features(claims)
        message = (f"{len(claims):,} claims exceed the {max_points:,}-point limit: showing {len(features):,} "
                   "places with their claims aggregated. Narrow the filters to see single claims.")
    else:
        features = claims_features(claims)
        message = f"Showing {len(features):,} claims."
    control_fc = None
    if control is not None:
        control_fc = {"type": "FeatureCollection", "features": control_features(control)}
    return MapLayers(claims={"type": "FeatureCollection", "features": features}, control=control_fc,
                     bounds=_bounds(claims), aggregated=aggregated, message=message, show_control=show_control)


def render_map(layers: MapLayers, *, tiles: bool = True) -> folium.Map:
    """A new folium map drawing these layers (build one per page run; never render a map twice)."""
    m = _base_map(tiles)
    PointsLayer(layers.claims, kind="claims",
                name="Claims (aggregated per place)" if layers.aggregated else "Claims", styles=_styles()).add_to(m)
    if layers.control is not None:
        PointsLayer(layers.control, kind="control", name="Control view (as of)",
                    styles=_styles(_CONTROL_STYLES), show=layers.show_control).add_to(m)
    if layers.bounds is not None:
        m.fit_bounds(layers.bounds, max_zoom=11)
    Legend(legend_html("Points aggregated per place" if layers.aggregated else "")).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m)
    return m


def build_map(claims: pd.DataFrame, control: pd.DataFrame | None = None, *,
              max_points: int = DEFAULT_MAX_POINTS, tiles: bool = True,
              show_control: bool = True) -> MapBuild:
    """A new dashboard map for the (already filtered) claims and an optional control_as_of() frame."""
    layers = map_layers(claims, control, max_points=max_points, show_control=show_control)
    return MapBuild(map=render_map(layers, tiles=tiles), layers=layers)

"""The dashboard map: the filtered claims as layer data (points or per-place aggregates, control areas,
density, labels, legend) and the folium map that draws it (dashboard.map_elements)."""
from __future__ import annotations

import itertools
import json
import math
import operator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from typing import Any

import folium
import pandas as pd

from dashboard.areas import DEFAULT_RADIUS_KM, control_areas, pack_areas
from dashboard.assets import localize
from dashboard.escape import clip, esc, safe_url
from dashboard.gcpause import paused_gc
from dashboard.grid import grid_places
from dashboard.i18n import direction, text
from dashboard.labels import place_labels
from dashboard.map_elements import (
    AreasLayer,
    BoundaryLayer,
    HeatLayer,
    LabelsLayer,
    Legend,
    MapData,
    MapFrame,
    MapStyle,
    OnlineTiles,
    PointsLayer,
    data_json,
)
from dashboard.schema import CLAIM_TYPES, NO_SIDE, SIDE_LABELS, SIDES, side_label

DATA_DIR = files("dashboard") / "data"
DEFAULT_MAX_POINTS = 2_000  # above this the map aggregates per place (keeps a redraw under ~1.5 s, <1 MB)
DEFAULT_MAX_PLACES = 2_000  # above this the aggregates are per grid cell (bounds the map at any scale)
AREA_SCALE = 1000  # control-area coordinates go to the map as integers of 1/1000 degree
OPEN_FROM_PX = 600  # legend and layer list start open on maps at least this wide
# The map starts on all of Libya, then fits the data: the first view it reports (before any data is drawn)
# then holds every place, so it asks for no layers of its own (dashboard.viewport).
START_VIEW = (27.0, 17.0)
START_ZOOM = 5
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
    control: dict | None  # GeoJSON FeatureCollection of the control areas, or None
    bounds: list[list[float]] | None
    aggregated: bool
    message: str
    show_control: bool = True
    heat: tuple = ()  # [lat, lon, claims] per place
    front_places: tuple[str, ...] = ()  # place ids of the shown claims (labelled earlier)
    legend: str = ""  # the legend's markup (legend_html)

    @property
    def points(self) -> int:
        """Features in the claims layer."""
        return len(self.claims["features"])

    @property
    def control_places(self) -> int:
        """Areas in the control layer."""
        return len(self.control["features"]) if self.control else 0

    @cached_property
    def labels(self) -> list[list]:
        """The place labels (dashboard.labels.place_labels) for these claims' places."""
        return place_labels(self.front_places)

    @cached_property
    def data(self) -> dict:
        """Everything the map draws, as one plain value (what the map's script receives)."""
        return {
            "claims": pack_points(self.claims),
            "areas": pack_areas(self.control, AREA_SCALE) if self.control is not None else None,
            "heat": [list(p) for p in self.heat], "labels": self.labels, "legend": self.legend,
            "bounds": self.bounds, "aggregated": self.aggregated,
        }

    @cached_property
    def data_json(self) -> str:
        """`data` as script text (made once per cached MapLayers; see map_elements.data_json)."""
        with paused_gc():
            return data_json(self.data)


@dataclass
class MapBuild:
    """A freshly built folium map and the layer data it was built from.

    A folium map must be rendered once only (streamlit-folium renames its elements while rendering):
    cache the MapLayers, never the map.
    """

    map: folium.Map
    layers: MapLayers


@lru_cache(maxsize=4)
def load_boundary(name: str) -> dict:
    """A committed boundary GeoJSON from dashboard/data ('libya_outline' or 'libya_admin1')."""
    return json.loads((DATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def boundary_json(name: str) -> str:
    """load_boundary(name) as script data (made once)."""
    return data_json(load_boundary(name))


def _swatch(colour: str, style: dict[str, Any]) -> str:
    r = min(style["radius"], 8)
    dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
    return (f'<svg width="20" height="20" style="vertical-align:middle"><circle cx="10" cy="10" r="{r}" '
            f'stroke="{colour}" stroke-width="{style["weight"]}"{dash} fill="{colour}" '
            f'fill-opacity="{style["fillOpacity"]}"/></svg>')


def _area_swatch(colour: str, contested: bool) -> str:
    dash = ' stroke-dasharray="4 3"' if contested else ""
    fill = (f'<pattern id="lg{colour[1:]}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="2" height="6" fill="{colour}" fill-opacity=".6"/></pattern>'
            if contested else "")
    paint = f"url(#lg{colour[1:]})" if contested else colour
    opacity = "1" if contested else ".25"
    return (f'<svg width="20" height="14" style="vertical-align:middle"><defs>{fill}</defs>'
            f'<rect x="1" y="1" width="18" height="12" fill="{paint}" fill-opacity="{opacity}" stroke="{colour}"'
            f'{dash}/></svg>')


def legend_html(note: str = "", lang: str = "en", radius_km: float = DEFAULT_RADIUS_KM, areas: bool = True) -> str:
    """Legend markup: side colours, claim-type symbols, clusters and how the control areas were made."""
    sides = "".join(f'<div>{_swatch(c, _DEFAULT_STYLE | {"fillOpacity": 0.9})} {esc(s)}</div>'
                    for s, c in SIDE_COLORS.items())
    types = "".join(f'<div>{_swatch("#333", st)} {esc(t)}</div>' for t, st in CLAIM_STYLES.items())
    clusters = f'<div style="margin-top:3px">{esc(text("legend_clusters", lang))}</div>'
    control = ""
    if areas:
        # Each swatch pair and its side name in an isolated box: in a right-to-left legend the bidi
        # algorithm would otherwise join "GNA ▧ LNA" into one left-to-right run and put a side's name
        # next to the other side's colour.
        swatches = " ".join(
            f'<span style="display:inline-block;unicode-bidi:isolate;margin-inline-end:6px">'
            f'{_area_swatch(SIDE_COLORS[s], False)}{_area_swatch(SIDE_COLORS[s], True)} {esc(s)}</span>'
            for s in ("GNA", "LNA"))
        control = (f'<b>{esc(text("legend_areas", lang))}</b><div>{swatches}</div>'
                   f'<div>{esc(text("legend_held", lang))} / {esc(text("legend_contested", lang))}</div>'
                   f'<div style="font-size:11px;color:#333">{esc(text("areas_method", lang, radius=radius_km))}</div>')
    extra = f'<div style="margin-top:4px"><i>{esc(note)}</i></div>' if note else ""
    return (f'<summary>{esc(text("legend", lang))}</summary><b>{esc(text("legend_side", lang))}</b>{sides}'
            f'<b>{esc(text("legend_type", lang))}</b>{types}{clusters}{control}{extra}')


def date_text(date: Any, precision: Any) -> str:
    """A claim's date as the map writes it, with its precision ('2020-06-03 (day)', 'unknown date')."""
    if date is None or pd.isna(date):
        return "unknown date"
    ts = pd.Timestamp(date)
    if precision == "year":
        return f"{ts:%Y} (year)"
    if precision == "month":
        return f"{ts:%Y-%m} (month)"
    if precision == "week":
        return f"week of {ts:%Y-%m-%d} (week)"
    return f"{ts:%Y-%m-%d} ({precision if isinstance(precision, str) and precision else 'day'})"


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
        f'Date: {esc(date_text(row.get("date"), row.get("date_precision")))} · Confidence: {esc(conf_text)}'
        f'<br>Why: {esc(row.get("why") or "?")}'
        f'<p dir="auto" style="margin:6px 0;border-left:3px solid #ccc;padding-left:6px">{esc(evidence)}</p>'
        f'<div dir="auto"><i>{esc(clip(row.get("title"), _TITLE_CHARS))}</i></div>'
        f'<div>{_source_html(row)}</div></div>'
    )


def claim_tooltip(row: Any) -> str:
    """Short tooltip HTML for one claim row; every value is escaped."""
    return (f'{esc(row.get("place"))} · {esc(side_label(row.get("side")))} {esc(row.get("claim"))}'
            f' · {esc(date_text(row.get("date"), row.get("date_precision")))}')


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
    # One conversion of the whole frame: a to_dict per spot cost about 6.6 ms each (5.5 s for 838 spots).
    for _, spot in itertools.groupby(df.to_dict("records"), key=operator.itemgetter("_key")):
        rows = list(spot)
        for (dlat, dlon), row in zip(spread_offsets(len(rows), rows[0]["_lat"]), rows, strict=True):
            features.append(_feature(row["_lat"] + dlat, row["_lon"] + dlon, {
                "id": str(row.get("claim_id")), "side": side_label(row.get("side")),
                "claim": row.get("claim"), "popup": claim_popup(row), "tooltip": claim_tooltip(row),
            }))
    return features


def pack_points(fc: dict) -> dict:
    """A FeatureCollection of points as one table for the map: {"fields": property names, "rows": [lat, lon,
    then the properties in that order] per feature} (the GeoJSON wrapping of each point is a third of it)."""
    feats = fc["features"]
    fields = list(dict.fromkeys(k for f in feats for k in f["properties"]))
    rows = []
    for f in feats:
        lon, lat = f["geometry"]["coordinates"]
        props = f["properties"]
        rows.append([lat, lon, *(props.get(k) for k in fields)])
    return {"fields": fields, "rows": rows}


def unpack_points(packed: dict) -> list[dict]:
    """The features of pack_points' table again (what the map's script makes of it)."""
    return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r[1], r[0]]},
             "properties": {k: v for k, v in zip(packed["fields"], r[2:], strict=True) if v is not None}}
            for r in packed["rows"]]


def _date_texts(dates: pd.Series, precisions: pd.Series) -> list[str]:
    """date_text of each date with its precision."""
    return [date_text(d, p) for d, p in zip(dates.tolist(), precisions.tolist(), strict=True)]


def aggregate_features(claims: pd.DataFrame, recent: int = 3) -> list[dict]:
    """One point feature per place summarising its claims: n (claims), sides/types ([name, count], most
    first), latest (tooltips of the latest few claims); every text escaped. The map builds the popup."""
    located = pd.to_numeric(claims["lat"], errors="coerce").notna() & pd.to_numeric(claims["lon"], errors="coerce").notna()
    df = claims.loc[located, ["place_id", "place", "place_ar", "lat", "lon", "side", "claim", "date",
                              "date_precision"]]
    if df.empty:
        return []
    df = df.assign(side=df["side"].where(df["side"].isin(SIDES), NO_SIDE).astype(object))
    escaped: dict[Any, str] = {}

    def esc1(value: Any) -> str:  # the same few sides, claim types and dates come back again and again
        if value not in escaped:
            escaped[value] = esc(value)
        return escaped[value]

    def ranked(counts: pd.Series, order: tuple[str, ...]) -> dict[Any, list[list]]:
        """Per place, [name, count] most first; equal counts in `order` (as dashboard.queries ranks them)."""
        rank = {k: i for i, k in enumerate(order)}
        out: dict[Any, list[list]] = {}
        items = sorted(zip(counts.index.tolist(), counts.tolist(), strict=True),
                       key=lambda kv: (-kv[1], rank.get(kv[0][1], len(rank)), str(kv[0][1])))
        for (place_id, key), n in items:
            out.setdefault(place_id, []).append([esc1(key), int(n)])
        return out

    by_side = ranked(df.groupby(["place_id", "side"], sort=True).size(), SIDE_LABELS)
    by_type = ranked(df.groupby(["place_id", "claim"], sort=True).size(), CLAIM_TYPES)
    latest = df.sort_values("date", ascending=False, na_position="last", kind="stable").groupby("place_id").head(recent)
    items: dict[Any, list[str]] = {}
    for place_id, side, claim, when in zip(latest["place_id"].tolist(), latest["side"].tolist(),
                                           latest["claim"].tolist(),
                                           _date_texts(latest["date"], latest["date_precision"]), strict=True):
        items.setdefault(place_id, []).append(f"{esc1(side)} {esc1(claim)} · {esc1(when)}")
    firsts = df.drop_duplicates("place_id").sort_values("place_id", kind="stable")
    features = []
    for place_id, name, name_ar, lat, lon in zip(*(firsts[c].tolist() for c in ("place_id", "place", "place_ar",
                                                                              "lat", "lon")), strict=True):
        sides, types = by_side[place_id], by_type[place_id]
        total = sum(c for _s, c in sides)
        top = sides[0][0] if len(sides) == 1 or sides[0][1] > sides[1][1] else "none"
        features.append(_feature(float(lat), float(lon), {
            "id": str(place_id), "side": top, "claim": types[0][0],
            "radius": round(min(6 + 2 * math.log2(total), 20), 1), "n": total,
            "name": esc(name), "name_ar": esc(name_ar), "sides": sides, "types": types,
            "latest": items.get(place_id, []),
        }))
    return features


def heat_points(claims: pd.DataFrame) -> list[list[float]]:
    """[lat, lon, claims] per located place, for the density layer."""
    lat = pd.to_numeric(claims["lat"], errors="coerce")
    lon = pd.to_numeric(claims["lon"], errors="coerce")
    df = pd.DataFrame({"lat": lat, "lon": lon}).dropna()
    if df.empty:
        return []
    counts = df.round(4).value_counts().sort_index()
    return [[float(a), float(b), int(n)] for (a, b), n in counts.items()]


def _styles(extra: dict[str, dict[str, Any]] | None = None) -> dict:
    return {"colors": SIDE_COLORS, "claims": CLAIM_STYLES | (extra or {}), "fallback": _DEFAULT_STYLE}


def _bounds(claims: pd.DataFrame, pad: float = 0.03) -> list[list[float]] | None:
    lat = pd.to_numeric(claims["lat"], errors="coerce").dropna()
    lon = pd.to_numeric(claims["lon"], errors="coerce").dropna()
    if lat.empty or lon.empty:
        return None
    south_west = [float(lat.min()) - pad, float(lon.min()) - pad]
    return [south_west, [float(lat.max()) + pad, float(lon.max()) + pad]]


def base_map(*, lang: str = "en", tiles: bool = False) -> folium.Map:
    """A new map frame with no data: outline and regions, the (empty) layers, legend and layer list.

    It depends only on the language and the tiles setting, so the dashboard's map stays mounted while
    the filters change; MapData (data_element) fills it. Build one per page run (never render a map twice).
    Layers, bottom to top: outline and regions, control areas (own pane), claims (clustered canvas points),
    density, place labels (own pane); a collapsible legend and layer list; online tiles only if asked for.
    """
    m = folium.Map(location=list(START_VIEW), zoom_start=START_ZOOM, tiles=None, prefer_canvas=True, control_scale=True)
    MapStyle(direction(lang)).add_to(m)
    BoundaryLayer(boundary_json("libya_outline"), name="Libya outline", control=False,
                  style={"color": "#444", "weight": 2, "fillColor": "#f4efe3", "fillOpacity": 0.35}).add_to(m)
    BoundaryLayer(boundary_json("libya_admin1"), name=text("map_regions", lang),
                  style={"color": "#999", "weight": 1, "fill": False}).add_to(m)
    if tiles:
        OnlineTiles(text("map_tiles", lang), text("map_tiles_failed", lang)).add_to(m)
    AreasLayer(name=text("map_areas", lang), colors=SIDE_COLORS, scale=AREA_SCALE).add_to(m)
    PointsLayer(kind="claims", name=text("map_claims", lang), styles=_styles(),
                words={"claims": "claims", "latest": "Latest"}).add_to(m)
    HeatLayer(name=text("map_heat", lang)).add_to(m)
    LabelsLayer(name=text("map_labels", lang), arabic=lang == "ar").add_to(m)
    Legend(open_from=OPEN_FROM_PX).add_to(m)
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    MapFrame(control, (text("map_claims", lang), text("map_claims_aggregated", lang)),
             open_from=OPEN_FROM_PX).add_to(m)
    localize(m)
    return m


def data_element(layers: MapLayers, *, heat: bool = False) -> MapData:
    """The element that draws these layers on a base_map (the density layer shown when `heat`)."""
    return MapData(layers.data_json, {"heat": bool(heat)})


def data_group(layers: MapLayers, *, heat: bool = False) -> folium.FeatureGroup:
    """data_element in an (otherwise empty, unlisted) feature group: what streamlit-folium adds to a map
    that is already drawn (`feature_group_to_add`), without drawing the map again."""
    group = folium.FeatureGroup(name="data", control=False)
    data_element(layers, heat=heat).add_to(group)
    return group


def map_layers(claims: pd.DataFrame, control: pd.DataFrame | None = None, *,
               max_points: int = DEFAULT_MAX_POINTS, show_control: bool = True, lang: str = "en",
               radius_km: float = DEFAULT_RADIUS_KM, areas: dict | None = None,
               max_places: int = DEFAULT_MAX_PLACES) -> MapLayers:
    """The layer data of the dashboard map for the (already filtered) claims and a control_as_of() frame.

    Above `max_points` claims the points are aggregated per place, and above `max_places` places per grid
    cell (dashboard.grid), so the map's size stays bounded (and says so); the control frame becomes
    areas (dashboard.areas.control_areas), unless the areas are given already made (`areas`).
    """
    with paused_gc():
        return _map_layers(claims, control, max_points=max_points, show_control=show_control, lang=lang,
                           radius_km=radius_km, areas=areas, max_places=max_places)


def _map_layers(claims: pd.DataFrame, control: pd.DataFrame | None, *, max_points: int, show_control: bool,
                lang: str, radius_km: float, areas: dict | None, max_places: int) -> MapLayers:
    aggregated = len(claims) > max_points
    if aggregated:
        gridded = grid_places(claims, max_places)
        features = aggregate_features(gridded.claims)
        message = (text("msg_grid", lang, total=len(claims), places=gridded.places, cells=len(features),
                        km=round(gridded.cell_deg * 111.32))
                   if gridded.cell_deg else
                   text("msg_aggregated", lang, total=len(claims), limit=max_points, places=len(features)))
    else:
        features = claims_features(claims)
        message = text("msg_points", lang, n=len(features))
    control_fc = areas if areas is not None else control_areas(control, radius_km) if control is not None else None
    front = tuple(sorted(str(p) for p in claims["place_id"].dropna().unique())) if len(claims) else ()
    legend = legend_html(text("legend_aggregated", lang) if aggregated else "", lang, radius_km,
                         areas=control_fc is not None)
    return MapLayers(claims={"type": "FeatureCollection", "features": features}, control=control_fc,
                     bounds=_bounds(claims), aggregated=aggregated, message=message, show_control=show_control,
                     heat=tuple(heat_points(claims)), front_places=front, legend=legend)


def render_map(layers: MapLayers, *, tiles: bool = False, lang: str = "en", heat: bool = False) -> folium.Map:
    """A new standalone map drawing these layers: a base_map with their data_element (for a page or a file;
    the dashboard sends the two apart). Build one per use: never render a map twice."""
    m = base_map(lang=lang, tiles=tiles)
    data_element(layers, heat=heat).add_to(m)
    return m


def build_map(claims: pd.DataFrame, control: pd.DataFrame | None = None, *,
              max_points: int = DEFAULT_MAX_POINTS, tiles: bool = False, show_control: bool = True,
              lang: str = "en") -> MapBuild:
    """A new dashboard map for the (already filtered) claims and an optional control_as_of() frame."""
    layers = map_layers(claims, control, max_points=max_points, show_control=show_control, lang=lang)
    return MapBuild(map=render_map(layers, tiles=tiles, lang=lang), layers=layers)

"""The folium map: Libya outline and regions, claims as one canvas GeoJSON layer, control layer, legend."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from typing import Any, ClassVar

import folium
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from dashboard.areas import DEFAULT_RADIUS_KM, control_areas, pack_areas
from dashboard.assets import localize
from dashboard.escape import clip, esc, safe_url
from dashboard.i18n import direction, text
from dashboard.labels import place_labels
from dashboard.schema import side_label

DATA_DIR = files("dashboard") / "data"
DEFAULT_MAX_POINTS = 2_000  # above this the map aggregates per place (keeps a redraw under ~1.5 s, <1 MB)
AREA_SCALE = 1000  # control-area coordinates go to the map as integers of 1/1000 degree
UNCLUSTER_ZOOM = 13  # from this zoom every point is drawn on its own (spread apart at one place)
OPEN_FROM_PX = 600  # legend and layer list start open on maps at least this wide
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
    control: dict | None  # GeoJSON FeatureCollection of the control areas, or None
    bounds: list[list[float]] | None
    aggregated: bool
    message: str
    show_control: bool = True
    heat: tuple = ()  # [lat, lon, claims] per place
    front_places: tuple[str, ...] = ()  # place ids of the shown claims (labelled earlier)

    @property
    def points(self) -> int:
        """Features in the claims layer."""
        return len(self.claims["features"])

    @property
    def control_places(self) -> int:
        """Areas in the control layer."""
        return len(self.control["features"]) if self.control else 0

    @cached_property
    def claims_json(self) -> str:
        """The claims layer as script data (made once per cached MapLayers)."""
        return js_json(self.claims)

    @cached_property
    def areas_json(self) -> str:
        """The control areas, packed, as script data."""
        return js_json(pack_areas(self.control, AREA_SCALE)) if self.control else "[]"

    @cached_property
    def heat_json(self) -> str:
        """The density points as script data."""
        return js_json([list(p) for p in self.heat])


@dataclass
class MapBuild:
    """A freshly built folium map and the layer data it was built from.

    A folium map must be rendered once only (streamlit-folium renames its elements while rendering):
    cache the MapLayers, never the map.
    """

    map: folium.Map
    layers: MapLayers


def js_json(value: Any) -> str:
    """JSON for a <script>: compact, UTF-8 (not \\u-escaped), with <, >, & and ' escaped as in Jinja's tojson,
    so no text can close the script or open markup."""
    text_ = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text_.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027"))


@lru_cache(maxsize=4)
def load_boundary(name: str) -> dict:
    """A committed boundary GeoJSON from dashboard/data ('libya_outline' or 'libya_admin1')."""
    return json.loads((DATA_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


class PointsLayer(JSCSSMixin, Layer):
    """Claim points as canvas circle markers, clustered (Leaflet.markercluster) until `uncluster_zoom`.

    Each feature carries pre-escaped `popup` and `tooltip` HTML plus `side`/`claim` for styling and an
    optional `n` (claims it stands for, for the cluster counts). Popups fit the map's width. The number of
    features is published as window.mihwar[kind] and as a data-<kind>-count attribute on the map container;
    the layer itself as window.mihwar.layers[kind].
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var styles = {{ this.styles|tojson }};
            var colors = styles.colors;
            function popupOptions() {
                var size = map.getSize();
                return {maxWidth: Math.max(180, Math.min(360, size.x - 70)),
                        maxHeight: Math.max(160, size.y - 110), autoPanPadding: [12, 12]};
            }
            var group = {{ this.cluster|tojson }} ? L.markerClusterGroup({
                chunkedLoading: true, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
                removeOutsideVisibleBounds: false, maxClusterRadius: 44,
                disableClusteringAtZoom: {{ this.uncluster_zoom|tojson }},
                iconCreateFunction: function (cluster) {
                    var bySide = {}, total = 0;
                    cluster.getAllChildMarkers().forEach(function (m) {
                        var n = m.options.n || 1;
                        bySide[m.options.side] = (bySide[m.options.side] || 0) + n;
                        total += n;
                    });
                    var top = Object.keys(bySide).sort(function (a, b) { return bySide[b] - bySide[a]; })[0];
                    var size = Math.round(26 + 7 * Math.log10(total));
                    var ring = Object.keys(bySide).length > 1 ? "#fff" : colors[top];
                    var label = total >= 10000 ? Math.round(total / 1000) + "k" : String(total);
                    return L.divIcon({
                        className: "mihwar-cluster", iconSize: [size, size],
                        html: '<div style="width:' + size + 'px;height:' + size + 'px;line-height:' + size +
                              'px;background:' + (colors[top] || colors.none) + ';border:3px solid ' + ring +
                              ';outline:1px solid ' + (colors[top] || colors.none) + '">' + label + '</div>'
                    });
                }
            }) : L.featureGroup();
            var words = {{ this.words|tojson }};
            function counts(pairs) {
                return pairs.map(function (kv) { return kv[0] + ": " + kv[1]; }).join(", ");
            }
            // Every string in p was escaped by dashboard.escape.esc on the server; here only fixed markup is added.
            function placePopup(p) {
                return '<div class="mihwar-popup"><b>' + p.name + '</b> · <span dir="auto" lang="ar">' + p.name_ar +
                    '</span><br>' + p.n + ' ' + words.claims + ' — ' + counts(p.sides) + '<br>' + counts(p.types) +
                    '<br>' + words.latest + ':<ul style="padding-left:16px;margin:2px 0"><li>' +
                    p.latest.join('</li><li>') + '</li></ul></div>';
            }
            var markers = [];
            L.geoJson({{ this.data_json }}, {
                pointToLayer: function (feature, latlng) {
                    var p = feature.properties;
                    var c = styles.claims[p.claim] || styles.fallback;
                    var colour = colors[p.side] || colors.none;
                    return L.circleMarker(latlng, {
                        radius: p.radius || c.radius, weight: c.weight, dashArray: c.dashArray,
                        color: colour, fillColor: colour, fillOpacity: c.fillOpacity, opacity: 0.95,
                        side: p.side, n: p.n || 1
                    });
                },
                onEachFeature: function (feature, layer) {
                    var p = feature.properties;
                    if (p.popup === undefined) {  // a place aggregate: markup around server-escaped pieces
                        layer.bindPopup(function () { return placePopup(p); }, popupOptions());
                        layer.bindTooltip(p.name + " · " + p.n + " " + words.claims, {sticky: true});
                    } else {
                        layer.bindPopup(p.popup, popupOptions());
                        layer.bindTooltip(p.tooltip, {sticky: true});
                    }
                    markers.push(layer);
                }
            });
            if (group.addLayers) { group.addLayers(markers); } else { markers.forEach(function (m) { group.addLayer(m); }); }
            var n = markers.length;
            window.mihwar = window.mihwar || {};
            window.mihwar.layers = window.mihwar.layers || {};
            window.mihwar[{{ this.kind|tojson }}] = n;
            window.mihwar.layers[{{ this.kind|tojson }}] = group;
            try {
                map.getContainer().setAttribute({{ ("data-" ~ this.kind ~ "-count")|tojson }}, String(n));
            } catch (e) {}
            return group;
        })();
        {% endmacro %}
    """)

    default_js: ClassVar[list[tuple[str, str]]] = [("markercluster", "vendored:leaflet.markercluster.js")]
    default_css: ClassVar[list[tuple[str, str]]] = [("markercluster_css", "vendored:MarkerCluster.css")]

    def __init__(self, data: dict, kind: str, name: str, styles: dict, show: bool = True,
                 cluster: bool = True, uncluster_zoom: int = UNCLUSTER_ZOOM, data_json: str | None = None) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointsLayer"
        self.data = data
        self.data_json = data_json if data_json is not None else js_json(data)
        self.kind = kind
        self.styles = styles
        self.cluster = cluster
        self.uncluster_zoom = uncluster_zoom
        self.words = {"claims": "claims", "latest": "Latest"}


class AreasLayer(Layer):
    """Control areas: polygons in the holder's colour on an SVG renderer in a pane under the claims.

    Contested areas get a dashed outline and a hatch pattern. Not interactive, so a click on the map
    reaches the claim points above. The number of areas is published as window.mihwar.areas.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var colors = {{ this.colors|tojson }};
            if (!map.getPane("mihwarAreas")) { map.createPane("mihwarAreas").style.zIndex = 350; }
            var renderer = L.svg({pane: "mihwarAreas"});
            var layer = L.featureGroup();
            {{ this.packed_json }}.forEach(function (a) {  // [side, contested, polygons of delta-coded rings]
                var side = a[0], contested = a[1], c = colors[side] || colors.none;
                var latlngs = a[2].map(function (polygon) {
                    return polygon.map(function (flat) {
                        var ring = [], lat = 0, lon = 0;
                        for (var i = 0; i < flat.length; i += 2) {
                            lat += flat[i]; lon += flat[i + 1];
                            ring.push([lat / {{ this.scale }}, lon / {{ this.scale }}]);
                        }
                        return ring;
                    });
                });
                var poly = L.polygon(latlngs, {
                    pane: "mihwarAreas", renderer: renderer, interactive: false,
                    color: c, weight: contested ? 2 : 1, dashArray: contested ? "6 4" : null, opacity: 0.8,
                    fillColor: c, fillOpacity: contested ? 0.28 : 0.22
                });
                poly.feature = {properties: {side: side, contested: contested}};
                layer.addLayer(poly);
            });
            layer.on("add", function () {
                var svg = renderer._container;
                if (!svg) { return; }
                var ns = "http://www.w3.org/2000/svg";
                var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
                Object.keys(colors).forEach(function (side) {
                    var id = "mihwar-hatch-" + side;
                    if (svg.querySelector("#" + id)) { return; }
                    var pat = document.createElementNS(ns, "pattern");
                    pat.setAttribute("id", id); pat.setAttribute("patternUnits", "userSpaceOnUse");
                    pat.setAttribute("width", "8"); pat.setAttribute("height", "8");
                    pat.setAttribute("patternTransform", "rotate(45)");
                    var bg = document.createElementNS(ns, "rect");
                    bg.setAttribute("width", "8"); bg.setAttribute("height", "8");
                    bg.setAttribute("fill", colors[side]); bg.setAttribute("fill-opacity", "0.12");
                    var line = document.createElementNS(ns, "rect");
                    line.setAttribute("width", "3"); line.setAttribute("height", "8");
                    line.setAttribute("fill", colors[side]); line.setAttribute("fill-opacity", "0.55");
                    pat.appendChild(bg); pat.appendChild(line); defs.appendChild(pat);
                });
                layer.eachLayer(function (l) {
                    if (l.feature.properties.contested && l._path) {
                        l._path.setAttribute("fill", "url(#mihwar-hatch-" + l.feature.properties.side + ")");
                        l._path.setAttribute("fill-opacity", "1");
                        l._path.classList.add("mihwar-contested");
                    }
                });
            });
            window.mihwar = window.mihwar || {};
            window.mihwar.areas = layer.getLayers().length;
            return layer;
        })();
        {% endmacro %}
    """)

    def __init__(self, data: dict, name: str, show: bool = True, packed_json: str | None = None) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "AreasLayer"
        self.data = data
        self.scale = AREA_SCALE
        self.packed_json = packed_json if packed_json is not None else js_json(pack_areas(data, self.scale))
        self.colors = SIDE_COLORS


class HeatLayer(JSCSSMixin, Layer):
    """A density layer (vendored Leaflet.heat) of claims per place, off by default."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (!L.Map.prototype._getCenterOffset) {  // Leaflet.heat 0.2 was written for Leaflet 0.7
            L.Map.include({_getCenterOffset: function (latlng) {
                return this.latLngToLayerPoint(latlng).subtract(this.latLngToLayerPoint(this.getCenter()));
            }});
        }
        var {{ this.get_name() }} = L.heatLayer({{ this.points_json }},
            {radius: 22, blur: 18, maxZoom: 12, max: {{ this.max|tojson }}});
        {% endmacro %}
    """)

    default_js: ClassVar[list[tuple[str, str]]] = [("leaflet_heat", "vendored:leaflet-heat.js")]

    def __init__(self, points: list[list[float]], name: str, show: bool = False, points_json: str | None = None) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "HeatLayer"
        self.points = points
        self.points_json = points_json if points_json is not None else js_json(points)
        self.max = max((p[2] for p in points), default=1.0)


class LabelsLayer(Layer):
    """Place names as text labels in a pane above the areas and below popups; each shows from its zoom.

    Labels are [lat, lon, name, name_ar, min_zoom]; the text is set with textContent (never parsed as HTML).
    The number of labels on the map is published as window.mihwar.labels.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var rows = {{ this.labels_json }};
            var arabic = {{ this.arabic|tojson }};
            if (!map.getPane("mihwarLabels")) {
                var pane = map.createPane("mihwarLabels");
                pane.style.zIndex = 620; pane.style.pointerEvents = "none";  // above points, under tooltips and popups
            }
            var group = L.layerGroup();
            var made = rows.map(function (r) {
                var icon = L.divIcon({className: "mihwar-label z" + r[4], html: "", iconSize: null});
                var m = L.marker([r[0], r[1]], {icon: icon, pane: "mihwarLabels", interactive: false, keyboard: false});
                m.on("add", function () {
                    var el = m.getElement();
                    if (el) { el.textContent = (arabic && r[3]) ? r[3] : r[2]; el.dir = "auto"; }
                });
                return {marker: m, zoom: r[4], chars: ((arabic && r[3]) ? r[3] : r[2]).length};
            });
            function update() {
                if (!map.hasLayer(group)) { return; }
                var z = map.getZoom(), shown = 0, taken = [], size = map.getSize();
                made.forEach(function (x) {
                    var show = z >= x.zoom;
                    if (show) {  // greedy placement: skip a label that would overlap a more prominent one
                        var p = map.latLngToContainerPoint(x.marker.getLatLng());
                        var w = 3.3 * x.chars + 8, h = 9;
                        var cx = p.x + 17 + w;  // the text starts 17 px right of the place
                        if (cx < -w || p.y < -20 || cx > size.x + w || p.y > size.y + 20) { show = false; }
                        for (var i = 0; show && i < taken.length; i++) {
                            var t = taken[i];
                            if (Math.abs(t.x - cx) < t.w + w && Math.abs(t.y - p.y) < 2 * h) { show = false; }
                        }
                        if (show) { taken.push({x: cx, y: p.y, w: w}); }
                    }
                    if (show) { if (!group.hasLayer(x.marker)) { group.addLayer(x.marker); } shown++; }
                    else if (group.hasLayer(x.marker)) { group.removeLayer(x.marker); }
                });
                window.mihwar = window.mihwar || {};
                window.mihwar.labels = shown;
            }
            map.on("zoomend moveend", update);
            group.on("add", function () { setTimeout(update, 0); });
            return group;
        })();
        {% endmacro %}
    """)

    def __init__(self, labels: list[list], name: str, arabic: bool = False, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LabelsLayer"
        self.labels = labels
        self.labels_json = js_json(labels)
        self.arabic = arabic


class OnlineTiles(Layer):
    """OpenStreetMap tiles, credited only once a tile has loaded; removed with a notice when none loads."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var layer = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                    {maxZoom: 19, attribution: ""});
            var loaded = 0, failed = 0, credited = false;
            layer.on("tileload", function () {
                loaded++;
                if (!credited && map.attributionControl) {
                    map.attributionControl.addAttribution({{ this.credit|tojson }});
                    credited = true;
                }
            });
            layer.on("tileerror", function () {
                failed++;
                if (loaded === 0 && failed >= 4 && map.hasLayer(layer)) {
                    map.removeLayer(layer);
                    var box = L.DomUtil.create("div", "mihwar-notice", map.getContainer());
                    box.textContent = {{ this.notice|tojson }};
                    box.setAttribute("role", "status");
                    window.mihwar = window.mihwar || {};
                    window.mihwar.tilesFailed = true;
                    setTimeout(function () { if (box.parentNode) { box.parentNode.removeChild(box); } }, 12000);
                }
            });
            return layer;
        })();
        {% endmacro %}
    """)

    def __init__(self, name: str, notice: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "OnlineTiles"
        self.notice = notice
        self.credit = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


class Legend(MacroElement):
    """A collapsible legend control (trusted markup only), open unless the map is phone-narrow."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("details", "mihwar-legend");
                div.innerHTML = {{ this.html|tojson }};
                if (map.getSize().x >= {{ this.open_from|tojson }}) { div.setAttribute("open", ""); }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str, open_from: int = 600) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.open_from = open_from


class MapStyle(MacroElement):
    """CSS for labels, clusters, legend and notices, and the page direction (trusted markup only)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .mihwar-label { white-space: nowrap; font: 600 11px/1.1 sans-serif; color: #222;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; transform: translate(17px, -50%); }
        .mihwar-label::before { content: ""; position: absolute; left: -19px; top: 50%; width: 4px; height: 4px;
            margin-top: -2px; border-radius: 50%; background: #333; }
        .mihwar-label.z5, .mihwar-label.z7 { font-size: 13px; font-weight: 700; }
        .mihwar-cluster div { border-radius: 50%; color: #fff; font: 700 12px sans-serif; text-align: center;
            opacity: .88; box-sizing: border-box; }
        .mihwar-legend { background: #fff; padding: 4px 8px; font: 12px sans-serif;
            border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); line-height: 1.3; max-width: 210px;
            max-height: 60vh; overflow-y: auto; }
        .mihwar-legend summary { cursor: pointer; font-weight: 700; }
        .mihwar-notice { position: absolute; z-index: 1000; top: 10px; left: 50%; transform: translateX(-50%);
            background: #fff8e1; border: 1px solid #e0b000; padding: 4px 10px; font: 12px sans-serif;
            border-radius: 4px; max-width: 80%; }
        .leaflet-control-layers-list { max-height: 50vh; overflow-y: auto; }
        .leaflet-control-scale, .leaflet-control-attribution { direction: ltr; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.getContainer().dir = {{ this.direction|tojson }};
            map.setMaxZoom(18);  // no tile layer sets it, and clustering needs it
            map.setMinZoom(4);
        })();
        {% endmacro %}
    """)

    def __init__(self, direction: str = "ltr") -> None:
        super().__init__()
        self._name = "MapStyle"
        self.direction = direction


class FitView(MacroElement):
    """Fit the claims' bounds, padded so that no point sits under the legend or the layer list.

    The layer list starts collapsed on a phone-narrow map and open on a wider one.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var ctl = {{ this.control.get_name() }};
            var wide = map.getSize().x >= {{ this.open_from|tojson }};
            if (wide && ctl._container) {
                ctl.expand();
                L.DomEvent.off(ctl._container, {mouseleave: ctl.collapse}, ctl);
            }
            var bounds = {{ this.bounds|tojson }};
            if (bounds) {
                var legend = map.getContainer().querySelector(".mihwar-legend");
                var lw = legend ? legend.offsetWidth : 0, lh = legend ? legend.offsetHeight : 0;
                var cw = wide && ctl._container ? ctl._container.offsetWidth : 40;
                map.fitBounds(bounds, {paddingTopLeft: [Math.min(lw, map.getSize().x / 3) + 10, 10],
                                       paddingBottomRight: [Math.min(cw, map.getSize().x / 3) + 10, Math.min(lh, 200) / 2 + 10],
                                       maxZoom: {{ this.max_zoom|tojson }}, animate: false});
            }
        })();
        {% endmacro %}
    """)

    def __init__(self, control: folium.LayerControl, bounds: list[list[float]] | None, max_zoom: int = 11,
                 open_from: int = 600) -> None:
        super().__init__()
        self._name = "FitView"
        self.control = control
        self.bounds = bounds
        self.max_zoom = max_zoom
        self.open_from = open_from


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
    """One point feature per place summarising its claims: n (claims), sides/types ([name, count], most
    first), latest (tooltips of the latest few claims); every text escaped. The map builds the popup."""
    df = claims[pd.to_numeric(claims["lat"], errors="coerce").notna()]
    if df.empty:
        return []
    side_counts: dict[str, dict[str, int]] = {}
    for (place_id, side), n in df.groupby(["place_id", df["side"].map(side_label)], sort=False).size().items():
        side_counts.setdefault(place_id, {})[side] = int(n)
    type_counts: dict[str, dict[str, int]] = {}
    for (place_id, claim), n in df.groupby(["place_id", "claim"], sort=False).size().items():
        type_counts.setdefault(place_id, {})[claim] = int(n)
    firsts = df.drop_duplicates("place_id").set_index("place_id").sort_index()[["place", "place_ar", "lat", "lon"]]
    latest = df.sort_values("date", ascending=False, na_position="last").groupby("place_id").head(recent)
    items: dict[str, list[str]] = {}
    cols = ["place_id", "place", "side", "claim", "date", "date_precision"]
    for r in latest[cols].to_dict("records"):
        items.setdefault(r["place_id"], []).append(
            f'{esc(side_label(r["side"]))} {esc(r["claim"])} · {esc(_date_text(r["date"], r["date_precision"]))}')

    def ranked(counts: dict) -> list[tuple[str, int]]:
        return sorted(((k, int(v)) for k, v in counts.items() if v > 0), key=lambda kv: -kv[1])

    features = []
    for place_id, first in zip(firsts.index, firsts.to_dict("records"), strict=True):
        by_side = ranked(side_counts[place_id])
        by_type = ranked(type_counts[place_id])
        total = sum(c for _s, c in by_side)
        top = by_side[0][0] if len(by_side) == 1 or by_side[0][1] > by_side[1][1] else "none"
        features.append(_feature(float(first["lat"]), float(first["lon"]), {
            "id": str(place_id), "side": top, "claim": by_type[0][0],
            "radius": round(min(6 + 2 * math.log2(total), 20), 1), "n": total,
            "name": esc(first["place"]), "name_ar": esc(first["place_ar"]),
            "sides": [[esc(k), c] for k, c in by_side], "types": [[esc(k), c] for k, c in by_type],
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


def _base_map(lang: str) -> folium.Map:
    m = folium.Map(location=list(TRIPOLI), zoom_start=10, tiles=None, prefer_canvas=True, control_scale=True)
    MapStyle(direction(lang)).add_to(m)
    # Outline and regions are not interactive: on the shared canvas they would take the clicks meant for claims.
    folium.GeoJson(load_boundary("libya_outline"), name="Libya outline", control=False, interactive=False,
                   style_function=lambda _: {"color": "#444", "weight": 2, "fillColor": "#f4efe3",
                                             "fillOpacity": 0.35}).add_to(m)
    folium.GeoJson(load_boundary("libya_admin1"), name=text("map_regions", lang), interactive=False,
                   style_function=lambda _: {"color": "#999", "weight": 1, "fill": False}).add_to(m)
    return m


def map_layers(claims: pd.DataFrame, control: pd.DataFrame | None = None, *,
               max_points: int = DEFAULT_MAX_POINTS, show_control: bool = True, lang: str = "en",
               radius_km: float = DEFAULT_RADIUS_KM, areas: dict | None = None) -> MapLayers:
    """The layer data of the dashboard map for the (already filtered) claims and a control_as_of() frame.

    Above `max_points` claims the points are aggregated per place (and say so); the control frame becomes
    areas (dashboard.areas.control_areas), unless the areas are given already made (`areas`).
    """
    aggregated = len(claims) > max_points
    if aggregated:
        features = aggregate_features(claims)
        message = text("msg_aggregated", lang, total=len(claims), limit=max_points, places=len(features))
    else:
        features = claims_features(claims)
        message = text("msg_points", lang, n=len(features))
    control_fc = areas if areas is not None else control_areas(control, radius_km) if control is not None else None
    front = tuple(sorted(str(p) for p in claims["place_id"].dropna().unique())) if len(claims) else ()
    return MapLayers(claims={"type": "FeatureCollection", "features": features}, control=control_fc,
                     bounds=_bounds(claims), aggregated=aggregated, message=message, show_control=show_control,
                     heat=tuple(heat_points(claims)), front_places=front)


def render_map(layers: MapLayers, *, tiles: bool = False, lang: str = "en", heat: bool = False,
               radius_km: float = DEFAULT_RADIUS_KM) -> folium.Map:
    """A new folium map drawing these layers (build one per page run; never render a map twice).

    Layers, bottom to top: outline and regions, control areas (own pane), claims (clustered canvas points),
    density, place labels (own pane); a collapsible legend and layer list; online tiles only if asked for.
    """
    m = _base_map(lang)
    if tiles:
        OnlineTiles(text("map_tiles", lang), text("map_tiles_failed", lang)).add_to(m)
    if layers.control is not None:
        AreasLayer(layers.control, name=text("map_areas", lang), show=layers.show_control,
                   packed_json=layers.areas_json).add_to(m)
    PointsLayer(layers.claims, kind="claims",
                name=text("map_claims_aggregated" if layers.aggregated else "map_claims", lang),
                styles=_styles(), data_json=layers.claims_json).add_to(m)
    HeatLayer([list(p) for p in layers.heat], name=text("map_heat", lang), show=heat,
              points_json=layers.heat_json).add_to(m)
    LabelsLayer(place_labels(layers.front_places), name=text("map_labels", lang), arabic=lang == "ar").add_to(m)
    Legend(legend_html(text("legend_aggregated", lang) if layers.aggregated else "", lang, radius_km,
                       areas=layers.control is not None), open_from=OPEN_FROM_PX).add_to(m)
    control = folium.LayerControl(collapsed=True)
    control.add_to(m)
    FitView(control, layers.bounds, open_from=OPEN_FROM_PX).add_to(m)
    localize(m)
    return m


def build_map(claims: pd.DataFrame, control: pd.DataFrame | None = None, *,
              max_points: int = DEFAULT_MAX_POINTS, tiles: bool = False, show_control: bool = True,
              lang: str = "en") -> MapBuild:
    """A new dashboard map for the (already filtered) claims and an optional control_as_of() frame."""
    layers = map_layers(claims, control, max_points=max_points, show_control=show_control, lang=lang)
    return MapBuild(map=render_map(layers, tiles=tiles, lang=lang), layers=layers)

"""The Leaflet elements of the dashboard map (folium templates), split in two parts.

The *frame* — outline, regions, the (empty) claims, areas, density and label layers, legend, layer list —
depends only on the language and the tiles setting, so its script is the same on every run and the
browser keeps the map mounted. The *data* — one `MapData` element holding the filtered layer data as one
compact JSON value — is sent on its own (streamlit-folium's `feature_group_to_add`); its script calls
`window.mihwar.draw(data, options)`, which refills every layer in place, keeping the map, its view and
the layer list. Every element publishes what it drew on `window.mihwar` (counts read by the tests).
"""
from __future__ import annotations

import json
from typing import Any, ClassVar

import folium
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import ElementAddToElement, JSCSSMixin
from folium.map import Layer
from folium.template import Template

UNCLUSTER_ZOOM = 13  # from this zoom every point is drawn on its own (spread apart at one place)


def js_json(value: Any) -> str:
    """JSON for a <script>: compact, UTF-8 (not \\u-escaped), with <, >, & and ' escaped as in Jinja's tojson,
    so no text can close the script or open markup."""
    text_ = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text_.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027"))


def data_json(value: Any) -> str:
    """js_json with every underscore escaped too (JSON has underscores only inside strings): streamlit-folium
    renames `_<letters/digits>` runs that look like folium variable ids anywhere in a layer's script, and
    must not touch the data."""
    return js_json(value).replace("_", "\\u005f")


_REGISTRY = """window.mihwar = window.mihwar || {};
            window.mihwar.layers = window.mihwar.layers || {};
            window.mihwar.drawers = window.mihwar.drawers || [];"""


class _Verbatim(Element):
    """Text that renders as itself."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text."""
        return self.text


class VerbatimRender:
    """Render an element's header and script into the page as they are: branca's MacroElement compiles
    each rendered script once more as a Jinja template, which for large data takes longer than making it
    (and streamlit-folium renders every map twice on every run)."""

    def render(self, **kwargs: Any) -> None:
        """Add this element's header and script to the page, then render its children."""
        if isinstance(self, Layer) and self.show:  # as folium's Layer.render: shown layers add themselves
            self.add_child(ElementAddToElement(element_name=self.get_name(),
                                               element_parent_name=self._parent.get_name()),
                           name=self.get_name() + "_add")
        if isinstance(self, JSCSSMixin):  # as JSCSSMixin.render: the element's scripts and styles
            figure = self.get_root()
            for name, url in self.default_js:
                figure.header.add_child(JavascriptLink(url), name=name)
            for name, url in self.default_css:
                figure.header.add_child(CssLink(url), name=name)
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part in ("header", "script"):
            if part in macros:
                getattr(figure, part).add_child(_Verbatim(macros[part](self, kwargs)), name=self.get_name())
        for child in list(self._children.values()):
            child.render(**kwargs)


class BoundaryLayer(VerbatimRender, Layer):
    """A boundary GeoJSON drawn as thin non-interactive lines (and an optional light fill); its JSON text
    is made once (`data_json`). Not interactive: on the shared canvas it would take the clicks meant for
    the claims."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data_json }},
            {interactive: false, style: function () { return {{ this.style|tojson }}; }});
        {% endmacro %}
    """)

    def __init__(self, data_json: str, name: str, style: dict[str, Any], control: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=control, show=True)
        self._name = "BoundaryLayer"
        self.data_json = data_json
        self.style = style


class PointsLayer(VerbatimRender, JSCSSMixin, Layer):
    """Claim points as canvas circle markers, clustered (Leaflet.markercluster) until `uncluster_zoom`.

    Drawn from data[kind], a table of points (dashboard.mapview.pack_points): each carries pre-escaped
    `popup` and `tooltip` HTML plus `side`/`claim` for styling, or (a place aggregate) an `n` and escaped
    pieces of its popup. Popups fit the map's width. The number of features drawn is published as window.mihwar[kind]
    and as a data-<kind>-count attribute on the map container; the layer as window.mihwar.layers[kind].
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var kind = {{ this.kind|tojson }};
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
            function draw(data) {  // {fields, rows: [lat, lon, ...fields]} (dashboard.mapview.pack_points)
                var fields = data ? data.fields : [], rows = data ? data.rows : [];
                var markers = rows.map(function (r) {
                    var p = {};
                    for (var i = 0; i < fields.length; i++) { if (r[i + 2] !== null) { p[fields[i]] = r[i + 2]; } }
                    var c = styles.claims[p.claim] || styles.fallback;
                    var colour = colors[p.side] || colors.none;
                    var layer = L.circleMarker([r[0], r[1]], {
                        radius: p.radius || c.radius, weight: c.weight, dashArray: c.dashArray,
                        color: colour, fillColor: colour, fillOpacity: c.fillOpacity, opacity: 0.95,
                        side: p.side, n: p.n || 1
                    });
                    layer.feature = {type: "Feature", properties: p};
                    if (p.popup === undefined) {  // a place aggregate: markup around server-escaped pieces
                        layer.bindPopup(function () { return placePopup(p); }, popupOptions());
                        layer.bindTooltip(p.name + " · " + p.n + " " + words.claims, {sticky: true});
                    } else {
                        layer.bindPopup(p.popup, popupOptions());
                        layer.bindTooltip(p.tooltip, {sticky: true});
                    }
                    return layer;
                });
                group.clearLayers();
                if (group.addLayers) { group.addLayers(markers); } else { markers.forEach(function (m) { group.addLayer(m); }); }
                window.mihwar[kind] = markers.length;
                try { map.getContainer().setAttribute("data-" + kind + "-count", String(markers.length)); } catch (e) {}
            }
            {{ this.registry }}
            window.mihwar.layers[kind] = group;
            window.mihwar.drawers.push(function (data) { draw(data[kind]); });
            return group;
        })();
        {% endmacro %}
    """)

    default_js: ClassVar[list[tuple[str, str]]] = [("markercluster", "vendored:leaflet.markercluster.js")]
    default_css: ClassVar[list[tuple[str, str]]] = [("markercluster_css", "vendored:MarkerCluster.css")]

    def __init__(self, kind: str, name: str, styles: dict, words: dict[str, str], show: bool = True,
                 cluster: bool = True, uncluster_zoom: int = UNCLUSTER_ZOOM) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointsLayer"
        self.kind = kind
        self.styles = styles
        self.cluster = cluster
        self.uncluster_zoom = uncluster_zoom
        self.words = words
        self.registry = _REGISTRY


class AreasLayer(VerbatimRender, Layer):
    """Control areas: polygons in the holder's colour in a pane under the claims (held ones on a canvas,
    contested ones on SVG).

    Drawn from data.areas: [side, contested, polygons of delta-coded rings] per area (dashboard.areas.
    pack_areas), or null for no control layer (then it leaves the map, and comes back with the next areas
    unless the user switched it off). Contested areas get a dashed outline and a hatch pattern. Not
    interactive, so a click on the map reaches the claim points above. The number of areas drawn is
    published as window.mihwar.areas.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var colors = {{ this.colors|tojson }};
            var scale = {{ this.scale|tojson }};
            if (!map.getPane("mihwarAreas")) { map.createPane("mihwarAreas").style.zIndex = 350; }
            var renderer = L.svg({pane: "mihwarAreas"});  // contested areas: SVG, for the hatch pattern
            var plain = L.canvas({pane: "mihwarAreas"});  // held areas (most of them): one canvas, fast to draw
            var layer = L.featureGroup();
            var had = true;
            function hatch() {
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
            }
            function polygon(a) {  // [side, contested, polygons of delta-coded rings]
                var side = a[0], contested = a[1], c = colors[side] || colors.none;
                var latlngs = a[2].map(function (poly) {
                    return poly.map(function (flat) {
                        var ring = [], lat = 0, lon = 0;
                        for (var i = 0; i < flat.length; i += 2) {
                            lat += flat[i]; lon += flat[i + 1];
                            ring.push([lat / scale, lon / scale]);
                        }
                        return ring;
                    });
                });
                var poly = L.polygon(latlngs, {
                    pane: "mihwarAreas", renderer: contested ? renderer : plain, interactive: false,
                    color: c, weight: contested ? 2 : 1, dashArray: contested ? "6 4" : null, opacity: 0.8,
                    fillColor: c, fillOpacity: contested ? 0.28 : 0.22
                });
                poly.feature = {properties: {side: side, contested: contested}};
                return poly;
            }
            function draw(areas) {
                layer.clearLayers();
                (areas || []).forEach(function (a) { layer.addLayer(polygon(a)); });
                if (!areas && had) { map.removeLayer(layer); }
                if (areas && !had) { map.addLayer(layer); }
                had = !!areas;
                if (map.hasLayer(layer)) { hatch(); }
                window.mihwar.areas = areas ? areas.length : 0;
            }
            layer.on("add", hatch);
            {{ this.registry }}
            window.mihwar.layers.areas = layer;
            window.mihwar.drawers.push(function (data) { draw(data.areas); });
            return layer;
        })();
        {% endmacro %}
    """)

    def __init__(self, name: str, colors: dict[str, str], scale: int, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "AreasLayer"
        self.scale = scale
        self.colors = colors
        self.registry = _REGISTRY


class HeatLayer(VerbatimRender, JSCSSMixin, Layer):
    """A density layer (vendored Leaflet.heat) drawn from data.heat ([lat, lon, claims] per place); shown
    when the options say so (options.heat, applied when it changes, so the layer list can still toggle it)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (!L.Map.prototype._getCenterOffset) {  // Leaflet.heat 0.2 was written for Leaflet 0.7
            L.Map.include({_getCenterOffset: function (latlng) {
                return this.latLngToLayerPoint(latlng).subtract(this.latLngToLayerPoint(this.getCenter()));
            }});
        }
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var layer = L.heatLayer([], {radius: 22, blur: 18, maxZoom: 12, max: 1});
            var shown = null;
            {{ this.registry }}
            window.mihwar.layers.heat = layer;
            window.mihwar.drawers.push(function (data, options) {
                var points = data.heat || [];
                layer.options.max = points.reduce(function (m, p) { return Math.max(m, p[2]); }, 1);
                layer.setLatLngs(points);
                var want = !!(options && options.heat);
                if (want !== shown) {
                    if (want) { map.addLayer(layer); } else { map.removeLayer(layer); }
                    shown = want;
                }
            });
            return layer;
        })();
        {% endmacro %}
    """)

    default_js: ClassVar[list[tuple[str, str]]] = [("leaflet_heat", "vendored:leaflet-heat.js")]

    def __init__(self, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=False)
        self._name = "HeatLayer"
        self.registry = _REGISTRY


class LabelsLayer(VerbatimRender, Layer):
    """Place names as text labels in a pane above the areas and below popups; each shows from its zoom.

    Drawn from data.labels: [lat, lon, name, name_ar, min_zoom] rows, most prominent first; the text is set
    with textContent (never parsed as HTML). The number of labels on the map is published as
    window.mihwar.labels.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var arabic = {{ this.arabic|tojson }};
            if (!map.getPane("mihwarLabels")) {
                var pane = map.createPane("mihwarLabels");
                pane.style.zIndex = 620; pane.style.pointerEvents = "none";  // above points, under tooltips and popups
            }
            var group = L.layerGroup();
            var made = [];
            function label(r) {
                var icon = L.divIcon({className: "mihwar-label z" + r[4], html: "", iconSize: null});
                var m = L.marker([r[0], r[1]], {icon: icon, pane: "mihwarLabels", interactive: false, keyboard: false});
                var name = (arabic && r[3]) ? r[3] : r[2];
                m.on("add", function () {
                    var el = m.getElement();
                    if (el) { el.textContent = name; el.dir = "auto"; }
                });
                return {marker: m, zoom: r[4], chars: name.length};
            }
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
                window.mihwar.labels = shown;
            }
            map.on("zoomend moveend", update);
            group.on("add", function () { setTimeout(update, 0); });
            {{ this.registry }}
            window.mihwar.layers.labels = group;
            window.mihwar.drawers.push(function (data) {
                group.clearLayers();
                made = (data.labels || []).map(label);
                update();
            });
            return group;
        })();
        {% endmacro %}
    """)

    def __init__(self, name: str, arabic: bool = False, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "LabelsLayer"
        self.arabic = arabic
        self.registry = _REGISTRY


class OnlineTiles(VerbatimRender, Layer):
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
                    setTimeout(function () { box.hidden = true; }, 12000);  // kept in the page: the map says why it has no tiles
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


class Legend(VerbatimRender, MacroElement):
    """A collapsible legend control, open unless the map is phone-narrow; its content (trusted markup made
    by dashboard.mapview.legend_html) comes with the data as data.legend."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: "bottomleft"});
            var div = null, html = null;
            legend.onAdd = function () {
                div = L.DomUtil.create("details", "mihwar-legend");
                if (map.getSize().x >= {{ this.open_from|tojson }}) { div.setAttribute("open", ""); }
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
            {{ this.registry }}
            window.mihwar.drawers.push(function (data) {
                if (div && data.legend !== html) { div.innerHTML = data.legend; html = data.legend; }
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, open_from: int = 600) -> None:
        super().__init__()
        self._name = "Legend"
        self.open_from = open_from
        self.registry = _REGISTRY


class MapStyle(VerbatimRender, MacroElement):
    """CSS for labels, clusters, legend and notices, and the page direction (trusted markup only)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>
        .mihwar-label { white-space: nowrap; font: 600 11px/1.1 sans-serif; color: #222;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; transform: translate(17px, -50%); }
        .mihwar-label::before { content: ""; position: absolute; left: -19px; top: 50%; width: 4px; height: 4px;
            margin-top: -2px; border-radius: 50%; background: #333; }
        .mihwar-label.z5, .mihwar-label.z7 { font-size: 13px; font-weight: 700; }
        .leaflet-marker-pane { z-index: 640; }
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


class MapFrame(VerbatimRender, MacroElement):
    """The drawing entry point and the view: window.mihwar.draw(data, options) hands the data to every
    layer's drawer, renames the claims layer in the layer list (aggregated or not), and fits the view to
    data.bounds when they changed (the first time, or after a filter), padded so that no point sits under
    the legend or the layer list. The layer list starts collapsed on a phone-narrow map, open on a wider
    one. Add it after the LayerControl.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var ctl = {{ this.control.get_name() }};
            var claimsNames = {{ this.claims_names|tojson }};
            var wide = map.getSize().x >= {{ this.open_from|tojson }};
            if (wide && ctl._container) {
                ctl.expand();
                L.DomEvent.off(ctl._container, {mouseleave: ctl.collapse}, ctl);
            }
            var fitted = null, named = null;
            function fit(bounds) {
                var legend = map.getContainer().querySelector(".mihwar-legend");
                var lw = legend ? legend.offsetWidth : 0, lh = legend ? legend.offsetHeight : 0;
                var cw = wide && ctl._container ? ctl._container.offsetWidth : 40;
                map.fitBounds(bounds, {paddingTopLeft: [Math.min(lw, map.getSize().x / 3) + 10, 10],
                                       paddingBottomRight: [Math.min(cw, map.getSize().x / 3) + 10, Math.min(lh, 200) / 2 + 10],
                                       maxZoom: {{ this.max_zoom|tojson }}, animate: false});
            }
            {{ this.registry }}
            window.mihwar.draw = function (data, options) {
                var started = performance.now();
                window.mihwar.drawParts = window.mihwar.drawers.map(function (d) {
                    var t = performance.now(); d(data, options || {}); return Math.round(performance.now() - t);
                });
                var name = claimsNames[data.aggregated ? 1 : 0], claims = window.mihwar.layers.claims;
                if (claims && name !== named) {
                    ctl.removeLayer(claims);
                    ctl.addOverlay(claims, name);
                    named = name;
                }
                var key = JSON.stringify(data.bounds);
                if (data.bounds && key !== fitted) { fit(data.bounds); fitted = key; }
                window.mihwar.drawMs = Math.round(performance.now() - started);  // read by bench/
            };
        })();
        {% endmacro %}
    """)

    def __init__(self, control: folium.LayerControl, claims_names: tuple[str, str], max_zoom: int = 11,
                 open_from: int = 600) -> None:
        super().__init__()
        self._name = "MapFrame"
        self.control = control
        self.claims_names = list(claims_names)
        self.max_zoom = max_zoom
        self.open_from = open_from
        self.registry = _REGISTRY


class MapData(VerbatimRender, MacroElement):
    """The filtered layer data (a JSON text made by data_json) and drawing options; its script draws them
    on the map's frame with window.mihwar.draw."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.mihwar.draw({{ this.data_json }}, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, data_json: str, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "MapData"
        self.data_json = data_json
        self.options = options



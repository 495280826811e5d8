"""Make folium maps work offline: Leaflet JS/CSS come from files vendored under dashboard/static/.

folium references Leaflet, jQuery, Bootstrap and awesome-markers on public CDNs. The map needs only
Leaflet, so the others are dropped and Leaflet is served as data: URIs (which streamlit-folium loads in
its component iframe) or inlined as <script>/<style> in a standalone HTML page.
"""
from __future__ import annotations

import base64
import re
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import folium
from branca.element import Element

STATIC_DIR = files("dashboard") / "static"
LEAFLET_DIR = STATIC_DIR / "leaflet-1.9.4"
MARKERCLUSTER_DIR = STATIC_DIR / "leaflet.markercluster-1.5.3"
HEAT_DIR = STATIC_DIR / "leaflet.heat-0.2.0"

# Resources folium/plugins ask for that a map of circle markers and polygons does not use.
UNNEEDED = frozenset({
    "jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css",
})


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """The vendored leaflet.js source."""
    return (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """The vendored leaflet.css with its layer-control images embedded as data URIs."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def embed(match: re.Match[str]) -> str:
        path = LEAFLET_DIR / match.group(1)
        if not path.is_file():
            return "url()"
        return f"url({_data_uri('image/png', path.read_bytes())})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", embed, css)


@lru_cache(maxsize=1)
def local_resources() -> dict[str, str]:
    """Resource name (as folium names it) -> data: URI of the vendored file."""
    def js(path: Traversable) -> str:
        code = path.read_text(encoding="utf-8")
        code = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", code)  # the .map file is not vendored
        return _data_uri("text/javascript", code.encode("utf-8"))

    return {
        "leaflet": _data_uri("text/javascript", leaflet_js().encode("utf-8")),
        "leaflet_css": _data_uri("text/css", leaflet_css().encode("utf-8")),
        "markercluster": js(MARKERCLUSTER_DIR / "leaflet.markercluster.js"),
        "markercluster_css": _data_uri("text/css", (MARKERCLUSTER_DIR / "MarkerCluster.css").read_bytes()),
        "leaflet_heat": js(HEAT_DIR / "leaflet-heat.js"),
    }


def _walk(element: Element):
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def localize(m: folium.Map) -> folium.Map:
    """Point every JS/CSS resource of the map's elements at vendored copies; drop the unneeded ones.

    Raises ValueError for a resource that is neither vendored nor known to be unneeded.
    """
    local = local_resources()
    for element in _walk(m):
        for attr in ("default_js", "default_css"):
            links = getattr(element, attr, None)
            if not links:
                continue
            kept = []
            for name, url in links:
                if name in local:
                    kept.append((name, local[name]))
                elif name in UNNEEDED:
                    continue
                elif url.startswith("data:"):
                    kept.append((name, url))
                else:
                    raise ValueError(f"no offline copy of map resource {name!r} ({url})")
            setattr(element, attr, kept)  # instance attribute: never mutate folium's class lists
    return m


_DATA_SCRIPT = re.compile(r'<script src="data:text/javascript;base64,([A-Za-z0-9+/=]+)"></script>')
_DATA_LINK = re.compile(r'<link rel="stylesheet" href="data:text/css;base64,([A-Za-z0-9+/=]+)"/>')


def offline_html(m: folium.Map) -> str:
    """The map as a standalone HTML page with Leaflet inlined and no external script/stylesheet."""
    localize(m)
    html = m.get_root().render()

    def inline_js(match: re.Match[str]) -> str:
        code = base64.b64decode(match.group(1)).decode("utf-8")
        if "</script" in code.lower():
            return match.group(0)
        return f"<script>{code}</script>"

    def inline_css(match: re.Match[str]) -> str:
        css = base64.b64decode(match.group(1)).decode("utf-8")
        if "</style" in css.lower():
            return match.group(0)
        return f"<style>{css}</style>"

    html = _DATA_SCRIPT.sub(inline_js, html)
    return _DATA_LINK.sub(inline_css, html)

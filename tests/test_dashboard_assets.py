"""Offline assets: the map HTML loads nothing from a CDN, and Leaflet is vendored with its licence."""
import re

import folium
import pytest

from dashboard.assets import LEAFLET_DIR, leaflet_css, localize, offline_html
from dashboard.mapview import build_map
from dashboard.samples import seed_like_claims

EXTERNAL_TAG = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def test_rendered_map_references_no_cdn() -> None:
    html = offline_html(build_map(seed_like_claims()).map)
    assert not EXTERNAL_TAG.search(html)
    assert "L.version" in html or "Leaflet" in html  # leaflet.js is inlined
    assert ".leaflet-container" in html  # leaflet.css is inlined


def test_streamlit_folium_links_are_local() -> None:
    m = build_map(seed_like_claims()).map
    for el in _walk(m):
        for _, url in getattr(el, "default_js", []) + getattr(el, "default_css", []):
            assert url.startswith("data:")


def _walk(el):
    yield el
    for child in el._children.values():
        yield from _walk(child)


def test_localize_does_not_touch_folium_defaults() -> None:
    before = list(folium.Map.default_js)
    localize(folium.Map(tiles=None))
    assert folium.Map.default_js == before


def test_unknown_remote_resource_is_refused() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("mystery", "https://cdn.example/x.js")]
    with pytest.raises(ValueError):
        localize(m)


def test_vendored_files_and_licence() -> None:
    assert (LEAFLET_DIR / "LICENSE").read_text().startswith("BSD 2-Clause")
    assert "url(images/" not in leaflet_css()

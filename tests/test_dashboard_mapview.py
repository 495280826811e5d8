"""Map building: one feature per claim, spreading, aggregation, control layer and escaping of article text."""
import datetime as dt
import json

import pandas as pd

from dashboard.assets import offline_html
from dashboard.control import control_as_of
from dashboard.map_elements import AreasLayer, PointsLayer, js_json
from dashboard.mapview import (
    base_map,
    build_map,
    claim_popup,
    data_group,
    load_boundary,
    map_layers,
    spread_offsets,
    unpack_points,
)
from dashboard.samples import make_claim, seed_like_claims, synthetic_claims
from dashboard.schema import normalize_claims

PAYLOADS = "<img src=x onerror=alert(1)> ${alert(1)} `alert(2)` </script><script>alert(3)</script> \\"


def features(build) -> list[dict]:
    return build.layers.claims["features"]


def test_one_feature_per_claim() -> None:
    df = seed_like_claims()
    build = build_map(df)
    feats = features(build)
    assert build.layers.points == len(df) == len(feats) and not build.layers.aggregated
    assert sorted(f["properties"]["id"] for f in feats) == sorted(df["claim_id"])
    by_id = {f["properties"]["id"]: f for f in feats}
    assert by_id["c4"]["properties"]["side"] == "GNA" and by_id["c5"]["properties"]["side"] == "none"
    lon, lat = by_id["c1"]["geometry"]["coordinates"]  # GeoJSON order, near Ain Zara
    assert abs(lat - 32.8133) < 0.01 and abs(lon - 13.2697) < 0.01


def test_points_sharing_a_place_are_spread_deterministically() -> None:
    df = seed_like_claims()
    feats = features(build_map(df))
    coords = [tuple(f["geometry"]["coordinates"]) for f in feats]
    assert len(set(coords)) == len(coords)  # the airport's two claims do not sit on top of each other
    assert coords == [tuple(f["geometry"]["coordinates"])
                      for f in features(build_map(df))]
    offs = spread_offsets(50, 32.8)
    assert offs[0] == (0.0, 0.0) and len(set(offs)) == 50


def test_popup_content_and_link_rules() -> None:
    row = make_claim("x", "tripoli_airport", "GNA", "control", "2020-06-03")
    html = claim_popup(row)
    assert "Tripoli International Airport" in html and "مطار طرابلس العالمي" in html
    assert 'dir="auto"' in html and "2020-06-03 (day)" in html and "claimed by" in html.lower()
    assert '<a href="https://www.alhurra.com/' in html and 'rel="noopener' in html
    for bad in ("javascript:alert(1)", "data:text/html,x", ""):
        assert "<a " not in claim_popup({**row, "url": bad})


def test_untrusted_text_is_escaped_everywhere() -> None:
    row = make_claim("x", "ain_zara", "LNA", "repelled", "2020-06-03", evidence=PAYLOADS, title=PAYLOADS,
                     source=PAYLOADS, place=PAYLOADS, place_ar=PAYLOADS)
    df = normalize_claims(pd.DataFrame([row]))
    build = build_map(df, control_as_of(df, dt.date(2020, 6, 4)))
    aggregated = build_map(df, control_as_of(df, dt.date(2020, 6, 4)), max_points=0)
    for build_ in (build, aggregated):
        for feat in features(build_):
            props = feat["properties"]
            texts = [props.get("popup", ""), props.get("tooltip", ""), props.get("name", ""),
                     props.get("name_ar", ""), *props.get("latest", [])]
            for text in texts:
                assert "<img" not in text and "<script" not in text and "</script" not in text
                assert "`" not in text and "${" not in text and "\\" not in text
        assert "</script><script>alert(3)" not in offline_html(build_.map)
    areas = build.layers.control
    assert areas["features"] and all(set(f["properties"]) <= {"side", "contested", "places"}
                                     for f in areas["features"])  # no article text at all
    html = offline_html(build.map)
    assert "onerror=alert(1)>" not in html and "</script><script>alert(3)" not in html
    assert "${alert(1)}" not in html and "`alert(2)`" not in html


def test_aggregates_beyond_the_limit() -> None:
    df = synthetic_claims(600, n_places=40)
    build = build_map(df, max_points=500)
    assert build.layers.aggregated and build.layers.points == df["place_id"].nunique()
    assert "600" in build.layers.message and "aggregated" in build.layers.message
    feats = features(build)
    assert sum(f["properties"]["n"] for f in feats) == 600
    assert all(sum(c for _s, c in f["properties"]["sides"]) == f["properties"]["n"] for f in feats)
    assert not build_map(df, max_points=600).layers.aggregated


def test_control_areas_under_the_claims_and_count_hook() -> None:
    df = seed_like_claims()
    build = build_map(df, control_as_of(df, dt.date(2020, 6, 4)), show_control=True)
    children = list(build.map._children.values())
    (areas,) = [c for c in children if isinstance(c, AreasLayer)]
    (claims,) = [c for c in children if isinstance(c, PointsLayer) and c.kind == "claims"]
    assert children.index(areas) < children.index(claims)  # added first, and in a lower pane
    assert build.layers.control_places == len(build.layers.data["areas"]) == 3
    html = offline_html(build.map)
    assert 'createPane("mihwarAreas").style.zIndex = 350' in html and "interactive: false" in html
    assert "window.mihwar[kind] = markers.length" in html and '"data-" + kind + "-count"' in html
    assert "preferCanvas" in html and "L.markerClusterGroup" in html


def test_offline_labels_and_tiles_off_by_default() -> None:
    build = build_map(seed_like_claims())
    assert any(r[2] == "Tripoli" for r in build.layers.labels)
    html = offline_html(build.map)
    assert "tile.openstreetmap.org" not in html  # tiles only when asked for
    online = offline_html(build_map(seed_like_claims(), tiles=True).map)
    assert "tile.openstreetmap.org" in online and 'attribution: ""' in online and "tileerror" in online


def test_arabic_map_labels_and_direction() -> None:
    html = offline_html(build_map(seed_like_claims(), lang="ar").map)
    assert 'getContainer().dir = "rtl"' in html
    assert "\\u0645\\u0641\\u062a\\u0627\\u062d" in html or "مفتاح" in html  # the legend title


def test_empty_claims_build() -> None:
    build = build_map(seed_like_claims().iloc[0:0])
    assert build.layers.points == 0 and "0 claims" in build.layers.message


def test_boundaries_are_small_and_valid() -> None:
    admin1, outline = load_boundary("libya_admin1"), load_boundary("libya_outline")
    assert len(admin1["features"]) == 22 and len(outline["features"]) == 1
    assert len(json.dumps(admin1)) < 100_000


def test_each_side_name_sits_in_one_box_with_its_own_area_colours_for_right_to_left_legends() -> None:
    import re

    from dashboard.mapview import SIDE_COLORS, legend_html
    html = legend_html(lang="ar")
    boxes = re.findall(r'<span style="display:inline-block;unicode-bidi:isolate[^"]*">(.*?)</span>', html)
    by_side = {side: [b for b in boxes if b.rstrip().endswith(side)] for side in ("GNA", "LNA")}
    for side, other in (("GNA", "LNA"), ("LNA", "GNA")):
        assert len(by_side[side]) == 1
        assert SIDE_COLORS[side] in by_side[side][0] and SIDE_COLORS[other] not in by_side[side][0]


def test_the_map_frame_is_the_same_for_any_data_so_the_browser_keeps_it() -> None:
    import streamlit_folium as sf

    def frame_key(m) -> str:
        m.get_root().render()
        return sf.generate_js_hash(sf._get_map_string(m), "map")

    assert frame_key(base_map()) == frame_key(base_map())  # no run-specific names or data in the frame
    assert frame_key(base_map(lang="ar")) != frame_key(base_map())  # a new language draws a new frame
    few, many = map_layers(seed_like_claims()), map_layers(synthetic_claims(600, n_places=40), max_points=500)
    assert few.data_json != many.data_json
    for layers_ in (few, many):
        m = base_map()
        m.get_root().render()
        script = sf._get_feature_group_string(data_group(layers_), m)
        assert layers_.data_json in script  # streamlit-folium's renaming left the data alone
        assert "window.mihwar.draw(" in script


def test_map_data_is_json_with_no_underscore_or_markup_characters() -> None:
    row = make_claim("x_1", "ain_zara", "LNA", "repelled", "2020-06-03", evidence=f"_0 _abc {PAYLOADS}")
    layers_ = map_layers(normalize_claims(pd.DataFrame([row])))
    text = layers_.data_json
    assert not set(text) & set("_<>&'")
    assert json.loads(text) == json.loads(json.dumps(layers_.data))
    (feature,) = unpack_points(json.loads(text)["claims"])
    assert "_0 _abc" in feature["properties"]["popup"]


def test_points_go_to_the_map_as_one_table_that_unpacks_to_the_same_features() -> None:
    from dashboard.mapview import pack_points
    for layers_ in (map_layers(seed_like_claims()), map_layers(synthetic_claims(600, n_places=40), max_points=500)):
        packed = layers_.data["claims"]
        assert len(packed["rows"]) == layers_.points and packed == pack_points(layers_.claims)
        assert unpack_points(packed) == layers_.claims["features"]
        assert len(js_json(packed)) < len(js_json(layers_.claims))
    aggregated = map_layers(synthetic_claims(600, n_places=40), max_points=500).data["claims"]
    assert len(js_json(aggregated)) < 0.8 * len(js_json({"type": "FeatureCollection",
                                                          "features": unpack_points(aggregated)}))

"""Tests of the gazetteer build (gazetteer/build.py) and of the committed places.jsonl."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gazetteer import build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "gazetteer_sources"
COMMITTED = ROOT / "gazetteer" / "data" / "places.jsonl"
FIELDS = {
    "id": str, "name": str, "name_ar": str, "aliases": list, "lat": float, "lon": float, "kind": str,
    "admin1": str, "population": int, "importance": float, "geo_precision": int, "ambiguous_aliases": list,
    "sources": list, "note": str,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Run the build on the fixture sources and return its records by id."""
    out = tmp_path_factory.mktemp("gaz") / "places.jsonl"
    rc = build.main([str(FIXTURES), "-o", str(out), "--curated", str(FIXTURES / "curated.tsv"),
                     "--ambiguous-words", str(ROOT / "gazetteer" / "data" / "ambiguous_words.txt")])
    assert rc == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {r["id"]: r for r in records}


def by_source(records: dict[str, dict], src: str) -> dict:
    """The one record whose sources hold src."""
    hits = [r for r in records.values() if src in r["sources"]]
    assert len(hits) == 1, (src, hits)
    return hits[0]


def test_geonames_wof_osm_copies_merge_into_one_geonames_record(built: dict[str, dict]) -> None:
    tripoli = built["gn:2210247"]
    assert tripoli["sources"] == ["gn:2210247", "osm:n1699640925"]
    assert {"Tripoli", "طرابلس", "Tarabulus", "طرابلس الغرب"} <= set(tripoli["aliases"])
    assert tripoli["lat"] == pytest.approx(32.88743)  # GeoNames point wins over OSM


def test_a_node_moved_in_the_newer_extract_joins_its_city(built: dict[str, dict]) -> None:
    """The 2019 extract puts Benghazi's node 60 km south-east of the city, the 2025 one in its centre: the
    node takes its newer point and is then one place with the GeoNames city, not a second Benghazi."""
    benghazis = [r for r in built.values() if r["name"] == "Benghazi"]
    assert [r["id"] for r in benghazis] == ["gn:88319"]
    assert "osm:n1312442225" in benghazis[0]["sources"]
    assert benghazis[0]["lat"] == pytest.approx(32.11486)


def test_gharyan_copies_merge_and_curated_row_enriches_them(built: dict[str, dict]) -> None:
    gharyan = by_source(built, "gn:2217362")
    assert gharyan["id"] == "mihwar:gharyan"
    assert set(gharyan["sources"]) == {"mihwar:gharyan", "gn:2217362", "wof:421201969", "osm:n1565510610"}
    assert {"Gharyan", "Gharian", "Ghiryan", "غريان"} <= set(gharyan["aliases"])
    assert gharyan["importance"] == 0.8 and gharyan["note"].startswith("GeoNames 2217362")
    assert gharyan["admin1"] == "Jabal al Gharbi"


def test_curated_airport_enriches_airportsdata_record(built: dict[str, dict]) -> None:
    tia = built["mihwar:tripoli_international_airport"]
    assert tia["sources"] == ["mihwar:tripoli_international_airport", "icao:HLLT"]
    assert tia["kind"] == "airport" and tia["importance"] >= 0.6
    assert "مطار طرابلس الدولي" in tia["aliases"] and "HLLT" in tia["aliases"]
    assert not any(r["id"] == "icao:HLLT" for r in built.values())


def test_curated_new_place_is_approximate(built: dict[str, dict]) -> None:
    camp = built["mihwar:yarmouk_camp"]
    assert camp["kind"] == "military_camp" and camp["geo_precision"] == 2
    assert camp["note"].startswith("approximate")


def test_shops_and_amenities_are_not_places(built: dict[str, dict]) -> None:
    sources = {s for r in built.values() for s in r["sources"]}
    assert "osm:n4000000001" not in sources and "osm:n4000000002" not in sources
    assert not any("Gharyan Market" in r["aliases"] for r in built.values())


def test_aerodrome_node_is_kept_as_air_base(built: dict[str, dict]) -> None:
    assert built["osm:n1042043622"]["kind"] == "air_base"


def test_other_scripts_digits_and_junk_are_dropped(built: dict[str, dict]) -> None:
    for rec in built.values():
        for alias in rec["aliases"]:
            assert build.script_of(alias) in {"ar", "la"}, alias
            assert alias not in {"TIP", "LY", "ghryan"}
            assert "،" not in alias
    gharyan = built["mihwar:gharyan"]
    assert "Гарьян" not in gharyan["aliases"] and "ⵖⵔⵢⴰⵏ" not in gharyan["aliases"]


def test_ambiguous_aliases(built: dict[str, dict]) -> None:
    badr = built["gn:2218924"]
    assert "بدر" in badr["ambiguous_aliases"]
    assert built["gn:2210247"]["ambiguous_aliases"] == []  # big city names are never ambiguous
    for rec in built.values():
        assert set(rec["ambiguous_aliases"]) <= set(rec["aliases"])


def test_country_absent_and_regions_present(built: dict[str, dict]) -> None:
    assert not any(r["name"] == "Libya" or "ليبيا" in r["aliases"] for r in built.values())
    region = built["gn:2210245"]
    assert region["kind"] == "region" and region["geo_precision"] == 3
    assert region["name"] == "Tripoli District" and region["name_ar"] == "شعبية طرابلس"
    assert "طرابلس" not in region["aliases"]  # the bare name stays with the city


def test_build_is_deterministic(tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out = tmp_path / f"p{i}.jsonl"
        build.main([str(FIXTURES), "-o", str(out), "--curated", str(FIXTURES / "curated.tsv")])
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_committed_places_file_is_well_formed() -> None:
    records = [json.loads(line) for line in COMMITTED.read_text(encoding="utf-8").splitlines()]
    assert 1000 < len(records) < 5000
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) and ids == sorted(ids)
    for rec in records:
        assert set(rec) == set(FIELDS), rec["id"]
        for key, typ in FIELDS.items():
            assert isinstance(rec[key], typ), (rec["id"], key)
        assert rec["id"].split(":")[0] in {"gn", "wof", "osm", "icao", "mihwar"}
        assert rec["name"] and rec["aliases"]
        assert 19 <= rec["lat"] <= 34.5 and 9 <= rec["lon"] <= 26, rec["id"]
        assert rec["kind"] in build.KINDS
        assert 0 <= rec["importance"] <= 1 and rec["geo_precision"] in {1, 2, 3}
        assert all(isinstance(a, str) for a in rec["aliases"] + rec["ambiguous_aliases"] + rec["sources"])
        assert set(rec["ambiguous_aliases"]) <= set(rec["aliases"])
    by_id = {r["id"]: r for r in records}
    assert by_id["gn:2210247"]["importance"] == 1.0  # Tripoli
    assert "النهر" in by_id["mihwar:nahr_axis"]["ambiguous_aliases"]
    assert not any(r["name"] == "Libya" for r in records)


def test_a_curated_name_belongs_to_its_curated_place_only() -> None:
    """'Tripoli Airport' is the old international airport's (curated), not Mitiga's (generated from its city)."""
    rows = build.read_curated(ROOT / "gazetteer" / "data" / "curated.tsv")
    owners: dict[str, set[str]] = {}
    for row in rows:
        for alias in row["aliases"].split("|"):
            owners.setdefault(build.name_key(alias), set()).add(row["id"])
    records = [json.loads(line) for line in COMMITTED.read_text(encoding="utf-8").splitlines()]
    strays = [(r["id"], a) for r in records for a in r["aliases"] if a not in (r["name"], r["name_ar"])
              and r["id"] not in owners.get(build.name_key(a), {r["id"]})]  # a namesake keeps its own name
    assert strays == []
    holders = [r["id"] for r in records if "Tripoli Airport" in r["aliases"]]
    assert holders == ["mihwar:tripoli_international_airport"]

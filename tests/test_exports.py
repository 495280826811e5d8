"""Exports read back by the tools analysts use: geopandas (GeoPackage, GeoParquet), pandas (CSV, ACLED)."""
import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.export import ACLED_COLUMNS, Format, acled_frame, geo_frame, neutralise, write_export, write_export_stream
from pipeline.ingest import ingest_paths
from pipeline.store import load_claims_frame, open_db

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = {"id": "h1", "title": "=HYPERLINK(\"http://evil.example\",\"click\")", "source": "@evil",
           "published": "2019-08-16",
           "text": "The LNA said its warplanes struck an air defence system at Misrata airport on Thursday."}


@pytest.fixture(scope="module")
def claims(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """The seed articles' claims and one strike on Misrata airport from a source with a formula for a title."""
    folder = tmp_path_factory.mktemp("exp")
    extra = folder / "h.jsonl"
    extra.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = folder / "m.db"
    conn = open_db(db)
    assert ingest_paths([ROOT / "seeds", extra], conn).ok
    return db, load_claims_frame(conn)


def test_geopackage_reads_back_with_full_field_names(claims, tmp_path):
    _, df = claims
    out = tmp_path / "c.gpkg"
    write_export(df, Format.GPKG, out)
    back = gpd.read_file(out, layer="claims")
    assert len(back) == len(df) and back.crs.to_epsg() == 4326
    assert {"date_precision", "geo_precision", "claimed_by", "place_ar"} <= set(back.columns)  # no 10-char cut
    row = back[back["claim_id"] == df["claim_id"].iloc[0]].iloc[0]
    assert (round(row.geometry.x, 4), round(row.geometry.y, 4)) == (round(df["lon"].iloc[0], 4),
                                                                     round(df["lat"].iloc[0], 4))
    assert set(back["place_ar"]) == set(df["place_ar"])  # Arabic survives


def test_export_format_follows_the_output_suffix(claims, tmp_path):
    db, df = claims
    out = tmp_path / "claims.gpkg"
    assert main(["export", "--db", str(db), "-o", str(out), "-q"]) == 0
    assert len(gpd.read_file(out)) == len(df)


def test_geoparquet_reads_back(claims, tmp_path):
    _, df = claims
    out = tmp_path / "c.parquet"
    write_export(df, Format.PARQUET, out)
    back = gpd.read_parquet(out)
    assert list(back["claim_id"]) == list(df["claim_id"]) and back.crs.to_epsg() == 4326
    assert back.geometry.geom_type.unique().tolist() == ["Point"]


def _in_parts(df: pd.DataFrame) -> list[pd.DataFrame]:
    """The claims as a stream of frames: one claim without a side or a region's precision, an empty frame."""
    odd = df.iloc[:1].copy()
    odd["side"], odd["geo_precision"] = None, float("nan")
    return [odd, df.iloc[1:3], df.iloc[:0], df.iloc[3:]]


def _same_claims(back: pd.DataFrame, whole: pd.DataFrame) -> None:
    """Every column of two read-back claim tables holds the same values (text types aside)."""
    assert list(back.columns) == list(whole.columns) and len(back) == len(whole)
    for col in back.columns:
        if col == "geometry":
            assert back.geometry.geom_equals(whole.geometry).all()
        else:
            assert [None if pd.isna(v) else v for v in back[col]] == \
                   [None if pd.isna(v) else v for v in whole[col]], col


def test_geoparquet_written_frame_by_frame_holds_what_one_write_of_all_claims_holds(claims, tmp_path):
    _, df = claims
    parts = _in_parts(df)
    out, whole = tmp_path / "parts.parquet", tmp_path / "whole.parquet"
    assert write_export_stream(iter(parts), Format.PARQUET, out) == len(df)
    geo_frame(pd.concat(parts, ignore_index=True)).to_parquet(whole, index=False)
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326 and back.geometry.geom_type.unique().tolist() == ["Point"]
    _same_claims(back, gpd.read_parquet(whole))
    assert pd.isna(back["side"].iloc[0]) and pd.isna(back["geo_precision"].iloc[0])  # nulls stay nulls
    bbox = json.loads(pq.read_metadata(out).metadata[b"geo"])["columns"][
        "geometry"]["bbox"]
    assert bbox == [df["lon"].min(), df["lat"].min(), df["lon"].max(), df["lat"].max()]  # all frames' extent
    assert b"geo" in pq.read_table(out).schema.metadata  # Arrow readers find it too


def test_geopackage_written_frame_by_frame_holds_what_one_write_of_all_claims_holds(claims, tmp_path):
    _, df = claims
    parts = _in_parts(df)
    out, whole = tmp_path / "parts.gpkg", tmp_path / "whole.gpkg"
    assert write_export_stream(iter(parts), Format.GPKG, out) == len(df)
    geo_frame(pd.concat(parts, ignore_index=True)).to_file(whole, driver="GPKG", layer="claims", engine="pyogrio")
    back = gpd.read_file(out, layer="claims")
    assert back.crs.to_epsg() == 4326
    _same_claims(back, gpd.read_file(whole, layer="claims"))


@pytest.mark.parametrize("fmt", [Format.PARQUET, Format.GPKG])
def test_an_export_with_no_claims_is_an_empty_table_with_the_columns(fmt, claims, tmp_path):
    _, df = claims
    out = tmp_path / f"none.{fmt.value}"
    assert write_export_stream(iter([df.iloc[:0]]), fmt, out) == 0
    back = gpd.read_parquet(out) if fmt is Format.PARQUET else gpd.read_file(out, layer="claims")
    assert len(back) == 0 and {"claim_id", "side", "evidence"} <= set(back.columns)


def test_geojson_features_carry_the_claim_id(claims, tmp_path):
    db, df = claims
    out = tmp_path / "c.geojson"
    assert main(["export", "--db", str(db), "-o", str(out), "-q"]) == 0
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in feats] == list(df["claim_id"])
    assert all(f["id"] == f["properties"]["claim_id"] for f in feats)


def test_csv_has_admin1_a_bom_when_asked_and_no_formulas(claims, tmp_path):
    db, _ = claims
    out = tmp_path / "c.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--bom", "-o", str(out), "-q"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert back.loc[back["place"] == "Ain Zara", "admin1"].iloc[0] == "Tripoli"
    hostile = back[back["article_id"] == "h1"].iloc[0]
    assert hostile["title"].startswith("'=HYPERLINK") and hostile["source"] == "'@evil"
    assert (back["lon"] > 0).all()  # numbers are left as numbers


@pytest.mark.parametrize(("cell", "safe"), [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
                                            ("\tx", "'\tx"), ("\rx", "'\rx"), ("Tripoli", "Tripoli"), (3.5, 3.5)])
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


def test_acled_csv_sits_beside_acled_data(claims, tmp_path):
    db, _ = claims
    out = tmp_path / "acled.csv"
    assert main(["export", "--db", str(db), "--format", "acled", "-o", str(out), "-q"]) == 0
    back = pd.read_csv(out)
    assert tuple(back.columns) == ACLED_COLUMNS
    assert set(back["country"]) == {"Libya"} and set(back["iso"]) == {434}
    strike = back[back["event_id_cnty"].str.startswith("h1|")].iloc[0]
    assert (strike["event_type"], strike["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert (strike["event_date"], strike["year"], strike["time_precision"]) == ("2019-08-15", 2019, 1)
    assert strike["actor1"] == "Libyan National Army (LNA)"
    assert strike["actor2"] == "Government of National Accord (GNA)"
    assert "Misrata airport" in strike["notes"] and strike["admin1"]
    acled_like = pd.DataFrame({"event_date": ["2019-08-15"], "event_type": ["Battles"], "country": ["Libya"]})
    assert len(pd.concat([acled_like, back], ignore_index=True)) == len(back) + 1


def test_acled_control_by_the_government_and_time_precision():
    row = {"claim_id": "a|p|control|GNA|2020-06-03", "claim": "control", "side": "GNA", "claimed_by": "GNA",
           "date": pd.Timestamp("2020-06-03"), "date_precision": "week", "published": pd.Timestamp("2020-06-04"),
           "admin1": "Tripoli", "place": "Tripoli International Airport", "lat": 32.66, "lon": 13.16,
           "geo_precision": 1, "source": "wire", "evidence": "قنونو: السيطرة على المطار"}
    (acled,) = acled_frame(pd.DataFrame([row])).to_dict("records")
    assert (acled["event_type"], acled["sub_event_type"], acled["time_precision"]) == (
        "Battles", "Government regains territory", 2)
    assert acled["notes"] == "Claimed by GNA: قنونو: السيطرة على المطار"


@pytest.mark.parametrize("fmt", [Format.CSV, Format.ACLED, Format.GEOJSON])
def test_streamed_export_in_small_frames_equals_the_whole_frame(claims, fmt):
    from pipeline.export import export_text, write_text_stream
    from pipeline.store import iter_claims_frames

    db, df = claims
    out = io.StringIO()
    n = write_text_stream(iter_claims_frames(open_db(db), rows=4), fmt, out, bom=True)
    assert n == len(df) > 8
    assert out.getvalue() == export_text(df, fmt, bom=True)


def test_an_empty_database_exports_a_header_and_an_empty_collection(tmp_path):
    db = tmp_path / "empty.db"
    open_db(db).close()
    csv_out, acled_out, geo_out = tmp_path / "c.csv", tmp_path / "a.csv", tmp_path / "g.geojson"
    assert main(["export", "--db", str(db), "-o", str(csv_out), "-q"]) == 0
    assert main(["export", "--db", str(db), "--format", "acled", "-o", str(acled_out), "-q"]) == 0
    assert main(["export", "--db", str(db), "-o", str(geo_out), "-q"]) == 0
    assert pd.read_csv(csv_out).empty and tuple(pd.read_csv(acled_out).columns) == ACLED_COLUMNS
    assert json.loads(geo_out.read_text(encoding="utf-8")) == {"type": "FeatureCollection", "features": []}

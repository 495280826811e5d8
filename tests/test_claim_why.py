"""Every claim says why it has its side, and that reason reaches the store, the exports and the popup."""
import datetime as dt
import sqlite3

from dashboard.mapview import claim_popup
from gazetteer.matcher import default_matcher
from pipeline.claims import extract
from pipeline.export import analyses_to_frame, frame_to_geojson
from pipeline.lexicon import evidence_confidence
from pipeline.models import Article, Evidence
from pipeline.store import load_claims_frame, open_db, store_analysis

TEXT = "Forces of the Government of National Accord seized Gharyan on Tuesday."


def test_every_evidence_kind_has_one_confidence():
    table = evidence_confidence()
    assert set(table) == set(Evidence) and all(0.0 < v <= 1.0 for v in table.values())


def test_a_claim_confidence_is_that_of_its_evidence():
    an = extract(Article("w", "", TEXT, dt.date(2020, 6, 3)))
    (c,) = an.claims
    assert c.why is Evidence.AGENT and c.confidence == evidence_confidence()[Evidence.AGENT]


def test_why_reaches_store_geojson_and_popup(tmp_path):
    an = extract(Article("w", "", TEXT, dt.date(2020, 6, 3)))
    conn = open_db(tmp_path / "m.db")
    store_analysis(conn, an, default_matcher())
    assert load_claims_frame(conn)["why"].tolist() == ["agent"]
    (feature,) = frame_to_geojson(analyses_to_frame([an], default_matcher()))["features"]
    assert feature["properties"]["why"] == "agent"
    assert "Why: agent" in claim_popup({"why": "agent", "place": "Gharyan"})
    assert "Why: &lt;b&gt;" in claim_popup({"why": "<b>"})


def test_a_store_made_before_why_gains_the_column(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE claims (id TEXT PRIMARY KEY, article_id TEXT, place_id TEXT, claim TEXT, side TEXT,"
                ' claimed_by TEXT, date TEXT, date_precision TEXT, evidence TEXT, start INTEGER, "end" INTEGER,'
                " confidence REAL, pattern TEXT, matcher_version TEXT)")
    old.commit()
    old.close()
    conn = open_db(path)
    assert "why" in {row[1] for row in conn.execute("PRAGMA table_info(claims)")}

"""The command line follows the scorer's contract and reports bad inputs."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = {"id": "e1", "title": "t", "published": "2019-08-16", "lang": "en",
           "text": "The LNA said its warplanes struck an air defence system at Misrata airport on Thursday."}


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)


def test_geoparse_prints_mentions_with_offsets(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    proc = run("geoparse", str(src))
    assert proc.returncode == 0, proc.stderr
    (m,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert ARTICLE["text"][m["start"] : m["end"]] == m["surface"] == "Misrata airport"
    assert m["place_id"] == "mihwar:misrata_airport" and m["geo_precision"] in (1, 2, 3)
    assert {"article_id", "name", "lat", "lon", "score"} <= set(m)


def test_extract_writes_geojson_and_a_bad_line_sets_the_exit_status(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    proc = run("extract", str(src), "-o", str(out))
    assert proc.returncode == 1 and "a.jsonl:2: malformed JSON" in proc.stderr
    (f,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    p = f["properties"]
    assert (p["place_id"], p["side"], p["claim"], p["claimed_by"], p["date"]) == (
        "mihwar:misrata_airport", "LNA", "strike", "LNA", "2019-08-15")


def test_ingest_then_export_filtered(tmp_path):
    db = tmp_path / "m.db"
    assert run("ingest", str(ROOT / "seeds"), "--db", str(db)).returncode == 0
    out = tmp_path / "lna.geojson"
    proc = run("export", "--db", str(db), "--side", "LNA", "--claim", "repelled", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feats and all(f["properties"]["side"] == "LNA" for f in feats)


def test_help_explains_the_commands():
    proc = run("--help")
    assert proc.returncode == 0 and "geoparse" in proc.stdout and "extract" in proc.stdout

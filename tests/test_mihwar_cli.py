"""The `mihwar` command line: version, MIHWAR_DB, stdin, fetch from a local server, reprocess, one filter."""
import csv
import datetime as dt
import functools
import http.server
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dashboard.filters import Filters as DashFilters
from dashboard.filters import apply_filters as dash_apply
from dashboard.queries import download_bytes
from gazetteer.matcher import Matcher, default_matcher
from pipeline import __version__
from pipeline.cli import main
from pipeline.export import Format, filter_frame
from pipeline.ingest import ingest_paths
from pipeline.queries import claims_frame as sql_claims
from pipeline.reprocess import reprocess
from pipeline.store import SCHEMA_VERSION, load_claims_frame, open_db, open_db_readonly

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "sources"
MISRATA = "The LNA said its warplanes struck an air defence system at Misrata airport on Thursday."
UNDATED = {"id": "u1", "title": "undated", "text": "The LNA said its warplanes struck an air defence system at "
           "Misrata airport."}


def run(*args, env=None, stdin=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          env=full_env, input=stdin, timeout=300)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database of the seed articles plus one undated claim at Misrata airport."""
    db = tmp_path_factory.mktemp("db") / "m.db"
    extra = tmp_path_factory.mktemp("in") / "u.jsonl"
    extra.write_text(json.dumps(UNDATED) + "\n", encoding="utf-8")
    report = ingest_paths([ROOT / "seeds", extra], open_db(db))
    assert report.ok and report.articles_new == 3
    return db


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"mihwar {__version__}"


def test_ingest_does_not_load_pandas(tmp_path):
    """Storing articles needs no frame: `mihwar ingest` starts without pandas (it loads in about 0.5 s)."""
    code = ("import sys; from pipeline.cli import main; "
            f"rc = main(['ingest', '-', '--db', {str(tmp_path / 'm.db')!r}, '-q']); "
            "print(rc, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         input=json.dumps({"id": "a", "title": "t", "text": MISRATA}) + "\n")
    assert out.stdout.split() == ["0", "False"], out.stderr


def test_mihwar_db_is_honoured_by_ingest_and_export(tmp_path):
    db = tmp_path / "env.db"
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "e1", "published": "2019-08-16", "text": MISRATA}) + "\n", encoding="utf-8")
    env = {"MIHWAR_DB": str(db)}
    proc = run("ingest", str(src), env=env)
    assert proc.returncode == 0, proc.stderr
    assert db.exists() and str(db) in proc.stderr
    out = run("export", "--format", "csv", env=env)
    assert out.returncode == 0 and "mihwar:misrata_airport" in out.stdout


def test_ingest_from_standard_input(tmp_path):
    db = tmp_path / "s.db"
    line = json.dumps({"id": "s1", "published": "2019-08-16", "text": MISRATA}) + "\n"
    proc = run("ingest", "-", "--db", str(db), stdin=line)
    assert proc.returncode == 0, proc.stderr
    assert "1 new" in proc.stderr
    (origin,) = sqlite3.connect(db).execute("SELECT origin FROM articles").fetchone()
    assert origin == "-:1"


def test_ingest_csv_from_standard_input(tmp_path):
    db = tmp_path / "c.db"
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerows([["id", "published", "text"], ["c1", "2019-08-16", MISRATA], ["c2", "2019-08-16", ""]])
    proc = run("ingest", "-", "--db", str(db), stdin=rows.getvalue())
    assert proc.returncode == 1 and "-:3: no text" in proc.stderr and "1 new" in proc.stderr
    (origin,) = sqlite3.connect(db).execute("SELECT origin FROM articles").fetchone()
    assert origin == "-:2"


def test_quiet_prints_only_errors(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "q1", "text": MISRATA}) + "\n{bad\n", encoding="utf-8")
    proc = run("ingest", str(src), "--db", str(tmp_path / "q.db"), "-q")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert "a.jsonl:2" in proc.stderr


@pytest.fixture(scope="module")
def server():
    """The source fixtures served on 127.0.0.1 (no other network)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIX))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_a_page_and_a_feed_from_a_local_server(server, tmp_path):
    db = tmp_path / "f.db"
    proc = run("fetch", f"{server}/page.html", f"{server}/feed_atom.xml", f"{server}/no_article.html",
               "--db", str(db))
    assert proc.returncode == 1  # the page without an article
    assert f"{server}/no_article.html: no article text" in proc.stderr
    rows = dict(sqlite3.connect(db).execute("SELECT url, source FROM articles").fetchall())
    assert rows[f"{server}/page.html"] == "Libya Wire"
    assert rows["https://burkan.example/airport"] == "Burkan Watch"


def test_fetch_writes_json_lines_with_the_feed_time_zone(server, tmp_path):
    out = tmp_path / "articles.jsonl"
    proc = run("fetch", f"{server}/feed_rss.xml", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["published"] == "2019-08-16T09:30:00+02:00" and first["source"] == "Libya Wire"


def test_fetch_offline_says_so(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = run("fetch", f"http://127.0.0.1:{port}/x.html", "--db", str(tmp_path / "o.db"))
    assert proc.returncode == 1 and "cannot reach the site" in proc.stderr and "offline" in proc.stderr


def test_reprocess_after_a_gazetteer_change(tmp_path):
    """Stored with a gazetteer that lacked Misrata airport, the strike sat on the city; reprocess moves it."""
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "r1", "published": "2019-08-16", "text": MISRATA}) + "\n", encoding="utf-8")
    conn = open_db(tmp_path / "r.db")
    old = Matcher([p for p in default_matcher().places if p.id != "mihwar:misrata_airport"])
    assert ingest_paths([src], conn, matcher=old).claims_new == 1
    (before,) = conn.execute("SELECT place_id FROM claims").fetchone()
    assert before != "mihwar:misrata_airport"
    report = reprocess(conn, default_matcher())
    assert (report.articles, report.claims_added, report.claims_removed, report.side_changed) == (1, 1, 1, 0)
    assert conn.execute("SELECT place_id, side FROM claims").fetchall() == [("mihwar:misrata_airport", "LNA")]


def test_reprocess_takes_a_moved_place_point_from_the_gazetteer(tmp_path):
    """The gazetteer's point for Misrata airport was corrected: reprocess updates the stored place."""
    import dataclasses

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "r3", "published": "2019-08-16", "text": MISRATA}) + "\n", encoding="utf-8")
    conn = open_db(tmp_path / "r.db")
    ingest_paths([src], conn)
    places = [dataclasses.replace(p, lat=32.3) if p.id == "mihwar:misrata_airport" else p
              for p in default_matcher().places]
    reprocess(conn, Matcher(places))
    assert conn.execute("SELECT lat FROM places WHERE id = 'mihwar:misrata_airport'").fetchone() == (32.3,)


def test_reprocess_reports_a_changed_side(tmp_path):
    """An older rule had put the LNA's strike on the GNA: reprocess puts it back and says so."""
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "r2", "published": "2019-08-16", "text": MISRATA}) + "\n", encoding="utf-8")
    db = tmp_path / "r.db"
    conn = open_db(db)
    ingest_paths([src], conn)
    with conn:
        conn.execute("UPDATE claims SET side = 'GNA', id = replace(id, '|LNA|', '|GNA|')")
    proc = run("reprocess", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "1 articles reprocessed: 0 claims added, 0 removed, 1 changed side" in proc.stderr
    assert sqlite3.connect(db).execute("SELECT side FROM claims").fetchall() == [("LNA",)]


def test_an_old_database_is_migrated(tmp_path):
    db = tmp_path / "old.db"
    old = sqlite3.connect(db)
    old.executescript("""
        CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, published TEXT,
            source TEXT, url TEXT, lang TEXT, origin TEXT, matcher_version TEXT, ingested_at TEXT NOT NULL);
        CREATE TABLE places (id TEXT PRIMARY KEY, name TEXT, name_ar TEXT, lat REAL NOT NULL, lon REAL NOT NULL,
            kind TEXT, geo_precision INTEGER);
        INSERT INTO places VALUES ('mihwar:tripoli', 'Tripoli', 'طرابلس', 32.8872, 13.1913, 'city', 1);
    """)
    old.close()
    conn = open_db(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT admin1 FROM places").fetchone()[0] != ""
    assert "published_at" in {r[1] for r in conn.execute("PRAGMA table_info(articles)")}


@pytest.mark.parametrize(("flags", "filters"), [
    (["--place", "عين زاره"], DashFilters(place_query="عين زاره")),
    (["--place", "MISRATA"], DashFilters(place_query="MISRATA")),
    (["--start", "2020-06-01"], DashFilters(date_from=dt.date(2020, 6, 1))),
    (["--start", "2020-06-01", "--include-undated"],
     DashFilters(date_from=dt.date(2020, 6, 1), include_undated=True)),
    (["--side", "LNA", "--claim", "repelled"],
     DashFilters(sides=frozenset({"LNA"}), claim_types=frozenset({"repelled"}))),
])
def test_export_and_dashboard_filters_return_the_same_rows(seeded, tmp_path, flags, filters):
    out = tmp_path / "x.geojson"
    assert main(["export", "--db", str(seeded), "-o", str(out), "-q", *flags]) == 0
    exported = {f["id"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    shown = set(dash_apply(load_claims_frame(open_db(seeded)), filters)["claim_id"])
    assert exported == shown
    conn = open_db_readonly(seeded)  # the dashboard asks the database (dashboard.queries): the same rows again
    assert set(sql_claims(conn, filters)["claim_id"]) == exported
    assert {f["id"] for f in json.loads(download_bytes(conn, filters, Format.GEOJSON))["features"]} == exported
    conn.close()
    assert exported  # each filter keeps some claims: the comparison is not vacuous


def test_place_query_folds_arabic_spelling_and_dates_leave_out_undated(seeded):
    df = load_claims_frame(open_db(seeded))
    assert set(filter_frame(df, place="عين زاره")["place"]) == {"Ain Zara"}
    undated = df[df["date"].isna()]
    assert len(undated) == 1
    assert undated.index[0] not in filter_frame(df, start=dt.date(2019, 1, 1)).index
    assert undated.index[0] in filter_frame(df, start=dt.date(2019, 1, 1), include_undated=True).index


@pytest.mark.parametrize(("batch", "stored"), [("1", 2), ("64", 0)])
def test_a_full_disk_stops_the_run_once_with_what_was_stored(tmp_path, monkeypatch, capsys, batch, stored):
    """The third article finds the disk full: one message; per-article transactions kept the first two,
    a batch of 64 is rolled back whole. Either way the database says what the message says."""
    import pipeline.store as store_mod

    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "published": "2019-08-16", "text": MISRATA}) + "\n"
                           for i in range(5)), encoding="utf-8")
    real = store_mod._insert
    calls = {"n": 0}

    def filling(*a, **k):
        calls["n"] += 1
        if calls["n"] > 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(*a, **k)

    monkeypatch.setattr(store_mod, "_insert", filling)
    db = tmp_path / "full.db"
    assert main(["ingest", str(src), "--db", str(db), "--batch", batch, "-q"]) == 3
    err = capsys.readouterr().err
    assert err.count("disk is full") == 1 and f"{stored} new articles ({stored} claims) were stored" in err
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone() == (stored,)


def test_a_file_that_is_not_a_database_is_named(tmp_path, capsys):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"these are my notes, not a database" * 200)
    assert main(["export", "--db", str(bad), "-q"]) == 3
    err = capsys.readouterr().err
    assert str(bad) in err and "not a Mihwar database" in err and "Traceback" not in err


def test_export_reads_a_database_it_cannot_write(seeded, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "m.db"
    src = sqlite3.connect(seeded)
    src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    src.execute("VACUUM INTO ?", (str(db),))
    src.close()
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        proc = run("export", "--db", str(db), "--format", "csv")
        if os.geteuid() != 0:  # root writes anyway; the read-only open is what is tested then
            assert not (folder / "m.db-wal").exists()
        assert proc.returncode == 0, proc.stderr
        assert "Ain Zara" in proc.stdout
    finally:
        folder.chmod(0o755)


def test_a_newer_schema_is_refused_by_name(tmp_path, capsys):
    db = tmp_path / "new.db"
    conn = open_db(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    assert main(["ingest", str(FIX / "feed_atom.xml"), "--db", str(db), "-q"]) == 3
    assert "newer than this Mihwar's" in capsys.readouterr().err


def test_fetch_a_feed_with_full_text_follows_entry_links(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "strike.html").write_bytes((FIX / "page.html").read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    (site / "feed.xml").write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Libya Wire</title><item><title>Strike</title>"
        f"<link>{base}/strike.html</link><pubDate>Fri, 16 Aug 2019 09:30:00 +0200</pubDate>"
        "<description>Short summary.</description></item></channel></rss>", encoding="utf-8")
    try:
        out = tmp_path / "a.jsonl"
        proc = run("fetch", f"{base}/feed.xml", "--full-text", "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        (art,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert "civilian flights had been suspended" in art["text"] and art["url"] == f"{base}/strike.html"
        assert art["published"] == "2019-08-16T09:30:00+02:00"  # the feed's time, not the page's date
    finally:
        httpd.shutdown()


def test_two_concurrent_ingests_of_one_file_both_succeed(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps({"id": f"c{i}", "published": "2019-08-16", "text": f"{MISRATA} ({i})"}) + "\n"
                           for i in range(60)), encoding="utf-8")
    db = tmp_path / "c.db"
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--db", str(db), "--batch", b],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for b in ("1", "8")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("error:" not in err and "0 errors" in err for _, err in outs)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone() == (60,)

"""The Streamlit app end to end in AppTest: first-run build from seeds, filters, control view, uploads."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.control import control_as_of

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 180

GOOD_ARTICLE = {
    "title": "قوات الوفاق تعلن السيطرة على مطار طرابلس",
    "text": "أعلن محمد قنونو، الناطق الرسمي باسم قوات حكومة الوفاق الليبية، الأربعاء، "
            "السيطرة على مطار طرابلس العالمي جنوبي العاصمة الليبية.",
    "published": "2020-06-10", "source": "test", "url": "https://example.org/a",
}


@pytest.fixture()
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MIHWAR_DB", str(tmp_path / "mihwar.db"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame(tmp_path: Path) -> pd.DataFrame:
    from pipeline import store
    conn = store.open_db(tmp_path / "mihwar.db")
    try:
        return store.load_claims_frame(conn)
    finally:
        conn.close()


def metric(at: AppTest, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace(",", ""))


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_first_run_builds_database_from_seeds(app: AppTest, tmp_path: Path) -> None:
    assert (tmp_path / "mihwar.db").exists()
    df = frame(tmp_path)
    assert len(df) > 0
    assert metric(app, "Claims in database") == len(df)
    assert metric(app, "Claims shown") == len(df)
    assert app.get("component_instance"), "the map component was not rendered"
    assert [b.proto.label for b in app.get("download_button")] == ["Download GeoJSON", "Download CSV"]


def test_downloads_past_the_limit_give_the_export_command_instead(app: AppTest, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert not any(b.proto.disabled for b in app.get("download_button"))
    monkeypatch.setattr("dashboard.views.MAX_DOWNLOAD_CLAIMS", 3)
    app.multiselect(key="sides").set_value(["LNA"])
    rerun(app)
    assert all(b.proto.disabled for b in app.get("download_button"))
    command = next(c.value for c in app.code if c.value.startswith("mihwar export"))
    assert command == "mihwar export --format geojson -o claims.geojson --start {} --end {} --side LNA".format(
        *[d.isoformat() for d in app.date_input(key="date_range").value])
    monkeypatch.setattr("dashboard.views.MAX_DOWNLOAD_CLAIMS", 100_000)
    assert not any(b.proto.disabled for b in rerun(app).get("download_button"))


def test_side_filter_counts(app: AppTest, tmp_path: Path) -> None:
    df = frame(tmp_path)
    app.multiselect(key="sides").set_value(["GNA"])
    assert metric(rerun(app), "Claims shown") == int((df["side"] == "GNA").sum())
    app.multiselect(key="sides").set_value(["LNA", "none"])
    assert metric(rerun(app), "Claims shown") == int((df["side"] != "GNA").sum())


def test_claimed_by_and_claim_type_filters(app: AppTest, tmp_path: Path) -> None:
    df = frame(tmp_path)
    app.multiselect(key="types").set_value(["repelled"])
    assert metric(rerun(app), "Claims shown") == int((df["claim"] == "repelled").sum())
    app.multiselect(key="types").set_value(["repelled", "control"])
    app.multiselect(key="claimed_by").set_value(["LNA"])
    expected = df["claim"].isin(["repelled", "control"]) & (df["claimed_by"] == "LNA")
    assert metric(rerun(app), "Claims shown") == int(expected.sum())


def test_date_filter_counts(app: AppTest, tmp_path: Path) -> None:
    df = frame(tmp_path)
    dates = pd.to_datetime(df["date"])
    app.checkbox(key="undated").uncheck()
    assert metric(rerun(app), "Claims shown") == int(dates.notna().sum())
    day = dates.dropna().max().date()
    app.date_input(key="date_range").set_value((day, day))
    assert metric(rerun(app), "Claims shown") == int((dates.dt.date == day).sum())
    app.date_input(key="date_range").set_value((dt.date(2019, 1, 1), dt.date(2019, 1, 2)))
    assert metric(rerun(app), "Claims shown") == 0


def test_control_view_holders_on_seeds(app: AppTest, tmp_path: Path) -> None:
    app.slider(key="as_of").set_value(dt.date(2020, 6, 3))  # the seeds' last date
    app.number_input(key="window").set_value(7)
    rerun(app)
    table = next(d.value for d in app.dataframe if "holder" in d.value.columns)
    expected = control_as_of(frame(tmp_path), dt.date(2020, 6, 3), 7)
    assert sorted(table["place"]) == sorted(expected["place"])
    holders = {str(p).lower(): h for p, h in zip(table["place"], table["holder"], strict=True)}

    def holder(fragment: str) -> str:
        return next(h for p, h in holders.items() if fragment in p)

    # Seeds, 3 June 2020: the GNA announced control of Tripoli International Airport, the LNA said it
    # repelled the GNA at Ain Zara, the airport and Wadi al-Rabie.
    assert holder("airport") == "GNA"
    assert holder("zara") == "LNA"
    airport = table[table["place"].str.lower().str.contains("airport")].iloc[0]
    assert bool(airport["contested"]) and airport["contested_by"] == "LNA"


def test_upload_good_file_shows_new_claims(app: AppTest, tmp_path: Path) -> None:
    before = metric(app, "Claims in database")
    data = (json.dumps(GOOD_ARTICLE, ensure_ascii=False) + "\n").encode("utf-8")
    app.file_uploader(key="upload").set_value(("new.jsonl", data, "application/json"))
    rerun(app)
    assert app.success and "Stored 1 new article" in app.success[0].value
    assert metric(app, "Claims in database") == len(frame(tmp_path)) > before
    assert metric(app, "Claims shown") == len(frame(tmp_path))  # the date range followed the new data
    rerun(app)  # a rerun does not store the same upload twice
    assert metric(app, "Claims in database") == len(frame(tmp_path))


def test_upload_seed_format_text(app: AppTest, tmp_path: Path) -> None:
    before = len(frame(tmp_path))
    title = "قوات الوفاق تعلن السيطرة على مطار طرابلس العالمي"
    text = f"{title}\n{title}\n\n{GOOD_ARTICLE['text']}\n"
    app.file_uploader(key="upload").set_value(("new.txt", text.encode("utf-8"), "text/plain"))
    rerun(app)
    assert app.success, [e.value for e in app.error]
    assert metric(app, "Claims in database") == len(frame(tmp_path)) > before


def test_empty_database_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline import store
    db = tmp_path / "empty.db"
    store.open_db(db).close()  # exists, so the app does not ingest the seeds
    monkeypatch.setenv("MIHWAR_DB", str(db))
    at = rerun(AppTest.from_file(APP, default_timeout=TIMEOUT))
    assert metric(at, "Claims shown") == 0 == metric(at, "Claims in database")
    assert any("No dated claims" in i.value for i in at.info)


def test_upload_bad_file_stores_nothing(app: AppTest, tmp_path: Path) -> None:
    before = len(frame(tmp_path))
    good = json.dumps(GOOD_ARTICLE, ensure_ascii=False)
    data = (good + "\n{not json\n").encode("utf-8")
    app.file_uploader(key="upload").set_value(("bad.jsonl", data, "application/json"))
    rerun(app)
    assert app.error and "nothing was stored" in app.error[0].value
    assert any("bad.jsonl" in c.value for c in app.code)  # the error names the file (and line)
    assert len(frame(tmp_path)) == before == metric(app, "Claims in database")


def test_upload_oversized_file_is_refused(app: AppTest, tmp_path: Path) -> None:
    before = len(frame(tmp_path))
    app.file_uploader(key="upload").set_value(("big.txt", b"a" * (5 * 1024 * 1024 + 1), "text/plain"))
    rerun(app)
    assert app.error and "too large" in app.error[0].value
    assert len(frame(tmp_path)) == before


def test_a_damaged_database_gives_a_plain_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "mihwar.db"
    db.write_bytes(b"this is not an SQLite file at all" * 100)
    monkeypatch.setenv("MIHWAR_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert any("not a Mihwar database or is damaged" in e.value for e in at.error)
    assert all(str(tmp_path) not in e.value for e in at.error)  # no server paths


def test_a_store_locked_after_the_first_query_says_busy_not_a_traceback(app: AppTest, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from dashboard import queries

    def locked(*_a, **_k):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(queries, "claims_per_day", locked)  # a writer holds the store while the page runs
    app.multiselect(key="sides").set_value(["LNA"])  # a new filter: the timeline is asked again
    app.run()
    assert not app.exception
    assert any("busy" in w.value for w in app.warning)


def test_an_older_store_is_brought_up_to_date_by_the_page(app: AppTest, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    db = tmp_path / "mihwar.db"
    conn = sqlite3.connect(db)
    for name in ("claims_by_date", "claims_by_place", "claims_by_kind"):
        conn.execute(f"DROP INDEX {name}")
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    at = rerun(AppTest.from_file(APP, default_timeout=TIMEOUT))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    conn.close()
    assert metric(at, "Claims shown") == len(frame(tmp_path))

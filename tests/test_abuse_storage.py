"""A full disk stops ingest once, says what was stored, and leaves a database that opens and holds it."""
from __future__ import annotations

import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

from bench.corpus import make_corpus, write_jsonl
from pipeline import store

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 600 * 1024  # bytes any file of the child may grow to: the "disk" fills after a few dozen articles


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_a_full_disk_stops_the_run_once_with_what_was_stored(tmp_path: Path) -> None:
    corpus = tmp_path / "in.jsonl"
    write_jsonl(corpus, make_corpus(300, words=200, seed=5))
    db = tmp_path / "m.db"
    run = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(corpus), "--db", str(db), "--workers", "1",
                          "--batch", "8", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         preexec_fn=_small_disk, check=False)
    assert run.returncode == 3, run.stderr[-2000:]
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines  # one message, not one per remaining article
    stored = int(re.search(r"(\d+) new articles", lines[0]).group(1))
    conn = store.open_db(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == stored < 300
    finally:
        conn.close()


def test_a_damaged_database_stops_ingest_and_export_with_one_message(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    ok = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(ROOT / "seeds"), "--db", str(db), "-q"],
                        cwd=ROOT, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    conn = store.open_db(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with db.open("r+b") as fh:  # overwrite pages in the middle of the file
        fh.seek(3 * 4096)
        fh.write(b"\xa5" * 4 * 4096)
    corpus = tmp_path / "in.jsonl"
    write_jsonl(corpus, make_corpus(20, words=120, seed=2))
    for cmd in (["ingest", str(corpus), "--db", str(db)], ["export", "--db", str(db), "-o", str(tmp_path / "x.geojson")]):
        run = subprocess.run([sys.executable, "-m", "pipeline", *cmd], cwd=ROOT, capture_output=True, text=True,
                             check=False)
        assert run.returncode == 3, run.stderr[-1500:]
        assert "malformed" in run.stderr and "Traceback" not in run.stderr
        assert len([line for line in run.stderr.splitlines() if line.strip()]) == 1
    assert not (tmp_path / "x.geojson").exists()

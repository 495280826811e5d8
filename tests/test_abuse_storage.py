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

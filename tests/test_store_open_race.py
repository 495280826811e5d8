"""Several processes that open a brand-new store at once all get it: none is told "database is locked"."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

from pipeline import store


def _open(path: str, results) -> None:
    try:
        store.open_db(path).close()
        results.put("ok")
    except Exception as exc:  # reported to the test, which names it
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_a_new_store_at_once_all_get_it(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    failures = []
    for round_ in range(12):
        path = str(tmp_path / f"new{round_}.db")
        results = ctx.Queue()
        procs = [ctx.Process(target=_open, args=(path, results)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=60)
        failures += [r for r in (results.get(timeout=10) for _ in procs) if r != "ok"]
        conn = store.open_db(path)
        assert store.schema_version(conn) == store.SCHEMA_VERSION
        conn.close()
    assert failures == []

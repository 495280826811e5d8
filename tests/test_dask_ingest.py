"""Ingest on a Dask LocalCluster stores exactly the claims of the plain ingest."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import make_corpus
from gazetteer.matcher import default_matcher
from pipeline import store
from pipeline.dask_ingest import read_shard, run_dask
from pipeline.engine import Analysed, analyse_stream
from pipeline.readers import ReadError

pytest.importorskip("dask.distributed")


def _claims(db: Path) -> set[tuple]:
    conn = store.open_db(db)
    try:
        return set(conn.execute("SELECT id, place_id, claim, side, date, evidence FROM claims").fetchall())
    finally:
        conn.close()


def test_dask_ingest_stores_the_claims_of_the_plain_ingest(tmp_path: Path) -> None:
    matcher = default_matcher()
    articles = list(make_corpus(24, words=150, seed=3))
    items = [*articles[:10], ReadError("feed.xml:4", "not XML"), *articles[10:]]

    plain = store.open_db(tmp_path / "plain.db")
    for outcome in analyse_stream(items):
        if isinstance(outcome, Analysed):
            for analysis in outcome.analyses:
                store.store_analysis(plain, analysis, matcher)
    plain.close()

    conn = store.open_db(tmp_path / "dask.db")

    def load(shard: Path) -> None:
        for analysis in read_shard(shard, matcher):
            store.store_analysis(conn, analysis, matcher)

    _warnings, errors = run_dask(items, tmp_path / "shards", load, workers=2, partition=7)
    assert errors == ["feed.xml:4: not XML"]
    assert len(list((tmp_path / "shards").glob("part-*.parquet"))) == 4  # 24 articles in partitions of 7
    # Loading the shards again changes nothing: ids are deterministic and stored articles are skipped.
    before = _claims(tmp_path / "dask.db")
    for shard in sorted((tmp_path / "shards").glob("part-*.parquet")):
        load(shard)
    conn.close()
    assert before == _claims(tmp_path / "dask.db") == _claims(tmp_path / "plain.db")
    assert before

"""Ingest on a Dask LocalCluster stores exactly the claims of the plain ingest, and loads shards idempotently."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import make_corpus
from gazetteer.matcher import default_matcher
from pipeline import store
from pipeline.dask_ingest import read_shard
from pipeline.ingest import ingest_dask, ingest_items
from pipeline.readers import ReadError

pytest.importorskip("dask.distributed")


def _claims(conn) -> set[tuple]:
    return set(conn.execute("SELECT * FROM claims").fetchall())


def _stored(conn) -> tuple[set[tuple], ...]:
    """Every stored row but the time each article was stored."""
    cols = [r[1] for r in conn.execute("PRAGMA table_info(articles)") if r[1] != "ingested_at"]
    return (_claims(conn), set(conn.execute("SELECT * FROM mentions").fetchall()),
            set(conn.execute("SELECT * FROM places").fetchall()),
            set(conn.execute(f"SELECT {', '.join(cols)} FROM articles").fetchall()))


def test_dask_ingest_stores_the_claims_of_the_plain_ingest(tmp_path: Path) -> None:
    articles = list(make_corpus(24, words=150, seed=3))
    items = [*articles[:10], ReadError("feed.xml:4", "not XML"), *articles[10:]]

    plain = store.open_db(tmp_path / "plain.db")
    plain_report = ingest_items(items, plain)
    conn = store.open_db(tmp_path / "dask.db")
    report = ingest_dask(items, conn, tmp_path / "shards", workers=2, partition=5)

    assert report.errors == plain_report.errors == ("feed.xml:4: not XML",)
    assert (report.articles_seen, report.articles_new, report.claims_new) == (24, 24, plain_report.claims_new)
    assert len(list((tmp_path / "shards").glob("part-*.parquet"))) == 5  # 24 articles, 5 a partition
    assert _stored(conn) == _stored(plain) and _claims(conn)  # every column of every claim, mention, place
    # Loading a shard again changes nothing: claim ids are deterministic and stored articles are skipped.
    before = _claims(conn)
    matcher = default_matcher()
    for shard in sorted((tmp_path / "shards").glob("part-*.parquet")):
        for analysis in read_shard(shard, matcher):
            store.store_article(conn, analysis, matcher)
    assert _claims(conn) == before
    # A second run finds every article stored and extracts nothing.
    again = ingest_dask(items, conn, tmp_path / "shards2", workers=1)
    assert again.articles_new == 0 and not list((tmp_path / "shards2").glob("*.parquet"))


def test_the_command_line_dask_engine_stores_what_the_plain_ingest_stores(tmp_path: Path) -> None:
    from pipeline.cli import main

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert main(["ingest", str(seeds), "--db", str(tmp_path / "plain.db"), "-q"]) == 0
    assert main(["ingest", str(seeds), "--db", str(tmp_path / "dask.db"), "--engine", "dask", "--workers", "1",
                 "--shards", str(tmp_path / "shards"), "-q"]) == 0
    plain, dask = store.open_db(tmp_path / "plain.db"), store.open_db(tmp_path / "dask.db")
    assert _stored(dask) == _stored(plain) and _claims(dask)


def test_an_article_that_cannot_become_rows_is_reported_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    import pipeline.ingest as ingest_mod

    articles = list(make_corpus(8, words=120, seed=5))
    real = ingest_mod.article_rows

    def broken_on_the_third(analysis, matcher):
        if analysis.article.id == articles[2].id:
            raise KeyError("gn:gone")
        return real(analysis, matcher)

    monkeypatch.setattr(ingest_mod, "article_rows", broken_on_the_third)
    conn = store.open_db(tmp_path / "dask.db")
    report = ingest_dask(articles, conn, tmp_path / "shards", workers=1, partition=5)
    assert report.articles_new == 7
    assert report.errors == (f"{articles[2].origin}: not stored (KeyError: 'gn:gone')",)
    assert not store.has_article(conn, articles[2].id) and store.has_article(conn, articles[3].id)

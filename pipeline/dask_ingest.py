"""Ingest on a Dask cluster: partitions of the input are extracted on the workers, written as Parquet
shards of analyses, and loaded into the store.

The client reads the input as a stream and sends it to the workers in partitions; each worker runs the
same bounded extraction as a local ingest (pipeline.engine.analyse) and returns plain rows; the client
writes each partition's rows to `SHARD_DIR/part-NNNNN.parquet` (written to a temporary name, then
renamed) and stores them. Loading is idempotent: an article already stored is skipped and claim ids are
deterministic, so a shard loaded twice, or a run repeated, changes nothing. Without a scheduler address
a LocalCluster of worker processes on this machine is started; with one (`tcp://HOST:8786`) the running
cluster's workers are used, and they must have this package installed (`pip install .`).
"""
from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gazetteer.matcher import Matcher, default_matcher
from pipeline.codec import analysis_from_plain, analysis_to_plain
from pipeline.engine import Analysed, analyse, default_workers
from pipeline.models import Article
from pipeline.readers import ReadError

PARTITION = 256  # articles per partition (and per shard)
IN_FLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class ShardResult:
    """What one partition gave: plain analysis rows, warnings and per-article errors."""

    rows: list[dict[str, Any]]
    warnings: list[str]
    errors: list[str]


def extract_partition(articles: list[Article]) -> ShardResult:
    """Runs on a worker: the bounded analysis of each article of a partition, as plain rows."""
    matcher = default_matcher()
    rows: list[dict[str, Any]] = []
    warnings: list[str] = []
    errors: list[str] = []
    for article in articles:
        outcome = analyse(article, matcher)
        if isinstance(outcome, Analysed):
            rows.extend(analysis_to_plain(a) for a in outcome.analyses)
            warnings.extend(outcome.warnings)
        else:
            errors.append(str(outcome))
    return ShardResult(rows, warnings, errors)


def write_shard(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write rows as one Parquet file, atomically (a temporary file renamed into place)."""
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(pa.Table.from_pylist(rows), tmp)
    os.replace(tmp, path)
    return path


def read_shard(path: Path, matcher: Matcher) -> Iterator[Any]:
    """The analyses stored in a shard."""
    for row in pq.read_table(path).to_pylist():
        yield analysis_from_plain(row, matcher.by_id)


def _partitions(items: Iterable[Article | ReadError], size: int, errors: list[str]) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _client(scheduler: str | None, workers: int | None) -> Any:
    from dask.distributed import Client, LocalCluster

    quiet = logging.getLogger("mihwar").getEffectiveLevel() > logging.INFO
    if quiet:  # importing distributed sets its loggers to INFO: a cluster's start and stop chatter
        for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.worker",
                     "distributed.core", "distributed.http.proxy"):
            logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR if quiet else logging.WARNING)
    return Client(cluster)


def run_dask(items: Iterable[Article | ReadError], shard_dir: Path, store_rows: Callable[[Path], None],
             scheduler: str | None = None, workers: int | None = None,
             partition: int = PARTITION) -> tuple[list[str], list[str]]:
    """Extract the stream on a Dask cluster, writing one shard per partition and calling store_rows on it.

    Returns the warnings and the errors (read errors and articles that gave no analysis).
    """
    shard_dir.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    warnings: list[str] = []
    client = _client(scheduler, workers)
    try:
        width = max(len(client.scheduler_info().get("workers", {})), 1)
        pending: deque[tuple[int, Any]] = deque()

        def finish(index: int, future: Any) -> None:
            result: ShardResult = future.result()
            warnings.extend(result.warnings)
            errors.extend(result.errors)
            if result.rows:
                store_rows(write_shard(result.rows, shard_dir / f"part-{index:05d}.parquet"))

        for index, batch in enumerate(_partitions(items, partition, errors)):
            pending.append((index, client.submit(extract_partition, batch, pure=False)))
            if len(pending) >= width * IN_FLIGHT_PER_WORKER:
                finish(*pending.popleft())
        while pending:
            finish(*pending.popleft())
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and not scheduler:
            cluster.close()
    return warnings, errors

"""Command line `mihwar` (also `python -m pipeline`): ingest, extract, geoparse, export, fetch, reprocess."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from gazetteer.matcher import default_matcher
from pipeline import __version__
from pipeline.claims import ArticleAnalysis
from pipeline.engine import Analysed, analyse_stream, default_workers
from pipeline.fetch import FetchError, fetch_url, read_url
from pipeline.formats import BINARY_FORMATS, Format
from pipeline.frame import CLAIM_TYPES, SIDE_LABELS
from pipeline.ingest import StorageFault, ingest_dask, ingest_items
from pipeline.models import Article
from pipeline.progress import progress_bar
from pipeline.readers import ReadError, parse_date, read_paths
from pipeline.reprocess import reprocess
from pipeline.store import DEFAULT_DB, db_path, iter_claims_frames, open_db, open_db_readonly

log = logging.getLogger("mihwar")


def _date(value: str) -> dt.date:
    try:
        d = parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if d is None:
        raise argparse.ArgumentTypeError("empty date")
    return d


def _reported(items: Iterable[Article | ReadError], errors: list[str]) -> Iterator[Article]:
    """The articles of a stream; read errors logged and counted."""
    for item in items:
        if isinstance(item, ReadError):
            errors.append(str(item))
            log.error("%s", item)
            continue
        yield item


def _analyses(args: argparse.Namespace, errors: list[str]) -> Iterator[ArticleAnalysis]:
    """The bounded analyses of the input articles (a long article gives one per part); problems reported."""
    seen: set[str] = set()

    def unique(items: Iterable[Article]) -> Iterator[Article]:
        for art in items:
            if art.id in seen:
                errors.append(f"{art.origin}: id {art.id!r} repeats an earlier article's; skipped")
                log.error("%s", errors[-1])
                continue
            seen.add(art.id)
            yield art

    for outcome in analyse_stream(unique(_reported(read_paths(args.paths, args.published), errors))):
        if isinstance(outcome, Analysed):
            for warning in outcome.warnings:
                log.warning("%s", warning)
            yield from outcome.analyses
        else:  # one article's failure is reported, the batch goes on
            errors.append(str(outcome))
            log.error("%s", errors[-1])


def cmd_geoparse(args: argparse.Namespace) -> int:
    """Prints one JSON line per place mention."""
    errors: list[str] = []
    out = sys.stdout
    for an in _analyses(args, errors):
        for m in an.mentions:
            p = m.place
            out.write(json.dumps({
                "article_id": an.article.id, "surface": m.surface, "start": m.start, "end": m.end,
                "place_id": p.id, "name": p.name, "name_ar": p.name_ar, "lat": p.lat, "lon": p.lon,
                "kind": p.kind, "geo_precision": p.geo_precision, "score": m.score, "how": m.how.value,
            }, ensure_ascii=False) + "\n")
    return 1 if errors else 0


def cmd_extract(args: argparse.Namespace) -> int:
    """Writes the claims of the articles as GeoJSON or CSV (no database)."""
    from pipeline.export import analyses_to_frame, export_text  # pandas: only the commands that make frames load it

    errors: list[str] = []
    df = analyses_to_frame(list(_analyses(args, errors)), default_matcher())
    _write_text(export_text(df, Format(args.format)), args.output)
    log.info("%d claims from %d articles; %d errors", len(df), df["article_id"].nunique(), len(errors))
    return 1 if errors else 0


def _ingest_report(report, db: Path) -> int:
    for w in report.warnings:
        log.warning("%s", w)
    for e in report.errors:
        log.error("%s", e)
    log.warning("%d articles read, %d new, %d new claims, %d errors -> %s", report.articles_seen,
                report.articles_new, report.claims_new, len(report.errors), db)
    return 0 if report.ok else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    """Stores the articles and their claims in the database."""
    db = db_path(args.db)
    conn = open_db(db)
    fetch = fetch_url if args.full_text else None
    items = read_paths(args.paths, args.published, fetch)
    workers = args.workers or default_workers()
    with progress_bar("ingest", args.quiet) as bar:
        if args.engine == "dask":
            shards = args.shards or db.with_name(db.name + ".shards")
            report = ingest_dask(items, conn, shards, args.scheduler, workers, bar)
        else:
            report = ingest_items(items, conn, bar, workers=workers, batch=max(1, args.batch),
                                  batch_seconds=args.batch_seconds)
    conn.close()  # the last connection to close checkpoints the WAL and removes it
    return _ingest_report(report, db)


def cmd_fetch(args: argparse.Namespace) -> int:
    """Fetches web pages or feeds and stores their articles (or writes them as JSON Lines with -o)."""
    errors: list[str] = []

    def items() -> Iterator[Article | ReadError]:
        for url in args.urls:
            try:
                yield from read_url(url, fetch_entries=args.full_text)
            except FetchError as exc:
                yield ReadError(url, str(exc))

    if args.output:
        lines = []
        with progress_bar("fetch", args.quiet) as bar:
            for n, art in enumerate(_reported(items(), errors), start=1):
                lines.append(json.dumps(_article_record(art), ensure_ascii=False))
                bar(n, 0)
        _write_text("".join(line + "\n" for line in lines), args.output)
        log.warning("%d articles written, %d errors -> %s", len(lines), len(errors), args.output)
        return 1 if errors else 0
    db = db_path(args.db)
    with progress_bar("fetch", args.quiet) as bar:
        report = ingest_items(items(), open_db(db), bar)
    return _ingest_report(report, db)


def _article_record(art: Article) -> dict:
    return {"id": art.id, "title": art.title, "text": art.text,
            "published": getattr(art, "published_at", "") or (art.published.isoformat() if art.published else ""),
            "source": art.source, "url": art.url, "lang": art.lang}


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Re-extracts stored articles with the current gazetteer and rules."""
    db = db_path(args.db)
    if not db.exists():
        log.error("no database at %s", db)
        return 2
    with progress_bar("reprocess", args.quiet) as bar:
        report = reprocess(open_db(db), progress=bar)
    for e in report.errors:
        log.error("%s", e)
    log.warning("%d articles reprocessed: %d claims added, %d removed, %d changed side; %d errors -> %s",
                report.articles, report.claims_added, report.claims_removed, report.side_changed,
                len(report.errors), db)
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Writes the stored claims, filtered, as GeoJSON, CSV, GeoPackage, GeoParquet or ACLED-style CSV."""
    from pipeline.export import write_export_stream  # pandas: only the commands that make frames load it
    from pipeline.filters import Filters, apply_filters
    from pipeline.geojson import export_geojson

    db = db_path(args.db)
    if not db.exists():
        log.error("no database at %s (run `mihwar ingest` first)", db)
        return 2
    fmt = Format(args.format) if args.format else format_for(args.output)
    if fmt in BINARY_FORMATS and args.output == "-":
        log.error("--format %s writes a file: give -o FILE", fmt)
        return 2
    filters = Filters(
        date_from=args.start, date_to=args.end, include_undated=args.include_undated,
        sides=frozenset(args.side) if args.side else None,
        claimed_by=frozenset(args.claimed_by) if args.claimed_by else None,
        claim_types=frozenset(args.claim) if args.claim else None,
        place_query=args.place or "", min_confidence=args.min_confidence)
    if fmt is Format.GEOJSON:  # straight from the rows: as fast as dumping the same bytes
        n = export_geojson(open_db_readonly(db), args.output, filters)
    else:
        frames = (apply_filters(chunk, filters) for chunk in iter_claims_frames(open_db_readonly(db)))
        n = write_export_stream(frames, fmt, args.output, args.bom)
    log.warning("%d claims exported", n)
    return 0


SUFFIX_FORMATS = {".gpkg": Format.GPKG, ".parquet": Format.PARQUET, ".geoparquet": Format.PARQUET,
                  ".csv": Format.CSV, ".geojson": Format.GEOJSON, ".json": Format.GEOJSON}


def format_for(output: str) -> Format:
    """The export format an output file's suffix asks for (GeoJSON for stdout and unknown suffixes)."""
    return SUFFIX_FORMATS.get(Path(output).suffix.lower(), Format.GEOJSON) if output != "-" else Format.GEOJSON


def _write_text(text: str, output: str) -> None:
    from pipeline.export import atomic_write

    if output == "-":
        sys.stdout.write(text)
    else:
        atomic_write(Path(output), lambda p: p.write_text(text, encoding="utf-8"))


def build_parser(prog: str = "mihwar") -> argparse.ArgumentParser:
    """The argument parser of `mihwar` (and `python -m pipeline`)."""
    ap = argparse.ArgumentParser(
        prog=prog,
        description="Mihwar: find Libyan places and side-attributed claims in Arabic and English war reports. "
        "Inputs: seed .txt files (a title line given twice starts an article), JSON Lines (.jsonl, one "
        "object a line with id, title, text, published, source, url), CSV with a text column, web pages "
        "(.html), RSS/Atom feeds (.xml, .rss, .atom), Telegram Desktop exports (result.json), folders of "
        "these, or - for standard input. A bad file or line is reported on stderr with its name and line; "
        "the rest is processed and the exit status is 1. The database is --db, else $MIHWAR_DB, else "
        f"{DEFAULT_DB}.",
    )
    ap.add_argument("--version", action="version", version=f"mihwar {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="only errors; no progress bar")
    common.add_argument("-v", "--verbose", action="store_true", help="also say what is done, step by step")
    sub = ap.add_subparsers(dest="command", required=True)

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files or folders; - for stdin")
        p.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                       help="publication date for articles that carry none")

    def database(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default=None, help=f"database file (default $MIHWAR_DB, else {DEFAULT_DB})")

    p = sub.add_parser("geoparse", parents=[common], help="print place mentions as JSON Lines",
                       description="Print one JSON object per place mention: article_id, surface, start, end "
                       "(offsets in the text), place_id, name, name_ar, lat, lon, kind, geo_precision, score, how.")
    inputs(p)
    p.set_defaults(func=cmd_geoparse)

    p = sub.add_parser("extract", parents=[common], help="write claims as GeoJSON or CSV, without a database",
                       description="Extract claims (place, side, claim type, date, speaker, evidence) and write a "
                       "GeoJSON FeatureCollection (or CSV).")
    inputs(p)
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.add_argument("--format", choices=(Format.GEOJSON.value, Format.CSV.value, Format.ACLED.value),
                   default="geojson")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", parents=[common], help="store articles and claims in the database",
                       description="Store articles, place mentions and claims in the SQLite database. "
                       "Articles already stored are skipped; a failed article does not undo the others.")
    inputs(p)
    database(p)
    p.add_argument("--full-text", action="store_true",
                   help="for feed entries, fetch each entry's link and store the page's full text")
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="extract in N processes (default 0: one per available core); one writer stores")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: this machine's processes; dask: a Dask cluster (a LocalCluster of --workers "
                   "processes unless --scheduler is given), partitions written as Parquet shards then stored")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running scheduler, e.g. tcp://10.0.0.5:8786 (its workers need "
                   "`pip install mihwar`)")
    p.add_argument("--shards", type=Path, metavar="DIR",
                   help="with --engine dask: where the Parquet shards go (default: a folder next to the database)")
    p.add_argument("--batch", type=int, default=1000, metavar="N",
                   help="articles stored per transaction, each under a savepoint (default 1000; 1: one each)")
    p.add_argument("--batch-seconds", type=float, default=15.0, metavar="S",
                   help="store a batch once S seconds have passed since its first article, even if it is "
                   "smaller (default 15: the dashboard sees new articles within about that)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("fetch", parents=[common], help="fetch web pages or RSS/Atom feeds and store their articles",
                       description="Fetch each URL (a web page, or an RSS/Atom feed whose entries become articles) "
                       "and store the articles, or write them as JSON Lines with -o.")
    p.add_argument("urls", nargs="+", metavar="URL")
    database(p)
    p.add_argument("--full-text", action="store_true", help="for feeds, fetch each entry's page for its full text")
    p.add_argument("-o", "--output", help="write the articles as JSON Lines here (- for stdout) instead of storing")
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("reprocess", parents=[common], help="re-extract stored articles with the current rules",
                       description="Re-extract every stored article with the current gazetteer and rules, in "
                       "place (one transaction per article), and report claims added, removed and changed side.")
    database(p)
    p.set_defaults(func=cmd_reprocess)

    p = sub.add_parser("export", parents=[common], help="export stored claims",
                       description="Export the stored claims, filtered by date, side, claim type and place, as "
                       "GeoJSON, CSV, GeoPackage, GeoParquet or ACLED-style CSV.")
    database(p)
    p.add_argument("--format", choices=[f.value for f in Format], default=None,
                   help="default: from the -o suffix (.gpkg, .parquet, .csv, .geojson), else geojson")
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.add_argument("--bom", action="store_true", help="CSV: start with a byte-order mark (Excel reads UTF-8)")
    p.add_argument("--start", type=_date, help="first event date (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last event date (YYYY-MM-DD)")
    p.add_argument("--include-undated", action="store_true",
                   help="with --start/--end, keep claims that have no event date")
    p.add_argument("--side", action="append", choices=SIDE_LABELS, help="side (repeatable)")
    p.add_argument("--claimed-by", action="append", choices=SIDE_LABELS, help="who claims it (repeatable)")
    p.add_argument("--claim", action="append", choices=CLAIM_TYPES, help="claim type (repeatable)")
    p.add_argument("--place", help="place id, or part of its English or Arabic name (spelling variants folded)")
    p.add_argument("--min-confidence", type=float, default=0.0)
    p.set_defaults(func=cmd_export)
    return ap


class _Format(logging.Formatter):
    """'error: ...' for errors, the bare message for the rest."""

    def format(self, record: logging.LogRecord) -> str:
        msg = super().format(record)
        return f"error: {msg}" if record.levelno >= logging.ERROR else msg


def _logging(args: argparse.Namespace) -> None:
    level = logging.ERROR if getattr(args, "quiet", False) else (
        logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format("%(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its own per-page chatter
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    for name in ("distributed", "dask"):  # a LocalCluster's start and stop chatter
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def main(argv: list[str] | None = None, prog: str = "mihwar") -> int:
    """Runs the command line; the exit status (0 ok, 1 some inputs failed, 2 usage, 3 the store failed)."""
    args = build_parser(prog).parse_args(argv)
    _logging(args)
    try:
        return int(args.func(args))
    except StorageFault as exc:
        r = exc.report
        log.error("the database failed, stopping: %s; %d new articles (%d claims) were stored before it",
                  exc, r.articles_new, r.claims_new)
        return 3
    except sqlite3.DatabaseError as exc:
        log.error("database %s: %s (not a Mihwar database, damaged, or not writable)", db_path(getattr(args, "db", None)),
                  exc)
        return 3


def run() -> None:
    """The `mihwar` console script."""
    sys.exit(main())

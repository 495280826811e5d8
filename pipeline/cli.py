"""Command line: geoparse, extract, ingest and export."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from gazetteer.matcher import default_matcher
from pipeline.claims import ArticleAnalysis, extract
from pipeline.export import analyses_to_frame, filter_frame, frame_to_csv, geojson_text
from pipeline.ingest import ingest_paths
from pipeline.models import ClaimType
from pipeline.readers import ReadError, parse_date, read_paths
from pipeline.store import load_claims_frame, open_db

DEFAULT_DB = "data/mihwar.db"


def _date(value: str) -> dt.date:
    try:
        d = parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if d is None:
        raise argparse.ArgumentTypeError("empty date")
    return d


def _analyses(paths: list[Path], published: dt.date | None, errors: list[str]) -> Iterator[ArticleAnalysis]:
    matcher = default_matcher()
    for item in read_paths(paths, published):
        if isinstance(item, ReadError):
            errors.append(str(item))
            print(f"error: {item}", file=sys.stderr)
            continue
        yield extract(item, matcher)


def cmd_geoparse(args: argparse.Namespace) -> int:
    """Prints one JSON line per place mention."""
    errors: list[str] = []
    out = sys.stdout
    for an in _analyses(args.paths, args.published, errors):
        for m in an.mentions:
            p = m.place
            out.write(json.dumps({
                "article_id": an.article.id, "surface": m.surface, "start": m.start, "end": m.end,
                "place_id": p.id, "name": p.name, "name_ar": p.name_ar, "lat": p.lat, "lon": p.lon,
                "kind": p.kind, "geo_precision": p.geo_precision, "score": m.score, "how": m.how.value,
            }, ensure_ascii=False) + "\n")
    return 1 if errors else 0


def cmd_extract(args: argparse.Namespace) -> int:
    """Writes the claims of the articles as GeoJSON (no database)."""
    errors: list[str] = []
    df = analyses_to_frame(list(_analyses(args.paths, args.published, errors)), default_matcher())
    text = geojson_text(df) if args.format == "geojson" else frame_to_csv(df)
    _write(text, args.output)
    print(f"{len(df)} claims from {df['article_id'].nunique()} articles; {len(errors)} errors", file=sys.stderr)
    return 1 if errors else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Stores the articles and their claims in the database."""
    conn = open_db(args.db)
    report = ingest_paths(args.paths, conn, args.published)
    for e in report.errors:
        print(f"error: {e}", file=sys.stderr)
    print(f"{report.articles_seen} articles read, {report.articles_new} new, {report.claims_new} new claims, "
          f"{len(report.errors)} errors -> {args.db}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    """Writes the stored claims, filtered, as GeoJSON or CSV."""
    if not Path(args.db).exists():
        print(f"error: no database at {args.db} (run `python -m pipeline ingest` first)", file=sys.stderr)
        return 2
    df = load_claims_frame(open_db(args.db))
    df = filter_frame(df, args.start, args.end, args.side, args.claim, args.place)
    _write(geojson_text(df) if args.format == "geojson" else frame_to_csv(df), args.output)
    print(f"{len(df)} claims exported", file=sys.stderr)
    return 0


def _write(text: str, output: str) -> None:
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m pipeline`."""
    ap = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Mihwar: find Libyan places and side-attributed claims in Arabic and English war reports. "
        "Inputs: seed .txt files (a title line given twice starts an article), JSON Lines (.jsonl, one "
        "object a line with id, title, text, published, source, url), CSV with a text column, or folders "
        "of these. A bad file or line is reported on stderr with its name and line; the rest is processed "
        "and the exit status is 1.",
    )
    sub = ap.add_subparsers(dest="command", required=True)

    def inputs(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files or folders")
        p.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                       help="publication date for articles that carry none")

    p = sub.add_parser("geoparse", help="print place mentions as JSON Lines",
                       description="Print one JSON object per place mention: article_id, surface, start, end "
                       "(offsets in the text), place_id, name, name_ar, lat, lon, kind, geo_precision, score, how.")
    inputs(p)
    p.set_defaults(func=cmd_geoparse)

    p = sub.add_parser("extract", help="write claims as GeoJSON, without a database",
                       description="Extract claims (place, side, claim type, date, speaker, evidence) and write a "
                       "GeoJSON FeatureCollection (or CSV).")
    inputs(p)
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.add_argument("--format", choices=("geojson", "csv"), default="geojson")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="store articles and claims in the database",
                       description="Store articles, place mentions and claims in the SQLite database. "
                       "Articles already stored are skipped; a failed article does not undo the others.")
    inputs(p)
    p.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="export stored claims as GeoJSON or CSV",
                       description="Export the stored claims, filtered by date, side, claim type and place.")
    p.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    p.add_argument("--format", choices=("geojson", "csv"), default="geojson")
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.add_argument("--start", type=_date, help="first event date (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last event date (YYYY-MM-DD)")
    p.add_argument("--side", action="append", choices=("GNA", "LNA", "none"), help="side (repeatable)")
    p.add_argument("--claim", action="append", choices=[c.value for c in ClaimType], help="claim type (repeatable)")
    p.add_argument("--place", help="place id, or part of its English or Arabic name")
    p.set_defaults(func=cmd_export)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; the exit status."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))

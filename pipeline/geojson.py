"""GeoJSON of stored claims written straight from SQLite rows: no frames, no dicts, constant memory.

The text is byte for byte what `json.dumps(feature, ensure_ascii=False)` gives for the feature dicts of
`pipeline.export.iter_features` (RFC 7946 Points, [lon, lat] rounded to 6 places, Arabic kept as text,
one feature a line), but SQLite hands back every cell already as JSON text: `json_quote` escapes text
exactly as Python's encoder does (checked on each connection; where it does not, a Python `json_quote`
is registered in its place), dates are cut to their day in SQL, and each place (its geometry and
names) and each article (title, source, url, date) is encoded once into a temporary table. A feature
is then one `%` format of a row of text cells and the confidence. The export order (the frame's) is
sorted on its keys alone into a temporary table first.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import pandas as pd

from pipeline.export import atomic_write
from pipeline.filters import Filters, apply_filters
from pipeline.frame import ARTICLE_COLUMNS, CLAIM_COLUMNS, PLACE_COLUMNS
from pipeline.store import CLAIMS_ORDER, claim_column_sql

_quote: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]  # C, ensure_ascii=False
COLLECTION_START = '{"type": "FeatureCollection", "features": ['
COLLECTION_END = "\n]}\n"
BLANK_IF_NULL = frozenset({"url", "admin1", "source", "title"})  # as pipeline.frame.finish_frame does
DATES = frozenset({"date", "published"})
NUMBERS = frozenset({"confidence"})
PROPERTY_COLUMNS: tuple[str, ...] = tuple(c for c in CLAIM_COLUMNS if c not in ("lat", "lon"))
FILTER_COLUMNS: tuple[str, ...] = ("date", "side", "claimed_by", "claim", "confidence", "place_id", "place",
                                   "place_ar")
PLACE_PROPERTIES: tuple[str, ...] = tuple(c for c in PROPERTY_COLUMNS if c in PLACE_COLUMNS)
ARTICLE_PROPERTIES: tuple[str, ...] = tuple(c for c in PROPERTY_COLUMNS if c in ARTICLE_COLUMNS)
PLACES_TABLE = "temp.mihwar_feature_places"
#: SQLite's page cache during an export (KiB): sorts stay in memory instead of temporary files (at 1.28
#: million claims: less CPU, half the bytes written; peak RSS about 200 MB instead of 135).
SORT_CACHE_KIB = 65_536
ARTICLES_TABLE = "temp.mihwar_feature_articles"
ORDER_TABLE = "temp.mihwar_feature_order"
PROBE = 'a"\\/\n\r\t\b\f\x00\x1f\x7f\u2028\u200f عين زارة \U0001f600'  # what the two encoders must agree on


def _py_json_quote(value: object) -> str:
    """json_quote done by Python's encoder (used where SQLite's differs or is missing)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return json.dumps(value, ensure_ascii=False)


def _place_cells(row: dict[str, object]) -> tuple[str, ...]:
    """A place's geometry, then its PLACE_PROPERTIES, as JSON text."""
    geometry = {"type": "Point", "coordinates": [round(float(row["lon"]), 6), round(float(row["lat"]), 6)]}
    return (json.dumps(geometry), *(_py_json_quote("" if row[c] is None and c in BLANK_IF_NULL else row[c])
                                    for c in PLACE_PROPERTIES))



def prepare(conn: sqlite3.Connection) -> None:
    """Makes `json_quote` on this connection agree with json.dumps; encodes every place and article once.

    The encoded places and articles are temporary tables of this connection: two exports at once need
    two connections.

    The article cells are encoded once an article rather than once a claim: reading them off each claim's
    row would walk past the article's text (SQLite overflow pages) once for every claim.
    """
    try:
        same = conn.execute("SELECT json_quote(?)", (PROBE,)).fetchone()[0] == _quote(PROBE)
    except sqlite3.OperationalError:  # SQLite built without JSON functions
        same = False
    if not same:
        conn.create_function("json_quote", 1, _py_json_quote, deterministic=True)
    cols = ", ".join(f'"{c}" TEXT' for c in PLACE_PROPERTIES)
    conn.execute(f"CREATE TABLE IF NOT EXISTS {PLACES_TABLE} (id TEXT PRIMARY KEY, geometry TEXT, {cols}) "
                 "WITHOUT ROWID")  # a look-up is one b-tree descent, not an index's then the table's
    conn.execute(f"DELETE FROM {PLACES_TABLE}")
    select = ", ".join(f'"{PLACE_COLUMNS[c]}"' for c in ("lat", "lon", *PLACE_PROPERTIES))
    cur = conn.cursor()
    cur.row_factory = None
    rows = ((pid, *_place_cells(dict(zip(("lat", "lon", *PLACE_PROPERTIES), rest, strict=True))))
            for pid, *rest in cur.execute(f"SELECT id, {select} FROM places"))
    conn.executemany(f"INSERT INTO {PLACES_TABLE} VALUES ({', '.join('?' * (2 + len(PLACE_PROPERTIES)))})", rows)
    cols = ", ".join(f'"{c}" TEXT' for c in ARTICLE_PROPERTIES)
    conn.execute(f"CREATE TABLE IF NOT EXISTS {ARTICLES_TABLE} (id TEXT PRIMARY KEY, {cols}) WITHOUT ROWID")
    conn.execute(f"DELETE FROM {ARTICLES_TABLE}")
    cells = ", ".join(_encode_sql(c, claim_column_sql(c)) for c in ARTICLE_PROPERTIES)
    conn.execute(f"INSERT INTO {ARTICLES_TABLE} SELECT a.id, {cells} FROM articles a")
    # The export order, sorted on the keys alone: sorting whole feature rows costs a third more. The keys
    # are read by one pass over the table (NOT INDEXED): through the date index, each claim's other keys
    # are a look-up in the table (a third more CPU at 2.66 million claims).
    conn.execute(f"CREATE TABLE IF NOT EXISTS {ORDER_TABLE} (claim INTEGER NOT NULL)")
    conn.execute(f"DELETE FROM {ORDER_TABLE}")
    conn.execute(f"INSERT INTO {ORDER_TABLE} (claim) SELECT c.rowid FROM claims c NOT INDEXED {CLAIMS_ORDER}")


def _sql_text(literal: str) -> str:
    return "'" + literal.replace("'", "''") + "'"


def cell_sql(column: str) -> str:
    """SQL giving a property's JSON text; for NUMBERS a number or 'null' (Python's str() of a float is JSON)."""
    if column in PLACE_PROPERTIES:
        return f'g."{column}"'
    if column in ARTICLE_PROPERTIES:
        return f't."{column}"'
    return _encode_sql(column, claim_column_sql(column))


def _encode_sql(column: str, x: str) -> str:
    """SQL turning the expression x, the value of a column, into its JSON text."""
    if column in DATES:
        day = f"substr({x}, 1, 10)"
        return f"CASE WHEN date({day}) = {day} THEN '\"' || {day} || '\"' ELSE 'null' END"
    if column in NUMBERS:
        return f"CASE WHEN typeof({x}) = 'real' OR typeof({x}) = 'integer' THEN {x} ELSE 'null' END"
    if column in BLANK_IF_NULL:
        return f"json_quote(coalesce({x}, ''))"
    return f"json_quote({x})"


def feature_cells() -> list[str]:
    """SQL cells whose texts, joined, make one feature: runs of text concatenated in SQL, numbers apart."""
    pieces: list[tuple[str, bool]] = [(_sql_text('{"type": "Feature", "id": '), False), (cell_sql("claim_id"), False),
                                      (_sql_text(', "geometry": '), False), ("g.geometry", False),
                                      (_sql_text(', "properties": {'), False)]
    for i, col in enumerate(PROPERTY_COLUMNS):
        pieces.append((_sql_text((", " if i else "") + json.dumps(col) + ": "), False))
        pieces.append((cell_sql(col), col in NUMBERS))
    pieces.append((_sql_text("}}"), False))
    cells: list[str] = []
    run: list[str] = []
    for sql, number in pieces:
        if number:
            cells += [" || ".join(run), sql] if run else [sql]
            run = []
        else:
            run.append(sql)
    if run:
        cells.append(" || ".join(run))
    return cells


FROM = (f"FROM {ORDER_TABLE} o JOIN claims c ON c.rowid = o.claim JOIN {ARTICLES_TABLE} t ON t.id = c.article_id "
        f"JOIN {PLACES_TABLE} g ON g.id = c.place_id")
ORDER = "ORDER BY o.rowid"  # the rows of ORDER_TABLE were inserted in CLAIMS_ORDER


def feature_query(filtered: bool = False) -> str:
    """The query whose first N_CELLS cells make a feature's text, then (filtered) the raw FILTER_COLUMNS."""
    cells = feature_cells()
    if filtered:
        cells += [claim_column_sql(c) for c in FILTER_COLUMNS]
    join = " JOIN places p ON p.id = c.place_id" if filtered else ""  # the filter reads the raw place names
    return f"SELECT {', '.join(cells)} {FROM}{join} {ORDER}"


N_CELLS = len(feature_cells())
FEATURE_TEMPLATE = "%s" * N_CELLS


def _kept(rows: list[tuple], filters: Filters) -> list[tuple]:
    """The rows (feature cells, then FILTER_COLUMNS) that pass the one claims filter, cut to the cells."""
    frame = pd.DataFrame([r[N_CELLS:] for r in rows], columns=list(FILTER_COLUMNS))
    frame["confidence"] = pd.to_numeric(frame["confidence"], errors="coerce")
    return [rows[i][:N_CELLS] for i in apply_filters(frame, filters).index]


def iter_feature_batches(conn: sqlite3.Connection, filters: Filters | None = None,
                         size: int = 2_000) -> Iterator[list[str]]:
    """The stored claims that pass the filters as GeoJSON feature texts, a batch at a time (export order)."""
    filtered = filters is not None and filters != Filters()
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")  # the sort stays in memory
    try:
        prepare(conn)
        cur = conn.cursor()
        cur.row_factory = None  # plain tuples, whatever the connection's factory
        cur.execute(feature_query(filtered))
        fmt = FEATURE_TEMPLATE.__mod__
        while rows := cur.fetchmany(size):
            if filtered:
                rows = _kept(rows, filters)  # type: ignore[arg-type]
            if rows:
                yield list(map(fmt, rows))
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def write_geojson(conn: sqlite3.Connection, out: TextIO, filters: Filters | None = None) -> int:
    """Writes the filtered claims as one FeatureCollection to a text stream; the number of features."""
    out.write(COLLECTION_START)
    n = 0
    for batch in iter_feature_batches(conn, filters):
        out.write("\n" if n == 0 else ",\n")  # apart: joined to the batch, it would copy the batch again
        out.write(",\n".join(batch))
        n += len(batch)
    out.write(COLLECTION_END)
    return n


def export_geojson(conn: sqlite3.Connection, output: str | Path, filters: Filters | None = None,
                   stdout: TextIO | None = None) -> int:
    """Writes the filtered claims as GeoJSON to a file (through a temporary file) or stdout ('-')."""
    if str(output) == "-":
        return write_geojson(conn, stdout or sys.stdout, filters)
    written = [0]

    def stream(p: Path) -> None:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            written[0] = write_geojson(conn, fh, filters)

    atomic_write(Path(output), stream)
    return written[0]

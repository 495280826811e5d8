"""The export formats: a module of its own, so the command line knows them without loading pandas."""
from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """The export formats."""

    GEOJSON = "geojson"
    CSV = "csv"
    GPKG = "gpkg"
    PARQUET = "parquet"
    ACLED = "acled"


BINARY_FORMATS = frozenset({Format.GPKG, Format.PARQUET})

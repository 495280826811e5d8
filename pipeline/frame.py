"""The claims frame, defined once: its columns, the claim id, its rows and its dtypes.

The store (`load_claims_frame`), `extract` (`analyses_to_frame`), the exports and the dashboard all
use these. A new claim column is one line in CLAIM_FIELDS (stored, exported, shown), its place in
CLAIM_COLUMNS and a migration in pipeline.store.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazetteer.records import Place
from pipeline.claims import ArticleAnalysis
from pipeline.models import Article, Claim

if TYPE_CHECKING:  # pandas is imported where a frame is built: `mihwar ingest` starts without it
    import pandas as pd

CLAIM_TYPES: tuple[str, ...] = ("control", "repelled", "advance", "attack", "clash", "strike", "withdrawal")
SIDES: tuple[str, ...] = ("GNA", "LNA")
NO_SIDE = "none"
SIDE_LABELS: tuple[str, ...] = (*SIDES, NO_SIDE)
SIDE_NAMES: dict[str, str] = {
    "GNA": "Government of National Accord (GNA)",
    "LNA": "Libyan National Army (LNA)",
}


def side_label(value: object) -> str:
    """'GNA', 'LNA' or 'none' for a side/claimed_by cell (None/NaN become 'none')."""
    return value if value in SIDES else NO_SIDE  # type: ignore[return-value]


@dataclass(frozen=True)
class ClaimField:
    """A column of the claims table: its name, SQL type and how it is read off a claim."""

    name: str
    sql: str
    value: Callable[[Claim], object]


def _side(value: object) -> str | None:
    return getattr(value, "value", None) if value is not None else None


CLAIM_FIELDS: tuple[ClaimField, ...] = (
    ClaimField("place_id", "TEXT NOT NULL REFERENCES places(id)", lambda c: c.place_id),
    ClaimField("claim", "TEXT NOT NULL", lambda c: c.claim.value),
    ClaimField("side", "TEXT", lambda c: _side(c.side)),
    ClaimField("claimed_by", "TEXT", lambda c: _side(c.claimed_by)),
    ClaimField("date", "TEXT", lambda c: c.date.date.isoformat() if c.date else None),
    ClaimField("date_precision", "TEXT", lambda c: c.date.precision.value if c.date else None),
    ClaimField("evidence", "TEXT NOT NULL", lambda c: c.evidence),
    ClaimField("start", "INTEGER", lambda c: c.start),
    ClaimField("end", "INTEGER", lambda c: c.end),
    ClaimField("confidence", "REAL", lambda c: c.confidence),
    ClaimField("pattern", "TEXT", lambda c: c.pattern),
    ClaimField("why", "TEXT", lambda c: c.why.value),  # the kind of evidence for the side (pipeline.models.Evidence)
)

# The frame: one row a claim with its place and article. Exports and the dashboard read these.
CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id", "article_id", "place_id", "place", "place_ar", "admin1", "lat", "lon", "side", "claim",
    "claimed_by", "date", "date_precision", "geo_precision", "evidence", "confidence", "why",
    "title", "source", "url", "published",
)
PLACE_COLUMNS: dict[str, str] = {"place": "name", "place_ar": "name_ar", "admin1": "admin1", "lat": "lat",
                                 "lon": "lon", "geo_precision": "geo_precision"}
ARTICLE_COLUMNS: tuple[str, ...] = ("title", "source", "url", "published")
NUMBER_COLUMNS = ("lat", "lon", "confidence")
DATE_COLUMNS = ("date", "published")


def claim_id(article_id: str, place_id: str, claim: str, side: str | None, date: str | None) -> str:
    """A stable id for a claim: the same article, place, claim type, side and date give the same id."""
    return f"{article_id}|{place_id}|{claim}|{side or '-'}|{date or '-'}"


def claim_values(article_id: str, c: Claim) -> dict[str, object]:
    """The stored fields of one claim (CLAIM_FIELDS) with its id."""
    values = {f.name: f.value(c) for f in CLAIM_FIELDS}
    values["id"] = claim_id(article_id, c.place_id, str(values["claim"]), values["side"], values["date"])  # type: ignore[arg-type]
    return values


def claim_row(article: Article, c: Claim, place: Place, admin1: str = "") -> dict[str, object]:
    """One frame row (CLAIM_COLUMNS) for a claim of an article at a place."""
    v = claim_values(article.id, c)
    row = {k: v.get(k) for k in CLAIM_COLUMNS}
    row.update({
        "claim_id": v["id"], "article_id": article.id, "place": place.name, "place_ar": place.name_ar,
        "admin1": place.admin1 or admin1, "lat": place.lat, "lon": place.lon, "geo_precision": place.geo_precision,
        "title": article.title, "source": article.source, "url": article.url,
        "published": article.published.isoformat() if article.published else None,
    })
    return row


def analyses_frame(analyses: Iterable[ArticleAnalysis], places: dict[str, Place],
                   admin1_of: Callable[[Place], str] | None = None) -> pd.DataFrame:
    """The claims frame of analysed articles (no database); places maps place ids to records."""
    import pandas as pd

    rows = []
    for an in analyses:
        for c in an.claims:
            place = places[c.place_id]
            rows.append(claim_row(an.article, c, place, admin1_of(place) if admin1_of and not place.admin1 else ""))
    return finish_frame(pd.DataFrame(rows, columns=list(CLAIM_COLUMNS)))


def finish_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every CLAIM_COLUMNS column (missing ones empty), dates and numbers typed, in column order."""
    import pandas as pd

    out = df.copy()
    for col in CLAIM_COLUMNS:
        if col not in out.columns:
            out[col] = None
    for col in NUMBER_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce")
    for col in DATE_COLUMNS:
        if out[col].dtype == object:
            out[col] = out[col].map(_day)
        out[col] = pd.to_datetime(out[col], errors="coerce")
    for col in ("side", "claimed_by", "date_precision"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    for col in ("url", "admin1", "source", "title"):
        out[col] = out[col].astype(object).where(out[col].notna(), "")
    extra = [c for c in out.columns if c not in CLAIM_COLUMNS]
    return out[[*CLAIM_COLUMNS, *extra]]


def _day(value: object) -> object:
    """The date part of an ISO date or datetime text (its own time zone kept); other values as they are."""
    if isinstance(value, str) and len(value) > 10 and value[4] == "-":
        return value[:10]
    return value


def empty_claims() -> pd.DataFrame:
    """An empty claims frame with the columns and dtypes."""
    import pandas as pd

    return finish_frame(pd.DataFrame(columns=list(CLAIM_COLUMNS)))

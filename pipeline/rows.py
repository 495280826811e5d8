"""An analysed article as the rows the store inserts (articles, places, mentions, claims), in plain values.

Made where the analysis is made (a worker process of an ingest), so the writing process only inserts
them: it neither unpickles the records of claims and place mentions (dataclasses, enums, dates) nor
converts them. Every path that stores an analysis (ingest with one or more workers, Dask, reprocess,
upload) makes its rows here, so they store the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass

from gazetteer.matcher import MATCHER_VERSION, Matcher
from pipeline.claims import ArticleAnalysis
from pipeline.frame import CLAIM_FIELDS, claim_id
from pipeline.regions import admin1_of

# Column order of each row; pipeline.store names these columns in its INSERT statements. An article's row
# lacks `ingested_at`, which the store adds when it inserts the row.
ARTICLE_ROW = ("id", "title", "text", "published", "source", "url", "lang", "origin", "matcher_version",
               "published_at")
PLACE_ROW = ("id", "name", "name_ar", "lat", "lon", "kind", "geo_precision", "admin1")
MENTION_ROW = ("article_id", "start", "end", "surface", "place_id", "score", "how")
CLAIM_ROW = ("id", "article_id", *(f.name for f in CLAIM_FIELDS), "matcher_version")

_CLAIM_VALUES = tuple(f.value for f in CLAIM_FIELDS)
_AT = {f.name: i for i, f in enumerate(CLAIM_FIELDS)}
_CLAIM, _SIDE, _DATE, _PLACE = _AT["claim"], _AT["side"], _AT["date"], _AT["place_id"]


@dataclass(frozen=True)
class ArticleRows:
    """One analysed article (or part of a long one) as rows: `article` in ARTICLE_ROW order, then
    `places`, `mentions` and `claims` in PLACE_ROW, MENTION_ROW and CLAIM_ROW order."""

    article: tuple
    places: tuple[tuple, ...]
    mentions: tuple[tuple, ...]
    claims: tuple[tuple, ...]

    @property
    def id(self) -> str:
        """The article's id."""
        return self.article[0]

    @property
    def text(self) -> str:
        """The article's text."""
        return self.article[2]

    @property
    def origin(self) -> str:
        """Where the article was read (file and line)."""
        return self.article[7]


def article_rows(analysis: ArticleAnalysis, matcher: Matcher) -> ArticleRows:
    """The rows that store an analysed article: the article, the places its mentions and claims name (from
    the matcher's gazetteer), its mentions and its claims (with their ids)."""
    art = analysis.article
    places = {m.place.id: m.place for m in analysis.mentions}
    for c in analysis.claims:
        places.setdefault(c.place_id, matcher.by_id[c.place_id])
    claims = []
    for c in analysis.claims:
        values = tuple(value(c) for value in _CLAIM_VALUES)
        cid = claim_id(art.id, values[_PLACE], str(values[_CLAIM]), values[_SIDE], values[_DATE])  # type: ignore[arg-type]
        claims.append((cid, art.id, *values, MATCHER_VERSION))
    return ArticleRows(
        article=(art.id, art.title, art.text, art.published.isoformat() if art.published else None, art.source,
                 art.url, art.lang, art.origin, MATCHER_VERSION, getattr(art, "published_at", "") or None),
        places=tuple((p.id, p.name, p.name_ar, p.lat, p.lon, p.kind, p.geo_precision,
                      p.admin1 or admin1_of(p.lat, p.lon)) for p in places.values()),
        mentions=tuple((art.id, m.start, m.end, m.surface, m.place.id, m.score, m.how.value)
                       for m in analysis.mentions),
        claims=tuple(claims),
    )

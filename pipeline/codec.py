"""The pipeline's typed records as plain values (dicts, lists, strings, numbers) and back.

Plain values travel between processes and machines and fit a Parquet row: dataclasses become dicts,
enums their values, dates ISO strings, and a gazetteer Place its id (the receiver holds the same
gazetteer and looks the place up again).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any

from gazetteer.records import Place
from pipeline.claims import ArticleAnalysis


def to_plain(obj: Any) -> Any:
    """A record as plain values."""
    if isinstance(obj, Place):
        return obj.id
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_plain(x) for x in obj]
    return obj


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(tp: Any, data: Any, places: Mapping[str, Place]) -> Any:
    """The record of type `tp` that `to_plain` made `data` from; places are looked up by id."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        for option in options[:-1]:
            try:
                return from_plain(option, data, places)
            except (TypeError, ValueError, KeyError):
                continue
        return from_plain(options[-1], data, places)
    if tp is Place:
        return places[data]
    if origin in (tuple, list, set, frozenset):
        (item,) = typing.get_args(tp)[:1] or (Any,)
        return origin(from_plain(item, x, places) for x in data)
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{k: from_plain(hints[k], v, places) for k, v in data.items() if k in hints})
    return data


def analysis_to_plain(analysis: ArticleAnalysis) -> dict[str, Any]:
    """An article's analysis as one plain row."""
    return to_plain(analysis)


def analysis_from_plain(row: Mapping[str, Any], places: Mapping[str, Place]) -> ArticleAnalysis:
    """The analysis a plain row was made from."""
    return from_plain(ArticleAnalysis, dict(row), places)

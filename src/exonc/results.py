"""The vocabulary every exonc result shares.

Analyses return frozen dataclasses that mix in :class:`Result`. A result knows how to give
its main table (:meth:`Result.summary`), render it as text, HTML or LaTeX, and turn itself
into JSON-safe data (:meth:`Result.to_dict`). Column names in summaries follow one
vocabulary: ``estimate``, ``se``, ``df``, ``ci_lower``, ``ci_upper``, ``p``.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["RESULT_COLUMNS", "Result", "jsonable", "render_frame"]

RESULT_COLUMNS = ("estimate", "se", "df", "ci_lower", "ci_upper", "p")

RenderFormat = Literal["text", "html", "latex"]


def jsonable(value: Any) -> Any:
    """Convert *value* into plain JSON types: NaN and missing become ``None``.

    Handles dataclasses, mappings, sequences, numpy scalars and arrays, pandas frames and
    series (as lists of records / dicts), dates and enums.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def render_frame(frame: pd.DataFrame, fmt: RenderFormat = "text", *, digits: int = 4) -> str:
    """Render a summary table in one of the shared formats."""
    rounded = frame.round(digits)
    if fmt == "text":
        return rounded.to_string()
    if fmt == "html":
        return rounded.to_html(classes="exonc-result", border=0, na_rep="")
    if fmt == "latex":
        return rounded.style.format(precision=digits, na_rep="").to_latex()
    raise ValueError(f"unknown format {fmt!r}; use 'text', 'html' or 'latex'")


class Result(abc.ABC):
    """Mixin for frozen result dataclasses.

    Subclasses implement :meth:`summary`; everything else follows from it and from the
    dataclass fields.
    """

    @abc.abstractmethod
    def summary(self) -> pd.DataFrame:
        """The result's main table, one row per estimate, in the shared column vocabulary."""

    def to_frame(self) -> pd.DataFrame:
        """The main table of the result (the same as :meth:`summary` unless overridden)."""
        return self.summary()

    def render(self, fmt: RenderFormat = "text", *, digits: int = 4) -> str:
        return render_frame(self.summary(), fmt, digits=digits)

    def to_dict(self) -> dict[str, Any]:
        data = jsonable(self)
        if not isinstance(data, dict):
            raise TypeError(f"{type(self).__name__} is not a dataclass")
        return data

    def __str__(self) -> str:
        return self.render("text")

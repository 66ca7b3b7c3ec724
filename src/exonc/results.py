"""The vocabulary every exonc result shares.

Analyses return frozen dataclasses that mix in :class:`Result`. A result knows how to give
its main table (:meth:`Result.summary`, :meth:`Result.to_frame`), render it as text, HTML
or LaTeX, and turn itself into JSON-safe data (:meth:`Result.to_dict`); it says whether
its computation converged (``converged``) and carries what a reader must know about it
(``warnings``: non-convergence, failed refits, data quality, provisional scoring). Column
names in summaries follow one vocabulary: ``estimate``, ``se``, ``df``, ``ci_lower``,
``ci_upper``, ``p``.

:class:`BootstrapResult` is the one result of every bootstrap in exonc (the MMRM's subject
bootstrap and the cost-effectiveness bootstrap).
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["RESULT_COLUMNS", "BootstrapResult", "Result", "jsonable", "render_frame"]

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

    Subclasses implement :meth:`summary`. ``converged`` is ``True`` and ``warnings`` empty
    here, for results that nothing iterates to reach and nothing can make doubtful;
    results that can be doubtful override them — with a property, or with a dataclass
    field *that has a default* (``warnings: tuple[str, ...] = ()``; a field without one
    would collide with the property). ``to_frame`` and ``to_dict`` follow from
    :meth:`summary` and the dataclass fields. ``tests/test_results.py`` checks every
    result class of exonc for the vocabulary.
    """

    @property
    def converged(self) -> bool:
        """Whether the computation reached its solution (always, if nothing iterates)."""
        return True

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a reader of the result must know (non-convergence, data quality, …)."""
        return ()

    @abc.abstractmethod
    def summary(self) -> pd.DataFrame:
        """The result's main table, one row per estimate, in the shared column vocabulary."""

    def to_frame(self) -> pd.DataFrame:
        """The main table of the result (the same as :meth:`summary` unless overridden)."""
        return self.summary()

    def render(self, fmt: RenderFormat = "text", *, digits: int = 4) -> str:
        return render_frame(self.summary(), fmt, digits=digits)

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-safe data, with ``converged`` and ``warnings``."""
        data = jsonable(self)
        if not isinstance(data, dict):
            raise TypeError(f"{type(self).__name__} is not a dataclass")
        return data | {"converged": self.converged, "warnings": list(self.warnings)}

    def __str__(self) -> str:
        return self.render("text")


@dataclass(frozen=True, eq=False)
class BootstrapResult(Result):
    """Bootstrap replicates of one or more statistics, with percentile intervals.

    ``labels`` has one row per statistic (e.g. ``arm`` and ``visit`` of a treatment
    contrast, or ``term``); ``replicates`` is replicates × statistics, a row of NaN where
    a replicate could not be computed (a refit that failed); ``estimate`` holds the
    full-data estimates. Failed replicates are left out of the summary, counted in
    ``n_failed`` and named in ``warnings``; ``converged`` is ``False`` if any failed.
    """

    labels: pd.DataFrame
    replicates: NDArray[np.float64]
    estimate: NDArray[np.float64]
    alpha: float = 0.05
    warnings: tuple[str, ...] = ()

    @property
    def n_replicates(self) -> int:
        return int(self.replicates.shape[0])

    @property
    def failed(self) -> NDArray[np.bool_]:
        """Which replicates failed (a row with any NaN)."""
        return np.asarray(np.isnan(self.replicates).any(axis=1))

    @property
    def n_failed(self) -> int:
        return int(self.failed.sum())

    @property
    def converged(self) -> bool:
        return self.n_failed == 0

    @property
    def successful(self) -> NDArray[np.float64]:
        """The replicates that were computed (failed ones left out)."""
        return np.asarray(self.replicates[~self.failed])

    def summary(self) -> pd.DataFrame:
        """Per statistic: full-data ``estimate``, bootstrap ``se``, percentile interval."""
        ok = self.successful
        if len(ok) == 0:
            lower = upper = se = np.full(self.replicates.shape[1], np.nan)
        else:
            lower, upper = np.quantile(ok, [self.alpha / 2, 1 - self.alpha / 2], axis=0)
            se = ok.std(axis=0, ddof=1) if len(ok) > 1 else np.full(ok.shape[1], np.nan)
        return self.labels.assign(
            estimate=self.estimate, se=se, ci_lower=lower, ci_upper=upper, replicates=len(ok)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "replicates": self.n_replicates,
            "n_failed": self.n_failed,
            "alpha": self.alpha,
            "summary": jsonable(self.summary()),
            "converged": self.converged,
            "warnings": list(self.warnings),
        }

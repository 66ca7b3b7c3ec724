"""Fixed-effects design matrices with R's treatment coding and column names.

Factors are coded by treatment contrasts (first level is the reference) when the term
without that factor is in the model, and by indicators otherwise — R's rule, so that
``y ~ a:b`` and ``y ~ a * b`` give the columns R gives. Column names follow R:
``ARMCDTRT``, ``ARMCDTRT:AVISITVIS2``, ``FEV1_BL``; the first variable of an interaction
varies fastest. The reference grid follows emmeans: every combination of factor levels,
numeric variables at their mean over the analysed rows, and equal weights when averaging.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis.formula import Formula, Term
from exonc.errors import AnalysisInputError

__all__ = ["Design", "Variable"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Variable:
    """A variable of the design: a factor (``levels``) or numeric (``mean``)."""

    name: str
    levels: tuple[str, ...] | None = None
    mean: float = float("nan")

    @property
    def is_factor(self) -> bool:
        return self.levels is not None


@dataclass(frozen=True)
class Design:
    """How to turn a data frame into the fixed-effects matrix of a formula."""

    formula: Formula
    variables: Mapping[str, Variable]
    coding: tuple[tuple[bool, ...], ...]  # per term, per variable: True = contrasts
    columns: tuple[str, ...]

    @classmethod
    def build(
        cls, frame: pd.DataFrame, formula: Formula, levels: Mapping[str, Sequence[str]]
    ) -> Design:
        """Describe the design of *formula* on *frame* (factor levels as given or found)."""
        variables = {name: _variable(frame[name], levels.get(name)) for name in formula.variables}
        present = set(formula.terms) | ({()} if formula.intercept else set())
        coding = tuple(
            tuple(tuple(v for v in term if v != name) in present for name in term)
            for term in formula.terms
        )
        columns = ["(Intercept)"] if formula.intercept else []
        for term, codes in zip(formula.terms, coding, strict=True):
            columns += _term_names(term, codes, variables)
        return cls(formula, variables, coding, tuple(columns))

    @property
    def factors(self) -> tuple[str, ...]:
        return tuple(name for name, v in self.variables.items() if v.is_factor)

    def matrix(self, frame: pd.DataFrame) -> Array:
        """The design matrix of *frame* (rows in order; no missing values allowed)."""
        return self._assemble({name: self._encode(frame[name]) for name in self.variables})

    def _assemble(self, values: Mapping[str, NDArray[Any]]) -> Array:
        """Design rows from factor codes (integers) and numeric values (floats)."""
        n = len(next(iter(values.values()))) if values else 0
        blocks = [np.ones((n, 1))] if self.formula.intercept else []
        for term, codes in zip(self.formula.terms, self.coding, strict=True):
            block = np.ones((n, 1))
            for name, contrasts in zip(term, codes, strict=True):
                part = self._columns(name, values[name], contrasts)
                block = (part[:, :, None] * block[:, None, :]).reshape(n, -1)
            blocks.append(block)
        return np.hstack(blocks) if blocks else np.zeros((n, 0))

    def _columns(self, name: str, values: NDArray[Any], contrasts: bool) -> Array:
        levels = self.variables[name].levels
        if levels is None:
            return np.asarray(values, dtype=float)[:, None]
        indicators: Array = np.eye(len(levels))[values]
        return indicators[:, 1:] if contrasts else indicators

    def _encode(self, column: pd.Series) -> NDArray[Any]:
        variable = self.variables[str(column.name)]
        if variable.levels is None:
            return np.asarray(column, dtype=float)
        codes = pd.Index(variable.levels).get_indexer(pd.Index(column.astype(str)))
        if np.any(codes < 0):
            bad = column.iloc[int(np.flatnonzero(codes < 0)[0])]
            raise AnalysisInputError(
                f"level {bad!r} of {variable.name} was not in the data the model was fitted on"
            )
        return codes

    def reference_grid(self, by: Sequence[str]) -> tuple[pd.DataFrame, Array]:
        """emmeans' reference grid averaged within each combination of the *by* factors.

        Returns the combinations (one row each, in level order) and the matching rows of
        averaged design vectors: other factors weighted equally, numeric variables at mean.
        """
        factors = self.factors
        unknown = [name for name in by if name not in factors]
        if unknown:
            raise AnalysisInputError(f"{unknown[0]!r} is not a factor of the model")
        sizes = [len(self.variables[f].levels or ()) for f in factors]
        codes = np.indices(sizes).reshape(len(sizes), -1)
        values: dict[str, NDArray[Any]] = dict(zip(factors, codes, strict=True))
        count = codes.shape[1] if factors else 1
        for name, variable in self.variables.items():
            if not variable.is_factor:
                values[name] = np.full(count, variable.mean)
        rows = self._assemble(values) if values else self._assemble({"": np.zeros(1)})
        by_sizes = [sizes[factors.index(b)] for b in by]
        group = (
            np.ravel_multi_index([values[b] for b in by], by_sizes)
            if by
            else np.zeros(count, dtype=int)
        )
        total = int(np.prod(by_sizes))
        means = np.zeros((total, rows.shape[1]))
        np.add.at(means, group, rows)
        means /= np.bincount(group, minlength=total)[:, None]
        labels = np.indices(by_sizes).reshape(len(by), -1)
        frame = pd.DataFrame(
            {
                b: np.array(self.variables[b].levels, dtype=object)[labels[i]]
                for i, b in enumerate(by)
            }
        )
        return frame, means


def _variable(column: pd.Series, levels: Sequence[str] | None) -> Variable:
    name = str(column.name)
    if levels is not None:
        return Variable(name, tuple(str(level) for level in levels))
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        present = {str(v) for v in pd.unique(column.to_numpy(dtype=object))}
        if isinstance(column.dtype, pd.CategoricalDtype):
            ordered = [str(c) for c in column.cat.categories if str(c) in present]
            return Variable(name, tuple(ordered))
        return Variable(name, tuple(sorted(present)))
    return Variable(name, None, float(np.mean(np.asarray(column, dtype=float))))


def _term_names(
    term: Term, codes: tuple[bool, ...], variables: Mapping[str, Variable]
) -> list[str]:
    names = [""]
    for position, (name, contrasts) in enumerate(zip(term, codes, strict=True)):
        levels = variables[name].levels
        labels = [name] if levels is None else [f"{name}{level}" for level in levels]
        if levels is not None and contrasts:
            labels = labels[1:]
        joiner = ":" if position else ""
        names = [f"{old}{joiner}{label}" for label in labels for old in names]
    return names

"""Multiple imputation of missing utilities and costs before the cost-utility analysis.

exonc's own imputer, :class:`PmmImputer`, is multiple imputation by chained equations
(fully conditional specification, van Buuren 2018) with predictive mean matching,
run **separately within each arm** so that the imputation model allows every interaction
with treatment (Faria et al. 2014). Each variable with missing values (utility at each
month, each cost component) is imputed in turn from all the others:

1. fit OLS of the variable on the current values of all other variables that vary, on
   the patients who have it observed (with a ridge of 1e-5, as mice does);
2. draw σ² and the coefficients from their posterior (Bayesian linear regression, mice's
   ``.norm.draw``) — the "proper" step that carries the estimation uncertainty;
3. for each missing value pick at random one of the *donors* observed patients whose
   predicted mean (fitted coefficients) is closest to its own predicted mean (drawn
   coefficients), and copy the donor's observed value (type-1 matching).

Predictive mean matching only ever imputes values that were observed, so imputed
utilities stay inside the value set's range and imputed costs stay non-negative.
Utilities after death are not missing: they are 0 (see :mod:`exonc.economics.qaly`)
and enter the models of the other variables as 0.

Any other imputation engine (e.g. the clinical analysis's) can be used instead: an
:class:`Imputer` is any callable that takes the :class:`PatientData` and a generator and
returns the completed data sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from exonc.economics._columns import FloatArray
from exonc.economics.patients import PatientData
from exonc.economics.qaly import after_death
from exonc.errors import EconomicsInputError

__all__ = ["Imputer", "PmmImputer", "missing_mask"]

_RIDGE = 1e-5


class Imputer(Protocol):
    """Anything that turns patient data with missing values into completed data sets."""

    def __call__(self, data: PatientData, rng: np.random.Generator) -> Sequence[PatientData]: ...


def missing_mask(data: PatientData) -> NDArray[np.bool_]:
    """Patients × (months + cost components) mask of values that are truly missing."""
    utilities = np.isnan(data.utilities) & ~after_death(data.months, data.death_months)
    return np.hstack([utilities, np.isnan(data.costs)])


@dataclass(frozen=True)
class PmmImputer:
    """Chained-equations predictive mean matching within arm (see the module docstring)."""

    imputations: int = 20
    iterations: int = 10
    donors: int = 5

    def __call__(self, data: PatientData, rng: np.random.Generator) -> tuple[PatientData, ...]:
        if self.imputations < 1 or self.iterations < 1 or self.donors < 1:
            raise EconomicsInputError("imputations, iterations and donors must each be at least 1")
        missing = missing_mask(data)
        values = np.hstack([np.where(np.isnan(data.utilities), 0.0, data.utilities), data.costs])
        arms = np.asarray(data.arm)
        names = (*data.utility_names, *data.cost_names)
        completed = []
        for _ in range(self.imputations):
            filled = values.copy()
            for level in dict.fromkeys(data.arm):
                rows = np.flatnonzero(arms == level)
                filled[rows] = self._impute_arm(values[rows], missing[rows], rng, (level, names))
            completed.append(_restore(data, filled))
        return tuple(completed)

    def _impute_arm(
        self,
        values: FloatArray,
        missing: NDArray[np.bool_],
        rng: np.random.Generator,
        labels: tuple[str, tuple[str, ...]],
    ) -> FloatArray:
        targets = [j for j in range(values.shape[1]) if missing[:, j].any()]
        filled = values.copy()
        for j in targets:
            observed = filled[~missing[:, j], j]
            if len(observed) < 2:
                raise EconomicsInputError(
                    f"arm {labels[0]!r} has fewer than two observed values",
                    column=labels[1][j],
                    hint="too little data in this arm to impute this column",
                )
            filled[missing[:, j], j] = rng.choice(observed, size=int(missing[:, j].sum()))
        for _ in range(self.iterations):
            for j in targets:
                filled[missing[:, j], j] = self._pmm(filled, missing[:, j], j, rng)
        return filled

    def _pmm(
        self, filled: FloatArray, miss: NDArray[np.bool_], j: int, rng: np.random.Generator
    ) -> FloatArray:
        others = np.delete(filled, j, axis=1)
        varying = others[~miss].std(axis=0) > 0  # constant predictors carry no information
        x = np.column_stack([np.ones(len(filled)), others[:, varying]])
        y = filled[~miss, j]
        if (~miss).sum() <= x.shape[1] + 1:
            x = x[:, :1]  # too few observed values for the full model: intercept only
        fitted, drawn = _norm_draw(x[~miss], y, rng)
        predicted_obs = x[~miss] @ fitted
        predicted_mis = x[miss] @ drawn
        distance = np.abs(predicted_mis[:, None] - predicted_obs[None, :])
        k = min(self.donors, len(y))
        nearest = np.argpartition(distance, k - 1, axis=1)[:, :k]
        pick = nearest[np.arange(len(nearest)), rng.integers(0, k, size=len(nearest))]
        return np.asarray(y[pick])


def _norm_draw(
    x: FloatArray, y: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """Fitted OLS coefficients and one draw from their posterior (mice ``.norm.draw``)."""
    xtx = x.T @ x
    xtx += np.diag(np.diag(xtx)) * _RIDGE
    inverse = np.linalg.pinv(xtx)  # pseudo-inverse: safe under collinear predictors
    fitted = inverse @ (x.T @ y)
    residual = y - x @ fitted
    df = max(len(y) - x.shape[1], 1)
    sigma = np.sqrt(float(residual @ residual) / rng.chisquare(df))
    chol = np.linalg.cholesky((inverse + inverse.T) / 2)
    drawn = fitted + sigma * chol @ rng.standard_normal(x.shape[1])
    return np.asarray(fitted), np.asarray(drawn)


def _restore(data: PatientData, filled: FloatArray) -> PatientData:
    """Put the completed values back, keeping utilities after death missing (they are 0)."""
    months = len(data.months)
    utilities = np.where(np.isnan(data.utilities), filled[:, :months], data.utilities)
    dead = after_death(data.months, data.death_months)
    utilities = np.where(dead & np.isnan(data.utilities), np.nan, utilities)
    return data.with_values(utilities, filled[:, months:])

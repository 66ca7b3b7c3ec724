"""Multiple imputation by arm — exonc's one imputation engine — and Rubin's rules.

Within each arm separately, the chosen numeric columns (the outcome at baseline and at each
visit with fully observed covariates as predictors; or utilities and cost components) are
completed *n_imputations* times by one of two methods:

- ``"norm"``: a multivariate normal model, drawn by data augmentation (Schafer 1997, ch. 5):
  alternately draw the mean and covariance from their posterior under the non-informative
  prior (``Sigma ~ InvWishart(n - 1, S)``, ``mu ~ N(ybar, Sigma / n)``) and the missing
  values from their conditional normal given the observed ones; after a burn-in, every
  ``thin``-th completed data set is kept. The clinical analysis plans use it.
- ``"pmm"``: chained equations (fully conditional specification) with predictive mean
  matching (van Buuren 2018, §3.4 and ch. 4): each column with missing values is
  regressed on all the others (ridge 1e-5 as in R mice), the coefficients and variance
  are drawn from their posterior (mice's ``.norm.draw``), and each missing value copies the
  observed value of one of the *donors* observed rows whose predicted mean (fitted
  coefficients) is closest to its own (drawn coefficients; type-1 matching); *iterations*
  sweeps per imputation. Only observed values are imputed, so bounded or skewed columns
  (utilities, costs) stay in range. The cost-utility analysis uses it
  (:class:`exonc.economics.PmmImputer`).

Imputing by arm keeps the arms' own means and covariances, so the treatment effect is not
diluted towards zero. Estimates from the completed data sets are pooled by Rubin's rules
with the Barnard–Rubin (1999) small-sample degrees of freedom (:func:`pool_rubin`), the one
pooler of exonc. Methods page: ``docs/methods/multiple-imputation.md``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import special
from scipy.stats import invwishart

from exonc.analysis.inference import Estimate
from exonc.errors import AnalysisInputError

__all__ = ["ImputationMethod", "impute_by_arm", "pool_rubin", "pool_values"]

Array = NDArray[np.float64]
ImputationMethod = Literal["norm", "pmm"]
IMPUTATION_METHODS: tuple[ImputationMethod, ...] = ("norm", "pmm")
_RIDGE = 1e-5  # mice's ridge on the normal equations


@dataclass(frozen=True)
class _Settings:
    method: ImputationMethod
    draws: int
    burn_in: int
    thin: int
    iterations: int
    donors: int


def impute_by_arm(
    wide: pd.DataFrame,
    *,
    arm: str,
    columns: Sequence[str],
    n_imputations: int,
    rng: np.random.Generator,
    method: ImputationMethod = "norm",
    burn_in: int = 100,
    thin: int = 10,
    iterations: int = 10,
    donors: int = 5,
) -> list[pd.DataFrame]:
    """*n_imputations* copies of *wide* (one row per subject) with *columns* completed.

    ``burn_in`` and ``thin`` steer ``"norm"``; ``iterations`` and ``donors`` steer ``"pmm"``.
    """
    settings = _Settings(method, n_imputations, burn_in, thin, iterations, donors)
    _check_settings(settings)
    completed = [wide.copy() for _ in range(n_imputations)]
    for level, rows in wide.groupby(arm, sort=True):
        values = rows[list(columns)].to_numpy(dtype=float)
        _check_observed(values, str(level), columns)
        draws = _impute(values, rng, settings)
        for copy, draw in zip(completed, draws, strict=True):
            copy.loc[rows.index, list(columns)] = draw
    return completed


def _check_settings(settings: _Settings) -> None:
    if settings.method not in IMPUTATION_METHODS:
        raise AnalysisInputError(
            f"unknown imputation method {settings.method!r}",
            hint=f"choose one of {', '.join(IMPUTATION_METHODS)}",
        )
    counts = (settings.draws, settings.iterations, settings.donors, settings.thin)
    if min(counts) < 1 or settings.burn_in < 0:
        raise AnalysisInputError(
            "imputations, iterations, donors and thin must each be at least 1",
            hint="e.g. 20 imputations, 10 iterations, 5 donors",
        )


def _check_observed(values: Array, level: str, columns: Sequence[str]) -> None:
    missing = np.isnan(values)
    for j in np.flatnonzero(missing.any(axis=0)):
        if (~missing[:, j]).sum() < 2:
            raise AnalysisInputError(
                f"arm {level!r} has fewer than two observed values to impute from",
                column=str(columns[int(j)]),
                hint="drop the column from the imputation model, or impute fewer columns",
            )


def _impute(values: Array, rng: np.random.Generator, settings: _Settings) -> list[Array]:
    if not np.isnan(values).any():
        return [values.copy() for _ in range(settings.draws)]
    if settings.method == "pmm":
        return [_chained(values, rng, settings) for _ in range(settings.draws)]
    return _augment(values, rng, settings.draws, settings.burn_in, settings.thin)


# ---------------------------------------------------------------- multivariate normal


def _augment(
    values: Array, rng: np.random.Generator, draws: int, burn_in: int, thin: int
) -> list[Array]:
    missing = np.isnan(values)
    # columns constant within the arm (e.g. a centre without participants here) carry no
    # information and would make the covariance singular
    usable = (np.nanstd(values, axis=0) > 0) | missing.any(axis=0)
    part = values[:, usable]
    groups = _patterns(np.isnan(part))
    filled = np.where(np.isnan(part), np.nanmean(part, axis=0), part)
    kept: list[Array] = []
    for iteration in range(burn_in + thin * draws):
        mean, covariance = _posterior_draw(filled, rng)
        filled = _draw_missing(filled, groups, mean, covariance, rng)
        if iteration >= burn_in and (iteration - burn_in + 1) % thin == 0:
            complete = values.copy()
            complete[:, usable] = filled
            kept.append(complete)
    return kept


_Pattern = tuple[NDArray[np.intp], NDArray[np.bool_]]


def _patterns(missing: NDArray[np.bool_]) -> list[_Pattern]:
    """Rows and missing columns of each pattern that has something to impute."""
    patterns, inverse = np.unique(missing, axis=0, return_inverse=True)
    return [
        (np.flatnonzero(inverse.ravel() == index), pattern)
        for index, pattern in enumerate(patterns)
        if pattern.any()
    ]


def _posterior_draw(filled: Array, rng: np.random.Generator) -> tuple[Array, Array]:
    n, q = filled.shape
    if n - 1 < q:
        raise AnalysisInputError(
            f"an arm has {n} subjects for an imputation model of {q} variables",
            hint="use fewer covariates in the imputation model",
        )
    centre = filled.mean(axis=0)
    deviations = filled - centre
    scatter = deviations.T @ deviations + 1e-10 * np.eye(q)
    covariance = np.atleast_2d(invwishart.rvs(df=n - 1, scale=scatter, random_state=rng))
    mean = rng.multivariate_normal(centre, covariance / n)
    return mean, covariance


def _draw_missing(
    filled: Array,
    groups: list[_Pattern],
    mean: Array,
    covariance: Array,
    rng: np.random.Generator,
) -> Array:
    """Draw the missing cells of each pattern from their normal law given the observed."""
    result = filled.copy()
    for rows, m in groups:
        o = ~m
        centre = np.tile(mean[m], (rows.size, 1))
        spread = covariance[np.ix_(m, m)]
        if o.any():
            slope = np.linalg.solve(covariance[np.ix_(o, o)], covariance[np.ix_(o, m)]).T
            centre = centre + (filled[np.ix_(rows, o)] - mean[o]) @ slope.T
            spread = spread - slope @ covariance[np.ix_(o, m)]
        root = np.linalg.cholesky(spread + 1e-12 * np.eye(int(m.sum())))
        noise = rng.standard_normal((rows.size, int(m.sum()))) @ root.T
        result[np.ix_(rows, m)] = centre + noise
    return result


# ---------------------------------------------------------------- predictive mean matching


def _chained(values: Array, rng: np.random.Generator, settings: _Settings) -> Array:
    """One completed data set: random observed values first, then *iterations* sweeps."""
    missing = np.isnan(values)
    targets = [j for j in range(values.shape[1]) if missing[:, j].any()]
    filled = values.copy()
    for j in targets:
        observed = values[~missing[:, j], j]
        filled[missing[:, j], j] = rng.choice(observed, size=int(missing[:, j].sum()))
    for _ in range(settings.iterations):
        for j in targets:
            filled[missing[:, j], j] = _match(filled, missing[:, j], j, settings.donors, rng)
    return filled


def _match(
    filled: Array, miss: NDArray[np.bool_], j: int, donors: int, rng: np.random.Generator
) -> Array:
    """Predictive mean matching of column *j* on all the other columns (type-1 matching)."""
    others = np.delete(filled, j, axis=1)
    varying = others[~miss].std(axis=0) > 0  # constant predictors carry no information
    x = np.column_stack([np.ones(len(filled)), others[:, varying]])
    y = filled[~miss, j]
    if (~miss).sum() <= x.shape[1] + 1:
        x = x[:, :1]  # too few observed values for the full model: intercept only
    fitted, drawn = _norm_draw(x[~miss], y, rng)
    distance = np.abs((x[miss] @ drawn)[:, None] - (x[~miss] @ fitted)[None, :])
    k = min(donors, len(y))
    nearest = np.argpartition(distance, k - 1, axis=1)[:, :k]
    pick = nearest[np.arange(len(nearest)), rng.integers(0, k, size=len(nearest))]
    return np.asarray(y[pick])


def _norm_draw(x: Array, y: Array, rng: np.random.Generator) -> tuple[Array, Array]:
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


# ---------------------------------------------------------------- Rubin's rules


def pool_rubin(estimates: Sequence[Estimate], alpha: float = 0.05) -> Estimate:
    """Rubin's rules: mean estimate, total variance ``W + (1 + 1/m) B``, Barnard–Rubin df.

    The complete-data df is the mean of the estimates' df (their Satterthwaite or
    Kenward–Roger df).
    """
    values = [e.estimate for e in estimates]
    variances = [e.se**2 for e in estimates]
    complete_df = float(np.mean([e.df for e in estimates])) if estimates else math.nan
    return pool_values(values, variances, complete_df, alpha)


def pool_values(
    values: Sequence[float], variances: Sequence[float], complete_df: float, alpha: float = 0.05
) -> Estimate:
    """Rubin's rules for *values* with within-imputation *variances* (squared SEs) and
    complete-data degrees of freedom *complete_df* (``inf`` for a large-sample estimate)."""
    m = len(values)
    if m < 2:
        raise AnalysisInputError("Rubin's rules need at least 2 imputations")
    within = float(np.mean(variances))
    between = float(np.var(values, ddof=1))
    total = within + (1 + 1 / m) * between
    df = _barnard_rubin(m, between, total, complete_df)
    estimate, se = float(np.mean(values)), math.sqrt(total)
    quantile = float(special.stdtrit(df, 1 - alpha / 2))
    p = float(2 * special.stdtr(df, -abs(estimate / se))) if se > 0 else float("nan")
    return Estimate(estimate, se, df, estimate - quantile * se, estimate + quantile * se, p)


def _barnard_rubin(m: int, between: float, total: float, complete: float) -> float:
    share = (1 + 1 / m) * between / total if total > 0 else 0.0  # lambda
    old = (m - 1) / share**2 if share > 0 else math.inf  # Rubin (1987)
    if math.isinf(complete):
        return old  # Barnard–Rubin reduces to Rubin's df for a large-sample estimate
    observed = (complete + 1) / (complete + 3) * complete * (1 - share)
    if share == 0:
        return observed
    return old * observed / (old + observed)

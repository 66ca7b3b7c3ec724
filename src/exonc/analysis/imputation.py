"""Multiple imputation by arm under a multivariate normal model, and Rubin's rules.

Within each arm, the chosen numeric columns (for example the outcome at baseline and at
each visit, with fully observed covariates as predictors) are modelled as multivariate
normal. Missing values are drawn by data augmentation (Schafer 1997, ch. 5): alternately
draw the mean and covariance from their posterior under the non-informative prior
(``Sigma ~ InvWishart(n - 1, S)``, ``mu ~ N(ybar, Sigma / n)``) and the missing values
from their conditional normal given the observed ones. After a burn-in, every ``thin``-th
completed data set is kept. Imputing by arm keeps the arms' own means and covariances, so
the treatment effect is not diluted towards zero.

Estimates from the completed data sets are pooled by Rubin's rules with the
Barnard–Rubin (1999) small-sample degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import special
from scipy.stats import invwishart

from exonc.analysis.inference import Estimate
from exonc.errors import AnalysisInputError

__all__ = ["impute_by_arm", "pool_rubin"]

Array = NDArray[np.float64]


def impute_by_arm(
    wide: pd.DataFrame,
    *,
    arm: str,
    columns: Sequence[str],
    n_imputations: int,
    rng: np.random.Generator,
    burn_in: int = 100,
    thin: int = 10,
) -> list[pd.DataFrame]:
    """*n_imputations* copies of *wide* (one row per subject) with *columns* completed."""
    if n_imputations < 2:
        raise AnalysisInputError("multiple imputation needs at least 2 imputations")
    completed = [wide.copy() for _ in range(n_imputations)]
    for _, rows in wide.groupby(arm, sort=True):
        values = rows[list(columns)].to_numpy(dtype=float)
        draws = _augment(values, rng, n_imputations, burn_in, thin)
        for copy, draw in zip(completed, draws, strict=True):
            copy.loc[rows.index, list(columns)] = draw
    return completed


def _augment(
    values: Array, rng: np.random.Generator, draws: int, burn_in: int, thin: int
) -> list[Array]:
    missing = np.isnan(values)
    if not missing.any():
        return [values.copy() for _ in range(draws)]
    if (~missing).sum(axis=0).min() < 2:
        raise AnalysisInputError(
            "a column to impute has fewer than two observed values in an arm",
            hint="drop the column from the imputation model",
        )
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


def pool_rubin(estimates: Sequence[Estimate], alpha: float = 0.05) -> Estimate:
    """Rubin's rules: mean estimate, total variance ``W + (1 + 1/m) B``, Barnard–Rubin df.

    The complete-data df is the mean of the estimates' df (their Satterthwaite or
    Kenward–Roger df).
    """
    m = len(estimates)
    if m < 2:
        raise AnalysisInputError("Rubin's rules need at least 2 imputations")
    values = np.array([e.estimate for e in estimates])
    within = float(np.mean([e.se**2 for e in estimates]))
    between = float(np.var(values, ddof=1))
    total = within + (1 + 1 / m) * between
    complete_df = float(np.mean([e.df for e in estimates]))
    df = _barnard_rubin(m, between, total, complete_df)
    estimate, se = float(values.mean()), math.sqrt(total)
    quantile = float(special.stdtrit(df, 1 - alpha / 2))
    p = float(2 * special.stdtr(df, -abs(estimate / se))) if se > 0 else float("nan")
    return Estimate(estimate, se, df, estimate - quantile * se, estimate + quantile * se, p)


def _barnard_rubin(m: int, between: float, total: float, complete: float) -> float:
    share = (1 + 1 / m) * between / total if total > 0 else 0.0  # lambda
    observed = (complete + 1) / (complete + 3) * complete * (1 - share)
    if share == 0:
        return observed
    old = (m - 1) / share**2
    return old * observed / (old + observed)

"""Analysing a simulated trial with exonc's MMRM engine, without the table layer.

:func:`exonc.analysis.fit_mmrm` checks a long data frame, builds the design matrix from a
formula and tabulates every LS mean and contrast: right for one analysis, but two thirds
of the time of a fit of 357 participants. A simulated trial is already a clean array, so
:func:`fit_contrast` hands the per-participant arrays to the same engine — the pattern
statistics, the REML optimiser (mmrm's path, Newton polish), Kenward–Roger or
Satterthwaite inference of :mod:`exonc.analysis` — and asks for one contrast only.

The model is the analysis plan's ``y ~ arm * visit + baseline * visit`` written as cell
means (one column per arm and visit, one baseline slope per visit): the same column
space, so the same fit; ``tests/design/test_engine.py`` checks the contrast, SE, df and
p against :func:`fit_mmrm` on the same data.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exonc.analysis._blas import single_blas_thread
from exonc.analysis.covariance import CovarianceStructure, CovarianceType
from exonc.analysis.estimation import empirical_covariance, estimate_covariance
from exonc.analysis.inference import DfMethod, Inference
from exonc.analysis.likelihood import PatternStats, kenward_roger_terms

__all__ = ["ContrastFit", "cell_means_design", "fit_contrast"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ContrastFit:
    """Treatment minus control at one visit; ``converged`` False when the fit failed."""

    estimate: float
    se: float
    df: float
    p: float
    converged: bool

    @classmethod
    def failed(cls) -> ContrastFit:
        nan = float("nan")
        return cls(nan, nan, nan, nan, False)


def cell_means_design(
    treated: NDArray[np.bool_],
    baseline: Array | None,
    visits: int,
    factors: Array | None = None,
) -> tuple[Array, Array]:
    """Per-participant design ``x`` (N, m, p) and the contrast row at each visit (m, p).

    *factors* (N, q) are extra columns constant over visits (stratum indicators, main
    effects as in the plan's ``+ line_of_treatment + centre``); all-zero columns (a level
    nobody has) are dropped.
    """
    n = treated.size
    extra = np.zeros((n, 0)) if factors is None else factors[:, np.any(factors != 0, axis=0)]
    width = 2 * visits + (visits if baseline is not None else 0)
    x = np.zeros((n, visits, width + extra.shape[1]))
    x[:, :, width:] = extra[:, None, :]
    rows = np.arange(n)
    for k in range(visits):
        x[rows, k, k + visits * treated.astype(int)] = 1.0
        if baseline is not None:
            x[:, k, 2 * visits + k] = baseline
    contrasts = np.zeros((visits, x.shape[2]))
    for k in range(visits):
        contrasts[k, k], contrasts[k, visits + k] = -1.0, 1.0
    return x, contrasts


def fit_contrast(
    x: Array,
    y: Array,
    observed: NDArray[np.bool_],
    contrast: Array,
    *,
    structure: CovarianceType = "us",
    df: DfMethod = "kenward-roger",
    alpha: float = 0.05,
) -> ContrastFit:
    """Fit the MMRM by REML to participants with at least one visit and estimate *contrast*."""
    keep = observed.any(axis=1)
    x, y, observed = x[keep], np.where(observed, y, 0.0)[keep], observed[keep]
    with single_blas_thread(), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            return _fit(x, y, observed, contrast, structure, df, alpha)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError):
            return ContrastFit.failed()


def _fit(
    x: Array,
    y: Array,
    observed: NDArray[np.bool_],
    contrast: Array,
    kind: CovarianceType,
    df: DfMethod,
    alpha: float,
) -> ContrastFit:
    structure = CovarianceStructure(kind, observed.shape[1])
    if kind == "us" and np.any((observed.T.astype(int) @ observed) == 0):
        return ContrastFit.failed()  # two visits never seen together: not identifiable
    stats = PatternStats.from_subjects(x, y, observed)
    empirical = empirical_covariance(x, y, observed, stats.offset)
    fit = estimate_covariance(stats, structure, reml=True, optimizer="mmrm", empirical=empirical)
    theta_vcov = np.asarray(np.linalg.inv(fit.hessian), dtype=float)
    terms = kenward_roger_terms(stats, structure, fit.theta)
    beta = fit.evaluation.beta
    inference = Inference.build(beta, fit.evaluation.vcov, theta_vcov, terms, df)
    found = inference.estimate(contrast, alpha)
    ok = fit.convergence.converged and bool(np.isfinite(found.p))
    return ContrastFit(found.estimate, found.se, found.df, found.p, ok)

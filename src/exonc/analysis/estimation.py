"""Estimating the covariance parameters: mmrm's optimisation path, checked by Newton.

Two optimisers are offered:

- ``"mmrm"`` (default) follows R mmrm's default path — start at the identity covariance
  (``std_start``), L-BFGS-B with memory 5, relative-reduction tolerance ``1e7 * eps`` and no
  gradient tolerance — so that estimates agree with R mmrm to about ``1e-10`` rather than
  to the ``1e-5`` or so at which that stopping rule leaves the exact optimum. The result is
  then checked with the exact Hessian; when it is not a minimum, or the Newton decrement
  says the log-likelihood could still gain more than about ``0.005`` (decrement ``1e-2``;
  R's own stopping rule typically leaves ``1e-6`` to ``1e-4``), Newton's method polishes
  it. The threshold is loose on purpose: polishing moves the estimate away from R's.
- ``"newton"`` runs Newton's method with the exact Hessian from the empirical covariance of
  least-squares residuals, and stops at the optimum (criterion change below ``1e-12``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from exonc.analysis.covariance import CovarianceStructure
from exonc.analysis.likelihood import Evaluation, PatternStats, evaluate
from exonc.analysis.optimise import Convergence, Objective, minimise

__all__ = ["Estimation", "Optimizer", "empirical_covariance", "estimate_covariance"]

Array = NDArray[np.float64]
Optimizer = Literal["mmrm", "newton"]
_POLISH_ABOVE = 1e-2  # Newton decrement, about twice the log-likelihood still to gain


@dataclass(frozen=True, eq=False)
class Estimation:
    """Covariance parameters at the optimum with the evaluation (order 2) there."""

    theta: Array
    evaluation: Evaluation
    convergence: Convergence

    @property
    def hessian(self) -> Array:
        if self.evaluation.hessian is None:
            raise ValueError("estimation without Hessian")
        return self.evaluation.hessian


def empirical_covariance(x: Array, y: Array, observed: NDArray[np.bool_], offset: Array) -> Array:
    """Pairwise-complete covariance of least-squares residuals (a positive definite start)."""
    residual = np.where(observed, y - x @ offset, 0.0)
    counts = observed.T.astype(float) @ observed
    sums = residual.T @ residual
    means = residual.sum(axis=0) / np.maximum(observed.sum(axis=0), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        covariance = (sums - counts * np.outer(means, means)) / (counts - 1)
    covariance = np.where(counts > 1, covariance, 0.0)
    diagonal = np.diag(covariance).copy()
    positive = diagonal > 0
    diagonal[~positive] = float(diagonal[positive].mean()) if positive.any() else 1.0
    np.fill_diagonal(covariance, diagonal)
    values, vectors = np.linalg.eigh(covariance)
    floor = 1e-3 * float(values.max())
    if values.min() < floor:
        covariance = (vectors * np.maximum(values, floor)) @ vectors.T
    return np.asarray(covariance, dtype=float)


def estimate_covariance(
    stats: PatternStats,
    structure: CovarianceStructure,
    *,
    reml: bool,
    optimizer: Optimizer,
    empirical: Array,
    start: Array | None = None,
) -> Estimation:
    """Fit the covariance parameters; the returned diagnostics say whether it converged."""

    def objective(theta: Array, order: int) -> Evaluation | None:
        return evaluate(stats, structure, theta, reml=reml, order=order)

    if optimizer == "mmrm":
        found = _lbfgsb(objective, structure.standard_start() if start is None else start)
        if found is not None and found.convergence.converged:
            return found
        origin = found.theta if found is not None else structure.start(empirical)
        polished = _newton(objective, origin)
        if polished.convergence.converged or found is None:
            return _note(polished, "L-BFGS-B stopped early; Newton's method finished the fit")
        return polished
    newton = _newton(objective, structure.start(empirical) if start is None else start)
    if not newton.convergence.converged and start is not None:
        return _newton(objective, structure.start(empirical))
    return newton


def _newton(objective: Objective, start: Array) -> Estimation:
    theta, evaluation, convergence = minimise(objective, start)
    return Estimation(theta, evaluation, convergence)


def _note(estimation: Estimation, message: str) -> Estimation:
    if not estimation.convergence.converged:
        return estimation
    return replace(estimation, convergence=replace(estimation.convergence, message=message))


class _Failed(Exception):
    """The criterion could not be evaluated during L-BFGS-B (R's optim would stop too)."""


def _lbfgsb(objective: Objective, start: Array) -> Estimation | None:
    def value_and_gradient(theta: Array) -> tuple[float, Array]:
        evaluation = objective(theta, 1)
        if evaluation is None or evaluation.gradient is None:
            raise _Failed
        return evaluation.value, evaluation.gradient

    import scipy.optimize  # loads when a fit runs, not when the types are imported

    try:
        found = scipy.optimize.minimize(
            value_and_gradient,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"maxcor": 5, "ftol": 1e7 * np.finfo(float).eps, "gtol": 0.0, "maxiter": 100},
        )
    except _Failed:
        return None
    theta = np.asarray(found.x, dtype=float)
    final = objective(theta, 2)
    if final is None or final.hessian is None or final.gradient is None:
        return None
    return Estimation(theta, final, _diagnose(final, int(found.nit), bool(found.success)))


def _diagnose(final: Evaluation, iterations: int, success: bool) -> Convergence:
    if final.gradient is None or final.hessian is None:
        raise ValueError("the final evaluation needs derivatives")
    try:
        chol = np.linalg.cholesky(final.hessian)
        solved = np.linalg.solve(chol, final.gradient)
        decrement = float(solved @ solved)
    except np.linalg.LinAlgError:
        decrement = float("nan")
    converged = success and decrement < _POLISH_ABOVE
    if converged:
        message = "converged (L-BFGS-B, mmrm's default path)"
    elif not np.isfinite(decrement):
        message = "the Hessian of the criterion is not positive definite at the solution"
    else:
        message = f"L-BFGS-B stopped with Newton decrement {decrement:.2e}"
    return Convergence(
        converged=converged,
        iterations=iterations,
        objective=final.value,
        gradient_max=float(np.max(np.abs(final.gradient))) if final.gradient.size else 0.0,
        newton_decrement=decrement,
        message=message,
    )

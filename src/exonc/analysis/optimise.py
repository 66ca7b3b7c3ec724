"""Newton's method with Levenberg–Marquardt damping for the REML/ML criterion.

The criterion is smooth and the parameters are few, so a Newton step on the exact Hessian
converges in a handful of iterations from good starting values. Steps are damped when the
Hessian is not positive definite or the step does not decrease the criterion (including
steps that leave the region where the covariance matrix is positive definite).
Convergence is declared when the Newton decrement ``g' H^-1 g`` falls below a tolerance
*and* the Hessian is positive definite at the solution; anything else is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exonc.analysis.likelihood import Evaluation

__all__ = ["Convergence", "minimise"]

Array = NDArray[np.float64]
Objective = Callable[[Array, int], Evaluation | None]


@dataclass(frozen=True)
class Convergence:
    """Diagnostics of the fit, carried on every result."""

    converged: bool
    iterations: int
    objective: float
    gradient_max: float
    newton_decrement: float
    message: str


def minimise(
    objective: Objective,
    start: Array,
    *,
    max_iterations: int = 50,
    tolerance: float = 1e-12,
) -> tuple[Array, Evaluation, Convergence]:
    """Minimise ``objective(theta, order)`` from *start*."""
    theta = start.copy()
    current = objective(theta, 2)
    if current is None:
        raise ValueError("the starting values do not give a positive definite covariance")
    damping = 0.0
    for iteration in range(1, max_iterations + 1):
        gradient, hessian = _derivatives(current)
        step, decrement = _newton_step(gradient, hessian, damping)
        if decrement is not None and decrement < tolerance:
            return theta, current, _diagnose(current, iteration - 1, decrement)
        accepted = _search(objective, theta, current, step, local=decrement is not None)
        if accepted is None:
            damping = max(10.0 * damping, 1e-4 * _scale(hessian))
            if damping > 1e12 * _scale(hessian):
                return theta, current, _diagnose(current, iteration, decrement, "no descent")
            continue
        theta, current = accepted
        damping = damping / 10.0 if damping > 1e-10 * _scale(hessian) else 0.0
    gradient, hessian = _derivatives(current)
    _, decrement = _newton_step(gradient, hessian, 0.0)
    return theta, current, _diagnose(current, max_iterations, decrement, "iteration limit")


def _derivatives(evaluation: Evaluation) -> tuple[Array, Array]:
    if evaluation.gradient is None or evaluation.hessian is None:
        raise ValueError("the objective must return derivatives for order 2")
    return evaluation.gradient, evaluation.hessian


def _scale(hessian: Array) -> float:
    return float(max(np.max(np.abs(np.diag(hessian))), 1e-8))


def _newton_step(gradient: Array, hessian: Array, damping: float) -> tuple[Array, float | None]:
    """Damped Newton step and the (undamped) Newton decrement when ``H`` is positive definite."""
    decrement = None
    try:
        chol = np.linalg.cholesky(hessian)
        solved = np.linalg.solve(chol.T, np.linalg.solve(chol, gradient))
        decrement = float(gradient @ solved)
    except np.linalg.LinAlgError:
        damping = max(damping, 1e-4 * _scale(hessian))
    if damping == 0.0 and decrement is not None:
        return -solved, decrement
    shift = damping
    while True:
        try:
            chol = np.linalg.cholesky(hessian + shift * np.eye(gradient.size))
            break
        except np.linalg.LinAlgError:
            shift = 10.0 * shift + 1e-8 * _scale(hessian)
    step = -np.linalg.solve(chol.T, np.linalg.solve(chol, gradient))
    return step, decrement


def _search(
    objective: Objective, theta: Array, current: Evaluation, step: Array, *, local: bool
) -> tuple[Array, Evaluation] | None:
    """Backtracking line search with the Armijo condition; ``None`` if no step helps.

    Close to the optimum (small Newton decrement) the full step is taken when it does not
    increase the criterion beyond rounding, since Armijo cannot see decreases below it.
    """
    gradient, _ = _derivatives(current)
    slope = float(gradient @ step)
    if slope >= 0:
        return None
    if local and -slope < 1e-6:
        full = objective(theta + step, 2)
        slack = 1e-12 * max(1.0, abs(current.value))
        if full is not None and full.value <= current.value + slack:
            return theta + step, full
    length = 1.0
    for _ in range(30):
        candidate = theta + length * step
        trial = objective(candidate, 0)
        if trial is not None and trial.value <= current.value + 1e-4 * length * slope:
            evaluated = objective(candidate, 2)
            if evaluated is not None:
                return candidate, evaluated
        length /= 2.0
    return None


def _diagnose(
    current: Evaluation, iterations: int, decrement: float | None, problem: str = ""
) -> Convergence:
    gradient, _ = _derivatives(current)
    gradient_max = float(np.max(np.abs(gradient))) if gradient.size else 0.0
    positive = decrement is not None
    small = positive and decrement is not None and decrement < 1e-8
    converged = positive and small and problem in {"", "no descent"}
    if converged:
        message = "converged" if not problem else "converged (no further descent possible)"
    elif not positive:
        message = "the Hessian of the criterion is not positive definite at the solution"
    else:
        message = f"did not converge ({problem or 'stopped'}; Newton decrement {decrement:.2e})"
    return Convergence(
        converged=converged,
        iterations=iterations,
        objective=current.value,
        gradient_max=gradient_max,
        newton_decrement=float("nan") if decrement is None else decrement,
        message=message,
    )

"""Subject bootstrap of an MMRM's treatment contrasts.

Each replicate resamples subjects with replacement within each arm (so the arms keep
their sizes) and refits the model. A resampled data set only changes how often each
subject counts, so a replicate is a re-weighting of the per-pattern sufficient
statistics (:class:`~exonc.analysis.likelihood.PatternStats` with subject weights) and a
few Newton steps from the full-data estimate — no data frame is rebuilt. The contrast
rows (LS-mean differences) are those of the full-data fit.

A refit that fails (the optimiser stops without converging, or the criterion cannot be
evaluated) leaves a row of NaN: the :class:`~exonc.results.BootstrapResult` counts it in
``n_failed``, names it in ``warnings`` (and as a ``ConvergenceWarning``), and leaves it
out of the SE and intervals — never silently.

All resampling counts are drawn up front from the caller's generator, so results do not
depend on how the replicates are split between workers. Pass ``map_function`` (for
example ``ProcessPoolExecutor.map``) to spread chunks of replicates over processes.
"""

from __future__ import annotations

import warnings as pywarnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis._blas import single_blas_thread
from exonc.analysis.covariance import CovarianceStructure
from exonc.analysis.likelihood import Evaluation, PatternStats, evaluate
from exonc.analysis.mmrm import MMRMResult
from exonc.analysis.optimise import minimise
from exonc.errors import AnalysisInputError, ConvergenceWarning
from exonc.results import BootstrapResult

__all__ = ["BootstrapResult", "bootstrap_contrasts"]

Array = NDArray[np.float64]
MapFunction = Callable[[Callable[[Any], Array], Iterable[Any]], Iterable[Array]]


@dataclass(frozen=True, eq=False)
class BootstrapTask:
    """A chunk of replicates: everything a worker process needs (picklable)."""

    x: Array
    y: Array
    observed: NDArray[np.bool_]
    counts: NDArray[np.int64]  # (replicates, subjects)
    structure: CovarianceStructure
    start: Array
    offset: Array
    rows: Array  # contrast rows
    reml: bool


def bootstrap_contrasts(
    result: MMRMResult,
    data: pd.DataFrame,
    *,
    replicates: int,
    rng: np.random.Generator,
    chunks: int = 1,
    map_function: MapFunction = map,
) -> BootstrapResult:
    """Bootstrap the contrasts (per visit and overall) of *result*, fitted on *data*."""
    arm, reference = result.arm, result.reference
    if arm is None or reference is None or result.contrasts.empty:
        raise AnalysisInputError("the bootstrap needs a fit with an arm and treatment contrasts")
    if replicates < 2:
        raise AnalysisInputError("the bootstrap needs at least 2 replicates")
    prepared = _prepared(result, data)
    labels, rows = _contrast_rows(result, arm, reference)
    counts = _resample(_subject_arms(data, result.subject, arm, prepared.subjects), replicates, rng)
    stats = PatternStats.from_subjects(prepared.x, prepared.y, prepared.observed)
    structure = CovarianceStructure(result.covariance_type, len(result.visits))
    tasks = [
        BootstrapTask(
            x=prepared.x,
            y=prepared.y,
            observed=prepared.observed,
            counts=part,
            structure=structure,
            start=result.theta,
            offset=stats.offset,
            rows=rows,
            reml=result.reml,
        )
        for part in np.array_split(counts, max(1, chunks))
        if len(part)
    ]
    estimates = np.vstack(list(map_function(refit_chunk, tasks)))
    return _result(labels, estimates, rows @ result.inference.beta, result.alpha)


def _result(labels: pd.DataFrame, estimates: Array, full: Array, alpha: float) -> BootstrapResult:
    """The result, with a warning (on it and as a ConvergenceWarning) if refits failed."""
    failed = int(np.isnan(estimates).any(axis=1).sum())
    notes: tuple[str, ...] = ()
    if failed:
        notes = (
            f"{failed} of {len(estimates)} bootstrap refits failed (did not converge) and were "
            "left out of the bootstrap SE and intervals",
        )
        pywarnings.warn(notes[0], ConvergenceWarning, stacklevel=3)
    return BootstrapResult(labels, estimates, full, alpha, notes)


def refit_chunk(task: BootstrapTask) -> Array:
    """Contrast estimates of each replicate of *task* (NaN when a refit fails)."""
    with single_blas_thread():
        return np.vstack(list(_refits(task)))


def _refits(task: BootstrapTask) -> Iterator[Array]:
    for weights in task.counts:
        stats = PatternStats.from_subjects(
            task.x, task.y, task.observed, weights=weights.astype(float), offset=task.offset
        )

        def objective(theta: Array, order: int, stats: PatternStats = stats) -> Evaluation | None:
            return evaluate(stats, task.structure, theta, reml=task.reml, order=order)

        try:
            _, fitted, convergence = minimise(objective, task.start)
        except (ValueError, np.linalg.LinAlgError):
            yield np.full(task.rows.shape[0], np.nan)
            continue
        good = convergence.converged
        yield task.rows @ fitted.beta if good else np.full(task.rows.shape[0], np.nan)


def _prepared(result: MMRMResult, data: pd.DataFrame) -> Any:
    from exonc.analysis.dataset import prepare

    levels: dict[str, Any] = {
        name: list(variable.levels)
        for name, variable in result.design.variables.items()
        if variable.levels is not None
    }
    levels[result.visit] = list(result.visits)
    return prepare(
        data,
        result.design.formula,
        subject=result.subject,
        visit=result.visit,
        arm=result.arm,
        levels=levels,
    )


def _contrast_rows(result: MMRMResult, arm: str, reference: str) -> tuple[pd.DataFrame, Array]:
    from exonc.analysis.lsmeans import contrast_rows

    by = [result.visit] if result.visit in result.design.factors else []
    labels, rows = contrast_rows(result.design, arm, reference, by)
    arms = labels[arm].to_numpy()
    overall = [rows[arms == a].mean(axis=0) for a in dict.fromkeys(arms)]
    overall_labels = pd.DataFrame({arm: list(dict.fromkeys(arms)), result.visit: "overall"})
    return (
        pd.concat([labels.drop(columns="reference"), overall_labels], ignore_index=True),
        np.vstack([rows, *overall]),
    )


def _subject_arms(
    data: pd.DataFrame, subject: str, arm: str, subjects: tuple[str, ...]
) -> NDArray[Any]:
    known = data.dropna(subset=[arm])
    arm_of = known.groupby(known[subject].astype(str))[arm].first()
    return arm_of.reindex(list(subjects)).astype(str).to_numpy()


def _resample(arms: NDArray[Any], replicates: int, rng: np.random.Generator) -> NDArray[np.int64]:
    """Counts of each subject in each replicate, resampling within arm."""
    counts = np.zeros((replicates, arms.size), dtype=np.int64)
    for level in np.unique(arms):
        members = np.flatnonzero(arms == level)
        draws = rng.integers(0, members.size, size=(replicates, members.size))
        for replicate in range(replicates):
            counts[replicate, members] = np.bincount(draws[replicate], minlength=members.size)
    return counts

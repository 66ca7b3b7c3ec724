"""Simulating one trial of a design: outcomes, baseline and dropout for every participant.

Random streams: simulation ``i`` of a run with seed ``s`` draws from
``np.random.SeedSequence(s).spawn(sims)[i]`` (the same as
``SeedSequence(s, spawn_key=(i,))``), so its data do not depend on which worker runs it
or in what order. Inside a simulation each arm has its own child streams and draws one
row per participant, so a trial with more participants extends a smaller one with the
same seed: the first ``n`` participants are the same (common random numbers across n,
which keeps a sample-size search's power curve smooth).

Per participant: correlated standard normals for (baseline, visit 1, …, visit m) of each
outcome (outcomes correlated ``outcome_correlation`` visit by visit), scaled by the
Cholesky factor of the outcome's joint covariance and shifted by the arm's means; then
monotone dropout from one uniform per visit (see :func:`dropout_visits`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

from exonc.design.spec import OutcomeDesign, TrialDesign

__all__ = ["SimulatedTrial", "dropout_visits", "simulate_trial", "stream_generator"]

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SimulatedTrial:
    """One simulated trial: per-participant arrays, ready for the MMRM."""

    treated: NDArray[np.bool_]  # (N,)
    baseline: Array  # (N, outcomes); zeros for outcomes without baseline
    values: Array  # (N, outcomes, m)
    observed: NDArray[np.bool_]  # (N, m): shared by the outcomes (a participant drops out)
    strata: NDArray[np.int64]  # (N, strata): level of each stratification factor

    def stratum_indicators(self) -> NDArray[np.float64]:
        """(N, q) indicators of every level but the first of each stratum."""
        columns = [
            (self.strata[:, s] == level).astype(float)
            for s in range(self.strata.shape[1])
            for level in range(1, int(self.strata[:, s].max(initial=0)) + 1)
        ]
        return np.column_stack(columns) if columns else np.zeros((self.strata.shape[0], 0))


def stream_generator(seed: int, stream: int, *path: int) -> np.random.Generator:
    """The generator of child *path* of simulation *stream* (``SeedSequence.spawn`` keys)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream, *path)))


def simulate_trial(
    design: TrialDesign, n_per_arm: int, *, seed: int, stream: int
) -> SimulatedTrial:
    """Simulate trial *stream* of a run with *seed* and *n_per_arm* in the control arm."""
    parts = [
        _simulate_arm(design, size, arm, seed, stream)
        for arm, size in enumerate(design.arm_sizes(n_per_arm))
    ]
    treated = np.concatenate([np.full(len(p[0]), arm == 1) for arm, p in enumerate(parts)])
    baseline = np.concatenate([p[0] for p in parts])
    values = np.concatenate([p[1] for p in parts])
    observed = np.concatenate([p[2] for p in parts])
    strata = np.concatenate([p[3] for p in parts])
    return SimulatedTrial(treated, baseline, values, observed, strata)


def _simulate_arm(
    design: TrialDesign, size: int, arm: int, seed: int, stream: int
) -> tuple[Array, Array, NDArray[np.bool_], NDArray[np.int64]]:
    m, k = len(design.visits), len(design.outcomes)
    normals = stream_generator(seed, stream, arm, 0).standard_normal((size, m + 1, k))
    uniforms = stream_generator(seed, stream, arm, 1).random((size, m))
    correlated = normals @ _outcome_factor(k, design.outcome_correlation).T  # (size, m+1, k)
    joint = np.stack(
        [_joint_values(o, correlated[:, :, j], arm == 1) for j, o in enumerate(design.outcomes)],
        axis=1,
    )  # (size, k, m+1)
    strata = _strata(design, size, seed, stream, arm)
    for number, stratum in enumerate(design.strata):
        shift = np.asarray(stratum.shifts)[strata[:, number]]  # SDs, per participant
        for j, outcome in enumerate(design.outcomes):
            joint[:, j, 1:] += shift[:, None] * outcome.sd
    first = design.outcomes[0]
    observed = dropout_visits(design, joint[:, 0, :], first, uniforms)
    return joint[:, :, 0], joint[:, :, 1:], observed, strata


def _strata(design: TrialDesign, size: int, seed: int, stream: int, arm: int) -> NDArray[np.int64]:
    """Each participant's level of every stratum (its own child stream per stratum)."""
    levels = np.zeros((size, len(design.strata)), dtype=np.int64)
    for number, stratum in enumerate(design.strata):
        draws = stream_generator(seed, stream, arm, 2 + number).random(size)
        bounds = np.cumsum(stratum.proportions)[:-1]
        levels[:, number] = np.searchsorted(bounds, draws, side="right")
    return levels


def _outcome_factor(outcomes: int, correlation: float) -> Array:
    matrix = np.full((outcomes, outcomes), correlation)
    np.fill_diagonal(matrix, 1.0)
    return np.asarray(np.linalg.cholesky(matrix), dtype=float)


def _joint_values(outcome: OutcomeDesign, normals: Array, treated: bool) -> Array:
    """(baseline, visit values) for each participant: normals (size, m+1) scaled and shifted."""
    joint = outcome.joint_covariance
    values = normals @ np.linalg.cholesky(joint).T
    mean = np.asarray(outcome.control_change) + (np.asarray(outcome.effect) if treated else 0.0)
    values[:, 1:] += mean
    if not outcome.has_baseline:
        values[:, 0] = 0.0
    return np.asarray(values, dtype=float)


def dropout_visits(
    design: TrialDesign, joint: Array, outcome: OutcomeDesign, uniforms: Array
) -> NDArray[np.bool_]:
    """Monotone dropout: which visits each participant attends.

    The hazard of dropping out just before visit ``k`` is ``h_k = (d_k - d_{k-1}) /
    (1 - d_{k-1})`` for cumulative dropout ``d``, so that under MCAR the share missing at
    visit ``k`` is ``d_k``. Under MAR the log-odds of that hazard move by ``mar_strength``
    per SD of the participant's previous value (baseline before visit 1, if the outcome
    has one), measured from the control arm's mean; the marginal shares then differ
    somewhat from ``d``.
    """
    cumulative = np.asarray(design.dropout)
    previous = np.concatenate([[0.0], cumulative[:-1]])
    hazard = (cumulative - previous) / (1.0 - previous)
    size, m = uniforms.shape
    hazards = np.broadcast_to(hazard, (size, m))
    if design.dropout_mechanism == "mar" and design.mar_strength != 0.0:
        hazards = _mar_hazards(hazard, joint, outcome, design.mar_strength)
    drops = uniforms < hazards
    dropped = np.logical_or.accumulate(drops, axis=1)
    return np.asarray(~dropped, dtype=bool)


def _mar_hazards(hazard: Array, joint: Array, outcome: OutcomeDesign, strength: float) -> Array:
    sd = np.concatenate([[outcome.baseline_sd or 1.0], outcome.sd])
    mean = np.concatenate([[0.0], np.asarray(outcome.control_change)])
    standard = (joint - mean) / sd  # (size, m+1)
    previous = standard[:, :-1]
    if not outcome.has_baseline:
        previous = previous.copy()
        previous[:, 0] = 0.0
    with np.errstate(divide="ignore"):
        logits = special.logit(hazard) + strength * previous
    return np.asarray(np.where(hazard > 0, special.expit(logits), 0.0), dtype=float)

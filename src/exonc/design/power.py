"""Simulation-based power of an MMRM trial: :func:`simulate_power` and :class:`PowerResult`.

Each simulation draws a trial (:mod:`exonc.design.simulate`), fits the analysis MMRM to
every outcome (:mod:`exonc.design.engine`) and tests treatment minus control at the
contrast visit; with several outcomes the p-values are Holm-adjusted within the trial.
Power is the share of simulations that succeed (``any`` or ``all`` adjusted p < alpha).
A simulation whose fit fails for any outcome counts as a failure to reject — power is
never flattered by dropping hard data sets — and is reported in ``failed``. The
Monte-Carlo SE is ``sqrt(power (1 - power) / sims)``.

Work is split into chunks of simulation numbers; a *runner* maps :func:`run_chunk` over
them (in this process by default, on a Dask cluster with :mod:`exonc.design._dask`).
Because each simulation's data depend only on ``(seed, simulation number)``, the answer
is identical however the chunks are spread.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis.multiplicity import adjust_p_values
from exonc.design.analytical import lu_power
from exonc.design.engine import cell_means_design, fit_contrast
from exonc.design.simulate import simulate_trial
from exonc.design.spec import TrialDesign
from exonc.errors import DesignInputError
from exonc.results import Result

__all__ = [
    "ChunkResult",
    "PowerResult",
    "Runner",
    "chunks",
    "local_runner",
    "run_chunk",
    "simulate_power",
]

Array = NDArray[np.float64]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ChunkResult:
    """p-values and estimates of simulations ``start..stop-1`` (rows), one column per outcome."""

    start: int
    p: Array
    estimate: Array


class Runner(Protocol):
    """Maps :func:`run_chunk` over chunks; calls *progress* with simulations finished."""

    def __call__(
        self,
        design: TrialDesign,
        n_per_arm: int,
        seed: int,
        parts: Sequence[range],
        progress: Progress | None,
    ) -> list[ChunkResult]: ...


def run_chunk(design: TrialDesign, n_per_arm: int, seed: int, part: range) -> ChunkResult:
    """Simulate and analyse simulations *part* (NaN p where a fit failed)."""
    k = len(design.outcomes)
    p = np.full((len(part), k), np.nan)
    estimate = np.full((len(part), k), np.nan)
    visit = design.contrast_index
    for row, stream in enumerate(part):
        trial = simulate_trial(design, n_per_arm, seed=seed, stream=stream)
        factors = trial.stratum_indicators() if design.strata else None
        for j, outcome in enumerate(design.outcomes):
            baseline = trial.baseline[:, j] if outcome.has_baseline else None
            x, contrasts = cell_means_design(trial.treated, baseline, len(design.visits), factors)
            fit = fit_contrast(
                x,
                trial.values[:, j, :],
                trial.observed,
                contrasts[visit],
                structure=design.structure,
                df=design.df,
                alpha=design.alpha,
            )
            if fit.converged:
                p[row, j], estimate[row, j] = fit.p, fit.estimate
    return ChunkResult(part.start, p, estimate)


def chunks(sims: int, size: int) -> list[range]:
    """Simulation numbers ``0..sims-1`` in consecutive ranges of at most *size*."""
    return [range(start, min(start + size, sims)) for start in range(0, sims, size)]


def local_runner(
    design: TrialDesign,
    n_per_arm: int,
    seed: int,
    parts: Sequence[range],
    progress: Progress | None,
) -> list[ChunkResult]:
    """Run every chunk in this process, in order."""
    found = []
    for part in parts:
        found.append(run_chunk(design, n_per_arm, seed, part))
        if progress is not None:
            progress(len(part))
    return found


@dataclass(frozen=True, eq=False)
class PowerResult(Result):
    """Power of a design at one sample size, from ``sims`` simulated trials."""

    design: TrialDesign
    n_per_arm: int
    seed: int
    p_values: Array  # (sims, outcomes); NaN where the fit failed
    estimates: Array
    analytical: tuple[float, ...] = ()  # Lu, Luo & Chen (2008) power per outcome

    @property
    def sims(self) -> int:
        return int(self.p_values.shape[0])

    @property
    def failed(self) -> int:
        return int(np.isnan(self.p_values).any(axis=1).sum())

    @property
    def converged(self) -> bool:
        return self.failed == 0

    @property
    def warnings(self) -> tuple[str, ...]:
        if not self.failed:
            return ()
        return (
            f"{self.failed} of {self.sims} simulated analyses failed (counted as not significant)",
        )

    @property
    def adjusted(self) -> Array:
        """Holm-adjusted p-values within each simulated trial (NaN row if a fit failed)."""
        if self.p_values.shape[1] == 1:
            return self.p_values
        rows = [
            adjust_p_values(row, "holm") if not np.isnan(row).any() else row
            for row in self.p_values
        ]
        return np.asarray(rows, dtype=float)

    @property
    def rejected(self) -> NDArray[np.bool_]:
        """(sims, outcomes): adjusted p below alpha (all False where any fit failed)."""
        adjusted = self.adjusted
        failed = np.isnan(adjusted).any(axis=1, keepdims=True)
        return np.asarray(~failed & (np.nan_to_num(adjusted, nan=1.0) < self.design.alpha))

    @property
    def successes(self) -> NDArray[np.bool_]:
        rejected = self.rejected
        found = rejected.all(axis=1) if self.design.success == "all" else rejected.any(axis=1)
        return np.asarray(found, dtype=bool)

    @property
    def power(self) -> float:
        return float(self.successes.mean())

    @property
    def mc_se(self) -> float:
        return _mc_se(self.power, self.sims)

    @property
    def arm_sizes(self) -> tuple[int, int]:
        return self.design.arm_sizes(self.n_per_arm)

    def summary(self) -> pd.DataFrame:
        """Power per outcome (after Holm) and for the trial, with Monte-Carlo SEs."""
        rejected = self.rejected
        rows: list[dict[str, Any]] = []
        for j, outcome in enumerate(self.design.outcomes):
            share = float(rejected[:, j].mean())
            rows.append(
                {
                    "outcome": outcome.name,
                    "power": share,
                    "mc_se": _mc_se(share, self.sims),
                    "analytical": self.analytical[j] if self.analytical else math.nan,
                    "mean_estimate": float(np.nanmean(self.estimates[:, j]))
                    if not np.isnan(self.estimates[:, j]).all()
                    else math.nan,
                    "effect": outcome.effect[self.design.contrast_index],
                }
            )
        if len(rows) > 1:
            label = f"trial ({self.design.success} after Holm)"
            rows.append({"outcome": label, "power": self.power, "mc_se": self.mc_se})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``exonc power mmrm --format json``."""
        table = self.summary()
        return {
            "n_per_arm": self.n_per_arm,
            "arm_sizes": list(self.arm_sizes),
            "power": self.power,
            "mc_se": self.mc_se,
            "sims": self.sims,
            "failed": self.failed,
            "seed": self.seed,
            "outcomes": [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in table.to_dict(orient="records")
            ],
            "design": self.design.describe(),
            "converged": self.converged,
            "warnings": list(self.warnings),
        }


def _mc_se(share: float, sims: int) -> float:
    return math.sqrt(share * (1.0 - share) / sims) if sims else math.nan


def simulate_power(
    design: TrialDesign,
    n_per_arm: int,
    *,
    sims: int,
    seed: int,
    runner: Runner = local_runner,
    chunk_size: int = 25,
    progress: Progress | None = None,
) -> PowerResult:
    """Power of *design* with *n_per_arm* (control arm) from *sims* simulated trials."""
    if sims < 1:
        raise DesignInputError("must be at least 1", key="sims", value=sims)
    design.arm_sizes(n_per_arm)  # refuses too small n before anything runs
    found = runner(design, n_per_arm, seed, chunks(sims, chunk_size), progress)
    p, estimate = _assemble(found, sims, len(design.outcomes))
    analytical = tuple(lu_power(design, n_per_arm, j) for j in range(len(design.outcomes)))
    return PowerResult(design, n_per_arm, seed, p, estimate, analytical)


def _assemble(found: Iterable[ChunkResult], sims: int, outcomes: int) -> tuple[Array, Array]:
    p = np.full((sims, outcomes), np.nan)
    estimate = np.full((sims, outcomes), np.nan)
    for chunk in found:
        stop = chunk.start + chunk.p.shape[0]
        p[chunk.start : stop], estimate[chunk.start : stop] = chunk.p, chunk.estimate
    return p, estimate

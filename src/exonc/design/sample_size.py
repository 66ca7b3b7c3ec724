"""The smallest sample size reaching a target power: :func:`sample_size`.

Every sample size tried uses the same seed, hence the same random streams: simulation
``i`` at ``n`` and at ``n + 1`` share their first participants (common random numbers,
:mod:`exonc.design.simulate`), so the simulated power curve is nearly monotone in ``n``
and its steps reflect the design rather than new noise. The search starts at the
analytical answer (Lu, Luo & Chen 2008), brackets the target by steps of 25 %, then
bisects to the smallest ``n`` whose simulated power reaches the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from exonc.design.analytical import lu_power
from exonc.design.power import PowerResult, Progress, Runner, local_runner, simulate_power
from exonc.design.spec import TrialDesign
from exonc.errors import DesignInputError
from exonc.results import Result

__all__ = ["MAX_N_PER_ARM", "SampleSizeResult", "sample_size"]

MAX_N_PER_ARM = 20_000


@dataclass(frozen=True, eq=False)
class SampleSizeResult(Result):
    """The smallest n per arm with simulated power >= target, and every n tried."""

    target: float
    chosen: PowerResult
    tried: tuple[PowerResult, ...]

    @property
    def n_per_arm(self) -> int:
        return self.chosen.n_per_arm

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.chosen.warnings

    @property
    def converged(self) -> bool:
        return self.chosen.converged

    def summary(self) -> pd.DataFrame:
        """Power at each n tried (sorted by n), with Monte-Carlo SEs."""
        rows = [
            {"n_per_arm": r.n_per_arm, "power": r.power, "mc_se": r.mc_se, "failed": r.failed}
            for r in sorted(self.tried, key=lambda r: r.n_per_arm)
        ]
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        data = self.chosen.to_dict()
        data["target_power"] = self.target
        data["search"] = self.summary().to_dict(orient="records")
        return data


def _first_guess(design: TrialDesign, target: float) -> int:
    low, high = 2, MAX_N_PER_ARM
    if lu_power(design, high) < target:
        return 100
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if lu_power(design, middle) < target else (low, middle)
    return max(high, 4)


def sample_size(
    design: TrialDesign,
    target: float,
    *,
    sims: int,
    seed: int,
    runner: Runner = local_runner,
    progress: Progress | None = None,
) -> SampleSizeResult:
    """The smallest n per arm (control arm) whose simulated power reaches *target*."""
    if not 0 < target < 1:
        raise DesignInputError("must lie between 0 and 1", key="target_power", value=target)
    tried: dict[int, PowerResult] = {}

    def power_at(n: int) -> float:
        if n not in tried:
            tried[n] = simulate_power(
                design, n, sims=sims, seed=seed, runner=runner, progress=progress
            )
        return tried[n].power

    low, high = _bracket(power_at, _first_guess(design, target), target)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if power_at(middle) < target else (low, middle)
    return SampleSizeResult(target, tried[high], tuple(tried.values()))


def _bracket(power_at: Any, start: int, target: float) -> tuple[int, int]:
    """``(low, high)``: power below target at low (or low = 1), reaching it at high."""
    n = start
    if power_at(n) >= target:
        while n > 2:
            smaller = max(2, int(n * 0.8))
            if power_at(smaller) < target:
                return smaller, n
            n = smaller
        return 1, 2
    while n < MAX_N_PER_ARM:
        larger = min(MAX_N_PER_ARM, max(n + 1, int(n * 1.25)))
        if power_at(larger) >= target:
            return n, larger
        n = larger
    raise DesignInputError(
        f"not reached with {MAX_N_PER_ARM} participants per arm",
        key="target_power",
        value=target,
        hint="check the effect sizes and dropout, or lower the target",
    )

"""Non-parametric bootstrap of patients within arm: the CE plane, CEAC, CEAF and EVPI.

Each replicate resamples, with replacement, as many patients from each arm as the arm
has, and recomputes the incremental cost (difference of arm means) and the incremental
QALYs (by default baseline-adjusted: the arm coefficient of ``QALY ~ 1 + arm + baseline``
refitted on the replicate, the same estimator as the point estimate). The resampling is
vectorised: a replicates × patients matrix of indices is drawn per arm, and
every replicate's sums come from gathering each per-patient term through it (no BLAS
call, whose threads only slow products this small on a busy machine).

From the B replicates (ΔE_b, ΔC_b) and a willingness to pay k, with INB_b(k) = k ΔE_b − ΔC_b:

* CEAC(k) = share of replicates with INB_b(k) > 0 (the intervention is cost-effective);
* CEAF(k) = probability of being cost-effective of the strategy with the higher expected
  net benefit (intervention if mean INB(k) > 0, else the reference) — Fenwick et al. 2001;
* EVPI(k) = mean of max(INB_b(k), 0) − max(mean INB(k), 0), per patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from exonc.economics._columns import FloatArray
from exonc.errors import EconomicsInputError
from exonc.results import Result

__all__ = ["BootstrapResult", "bootstrap_increments"]

_CHUNK = 2_500  # replicates drawn at a time: bounds memory, fixes the random stream


@dataclass(frozen=True, eq=False)
class BootstrapResult(Result):
    """Bootstrap replicates of the incremental effect and cost (intervention − reference)."""

    delta_effect: FloatArray
    delta_cost: FloatArray
    adjusted: bool

    @property
    def replicates(self) -> int:
        return len(self.delta_effect)

    def inb(self, wtp: ArrayLike) -> FloatArray:
        """Replicates × WTP matrix of incremental net benefit k ΔE − ΔC."""
        k = np.atleast_1d(np.asarray(wtp, dtype=np.float64))
        return np.asarray(np.outer(self.delta_effect, k) - self.delta_cost[:, None])

    def ceac(self, wtp: ArrayLike) -> FloatArray:
        """Probability that the intervention is cost-effective at each WTP."""
        return np.asarray((self.inb(wtp) > 0).mean(axis=0), dtype=np.float64)

    def intervention_optimal(self, wtp: ArrayLike) -> NDArray[np.bool_]:
        """Whether the intervention has the higher expected net benefit at each WTP."""
        return np.asarray(self.inb(wtp).mean(axis=0) > 0)

    def ceaf(self, wtp: ArrayLike) -> FloatArray:
        """Probability that the strategy with the higher expected net benefit is cost-effective."""
        inb = self.inb(wtp)
        p = (inb > 0).mean(axis=0)
        return np.asarray(np.where(inb.mean(axis=0) > 0, p, 1.0 - p), dtype=np.float64)

    def evpi(self, wtp: ArrayLike) -> FloatArray:
        """Per-patient expected value of perfect information at each WTP."""
        inb = self.inb(wtp)
        value = np.maximum(inb, 0.0).mean(axis=0) - np.maximum(inb.mean(axis=0), 0.0)
        return np.asarray(value, dtype=np.float64)

    def interval(self, level: float = 0.95) -> tuple[tuple[float, float], tuple[float, float]]:
        """Percentile intervals of (ΔE, ΔC)."""
        q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
        e = np.percentile(self.delta_effect, q)
        c = np.percentile(self.delta_cost, q)
        return (float(e[0]), float(e[1])), (float(c[0]), float(c[1]))

    def plane(self) -> pd.DataFrame:
        """CE-plane points, one row per replicate: ``replicate``, ``delta_qaly``, ``delta_cost``."""
        return pd.DataFrame(
            {
                "replicate": np.arange(1, self.replicates + 1),
                "delta_qaly": self.delta_effect,
                "delta_cost": self.delta_cost,
            }
        )

    def summary(self) -> pd.DataFrame:
        (e_lo, e_hi), (c_lo, c_hi) = self.interval()
        return pd.DataFrame(
            {
                "estimate": [self.delta_effect.mean(), self.delta_cost.mean()],
                "se": [self.delta_effect.std(ddof=1), self.delta_cost.std(ddof=1)],
                "ci_lower": [e_lo, c_lo],
                "ci_upper": [e_hi, c_hi],
            },
            index=pd.Index(["delta_qaly", "delta_cost"], name="term"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"replicates": self.replicates, "adjusted": self.adjusted} | {
            "summary": self.summary().reset_index().to_dict(orient="records")
        }


def bootstrap_increments(
    qaly: FloatArray,
    cost: FloatArray,
    treated: NDArray[np.bool_],
    baseline: FloatArray,
    *,
    replicates: int,
    rng: np.random.Generator,
    adjust: bool = True,
) -> BootstrapResult:
    """Bootstrap ΔE and ΔC by resampling patients within arm (see the module docstring)."""
    if replicates < 1:
        raise EconomicsInputError(f"{replicates} bootstrap replicates", hint="ask for at least 1")
    arms = [np.flatnonzero(treated), np.flatnonzero(~treated)]
    if min(len(a) for a in arms) < 2:
        raise EconomicsInputError("each arm needs at least two patients to bootstrap")
    features = [_features(qaly[a], cost[a], baseline[a]) for a in arms]
    effect, costs = [], []
    for start in range(0, replicates, _CHUNK):
        size = min(_CHUNK, replicates - start)
        sums = [_resampled_sums(f, size, rng) for f in features]
        e, c = _increments(sums, [len(a) for a in arms], adjust)
        effect.append(e)
        costs.append(c)
    return BootstrapResult(np.concatenate(effect), np.concatenate(costs), adjust)


def _features(qaly: FloatArray, cost: FloatArray, baseline: FloatArray) -> FloatArray:
    """Per-patient terms whose resampled sums give means and the normal equations, one
    term per row."""
    return np.vstack([qaly, cost, baseline, baseline * baseline, baseline * qaly])


def _resampled_sums(features: FloatArray, size: int, rng: np.random.Generator) -> FloatArray:
    """Replicates × terms: each term summed over *size* resamples of the arm's patients."""
    n = features.shape[1]
    draws = rng.integers(0, n, size=(size, n))
    return np.column_stack([term[draws].sum(axis=1) for term in features])


def _increments(
    sums: list[FloatArray], sizes: list[int], adjust: bool
) -> tuple[FloatArray, FloatArray]:
    (s1, s0), (n1, n0) = sums, sizes
    delta_cost = s1[:, 1] / n1 - s0[:, 1] / n0
    if not adjust:
        return s1[:, 0] / n1 - s0[:, 0] / n0, delta_cost
    # Normal equations of QALY ~ 1 + arm + baseline, one 3 × 3 system per replicate.
    total = s1 + s0
    xtx = np.empty((len(s1), 3, 3))
    xtx[:, 0, 0] = n1 + n0
    xtx[:, 0, 1] = xtx[:, 1, 0] = xtx[:, 1, 1] = n1
    xtx[:, 0, 2] = xtx[:, 2, 0] = total[:, 2]
    xtx[:, 1, 2] = xtx[:, 2, 1] = s1[:, 2]
    xtx[:, 2, 2] = total[:, 3]
    xty = np.column_stack([total[:, 0], s1[:, 0], total[:, 4]])
    try:
        coef = np.linalg.solve(xtx, xty[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError as exc:
        raise EconomicsInputError(
            "baseline utility does not vary within a bootstrap replicate",
            hint="the adjusted bootstrap needs more patients with differing baseline utility",
        ) from exc
    return np.asarray(coef[:, 1]), delta_cost

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

The replicates come back as exonc's one :class:`~exonc.results.BootstrapResult` (the
statistics ``delta_qaly_adjusted`` or ``delta_qaly_unadjusted``, and ``delta_cost``, with
the full-data estimates); the functions here read the CE summaries off it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from exonc.economics._columns import FloatArray
from exonc.errors import EconomicsInputError
from exonc.results import BootstrapResult

__all__ = [
    "BootstrapResult",
    "bootstrap_increments",
    "ceac",
    "ceaf",
    "evpi",
    "inb",
    "increments",
    "increments_result",
    "intervention_optimal",
    "is_adjusted",
]

_CHUNK = 2_500  # replicates drawn at a time: bounds memory, fixes the random stream


EFFECT_TERMS = {True: "delta_qaly_adjusted", False: "delta_qaly_unadjusted"}
COST_TERM = "delta_cost"


def increments_result(
    delta_effect: FloatArray, delta_cost: FloatArray, estimate: tuple[float, float], adjusted: bool
) -> BootstrapResult:
    """The :class:`~exonc.results.BootstrapResult` of (ΔE, ΔC) replicates: statistics
    ``delta_qaly_adjusted`` (or ``_unadjusted``) and ``delta_cost``."""
    return BootstrapResult(
        labels=pd.DataFrame({"term": [EFFECT_TERMS[adjusted], COST_TERM]}),
        replicates=np.column_stack([delta_effect, delta_cost]),
        estimate=np.asarray(estimate, dtype=np.float64),
    )


def increments(boot: BootstrapResult) -> tuple[FloatArray, FloatArray]:
    """The ΔE and ΔC replicates of a cost-effectiveness bootstrap."""
    return np.asarray(boot.replicates[:, 0]), np.asarray(boot.replicates[:, 1])


def is_adjusted(boot: BootstrapResult) -> bool:
    """Whether ΔE is the baseline-adjusted incremental QALY."""
    return bool(boot.labels["term"].iloc[0] == EFFECT_TERMS[True])


def inb(boot: BootstrapResult, wtp: ArrayLike) -> FloatArray:
    """Replicates × WTP matrix of incremental net benefit k ΔE − ΔC."""
    effect, cost = increments(boot)
    k = np.atleast_1d(np.asarray(wtp, dtype=np.float64))
    return np.asarray(np.outer(effect, k) - cost[:, None])


def ceac(boot: BootstrapResult, wtp: ArrayLike) -> FloatArray:
    """Probability that the intervention is cost-effective at each WTP."""
    return np.asarray((inb(boot, wtp) > 0).mean(axis=0), dtype=np.float64)


def intervention_optimal(boot: BootstrapResult, wtp: ArrayLike) -> NDArray[np.bool_]:
    """Whether the intervention has the higher expected net benefit at each WTP."""
    return np.asarray(inb(boot, wtp).mean(axis=0) > 0)


def ceaf(boot: BootstrapResult, wtp: ArrayLike) -> FloatArray:
    """Probability that the strategy with the higher expected net benefit is cost-effective."""
    values = inb(boot, wtp)
    p = (values > 0).mean(axis=0)
    return np.asarray(np.where(values.mean(axis=0) > 0, p, 1.0 - p), dtype=np.float64)


def evpi(boot: BootstrapResult, wtp: ArrayLike) -> FloatArray:
    """Per-patient expected value of perfect information at each WTP."""
    values = inb(boot, wtp)
    value = np.maximum(values, 0.0).mean(axis=0) - np.maximum(values.mean(axis=0), 0.0)
    return np.asarray(value, dtype=np.float64)


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
    sizes = [len(a) for a in arms]
    effect, costs = [], []
    for start in range(0, replicates, _CHUNK):
        size = min(_CHUNK, replicates - start)
        sums = [_resampled_sums(f, size, rng) for f in features]
        e, c = _increments(sums, sizes, adjust)
        effect.append(e)
        costs.append(c)
    full_e, full_c = _increments([f.sum(axis=1)[None] for f in features], sizes, adjust)
    estimate = (float(full_e[0]), float(full_c[0]))
    return increments_result(np.concatenate(effect), np.concatenate(costs), estimate, adjust)


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

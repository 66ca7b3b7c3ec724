"""Standardised effect sizes: a treatment difference divided by the pooled baseline SD.

``d = difference / s_pooled`` with
``s_pooled = sqrt(sum_g (n_g - 1) s_g^2 / sum_g (n_g - 1))`` over the arms ``g``, where
``s_g`` is the standard deviation of the outcome at baseline in arm ``g`` among the
participants analysed (Cohen's d with the baseline spread as the yardstick, as in the
PREFERABLE-EFFECT report). The sign follows the difference; its confidence limits are
those of the difference divided by the same SD (the SD is treated as known).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from exonc.analysis.inference import Estimate
from exonc.errors import AnalysisInputError

__all__ = ["EffectSize", "pooled_sd", "standardised_effect"]


@dataclass(frozen=True)
class EffectSize:
    """A standardised difference with its confidence limits."""

    effect_size: float
    ci_lower: float
    ci_upper: float
    pooled_sd: float


def pooled_sd(groups: Mapping[str, Iterable[float]]) -> float:
    """Pooled standard deviation of the groups' values (missing values are ignored)."""
    sums, degrees = 0.0, 0
    for values in groups.values():
        array = np.asarray(list(values), dtype=float)
        array = array[~np.isnan(array)]
        if array.size > 1:
            sums += float(np.var(array, ddof=1)) * (array.size - 1)
            degrees += array.size - 1
    if degrees == 0 or sums <= 0:
        raise AnalysisInputError(
            "the baseline values do not vary, so no standardised effect size exists",
            hint="check the baseline column; at least two different values are needed",
        )
    return math.sqrt(sums / degrees)


def standardised_effect(estimate: Estimate, sd: float) -> EffectSize:
    """The estimate and its confidence limits divided by *sd*."""
    return EffectSize(estimate.estimate / sd, estimate.ci_lower / sd, estimate.ci_upper / sd, sd)

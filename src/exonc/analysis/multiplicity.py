"""Adjusting p-values across a family of co-primary hypotheses (Holm, Bonferroni).

Bonferroni multiplies each p by the number of hypotheses ``m``. Holm (1979) orders the
p-values ``p(1) <= ... <= p(m)``, multiplies ``p(j)`` by ``m - j + 1`` and makes the results
non-decreasing in that order; it controls the family-wise error rate as Bonferroni does and
is never less powerful. Both cap at 1 and match R's ``p.adjust``; missing p-values are
left missing and not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from exonc.errors import AnalysisInputError

__all__ = ["MULTIPLICITY_METHODS", "MultiplicityMethod", "adjust_p_values"]

MultiplicityMethod = Literal["holm", "bonferroni", "none"]
MULTIPLICITY_METHODS: tuple[str, ...] = get_args(MultiplicityMethod)


def adjust_p_values(p: Sequence[float], method: MultiplicityMethod = "holm") -> NDArray[np.float64]:
    """Adjusted p-values in the order given."""
    values = np.asarray(p, dtype=float)
    if method not in MULTIPLICITY_METHODS:
        raise AnalysisInputError(
            f"unknown multiplicity method {method!r}",
            hint=f"choose one of {', '.join(MULTIPLICITY_METHODS)}",
        )
    if np.any((values < 0) | (values > 1)):
        raise AnalysisInputError("p-values must lie between 0 and 1")
    present = ~np.isnan(values)
    adjusted = values.copy()
    m = int(present.sum())
    if method == "bonferroni":
        adjusted[present] = np.minimum(1.0, m * values[present])
    elif method == "holm":
        observed = values[present]
        order = np.argsort(observed, kind="stable")
        scaled = (m - np.arange(m)) * observed[order]
        result = np.empty(m)
        result[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
        adjusted[present] = result
    return adjusted

"""Reports on allocations: balance by stratum and factor margin, and CONSORT counts.

*Imbalance* in a group of participants is the range of the arms' counts divided by their
ratio shares: ``max_k n_k / r_k − min_k n_k / r_k``. For a 1:1 design it is the absolute
difference between the arms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from exonc.errors import InputError, RandomisationInputError
from exonc.randomisation.design import UNSTRATIFIED, Assignment, RandomisationDesign
from exonc.results import Result

__all__ = ["AllocationCounts", "BalanceReport", "allocation_counts", "balance_report", "imbalance"]


def imbalance(counts: Sequence[int], ratio: Sequence[int]) -> float:
    """Range of the ratio-adjusted counts (the absolute difference for 1:1)."""
    adjusted = [n / r for n, r in zip(counts, ratio, strict=True)]
    return max(adjusted) - min(adjusted)


@dataclass(frozen=True, eq=False)
class BalanceReport(Result):
    """Counts per arm overall, in each stratum and at each level of each factor.

    ``table`` has the columns ``scope`` (``overall``, ``margin`` or ``stratum``), ``group``
    (the stratum label, ``factor=level`` for a margin, ``all`` overall), one column per
    factor (the level, empty where the row spans all levels), ``n``, ``n_<arm>`` per arm
    and ``imbalance``.
    """

    arms: tuple[str, ...]
    table: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        return self.table

    def _largest(self, scope: str) -> float:
        values = self.table.loc[self.table["scope"] == scope, "imbalance"]
        return float(values.max()) if len(values) else 0.0

    @property
    def overall_imbalance(self) -> float:
        return self._largest("overall")

    @property
    def max_margin_imbalance(self) -> float:
        return self._largest("margin")

    @property
    def max_stratum_imbalance(self) -> float:
        return self._largest("stratum")


@dataclass(frozen=True, eq=False)
class AllocationCounts(Result):
    """The allocation numbers of a CONSORT flow diagram: randomised, and allocated per arm."""

    randomised: int
    allocated: Mapping[str, int]
    target_proportions: Mapping[str, float]

    def summary(self) -> pd.DataFrame:
        rows = [
            {
                "arm": arm,
                "n": n,
                "proportion": n / self.randomised if self.randomised else float("nan"),
                "target_proportion": self.target_proportions[arm],
            }
            for arm, n in self.allocated.items()
        ]
        return pd.DataFrame(rows, columns=["arm", "n", "proportion", "target_proportion"])


def allocation_counts(
    design: RandomisationDesign, assignments: Iterable[Assignment]
) -> AllocationCounts:
    """Participants randomised and allocated to each arm (arms in design order)."""
    allocated = dict.fromkeys(design.arm_names, 0)
    for number, assignment in enumerate(assignments, start=1):
        _check_arm(design, assignment.arm, number)
        allocated[assignment.arm] += 1
    targets = {arm.name: arm.ratio / design.ratio_sum for arm in design.arms}
    return AllocationCounts(sum(allocated.values()), allocated, targets)


def balance_report(design: RandomisationDesign, assignments: Iterable[Assignment]) -> BalanceReport:
    """Balance of *assignments* overall, for every stratum and every factor level.

    Every stratum and level of the design gets a row, also those nobody is in yet. A
    problem with an assignment names its 1-based number as the row.
    """
    arms = design.arm_names
    strata = {s.label: [0] * len(arms) for s in design.strata()}
    margins = {(f.name, level): [0] * len(arms) for f in design.factors for level in f.levels}
    overall = [0] * len(arms)
    for number, assignment in enumerate(assignments, start=1):
        try:
            stratum = design.stratum_of(assignment.levels)
        except InputError as error:
            raise RandomisationInputError(
                error.problem, row=number, column=error.column, value=error.value, hint=error.hint
            ) from None
        k = _check_arm(design, assignment.arm, number)
        overall[k] += 1
        strata[stratum.label][k] += 1
        for pair in stratum.levels:
            margins[pair][k] += 1
    rows = [_row(design, "overall", UNSTRATIFIED, {}, overall)]
    rows += [_row(design, "margin", f"{f}={v}", {f: v}, c) for (f, v), c in margins.items()]
    rows += [
        _row(design, "stratum", s.label, s.as_dict(), strata[s.label]) for s in design.strata()
    ]
    columns = ["scope", "group", *design.factor_names, "n", *(f"n_{a}" for a in arms), "imbalance"]
    return BalanceReport(arms, pd.DataFrame(rows, columns=columns))


def _row(
    design: RandomisationDesign,
    scope: str,
    group: str,
    levels: Mapping[str, str],
    counts: Sequence[int],
) -> dict[str, object]:
    return {
        "scope": scope,
        "group": group,
        **{name: levels.get(name, "") for name in design.factor_names},
        "n": sum(counts),
        **{f"n_{arm}": n for arm, n in zip(design.arm_names, counts, strict=True)},
        "imbalance": imbalance(counts, design.ratio),
    }


def _check_arm(design: RandomisationDesign, arm: str, number: int) -> int:
    if arm not in design.arm_names:
        raise RandomisationInputError(
            "is not an arm of the design",
            row=number,
            column="arm",
            value=arm,
            hint=f"use one of {', '.join(design.arm_names)}",
        )
    return design.arm_names.index(arm)

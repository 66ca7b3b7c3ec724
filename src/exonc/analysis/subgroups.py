"""Effect modification: does the treatment effect differ between subgroups?

One MMRM with the three-way interaction ``arm * visit * modifier`` (plus the covariates)
gives, at each visit, the treatment contrast within each level of the modifier (LS-mean
differences, other factors weighted equally). The interaction test at a visit is the joint
Wald F test that those contrasts are equal across levels (one df for a two-level
modifier, where the estimate is the difference of the two subgroup effects); the overall
test asks the same over all visits at once. Degrees of freedom follow the model's method.
The table of :meth:`EffectModificationResult.summary` is ready for a forest plot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis.covariance import CovarianceType
from exonc.analysis.estimation import Optimizer
from exonc.analysis.formula import Formula, Term
from exonc.analysis.inference import DfMethod, FTest
from exonc.analysis.lsmeans import contrast_rows, estimate_rows
from exonc.analysis.mmrm import MMRMResult, fit_mmrm
from exonc.errors import AnalysisInputError
from exonc.results import Result, jsonable

__all__ = ["ALL_VISITS", "EffectModificationResult", "effect_modification"]

Array = NDArray[np.float64]
ALL_VISITS = "all visits"


@dataclass(frozen=True, eq=False)
class EffectModificationResult(Result):
    """Treatment effects within subgroups of one modifier, and the interaction tests."""

    modifier: str
    levels: tuple[str, ...]
    subgroups: pd.DataFrame  # arm, reference, visit, modifier level, n_subjects, estimates
    interactions: pd.DataFrame  # visit (or "all visits"), estimate, f, num_df, den_df, p
    fit: MMRMResult

    @property
    def converged(self) -> bool:
        return self.fit.converged

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.fit.warnings

    def summary(self) -> pd.DataFrame:
        """Forest-plot table: one row per visit and subgroup with the visit's p-interaction."""
        visit = self.fit.visit
        p = self.interactions.set_index(visit)["p"].rename("p_interaction")
        return self.subgroups.join(p, on=visit)

    def to_dict(self) -> dict[str, Any]:
        return {
            "modifier": self.modifier,
            "levels": list(self.levels),
            "subgroups": jsonable(self.subgroups),
            "interactions": jsonable(self.interactions),
            "converged": self.converged,
            "warnings": list(self.warnings),
        }


def effect_modification(
    data: pd.DataFrame,
    *,
    modifier: str,
    outcome: str,
    subject: str,
    visit: str,
    arm: str,
    reference: str,
    covariates: Sequence[str] = (),
    covariates_by_visit: Sequence[str] = (),
    covariance: CovarianceType = "us",
    df: DfMethod = "kenward-roger",
    visit_order: Sequence[str] | None = None,
    levels: Mapping[str, Sequence[str]] | None = None,
    alpha: float = 0.05,
    optimizer: Optimizer = "mmrm",
) -> EffectModificationResult:
    """Fit ``outcome ~ arm * visit * modifier + covariates + covariates_by_visit * visit``."""
    if modifier not in data.columns:
        raise AnalysisInputError(f"missing column {modifier}", column=modifier)
    frame = data.assign(**{modifier: data[modifier].map(_label, na_action="ignore")})
    others = [c for c in covariates if c != modifier]
    formula = _formula(outcome, arm, visit, modifier, others, covariates_by_visit)
    fit = fit_mmrm(
        frame,
        formula=formula,
        subject=subject,
        visit=visit,
        arm=arm,
        reference=reference,
        covariance=covariance,
        df=df,
        visit_order=visit_order,
        levels=levels,
        alpha=alpha,
        optimizer=optimizer,
    )
    level_names = fit.design.variables[modifier].levels or ()
    labels, rows = contrast_rows(fit.design, arm, reference, [visit, modifier])
    subgroups = estimate_rows(fit.inference, labels, rows, alpha)
    counts = _subjects_per_level(frame, outcome, subject, modifier)
    subgroups.insert(4, "n_subjects", subgroups[modifier].map(counts).fillna(0).astype(int))
    interactions = _interaction_tests(fit, labels, rows, visit, modifier, level_names)
    return EffectModificationResult(modifier, tuple(level_names), subgroups, interactions, fit)


def _label(value: object) -> str:
    """Factor labels as text; whole numbers without a trailing '.0' (0/1 flags)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _formula(
    outcome: str,
    arm: str,
    visit: str,
    modifier: str,
    covariates: Sequence[str],
    covariates_by_visit: Sequence[str],
) -> Formula:
    mains = list(dict.fromkeys([arm, visit, modifier, *covariates, *covariates_by_visit]))
    terms: list[Term] = [(name,) for name in mains]
    terms += [(arm, visit), (arm, modifier), (visit, modifier)]
    terms += [(visit, name) for name in dict.fromkeys(covariates_by_visit) if name != modifier]
    terms.append((arm, visit, modifier))
    return Formula(outcome, True, tuple(terms))


def _subjects_per_level(
    frame: pd.DataFrame, outcome: str, subject: str, modifier: str
) -> dict[str, int]:
    observed = frame[frame[outcome].notna() & frame[modifier].notna()]
    counts = observed.groupby(modifier)[subject].nunique()
    return {str(k): int(v) for k, v in counts.items()}


def _interaction_tests(
    fit: MMRMResult,
    labels: pd.DataFrame,
    rows: Array,
    visit: str,
    modifier: str,
    levels: Sequence[str],
) -> pd.DataFrame:
    """Equality of the subgroup effects at each visit, then over all visits."""
    if len(levels) < 2:
        raise AnalysisInputError(
            f"the modifier {modifier} has one level in the data", column=modifier
        )
    records = []
    by_visit = {}
    for visit_level in fit.visits:
        differences = _differences(labels, rows, visit, visit_level, modifier, levels)
        by_visit[visit_level] = differences
        records.append(_test_record(fit, differences, visit, visit_level))
    records.append(_test_record(fit, np.vstack(list(by_visit.values())), visit, ALL_VISITS))
    return pd.DataFrame(records)


def _differences(
    labels: pd.DataFrame,
    rows: Array,
    visit: str,
    visit_level: str,
    modifier: str,
    levels: Sequence[str],
) -> Array:
    at_visit = (labels[visit] == visit_level).to_numpy()
    first = at_visit & (labels[modifier] == levels[0]).to_numpy()
    result = [
        rows[at_visit & (labels[modifier] == level).to_numpy()] - rows[first]
        for level in levels[1:]
    ]
    return np.vstack(result)


def _test_record(fit: MMRMResult, differences: Array, visit: str, label: str) -> dict[str, Any]:
    test: FTest = fit.f_test(differences)
    single = differences.shape[0] == 1
    estimate = fit.estimate(differences[0]).estimate if single else float("nan")
    return {
        visit: label,
        "estimate": estimate,
        "f": test.f,
        "num_df": test.num_df,
        "den_df": test.den_df,
        "p": test.p,
    }

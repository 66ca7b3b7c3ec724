"""A trial design for a power calculation: :class:`TrialDesign` and :class:`OutcomeDesign`.

A design says what the next trial will look like — two arms and their allocation ratio,
the follow-up visits, and for each outcome the mean change in the control arm, the effect
(treatment minus control) at each visit and the within-participant covariance — how
participants drop out, and how each trial will be analysed (the MMRM's covariance
structure, degrees-of-freedom method, the visit of the contrast, alpha). Every value is
checked when the design is made: a covariance that is not positive definite, a dropout
proportion outside [0, 1) or an effect list of the wrong length raise a
:class:`~exonc.errors.DesignInputError` naming the key to fix. Format and meaning:
``docs/methods/power.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from exonc.analysis.covariance import COVARIANCE_TYPES, CovarianceType
from exonc.analysis.inference import DF_METHODS, DfMethod
from exonc.errors import DesignInputError

__all__ = ["DROPOUT_MECHANISMS", "SUCCESS_RULES", "OutcomeDesign", "Stratum", "TrialDesign"]

Array = NDArray[np.float64]
DropoutMechanism = Literal["mcar", "mar"]
SuccessRule = Literal["any", "all"]
DROPOUT_MECHANISMS: tuple[str, ...] = get_args(DropoutMechanism)
SUCCESS_RULES: tuple[str, ...] = get_args(SuccessRule)


@dataclass(frozen=True, eq=False)
class OutcomeDesign:
    """One outcome: effect and control-arm change per visit, covariance of the visits.

    ``baseline_sd`` > 0 adds a baseline value (correlation ``baseline_correlation`` with
    every follow-up value) that the analysis adjusts for at each visit; 0 means none.
    """

    name: str
    effect: tuple[float, ...]
    covariance: Array
    control_change: tuple[float, ...] = ()
    baseline_sd: float = 0.0
    baseline_correlation: float = 0.0

    def __post_init__(self) -> None:
        m = len(self.effect)
        where = f"outcomes.{self.name}"
        _finite(self.effect, f"{where}.effect")
        if not self.control_change:
            object.__setattr__(self, "control_change", (0.0,) * m)
        if len(self.control_change) != m:
            raise DesignInputError(
                f"has {len(self.control_change)} values for {m} visits",
                key=f"{where}.control_change",
                hint="give one mean change per visit",
            )
        _finite(self.control_change, f"{where}.control_change")
        covariance = np.asarray(self.covariance, dtype=float)
        object.__setattr__(self, "covariance", covariance)
        _check_covariance(covariance, m, f"{where}.covariance")
        if not (math.isfinite(self.baseline_sd) and self.baseline_sd >= 0):
            raise DesignInputError(
                "must be a number >= 0", key=f"{where}.baseline_sd", value=self.baseline_sd
            )
        if not -1 < self.baseline_correlation < 1:
            raise DesignInputError(
                "must lie strictly between -1 and 1",
                key=f"{where}.baseline_correlation",
                value=self.baseline_correlation,
            )
        _check_covariance(self.joint_covariance, m + 1, f"{where}.baseline_correlation")

    @property
    def sd(self) -> Array:
        return np.sqrt(np.diag(self.covariance))

    @property
    def has_baseline(self) -> bool:
        return self.baseline_sd > 0

    @property
    def joint_covariance(self) -> Array:
        """Covariance of (baseline, visit 1, …, visit m); baseline variance 1 if none."""
        m = self.covariance.shape[0]
        joint = np.eye(m + 1)
        joint[1:, 1:] = self.covariance
        if self.has_baseline:
            cross = self.baseline_correlation * self.baseline_sd * self.sd
            joint[0, 0] = self.baseline_sd**2
            joint[0, 1:] = joint[1:, 0] = cross
        return joint

    @property
    def residual_covariance(self) -> Array:
        """Covariance of the visits given the baseline (what the adjusted analysis sees)."""
        if not self.has_baseline:
            return self.covariance
        joint = self.joint_covariance
        cross = joint[1:, 0]
        return np.asarray(self.covariance - np.outer(cross, cross) / joint[0, 0], dtype=float)


@dataclass(frozen=True)
class Stratum:
    """A stratification factor: the share of participants at each level and how far each
    level shifts every outcome (in SDs of the visit). The analysis adjusts for it."""

    name: str
    proportions: tuple[float, ...]
    shifts: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        key = f"strata.{self.name}"
        levels = len(self.proportions)
        if levels < 2 or any(not (math.isfinite(p) and p > 0) for p in self.proportions):
            raise DesignInputError(
                "needs two or more positive shares",
                key=f"{key}.proportions",
                value=list(self.proportions),
            )
        if abs(sum(self.proportions) - 1.0) > 1e-6:
            raise DesignInputError(
                "must add up to 1", key=f"{key}.proportions", value=list(self.proportions)
            )
        if not self.shifts:
            object.__setattr__(self, "shifts", (0.0,) * levels)
        if len(self.shifts) != levels:
            raise DesignInputError(
                f"has {len(self.shifts)} values for {levels} levels", key=f"{key}.shifts"
            )
        _finite(self.shifts, f"{key}.shifts")


@dataclass(frozen=True, eq=False)
class TrialDesign:
    """A two-arm trial with repeated measures, and the MMRM that will analyse it.

    ``dropout[k]`` is the cumulative share of participants without data from visit ``k``
    on (monotone dropout; non-decreasing, each in [0, 1)). Under ``"mar"`` the chance of
    dropping out before a visit rises with the standardised previous value of the first
    outcome (odds ratio ``exp(mar_strength)`` per SD). ``success`` says whether a trial
    with several outcomes succeeds when ``any`` or ``all`` Holm-adjusted contrasts reach
    ``alpha``.
    """

    visits: tuple[str, ...]
    outcomes: tuple[OutcomeDesign, ...]
    arms: tuple[str, str] = ("control", "exercise")
    allocation: tuple[int, int] = (1, 1)
    contrast_visit: str = ""
    dropout: tuple[float, ...] = ()
    dropout_mechanism: DropoutMechanism = "mcar"
    mar_strength: float = 0.0
    outcome_correlation: float = 0.0
    structure: CovarianceType = "us"
    df: DfMethod = "kenward-roger"
    alpha: float = 0.05
    success: SuccessRule = "any"
    name: str = "design"
    title: str = ""
    reference: str = ""
    notes: tuple[str, ...] = field(default=())
    strata: tuple[Stratum, ...] = ()

    def __post_init__(self) -> None:
        m = len(self.visits)
        if m < 1 or len(set(self.visits)) < m:
            raise DesignInputError("need at least one visit, each named once", key="visits")
        if not self.contrast_visit:
            object.__setattr__(self, "contrast_visit", self.visits[-1])
        if self.contrast_visit not in self.visits:
            raise DesignInputError(
                "is not one of the visits",
                key="contrast_visit",
                value=self.contrast_visit,
                hint=f"use one of {', '.join(self.visits)}",
            )
        self._check_outcomes(m)
        self._check_dropout(m)
        self._check_analysis()

    def _check_outcomes(self, m: int) -> None:
        if not self.outcomes:
            raise DesignInputError("the design needs at least one outcome", key="outcomes")
        names = [o.name for o in self.outcomes]
        if len(set(names)) < len(names):
            raise DesignInputError("outcome names must be unique", key="outcomes")
        for outcome in self.outcomes:
            if len(outcome.effect) != m:
                raise DesignInputError(
                    f"has {len(outcome.effect)} values for {m} visits",
                    key=f"outcomes.{outcome.name}.effect",
                    value=list(outcome.effect),
                    hint=f"give one effect per visit ({', '.join(self.visits)})",
                )
        if not -1 / max(len(self.outcomes) - 1, 1) < self.outcome_correlation < 1:
            raise DesignInputError(
                "must lie strictly between -1/(outcomes - 1) and 1",
                key="outcome_correlation",
                value=self.outcome_correlation,
            )

    def _check_dropout(self, m: int) -> None:
        if not self.dropout:
            object.__setattr__(self, "dropout", (0.0,) * m)
        if len(self.dropout) != m:
            raise DesignInputError(
                f"has {len(self.dropout)} values for {m} visits",
                key="dropout",
                value=list(self.dropout),
                hint="give the cumulative share missing at each visit",
            )
        for value in self.dropout:
            if not (math.isfinite(value) and 0 <= value < 1):
                raise DesignInputError(
                    "must lie in [0, 1)", key="dropout", value=value, hint="e.g. 0.1 for 10 %"
                )
        if any(b < a for a, b in zip(self.dropout, self.dropout[1:], strict=False)):
            raise DesignInputError(
                "must not decrease from visit to visit (dropout is cumulative)",
                key="dropout",
                value=list(self.dropout),
            )
        if self.dropout_mechanism not in DROPOUT_MECHANISMS:
            raise DesignInputError(
                "unknown dropout mechanism", key="dropout_mechanism", value=self.dropout_mechanism
            )

    def _check_analysis(self) -> None:
        if len(self.arms) != 2 or self.arms[0] == self.arms[1]:
            raise DesignInputError("need two differently named arms", key="arms")
        if len(self.allocation) != 2 or min(self.allocation) < 1:
            raise DesignInputError(
                "must be two whole numbers >= 1, e.g. 1:1 or 2:1",
                key="allocation",
                value=":".join(str(a) for a in self.allocation),
            )
        if self.structure not in COVARIANCE_TYPES:
            raise DesignInputError("unknown covariance structure", key="structure")
        if self.df not in DF_METHODS:
            raise DesignInputError("unknown degrees-of-freedom method", key="df", value=self.df)
        if not 0 < self.alpha < 1:
            raise DesignInputError("must lie between 0 and 1", key="alpha", value=self.alpha)
        if self.success not in SUCCESS_RULES:
            raise DesignInputError("use 'any' or 'all'", key="success", value=self.success)

    @property
    def contrast_index(self) -> int:
        return self.visits.index(self.contrast_visit)

    def arm_sizes(self, n_per_arm: int) -> tuple[int, int]:
        """Participants per arm: *n_per_arm* in the control arm, the other by the ratio."""
        if n_per_arm < 2:
            raise DesignInputError("must be at least 2", key="n_per_arm", value=n_per_arm)
        control, treatment = self.allocation
        return n_per_arm, max(2, round(n_per_arm * treatment / control))

    def describe(self) -> dict[str, object]:
        """The design as JSON-safe data (echoed by ``exonc power mmrm --format json``)."""
        return {
            "name": self.name,
            "title": self.title,
            "reference": self.reference,
            "arms": list(self.arms),
            "allocation": ":".join(str(a) for a in self.allocation),
            "visits": list(self.visits),
            "contrast_visit": self.contrast_visit,
            "dropout": list(self.dropout),
            "dropout_mechanism": self.dropout_mechanism,
            "mar_strength": self.mar_strength,
            "outcome_correlation": self.outcome_correlation,
            "structure": self.structure,
            "df": self.df,
            "alpha": self.alpha,
            "success": self.success,
            "outcomes": [_describe_outcome(o) for o in self.outcomes],
            "strata": [
                {"name": s.name, "proportions": list(s.proportions), "shifts": list(s.shifts)}
                for s in self.strata
            ],
            "notes": list(self.notes),
        }


def _describe_outcome(outcome: OutcomeDesign) -> dict[str, object]:
    return {
        "name": outcome.name,
        "effect": list(outcome.effect),
        "control_change": list(outcome.control_change),
        "covariance": outcome.covariance.tolist(),
        "baseline_sd": outcome.baseline_sd,
        "baseline_correlation": outcome.baseline_correlation,
    }


def _finite(values: tuple[float, ...], key: str) -> None:
    if not all(math.isfinite(v) for v in values):
        raise DesignInputError("must hold finite numbers", key=key, value=list(values))


def _check_covariance(matrix: Array, m: int, key: str) -> None:
    if matrix.shape != (m, m) or not np.all(np.isfinite(matrix)):
        raise DesignInputError(
            f"must be a finite {m} x {m} matrix", key=key, hint="one row and column per visit"
        )
    if not np.allclose(matrix, matrix.T, rtol=1e-10, atol=1e-12):
        raise DesignInputError("must be symmetric", key=key)
    smallest = float(np.linalg.eigvalsh(matrix).min())
    if smallest <= 1e-10 * max(float(np.abs(matrix).max()), 1.0):
        raise DesignInputError(
            f"is not positive definite (smallest eigenvalue {smallest:.3g})",
            key=key,
            hint="check the SDs and correlations: some correlations cannot hold together",
        )

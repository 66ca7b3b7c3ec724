"""Analysis plans as data: a TOML file names what to analyse and how.

A plan names the tables (participants, and one scored table per instrument), the visits,
the outcomes (instrument scale, change from baseline), the model (covariates, covariance
structure, degrees of freedom), the co-primary outcomes with their visit and multiplicity
method, the subgroups for effect modification and the sensitivity analyses. The format is
documented in ``docs/concepts/analysis-plans.md``; ``preferable-effect`` ships with exonc.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, get_args

from exonc import _toml
from exonc.analysis.covariance import COVARIANCE_TYPES, CovarianceType
from exonc.analysis.inference import DF_METHODS, DfMethod
from exonc.analysis.multiplicity import MULTIPLICITY_METHODS, MultiplicityMethod
from exonc.errors import AnalysisInputError

__all__ = [
    "SHIPPED_PLANS",
    "AnalysisPlan",
    "PlanOutcome",
    "PlanSubgroup",
    "parse_plan",
    "shipped_plan",
]

Role = Literal["primary", "secondary"]
SHIPPED_PLANS = ("preferable-effect",)


@dataclass(frozen=True)
class PlanOutcome:
    """One outcome: a scale of an instrument, analysed as change from baseline."""

    name: str
    label: str
    instrument: str
    scale: str
    role: Role = "secondary"
    change_from_baseline: bool = True


@dataclass(frozen=True)
class PlanSubgroup:
    """A modifier: a participant column, cut at ``below`` when numeric (``< x`` / ``>= x``)."""

    name: str
    column: str
    below: float | None = None
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AnalysisPlan:
    """A validated analysis plan (see ``docs/concepts/analysis-plans.md``)."""

    name: str
    title: str
    subject: str
    arm: str
    reference: str
    visit: str
    baseline_visit: str
    visits: tuple[str, ...]
    participants_table: str
    instrument_tables: Mapping[str, str]
    covariates: tuple[str, ...]
    numeric_covariates: tuple[str, ...]
    baseline_by_visit: bool
    covariance: CovarianceType
    df: DfMethod
    alpha: float
    outcomes: tuple[PlanOutcome, ...]
    primary_visit: str
    multiplicity: MultiplicityMethod
    subgroups: tuple[PlanSubgroup, ...]
    imputations: int
    seed: int
    per_protocol: str | None
    reference_text: str = ""

    @property
    def primaries(self) -> tuple[PlanOutcome, ...]:
        return tuple(o for o in self.outcomes if o.role == "primary")

    def outcome(self, name: str) -> PlanOutcome:
        for outcome in self.outcomes:
            if outcome.name == name:
                return outcome
        raise AnalysisInputError(f"the plan has no outcome {name!r}")


def shipped_plan(name: str) -> AnalysisPlan:
    """A plan that ships with exonc, by name (``preferable-effect``)."""
    if name not in SHIPPED_PLANS:
        raise AnalysisInputError(
            f"no shipped analysis plan {name!r}",
            hint=f"shipped plans: {', '.join(SHIPPED_PLANS)}; or give the path of a TOML file",
        )
    text = resources.files("exonc.analysis").joinpath("plans", f"{name}.toml")
    return parse_plan(text.read_text(encoding="utf-8"), source=f"{name}.toml")


def parse_plan(text: str, *, source: str = "plan") -> AnalysisPlan:
    """Validate a plan's TOML *text*; errors name *source* and the key to fix.

    Every key must be one the format knows (``docs/concepts/analysis-plans.md``): a typo
    such as ``covarance`` stops with the file and key instead of falling back to a default.
    """
    root = _toml.root(text, source=source, error=AnalysisInputError)
    data, model, primary = root.table("data"), root.table("model"), root.table("primary")
    sensitivity = root.table("sensitivity", None)
    plan = AnalysisPlan(
        name=root.text("name"),
        title=root.text("title", ""),
        reference_text=root.text("reference", ""),
        **_data(data),
        **_model(model),
        outcomes=tuple(_outcome(t) for t in root.tables("outcomes", required=True)),
        primary_visit=primary.text("visit"),
        multiplicity=primary.one_of("multiplicity", MULTIPLICITY_METHODS, "holm"),
        subgroups=tuple(_subgroup(t) for t in root.tables("subgroups")),
        **_sensitivity(sensitivity),
    )
    for table in (data, model, primary, root):
        table.done()
    _check(plan, root)
    return plan


def _data(data: _toml.Table) -> dict[str, Any]:
    return {
        "subject": data.text("subject"),
        "arm": data.text("arm"),
        "reference": data.text("reference"),
        "visit": data.text("visit"),
        "baseline_visit": data.text("baseline"),
        "visits": tuple(data.texts("visits")),
        "participants_table": data.text("participants"),
        "instrument_tables": data.text_table("instruments"),
    }


def _model(model: _toml.Table) -> dict[str, Any]:
    return {
        "covariates": tuple(model.texts("covariates", [])),
        "numeric_covariates": tuple(model.texts("numeric", [])),
        "baseline_by_visit": model.flag("baseline_by_visit", True),
        "covariance": model.one_of("covariance", COVARIANCE_TYPES, "us"),
        "df": model.one_of("df", DF_METHODS, "kenward-roger"),
        "alpha": model.number("alpha", 0.05),
    }


def _sensitivity(sensitivity: _toml.Table | None) -> dict[str, Any]:
    if sensitivity is None:
        return {"imputations": 20, "seed": 0, "per_protocol": None}
    values = {
        "imputations": sensitivity.whole("imputations", 20),
        "seed": sensitivity.whole("seed", 0),
        "per_protocol": sensitivity.text("per_protocol", "") or None,
    }
    sensitivity.done()
    return values


def _outcome(table: _toml.Table) -> PlanOutcome:
    outcome = PlanOutcome(
        name=table.text("name"),
        label=table.text("label", ""),
        instrument=table.text("instrument"),
        scale=table.text("scale"),
        role=table.one_of("role", get_args(Role), "secondary"),
        change_from_baseline=table.flag("change_from_baseline", True),
    )
    table.done()
    return outcome


def _subgroup(table: _toml.Table) -> PlanSubgroup:
    below = table.number("below", None)
    subgroup = PlanSubgroup(
        name=table.text("name"),
        column=table.text("column"),
        below=below,
        labels=table.text_table("labels", {}),
    )
    table.done()
    return subgroup


def _check(plan: AnalysisPlan, root: _toml.Table) -> None:
    if plan.primary_visit not in plan.visits:
        root.fail("primary.visit", f"must be one of {', '.join(plan.visits)}", plan.primary_visit)
    if plan.baseline_visit in plan.visits:
        root.fail("data.baseline", "the baseline is not a follow-up visit", plan.baseline_visit)
    if not plan.primaries:
        root.fail("outcomes", 'at least one outcome needs role = "primary"')
    names = [o.name for o in plan.outcomes]
    if len(set(names)) < len(names):
        root.fail("outcomes", "outcome names must be unique")
    for number, outcome in enumerate(plan.outcomes, start=1):
        if outcome.instrument not in plan.instrument_tables:
            root.fail(
                f"outcomes[{number}].instrument",
                "has no table under [data.instruments]",
                outcome.instrument,
            )
    if not 0 < plan.alpha < 1:
        root.fail("model.alpha", "must lie between 0 and 1", plan.alpha)
    if plan.imputations < 2:
        root.fail("sensitivity.imputations", "needs at least 2", plan.imputations)

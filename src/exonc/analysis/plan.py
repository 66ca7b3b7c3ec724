"""Analysis plans as data: a TOML file names what to analyse and how.

A plan names the tables (participants, and one scored table per instrument), the visits,
the outcomes (instrument scale, change from baseline), the model (covariates, covariance
structure, degrees of freedom), the co-primary outcomes with their visit and multiplicity
method, the subgroups for effect modification and the sensitivity analyses. The format is
documented in ``docs/concepts/analysis-plans.md``; ``preferable-effect`` ships with exonc.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, NoReturn, get_args

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
    """Validate a plan's TOML *text*; errors name *source* and the key to fix."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AnalysisInputError(f"is not valid TOML ({error})", file=source) from error
    reader = _Reader(raw, source)
    data, model, primary = reader.table("data"), reader.table("model"), reader.table("primary")
    sensitivity = reader.table("sensitivity", required=False)
    visits = tuple(reader.strings(data, "data.visits"))
    plan = AnalysisPlan(
        name=reader.string(raw, "name"),
        title=reader.string(raw, "title", default=""),
        reference_text=reader.string(raw, "reference", default=""),
        subject=reader.string(data, "data.subject"),
        arm=reader.string(data, "data.arm"),
        reference=reader.string(data, "data.reference"),
        visit=reader.string(data, "data.visit"),
        baseline_visit=reader.string(data, "data.baseline"),
        visits=visits,
        participants_table=reader.string(data, "data.participants"),
        instrument_tables=reader.mapping(data, "data.instruments"),
        covariates=tuple(reader.strings(model, "model.covariates", default=[])),
        numeric_covariates=tuple(reader.strings(model, "model.numeric", default=[])),
        baseline_by_visit=reader.boolean(model, "model.baseline_by_visit", default=True),
        covariance=reader.choice(model, "model.covariance", COVARIANCE_TYPES, "us"),  # type: ignore[arg-type]
        df=reader.choice(model, "model.df", DF_METHODS, "kenward-roger"),  # type: ignore[arg-type]
        alpha=reader.number(model, "model.alpha", default=0.05),
        outcomes=tuple(
            _outcome(reader, i, item) for i, item in enumerate(reader.items("outcomes"))
        ),
        primary_visit=reader.string(primary, "primary.visit"),
        multiplicity=reader.choice(primary, "primary.multiplicity", MULTIPLICITY_METHODS, "holm"),  # type: ignore[arg-type]
        subgroups=tuple(
            _subgroup(reader, i, item)
            for i, item in enumerate(reader.items("subgroups", required=False))
        ),
        imputations=int(reader.number(sensitivity, "sensitivity.imputations", default=20)),
        seed=int(reader.number(sensitivity, "sensitivity.seed", default=0)),
        per_protocol=reader.string(sensitivity, "sensitivity.per_protocol", default="") or None,
    )
    _check(plan, reader)
    return plan


def _outcome(reader: _Reader, index: int, item: Mapping[str, Any]) -> PlanOutcome:
    key = f"outcomes[{index}]"
    return PlanOutcome(
        name=reader.string(item, f"{key}.name"),
        label=reader.string(item, f"{key}.label", default=""),
        instrument=reader.string(item, f"{key}.instrument"),
        scale=reader.string(item, f"{key}.scale"),
        role=reader.choice(item, f"{key}.role", get_args(Role), "secondary"),  # type: ignore[arg-type]
        change_from_baseline=reader.boolean(item, f"{key}.change_from_baseline", default=True),
    )


def _subgroup(reader: _Reader, index: int, item: Mapping[str, Any]) -> PlanSubgroup:
    key = f"subgroups[{index}]"
    below = item.get("below")
    return PlanSubgroup(
        name=reader.string(item, f"{key}.name"),
        column=reader.string(item, f"{key}.column"),
        below=None if below is None else reader.number(item, f"{key}.below"),
        labels=reader.mapping(item, f"{key}.labels", required=False),
    )


def _check(plan: AnalysisPlan, reader: _Reader) -> None:
    if plan.primary_visit not in plan.visits:
        reader.fail("primary.visit", plan.primary_visit, f"must be one of {', '.join(plan.visits)}")
    if plan.baseline_visit in plan.visits:
        reader.fail("data.baseline", plan.baseline_visit, "the baseline is not a follow-up visit")
    if not plan.primaries:
        reader.fail("outcomes", None, 'at least one outcome needs role = "primary"')
    names = [o.name for o in plan.outcomes]
    if len(set(names)) < len(names):
        reader.fail("outcomes", None, "outcome names must be unique")
    for outcome in plan.outcomes:
        if outcome.instrument not in plan.instrument_tables:
            reader.fail(
                f"outcome {outcome.name}.instrument",
                outcome.instrument,
                "has no table under [data.instruments]",
            )
    if not 0 < plan.alpha < 1:
        reader.fail("model.alpha", plan.alpha, "must lie between 0 and 1")
    if plan.imputations < 2:
        reader.fail("sensitivity.imputations", plan.imputations, "needs at least 2")


class _Reader:
    """Typed access to the TOML tables, failing with the file and key."""

    def __init__(self, raw: Mapping[str, Any], source: str) -> None:
        self.raw = raw
        self.source = source

    def fail(self, key: str, value: Any, problem: str) -> NoReturn:
        raise AnalysisInputError(problem, file=self.source, key=key, value=value)

    def table(self, key: str, *, required: bool = True) -> Mapping[str, Any]:
        value = self.raw.get(key, None if required else {})
        if not isinstance(value, dict):
            self.fail(key, None, f"needs a [{key}] table")
        return value

    def items(self, key: str, *, required: bool = True) -> list[Mapping[str, Any]]:
        value = self.raw.get(key, None if required else [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, None, f"needs [[{key}]] entries")
        return value

    def _value(self, table: Mapping[str, Any], key: str, default: Any) -> Any:
        name = key.rsplit(".", 1)[-1]
        if name not in table and default is _REQUIRED:
            self.fail(key, None, "is missing")
        return table.get(name, default)

    def string(self, table: Mapping[str, Any], key: str, default: Any = None) -> str:
        value = self._value(table, key, _REQUIRED if default is None else default)
        if not isinstance(value, str):
            self.fail(key, value, "must be text")
        return str(value)

    def strings(self, table: Mapping[str, Any], key: str, default: Any = None) -> list[str]:
        value = self._value(table, key, _REQUIRED if default is None else default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, value, "must be a list of text")
        return list(value)

    def number(self, table: Mapping[str, Any], key: str, default: Any = None) -> float:
        value = self._value(table, key, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, value, "must be a number")
        return float(value)

    def boolean(self, table: Mapping[str, Any], key: str, default: bool) -> bool:
        value = self._value(table, key, default)
        if not isinstance(value, bool):
            self.fail(key, value, "must be true or false")
        return bool(value)

    def choice(
        self, table: Mapping[str, Any], key: str, options: tuple[str, ...], default: str
    ) -> str:
        value = self._value(table, key, default)
        if value not in options:
            self.fail(key, value, f"must be one of {', '.join(options)}")
        return str(value)

    def mapping(
        self, table: Mapping[str, Any], key: str, *, required: bool = True
    ) -> dict[str, str]:
        value = self._value(table, key, _REQUIRED if required else {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.fail(key, value, "must be a table of text values")
        return {str(k): str(v) for k, v in value.items()}


_REQUIRED = object()

"""Running an analysis plan on a trial's tidy tables.

Inputs (see ``docs/concepts/analysis-plans.md``):

- ``participants``: one row per participant with the subject, arm, covariate, subgroup and
  per-protocol columns the plan names;
- ``scores``: per instrument, a long table of *scored* outcomes — the subject and visit
  columns and one column per scale (what ``exonc.questionnaires.score`` adds).

For each outcome the analysis table holds, per follow-up visit, ``change`` (the scale
minus its baseline value) and ``baseline``; the MMRM is
``change ~ arm * visit + baseline + covariates + baseline:visit``. Effect sizes divide the
contrasts by the pooled baseline SD; the co-primary contrasts at the primary visit are
adjusted for multiplicity; the sensitivity analyses rerun the co-primary models after
multiple imputation by arm and in the per-protocol population.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from exonc.analysis.effect_size import pooled_sd
from exonc.analysis.imputation import impute_by_arm, pool_rubin
from exonc.analysis.inference import ESTIMATE_FIELDS, Estimate
from exonc.analysis.mmrm import MMRMResult, fit_mmrm
from exonc.analysis.multiplicity import adjust_p_values
from exonc.analysis.plan import AnalysisPlan, PlanOutcome, PlanSubgroup
from exonc.analysis.subgroups import EffectModificationResult, effect_modification
from exonc.errors import AnalysisInputError
from exonc.questionnaires import INSTRUMENTS, PROVISIONAL_ITEM_MAP
from exonc.results import Result, jsonable

__all__ = ["PlanResult", "analysis_table", "run_plan"]

BASELINE, CHANGE = "baseline", "change"


@dataclass(frozen=True, eq=False)
class PlanResult(Result):
    """Every table of a plan's analysis, with the fits behind them."""

    plan: AnalysisPlan
    effects: pd.DataFrame  # outcome × visit: contrasts, effect sizes, adjusted p
    subgroups: pd.DataFrame  # primary outcome × modifier × level × visit, p_interaction
    interactions: pd.DataFrame  # primary outcome × modifier × visit (and all visits)
    sensitivity: pd.DataFrame  # primary outcome × analysis × visit
    fits: Mapping[str, MMRMResult] = field(repr=False)
    converged: bool = True  # every model of the plan converged (main, subgroups, sensitivity)
    warnings: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        """All outcomes at the primary visit: effect, CI, p (adjusted for co-primaries), ES."""
        at_primary = self.effects[self.effects["visit"] == self.plan.primary_visit]
        columns = ["label", "role", "estimate", "ci_lower", "ci_upper", "p", "p_adjusted"]
        return at_primary[[*columns, "effect_size"]].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.name,
            "primary_visit": self.plan.primary_visit,
            "multiplicity": self.plan.multiplicity,
            "effects": jsonable(self.effects),
            "subgroups": jsonable(self.subgroups),
            "interactions": jsonable(self.interactions),
            "sensitivity": jsonable(self.sensitivity),
            "converged": self.converged,
            "warnings": list(self.warnings),
        }


def run_plan(
    plan: AnalysisPlan,
    participants: pd.DataFrame,
    scores: Mapping[str, pd.DataFrame],
    *,
    rng: np.random.Generator,
) -> PlanResult:
    """Run every analysis of *plan*; *rng* drives the multiple imputation."""
    people = _participants(plan, participants)
    fits: dict[str, MMRMResult] = {}
    tables: list[pd.DataFrame] = []
    for outcome in plan.outcomes:
        long = analysis_table(plan, people, scores, outcome)
        fits[outcome.name] = _fit(plan, long)
        tables.append(_effects(plan, outcome, long, fits[outcome.name]))
    effects = _adjust(plan, pd.concat(tables, ignore_index=True))
    subgroups, interactions, by_subgroup = _effect_modification(plan, people, scores)
    sensitivity, by_sensitivity = _sensitivity(plan, people, scores, effects, rng)
    main = _Checks(_provisional(plan))
    main.warnings += [f"{name}: {w}" for name, fit in fits.items() for w in fit.warnings]
    main.converged = all(fit.converged for fit in fits.values())
    checks = main.merge(by_subgroup).merge(by_sensitivity)
    warnings = tuple(checks.warnings)
    return PlanResult(
        plan=plan,
        effects=effects,
        subgroups=subgroups,
        interactions=interactions,
        sensitivity=sensitivity,
        fits=fits,
        converged=checks.converged,
        warnings=warnings,
    )


@dataclass
class _Checks:
    """Warnings collected while running a plan, and whether every model converged."""

    warnings: list[str] = field(default_factory=list)
    converged: bool = True

    def add(self, prefix: str, fit: MMRMResult | EffectModificationResult) -> None:
        self.warnings += [f"{prefix}: {w}" for w in fit.warnings]
        self.converged = self.converged and fit.converged

    def merge(self, other: _Checks) -> _Checks:
        return _Checks(self.warnings + other.warnings, self.converged and other.converged)


def _label(outcome: PlanOutcome) -> str:
    """The outcome's label, marked ``(provisional item map)`` where its scale's item map is
    not verified (the instrument definition says so; see ``docs/instruments/qlq-fa12.md``)."""
    label = outcome.label or outcome.name
    if _is_provisional(outcome):
        return f"{label} ({PROVISIONAL_ITEM_MAP})"
    return label


def _is_provisional(outcome: PlanOutcome) -> bool:
    instrument = INSTRUMENTS.get(outcome.instrument)
    return instrument is not None and outcome.scale in instrument.provisional_scores


def _provisional(plan: AnalysisPlan) -> list[str]:
    """One warning per outcome whose scale has a provisional item map."""
    return [
        f"{outcome.name}: {INSTRUMENTS[outcome.instrument].provisional_warning}"
        for outcome in plan.outcomes
        if _is_provisional(outcome)
    ]


# ---------------------------------------------------------------- data


def _participants(plan: AnalysisPlan, participants: pd.DataFrame) -> pd.DataFrame:
    """Participant table with text keys, factor covariates as text, numeric ones as numbers."""
    needed = [plan.subject, plan.arm, *plan.covariates, *(s.column for s in plan.subgroups)]
    needed += [plan.per_protocol] if plan.per_protocol else []
    missing = [c for c in dict.fromkeys(needed) if c not in participants.columns]
    if missing:
        raise AnalysisInputError(
            f"missing column {missing[0]}",
            column=missing[0],
            hint=f"the plan needs the participant columns {', '.join(dict.fromkeys(needed))}",
        )
    people = participants[list(dict.fromkeys(needed))].copy()
    people[plan.subject] = people[plan.subject].astype(str)
    if people[plan.subject].duplicated().any():
        who = people.loc[people[plan.subject].duplicated(), plan.subject].iloc[0]
        raise AnalysisInputError(
            "the participant appears twice",
            column=plan.subject,
            value=who,
            hint="keep one row per participant",
        )
    for column in plan.covariates:
        numeric = column in plan.numeric_covariates
        people[column] = _as_number(people[column]) if numeric else _as_text(people[column])
    return people


def _as_text(column: pd.Series) -> pd.Series:
    return column.map(
        lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v),
        na_action="ignore",
    )


def _as_number(column: pd.Series) -> pd.Series:
    converted = pd.to_numeric(column, errors="coerce")
    bad = converted.isna() & column.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnalysisInputError(
            "is not a number", row=row + 1, column=str(column.name), value=column.iloc[row]
        )
    return converted.astype(float)


def analysis_table(
    plan: AnalysisPlan,
    people: pd.DataFrame,
    scores: Mapping[str, pd.DataFrame],
    outcome: PlanOutcome,
) -> pd.DataFrame:
    """One row per participant and follow-up visit: baseline, value, change and covariates."""
    values = _scale_values(plan, scores, outcome)
    baseline = values[values[plan.visit] == plan.baseline_visit].set_index(plan.subject)["value"]
    follow = values[values[plan.visit].isin(plan.visits)].copy()
    unknown = ~follow[plan.subject].isin(people[plan.subject])
    if unknown.any():
        raise AnalysisInputError(
            "is not in the participants table",
            column=plan.subject,
            value=follow.loc[unknown, plan.subject].iloc[0],
            hint="every scored questionnaire must belong to a participant",
        )
    follow[BASELINE] = follow[plan.subject].map(baseline)
    follow[CHANGE] = (
        follow["value"] - follow[BASELINE] if outcome.change_from_baseline else follow["value"]
    )
    return follow.merge(people, on=plan.subject, how="left")


def _scale_values(
    plan: AnalysisPlan, scores: Mapping[str, pd.DataFrame], outcome: PlanOutcome
) -> pd.DataFrame:
    """Subject, visit and the outcome's scale (as ``value``) from the instrument's scores."""
    if outcome.instrument not in scores:
        raise AnalysisInputError(
            f"no scores for instrument {outcome.instrument!r}",
            hint=f"the plan reads it from {plan.instrument_tables[outcome.instrument]}",
        )
    table = scores[outcome.instrument]
    for column in (plan.subject, plan.visit, outcome.scale):
        if column not in table.columns:
            raise AnalysisInputError(
                f"missing column {column} in the {outcome.instrument} scores",
                column=column,
                hint="score the questionnaire first (exonc.questionnaires.score)",
            )
    values = table[[plan.subject, plan.visit]].astype(str)
    values["value"] = _as_number(table[outcome.scale])
    duplicated = values.duplicated([plan.subject, plan.visit]).to_numpy()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise AnalysisInputError(
            "two rows for one participant and visit",
            row=row + 1,
            column=plan.visit,
            value=values.iloc[row][plan.visit],
            hint="keep one questionnaire per visit",
        )
    return values


def _fit(
    plan: AnalysisPlan, long: pd.DataFrame, covariates: Sequence[str] | None = None
) -> MMRMResult:
    return fit_mmrm(
        long,
        outcome=CHANGE,
        subject=plan.subject,
        visit=plan.visit,
        arm=plan.arm,
        reference=plan.reference,
        covariates=[BASELINE, *(plan.covariates if covariates is None else covariates)],
        covariates_by_visit=[BASELINE] if plan.baseline_by_visit else [],
        covariance=plan.covariance,
        df=plan.df,
        visit_order=list(plan.visits),
        alpha=plan.alpha,
    )


# ---------------------------------------------------------------- effects


def _effects(
    plan: AnalysisPlan, outcome: PlanOutcome, long: pd.DataFrame, fit: MMRMResult
) -> pd.DataFrame:
    contrasts = fit.contrasts.rename(columns={plan.visit: "visit", plan.arm: "arm"})
    contributing = long[long[CHANGE].notna() & long[BASELINE].notna()]
    first = contributing.drop_duplicates(plan.subject)
    sd = pooled_sd({str(k): g[BASELINE].to_numpy() for k, g in first.groupby(plan.arm)})
    table = contrasts.assign(
        outcome=outcome.name,
        label=_label(outcome),
        role=outcome.role,
        n_subjects=fit.n_subjects,
        effect_size=contrasts["estimate"] / sd,
        es_ci_lower=contrasts["ci_lower"] / sd,
        es_ci_upper=contrasts["ci_upper"] / sd,
        baseline_sd=sd,
    )
    ordered = ["outcome", "label", "role", "arm", "reference", "visit", "n_subjects"]
    return table[
        [*ordered, *ESTIMATE_FIELDS, "effect_size", "es_ci_lower", "es_ci_upper", "baseline_sd"]
    ]


def _adjust(plan: AnalysisPlan, effects: pd.DataFrame) -> pd.DataFrame:
    family = (effects["role"] == "primary") & (effects["visit"] == plan.primary_visit)
    adjusted = effects.assign(p_adjusted=np.nan)
    adjusted.loc[family, "p_adjusted"] = adjust_p_values(
        effects.loc[family, "p"].tolist(), plan.multiplicity
    )
    return adjusted


# ---------------------------------------------------------------- subgroups


def _modifier(people: pd.DataFrame, subgroup: PlanSubgroup) -> pd.Series:
    column = people[subgroup.column]
    if subgroup.below is None:
        labels = _as_text(column)
        return labels.map(lambda v: subgroup.labels.get(v, v), na_action="ignore")
    numbers = _as_number(column)
    below = f"< {subgroup.below:g}"
    return numbers.map(
        lambda v: below if v < subgroup.below else f">= {subgroup.below:g}", na_action="ignore"
    )


def _effect_modification(
    plan: AnalysisPlan, people: pd.DataFrame, scores: Mapping[str, pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame, _Checks]:
    rows, tests, checks = [], [], _Checks()
    for outcome in plan.primaries:
        for subgroup in plan.subgroups:
            labelled = people.assign(**{subgroup.name: _modifier(people, subgroup)})
            long = analysis_table(plan, labelled, scores, outcome)
            covariates = [c for c in plan.covariates if c != subgroup.column]
            result = effect_modification(
                long,
                modifier=subgroup.name,
                outcome=CHANGE,
                subject=plan.subject,
                visit=plan.visit,
                arm=plan.arm,
                reference=plan.reference,
                covariates=[BASELINE, *covariates],
                covariates_by_visit=[BASELINE] if plan.baseline_by_visit else [],
                covariance=plan.covariance,
                df=plan.df,
                visit_order=list(plan.visits),
                alpha=plan.alpha,
            )
            keys = {"outcome": outcome.name, "modifier": subgroup.name}
            forest = result.summary().rename(
                columns={subgroup.name: "level", plan.visit: "visit", plan.arm: "arm"}
            )
            rows.append(forest.assign(**keys))
            tests.append(result.interactions.rename(columns={plan.visit: "visit"}).assign(**keys))
            checks.add(f"{outcome.name} by {subgroup.name}", result)
    subgroups = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    interactions = pd.concat(tests, ignore_index=True) if tests else pd.DataFrame()
    return _lead(subgroups), _lead(interactions), checks


def _lead(frame: pd.DataFrame, first: Sequence[str] = ("outcome", "modifier")) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame[[*first, *(c for c in frame.columns if c not in first)]]


# ---------------------------------------------------------------- sensitivity


def _sensitivity(
    plan: AnalysisPlan,
    people: pd.DataFrame,
    scores: Mapping[str, pd.DataFrame],
    effects: pd.DataFrame,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, _Checks]:
    primary = effects[effects["role"] == "primary"].assign(analysis="primary")
    tables, checks = [primary], _Checks()
    for outcome in plan.primaries:
        pooled = _imputed(plan, people, scores, outcome, rng, checks)
        tables.append(
            pooled.assign(
                outcome=outcome.name, label=_label(outcome), analysis="multiple imputation"
            )
        )
        if plan.per_protocol:
            flag = _as_number(people[plan.per_protocol]).fillna(0) == 1
            included = people.loc[flag.to_numpy(), plan.subject]
            long = analysis_table(plan, people, scores, outcome)
            long = long[long[plan.subject].isin(included)]
            fit = _fit(plan, long)
            checks.add(f"{outcome.name} per protocol", fit)
            per_protocol = _effects(plan, outcome, long, fit).assign(analysis="per protocol")
            tables.append(per_protocol)
    columns = ["outcome", "label", "analysis", "visit", *ESTIMATE_FIELDS]
    return pd.concat([t[columns] for t in tables], ignore_index=True), checks


def _imputed(
    plan: AnalysisPlan,
    people: pd.DataFrame,
    scores: Mapping[str, pd.DataFrame],
    outcome: PlanOutcome,
    rng: np.random.Generator,
    checks: _Checks,
) -> pd.DataFrame:
    """Impute baseline and visit values by arm, refit, and pool the contrasts."""
    wide, columns = _wide(plan, people, scores, outcome)
    completed = impute_by_arm(
        wide, arm=plan.arm, columns=columns, n_imputations=plan.imputations, rng=rng
    )
    estimates: dict[str, list[Estimate]] = {v: [] for v in plan.visits}
    for data in completed:
        long = data.melt(
            id_vars=[plan.subject, plan.arm, *plan.covariates, BASELINE],
            value_vars=list(plan.visits),
            var_name=plan.visit,
            value_name="value",
        )
        long[CHANGE] = (
            long["value"] - long[BASELINE] if outcome.change_from_baseline else long["value"]
        )
        fit = _fit(plan, long)
        checks.add(f"{outcome.name} imputation {len(estimates[plan.visits[0]]) + 1}", fit)
        for row in fit.contrasts.itertuples(index=False):
            visit = str(getattr(row, plan.visit))
            estimates[visit].append(Estimate(*(float(getattr(row, f)) for f in ESTIMATE_FIELDS)))
    pooled = [{"visit": v, **vars(pool_rubin(e, plan.alpha))} for v, e in estimates.items()]
    return pd.DataFrame(pooled)


def _wide(
    plan: AnalysisPlan,
    people: pd.DataFrame,
    scores: Mapping[str, pd.DataFrame],
    outcome: PlanOutcome,
) -> tuple[pd.DataFrame, list[str]]:
    """Participants with baseline and visit values, and the numeric imputation columns."""
    values = _scale_values(plan, scores, outcome)
    grid = values.pivot_table(
        index=plan.subject, columns=plan.visit, values="value", aggfunc="first"
    )
    grid = grid.reindex(columns=[plan.baseline_visit, *plan.visits]).rename(
        columns={plan.baseline_visit: BASELINE}
    )
    wide = people[[plan.subject, plan.arm, *plan.covariates]].merge(
        grid, left_on=plan.subject, right_index=True, how="left"
    )
    factors = [c for c in plan.covariates if c not in plan.numeric_covariates]
    dummies = pd.get_dummies(wide[factors].astype(str), drop_first=True, dtype=float)
    predictors = [c for c in plan.numeric_covariates if c in plan.covariates]
    wide = pd.concat([wide, dummies.add_prefix("_x_")], axis=1)
    columns = [BASELINE, *plan.visits, *predictors, *("_x_" + dummies.columns)]
    return wide, columns

"""The trial-based cost-utility analysis of the platform's data, for statisticians.

The analysis table (:mod:`~exonc.platform.economics.dataset`) goes through
:func:`exonc.economics.patient_data_from_frame` and :func:`exonc.economics.analyse_cea`
once per scenario:

* the **base case**: sessions costed as logged, societal perspective (as in
  PREFERABLE-EFFECT's analysis);
* sessions as logged from the health-care perspective, and the supervision scenarios of
  :func:`exonc.economics.supervision_scenarios` — every session recosted as one-to-one
  (1:1) or in groups of four (1:4) — from both perspectives.

Each scenario is analysed on its own cost columns with a fresh generator from the same
seed (common random numbers, as :func:`exonc.economics.run_scenarios`), so every scenario
equals ``exonc economics cea`` run on the export with that scenario's ``--cost`` columns
and the same ``--seed``, ``--bootstrap`` and ``--missing`` — imputation included.
Willingness to pay: the Dutch reference values (€20,000, €50,000, €80,000 per QALY).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from exonc._csv import frame_text
from exonc.economics import (
    CeaResult,
    PatientData,
    Perspective,
    PmmImputer,
    ProductivityMethod,
    Scenario,
    analyse_cea,
    ce_plane_data,
    ceac_data,
    ceaf_data,
    evpi_data,
    missing_mask,
    patient_data_from_frame,
    perspective_costs,
    supervision_scenarios,
    threshold_values,
    wtp_grid,
    wtp_key,
)
from exonc.errors import EconomicsInputError, TrialStateError
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.costing import Costing, load_costing
from exonc.platform.economics.dataset import (
    CATEGORIES,
    DEATH,
    PROGRAMME,
    REFERENCE_ARM,
    AnalysisTable,
    analysis_table,
    utility_columns,
)
from exonc.platform.exercise.models import EXERCISE_ARM

ANALYSING = (Role.STATISTICIAN,)
DEFAULT_BOOTSTRAP = 5_000
MAX_BOOTSTRAP = 20_000
DEFAULT_SEED = 0
BASE_CASE = "as logged, societal"
Missing = Literal["complete-case", "impute"]
#: Cost columns counted by each group of the per-arm table.
HEALTH_CARE = ("cost_primary_care", "cost_hospital", "cost_medication", "cost_home_care")
OTHER_SOCIETAL = ("cost_informal_care", "cost_patient_travel")


@dataclass(frozen=True)
class Options:
    """What the statistician may choose (``?bootstrap=&seed=&missing=&productivity=``)."""

    bootstrap: int = DEFAULT_BOOTSTRAP
    seed: int = DEFAULT_SEED
    missing: Missing = "complete-case"
    productivity: ProductivityMethod = ProductivityMethod.FRICTION_COST


def options_from(query: Mapping[str, str], costing: Costing | None = None) -> Options:
    """Parse the page's query (or the API's parameters); refuse what cannot be used."""
    method = (costing or load_costing()).productivity_method
    bootstrap = _whole(query.get("bootstrap"), "bootstrap", DEFAULT_BOOTSTRAP)
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise EconomicsInputError(
            f"must be 0 to {MAX_BOOTSTRAP}", column="bootstrap", value=bootstrap
        )
    seed = _whole(query.get("seed"), "seed", DEFAULT_SEED)
    if seed < 0:
        raise EconomicsInputError("must be 0 or more", column="seed", value=seed)
    missing = query.get("missing") or "complete-case"
    if missing not in ("complete-case", "impute"):
        raise EconomicsInputError("choose complete-case or impute", column="missing", value=missing)
    productivity = query.get("productivity") or method.value
    if productivity not in {m.value for m in ProductivityMethod}:
        raise EconomicsInputError(
            "choose friction-cost or human-capital", column="productivity", value=productivity
        )
    chosen: Missing = "impute" if missing == "impute" else "complete-case"
    return Options(bootstrap, seed, chosen, ProductivityMethod(productivity))


def _whole(raw: str | None, column: str, default: int) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise EconomicsInputError("is not a whole number", column=column, value=raw) from None


@dataclass(frozen=True)
class ArmCosts:
    """Mean costs (per category group) and QALYs of one arm's analysed participants."""

    arm: str
    n: int
    programme: float
    programme_1to1: float
    programme_1to4: float
    health_care: float
    other_societal: float
    productivity: float
    total_societal: float
    qaly: float


@dataclass(frozen=True)
class ScenarioLine:
    name: str
    costs: list[str]
    delta_cost: float
    delta_qaly: float
    icer: float
    dominance: str
    inmb: dict[str, float]
    ceac: dict[str, float]


@dataclass(frozen=True)
class HealthEconomics:
    """Everything the health-economics page shows (and its JSON twin holds)."""

    purpose: str
    currency: str
    price_year: int
    price_status: str
    horizon_months: float
    options: Options
    reference: str
    intervention: str
    randomised: dict[str, int]
    in_follow_up: dict[str, int]
    work_not_asked: int
    wtp: list[float]
    arms: list[ArmCosts]
    base_case: dict[str, Any]
    scenarios: list[ScenarioLine]
    curves: list[dict[str, Any]]
    plane: list[dict[str, float]]
    command: str
    warnings: list[str]


def scenarios() -> tuple[Scenario, ...]:
    """The base case first, then the other perspective and the supervision scenarios."""
    categories = dict(CATEGORIES)
    logged = [
        Scenario(
            f"as logged, {p.value}", (PROGRAMME["as logged"], *perspective_costs(categories, p))
        )
        for p in (Perspective.SOCIETAL, Perspective.HEALTHCARE)
    ]
    models = {label: PROGRAMME[label] for label in ("1:1", "1:4")}
    return (*logged, *supervision_scenarios(categories, models))


def health_economics(user: User, *, today: dt.date, options: Options) -> HealthEconomics:
    """The cost-utility analysis of every centre's data (statisticians, administrators)."""
    access.require_role(user, *ANALYSING)
    costing = load_costing()
    table = analysis_table(costing, today=today, method=options.productivity)
    return analyse(table, costing, options)


def analyse(table: AnalysisTable, costing: Costing, options: Options) -> HealthEconomics:
    """Run every scenario on *table* and collect what the page shows."""
    frame = table.frame
    _require_enough(frame, options)
    wtp = list(threshold_values("Netherlands"))
    chosen = scenarios()
    results = tuple(_analyse(frame, s, wtp, options) for s in chosen)
    base = results[0]
    intervention = base.intervention
    return HealthEconomics(
        purpose=table.purpose,
        currency=costing.currency,
        price_year=costing.price_year,
        price_status=costing.status,
        horizon_months=costing.months,
        options=options,
        reference=REFERENCE_ARM,
        intervention=intervention,
        randomised=table.randomised,
        in_follow_up=table.in_follow_up,
        work_not_asked=table.work_not_asked,
        wtp=wtp,
        arms=[
            _arm_costs(_analysed(frame, options), base, a) for a in (intervention, REFERENCE_ARM)
        ],
        base_case=base.to_dict(),
        scenarios=[_line(s, r) for s, r in zip(chosen, results, strict=True)],
        curves=_curves(base, wtp),
        plane=_plane(base),
        command=command(chosen[0], wtp, options),
        warnings=_warnings(table, base),
    )


def patient_data(frame: pd.DataFrame, costs: tuple[str, ...]) -> PatientData:
    """The analysis table as :class:`exonc.economics.PatientData` with *costs*."""
    return patient_data_from_frame(
        frame,
        arm="arm",
        utilities=utility_columns(),
        costs=list(costs),
        death=DEATH,
        id_column="participant",
        allow_missing_costs=True,
    )


def _analyse(
    frame: pd.DataFrame, scenario: Scenario, wtp: list[float], options: Options
) -> CeaResult:
    return analyse_cea(
        patient_data(frame, scenario.costs),
        reference=REFERENCE_ARM,
        wtp=wtp,
        bootstrap=options.bootstrap,
        rng=np.random.default_rng(options.seed),
        missing=options.missing,
        imputer=PmmImputer(),
    )


def _arm_costs(rows: pd.DataFrame, base: CeaResult, arm: str) -> ArmCosts:
    rows = rows[rows["arm"] == arm]

    def mean(*columns: str) -> float:
        return float(rows[list(columns)].sum(axis=1, min_count=len(columns)).mean())

    return ArmCosts(
        arm=arm,
        n=base.n[arm],
        programme=mean(PROGRAMME["as logged"]),
        programme_1to1=mean(PROGRAMME["1:1"]),
        programme_1to4=mean(PROGRAMME["1:4"]),
        health_care=mean(*HEALTH_CARE),
        other_societal=mean(*OTHER_SOCIETAL),
        productivity=mean("cost_productivity"),
        total_societal=base.mean_cost[arm],
        qaly=base.mean_qaly[arm],
    )


def _require_enough(frame: pd.DataFrame, options: Options) -> None:
    """Refuse, saying why, while an arm has fewer than two participants to analyse."""
    analysed = _analysed(frame, options)["arm"].value_counts()
    found = {arm: int(analysed.get(arm, 0)) for arm in (REFERENCE_ARM, *_others(frame))}
    if min(found.values()) < 2:
        shown = ", ".join(f"{arm} {n}" for arm, n in found.items())
        raise TrialStateError(
            f"not enough participants to analyse yet ({shown} with follow-up over and "
            "complete data); each arm needs at least two"
        )


def _others(frame: pd.DataFrame) -> list[str]:
    arms = [a for a in dict.fromkeys(frame["arm"]) if a != REFERENCE_ARM]
    return arms or [EXERCISE_ARM]


def _analysed(frame: pd.DataFrame, options: Options) -> pd.DataFrame:
    """The rows the per-arm means are taken over: the complete cases of the base case
    (complete-case analysis), or every row, each mean over its observed values (imputation:
    the pooled totals and QALYs come from the imputed data sets)."""
    if options.missing != "complete-case":
        return frame
    mask = missing_mask(patient_data(frame, scenarios()[0].costs))
    keep = np.flatnonzero(~mask.any(axis=1))
    return frame.iloc[keep]


def _line(scenario: Scenario, cea: CeaResult) -> ScenarioLine:
    keys = [wtp_key(k) for k in cea.wtp]
    ceac = cea.ceac()
    return ScenarioLine(
        name=scenario.name,
        costs=list(scenario.costs),
        delta_cost=cea.delta_cost,
        delta_qaly=cea.delta_qaly_adjusted,
        icer=cea.icer,
        dominance=cea.dominance.value,
        inmb=dict(zip(keys, cea.inmb, strict=True)),
        ceac=dict(zip(keys, ceac, strict=False)),
    )


def _curves(base: CeaResult, wtp: list[float]) -> list[dict[str, Any]]:
    """CEAC, CEAF (with the optimal arm) and EVPI over 100 points up to 1.5 × the top WTP."""
    if base.bootstrap is None:
        return []
    boot, names = base.bootstrap, (base.intervention, base.reference)
    grid = wtp_grid(1.5 * max(wtp))
    ceac = ceac_data(boot, grid, intervention=base.intervention)
    ceaf = ceaf_data(boot, grid, names=names)
    evpi = evpi_data(boot, grid)
    return [
        {"wtp": float(k), "ceac": float(c), "ceaf": float(f), "optimal": str(o), "evpi": float(e)}
        for k, c, f, o, e in zip(
            grid,
            ceac["probability"],
            ceaf["probability"],
            ceaf["strategy"],
            evpi["evpi"],
            strict=True,
        )
    ]


def _plane(base: CeaResult) -> list[dict[str, float]]:
    if base.bootstrap is None:
        return []
    points = ce_plane_data(base.bootstrap)
    return [
        {"replicate": int(r), "delta_qaly": float(e), "delta_cost": float(c)}
        for r, e, c in points.itertuples(index=False)
    ]


def command(
    scenario: Scenario, wtp: list[float], options: Options, file: str = "economics.csv"
) -> str:
    """The ``exonc economics cea`` command that reruns *scenario* on the export."""
    parts = [f"exonc economics cea {file} --arm arm --reference {REFERENCE_ARM}"]
    parts += [f"--utility {u.column}@{u.month:g}" for u in utility_columns()]
    parts += [f"--cost {c}" for c in scenario.costs]
    parts += [f"--death {DEATH} --missing {options.missing}"]
    parts += [f"--wtp {','.join(wtp_key(k) for k in wtp)}"]
    if options.bootstrap:
        parts += [f"--bootstrap {options.bootstrap}"]
    parts += [f"--seed {options.seed} --format json"]
    return " ".join(parts)


def _warnings(table: AnalysisTable, base: CeaResult) -> list[str]:
    notes = list(base.warnings)
    waiting = sum(table.in_follow_up.values())
    if waiting:
        notes.append(f"{waiting} randomised participants are still in follow-up and not analysed")
    if table.work_not_asked:
        notes.append(
            f"{table.work_not_asked} participants have reports without the questions on paid "
            "work (imported data): their productivity costs are counted as 0"
        )
    return notes


def export_table(
    user: User, *, today: dt.date, productivity: ProductivityMethod | None = None
) -> pd.DataFrame:
    """The pseudonymised per-participant table (``exonc economics cea``'s input)."""
    access.require_role(user, *ANALYSING)
    return analysis_table(load_costing(), today=today, method=productivity).frame


def csv_text(frame: pd.DataFrame) -> str:
    """The table as CSV; floats are written to round-trip exactly, missing values empty."""
    return frame_text(frame)

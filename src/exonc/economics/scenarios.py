"""Scenario analyses: the same trial under other supervision models and perspectives.

A :class:`Scenario` names the cost components summed into total cost. The standard grid
crosses the supervision model (which programme-cost column: 1:1 or 1:4) with the
perspective (which cost categories count):

* **health care**: programme, primary care, hospital, medication, home care;
* **societal**: all of these plus informal care, patients' travel and productivity.

Every scenario is analysed with a fresh generator from the same seed, so the bootstrap
draws the same patients in each scenario (common random numbers) and differences
between scenarios are not Monte Carlo noise.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exonc.economics.cea import CeaResult, MissingPolicy, analyse_cea, wtp_key
from exonc.economics.patients import PatientData
from exonc.economics.prices import CostCategory
from exonc.errors import EconomicsInputError
from exonc.results import Result

__all__ = [
    "PERSPECTIVES",
    "Perspective",
    "Scenario",
    "ScenarioResult",
    "perspective_costs",
    "run_scenarios",
    "supervision_scenarios",
]


class Perspective(enum.StrEnum):
    HEALTHCARE = "healthcare"
    SOCIETAL = "societal"


PERSPECTIVES: Mapping[Perspective, frozenset[CostCategory]] = {
    Perspective.HEALTHCARE: frozenset(
        {
            CostCategory.PROGRAMME,
            CostCategory.PRIMARY_CARE,
            CostCategory.HOSPITAL,
            CostCategory.MEDICATION,
            CostCategory.HOME_CARE,
        }
    ),
    Perspective.SOCIETAL: frozenset(CostCategory),
}


@dataclass(frozen=True)
class Scenario:
    """A named choice of cost components."""

    name: str
    costs: tuple[str, ...]


def perspective_costs(
    categories: Mapping[str, CostCategory], perspective: Perspective | str
) -> tuple[str, ...]:
    """The cost columns (mapped to their categories) that *perspective* counts."""
    counted = PERSPECTIVES[Perspective(perspective)]
    return tuple(column for column, category in categories.items() if category in counted)


def supervision_scenarios(
    categories: Mapping[str, CostCategory],
    programme: Mapping[str, str],
    perspectives: Sequence[Perspective] = (Perspective.HEALTHCARE, Perspective.SOCIETAL),
) -> tuple[Scenario, ...]:
    """Supervision models × perspectives.

    *categories* maps the non-programme cost columns to their category; *programme* maps
    each supervision model's label (e.g. ``"1:1"``, ``"1:4"``) to its programme-cost column.
    """
    if any(c is CostCategory.PROGRAMME for c in categories.values()):
        raise EconomicsInputError(
            "give programme-cost columns in *programme*, one per supervision model"
        )
    return tuple(
        Scenario(
            f"{label}, {perspective.value}",
            (column, *perspective_costs(categories, perspective)),
        )
        for label, column in programme.items()
        for perspective in perspectives
    )


@dataclass(frozen=True, eq=False)
class ScenarioResult(Result):
    """One cost-utility analysis per scenario."""

    scenarios: tuple[Scenario, ...]
    results: tuple[CeaResult, ...]

    @property
    def converged(self) -> bool:
        return all(r.converged for r in self.results)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Every scenario's warnings, each prefixed by the scenario's name."""
        pairs = zip(self.scenarios, self.results, strict=True)
        return tuple(f"{s.name}: {w}" for s, r in pairs for w in r.warnings)

    def summary(self) -> pd.DataFrame:
        rows = [self._row(s, r) for s, r in zip(self.scenarios, self.results, strict=True)]
        return pd.DataFrame(rows).set_index("scenario")

    @staticmethod
    def _row(scenario: Scenario, result: CeaResult) -> dict[str, object]:
        row: dict[str, object] = {
            "scenario": scenario.name,
            "delta_cost": result.delta_cost,
            "delta_qaly": result.delta_qaly_adjusted,
            "icer": result.icer,
            "dominance": result.dominance.value,
        }
        for k, value in zip(result.wtp, result.inmb, strict=True):
            row[f"inmb@{wtp_key(k)}"] = value
        for k, p in zip(result.wtp, result.ceac(), strict=False):
            row[f"ceac@{wtp_key(k)}"] = p
        return row


def run_scenarios(
    data: PatientData,
    scenarios: Sequence[Scenario],
    *,
    reference: str,
    wtp: Sequence[float] = (20_000.0, 50_000.0, 80_000.0),
    bootstrap: int = 0,
    seed: int | None = None,
    missing: MissingPolicy = "error",
) -> ScenarioResult:
    """Analyse *data* once per scenario, with common random numbers from *seed*."""
    if (bootstrap or missing == "impute") and seed is None:
        raise EconomicsInputError("the bootstrap and imputation need a seed")
    results = tuple(
        analyse_cea(
            data,
            reference=reference,
            wtp=wtp,
            costs=s.costs,
            bootstrap=bootstrap,
            rng=None if seed is None else np.random.default_rng(seed),
            missing=missing,
        )
        for s in scenarios
    )
    return ScenarioResult(tuple(scenarios), results)

"""The trial report: every number and figure, from a trial's tables and an analysis plan.

:func:`build_report` runs the parts in order — CONSORT flow, Table 1, the analysis plan
(``exonc.analysis.runner.run_plan``, exactly as ``exonc analyse plan``), the observed
changes, adherence and activity, the cost-utility analysis (as ``exonc economics cea``) and
the figures — and keeps how long each part took. :mod:`exonc.reports.render` turns the
result into HTML and PDF; :mod:`exonc.reports.files` writes the report folder.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from exonc import __version__
from exonc.analysis.runner import PlanResult, run_plan
from exonc.economics import ce_plane_data, ceac_data, evpi_data, wtp_grid
from exonc.errors import ConvergenceWarning
from exonc.reports import economics, figures
from exonc.reports.activity import GOAL_MINUTES, activity_by_window, adherence_by_week
from exonc.reports.consort import consort
from exonc.reports.data import PlanSource, TrialTables, scored
from exonc.reports.outcomes import observed_changes
from exonc.reports.table1 import CHARACTERISTICS, table1
from exonc.results import jsonable

__all__ = ["Report", "build_report"]

T = TypeVar("T")


@dataclass
class Report:
    """The report's numbers (``data``, what ``report.json`` holds), its figures, the
    per-participant economics table it analysed, and the seconds each part took."""

    data: dict[str, Any]
    figures: list[figures.Figure]
    economics_table: pd.DataFrame | None
    timings: dict[str, float] = field(default_factory=dict)
    plan_result: PlanResult | None = None


@dataclass
class _Clock:
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _quietly(run: Callable[[], T]) -> T:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return run()


def build_report(
    trial: TrialTables,
    source: PlanSource,
    *,
    cea_options: economics.CeaOptions = economics.CEA_OPTIONS,
) -> Report:
    """Compute every part of the report (see the module docstring)."""
    plan = source.plan
    clock = _Clock()
    participants = trial["participants"]
    arms = [a for a in dict.fromkeys(participants[plan.arm].astype(str)) if a != plan.reference]
    arms = [*sorted(arms), plan.reference]
    with clock.part("scoring"):
        scores = {
            instrument: scored(
                instrument,
                trial[name.removesuffix(".csv")],
                [o.scale for o in plan.outcomes if o.instrument == instrument],
            )
            for instrument, name in plan.instrument_tables.items()
        }
    with clock.part("analysis plan (MMRM, subgroups, MI sensitivity)"):
        result = _quietly(
            lambda: run_plan(plan, participants, scores, rng=np.random.default_rng(plan.seed))
        )
    with clock.part("descriptive tables"):
        observed = observed_changes(plan, participants, scores, arms)
        flow = consort(
            participants,
            trial["visits"],
            trial.get("withdrawals"),
            trial.get("screening"),
            observed.attrs["analysed"],
            arms=arms,
            follow_ups=plan.visits,
        ).to_dict()
        baseline = table1(participants, arms)
        adherence = adherence_by_week(trial.get("sessions"))
        activity = activity_by_window(
            trial.get("tracker_days"), trial["visits"], participants, arms
        )
    cea: dict[str, Any] | None = None
    table = None
    curves = None
    with clock.part("cost-effectiveness"):
        if trial.get("eq5d5l") is not None and trial.get("resource_use") is not None:
            table = economics.cea_table(trial.tables)
            cea_result = economics.run_cea(table, cea_options)
            cea = cea_result.to_dict(cea_options.wtp_labels())
            if cea_result.bootstrap is not None:
                grid = wtp_grid(1.5 * max(cea_options.wtp))
                curves = (
                    ce_plane_data(cea_result.bootstrap),
                    ceac_data(cea_result.bootstrap, grid, intervention=cea_result.intervention),
                    evpi_data(cea_result.bootstrap, grid),
                )
    outcome_table = _outcome_table(result, observed, arms)
    data: dict[str, Any] = {
        "title": plan.title,
        "plan": plan.name,
        "reference": plan.reference,
        "arms": arms,
        "primary_visit": plan.primary_visit,
        "multiplicity": plan.multiplicity,
        "consort": flow,
        "table1": baseline,
        "table1_labels": {c.column: c.label for c in CHARACTERISTICS},
        "outcomes": outcome_table,
        "observed": jsonable(observed),
        **result.to_dict(),
        "adherence": jsonable(adherence),
        "activity": jsonable(activity),
        "activity_goal_minutes": GOAL_MINUTES,
        "cost_effectiveness": cea,
        "cost_effectiveness_command": (
            economics.command(table, "economics.csv", cea_options) if table is not None else None
        ),
        "provenance": {
            "data_sha256": trial.sha256,
            "data_source": trial.source,
            "lock": dict(trial.metadata),
            "exonc_version": __version__,
            "plan": source.name,
            "plan_sha256": source.sha256,
            "seeds": {
                "multiple_imputation": plan.seed,
                "cost_effectiveness_bootstrap": cea_options.seed,
                **(
                    {"synthetic_trial": trial.metadata["synthetic_seed"]}
                    if "synthetic_seed" in trial.metadata
                    else {}
                ),
            },
        },
    }
    data["plan"] = plan.name
    with clock.part("figures"):
        drawn = _figures(data, result, observed, adherence, activity, curves, cea_options)
    return Report(jsonable(data), drawn, table, clock.timings, result)


def _outcome_table(
    result: PlanResult, observed: pd.DataFrame, arms: list[str]
) -> list[dict[str, Any]]:
    """Per outcome and visit: n, mean (SD) of the change per arm, and the plan's effect."""
    rows = []
    stats = observed.set_index(["outcome", "visit", "arm"])
    for effect in result.effects.to_dict("records"):
        row: dict[str, Any] = {
            k: effect[k]
            for k in (
                "outcome",
                "label",
                "role",
                "visit",
                "estimate",
                "ci_lower",
                "ci_upper",
                "p",
                "p_adjusted",
                "effect_size",
            )
        }
        row["arms"] = {
            arm: {
                k: stats.loc[(effect["outcome"], effect["visit"], arm), k]
                for k in ("n", "mean", "sd")
            }
            for arm in arms
        }
        rows.append(row)
    return list(jsonable(rows))


def _figures(
    data: dict[str, Any],
    result: PlanResult,
    observed: pd.DataFrame,
    adherence: pd.DataFrame,
    activity: pd.DataFrame,
    curves: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None,
    options: economics.CeaOptions,
) -> list[figures.Figure]:
    plan = result.plan
    arms = data["arms"]
    labels = {
        o.name: str(result.effects.loc[result.effects["outcome"] == o.name, "label"].iloc[0])
        for o in plan.outcomes
    }
    shown = [(o.name, labels[o.name]) for o in plan.primaries] or [
        (plan.outcomes[0].name, labels[plan.outcomes[0].name])
    ]
    drawn = [
        figures.consort_figure(data["consort"]),
        figures.change_figure(observed, shown, plan.visits, arms),
    ]
    if not result.subgroups.empty:
        drawn.append(
            figures.forest_figure(
                result.subgroups, {name: label for name, label in shown}, plan.primary_visit
            )
        )
    if not adherence.empty:
        drawn.append(figures.adherence_figure(adherence))
    if not activity.empty:
        drawn.append(figures.activity_figure(activity, arms, GOAL_MINUTES))
    if curves is not None and data["cost_effectiveness"] is not None:
        cea = data["cost_effectiveness"]
        plane, ceac, evpi = curves
        point = (cea["delta_qaly_adjusted"], cea["delta_cost"])
        drawn += [
            figures.ce_plane_figure(plane, options.wtp, point),
            figures.ceac_figure(ceac, options.wtp),
            figures.evpi_figure(evpi),
        ]
    return drawn

"""The per-participant table of the cost-utility analysis, built from the platform's records.

One row per randomised participant (allocations of the current purpose, in the order of
randomisation) whose follow-up is over: the last visit's window has closed, or she left
follow-up. Participants still in follow-up are counted, not analysed. The columns are the
contract ``exonc economics cea`` reads (:data:`COLUMNS`):

* ``participant`` (the pseudonymous study ID), ``centre``, ``country``, ``arm``;
* ``u_m0`` … ``u_m9``: EQ-5D-5L utilities (the ``utility`` score of the submitted
  ``eq-5d-5l`` response, scored with the value set of the centre's country) at each visit,
  named by the visit's month; empty when missing;
* ``death_month``: months from randomisation to death (empty if alive);
* ``cost_programme`` (sessions as logged), ``cost_programme_1to1`` and
  ``cost_programme_1to4`` (the same sessions recosted under each supervision model): the
  therapist, facility and equipment per session, plus the activity tracker both arms wore;
* ``cost_primary_care``, ``cost_hospital``, ``cost_medication``, ``cost_home_care``,
  ``cost_informal_care``, ``cost_patient_travel``: the resource-use questionnaires costed
  with the country's unit prices; ``cost_productivity``: absence from paid work.

A follow-up period without a questionnaire leaves every questionnaire-based cost empty
(missing), unless she had died before its visit (nothing to report: 0). All costs are in
the currency and price year of the platform's costing (``costing.toml``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exonc.economics import (
    AbsenceSpell,
    CostCategory,
    ProductivityMethod,
    ResourceUse,
    SessionFact,
    UtilityColumn,
    cost_resource_use,
    productivity_cost,
    programme_costs,
    tracker_cost,
)
from exonc.errors import NoAllocationSequence
from exonc.platform.allocation import sequences
from exonc.platform.allocation.models import Allocation, Purpose
from exonc.platform.economics.costing import DAYS_PER_MONTH, Costing
from exonc.platform.economics.delivery import delivered
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.economics.questionnaire import Period, periods
from exonc.platform.exercise.models import SessionLog
from exonc.platform.outcomes.models import QuestionnaireResponse, Status
from exonc.platform.outcomes.schedule import in_follow_up
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.protocols import active_protocol

REFERENCE_ARM = "control"
IDENTIFIERS = ("participant", "centre", "country", "arm")
DEATH = "death_month"
#: Programme-cost columns: sessions as logged, and recosted as one-to-one or groups of four.
PROGRAMME = {
    "as logged": "cost_programme",
    "1:1": "cost_programme_1to1",
    "1:4": "cost_programme_1to4",
}
_GROUP = {"cost_programme": None, "cost_programme_1to1": 1, "cost_programme_1to4": 4}
#: The questionnaire-based cost columns and the category each holds.
CATEGORIES: dict[str, CostCategory] = {
    "cost_primary_care": CostCategory.PRIMARY_CARE,
    "cost_hospital": CostCategory.HOSPITAL,
    "cost_medication": CostCategory.MEDICATION,
    "cost_home_care": CostCategory.HOME_CARE,
    "cost_informal_care": CostCategory.INFORMAL_CARE,
    "cost_patient_travel": CostCategory.PATIENT_TRAVEL,
    "cost_productivity": CostCategory.PRODUCTIVITY,
}
LEFT_FOLLOW_UP = ("death", "lost", "consent", "follow-up")


def utility_columns() -> list[UtilityColumn]:
    """``u_m<month>`` for every visit of the active protocol, in month order."""
    visits = sorted(active_protocol().visits, key=lambda v: v.offset_months)
    return [UtilityColumn(f"u_m{v.offset_months}", v.offset_months) for v in visits]


def columns() -> list[str]:
    """The analysis table's columns, in order (the export's header)."""
    utilities = [u.column for u in utility_columns()]
    return [*IDENTIFIERS, *utilities, DEATH, *PROGRAMME.values(), *CATEGORIES]


@dataclass(frozen=True)
class AnalysisTable:
    """The table, and who is not in it."""

    frame: pd.DataFrame
    purpose: str
    randomised: dict[str, int]
    in_follow_up: dict[str, int]
    work_not_asked: int  # participants with a report whose work questions were not asked


def current_purpose() -> str:
    """Live allocations once a live sequence is loaded, else the test allocations."""
    try:
        return sequences.current().purpose
    except NoAllocationSequence:
        return Purpose.LIVE


def analysis_table(
    costing: Costing, *, today: dt.date, method: ProductivityMethod | None = None
) -> AnalysisTable:
    """Build the table (see the module docstring) as of *today*."""
    purpose = current_purpose()
    allocations = list(
        Allocation.objects.filter(purpose=purpose)
        .select_related("participant__centre", "participant__withdrawal")
        .order_by("sequence")
    )
    visits = _visits(a.participant for a in allocations)
    randomised: dict[str, int] = defaultdict(int)
    waiting: dict[str, int] = defaultdict(int)
    chosen = []
    for allocation in allocations:
        randomised[allocation.arm] += 1
        if _follow_up_over(allocation.participant, visits[allocation.participant_id], today):
            chosen.append(allocation)
        else:
            waiting[allocation.arm] += 1
    builder = _Builder(costing, method or costing.productivity_method, chosen, visits)
    return AnalysisTable(
        builder.frame(), purpose, dict(randomised), dict(waiting), builder.work_not_asked
    )


def _visits(participants: Iterable[Participant]) -> dict[int, dict[str, Visit]]:
    found: dict[int, dict[str, Visit]] = defaultdict(dict)
    for visit in Visit.objects.filter(participant__in=[p.pk for p in participants]):
        found[visit.participant_id][visit.code] = visit
    return found


def _follow_up_over(participant: Participant, visits: dict[str, Visit], today: dt.date) -> bool:
    withdrawal = getattr(participant, "withdrawal", None)
    if withdrawal is not None and withdrawal.kind in LEFT_FOLLOW_UP:
        return bool(withdrawal.withdrawn_on <= today)
    if not visits:
        return False
    last = max(visits.values(), key=lambda v: v.due_date)
    return bool(last.window_end < today)


def _death_month(allocation: Allocation) -> float:
    withdrawal = getattr(allocation.participant, "withdrawal", None)
    if withdrawal is None or withdrawal.kind != "death":
        return np.nan
    return float((withdrawal.withdrawn_on - allocation.allocated_on).days / DAYS_PER_MONTH)


class _Builder:
    """Collects the rows of the chosen participants (a few queries for all of them)."""

    def __init__(
        self,
        costing: Costing,
        method: ProductivityMethod,
        allocations: Sequence[Allocation],
        visits: dict[int, dict[str, Visit]],
    ) -> None:
        self.costing, self.method = costing, method
        self.allocations, self.visits = allocations, visits
        self.ids = [a.participant_id for a in allocations]
        self.periods = periods()
        self.work_not_asked = 0

    def frame(self) -> pd.DataFrame:
        rows = pd.DataFrame(
            {
                "participant": [a.participant.study_id for a in self.allocations],
                "centre": [a.participant.centre.code for a in self.allocations],
                "country": [a.participant.centre.country for a in self.allocations],
                "arm": [a.arm for a in self.allocations],
            }
        )
        for column, values in self._utilities().items():
            rows[column] = values
        rows[DEATH] = [_death_month(a) for a in self.allocations]
        for column, values in self._programme().items():
            rows[column] = values
        for column, values in self._questionnaires().items():
            rows[column] = values
        return rows[columns()]

    def _utilities(self) -> dict[str, list[float]]:
        answers = QuestionnaireResponse.objects.filter(
            instrument="eq-5d-5l", status=Status.SUBMITTED, visit__participant__in=self.ids
        ).values_list("visit__participant_id", "visit__code", "scores")
        found = {(pid, code): (scores or {}).get("utility") for pid, code, scores in answers}
        months = {f"u_m{v.offset_months}": v.code for v in active_protocol().visits}
        return {
            u.column: [_float(found.get((pid, months[u.column]))) for pid in self.ids]
            for u in utility_columns()
        }

    def _programme(self) -> dict[str, list[float]]:
        """Programme cost per participant under each supervision model, per country's prices."""
        logs = SessionLog.objects.filter(participant__in=self.ids)
        facts: dict[str, list[SessionFact]] = defaultdict(list)
        for session in delivered(logs):
            facts[session.study_id].append(session.fact())
        per_country: dict[str, list[SessionFact]] = defaultdict(list)
        for allocation in self.allocations:
            per_country[allocation.participant.centre.country] += facts.get(
                allocation.participant.study_id, []
            )
        result = {}
        for column, group in _GROUP.items():
            sessions = {
                country: self._sessions_cost(country, found, group)
                for country, found in per_country.items()
            }
            result[column] = [
                sessions[a.participant.centre.country].get(a.participant.study_id, 0.0)
                + tracker_cost(
                    self.costing.months, self.costing.delivery_prices(a.participant.centre.country)
                )
                for a in self.allocations
            ]
        return result

    def _sessions_cost(
        self, country: str, facts: list[SessionFact], group: int | None
    ) -> dict[str, float]:
        """Therapist, facility and equipment cost per participant (without the tracker)."""
        if not facts:
            return {}
        prices = self.costing.delivery_prices(country)
        frame = programme_costs(facts, prices, months=self.costing.months, group_size=group)
        per_session = frame["therapist"] + frame["facility"] + frame["equipment"]
        return {str(k): float(v) for k, v in per_session.items()}

    def _questionnaires(self) -> dict[str, list[float]]:
        """Questionnaire-based costs; every column is empty for a participant with a period
        missing."""
        reports: dict[int, dict[str, ResourceUseReport]] = defaultdict(dict)
        found = ResourceUseReport.objects.filter(visit__participant__in=self.ids)
        for report in found.select_related("visit__participant"):
            reports[report.visit.participant_id][report.visit.code] = report
        known = {
            a.participant_id: used
            for a in self.allocations
            if (used := self._reports_used(a.participant, reports[a.participant_id])) is not None
        }
        health_care = self._health_care(known)
        values: dict[str, list[float]] = {column: [] for column in CATEGORIES}
        for allocation in self.allocations:
            used = known.get(allocation.participant_id)
            costs = health_care.get(allocation.participant.study_id, {})
            for column in CATEGORIES:
                value = np.nan if used is None else costs.get(column, 0.0)
                values[column].append(value)
            productivity = np.nan if used is None else self._productivity(used)
            values["cost_productivity"][-1] = productivity
        return values

    def _reports_used(
        self, participant: Participant, reports: dict[str, ResourceUseReport]
    ) -> list[ResourceUseReport] | None:
        """Her reports, or None when a period she could report on has none (missing)."""
        visits = self.visits[participant.pk]
        used: list[ResourceUseReport] = []
        for code in self.periods:
            if code in reports:
                used.append(reports[code])
            elif code not in visits or in_follow_up(participant, visits[code].window_start):
                return None
            elif participant.withdrawal.kind != "death":
                return None  # she left follow-up alive: her later costs are unknown
        return used

    def _health_care(
        self, known: dict[int, list[ResourceUseReport]]
    ) -> dict[str, dict[str, float]]:
        """Cost per participant (study ID) and cost column, costed per country at once."""
        records: dict[str, list[ResourceUse]] = defaultdict(list)
        for used in known.values():
            for report in used:
                month = float(self.periods[report.visit.code].end_month)
                study_id = report.visit.participant.study_id
                records[report.country] += [
                    ResourceUse(study_id, item, float(quantity), month)
                    for item, quantity in report.quantities.items()
                ]
        costs: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for country, found in records.items():
            table = cost_resource_use(found, self.costing.prices(country))
            for column, category in CATEGORIES.items():
                if category.value not in table.columns:
                    continue
                for study_id, value in zip(table.index, table[category.value], strict=True):
                    costs[str(study_id)][column] += float(value)
        return costs

    def _productivity(self, reports: list[ResourceUseReport]) -> float:
        """Her productivity cost, from the periods in which she had paid work."""
        if any(r.paid_work is None for r in reports):
            self.work_not_asked += 1
        working = [r for r in reports if r.paid_work]
        if not working:
            return 0.0
        spells = _spells(working, self.periods)
        return productivity_cost(
            spells,
            self.costing.productivity_prices(working[0].country),
            method=self.method,
            horizon_days=self.costing.horizon_days,
            presenteeism_hours=sum(r.presenteeism_hours for r in working),
        )


def _spells(reports: list[ResourceUseReport], found: dict[str, Period]) -> list[AbsenceSpell]:
    """One spell per period's absence, starting on the period's first day; an absence
    that went on from the previous period extends that period's spell (one spell, so the
    friction period is counted once from its first day)."""
    spells: list[AbsenceSpell] = []
    previous_end: int | None = None
    for report in sorted(reports, key=lambda r: found[r.visit.code].end_month):
        period = found[report.visit.code]
        hours = report.work_hours_per_week / 7 * report.absence_days
        if (
            report.absence_days
            and report.absence_continued
            and spells
            and previous_end == period.start_month
        ):
            last = spells.pop()
            days = last.days + report.absence_days
            spells.append(
                AbsenceSpell(last.start, days, (last.days * last.hours_per_day + hours) / days)
            )
        elif report.absence_days:
            start = period.start_month * DAYS_PER_MONTH
            spells.append(AbsenceSpell(start, report.absence_days, report.work_hours_per_week / 7))
        previous_end = period.end_month if report.absence_days else None
    return spells


def _float(value: object) -> float:
    return np.nan if value is None else float(value)  # type: ignore[arg-type]

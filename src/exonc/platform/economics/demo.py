"""Loading the synthetic trial's resource use and programme delivery into the demo database.

* ``resource_use`` (participant × completed follow-up visit × item, quantities in the
  previous 3 months; item codes of ``exonc.economics``) becomes one
  :class:`ResourceUseReport` per visit: the items the table lists with their quantities,
  every other item of the country's questionnaire 0. The synthetic trial has no data on
  paid work, so the work questions are recorded as *not asked* (productivity costs 0; the
  health-economics page says so). As for the questionnaires, the reports of visits whose
  window is open today are left out for participants with a patient login (the demo
  patient), so that she has one to answer.
* ``sessions``: every attended supervised session's ``duration_minutes`` and
  ``group_size`` become the :class:`DeliveryRecord` of the session log the exercise loader
  stored for it.

Rows are bulk-inserted with history rows by the demo loader ("synthetic demo data").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

import pandas as pd
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from exonc._data import each_row
from exonc.platform.accounts.models import User
from exonc.platform.economics.models import DeliveryRecord, ResourceUseReport, Source
from exonc.platform.economics.questionnaire import items_of
from exonc.platform.exercise.models import SessionLog
from exonc.platform.outcomes.schedule import window_open
from exonc.platform.trial.models import Visit
from exonc.platform.trial.protocols import protocol_version
from exonc.platform.trial.services import local_today
from exonc.synthetic import SyntheticTrial

REASON = "synthetic demo data"
M = TypeVar("M", bound=Model)


def _bulk(objects: Sequence[M], model: type[M], user: User) -> None:
    bulk_create_with_history(
        objects, model, batch_size=500, default_user=user, default_change_reason=REASON
    )


def load_economics(trial: SyntheticTrial, loader: User) -> None:
    """The resource use and delivery of *trial* as platform records (EXTRA_LOADERS entry)."""
    _resource_use(trial, loader)
    _delivery(trial, loader)


def _resource_use(trial: SyntheticTrial, loader: User) -> None:
    visits = {
        (v.participant.study_id, v.code): v
        for v in Visit.objects.select_related("participant__centre")
        if not _left_open(v, timezone.now())
    }
    _bulk(
        resource_use_reports(trial.tables["resource_use"], visits, loader),
        ResourceUseReport,
        loader,
    )


def resource_use_reports(
    table: pd.DataFrame, visits: dict[tuple[str, str], Visit], loader: User
) -> list[ResourceUseReport]:
    """One report per visit of a ``resource_use`` table (items the row lacks count 0)."""
    quantities: dict[tuple[str, str], dict[str, float]] = {}
    for row in each_row(table):
        key = (row.participant_id, row.visit)
        if key in visits:
            quantities.setdefault(key, {})[row.item] = float(row.quantity)
    version = protocol_version()
    reports = []
    for key, given in quantities.items():
        visit = visits[key]
        country = visit.participant.centre.country
        reports.append(
            ResourceUseReport(
                visit=visit,
                protocol_version=version,
                country=country,
                quantities={i.code: given.get(i.code, 0.0) for i in items_of(country)},
                paid_work=None,
                source=Source.IMPORT,
                reported_on=visit.completed_on or visit.due_date,
                entered_by=loader,
            )
        )
    return reports


def _left_open(visit: Visit, now: dt.datetime) -> bool:
    """A visit of a participant with a patient login whose window is open today."""
    today = local_today(visit.participant.centre, now)
    return visit.participant.user_id is not None and window_open(visit, today)


def _delivery(trial: SyntheticTrial, loader: User) -> None:
    logs = {
        (log.participant.study_id, log.date): log
        for log in SessionLog.objects.filter(setting="supervised").select_related("participant")
    }
    sessions = trial.tables["sessions"]
    attended = sessions[(sessions["kind"] == "supervised") & (sessions["attended"] == 1)]
    records = [
        DeliveryRecord(
            session=logs[(row.participant_id, row.date)],
            therapist_minutes=float(row.duration_minutes),
            group_size=int(row.group_size),
            recorded_by=loader,
        )
        for row in each_row(attended)
        if (row.participant_id, row.date) in logs
    ]
    _bulk(records, DeliveryRecord, loader)

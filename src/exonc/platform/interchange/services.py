"""Loading a trial imported from another system into a new platform database.

``exonc import redcap DIR --database URL`` reads the project into exonc's tidy tables
(:mod:`exonc.interchange`) and hands them here. The tables go in the way the demo loader
puts the synthetic trial in — the same builders, bulk inserts that write history rows —
with the importing account as the author and "imported from REDCap project …" as the
reason, in one transaction: participants, their allocations (live, as a sequence that
holds exactly the imported allocations), the protocol's visits (dates and windows from
the project, or from the protocol's schedule where it has none), withdrawals, scored
questionnaire responses and resource-use reports. A :class:`TrialImport` keeps the
import report. A database that already holds participants is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
from django.db import transaction
from django.utils import timezone

from exonc.errors import InputError, TrialStateError
from exonc.interchange.report import InterchangeReport
from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation.demo import load_allocations
from exonc.platform.demo import (
    bulk_with_history,
    load_participants,
    load_visits,
    load_withdrawals,
)
from exonc.platform.economics.demo import resource_use_reports
from exonc.platform.economics.models import ResourceUseReport
from exonc.platform.interchange.models import TrialImport
from exonc.platform.outcomes.demo import scored_responses
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial.models import Participant, Visit
from exonc.platform.trial.protocols import active_protocol, sync_centres
from exonc.protocol import schedule

__all__ = ["IMPORTER", "import_trial"]

IMPORTER = "trial-import"
QUESTIONNAIRES = ("qlq_c30", "qlq_fa12", "eq5d5l", "hads")
VISIT_DATES = ("due_date", "window_start", "window_end", "completed_on")


def import_trial(tables: Mapping[str, pd.DataFrame], report: InterchangeReport) -> TrialImport:
    """Load *tables* (exonc's tidy tables, text) into the empty, migrated database."""
    if Participant.objects.exists():
        raise TrialStateError(
            f"the database holds {Participant.objects.count()} participants already; "
            "import into a new, empty database"
        )
    reason = f"imported from {report.format} project {report.source}"
    typed = _typed(tables)
    with transaction.atomic():
        sync_centres()
        user = User.objects.create_user(
            username=IMPORTER, role=Role.ADMINISTRATOR, is_active=False, password=None
        )
        participants = load_participants(typed["participants"], user, reason)
        load_allocations(typed["participants"], participants, user, imported_from=reason)
        load_visits(_visits(typed), participants, user, reason)
        if "withdrawals" in typed:
            load_withdrawals(typed["withdrawals"], participants, user, reason)
        visits = {
            (v.participant.study_id, v.code): v
            for v in Visit.objects.select_related("participant__centre")
        }
        responses = scored_responses(typed, visits, user)
        bulk_with_history(responses, QuestionnaireResponse, user, reason)
        if "resource_use" in typed:
            reports = resource_use_reports(typed["resource_use"], visits, user)
            bulk_with_history(reports, ResourceUseReport, user, reason)
        record = TrialImport(
            source=report.source,
            format=report.format,
            imported_by=user,
            imported_at=timezone.now(),
            report=report.to_dict(),
        )
        record._change_reason = reason  # type: ignore[attr-defined]
        record.save()
    return record


def _typed(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The text tables with dates as dates and answers and counts as numbers."""
    if "participants" not in tables:
        raise InputError("the import holds no participants", hint="map the record ID and arm")
    typed = {name: frame.copy() for name, frame in tables.items()}
    people = typed["participants"]
    for column in ("randomised_on", "birth_year", "sex", "arm", "centre"):
        if column not in people.columns or people[column].isna().any():
            raise InputError(
                "every participant needs it to be loaded into the platform",
                file="participants",
                column=column,
                hint="map it in the mapping file",
            )
    people["randomised_on"] = _dates(people["randomised_on"])
    for name in QUESTIONNAIRES:
        if name in typed:
            frame = typed[name]
            frame["completed_on"] = _dates(frame["completed_on"])
            answers = [
                c for c in frame.columns if c not in ("participant_id", "visit", "completed_on")
            ]
            typed[name] = frame.astype({c: "Int64" for c in answers})
    return typed


def _dates(column: pd.Series) -> list[dt.date | None]:
    return [None if pd.isna(v) else dt.date.fromisoformat(str(v)) for v in column]


def _visits(typed: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every protocol visit of every participant: the project's dates, else the schedule's."""
    given = {}
    if "visits" in typed:
        for row in typed["visits"].to_dict("records"):
            given[(row["participant_id"], row["visit"])] = row
    rows = []
    protocol = active_protocol()
    for pid, randomised in zip(
        typed["participants"]["participant_id"], typed["participants"]["randomised_on"], strict=True
    ):
        for window in schedule(protocol, randomised):
            known = given.get((pid, window.visit), {})
            planned = (window.due, window.earliest, window.latest, None)
            values = [
                known.get(column) if known.get(column) is not None else default
                for column, default in zip(VISIT_DATES, planned, strict=True)
            ]
            rows.append([pid, window.visit, *values])
    return pd.DataFrame(rows, columns=["participant_id", "visit", *VISIT_DATES])

"""Loading the synthetic trial into the platform database for ``exonc demo``.

The demo database is built from :func:`exonc.synthetic.generate_trial` with bulk inserts
that still write history rows (who: the demo loader; why: "synthetic demo data"), so the
audit trail of the demo looks like that of a real trial.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
from django.db import transaction
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from exonc._data import each_row
from exonc.platform import audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.demo import load_activity
from exonc.platform.activity.models import DailyActivity
from exonc.platform.allocation.demo import load_allocations
from exonc.platform.allocation.models import Allocation
from exonc.platform.economics.demo import load_economics
from exonc.platform.economics.models import DeliveryRecord, ResourceUseReport
from exonc.platform.exercise.demo import load_exercise
from exonc.platform.exercise.models import FitnessTest, Lesion, PrescriptionVersion, SessionLog
from exonc.platform.outcomes.demo import load_questionnaires
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial.models import (
    Centre,
    CentreMembership,
    Consent,
    CriterionResult,
    Participant,
    Screening,
    Visit,
    Withdrawal,
)
from exonc.platform.trial.protocols import active_protocol, protocol_version, sync_centres
from exonc.protocol.plausibility import check_metastatic_sites
from exonc.protocol.study_ids import check_study_id
from exonc.synthetic import SyntheticTrial

REASON = "synthetic demo data"
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    centres: tuple[str, ...]
    note: str = ""


DEMO_LOGINS = (
    DemoLogin("admin", "exonc-admin", Role.ADMINISTRATOR, (), "Django admin at /admin/"),
    DemoLogin("coordinator", "exonc-coordinator", Role.COORDINATOR, ("NL-UTR", "NL-AMS")),
    DemoLogin("physio", "exonc-physio", Role.PHYSIOTHERAPIST, ("NL-UTR",)),
    DemoLogin("clinician", "exonc-clinician", Role.CLINICIAN, ("NL-UTR",)),
    DemoLogin("statistician", "exonc-statistician", Role.STATISTICIAN, ()),
    DemoLogin(
        "monitor", "exonc-monitor", Role.MONITOR, ("NL-UTR", "NL-AMS"), "reads and raises queries"
    ),
    DemoLogin(
        "patient", "exonc-patient", Role.PATIENT, (), "a recent exercise-arm participant at NL-UTR"
    ),
)

#: Loaders of later apps (questionnaires, sessions, tracker days…) register here.
EXTRA_LOADERS: list[Callable[[SyntheticTrial, User], None]] = []
EXTRA_LOADERS.append(load_questionnaires)
EXTRA_LOADERS.append(load_exercise)
EXTRA_LOADERS.append(load_activity)
EXTRA_LOADERS.append(load_economics)


def load_demo(trial: SyntheticTrial) -> None:
    """Load *trial* into an empty, migrated database."""
    with transaction.atomic():
        sync_centres()
        loader = _users()
        participants = load_participants(trial.tables["participants"], loader)
        _screening_and_consent(trial.tables, participants, loader)
        load_allocations(trial.tables["participants"], participants, loader)
        load_visits(trial.tables["visits"], participants, loader)
        load_withdrawals(trial.tables["withdrawals"], participants, loader)
        _patient_login(trial.tables["participants"], participants, loader)
        for extra in EXTRA_LOADERS:
            extra(trial, loader)


#: What the demo's summary counts, in order; apps with a loader add their records here.
COUNTED: list[tuple[str, type[Model]]] = [
    ("participants", Participant),
    ("allocations", Allocation),
    ("visits", Visit),
    ("withdrawals", Withdrawal),
    ("questionnaire responses", QuestionnaireResponse),
    ("fitness tests", FitnessTest),
    ("lesions", Lesion),
    ("prescription versions", PrescriptionVersion),
    ("session logs", SessionLog),
    ("tracker days", DailyActivity),
    ("resource-use reports", ResourceUseReport),
    ("delivery records", DeliveryRecord),
]


def counts() -> dict[str, int]:
    """Rows per kind of record, for the demo's summary."""
    return {name: model._default_manager.count() for name, model in COUNTED}


def _users() -> User:
    centres = {c.code: c for c in Centre.objects.all()}
    for login in DEMO_LOGINS:
        user = User.objects.create_user(
            username=login.username,
            password=login.password,
            email=f"{login.username}@demo.exonc.invalid",  # the demo's e-mail goes to files
            role=login.role,
            is_staff=login.role == Role.ADMINISTRATOR,
            is_superuser=login.role == Role.ADMINISTRATOR,
        )
        for code in login.centres:
            CentreMembership.objects.create(user=user, centre=centres[code])
    return User.objects.create_user(
        username="demo-loader", role=Role.ADMINISTRATOR, is_active=False, password=None
    )


def bulk_with_history(
    objects: Sequence[M], model: type[M], user: User, change_reason: str = REASON
) -> list[M]:
    """Insert *objects* with their history rows (who: *user*; why: *change_reason*)."""
    return list(
        bulk_create_with_history(
            objects, model, batch_size=500, default_user=user, default_change_reason=change_reason
        )
    )


def load_participants(
    table: pd.DataFrame, user: User, change_reason: str = REASON
) -> dict[str, Participant]:
    """Insert the participants of a ``participants`` table (as ``exonc synth`` writes it),
    their study IDs and metastatic sites checked as at enrolment."""
    centres = {c.code: c for c in Centre.objects.all()}
    version = protocol_version()
    protocol = active_protocol()
    rows = [
        Participant(
            study_id=check_study_id(r.participant_id, protocol.study_ids, r.centre),
            centre=centres[r.centre],
            protocol_version=version,
            birth_year=int(r.birth_year),
            sex=r.sex,
            line_of_treatment=_or(r.line_of_treatment, ""),
            metastatic_sites=[]
            if _missing(r.metastatic_sites)
            else check_metastatic_sites(
                str(r.metastatic_sites).split(";"), protocol.metastatic_sites
            ),
            bone_metastases=None if _missing(r.bone_metastases) else bool(int(r.bone_metastases)),
            ecog=None if _missing(r.ecog) else int(r.ecog),
            baseline_pain=None if _missing(r.baseline_pain) else bool(int(r.baseline_pain)),
        )
        for r in each_row(table)
    ]
    bulk_with_history(rows, Participant, user, change_reason)
    return {p.study_id: p for p in Participant.objects.select_related("centre")}


def _screening_and_consent(
    tables: dict[str, pd.DataFrame], participants: dict[str, Participant], user: User
) -> None:
    version = protocol_version()
    criteria = active_protocol().eligibility
    baseline = tables["visits"][tables["visits"]["visit"] == "baseline"]
    first_seen = dict(zip(baseline["participant_id"], baseline["completed_on"], strict=True))
    screenings = [
        Screening(
            participant=p,
            protocol_version=version,
            screened_on=_screened_on(first_seen[pid]),
            screened_by=user,
            eligible=True,
        )
        for pid, p in participants.items()
    ]
    screenings = bulk_with_history(screenings, Screening, user)
    results = [
        CriterionResult(
            screening=s,
            criterion_id=c.id,
            answer="yes" if c.kind == "inclusion" else "no",
            reason="",
        )
        for s in screenings
        for c in criteria
    ]
    bulk_with_history(results, CriterionResult, user)
    consents = [
        Consent(
            participant=s.participant,
            protocol_version=version,
            consent_version=active_protocol().consent_version,
            consented_on=s.screened_on,
            recorded_by=user,
        )
        for s in screenings
    ]
    bulk_with_history(consents, Consent, user)


def _screened_on(first_assessment: dt.date) -> dt.date:
    return first_assessment - dt.timedelta(days=3)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _or(value: object, default: str) -> str:
    return default if _missing(value) else str(value)


def load_visits(
    table: pd.DataFrame,
    participants: dict[str, Participant],
    user: User,
    change_reason: str = REASON,
) -> None:
    """Insert the visits of a ``visits`` table."""
    version = protocol_version()
    rows = [
        Visit(
            participant=participants[r.participant_id],
            protocol_version=version,
            code=r.visit,
            due_date=r.due_date,
            window_start=r.window_start,
            window_end=r.window_end,
            completed_on=None if _missing(r.completed_on) else r.completed_on,
        )
        for r in each_row(table)
    ]
    bulk_with_history(rows, Visit, user, change_reason)


def load_withdrawals(
    table: pd.DataFrame,
    participants: dict[str, Participant],
    user: User,
    change_reason: str = REASON,
) -> None:
    """Insert each participant's final withdrawal of a ``withdrawals`` table."""
    # A participant may stop the programme and later leave follow-up: keep the final status.
    final = table.sort_values("withdrawn_on").drop_duplicates("participant_id", keep="last")
    rows = [
        Withdrawal(
            participant=participants[r.participant_id],
            withdrawn_on=r.withdrawn_on,
            kind=r.kind,
            reason=_or(r.reason, ""),
            recorded_by=user,
        )
        for r in each_row(final)
    ]
    bulk_with_history(rows, Withdrawal, user, change_reason)


def _patient_login(table: pd.DataFrame, participants: dict[str, Participant], user: User) -> None:
    """Give the demo patient login to the most recently randomised exercise participant at
    Utrecht who is still in the programme, so that her hub shows a current plan."""
    candidates = table[(table["centre"] == "NL-UTR") & (table["arm"] == "exercise")]
    active = [
        pid for pid in candidates["participant_id"] if not hasattr(participants[pid], "withdrawal")
    ]
    participant = participants[active[-1] if active else candidates["participant_id"].iloc[-1]]
    participant.user = User.objects.get(username="patient")
    audit.save(participant, user, "demo patient login")

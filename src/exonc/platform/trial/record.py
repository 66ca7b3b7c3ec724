"""One participant's trial record as plain data (the participant page and its JSON twin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exonc.platform.audit import ChangeLine, change_lines
from exonc.platform.trial.dashboard import stage
from exonc.platform.trial.models import Participant, Withdrawal
from exonc.platform.trial.services import local_today


@dataclass(frozen=True)
class VisitLine:
    code: str
    due: dt.date
    window_start: dt.date
    window_end: dt.date
    completed_on: dt.date | None
    status: str
    missed_reason: str = ""


@dataclass(frozen=True)
class ScreeningLine:
    screened_on: dt.date
    eligible: bool
    results: list[dict[str, str]]


@dataclass(frozen=True)
class ParticipantRecord:
    study_id: str
    centre: str
    protocol: str
    stage: str
    birth_year: int
    sex: str
    line_of_treatment: str
    metastatic_sites: list[str]
    bone_metastases: bool | None
    ecog: int | None
    baseline_pain: bool | None
    arm: str | None
    randomised_on: dt.date | None
    screenings: list[ScreeningLine]
    consents: list[dict[str, object]]
    visits: list[VisitLine]
    withdrawal: dict[str, object] | None
    history: list[ChangeLine]


def participant_record(p: Participant, now: dt.datetime) -> ParticipantRecord:
    today = local_today(p.centre, now)
    allocation = getattr(p, "allocation", None)
    withdrawal = getattr(p, "withdrawal", None)
    return ParticipantRecord(
        study_id=p.study_id,
        centre=p.centre.code,
        protocol=str(p.protocol_version),
        stage=stage(p),
        birth_year=p.birth_year,
        sex=p.sex,
        line_of_treatment=p.line_of_treatment,
        metastatic_sites=list(p.metastatic_sites),
        bone_metastases=p.bone_metastases,
        ecog=p.ecog,
        baseline_pain=p.baseline_pain,
        arm=allocation.arm if allocation else None,
        randomised_on=allocation.allocated_on if allocation else None,
        screenings=[
            ScreeningLine(
                s.screened_on,
                s.eligible,
                [
                    {"criterion": r.criterion_id, "answer": r.answer, "reason": r.reason}
                    for r in s.results.all()
                ],
            )
            for s in p.screenings.all()
        ],
        consents=[
            {
                "version": c.consent_version,
                "consented_on": c.consented_on,
                "withdrawn_on": c.withdrawn_on,
                "withdrawal_reason": c.withdrawal_reason,
            }
            for c in p.consents.all()
        ],
        visits=[
            VisitLine(
                v.code,
                v.due_date,
                v.window_start,
                v.window_end,
                v.completed_on,
                str(v.status(today)),
                v.missed_reason,
            )
            for v in p.visits.all()
        ],
        withdrawal=(
            {
                "on": withdrawal.withdrawn_on,
                "kind": withdrawal.kind,
                "kind_label": withdrawal.get_kind_display(),
                "reason": withdrawal.reason,
            }
            if withdrawal
            else None
        ),
        history=_history(p),
    )


def _history(p: Participant) -> list[ChangeLine]:
    """The audit trail of the participant record, her screenings, consents, visits and
    withdrawal, newest first."""
    changes = [*p.history.all()]
    for screening in p.screenings.all():
        changes.extend(screening.history.all())
    for consent in p.consents.all():
        changes.extend(consent.history.all())
    for visit in p.visits.all():
        changes.extend(visit.history.all())
    changes.extend(Withdrawal.history.filter(participant_id=p.pk))
    return change_lines(changes)

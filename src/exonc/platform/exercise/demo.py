"""Loading the synthetic trial's exercise delivery into the demo database.

The synthetic trial has the programme start, fitness tests, lesion registers, overrides,
symptom flags, adverse events and the scheduled sessions (attended or missed, RPE, pain).
The loader replays each exercise-arm participant through the same engine calls as the
services — version 1 at the start, :func:`~exonc.exercise.revise` after repeated tests, a
plan from the version in force for every session, the hard-stop check of what was done,
:func:`~exonc.exercise.progress` after every session — and stores the result with history
rows written by the demo loader ("synthetic demo data").

What the synthetic sessions do not say — the repetitions, loads and watts delivered — is
derived from the plan (:mod:`exonc.platform.exercise.demo_delivery`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import pandas as pd
from django.db.models import Model
from simple_history.utils import bulk_create_with_history

from exonc import exercise as ex
from exonc._data import each_row
from exonc.platform.accounts.models import User
from exonc.platform.exercise import config, convert, safety, snapshots
from exonc.platform.exercise.demo_delivery import Capacity, delivered_log, value
from exonc.platform.exercise.models import (
    AdverseEvent,
    Clearance,
    ExerciseProfile,
    FitnessTest,
    Lesion,
    Notification,
    Override,
    PrescriptionVersion,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.exercise.session_services import responsible_clinicians
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol
from exonc.synthetic import SyntheticTrial

REASON = "synthetic demo data"
M = TypeVar("M", bound=Model)


def _bulk(objects: Sequence[M], model: type[M], user: User) -> list[M]:
    return list(
        bulk_create_with_history(
            objects, model, batch_size=500, default_user=user, default_change_reason=REASON
        )
    )


def _text(cell: Any) -> str:
    return "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell)


@dataclass
class _Person:
    """One exercise-arm participant while she is replayed."""

    participant: Participant
    profile: ExerciseProfile
    tests: list[FitnessTest] = field(default_factory=list)
    lesions: list[ex.Lesion] = field(default_factory=list)
    overrides: list[ex.Override] = field(default_factory=list)
    flags: list[ex.SymptomFlag] = field(default_factory=list)


def load_exercise(trial: SyntheticTrial, loader: User) -> None:
    """The exercise-delivery tables of *trial*, as platform records (EXTRA_LOADERS entry)."""
    tables = trial.tables
    participants = {p.study_id: p for p in Participant.objects.select_related("centre")}
    people = _profiles(tables["exercise_participants"], participants, loader)
    _tests(tables["fitness_tests"], people, loader)
    _lesions(tables["lesions"], tables["lesion_overrides"], people, loader)
    for row in each_row(tables["symptom_flags"]):
        closed = value(row.closed_on)
        flag = ex.SymptomFlag(ex.SymptomKind(row.kind), row.date, closed, row.note)
        people[row.participant_id].flags.append(flag)
    sessions = tables["sessions"].sort_values(["participant_id", "date", "kind"], kind="stable")
    by_person: dict[str, list[Any]] = defaultdict(list)
    for row in each_row(sessions):
        by_person[row.participant_id].append(row)
    logs: list[SessionLog] = []
    for pid, person in people.items():
        logs += _replay(person, by_person[pid], loader)
    _bulk(logs, SessionLog, loader)
    _flags(tables["symptom_flags"], people, loader)
    _adverse_events(tables["adverse_events"], participants, loader)


def _profiles(
    table: pd.DataFrame, participants: dict[str, Participant], loader: User
) -> dict[str, _Person]:
    programme = active_protocol().programme
    rows = [
        ExerciseProfile(
            participant=participants[r.participant_id],
            programme=programme,
            start_date=r.programme_start,
            height_cm=float(r.height_cm),
            started_by=loader,
        )
        for r in each_row(table)
    ]
    return {
        p.participant.study_id: _Person(p.participant, p)
        for p in _bulk(rows, ExerciseProfile, loader)
    }


_TEST_VALUES = ("exercise", "side", "msec_w", "wpeak_w", "load_kg", "reps", "trials_kg", "seconds")


def _tests(table: pd.DataFrame, people: dict[str, _Person], loader: User) -> None:
    rows = []
    for r in each_row(table):
        if r.participant_id not in people:
            continue
        values = {k: value(getattr(r, k)) for k in _TEST_VALUES}
        values = {k: v for k, v in values.items() if v not in (None, "")}
        context = ex.TestContext(r.date, r.tester, r.conditions)
        _, stored = convert.fitness_test(r.test, context, values)
        row = FitnessTest(
            participant=people[r.participant_id].participant,
            kind=r.test,
            tested_on=r.date,
            tester=r.tester,
            conditions=r.conditions,
            values=stored,
            recorded_by=loader,
        )
        rows.append(row)
        people[r.participant_id].tests.append(row)
    _bulk(rows, FitnessTest, loader)


def _lesions(
    table: pd.DataFrame, overrides: pd.DataFrame, people: dict[str, _Person], loader: User
) -> None:
    fields = ex.LESION_FIELDS
    rows = [
        Lesion(
            participant=people[r.participant_id].participant,
            label=r.lesion_id,
            recorded_by=loader,
            **{f: _text(getattr(r, f)) if f != "imaging_date" else r.imaging_date for f in fields},
        )
        for r in each_row(table)
        if r.participant_id in people
    ]
    stored = {(x.participant.study_id, x.label): x for x in _bulk(rows, Lesion, loader)}
    clearances = [
        Clearance(
            lesion=stored[(r.participant_id, r.lesion_id)],
            clinician=loader,
            clinician_name=r.cleared_by,
            cleared_on=r.cleared_on,
            note=r.clearance_note,
        )
        for r in each_row(table)
        if r.participant_id in people and _text(r.cleared_by)
    ]
    _bulk(clearances, Clearance, loader)
    for lesion in stored.values():
        valid = [c for c in clearances if c.lesion is lesion]
        day = dt.date.max
        people[lesion.participant.study_id].lesions.append(
            convert.domain_lesion(lesion, valid, day)
        )
    _overrides(overrides, stored, people, loader)


def _overrides(
    table: pd.DataFrame,
    lesions: dict[tuple[str, str], Lesion],
    people: dict[str, _Person],
    loader: User,
) -> None:
    rows = []
    for r in each_row(table):
        if r.participant_id not in people:
            continue
        row = Override(
            lesion=lesions[(r.participant_id, r.lesion_id)],
            exercise=r.exercise,
            clinician=loader,
            clinician_name=r.clinician,
            reason=r.reason,
            starts_on=r.date,
        )
        rows.append(row)
        people[r.participant_id].overrides.append(convert.domain_override(row, r.lesion_id))
    _bulk(rows, Override, loader)


# ------------------------------------------------------------------ the replay


def _state(person: _Person) -> ex.ParticipantState:
    p = person.participant
    return ex.ParticipantState(
        participant_id=p.study_id,
        centre=p.centre.code,
        start_date=person.profile.start_date,
        sex=ex.Sex.FEMALE if p.sex == "F" else ex.Sex.MALE,
        birth_date=dt.date(p.birth_year, 7, 1),
        height_cm=person.profile.height_cm,
        tests=tuple(convert.domain_test(t) for t in person.tests),
        lesions=tuple(person.lesions),
        overrides=tuple(person.overrides),
        flags=tuple(person.flags),
    )


class _Replay:
    """One participant's prescription versions and logs, built session by session."""

    def __init__(self, person: _Person) -> None:
        centre = person.participant.centre
        self.programme = config.programme(person.profile.programme)
        self.equipment, self.rules = config.equipment(centre), config.rules(centre)
        self.state = _state(person)
        self.capacity = Capacity.of(self.state.tests)
        self.current = ex.prescribe(self.state, self.state.start_date, equation=None)
        self.versions = [(self.current, "start")]
        start = self.state.start_date
        self.test_days = sorted(
            {t.context.date for t in self.state.tests if t.context.date > start}
        )
        self.done: list[ex.SessionLog] = []

    def add(self, version: ex.Prescription, trigger: str) -> None:
        if version is not self.current:
            self.current = version
            self.versions.append((version, trigger))

    def tests_until(self, day: dt.date) -> None:
        """Revise after every test done up to *day* (as a saved test does)."""
        while self.test_days and self.test_days[0] <= day:
            on = max(self.test_days.pop(0), self.current.effective)
            self.add(ex.revise(self.current, self.state, on), "test")

    def session(
        self, row: Any, flags: list[ex.SymptomFlag]
    ) -> tuple[ex.SessionLog, ex.SessionPlan, ex.Prescription]:
        """Plan from the version in force, log what was done, check it, progress."""
        self.tests_until(row.date)
        in_force = [v for v, _ in self.versions if v.effective <= row.date][-1]
        plan = ex.plan_session(
            self.programme,
            in_force,
            self.state,
            row.date,
            equipment=self.equipment,
            rules=self.rules,
            setting=ex.Setting(row.kind),
        )
        log = delivered_log(self.state.participant_id, plan, row, self.capacity, flags)
        restrictions = ex.assess_lesions(self.state.lesions, self.rules, log.date)
        safety.check_session(log, self.programme, restrictions, self.state.overrides)
        self.done.append(log)
        state = replace(self.state, sessions=tuple(self.done))
        decision = ex.progress(self.current, state, self.programme, self.equipment, log.date)
        if decision.progressed:
            self.add(decision.prescription, "session")
        return log, plan, in_force


def _replay(person: _Person, sessions: list[Any], loader: User) -> list[SessionLog]:
    """Prescription versions and session logs of one participant, in date order."""
    replay = _Replay(person)
    logs = []
    for row in sessions:
        log, plan, in_force = replay.session(row, person.flags)
        logs.append((_row(person, log, plan, loader), in_force))
    replay.tests_until(dt.date.max)  # tests after the last session
    stored = _versions(person.participant, replay.versions, loader)
    for row, version in logs:
        row.prescription = stored[version.version]
    return [row for row, _ in logs]


def _versions(
    participant: Participant, versions: Iterable[tuple[ex.Prescription, str]], loader: User
) -> dict[int, PrescriptionVersion]:
    rows = [
        PrescriptionVersion(
            participant=participant,
            version=v.version,
            effective=v.effective,
            reason=v.reason,
            trigger=trigger,
            basis=convert.basis(v),
            created_by=loader,
        )
        for v, trigger in versions
    ]
    return {r.version: r for r in PrescriptionVersion.objects.bulk_create(rows)}


def _row(person: _Person, log: ex.SessionLog, plan: ex.SessionPlan, loader: User) -> SessionLog:
    entry = convert.SessionEntry(
        log.date,
        log.setting,
        log.attendance,
        log.missed_reason,
        log.aerobic,
        log.resistance,
        log.balance,
        log.check_in,
    )
    return SessionLog(
        participant=person.participant,
        date=log.date,
        setting=log.setting.value,
        attendance=log.attendance.value,
        missed_reason=log.missed_reason,
        plan=snapshots.plan_json(plan),
        logged_by=loader,
        **convert.stored_parts(entry),
    )


# ------------------------------------------------------------------ flags and events


def _flags(table: pd.DataFrame, people: dict[str, _Person], loader: User) -> None:
    supervised = SessionLog.objects.filter(setting="supervised")
    logs = {
        (pid, day): SessionLog(pk=pk)
        for pk, pid, day in supervised.values_list("pk", "participant__study_id", "date")
    }
    rows = []
    for r in each_row(table):
        if r.participant_id not in people:
            continue
        closed = value(r.closed_on)
        rows.append(
            SymptomFlag(
                participant=people[r.participant_id].participant,
                kind=r.kind,
                opened_on=r.date,
                note=r.note,
                session=logs.get((r.participant_id, r.date)),
                opened_by=loader,
                closed_on=closed,
                closed_by=loader if closed else None,
                close_reason="resolved; reviewed by the centre's clinician" if closed else "",
            )
        )
    flags = _bulk(rows, SymptomFlag, loader)
    _notifications(flags)


def _notifications(flags: Iterable[SymptomFlag]) -> None:
    """Each flag notified its centre's clinicians (the demo clinician works at Utrecht)."""
    clinicians: dict[int, list[User]] = {}
    notes = []
    for flag in flags:
        participant = flag.participant
        recipients = clinicians.setdefault(
            participant.centre_id, responsible_clinicians(participant)
        )
        for clinician in recipients:
            message = (
                f"{participant.study_id} ({participant.centre.code}): "
                f"{flag.kind.replace('_', ' ')} at the check-in of {flag.opened_on.isoformat()}. "
                "Progression is held until you close the flag."
            )
            read = (
                dt.datetime.combine(flag.closed_on, dt.time(12), tzinfo=dt.UTC)
                if flag.closed_on
                else None
            )
            notes.append(
                Notification(
                    recipient=clinician,
                    participant=participant,
                    flag=flag,
                    message=message,
                    read_at=read,
                )
            )
    Notification.objects.bulk_create(notes)


def _adverse_events(
    table: pd.DataFrame, participants: dict[str, Participant], loader: User
) -> None:
    rows = [
        AdverseEvent(
            participant=participants[r.participant_id],
            onset=r.onset,
            description=r.description,
            grade=int(r.grade),
            serious=bool(r.serious),
            relatedness=r.relatedness,
            outcome=r.outcome,
            session_date=value(r.session_date),
            reported_by=loader,
        )
        for r in each_row(table)
        if r.participant_id in participants
    ]
    _bulk(rows, AdverseEvent, loader)

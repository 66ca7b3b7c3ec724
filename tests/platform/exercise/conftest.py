"""Exercise fixtures: clinicians, a randomised exercise-arm participant with baseline tests,
and a started programme (start Monday 2024-03-04; TODAY, 2024-05-02, is in week 9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation.models import (
    Allocation,
    AllocationSequence,
    Purpose,
    SequenceKind,
)
from exonc.platform.exercise import convert, services
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.trial.models import Centre, CentreMembership, Participant
from exonc.platform.trial.protocols import protocol_version
from tests.platform.conftest import TODAY

START = dt.date(2024, 3, 4)  # a Monday: day 1 of programme week 1
BASELINE = dt.date(2024, 3, 1)

#: SRT 250 W, CPET Wpeak 160 W and a multiple-RM test on every PREFERABLE machine, as in
#: tests/programme/factories.py (chest press with Epley).
BASELINE_TESTS: list[tuple[str, dict[str, Any]]] = [
    ("steep_ramp", {"msec_w": 250}),
    ("cpet", {"wpeak_w": 160}),
    ("multiple_rm", {"exercise": "leg_press", "load_kg": 60, "reps": 8}),
    ("multiple_rm", {"exercise": "leg_curl", "load_kg": 20, "reps": 10}),
    ("multiple_rm", {"exercise": "leg_extension", "load_kg": 25, "reps": 10}),
    ("multiple_rm", {"exercise": "chest_press", "load_kg": 25, "reps": 10, "formula": "epley"}),
    ("multiple_rm", {"exercise": "seated_row", "load_kg": 30, "reps": 8}),
    ("multiple_rm", {"exercise": "lat_pulldown", "load_kg": 30, "reps": 8}),
]


def make_user(username: str, role: Role, centres: list[Centre], **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, role=role, **extra
    )
    for centre in centres:
        CentreMembership.objects.create(user=user, centre=centre)
    return user


@pytest.fixture
def clinician(centres: dict[str, Centre]) -> User:
    return make_user(
        "clin-utr", Role.CLINICIAN, [centres["NL-UTR"]], first_name="Carla", last_name="de Vries"
    )


@pytest.fixture
def other_clinician(centres: dict[str, Centre]) -> User:
    return make_user("clin-hei", Role.CLINICIAN, [centres["DE-HEI"]])


@pytest.fixture
def other_physio(centres: dict[str, Centre]) -> User:
    return make_user("physio-hei", Role.PHYSIOTHERAPIST, [centres["DE-HEI"]])


def _sequence(by: User) -> AllocationSequence:
    """A dummy test list the fixture allocations point at (the allocation app's tests
    exercise the real randomisation; these only need an allocated participant)."""
    found = AllocationSequence.objects.first()
    if found is not None:
        return found
    return AllocationSequence.objects.create(
        purpose=Purpose.TEST,
        kind=SequenceKind.LIST,
        content="",
        sha256="0" * 64,
        origin="exercise test fixture",
        protocol_version=protocol_version(),
        loaded_by=by,
        loaded_at=timezone.now(),
    )


def randomise(participant: Participant, arm: str, by: User, on: dt.date = BASELINE) -> Allocation:
    sequence = Allocation.objects.count() + 1
    return Allocation.objects.create(
        participant=participant,
        arm=arm,
        stratum=f"centre={participant.centre.code}",
        method="blocks",
        sequence=sequence,
        source=_sequence(by),
        purpose=Purpose.TEST,
        list_position=sequence,
        allocated_at=dt.datetime.combine(on, dt.time(9), tzinfo=ZoneInfo("Europe/Amsterdam")),
        allocated_on=on,
        allocated_by=by,
        protocol_version=protocol_version(),
    )


@pytest.fixture
def member(ready: Participant, coordinator: User) -> Participant:
    """NL-UTR-001, randomised to the exercise arm, with her baseline tests."""
    randomise(ready, "exercise", coordinator)
    return Participant.objects.get(pk=ready.pk)


@pytest.fixture
def control(enrol: Callable[..., Participant], coordinator: User) -> Participant:
    participant = enrol(coordinator, "NL-UTR-002")
    randomise(participant, "control", coordinator)
    return Participant.objects.get(pk=participant.pk)


def record_baseline(
    physio: User, participant: Participant, day: dt.date = BASELINE, today: dt.date = TODAY
) -> None:
    for kind, values in BASELINE_TESTS:
        services.record_test(
            physio,
            participant,
            kind=kind,
            tested_on=day,
            tester="J. Smit",
            values=values,
            today=today,
        )


@pytest.fixture
def started(member: Participant, physio: User) -> ExerciseProfile:
    record_baseline(physio, member)
    return services.start_programme(physio, member, start_date=START, height_cm=165.0, today=TODAY)


def session(day: dt.date = TODAY, **data: Any) -> convert.SessionEntry:
    """A session entry from plain data (attended supervised by default)."""
    return convert.session_entry({"date": day, **data})


def leg_press(reps: int, load: float, rpe: float | None = 6) -> dict[str, Any]:
    return {
        "exercise": "leg_press",
        "sets": [{"reps": reps, "load_kg": load}] * 3,
        "rpe": rpe,
    }


def utrecht_today() -> dt.date:
    """Today at Utrecht: the pages use the clock and the centre's time zone."""
    return timezone.now().astimezone(ZoneInfo("Europe/Amsterdam")).date()


@pytest.fixture
def current(member: Participant, physio: User) -> ExerciseProfile:
    """NL-UTR-001's programme, in week 3 today (for pages, which use the clock)."""
    today = utrecht_today()
    start = today - dt.timedelta(days=16)
    record_baseline(physio, member, start - dt.timedelta(days=3), today=today)
    return services.start_programme(physio, member, start_date=start, height_cm=165, today=today)

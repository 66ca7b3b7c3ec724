"""The exercise home: who is in the programme today, what is due, what waits for a clinician."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import User
from exonc.platform.exercise import convert
from exonc.platform.exercise import safety_services as register
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.exercise.worklist import exercise_home
from tests.platform.exercise.conftest import session

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2024, 5, 2)  # week 9 of a programme that started on 2024-03-04
NOW = timezone.make_aware(dt.datetime.combine(THURSDAY, dt.time(12)))
# Mirels 8 (borderline): lower limb 2 + one to two thirds 2 + mixed 2 + moderate pain 2.
FEMUR = convert.LesionEntry(
    "femoral_shaft",
    "left",
    "mixed",
    dt.date(2024, 2, 1),
    mirels_site="lower_limb",
    mirels_size="one_to_two_thirds",
    mirels_pain="moderate",
)


def test_due_until_the_weeks_supervised_sessions_are_logged(
    started: ExerciseProfile, physio: User
) -> None:
    [row] = exercise_home(physio, NOW).today
    assert (row.week, row.supervised_per_week, row.supervised_logged, row.due) == (9, 2, 0, True)
    sessions.log_session(physio, started.participant, session(THURSDAY), today=THURSDAY)
    [row] = exercise_home(physio, NOW).today
    assert (row.supervised_logged, row.logged_today, row.due) == (1, ["supervised"], False)
    later = NOW + dt.timedelta(days=100)  # 2024-08-10: day 159 from the start, week 23
    assert exercise_home(physio, later).today[0].week == 23
    assert exercise_home(physio, NOW + dt.timedelta(days=400)).today == []  # finished


def test_clinicians_see_lesions_waiting_for_a_sign_off(
    started: ExerciseProfile, physio: User, clinician: User, other_clinician: User
) -> None:
    lesion = register.record_lesion(physio, started.participant, FEMUR, today=THURSDAY)
    [waiting] = exercise_home(clinician, NOW).waiting_lesions
    assert (waiting.label, waiting.kind) == ("L1", "sign_off_required")
    assert "Mirels 8" in waiting.reason
    assert exercise_home(other_clinician, NOW).waiting_lesions == []
    register.clear_lesion(clinician, lesion, cleared_on=THURSDAY, today=THURSDAY)
    assert exercise_home(clinician, NOW).waiting_lesions == []
    assert exercise_home(physio, NOW).waiting_lesions == []  # clinicians' list only


def test_the_home_is_for_staff(started: ExerciseProfile, statistician: User) -> None:
    with pytest.raises(AccessDenied):
        exercise_home(statistician, NOW)

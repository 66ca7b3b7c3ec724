"""The participant state: programme weeks, open flags and consistency checks."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import Attendance, SessionLog, Setting, Site, SymptomFlag, SymptomKind
from tests.exercise.factories import START, lesion, state


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (START, 1),
        (START + dt.timedelta(days=6), 1),
        (START + dt.timedelta(days=7), 2),
        (START - dt.timedelta(days=1), 0),
    ],
)
def test_programme_week_of_a_date(day: dt.date, week: int) -> None:
    assert state().week_on(day) == week


def test_open_flags_on_a_day() -> None:
    flag = SymptomFlag(SymptomKind.CHEST_PAIN, START, START + dt.timedelta(days=2))
    s = state(flags=(flag,))
    assert s.open_flags(START + dt.timedelta(days=1)) == (flag,)
    assert s.open_flags(START + dt.timedelta(days=2)) == ()


def test_inconsistent_states_are_refused() -> None:
    with pytest.raises(ExerciseInputError, match="two lesions share an identifier"):
        state(lesions=(lesion(Site.PELVIS, "L1"), lesion(Site.RIBS, "L1")))
    with pytest.raises(ExerciseInputError, match="belongs to another participant"):
        state(sessions=(SessionLog("P999", START, Setting.SUPERVISED, Attendance.ATTENDED),))
    with pytest.raises(ExerciseInputError, match="date of birth is not before the start date"):
        state(birth_date=START)
    with pytest.raises(ExerciseInputError, match="height_cm must be a number from 100 to 230"):
        state(height_cm=1.65)

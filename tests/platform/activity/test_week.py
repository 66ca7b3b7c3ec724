"""The patient's "your week": her last 7 days against the goal, in plain words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import User
from exonc.platform.activity.week import encouragement, your_week
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import NOW, add_days

pytestmark = pytest.mark.django_db

#: NOW is Thursday 2 May 2024 in Utrecht: her week is Friday 26 April – Thursday 2 May.
FIRST = dt.date(2024, 4, 26)


@pytest.fixture
def patient(ready: Participant, make_patient: Callable[..., User]) -> User:
    return make_patient(ready)


def test_her_week_counts_the_days_she_reached_the_goal(
    ready: Participant, patient: User, coordinator: User
) -> None:
    # (wear, active) from 26 April; 2 May (today) has no data yet
    add_days(
        ready, FIRST, [(700, 45), (700, 10), (400, 31), (700, 30), (700, 0), (800, 60)], coordinator
    )
    week = your_week(patient, NOW)
    assert (week.first, week.last) == (FIRST, dt.date(2024, 5, 2))
    assert [d.active_minutes for d in week.days] == [45, 10, 31, 30, 0, 60, None]
    # the goal is 30 minutes on any day, worn all day or not (29 April: 400 minutes worn)
    assert [d.goal_met for d in week.days] == [True, False, True, True, False, True, False]
    assert (week.goal_days, week.days_with_data) == (4, 6)
    assert (
        week.message
        == "You were active for at least 30 minutes on 4 days of the last 7. Keep it up!"
    )
    # bars relative to the longest (60 minutes); the goal mark at half
    assert [d.percent for d in week.days] == [75, 17, 52, 50, 0, 100, 0]
    assert week.goal_percent == 50


def test_recent_weeks_count_her_goal_days(
    ready: Participant, patient: User, coordinator: User
) -> None:
    add_days(ready, dt.date(2024, 4, 22), [(700, 45)] * 3 + [(700, 5)] * 4, coordinator)
    week = your_week(patient, NOW)
    assert [(w.week_start, w.days_recorded, w.goal_days) for w in week.weeks] == [
        (dt.date(2024, 4, 22), 7, 3)
    ]


@pytest.mark.parametrize(
    ("goal_days", "with_data", "part_days", "message", "tips"),
    [
        # each row: the case it covers, written out
        (0, 0, 0, "We have not received data from your tracker for these days yet.", 1),
        (5, 7, 0, "Well done! You were active for at least 30 minutes on 5 of the last 7 days.", 0),
        (1, 7, 0, "You were active for at least 30 minutes on 1 day of the last 7. Keep it up!", 1),
        (0, 7, 0, "A quieter week — that happens. Every active minute counts.", 1),
        (6, 7, 2, "Well done! You were active for at least 30 minutes on 6 of the last 7 days.", 1),
        (0, 7, 3, "A quieter week — that happens. Every active minute counts.", 2),
    ],
)
def test_the_words_encourage(
    goal_days: int, with_data: int, part_days: int, message: str, tips: int
) -> None:
    said, advice = encouragement(goal_days, with_data, part_days)
    assert said == message
    assert len(advice) == tips
    if part_days >= 2:
        assert advice[-1].startswith(
            f"Your tracker was worn for part of the day on {part_days} days."
        )


def test_staff_and_unlinked_patients_have_no_week(coordinator: User, centres: object) -> None:
    with pytest.raises(AccessDenied, match="this page is for patients"):
        your_week(coordinator, NOW)
    lonely = User.objects.create_user(username="pat-x", password="pw", role="patient")
    with pytest.raises(AccessDenied, match="no participant record is linked to your login"):
        your_week(lonely, NOW)

"""A participant's activity for staff, and its chart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.http import Http404

from exonc.errors import AccessDenied, InputError
from exonc.platform.accounts.models import User
from exonc.platform.activity import services
from exonc.platform.activity.charts import ACTIVE_HEIGHT, ACTIVE_TOP, day_chart
from exonc.platform.activity.participant import participant_activity, visible_participant
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import FIRST, NOW, TRACKER, add_days, allocate, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(ready: Participant, coordinator: User) -> Participant:
    """NL-UTR-001, randomised on 10 April 2016, with the first Fitabase export (20–22 April)."""
    allocate(ready, "exercise", dt.date(2016, 4, 10), coordinator)
    services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    return visible_participant(coordinator, "NL-UTR-001")


def test_her_days_weeks_and_imports(imported: Participant, coordinator: User) -> None:
    data = participant_activity(coordinator, imported, NOW, weeks=1, until=dt.date(2016, 4, 23))
    assert (data.first, data.last) == (dt.date(2016, 4, 17), dt.date(2016, 4, 23))
    assert [d.date.day for d in data.days] == [20, 21, 22]
    assert [d.active_minutes for d in data.days] == [12 + 28, 8 + 19, 27 + 66]  # Fitbit's
    # the ISO week of Monday 18 April 2016: 3 valid days, the goal met on 20 and 22 April
    (week,) = data.weeks
    assert (week.week_start, week.valid_days, week.goal_days) == (dt.date(2016, 4, 18), 3, 2)
    assert week.adherence == pytest.approx(2 / 3)
    assert (data.arm, data.randomised_on, data.tracking_until) == (
        "exercise",
        dt.date(2016, 4, 10),
        dt.date(2017, 1, 9),  # the day before the 9-month visit is due
    )
    assert data.tracker_id == TRACKER
    assert [(i.outcome, i.imported_by, i.accepted) for i in data.imports] == [
        ("imported", "coord-utr", 2 * 72 * 60)
    ]
    assert data.can_upload
    assert data.flag is None  # she stopped tracking in 2017


def test_the_period_defaults_to_her_last_tracked_day(
    imported: Participant, coordinator: User
) -> None:
    data = participant_activity(coordinator, imported, NOW)
    assert data.last == dt.date(2017, 1, 9)
    assert data.first == data.last - dt.timedelta(days=8 * 7 - 1)


def test_while_she_tracks_the_page_shows_the_two_week_flag(
    ready: Participant, coordinator: User
) -> None:
    allocate(ready, "control", dt.date(2024, 3, 1), coordinator)
    add_days(ready, dt.date(2024, 4, 18), [(700, 40)] * 14, coordinator)
    data = participant_activity(coordinator, visible_participant(coordinator, "NL-UTR-001"), NOW)
    assert data.flag is not None
    assert (data.flag.valid_days, data.flag.goal_days, data.flag.flagged) == (14, 14, False)
    assert data.last == dt.date(2024, 5, 2)


def test_statisticians_see_no_staff_names_or_tracker_ids(
    imported: Participant, statistician: User
) -> None:
    data = participant_activity(statistician, visible_participant(statistician, "NL-UTR-001"), NOW)
    assert data.tracker_id is None
    assert data.imports[0].imported_by is None
    assert not data.can_upload


def test_other_centres_and_patients_do_not_see_her(
    imported: Participant, other_coordinator: User, make_patient: Callable[..., User]
) -> None:
    with pytest.raises(Http404):
        visible_participant(other_coordinator, "NL-UTR-001")
    with pytest.raises(AccessDenied):
        visible_participant(make_patient(imported), "NL-UTR-001")


def test_a_period_out_of_range_is_refused(imported: Participant, coordinator: User) -> None:
    with pytest.raises(InputError, match="column weeks: value 45: must be 1 to 44"):
        participant_activity(coordinator, imported, NOW, weeks=45)


def test_the_chart_draws_one_bar_per_day_against_the_goal(
    imported: Participant, coordinator: User
) -> None:
    data = participant_activity(coordinator, imported, NOW, weeks=1, until=dt.date(2016, 4, 23))
    chart = day_chart(data.first, data.last, data.days, 30, 600)
    assert len(chart.active) == len(chart.wear) == 3
    assert [b.kind for b in chart.active] == ["goal-met", "below-goal", "goal-met"]
    # the tallest bar (93 minutes) fills the panel; the goal line sits at 30/93 of it
    assert chart.active[2].height == pytest.approx(ACTIVE_HEIGHT)
    assert chart.goal_y == pytest.approx(ACTIVE_TOP + ACTIVE_HEIGHT * (1 - 30 / 93))
    # 20 April is the fourth day from Sunday 17 April: three bar widths (13 px) in
    assert chart.active[0].x - chart.labels[0].x == pytest.approx(2 * 13)  # Monday 18 April
    assert chart.active[0].title.startswith("Wed 20 Apr 2016: 40 active minutes, worn ")
    assert chart.description.endswith(
        "data on 3 days, 3 valid; the 30-minute goal met on 2 of the valid days."
    )

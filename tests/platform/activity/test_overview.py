"""The centre overview: who tracks now, and the two-week low-wear / low-activity flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import User
from exonc.platform.activity.overview import centre_overview
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import NOW, add_days, allocate

pytestmark = pytest.mark.django_db

#: NOW is 2 May 2024 in Utrecht: the window is the 14 full days 18 April – 1 May.
WINDOW_START = dt.date(2024, 4, 18)
RANDOMISED = dt.date(2024, 3, 1)
VALID_GOAL, VALID_LOW, NOT_VALID = (700, 40), (700, 10), (300, 10)


@pytest.fixture
def trial(enrol: Callable[..., Participant], coordinator: User, other_coordinator: User) -> None:
    """Participants whose expected status is written out by hand in each test."""

    def randomised(study_id: str, days: list[tuple[int, int]], on: dt.date = RANDOMISED, **kw):
        by = other_coordinator if kw.get("centre") == "DE-HEI" else coordinator
        participant = enrol(by, study_id, **kw)
        allocate(participant, "exercise" if len(study_id) % 2 else "control", on, by)
        if days:
            add_days(participant, WINDOW_START, days, by)
        return participant

    randomised("NL-UTR-001", [VALID_GOAL] * 5 + [NOT_VALID] * 9)  # 5 valid days: low wear
    randomised("NL-UTR-002", [VALID_GOAL] * 3 + [VALID_LOW] * 7)  # goal on 3 of 10 valid
    randomised("NL-UTR-003", [VALID_GOAL] * 10 + [VALID_LOW] * 2)  # 12 valid, goal on 10
    settling = dt.date(2024, 4, 25)
    randomised("NL-UTR-004", [], on=settling)
    randomised("NL-UTR-005", [VALID_GOAL] * 14, on=dt.date(2023, 6, 1))  # tracked until Feb
    left = randomised("NL-UTR-006", [])
    trial_services.withdraw(
        coordinator, left, withdrawn_on=dt.date(2024, 4, 10), kind="follow-up", reason="moved"
    )
    stopped = randomised("NL-UTR-007", [])  # stopped the programme only: still tracks
    trial_services.withdraw(
        coordinator, stopped, withdrawn_on=dt.date(2024, 4, 10), kind="intervention", reason="x"
    )
    randomised("DE-HEI-001", [VALID_GOAL] * 14, centre="DE-HEI")
    enrol(coordinator, "NL-UTR-008")  # not randomised


def _by_id(user: User) -> dict[str, object]:
    return {line.study_id: line for line in centre_overview(user, NOW).lines}


def test_flags_follow_the_two_week_rules(trial: None, coordinator: User) -> None:
    lines = _by_id(coordinator)
    assert sorted(lines) == ["NL-UTR-001", "NL-UTR-002", "NL-UTR-003", "NL-UTR-004", "NL-UTR-007"]
    expected = {
        # study ID: (status, low wear, low activity, valid days, goal days, reason)
        "NL-UTR-001": ("flagged", True, False, 5, 5, "valid wear on 5 of 14 days"),
        "NL-UTR-002": ("flagged", False, True, 10, 3, "goal met on 3 of 10 valid days"),
        "NL-UTR-003": ("on track", False, False, 12, 10, None),
        "NL-UTR-007": ("flagged", True, False, 0, 0, "valid wear on 0 of 14 days"),
    }
    for study_id, (status, wear, activity, valid, goal, reason) in expected.items():
        line = lines[study_id]
        assert (
            line.status,
            line.low_wear,
            line.low_activity,
            line.valid_days,
            line.goal_days,
            line.reason,
        ) == (status, wear, activity, valid, goal, reason), study_id
        assert (line.window_start, line.window_end) == (WINDOW_START, dt.date(2024, 5, 1))


def test_the_first_two_weeks_are_not_flagged(trial: None, coordinator: User) -> None:
    line = _by_id(coordinator)["NL-UTR-004"]
    assert (line.status, line.low_wear, line.low_activity) == ("first two weeks", False, False)
    assert line.reason == "randomised on 25 Apr; flags from 09 May"


def test_flagged_participants_come_first_with_counts(trial: None, coordinator: User) -> None:
    overview = centre_overview(coordinator, NOW)
    assert [line.study_id for line in overview.lines] == [
        "NL-UTR-001",
        "NL-UTR-007",
        "NL-UTR-002",
        "NL-UTR-004",
        "NL-UTR-003",
    ]
    assert overview.counts == {
        "tracking": 5,
        "flagged": 3,
        "low_wear": 2,
        "low_activity": 1,
        "first_two_weeks": 1,
    }
    assert overview.lines[0].last_data == dt.date(2024, 5, 1)


def test_staff_see_their_centres_and_trial_wide_roles_all(
    trial: None, other_coordinator: User, statistician: User
) -> None:
    assert sorted(_by_id(other_coordinator)) == ["DE-HEI-001"]
    assert len(_by_id(statistician)) == 6
    assert [
        line.study_id for line in centre_overview(statistician, NOW, centre="DE-HEI").lines
    ] == ["DE-HEI-001"]


def test_patients_have_no_overview(
    enrol: Callable[..., Participant], coordinator: User, make_patient
) -> None:
    patient = make_patient(enrol(coordinator, "NL-UTR-001"))
    with pytest.raises(AccessDenied):
        centre_overview(patient, NOW)

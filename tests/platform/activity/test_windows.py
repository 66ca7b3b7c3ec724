"""Per-visit-window summaries for statisticians, scoped and pseudonymised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import User
from exonc.platform.activity.windows import COLUMNS, window_summaries
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import add_days, allocate

pytestmark = pytest.mark.django_db

#: Randomised on 31 January 2024: the 3-month boundary is 30 April (calendar months).
RANDOMISED = dt.date(2024, 1, 31)


@pytest.fixture
def trial(enrol: Callable[..., Participant], coordinator: User, other_coordinator: User) -> None:
    first = enrol(coordinator, "NL-UTR-001")
    allocate(first, "exercise", RANDOMISED, coordinator)
    add_days(first, dt.date(2024, 1, 26), [(700, 40)] * 5, coordinator)  # baseline
    # 28, 29 April in months 0-3; 30 April and 1 May in months 3-6
    add_days(first, dt.date(2024, 4, 28), [(700, 10), (300, 50), (700, 40), (700, 20)], coordinator)
    other = enrol(other_coordinator, "DE-HEI-001", centre="DE-HEI")
    allocate(other, "control", dt.date(2024, 2, 1), other_coordinator)
    enrol(coordinator, "NL-UTR-002")  # not randomised: no windows


def _rows(user: User) -> dict[tuple[str, str], dict[str, object]]:
    return {(r["participant_id"], r["window"]): r for r in window_summaries(user).rows}


def test_each_window_counts_its_days_by_hand(trial: None, coordinator: User) -> None:
    rows = _rows(coordinator)
    assert sorted(rows) == [
        ("NL-UTR-001", w) for w in sorted(["baseline", "0-3 months", "3-6 months", "6-9 months"])
    ]
    expected = {
        # window: (start, end (excluded), days, valid, goal, adherence, active mean over valid days)
        "baseline": (dt.date(2024, 1, 17), RANDOMISED, 5, 5, 5, 1.0, 40.0),
        "0-3 months": (RANDOMISED, dt.date(2024, 4, 30), 2, 1, 0, 0.0, 10.0),
        "3-6 months": (dt.date(2024, 4, 30), dt.date(2024, 7, 31), 2, 2, 1, 0.5, 30.0),
        "6-9 months": (dt.date(2024, 7, 31), dt.date(2024, 10, 31), 0, 0, 0, None, None),
    }
    for window, values in expected.items():
        row = rows[("NL-UTR-001", window)]
        assert (
            row["window_start"],
            row["window_end"],
            row["days_recorded"],
            row["valid_days"],
            row["goal_days"],
            row["adherence"],
            row["active_minutes_mean"],
        ) == values, window
        assert (row["centre"], row["arm"], row["randomisation_date"]) == (
            "NL-UTR",
            "exercise",
            RANDOMISED,
        )


def test_statisticians_get_every_centre_and_study_ids_only(trial: None, statistician: User) -> None:
    export = window_summaries(statistician)
    assert export.columns == list(COLUMNS)
    assert sorted({r["participant_id"] for r in export.rows}) == ["DE-HEI-001", "NL-UTR-001"]
    assert len(export.rows) == 8
    lines = export.csv_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith(
        "DE-HEI-001,DE-HEI,control,2024-02-01,baseline,2024-01-18,2024-02-01,0,0,0,,"
    )


@pytest.mark.parametrize("who", ["physio", "clinician"])
def test_site_staff_other_than_coordinators_do_not_export(
    request: pytest.FixtureRequest, trial: None, who: str
) -> None:
    with pytest.raises(AccessDenied):
        window_summaries(request.getfixturevalue(who))

"""The two-week low-wear / low-activity flags of the centre overview."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.trackers import FlagRule, activity_flags
from tests.trackers.test_summaries import _daily

AS_OF = dt.date(2024, 2, 14)  # the window is 1-14 February


def _days(
    participant: str, valid: int, goal: int, *, start: int = 1
) -> list[tuple[str, dt.date, int, int, bool, bool]]:
    rows = []
    for day in range(start, 15):
        is_valid = day - start < valid
        rows.append(
            (
                participant,
                dt.date(2024, 2, day),
                700 if is_valid else 100,
                40,
                is_valid,
                day - start < goal,
            )
        )
    return rows


def test_flags_per_participant() -> None:
    daily = _daily(
        _days("ok", valid=14, goal=10)
        + _days("rarely worn", valid=7, goal=7)
        + _days("inactive", valid=12, goal=5)
        + [("old", dt.date(2024, 1, 20), 700, 40, True, True)]  # only data before the window
    )
    flags = activity_flags(daily, AS_OF, participants=["no data"]).sort("participant_id")
    by_id = {row["participant_id"]: row for row in flags.iter_rows(named=True)}
    assert by_id["ok"]["flagged"] is False
    assert (by_id["rarely worn"]["low_wear"], by_id["rarely worn"]["low_activity"]) == (True, False)
    assert by_id["rarely worn"]["reason"] == "valid wear on 7 of 14 days"
    assert (by_id["inactive"]["low_wear"], by_id["inactive"]["low_activity"]) == (False, True)
    assert by_id["inactive"]["reason"] == "goal met on 5 of 12 valid days"
    assert by_id["old"]["low_wear"] is True
    assert by_id["old"]["valid_days"] == 0
    assert by_id["no data"]["flagged"] is True
    assert flags["window_start"].unique().to_list() == [dt.date(2024, 2, 1)]


def test_thresholds_are_configurable() -> None:
    daily = _daily(_days("P1", valid=7, goal=7))
    assert activity_flags(daily, AS_OF, rule=FlagRule(min_valid_days=7))["flagged"].to_list() == [
        False
    ]


def test_flag_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        FlagRule(days=0)
    with pytest.raises(ValueError, match="min_valid_days"):
        FlagRule(min_valid_days=15)
    with pytest.raises(ValueError, match="between 0 and 1"):
        FlagRule(min_adherence=1.5)

"""Session plans: watts and loads computed by hand for the PREFERABLE programme.

Baseline (``factories``): CPET Wpeak 160 W, SRT MSEC 250 W; h1RM (Brzycki) leg press
60 × 8 → 74.4971 kg, leg curl 20 × 10 → 26.6738 kg, leg extension 25 × 10 → 33.3422 kg,
seated row and lat pulldown 30 × 8 → 37.2486 kg; chest press 25 × 10 (Epley) → 33.3333 kg.
Equipment: 2.5 kg steps, 5 W ergometer steps, halves round up.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import (
    CardiopulmonaryTest,
    Equipment,
    ItemStatus,
    PlannedIntervals,
    PlannedSegment,
    SessionPlan,
    Setting,
    SteepRampTest,
    SymptomFlag,
    SymptomKind,
    load_programme,
    plan_session,
    prescribe,
    revise,
)
from tests.exercise.factories import ctx, state, week_day

P = load_programme("preferable-effect")


def _plan(
    week: int,
    *,
    equipment: Equipment | None = None,
    setting: Setting = Setting.SUPERVISED,
    **kwargs: Any,
) -> SessionPlan:
    s = state(**kwargs)
    rx = prescribe(s, s.start_date)
    return plan_session(P, rx, s, week_day(week, 1), equipment=equipment, setting=setting)


def _loads(plan: SessionPlan) -> dict[str, float | None]:
    return {r.exercise: r.load_kg for r in plan.resistance}


def test_week_1_loads_are_70_percent_of_h1rm_rounded_to_2_5_kg() -> None:
    plan = _plan(1)
    assert (plan.week, plan.phase, plan.scheme) == (1, "mict", "10-12 reps at 70-75 % h1RM")
    assert _loads(plan) == {
        "leg_press": 52.5,  # 0.70 × 74.4971 = 52.148
        "leg_curl": 17.5,  # 0.70 × 26.6738 = 18.672 → 7.47 steps → 7
        "leg_extension": 22.5,  # 0.70 × 33.3422 = 23.340
        "chest_press": 22.5,  # 0.70 × 33.3333 = 23.333
        "seated_row": 25.0,  # 0.70 × 37.2486 = 26.074 → 10.43 steps → 10
        "lat_pulldown": 25.0,
    }
    press = plan.resistance[0]
    assert (press.sets, press.reps, press.percent_h1rm) == (3, (10, 12), (70.0, 75.0))
    assert press.volume_load_kg == pytest.approx(3 * 10 * 52.5)


def test_month_2_switches_to_6_to_8_reps_at_80_percent() -> None:
    plan = _plan(5)
    assert plan.scheme == "6-8 reps at 80-85 % h1RM"
    loads = _loads(plan)
    assert loads["leg_press"] == 60.0  # 0.80 × 74.4971 = 59.598 → 23.84 steps → 24
    assert loads["chest_press"] == 27.5  # 0.80 × 33.3333 = 26.667 → 10.67 steps → 11


def test_loads_use_the_centres_machine_steps() -> None:
    equipment = Equipment(increments_kg={"leg_press": 5.0}, minimum_kg={"leg_press": 10.0})
    assert _loads(_plan(1, equipment=equipment))["leg_press"] == 50.0  # 52.148 / 5 = 10.43 → 10


def test_mict_weeks_give_a_watt_range_of_50_to_60_percent_wpeak() -> None:
    aerobic = _plan(2).aerobic
    assert isinstance(aerobic.main, PlannedSegment)
    assert aerobic.main == PlannedSegment(900, (80.0, 95.0))  # 0.5 × 160 = 80; 0.6 × 160 = 96 → 95
    assert aerobic.warm_up is None
    assert aerobic.work_kj == pytest.approx(72.0)  # 900 s × 80 W


@pytest.mark.parametrize(
    ("week", "expected", "work_kj"),
    [
        (4, PlannedIntervals(8, 60, (160.0, 160.0), 60, (30.0, 30.0)), 76.8),  # 100 % of 160 W
        (
            15,
            PlannedIntervals(3, 180, (110.0, 110.0), 120, (30.0, 30.0)),
            59.4,
        ),  # 0.7 × 160 = 112 → 110
        (
            26,
            PlannedIntervals(8, 30, (165.0, 165.0), 60, (75.0, 75.0)),
            39.6,
        ),  # 0.65 × 250 = 162.5 → 165
    ],
)
def test_interval_watts(week: int, expected: PlannedIntervals, work_kj: float) -> None:
    aerobic = _plan(week).aerobic
    assert aerobic.main == expected
    assert aerobic.warm_up == PlannedSegment(180, (30.0, 30.0))
    assert aerobic.cool_down == PlannedSegment(180, None)
    assert aerobic.work_kj == pytest.approx(work_kj)


def test_repeated_tests_recompute_the_watts() -> None:
    later = week_day(14, 0)
    tests = (SteepRampTest(ctx(), 250.0), CardiopulmonaryTest(ctx(), 160.0))
    tests += (CardiopulmonaryTest(ctx(later), 180.0),)
    s = state(tests=tests)
    rx = revise(prescribe(s, s.start_date), s, later)
    plan = plan_session(P, rx, s, week_day(15, 1))
    assert isinstance(plan.aerobic.main, PlannedIntervals)
    assert plan.aerobic.main.work_watts == (125.0, 125.0)  # 0.7 × 180 = 126
    assert plan.prescription_version == 2


def test_missing_tests_leave_watts_and_loads_open_with_a_note() -> None:
    plan = _plan(4, tests=(SteepRampTest(ctx(), 250.0),))
    assert isinstance(plan.aerobic.main, PlannedIntervals)
    assert plan.aerobic.main.work_watts is None
    assert any("no Wpeak on record" in n for n in plan.aerobic.notes)
    press = plan.resistance[0]
    assert press.load_kg is None
    assert "no h1RM test on record" in press.notes[0]
    late = _plan(26, tests=(CardiopulmonaryTest(ctx(), 160.0),))
    assert any("no Steep Ramp Test on record" in n for n in late.aerobic.notes)


def test_an_open_flag_is_shown_on_the_plan() -> None:
    flag = SymptomFlag(SymptomKind.DIZZINESS, week_day(2, 0))
    plan = _plan(2, flags=(flag,))
    assert "open symptom flag: dizziness since 2024-01-15 — progression held" in plan.warnings[0]


def test_home_sessions_exist_only_from_week_27() -> None:
    assert _plan(27, setting=Setting.HOME).setting is Setting.HOME
    with pytest.raises(ExerciseInputError, match="no home sessions in week 5"):
        _plan(5, setting=Setting.HOME)


@pytest.mark.parametrize("day", [dt.date(2024, 1, 7), week_day(37, 0)])
def test_a_date_outside_the_programme_is_refused(day: dt.date) -> None:
    s = state()
    with pytest.raises(ExerciseInputError, match="runs for weeks 1–36"):
        plan_session(P, prescribe(s, s.start_date), s, day)


def test_a_prescription_version_from_after_the_date_is_refused() -> None:
    s = state()
    with pytest.raises(ExerciseInputError, match="takes effect after the date"):
        plan_session(P, prescribe(s, week_day(3)), s, week_day(2))


def test_the_plan_has_a_table_and_a_json_twin() -> None:
    plan = _plan(4)
    table = plan.summary()
    assert list(table["exercise"]) == [
        "cycle_ergometer",
        "leg_press",
        "leg_curl",
        "leg_extension",
        "chest_press",
        "seated_row",
        "lat_pulldown",
        "balance_training",
    ]
    assert table.loc[0, "watts"] == "160 W / rest 30 W"
    assert table.loc[0, "dose"] == "warm-up 3 min, 8 × 1 min / 1 min rest, cool-down 3 min"
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["date"] == "2024-01-30"
    assert data["resistance"][0]["status"] == ItemStatus.PRESCRIBED.value
    assert data["resistance"][0]["volume_load_kg"] == pytest.approx(3 * 10 * 52.5)

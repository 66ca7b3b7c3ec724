"""Prescription versions: initial, revised on retest, progressed by the rule, held by a flag.

Hand calculations use the baseline tests of ``factories.baseline_tests``: leg press 60 kg × 8
(Brzycki h1RM = 60 / 0.8054 = 74.4971 kg), equipment steps of 2.5 kg.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from exonc.exercise import (
    Attendance,
    DeliveredResistance,
    DeliveredSet,
    Equipment,
    MultipleRMTest,
    SessionLog,
    Setting,
    SteepRampTest,
    SymptomFlag,
    SymptomKind,
    load_programme,
    prescribe,
    prescription_history,
    progress,
    revise,
)
from tests.exercise.factories import baseline_tests, ctx, state, week_day

P = load_programme("preferable-effect")
EQUIPMENT = Equipment()


def _log(day: dt.date, reps: list[int], load: float, rpe: float | None = 7.0) -> SessionLog:
    press = DeliveredResistance("leg_press", tuple(DeliveredSet(r, load) for r in reps), rpe=rpe)
    return SessionLog("P001", day, Setting.SUPERVISED, Attendance.ATTENDED, resistance=(press,))


def test_the_initial_prescription_uses_the_baseline_tests() -> None:
    s = state()
    rx = prescribe(s, s.start_date)
    assert (rx.version, rx.effective) == (1, s.start_date)
    assert rx.aerobic.wpeak_w == 160.0
    assert rx.aerobic.msec_w == 250.0
    basis = rx.basis("leg_press")
    assert basis is not None
    assert basis.h1rm_kg == pytest.approx(74.4971, abs=1e-3)
    assert basis.steps == 0
    assert rx.basis("biceps_curl") is None


def test_repeated_tests_make_a_new_version_with_the_reason() -> None:
    retest_day = week_day(12)
    retest = (
        MultipleRMTest(ctx(retest_day), "leg_press", 70.0, 8),
        SteepRampTest(ctx(retest_day), 270.0),
    )
    s = state(tests=baseline_tests() + retest)
    first = prescribe(s, s.start_date)
    assert revise(first, s, week_day(11)) is first  # nothing new before the retest
    second = revise(first, s, retest_day)
    assert (second.version, second.effective) == (2, retest_day)
    assert "MSEC 250 W → 270 W" in second.reason
    # 70 / (1.0278 − 0.2224) = 86.9133
    assert "leg_press h1RM 74.5 kg → 86.9 kg (test of 2024-03-25)" in second.reason
    assert second.basis("leg_press").h1rm_kg == pytest.approx(86.9133, abs=1e-3)  # type: ignore[union-attr]
    assert second.basis("chest_press") == first.basis("chest_press")


def test_progression_adds_one_step_when_every_set_reaches_the_top_at_rpe_7() -> None:
    day = week_day(1, 2)
    # week 1: 10–12 reps at 70 % of 74.4971 = 52.148 → 52.5 kg
    s = state(sessions=(_log(day, [12, 12, 12], 52.5, rpe=7.0),))
    decision = progress(prescribe(s, s.start_date), s, P, EQUIPMENT, day)
    assert decision.progressed == ("leg_press",)
    rx = decision.prescription
    assert (rx.version, rx.effective) == (2, day + dt.timedelta(days=1))
    assert rx.basis("leg_press").steps == 1  # type: ignore[union-attr]
    assert "leg_press" in rx.reason
    assert "RPE ≤ 7" in rx.reason


@pytest.mark.parametrize(
    ("reps", "load", "rpe"),
    [
        ([12, 12, 11], 52.5, 6.0),  # one set short of the top of the range
        ([12, 12, 12], 52.5, 8.0),  # too hard
        ([12, 12, 12], 52.5, None),  # RPE not recorded
        ([12, 12, 12], 50.0, 6.0),  # below the prescribed load
        ([12, 12], 52.5, 6.0),  # two sets of three
    ],
)
def test_no_progression_unless_the_rule_is_met(
    reps: list[int], load: float, rpe: float | None
) -> None:
    day = week_day(1, 2)
    s = state(sessions=(_log(day, reps, load, rpe),))
    first = prescribe(s, s.start_date)
    decision = progress(first, s, P, EQUIPMENT, day)
    assert decision.prescription is first
    assert decision.progressed == ()


def test_progression_is_held_while_a_symptom_flag_is_open() -> None:
    day = week_day(1, 2)
    flag = SymptomFlag(SymptomKind.BONE_PAIN, week_day(1, 0))
    s = state(sessions=(_log(day, [12, 12, 12], 52.5),), flags=(flag,))
    first = prescribe(s, s.start_date)
    decision = progress(first, s, P, EQUIPMENT, day)
    assert decision.prescription is first
    assert decision.held_by == (flag,)
    closed = dataclasses.replace(flag, closed=week_day(1, 1))
    s2 = state(sessions=(_log(day, [12, 12, 12], 52.5),), flags=(closed,))
    assert progress(first, s2, P, EQUIPMENT, day).progressed == ("leg_press",)


def test_two_consecutive_sessions_when_the_rule_asks_for_two() -> None:
    programme = dataclasses.replace(
        P, progression=dataclasses.replace(P.progression, sessions_required=2)
    )
    d1, d2 = week_day(1, 0), week_day(1, 3)
    one = state(sessions=(_log(d1, [12, 12, 12], 52.5),))
    assert progress(prescribe(one, one.start_date), one, programme, EQUIPMENT, d1).progressed == ()
    two = state(sessions=(_log(d1, [12, 12, 12], 52.5), _log(d2, [12, 12, 12], 52.5)))
    assert progress(prescribe(two, two.start_date), two, programme, EQUIPMENT, d2).progressed == (
        "leg_press",
    )
    broken = state(sessions=(_log(d1, [12, 12, 12], 52.5), _log(d2, [12, 11, 10], 52.5)))
    assert (
        progress(prescribe(broken, broken.start_date), broken, programme, EQUIPMENT, d2).progressed
        == ()
    )


def test_history_replays_progression_and_retests_and_a_retest_resets_the_steps() -> None:
    d1 = week_day(1, 0)
    # version 2 from d1 + 1: 52.148 + 2.5 = 54.648 → 55.0 kg; all sets at the top again
    d2 = week_day(1, 3)
    retest_day = week_day(3, 0)
    s = state(
        tests=(*baseline_tests(), MultipleRMTest(ctx(retest_day), "leg_press", 70.0, 8)),
        sessions=(_log(d1, [12, 12, 12], 52.5), _log(d2, [12, 12, 12], 55.0)),
    )
    versions = prescription_history(s, P, EQUIPMENT, week_day(4))
    assert [v.version for v in versions] == [1, 2, 3, 4]
    assert [v.basis("leg_press").steps for v in versions] == [0, 1, 2, 0]  # type: ignore[union-attr]
    assert versions[3].reason.startswith("tests repeated: leg_press h1RM")
    assert versions[3].effective == retest_day

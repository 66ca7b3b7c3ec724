"""Frozen plans: the fast serialiser writes exactly ``SessionPlan.to_dict()``, and reading
it back gives the same plan (so adherence sees the plan the physiotherapist saw)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc import exercise as ex
from exonc.platform.exercise.snapshots import plan_from_json, plan_json
from tests.exercise.factories import START, lesion, state, week_day

PROGRAMME = ex.load_programme("preferable-effect")
OVERRIDE = ex.Override("seated_row", "L2", "Dr C. de Vries", "stable", dt.date(2024, 1, 5))


def _plans() -> list[ex.SessionPlan]:
    registers = [
        (),
        (lesion(ex.Site.PELVIS),),
        (
            lesion(ex.Site.THORACIC_SPINE, "L2"),
            lesion(
                ex.Site.PROXIMAL_FEMUR,
                "L3",
                lesion_type=ex.LesionType.LYTIC,
                mirels=ex.MirelsComponents(
                    ex.MirelsSite.PERITROCHANTERIC,
                    ex.MirelsSize.OVER_TWO_THIRDS,
                    ex.MirelsPain.FUNCTIONAL,
                ),
            ),
        ),
    ]
    plans = []
    for lesions in registers:
        overrides = (OVERRIDE,) if any(x.id == "L2" for x in lesions) else ()
        person = state(lesions=lesions, overrides=overrides)
        current = ex.prescribe(person, START)
        for week in (1, 5, 20, 30):
            plans.append(ex.plan_session(PROGRAMME, current, person, week_day(week, 1)))
        plans.append(
            ex.plan_session(PROGRAMME, current, person, week_day(30, 3), setting=ex.Setting.HOME)
        )
    return plans


@pytest.mark.parametrize(
    "plan", _plans(), ids=lambda p: f"week{p.week}-{p.setting}-{len(p.restrictions)}"
)
def test_fast_json_is_to_dict_and_reads_back(plan: ex.SessionPlan) -> None:
    assert plan_json(plan) == plan.to_dict()
    assert plan_from_json(plan_json(plan)) == plan


@settings(max_examples=40, deadline=None)
@given(
    week=st.integers(1, 36), msec=st.floats(80, 600), wpeak=st.one_of(st.none(), st.floats(40, 400))
)
def test_any_week_round_trips(week: int, msec: float, wpeak: float | None) -> None:
    tests: list[ex.FitnessTest] = [ex.SteepRampTest(ex.TestContext(START, "x"), msec)]
    if wpeak is not None:
        tests.append(ex.CardiopulmonaryTest(ex.TestContext(START, "x"), wpeak))
    person = state(tests=tuple(tests))
    plan = ex.plan_session(PROGRAMME, ex.prescribe(person, START), person, week_day(week, 1))
    assert plan_json(plan) == plan.to_dict()
    assert plan_from_json(plan_json(plan)) == plan

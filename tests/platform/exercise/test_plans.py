"""The logging form: prefilled from the plan, read back into a session entry."""

from __future__ import annotations

import datetime as dt

from django.http import QueryDict

from exonc import exercise as ex
from exonc.platform.exercise.plans import entry_from_form, prefill
from tests.exercise.factories import START, lesion, state, week_day

PROGRAMME = ex.load_programme("preferable-effect")
DAY = dt.date(2024, 5, 2)


def _form(text: str) -> QueryDict:
    return QueryDict(text)


def test_prefill_follows_the_plan_and_leaves_out_omitted_items() -> None:
    person = state(lesions=(lesion(ex.Site.PELVIS),))
    plan = ex.plan_session(PROGRAMME, ex.prescribe(person, START), person, week_day(2, 1))
    items = {i.exercise: i for i in prefill(plan)}
    assert "leg_press" not in items  # substituted by the seated calf raise
    calf = items["seated_calf_raise"]
    assert (calf.status, calf.sets, calf.reps, calf.load_kg) == ("substituted", 3, 10, None)
    aerobic = items["cycle_ergometer"]
    # Weeks 1-3: 15 min at 50-60 % of Wpeak 160 W → 80 W (lower bound, 5 W steps).
    assert (aerobic.bouts, aerobic.bout_seconds, aerobic.watts) == (1, 900, 80.0)


def test_entry_from_form_reads_sets_skips_and_check_in() -> None:
    form = _form(
        "attendance=attended&checkin_fever=on&checkin_note=37.9"
        "&r0_exercise=leg_press&r0_load=52.5&r0_set1=12&r0_set2=12&r0_set3=11&r0_rpe=7"
        "&r1_exercise=leg_curl&r1_load=17.5&r1_set1=10&r1_skipped=on"
        "&r2_exercise=seated_calf_raise&r2_load=&r2_set1=15&r2_set2=15&r2_set3="
        "&balance_exercise=balance_training&balance_minutes=10"
    )
    entry = entry_from_form(form, DAY, "supervised")
    assert [r.exercise for r in entry.resistance] == ["leg_press", "seated_calf_raise"]
    assert [s.reps for s in entry.resistance[0].sets] == [12, 12, 11]
    assert entry.resistance[0].rpe == 7
    assert [(s.reps, s.load_kg) for s in entry.resistance[1].sets] == [(15, 0), (15, 0)]
    assert entry.aerobic is None  # not on the form
    assert entry.balance is not None
    assert entry.balance.minutes == 10
    assert entry.check_in is not None
    assert entry.check_in.raised() == (ex.SymptomKind.FEVER,)


def test_a_missed_session_keeps_no_items() -> None:
    form = _form(
        "attendance=missed&missed_reason=ill&r0_exercise=leg_press&r0_load=50&r0_set1=10"
        "&balance_exercise=balance_training&balance_minutes=10"
    )
    entry = entry_from_form(form, DAY, "supervised")
    assert (entry.attendance, entry.missed_reason) == (ex.Attendance.MISSED, "ill")
    assert entry.resistance == ()
    assert entry.balance is None

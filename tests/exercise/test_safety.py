"""Bone-metastasis safety: restrictions, hard stops, sign-offs, clearances and overrides.

The property tests check the safety rule itself: for any lesion register and any programme,
no plan prescribes an exercise that loads a restricted movement (or works a closed region)
without a recorded, active override — and never one under a hard stop. The oracle
(:func:`_forbidden`) restates the rule from the table and the thresholds independently of
:mod:`exonc.exercise.safety`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exonc.errors import ExerciseInputError, SafetyRuleViolation
from exonc.exercise import (
    Clearance,
    Component,
    ExerciseDefinition,
    ItemStatus,
    Laterality,
    Lesion,
    LesionType,
    MirelsComponents,
    MirelsPain,
    MirelsSite,
    MirelsSize,
    Movement,
    Override,
    Programme,
    Region,
    RestrictionKind,
    SessionPlan,
    SinsAlignment,
    SinsCollapse,
    SinsComponents,
    SinsPain,
    SinsPosterolateral,
    Site,
    assess_lesions,
    default_safety_rules,
    load_programme,
    plan_session,
    prescribe,
    validate_override,
)
from exonc.exercise.lesions import LONG_BONE_SITES, SPINAL_SITES
from tests.exercise.factories import lesion, state, week_day

RULES = default_safety_rules()
PREFERABLE = load_programme("preferable-effect")
DAY = week_day(6, 0)
IMAGED = dt.date(2023, 12, 1)

MIRELS_9 = MirelsComponents(
    MirelsSite.PERITROCHANTERIC, MirelsSize.ONE_TO_TWO_THIRDS, MirelsPain.MILD
)
# peritrochanteric 3 + 1/3–2/3 2 + lytic 3 + mild 1 = 9
MIRELS_8 = MirelsComponents(MirelsSite.LOWER_LIMB, MirelsSize.ONE_TO_TWO_THIRDS, MirelsPain.MILD)
# lower limb 2 + 1/3–2/3 2 + lytic 3 + mild 1 = 8
MIRELS_6 = MirelsComponents(MirelsSite.LOWER_LIMB, MirelsSize.UNDER_ONE_THIRD, MirelsPain.MILD)
# lower limb 2 + < 1/3 1 + lytic 3 + mild 1 = 7 (low)


def _plan(
    *lesions: Lesion, overrides: tuple[Override, ...] = (), day: dt.date = DAY
) -> SessionPlan:
    s = state(lesions=lesions, overrides=overrides)
    return plan_session(PREFERABLE, prescribe(s, s.start_date), s, day)


def _status(plan: SessionPlan) -> dict[str, tuple[str, str | None]]:
    found = {r.replaces or r.exercise: (r.status.value, r.exercise) for r in plan.resistance}
    found["aerobic"] = (plan.aerobic.status.value, plan.aerobic.exercise)
    if plan.balance:
        found["balance"] = (plan.balance.status.value, plan.balance.exercise)
    return found


def test_without_lesions_everything_is_prescribed() -> None:
    plan = _plan()
    assert {status for status, _ in _status(plan).values()} == {"prescribed"}
    assert plan.restrictions == ()


def test_pelvis_lesion_removes_loaded_hip_extension_and_keeps_knee_work() -> None:
    status = _status(_plan(lesion(Site.PELVIS)))
    assert status["leg_press"] == ("substituted", "seated_calf_raise")
    assert status["leg_curl"] == ("prescribed", "leg_curl")
    assert status["leg_extension"] == ("prescribed", "leg_extension")
    assert status["aerobic"] == ("prescribed", "cycle_ergometer")  # non-weight-bearing allowed
    assert status["balance"] == ("prescribed", "balance_training")  # weight bearing allowed


def test_thoracic_spine_lesion_removes_loaded_shoulder_work_and_keeps_elbow_work() -> None:
    sins = SinsComponents(
        "T7", SinsPain.PAIN_FREE, SinsAlignment.NORMAL, SinsCollapse.NONE, SinsPosterolateral.NONE
    )
    status = _status(_plan(lesion(Site.THORACIC_SPINE, sins=sins)))
    assert status["chest_press"] == ("substituted", "triceps_extension")
    assert status["seated_row"] == ("substituted", "biceps_curl")
    assert status["lat_pulldown"] == ("omitted", "lat_pulldown")  # its substitute is already used
    assert status["leg_press"] == ("prescribed", "leg_press")


def test_mirels_9_without_clearance_is_a_hard_stop_for_the_region() -> None:
    femur = lesion(Site.PROXIMAL_FEMUR, mirels=MIRELS_9, lesion_type=LesionType.LYTIC)
    plan = _plan(femur)
    status = _status(plan)
    assert status["aerobic"] == ("omitted", "cycle_ergometer")
    assert status["leg_curl"][0] == status["leg_extension"][0] == "omitted"
    assert status["leg_press"] == ("substituted", "seated_calf_raise")  # ankle: lower leg only
    assert status["balance"] == ("substituted", "seated_balance")
    assert status["chest_press"] == ("prescribed", "chest_press")
    kinds = {r.kind for r in plan.restrictions}
    assert kinds == {RestrictionKind.SITE_RULE.value, RestrictionKind.HARD_STOP.value}


def test_a_clearance_lifts_the_hard_stop_but_not_the_site_rule() -> None:
    femur = lesion(
        Site.PROXIMAL_FEMUR,
        mirels=MIRELS_9,
        lesion_type=LesionType.LYTIC,
        clearance=Clearance(
            "Dr A. Jansen (orthopaedics)", dt.date(2024, 1, 5), "fixed with a nail"
        ),
    )
    status = _status(_plan(femur))
    assert status["aerobic"] == ("prescribed", "cycle_ergometer")
    assert status["leg_curl"] == ("prescribed", "leg_curl")
    assert status["leg_press"] == ("substituted", "seated_calf_raise")  # hip extension still out
    assert status["balance"] == ("substituted", "seated_balance")  # weight bearing still out


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (
            lambda: lesion(Site.FEMORAL_SHAFT, mirels=MIRELS_8, lesion_type=LesionType.LYTIC),
            "Mirels 8 needs",
        ),
        (lambda: lesion(Site.FEMORAL_SHAFT), "no Mirels score recorded"),
        (lambda: lesion(Site.LUMBAR_SPINE), "no SINS score recorded"),
        (lambda: lesion(Site.STERNUM), "no site rule in the table"),
        (
            lambda: lesion(
                Site.LUMBAR_SPINE,
                sins=SinsComponents(
                    "L3",
                    SinsPain.MECHANICAL,
                    SinsAlignment.NORMAL,
                    SinsCollapse.NONE,
                    SinsPosterolateral.NONE,
                ),
                lesion_type=LesionType.LYTIC,
            ),
            "SINS 7 needs",  # mobile 2 + mechanical 3 + lytic 2 = 7
        ),
    ],
)
def test_sign_off_is_required_until_a_clinician_clears_the_lesion(
    make: object, reason: str
) -> None:
    found = assess_lesions([make()], RULES, DAY)  # type: ignore[operator]
    sign_off = [r for r in found if r.kind is RestrictionKind.SIGN_OFF]
    assert len(sign_off) == 1
    assert reason in sign_off[0].reason
    cleared = dataclasses.replace(make(), clearance=Clearance("Dr B", dt.date(2024, 1, 2)))  # type: ignore[operator]
    assert not [
        r for r in assess_lesions([cleared], RULES, DAY) if r.kind is RestrictionKind.SIGN_OFF
    ]


def test_a_low_mirels_lesion_at_a_ruled_site_keeps_only_its_site_rule() -> None:
    low = MirelsComponents(MirelsSite.LOWER_LIMB, MirelsSize.UNDER_ONE_THIRD, MirelsPain.MILD)
    found = assess_lesions(
        [lesion(Site.PROXIMAL_FEMUR, mirels=low, lesion_type=LesionType.LYTIC)], RULES, DAY
    )
    assert [r.kind for r in found] == [RestrictionKind.SITE_RULE]


def test_a_low_mirels_lesion_at_a_site_without_a_rule_still_needs_a_sign_off() -> None:
    # exonc's conservative reading: the table has no rule for the femoral shaft, so a
    # clinician must clear the lesion once before its region is loaded.
    found = assess_lesions(
        [lesion(Site.FEMORAL_SHAFT, mirels=MIRELS_6, lesion_type=LesionType.LYTIC)], RULES, DAY
    )
    assert [r.kind for r in found] == [RestrictionKind.SIGN_OFF]
    assert "no site rule in the table" in found[0].reason


def test_an_override_allows_one_exercise_for_one_lesion() -> None:
    override = Override(
        "leg_press",
        "L1",
        "Dr C. de Vries",
        "pelvic lesion is small and sclerotic",
        dt.date(2024, 1, 5),
    )
    plan = _plan(lesion(Site.PELVIS), overrides=(override,))
    press = next(r for r in plan.resistance if r.exercise == "leg_press")
    assert press.status is ItemStatus.OVERRIDDEN
    assert "allowed by override of Dr C. de Vries (2024-01-05)" in press.notes[0]
    assert "pelvic lesion is small and sclerotic" in press.notes[0]


def test_an_expired_or_future_override_does_not_apply() -> None:
    expired = Override(
        "leg_press", "L1", "Dr C", "trial period", dt.date(2024, 1, 5), dt.date(2024, 1, 31)
    )
    future = Override("leg_press", "L1", "Dr C", "from next month", dt.date(2024, 3, 1))
    for override in (expired, future):
        assert (
            _status(_plan(lesion(Site.PELVIS), overrides=(override,)))["leg_press"][0]
            == "substituted"
        )


def test_an_override_never_lifts_a_hard_stop() -> None:
    femur = lesion(Site.PROXIMAL_FEMUR, mirels=MIRELS_9, lesion_type=LesionType.LYTIC)
    override = Override("leg_curl", "L1", "Dr C", "patient insists", dt.date(2024, 1, 5))
    plan = _plan(femur, overrides=(override,))
    curl = next(r for r in plan.resistance if r.exercise == "leg_curl")
    assert curl.status is ItemStatus.OMITTED
    assert any("ignored: a hard stop is lifted only by a clearance" in n for n in curl.notes)
    with pytest.raises(SafetyRuleViolation, match="an override cannot lift a hard stop"):
        validate_override(override, [femur], RULES, DAY)


@pytest.mark.parametrize(
    ("clinician", "reason", "message"),
    [
        ("Dr C", "", "reason must not be empty"),
        ("", "small lesion", "clinician must not be empty"),
        ("Dr C", "   ", "reason must not be empty"),
    ],
)
def test_an_override_without_clinician_or_reason_is_refused(
    clinician: str, reason: str, message: str
) -> None:
    with pytest.raises(ExerciseInputError, match=message):
        Override("leg_press", "L1", clinician, reason, dt.date(2024, 1, 5))


def test_an_override_for_an_unknown_lesion_is_refused() -> None:
    override = Override("leg_press", "L9", "Dr C", "small lesion", dt.date(2024, 1, 5))
    with pytest.raises(ExerciseInputError, match=r"not in the register.*use one of L1"):
        validate_override(override, [lesion(Site.PELVIS)], RULES, DAY)
    with pytest.raises(ExerciseInputError, match="not in the register"):
        state(lesions=(lesion(Site.PELVIS),), overrides=(override,))


def test_a_lesion_imaged_after_the_session_date_is_not_yet_known() -> None:
    later = lesion(Site.PELVIS, imaging_date=DAY + dt.timedelta(days=1))
    assert assess_lesions([later], RULES, DAY) == ()


# ------------------------------------------------------------------ property tests

SITES = sorted(Site)
LEVELS = {
    Site.CERVICAL_SPINE: [f"C{n}" for n in range(1, 8)],
    Site.THORACIC_SPINE: [f"T{n}" for n in range(1, 13)],
    Site.LUMBAR_SPINE: [f"L{n}" for n in range(1, 6)],
    Site.SACRUM: [f"S{n}" for n in range(1, 6)],
}
UPPER = {Site.PROXIMAL_HUMERUS, Site.HUMERAL_SHAFT, Site.DISTAL_HUMERUS, Site.RADIUS_ULNA}


@st.composite
def lesions(draw: st.DrawFn, index: int, day: dt.date) -> Lesion:
    site = draw(st.sampled_from(SITES))
    mirels = sins = None
    if site in LONG_BONE_SITES and draw(st.booleans()):
        mirels_sites = [MirelsSite.UPPER_LIMB] if site in UPPER else [MirelsSite.LOWER_LIMB]
        if site is Site.PROXIMAL_FEMUR:
            mirels_sites.append(MirelsSite.PERITROCHANTERIC)
        mirels = MirelsComponents(
            draw(st.sampled_from(mirels_sites)),
            draw(st.sampled_from(list(MirelsSize))),
            draw(st.sampled_from(list(MirelsPain))),
        )
    if site in SPINAL_SITES and draw(st.booleans()):
        sins = SinsComponents(
            draw(st.sampled_from(LEVELS[site])),
            draw(st.sampled_from(list(SinsPain))),
            draw(st.sampled_from(list(SinsAlignment))),
            draw(st.sampled_from(list(SinsCollapse))),
            draw(st.sampled_from(list(SinsPosterolateral))),
        )
    imaged = day + dt.timedelta(days=draw(st.integers(-200, 10)))
    clearance = None
    if draw(st.booleans()):
        clearance = Clearance("Dr X", imaged + dt.timedelta(days=draw(st.integers(-30, 60))))
    return Lesion(
        f"L{index}",
        site,
        draw(st.sampled_from(list(Laterality))),
        draw(st.sampled_from(list(LesionType))),
        imaged,
        mirels,
        sins,
        clearance,
    )


@st.composite
def registers(draw: st.DrawFn, day: dt.date = DAY) -> tuple[Lesion, ...]:
    count = draw(st.integers(0, 4))
    return tuple(draw(lesions(i, day)) for i in range(1, count + 1))


MOVEMENTS = sorted(Movement)
REGIONS = sorted(Region)


@st.composite
def programmes(draw: st.DrawFn) -> Programme:
    """The PREFERABLE programme with a random exercise library (movements, regions, substitutes)."""
    names = [f"ex{i}" for i in range(draw(st.integers(1, 8)))]
    library: dict[str, ExerciseDefinition] = {}
    for name in names:
        library[name] = ExerciseDefinition(
            name,
            name,
            Component.RESISTANCE,
            draw(st.sampled_from(["leg_press", "chest_press", "cable"])),
            frozenset(draw(st.lists(st.sampled_from(MOVEMENTS), max_size=4))),
            frozenset(draw(st.lists(st.sampled_from(REGIONS), max_size=2))),
            tuple(draw(st.lists(st.sampled_from(names), max_size=3))),
        )
    for name, component in (
        ("bike", Component.AEROBIC),
        ("balance", Component.BALANCE),
        ("seated", Component.BALANCE),
    ):
        library[name] = ExerciseDefinition(
            name,
            name,
            component,
            "none",
            frozenset(draw(st.lists(st.sampled_from(MOVEMENTS), max_size=3))),
            frozenset(draw(st.lists(st.sampled_from(REGIONS), max_size=3))),
            ("seated",) if name == "balance" else (),
        )
    chosen = tuple(draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True)))
    return dataclasses.replace(
        PREFERABLE,
        exercises=library,
        aerobic=tuple(dataclasses.replace(p, exercise="bike") for p in PREFERABLE.aerobic),
        resistance=dataclasses.replace(PREFERABLE.resistance, exercises=chosen),
        balance=dataclasses.replace(PREFERABLE.balance, exercise="balance")
        if PREFERABLE.balance
        else None,
    )


@st.composite
def overrides_for(
    draw: st.DrawFn, register: tuple[Lesion, ...], programme: Programme, day: dt.date
) -> tuple[Override, ...]:
    """Overrides, mostly for the programme's own exercises and mostly active on *day*."""
    if not register:
        return ()
    likely = [*programme.resistance.exercises, "bike", "balance"]
    names = st.one_of(st.sampled_from(likely), st.sampled_from(sorted(programme.exercises)))
    found = []
    for _ in range(draw(st.integers(0, 6))):
        start = day + dt.timedelta(days=draw(st.integers(-60, 5)))
        until = draw(
            st.one_of(
                st.none(), st.integers(0, 60).map(lambda d, s=start: s + dt.timedelta(days=d))
            )
        )
        found.append(
            Override(
                draw(names),
                draw(st.sampled_from([lesion.id for lesion in register])),
                "Dr Y",
                "clinical judgement",
                start,
                until,
            )
        )
    return tuple(found)


def _forbidden(
    lesion: Lesion, on: dt.date
) -> list[tuple[frozenset[Movement], frozenset[Region], bool]]:
    """Oracle: (movements, regions, overridable) forbidden by one lesion on *on*."""
    if lesion.imaging_date > on:
        return []
    found = []
    rule = RULES.rules.get(lesion.site)
    if rule is not None:
        found.append((rule.restricted, frozenset(), True))
    clearance = lesion.clearance
    if clearance is not None and lesion.imaging_date <= clearance.date <= on:
        return found
    region = RULES.site_regions[lesion.site]
    closed = frozenset(m for m, regions in RULES.movement_regions.items() if region in regions)
    mirels, sins = lesion.mirels_score, lesion.sins_score
    if (mirels is not None and mirels >= 9) or (sins is not None and sins >= 13):
        found.append((closed, frozenset({region}), False))
    elif (
        (mirels is not None and mirels == 8)
        or (sins is not None and 7 <= sins <= 12)
        or (lesion.site in LONG_BONE_SITES and mirels is None)
        or (lesion.site in SPINAL_SITES and sins is None)
        or rule is None
    ):
        found.append((closed, frozenset({region}), True))
    return found


def _prescribed(plan: SessionPlan) -> list[tuple[str, str]]:
    items = [(plan.aerobic.exercise, plan.aerobic.status.value)]
    items += [(r.exercise, r.status.value) for r in plan.resistance]
    if plan.balance:
        items.append((plan.balance.exercise, plan.balance.status.value))
    return [(name, status) for name, status in items if status != "omitted"]


def _check_plan(data: st.DataObject, week: int) -> None:
    day = week_day(week, 2)
    programme = data.draw(programmes())
    register = data.draw(registers(day))
    overrides = data.draw(overrides_for(register, programme, day))
    s = state(lesions=register, overrides=overrides)
    plan = plan_session(programme, prescribe(s, s.start_date), s, day, rules=RULES)
    for name, _status_value in _prescribed(plan):
        exercise = programme.exercises[name]
        for lesion_ in register:
            for movements, regions, overridable in _forbidden(lesion_, day):
                if not (movements & exercise.movements or regions & exercise.regions):
                    continue
                assert overridable, f"{name} prescribed under a hard stop of {lesion_.id}"
                assert any(
                    o.exercise == name and o.lesion_id == lesion_.id and o.active_on(day)
                    for o in overrides
                ), f"{name} loads a movement restricted by {lesion_.id} without an override"


@settings(max_examples=60, deadline=None)
@given(data=st.data(), week=st.integers(1, 36))
def test_no_plan_loads_a_restricted_movement_without_an_override(
    data: st.DataObject, week: int
) -> None:
    _check_plan(data, week)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), week=st.integers(1, 36))
def test_no_plan_loads_a_restricted_movement_without_an_override_many_examples(
    data: st.DataObject, week: int
) -> None:
    _check_plan(data, week)


@settings(max_examples=60, deadline=None)
@given(register=registers())
def test_without_overrides_no_plan_item_hits_any_restriction(register: tuple[Lesion, ...]) -> None:
    s = state(lesions=register)
    plan = plan_session(PREFERABLE, prescribe(s, s.start_date), s, DAY, rules=RULES)
    for name, status in _prescribed(plan):
        exercise = PREFERABLE.exercises[name]
        assert status in ("prescribed", "substituted")
        for lesion_ in register:
            for movements, regions, _ in _forbidden(lesion_, DAY):
                assert not movements & exercise.movements
                assert not regions & exercise.regions

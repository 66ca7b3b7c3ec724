"""The synthetic exercise-delivery tables: valid for the engine, safe, and hidden by as_of."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from exonc.exercise import (
    AdverseEvent,
    AdverseEventOutcome,
    CardiopulmonaryTest,
    Clearance,
    HandgripTest,
    Laterality,
    Lesion,
    LesionType,
    MirelsComponents,
    MirelsPain,
    MirelsSite,
    MirelsSize,
    MultipleRMTest,
    Override,
    Relatedness,
    RestrictionKind,
    SinsAlignment,
    SinsCollapse,
    SinsComponents,
    SinsPain,
    SinsPosterolateral,
    Site,
    SteepRampTest,
    TestContext,
    assess_lesions,
    check_exercise,
    default_safety_rules,
    load_programme,
    validate_override,
)
from exonc.synthetic import SyntheticTrial, as_of, generate_trial


@pytest.fixture(scope="module")
def trial() -> SyntheticTrial:
    return generate_trial(participants_n=120)


def _lesion(row: pd.Series) -> Lesion:
    mirels = sins = clearance = None
    if row["mirels_site"]:
        mirels = MirelsComponents(
            MirelsSite(row["mirels_site"]),
            MirelsSize(row["mirels_size"]),
            MirelsPain(row["mirels_pain"]),
        )
    if row["sins_level"]:
        sins = SinsComponents(
            row["sins_level"],
            SinsPain(row["sins_pain"]),
            SinsAlignment(row["sins_alignment"]),
            SinsCollapse(row["sins_collapse"]),
            SinsPosterolateral(row["sins_posterolateral"]),
        )
    if row["cleared_by"]:
        clearance = Clearance(row["cleared_by"], row["cleared_on"], row["clearance_note"])
    return Lesion(
        row["lesion_id"],
        Site(row["site"]),
        Laterality(row["laterality"]),
        LesionType(row["lesion_type"]),
        row["imaging_date"],
        mirels,
        sins,
        clearance,
    )


def _registers(trial: SyntheticTrial) -> dict[str, list[Lesion]]:
    registers: dict[str, list[Lesion]] = {}
    for _, row in trial.tables["lesions"].iterrows():
        registers.setdefault(row["participant_id"], []).append(_lesion(row))
    return registers


def test_only_the_exercise_arm_has_programme_data(trial: SyntheticTrial) -> None:
    people = trial.tables["participants"].set_index("participant_id")
    exercise = set(people.index[people["arm"] == "exercise"])
    profiles = trial.tables["exercise_participants"]
    assert set(profiles["participant_id"]) == exercise
    for name in ("fitness_tests", "lesions", "symptom_flags", "adverse_events"):
        assert set(trial.tables[name]["participant_id"]) <= exercise, name
    with_lesions = set(trial.tables["lesions"]["participant_id"])
    assert with_lesions == {p for p in exercise if people.loc[p, "bone_metastases"] == 1}


def test_programme_starts_on_the_monday_of_session_week_one(trial: SyntheticTrial) -> None:
    starts = trial.tables["exercise_participants"].set_index("participant_id")["programme_start"]
    assert all(day.weekday() == 0 for day in starts)
    sessions = trial.tables["sessions"]
    week_one = sessions[sessions["week"] == 1]
    # Sessions are on Tuesdays and Thursdays of the week that starts on the Monday.
    offsets = {
        (day - starts[pid]).days
        for pid, day in zip(week_one["participant_id"], week_one["date"], strict=True)
    }
    assert offsets == {1, 3}


def test_every_fitness_test_is_a_valid_record(trial: SyntheticTrial) -> None:
    for _, row in trial.tables["fitness_tests"].iterrows():
        context = TestContext(row["date"], row["tester"], row["conditions"])
        if row["test"] == "steep_ramp":
            SteepRampTest(context, float(row["msec_w"]))
        elif row["test"] == "cpet":
            CardiopulmonaryTest(context, float(row["wpeak_w"]))
        elif row["test"] == "multiple_rm":
            # Brzycki is valid for 2-10 repetitions; the record refuses anything else.
            MultipleRMTest(context, row["exercise"], float(row["load_kg"]), int(row["reps"]))
        elif row["test"] == "handgrip":
            trials = tuple(float(t) for t in row["trials_kg"].split(";"))
            HandgripTest(context, row["side"], trials)
    occasions = trial.tables["fitness_tests"].groupby("participant_id")["occasion"].unique()
    assert {tuple(o) for o in occasions} <= {
        ("baseline",),
        ("baseline", "m3"),
        ("baseline", "m3", "m6"),
    }


def test_training_improves_the_steep_ramp_test(trial: SyntheticTrial) -> None:
    srt = trial.tables["fitness_tests"].query("test == 'steep_ramp'")
    means = srt.groupby("occasion")["msec_w"].mean()
    assert means["baseline"] < means["m3"] < means["m6"]


def test_no_machine_is_tested_where_the_lesion_register_forbids_it(trial: SyntheticTrial) -> None:
    programme = load_programme("preferable-effect")
    rules = default_safety_rules()
    registers = _registers(trial)
    overrides: dict[str, list[Override]] = {}
    for _, o in trial.tables["lesion_overrides"].iterrows():
        overrides.setdefault(o["participant_id"], []).append(
            Override(o["exercise"], o["lesion_id"], o["clinician"], o["reason"], o["date"])
        )
    tests = trial.tables["fitness_tests"].query("test in ['multiple_rm', 'steep_ramp']")
    for _, test in tests.iterrows():
        pid = test["participant_id"]
        restrictions = assess_lesions(registers.get(pid, []), rules, test["date"])
        machine = test["exercise"] if test["test"] == "multiple_rm" else "cycle_ergometer"
        check = check_exercise(
            programme.exercises[machine], restrictions, overrides.get(pid, []), test["date"]
        )
        assert check.allowed, (pid, machine)


def test_high_risk_lesions_are_cleared_and_overrides_are_valid(trial: SyntheticTrial) -> None:
    rules = default_safety_rules()
    registers = _registers(trial)
    for lesions in registers.values():
        for lesion in lesions:
            uncleared = Lesion(
                lesion.id,
                lesion.site,
                lesion.laterality,
                lesion.lesion_type,
                lesion.imaging_date,
                lesion.mirels,
                lesion.sins,
            )
            kinds = {r.kind for r in assess_lesions([uncleared], rules, lesion.imaging_date)}
            if RestrictionKind.HARD_STOP in kinds:
                assert lesion.clearance is not None
    for _, o in trial.tables["lesion_overrides"].iterrows():
        override = Override(o["exercise"], o["lesion_id"], o["clinician"], o["reason"], o["date"])
        validate_override(override, registers[o["participant_id"]], rules, o["date"])


def test_flags_open_at_attended_sessions_and_close_later(trial: SyntheticTrial) -> None:
    flags = trial.tables["symptom_flags"]
    sessions = trial.tables["sessions"]
    attended = set(
        zip(
            sessions.loc[sessions["attended"] == 1, "participant_id"],
            sessions.loc[sessions["attended"] == 1, "date"],
            strict=True,
        )
    )
    assert len(flags) > 0
    assert set(zip(flags["participant_id"], flags["date"], strict=True)) <= attended
    assert (flags["closed_on"] > flags["date"]).all()


def test_adverse_events_are_valid_and_two_are_serious_fractures(trial: SyntheticTrial) -> None:
    events = trial.tables["adverse_events"]
    for _, e in events.iterrows():
        AdverseEvent(
            e["participant_id"],
            e["onset"],
            e["description"],
            int(e["grade"]),
            bool(e["serious"]),
            Relatedness(e["relatedness"]),
            AdverseEventOutcome(e["outcome"]),
        )
    serious = events[events["serious"] == 1]
    # Hiensch et al., Nat Med 2024 (tests/reference/domain.md 3.4): two serious adverse events, both
    # fractures, neither related to bone metastases.
    assert len(serious) == 2
    assert set(serious["relatedness"]) == {"not_related"}


def test_as_of_hides_later_tests_and_keeps_later_closings_open(trial: SyntheticTrial) -> None:
    flags = trial.tables["symptom_flags"]
    day = flags["date"].iloc[0] + dt.timedelta(days=1)  # the first flag is open on this day
    seen = as_of(trial, day)
    assert (seen.tables["fitness_tests"]["date"] <= day).all()
    assert (seen.tables["adverse_events"]["onset"] <= day).all()
    kept = seen.tables["symptom_flags"]
    assert (kept["date"] <= day).all()
    assert kept["closed_on"].isna().iloc[0]
    assert not kept["closed_on"].dropna().gt(day).any()

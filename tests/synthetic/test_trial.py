"""The synthetic trial: determinism, published baseline characteristics, internal consistency."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from exonc.questionnaires import score
from exonc.synthetic import DEFAULT_SEED, SyntheticTrial, as_of, generate_trial


@pytest.fixture(scope="module")
def trial() -> SyntheticTrial:
    return generate_trial()


def _csv_bytes(trial: SyntheticTrial) -> dict[str, bytes]:
    return {name: frame.to_csv(index=False).encode() for name, frame in trial.tables.items()}


def test_same_seed_gives_the_same_bytes(trial: SyntheticTrial) -> None:
    assert _csv_bytes(generate_trial(seed=DEFAULT_SEED)) == _csv_bytes(trial)


def test_another_seed_gives_another_trial(trial: SyntheticTrial) -> None:
    other = generate_trial(seed=DEFAULT_SEED + 1, participants_n=40)
    assert not other.tables["qlq_c30"].head(40).equals(trial.tables["qlq_c30"].head(40))


def test_baseline_characteristics_match_the_published_trial(trial: SyntheticTrial) -> None:
    people = trial.tables["participants"]
    # Hiensch et al., Nat Med 2024 (tests/reference/domain.md 3.1): 357 randomised, mean age
    # 55.4 (SD 11.1),
    # 73.9 % with bone metastases; COSA 2024 abstract: 74.8 % on 1st/2nd line.
    assert len(people) == 357
    assert people["age"].mean() == pytest.approx(55.4, abs=0.1)  # whole years after matching
    assert people["age"].std() == pytest.approx(11.1, abs=0.15)
    assert people["bone_metastases"].sum() == round(0.739 * 357)  # 264
    assert (people["line_of_treatment"] == "1st/2nd").sum() == round(0.75 * 357)  # 268
    assert set(people["arm"]) == {"exercise", "control"}
    assert abs((people["arm"] == "exercise").sum() - 357 / 2) <= 8  # 1:1 blocks in 16 strata
    assert people["centre"].nunique() == 8
    assert people["country"].nunique() == 6
    assert (people["sex"] == "F").all()


def test_allocation_is_balanced_within_strata(trial: SyntheticTrial) -> None:
    people = trial.tables["participants"]
    counts = people.groupby(["centre", "line_of_treatment", "arm"]).size().unstack(fill_value=0)
    # permuted blocks of at most 6: never more than 3 apart within a stratum
    assert (counts["exercise"] - counts["control"]).abs().max() <= 3


def test_every_participant_has_four_scheduled_visits(trial: SyntheticTrial) -> None:
    visits = trial.tables["visits"]
    assert (visits.groupby("participant_id").size() == 4).all()
    baseline = visits[visits["visit"] == "baseline"]
    assert baseline["completed_on"].notna().all()


def test_dropout_is_monotone(trial: SyntheticTrial) -> None:
    visits = trial.tables["visits"]
    withdrawn = trial.tables["withdrawals"]
    left = withdrawn[withdrawn["kind"] != "intervention"]
    for row in left.itertuples():
        later = visits[
            (visits["participant_id"] == row.participant_id)
            & (visits["due_date"] > row.withdrawn_on)
        ]
        assert later["completed_on"].isna().all()


def test_questionnaires_only_at_completed_visits(trial: SyntheticTrial) -> None:
    done = trial.tables["visits"].dropna(subset=["completed_on"])
    for table in ("qlq_c30", "qlq_fa12", "eq5d5l", "hads"):
        answers = trial.tables[table]
        assert len(answers) == len(done)
        merged = answers.merge(done, on=["participant_id", "visit"], suffixes=("", "_visit"))
        assert (merged["completed_on"] == merged["completed_on_visit"]).all()


def test_answers_are_valid_for_the_scoring_engine(trial: SyntheticTrial) -> None:
    # exonc.questionnaires refuses out-of-range answers, so scoring is the validity check
    for table, instrument in [("qlq_c30", "qlq-c30"), ("qlq_fa12", "qlq-fa12"), ("hads", "hads")]:
        scored = score(instrument, trial.tables[table].drop(columns="completed_on"))
        assert len(scored) == len(trial.tables[table])
    utilities = score("eq-5d-5l", trial.tables["eq5d5l"].drop(columns="completed_on"), "NL")
    assert utilities["utility"].dropna().between(-0.446, 1).all()  # the Dutch value set's range


def test_baseline_pain_flag_is_the_scored_pain_scale(trial: SyntheticTrial) -> None:
    c30 = trial.tables["qlq_c30"]
    baseline = score("qlq-c30", c30[c30["visit"] == "baseline"].drop(columns="completed_on"))
    flags = baseline.merge(trial.tables["participants"], on="participant_id")
    assert ((flags["PA"].fillna(0) >= 25) == flags["baseline_pain"].astype(bool)).all()


def test_sessions_follow_the_programme_for_the_exercise_arm_only(trial: SyntheticTrial) -> None:
    sessions = trial.tables["sessions"]
    arms = trial.tables["participants"].set_index("participant_id")["arm"]
    assert set(arms[sessions["participant_id"].unique()]) == {"exercise"}
    assert sessions["week"].between(1, 36).all()
    home = sessions[sessions["kind"] == "home"]
    assert home["week"].min() == 27  # months 7-9: one supervised and one home session
    per_week = sessions[sessions["week"] <= 26].groupby(["participant_id", "week"]).size()
    assert per_week.max() == 2


def test_tracker_days_are_consistent(trial: SyntheticTrial) -> None:
    days = trial.tables["tracker_days"]
    parts = days[["sedentary_minutes", "light_minutes", "moderate_minutes", "vigorous_minutes"]]
    assert (parts.sum(axis=1) == days["wear_minutes"]).all()
    assert (days["active_minutes"] == days["moderate_minutes"] + days["vigorous_minutes"]).all()
    assert (days["goal_met"] <= days["valid_day"]).all()
    assert (days["wear_minutes"] <= 1440).all()
    by_arm = days.merge(trial.tables["participants"][["participant_id", "arm"]])
    means = by_arm.groupby("arm")["active_minutes"].mean()
    assert means["exercise"] > means["control"]


def test_truth_records_the_published_effects(trial: SyntheticTrial) -> None:
    # Nat Med 2024 Table 2: QLQ-C30 summary +3.9/+4.8/+4.3, FA12 physical fatigue -3.4/-5.3/-5.6
    assert trial.truth["C30_SUMMARY"] == pytest.approx([3.9, 4.8, 4.3], abs=1e-9)
    assert trial.truth["effects"]["PHYSICAL"] == [-3.4, -5.3, -5.6]


def test_as_of_hides_the_future(trial: SyntheticTrial) -> None:
    day = dt.date(2021, 6, 30)
    seen = as_of(trial, day)
    assert (seen.tables["participants"]["randomised_on"] <= day).all()
    assert len(seen.tables["participants"]) < 357
    done = seen.tables["visits"]["completed_on"].dropna()
    assert (done <= day).all()
    assert (pd.Series(seen.tables["sessions"]["date"]) <= day).all()
    assert (seen.tables["tracker_days"]["date"] <= day).all()
    assert len(seen.tables["qlq_c30"]) == len(done)


def test_too_few_participants_is_refused() -> None:
    with pytest.raises(Exception, match="at least 8 participants"):
        generate_trial(participants_n=3)


@pytest.mark.slow
def test_large_trial_recovers_the_built_in_effects() -> None:
    """With 6,000 participants the complete-case ANCOVA is within sampling error of the
    effects built in (the expected scored difference, see docs/concepts/synthetic.md)."""
    big = generate_trial(seed=5, participants_n=6000)
    c30 = score("qlq-c30", big.tables["qlq_c30"].drop(columns="completed_on"))
    arms = big.tables["participants"][["participant_id", "arm"]]
    for visit, truth in zip(["m3", "m6", "m9"], big.truth["C30_SUMMARY"], strict=True):
        base = c30[c30["visit"] == "baseline"][["participant_id", "C30_SUMMARY"]]
        data = (
            c30[c30["visit"] == visit][["participant_id", "C30_SUMMARY"]]
            .merge(base, on="participant_id", suffixes=("", "_0"))
            .merge(arms)
            .dropna()
        )
        design = np.column_stack(
            [np.ones(len(data)), data["arm"] == "exercise", data["C30_SUMMARY_0"]]
        ).astype(float)
        coef, *_ = np.linalg.lstsq(design, data["C30_SUMMARY"].to_numpy(float), rcond=None)
        residual = data["C30_SUMMARY"].to_numpy(float) - design @ coef
        se = np.sqrt(residual.var() * np.linalg.inv(design.T @ design)[1, 1])
        assert abs(coef[1] - truth) < 4 * se + 0.3, (visit, coef[1], truth, se)

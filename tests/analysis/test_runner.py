"""Running the preferable-effect plan on a small trial of scored outcomes (tests/analysis/trial)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from exonc.analysis.effect_size import pooled_sd
from exonc.analysis.plan import shipped_plan
from exonc.analysis.runner import PlanResult, analysis_table, run_plan
from exonc.errors import AnalysisInputError
from tests.analysis.trial import EFFECTS, small_trial

# fewer imputations than the shipped 20 keep the suite fast; the method is the same
PLAN = dataclasses.replace(shipped_plan("preferable-effect"), imputations=5)


@pytest.fixture(scope="module")
def trial() -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    return small_trial()


@pytest.fixture(scope="module")
def result(trial: tuple[pd.DataFrame, dict[str, pd.DataFrame]]) -> PlanResult:
    participants, scores = trial
    return run_plan(PLAN, participants, scores, rng=np.random.default_rng(PLAN.seed))


def test_the_built_in_effects_lie_in_the_confidence_intervals(result: PlanResult) -> None:
    truth = {"fa12_physical": EFFECTS["PHYSICAL"], "c30_summary": EFFECTS["C30_SUMMARY"]}
    primary = result.effects[result.effects["role"] == "primary"]
    assert len(primary) == 6
    for row in primary.itertuples():
        assert row.ci_lower < truth[row.outcome] < row.ci_upper
    assert result.converged


def test_co_primaries_are_holm_adjusted_at_six_months(result: PlanResult) -> None:
    family = result.effects[result.effects["p_adjusted"].notna()]
    assert list(family["outcome"]) == ["fa12_physical", "c30_summary"]
    assert set(family["visit"]) == {"m6"}
    low, high = sorted(family["p"])
    # Holm for two hypotheses: 2 × the smaller p, then max(that, the larger p)
    assert sorted(family["p_adjusted"]) == pytest.approx([2 * low, max(2 * low, high)])


def test_effect_size_uses_the_pooled_baseline_sd(
    result: PlanResult, trial: tuple[pd.DataFrame, dict[str, pd.DataFrame]]
) -> None:
    participants, scores = trial
    table = analysis_table(
        PLAN, participants.astype({"participant_id": str}), scores, PLAN.outcome("c30_summary")
    )
    first = table.dropna(subset=["change"]).drop_duplicates("participant_id")
    sd = pooled_sd({arm: rows["baseline"] for arm, rows in first.groupby("arm")})
    row = result.effects.query("outcome == 'c30_summary' and visit == 'm6'").iloc[0]
    assert row["effect_size"] == pytest.approx(row["estimate"] / sd)


def test_fa12_physical_is_labelled_provisional_everywhere(result: PlanResult) -> None:
    """docs/instruments/qlq-fa12.md: the subscale item map is not verified (issue 18)."""
    label = "QLQ-FA12 physical fatigue (provisional item map)"
    for table in (result.effects, result.sensitivity, result.summary()):
        assert label in set(table["label"])
        assert "QLQ-C30 summary score" in set(table["label"])  # verified scales: unchanged
    assert label in {row["label"] for row in result.to_dict()["effects"]}
    assert any(
        w.startswith("fa12_physical: EORTC QLQ-FA12 PHYSICAL, EMOTIONAL, COGNITIVE: provisional")
        for w in result.warnings
    )


def test_secondary_outcomes_cover_every_c30_scale(result: PlanResult) -> None:
    assert result.summary()["role"].value_counts().to_dict() == {"secondary": 15, "primary": 2}


def test_sensitivity_analyses(result: PlanResult) -> None:
    counts = result.sensitivity.groupby(["outcome", "analysis"]).size()
    assert counts.to_dict() == {
        (outcome, analysis): 3
        for outcome in ("c30_summary", "fa12_physical")
        for analysis in ("multiple imputation", "per protocol", "primary")
    }
    imputed = result.sensitivity.query(
        "analysis == 'multiple imputation' and outcome == 'c30_summary'"
    )
    assert (imputed["ci_lower"] < EFFECTS["C30_SUMMARY"]).all()
    assert (imputed["ci_upper"] > EFFECTS["C30_SUMMARY"]).all()


def test_effect_modification_tables(result: PlanResult) -> None:
    modifiers = ["age", "pain at baseline", "bone metastases", "line of treatment"]
    assert list(dict.fromkeys(result.subgroups["modifier"])) == modifiers
    age = result.subgroups.query("outcome == 'c30_summary' and modifier == 'age'")
    assert set(age["level"]) == {"< 50", ">= 50"}
    pain = result.subgroups.query("modifier == 'pain at baseline'")
    assert set(pain["level"]) == {"no pain", "pain"}
    assert len(result.interactions) == 2 * 4 * 4  # outcomes × modifiers × (3 visits + all)


def test_json_document(result: PlanResult) -> None:
    data = result.to_dict()
    assert data["plan"] == "preferable-effect"
    assert {"effects", "subgroups", "interactions", "sensitivity", "warnings", "converged"} <= set(
        data
    )


def test_missing_participant_column(trial: tuple[pd.DataFrame, dict[str, pd.DataFrame]]) -> None:
    participants, scores = trial
    with pytest.raises(AnalysisInputError, match="missing column centre"):
        run_plan(PLAN, participants.drop(columns="centre"), scores, rng=np.random.default_rng(0))


def test_unknown_participant_in_scores(trial: tuple[pd.DataFrame, dict[str, pd.DataFrame]]) -> None:
    participants, scores = trial
    with pytest.raises(AnalysisInputError, match="value 'P000': is not in the participants table"):
        run_plan(PLAN, participants.iloc[1:], scores, rng=np.random.default_rng(0))


# Hiensch et al., Nat Med 2024, Table 2 (tests/reference/domain.md §3.2): month-6
# differences and 95% CIs
PUBLISHED_MONTH_6 = {
    "c30_summary": (4.8, 2.2, 7.4),
    "fa12_physical": (-5.3, -10.0, -0.6),
}


@pytest.mark.slow
def test_preferable_effect_plan_recovers_the_published_effects_on_the_synthetic_trial() -> None:
    """The shipped plan, on the synthetic trial (exonc.synthetic, default seed) scored by
    exonc.questionnaires, finds month-6 effects inside the published 95% intervals."""
    from exonc.questionnaires import score
    from exonc.synthetic import generate_trial

    trial = generate_trial()
    scores = {
        "qlq-c30": score("qlq-c30", trial.tables["qlq_c30"]),
        "qlq-fa12": score("qlq-fa12", trial.tables["qlq_fa12"]),
    }
    plan = shipped_plan("preferable-effect")
    result = run_plan(
        plan, trial.tables["participants"], scores, rng=np.random.default_rng(plan.seed)
    )
    assert result.converged, result.warnings
    month_6 = result.effects[result.effects["visit"] == "m6"].set_index("outcome")
    for outcome, (_, lower, upper) in PUBLISHED_MONTH_6.items():
        assert lower < month_6.loc[outcome, "estimate"] < upper
    assert (month_6.loc[list(PUBLISHED_MONTH_6), "p_adjusted"] < 0.05).all()

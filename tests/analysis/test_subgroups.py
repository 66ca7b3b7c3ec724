"""Effect modification: subgroup contrasts and interaction tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis.subgroups import ALL_VISITS, effect_modification


@pytest.fixture(scope="module")
def complete_fev(fev_data: pd.DataFrame) -> pd.DataFrame:
    """Subjects of fev_data observed at all four visits."""
    counts = fev_data.dropna(subset=["FEV1"]).groupby("USUBJID")["FEV1"].size()
    return fev_data[fev_data["USUBJID"].isin(counts[counts == 4].index)]


def test_saturated_model_on_complete_data_gives_cell_mean_differences(
    complete_fev: pd.DataFrame,
) -> None:
    """With complete data and mean model arm * visit * sex, GLS equals the cell means, so each
    subgroup effect is a difference of raw means and the interaction a difference of them."""
    result = effect_modification(
        complete_fev, modifier="SEX", outcome="FEV1", subject="USUBJID", visit="AVISIT",
        arm="ARMCD", reference="PBO", optimizer="newton",
    )  # fmt: skip
    means = complete_fev.groupby(["AVISIT", "SEX", "ARMCD"])["FEV1"].mean()
    for row in result.subgroups.itertuples():
        raw = means[(row.AVISIT, row.SEX, "TRT")] - means[(row.AVISIT, row.SEX, "PBO")]
        assert row.estimate == pytest.approx(raw, rel=1e-9)
    table = result.subgroups.set_index(["AVISIT", "SEX"])["estimate"]
    for row in result.interactions.itertuples():
        if row.AVISIT != ALL_VISITS:
            expected = table[(row.AVISIT, "Male")] - table[(row.AVISIT, "Female")]
            assert row.estimate == pytest.approx(expected, rel=1e-9)
            assert row.num_df == 1


def test_forest_table_and_overall_test(fev_data: pd.DataFrame) -> None:
    result = effect_modification(
        fev_data, modifier="RACE", outcome="FEV1", subject="USUBJID", visit="AVISIT",
        arm="ARMCD", reference="PBO", covariates=["SEX", "FEV1_BL"],
    )  # fmt: skip
    forest = result.summary()
    assert len(forest) == 4 * 3  # visits × race levels
    assert {"n_subjects", "estimate", "ci_lower", "ci_upper", "p", "p_interaction"} <= set(
        forest.columns
    )
    overall = result.interactions.set_index("AVISIT").loc[ALL_VISITS]
    assert overall["num_df"] == 8  # (3 levels - 1) × 4 visits
    assert np.isnan(overall["estimate"])
    assert result.to_dict()["levels"] == ["Asian", "Black or African American", "White"]


def test_numeric_flags_become_labels(fev_data: pd.DataFrame) -> None:
    data = fev_data.assign(FLAG=(fev_data["FEV1_BL"] > 40).astype(float))
    result = effect_modification(
        data, modifier="FLAG", outcome="FEV1", subject="USUBJID", visit="AVISIT",
        arm="ARMCD", reference="PBO",
    )  # fmt: skip
    assert result.levels == ("0", "1")

"""Satterthwaite and Kenward–Roger inference against SAS PROC MIXED and mmrm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis import fit_mmrm

# SAS PROC MIXED, DDFM=KR, model FEV1 = ARMCD with REPEATED / TYPE=<structure>: SE and df of
# the ARMCD (TRT) coefficient, as embedded in mmrm's tests/testthat/test-kenwardroger.R.
# "variant" is the Kenward–Roger variant that reproduces SAS for that structure; the
# tolerances are those of mmrm's own comparison (mmrm matches SAS no better).
SAS_KENWARD_ROGER = [
    # structure, variant, SE, df, SE tolerance, df tolerance
    ("us", "kenward-roger-linear", 0.66124382270307, 160.733266403768, 1e-4, 1e-3),
    ("cs", "kenward-roger-linear", 0.7965, 177.038485931223, 1e-4, 1e-4),
    ("toep", "kenward-roger-linear", 0.87839805519623, 160.027408337368, 1e-4, 1e-3),
    ("ar1", "kenward-roger", 0.95865439662225, 188.46934887972, 1e-4, 1e-4),
    ("csh", "kenward-roger-linear", 0.67414806011886, 190.737701349941, 1e-4, 1e-3),
    ("adh", "kenward-roger-linear", 0.66172017349971, 162.393385281755, 1e-3, 1e-3),
    ("ar1h", "kenward-roger-linear", 0.7590316099633, 188.225339095373, 1e-3, 1e-3),
    ("toeph", "kenward-roger-linear", 0.72543828853831, 180.062730071701, 1e-3, 1e-3),
    # mmrm's default (non-linear) Kenward–Roger is further from SAS for these structures
    ("csh", "kenward-roger", 0.67414806011886, 190.737701349941, 1e-2, 1e-3),
    ("adh", "kenward-roger", 0.66172017349971, 162.393385281755, 1e-2, 1e-3),
    ("ar1h", "kenward-roger", 0.7590316099633, 188.225339095373, 1e-2, 1e-3),
    ("toeph", "kenward-roger", 0.72543828853831, 180.062730071701, 1e-2, 1e-3),
    ("us", "kenward-roger", 0.66124382270307, 160.733266403768, 2e-2, 1e-3),
]


@pytest.mark.parametrize(
    ("structure", "variant", "se", "df", "se_tol", "df_tol"), SAS_KENWARD_ROGER
)
def test_sas_kenward_roger(
    fev_data: pd.DataFrame,
    structure: str,
    variant: str,
    se: float,
    df: float,
    se_tol: float,
    df_tol: float,
) -> None:
    result = fit_mmrm(
        fev_data,
        formula="FEV1 ~ ARMCD",
        subject="USUBJID",
        visit="AVISIT",
        covariance=structure,
        df=variant,  # type: ignore[arg-type]
    )
    estimate = result.estimate({"ARMCDTRT": 1.0})
    assert estimate.se == pytest.approx(se, rel=se_tol)
    assert estimate.df == pytest.approx(df, rel=df_tol)


@pytest.mark.parametrize("structure", ["us", "ar1", "cs"])
def test_one_dimensional_kenward_roger_df_equal_satterthwaite(
    fev_data: pd.DataFrame, structure: str
) -> None:
    fits = {
        method: fit_mmrm(
            fev_data,
            formula="FEV1 ~ ARMCD * AVISIT",
            subject="USUBJID",
            visit="AVISIT",
            covariance=structure,
            df=method,
        )  # type: ignore[arg-type]
        for method in ("satterthwaite", "kenward-roger")
    }
    contrast = {"ARMCDTRT": 1.0, "ARMCDTRT:AVISITVIS3": 1.0}
    assert fits["kenward-roger"].estimate(contrast).df == pytest.approx(
        fits["satterthwaite"].estimate(contrast).df, rel=1e-10
    )


def test_kenward_roger_f_test_matches_mmrm(fev_data: pd.DataFrame) -> None:
    # mmrm tests/testthat/test-kenwardroger.R, "df_md works as expected for Kenward-Roger":
    # FEV1 ~ ARMCD + ar1(AVISIT | USUBJID), contrast rows (0, 1) and (1, 0), tolerance 1e-4
    result = fit_mmrm(
        fev_data, formula="FEV1 ~ ARMCD", subject="USUBJID", visit="AVISIT", covariance="ar1"
    )
    test = result.f_test(np.array([[0.0, 1.0], [1.0, 0.0]]))
    assert test.num_df == 2
    assert test.den_df == pytest.approx(188.65, rel=1e-4)
    assert test.f == pytest.approx(3913.72, rel=1e-4)
    assert test.p == pytest.approx(2.576e-154, rel=1e-3)


def test_satterthwaite_f_test_matches_sas(fev_data: pd.DataFrame) -> None:
    # mmrm tests/testthat/test-satterthwaite.R "df_md works as expected" (numbers from mmrm's
    # design/SAS/sas_log_simple_reml.txt): FEV1 ~ RACE + SEX + ARMCD * AVISIT + us, joint
    # test of the two RACE coefficients: denominator df 166 (rounded), F 36.92 (1e-3)
    result = fit_mmrm(
        fev_data,
        formula="FEV1 ~ RACE + SEX + ARMCD*AVISIT",
        subject="USUBJID",
        visit="AVISIT",
        levels={"SEX": ["Male", "Female"]},
        df="satterthwaite",
    )
    rows = np.zeros((2, len(result.design.columns)))
    rows[0, 1] = rows[1, 2] = 1.0
    test = result.f_test(rows)
    assert test.num_df == 2
    assert round(test.den_df) == 166
    assert test.f == pytest.approx(36.92, rel=1e-3)
    assert test.p < 1e-4


@pytest.mark.parametrize("method", ["satterthwaite", "kenward-roger"])
def test_f_test_is_invariant_to_rewriting_the_hypothesis(
    fev_data: pd.DataFrame, method: str
) -> None:
    result = fit_mmrm(
        fev_data, formula="FEV1 ~ ARMCD * AVISIT", subject="USUBJID", visit="AVISIT", df=method
    )  # type: ignore[arg-type]
    rows = np.eye(len(result.design.columns))[[1, 5, 6]]
    mixed = np.array([[2.0, 1.0, -1.0], [0.0, 3.0, 1.0], [1.0, 0.0, 2.0]]) @ rows
    plain, rewritten = result.f_test(rows), result.f_test(mixed)
    assert rewritten.f == pytest.approx(plain.f, rel=1e-8)
    if method == "kenward-roger":  # the eigen-direction Satterthwaite df are not invariant
        assert rewritten.den_df == pytest.approx(plain.den_df, rel=1e-8)


def test_one_row_f_test_is_the_squared_t_test(fev_data: pd.DataFrame) -> None:
    result = fit_mmrm(fev_data, formula="FEV1 ~ ARMCD * AVISIT", subject="USUBJID", visit="AVISIT")
    row = np.eye(len(result.design.columns))[1]
    single = result.estimate(row)
    test = result.f_test(row[None, :])
    assert test.f == pytest.approx(single.t**2)
    assert test.p == pytest.approx(single.p)

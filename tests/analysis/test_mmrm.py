"""fit_mmrm against R mmrm 0.3.18, R's paired t-test, and invariants of the model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exonc.analysis import COVARIANCE_TYPES, MMRMResult, fit_mmrm
from exonc.errors import AnalysisInputError, ConvergenceWarning

FEV_FORMULA = "FEV1 ~ RACE + SEX + ARMCD*AVISIT + FEV1_BL"
VISITS = ["VIS1", "VIS2", "VIS3", "VIS4"]
# tolerances of tests/reference/mmrm/PROVENANCE.md
ESTIMATE, SE, DF, LOGLIK = 1e-6, 1e-5, 1e-3, 1e-6


def _fev(fev_data: pd.DataFrame, df: str, **options: Any) -> MMRMResult:
    return fit_mmrm(
        fev_data,
        formula=FEV_FORMULA,
        subject="USUBJID",
        visit="AVISIT",
        arm="ARMCD",
        reference="PBO",
        levels={"SEX": ["Male", "Female"]},  # R's fev_data level order
        df=df,  # type: ignore[arg-type]
        **options,
    )


@pytest.fixture(
    scope="module", params=[("satterthwaite", "Satterthwaite"), ("kenward-roger", "Kenward-Roger")]
)
def fev_fit(
    request: pytest.FixtureRequest, fev_data: pd.DataFrame, fev_expected: dict[str, Any]
) -> tuple[MMRMResult, dict[str, Any]]:
    method, key = request.param
    return _fev(fev_data, method), fev_expected[key]


def test_fev_coefficients_and_log_likelihood(fev_fit: tuple[MMRMResult, dict[str, Any]]) -> None:
    result, expected = fev_fit
    assert result.converged
    estimates = result.params
    for term, value in expected["coefficients"].items():  # coef(fit)
        assert estimates[term] == pytest.approx(value, rel=ESTIMATE)
    assert result.log_likelihood == pytest.approx(expected["logLik"], abs=LOGLIK)  # logLik(fit)
    np.testing.assert_allclose(result.covariance, expected["covariance"], rtol=ESTIMATE)


def test_fev_treatment_contrasts(fev_fit: tuple[MMRMResult, dict[str, Any]]) -> None:
    result, expected = fev_fit
    for row in result.contrasts.itertuples():
        reference = expected["treatment_contrasts"][row.AVISIT]  # df_1d(fit, contrast)
        assert row.estimate == pytest.approx(reference["estimate"], rel=ESTIMATE)
        assert row.se == pytest.approx(reference["se"], rel=SE)
        assert row.df == pytest.approx(reference["df"], rel=DF)
        assert row.p == pytest.approx(reference["p"], rel=SE)


def test_fev_lsmeans(fev_fit: tuple[MMRMResult, dict[str, Any]]) -> None:
    result, expected = fev_fit
    table = result.lsmeans.set_index(["ARMCD", "AVISIT"])
    for reference in expected["lsmeans"]:  # emmeans(fit, ~ ARMCD | AVISIT)
        row = table.loc[(reference["arm"], reference["visit"])]
        assert row["estimate"] == pytest.approx(reference["estimate"], rel=ESTIMATE)
        assert row["se"] == pytest.approx(reference["se"], rel=SE)
        assert row["df"] == pytest.approx(reference["df"], rel=DF)


@pytest.mark.parametrize("covariance", ["cs", "csh"])
@pytest.mark.parametrize(
    ("df", "key"), [("kenward-roger", "Kenward-Roger"), ("satterthwaite", "Satterthwaite")]
)
def test_cs_and_csh_match_mmrm_0_3_18(
    fev_data: pd.DataFrame, reference_dir: Path, covariance: str, df: str, key: str
) -> None:
    """mmrm >= 0.3.16 maps the cs correlation as invlogit(theta)(1 + a) - a; the full
    Kenward–Roger term depends on it (tests/reference/mmrm/PROVENANCE.md)."""
    path = reference_dir / "mmrm" / "fev_cs_csh_mmrm0318.json"
    expected = json.loads(path.read_text(encoding="utf-8"))[f"{covariance} {key}"]
    result = fit_mmrm(
        fev_data,
        formula=FEV_FORMULA,
        subject="USUBJID",
        visit="AVISIT",
        covariance=covariance,
        df=df,  # type: ignore[arg-type]
    )  # fmt: skip  (SEX levels sorted, as R's read.csv: the coefficient is SEXMale)
    assert result.converged
    assert result.log_likelihood == pytest.approx(expected["logLik"], abs=LOGLIK)  # logLik(fit)
    table = result.coefficients.set_index("term")
    assert sorted(table.index) == sorted(expected["coefficients"])
    for term, row in expected["coefficients"].items():  # coef(summary(fit))
        assert table.loc[term, "estimate"] == pytest.approx(row["estimate"], rel=ESTIMATE)
        assert table.loc[term, "se"] == pytest.approx(row["se"], rel=SE)
        assert table.loc[term, "df"] == pytest.approx(row["df"], rel=DF)


@pytest.mark.parametrize("df", ["satterthwaite", "kenward-roger-linear"])
def test_sleep_reproduces_the_paired_t_test(sleep: pd.DataFrame, df: str) -> None:
    # t.test(sleep$extra[11:20], sleep$extra[1:10], paired = TRUE) in R:
    # t = 4.0621, df = 9, p-value = 0.002833, mean difference 1.58 (SE 1.58 / 4.0621)
    result = fit_mmrm(sleep, formula="extra ~ group", subject="ID", visit="group", df=df)  # type: ignore[arg-type]
    estimate = result.estimate({"group2": 1.0})
    assert estimate.estimate == pytest.approx(1.58, abs=1e-10)
    assert estimate.se == pytest.approx(0.3890, abs=5e-5)
    assert estimate.t == pytest.approx(4.0621, abs=5e-5)
    assert estimate.df == pytest.approx(9, rel=1e-5)
    assert estimate.p == pytest.approx(0.002833, abs=5e-7)


def test_mmrm_default_kenward_roger_does_not_reproduce_the_t_test(sleep: pd.DataFrame) -> None:
    """mmrm's non-linear Kenward–Roger adds the second-derivative term of its log-Cholesky
    parametrisation, which is not zero even for complete paired data (docs/methods)."""
    result = fit_mmrm(sleep, formula="extra ~ group", subject="ID", visit="group")
    assert result.estimate({"group2": 1.0}).se < 0.3890 - 0.01


@pytest.mark.parametrize("reml", [True, False])
def test_complete_saturated_data_give_the_sample_covariance(
    sleep: pd.DataFrame, reml: bool
) -> None:
    """REML divides by n - 1 and ML by n when every subject has every visit."""
    result = fit_mmrm(
        sleep,
        formula="extra ~ group",
        subject="ID",
        visit="group",
        reml=reml,
        df="kenward-roger" if reml else "satterthwaite",
        optimizer="newton",
    )
    wide = sleep.pivot(index="ID", columns="group", values="extra").to_numpy().T
    np.testing.assert_allclose(result.covariance, np.cov(wide, ddof=1 if reml else 0), rtol=1e-9)


def test_aic_and_bic_count_covariance_parameters(fev_data: pd.DataFrame) -> None:
    result = _fev(fev_data, "satterthwaite")
    k = 10  # unstructured over 4 visits
    assert result.aic == pytest.approx(-2 * result.log_likelihood + 2 * k)
    assert result.bic == pytest.approx(-2 * result.log_likelihood + np.log(197) * k)
    ml = fit_mmrm(
        fev_data,
        formula=FEV_FORMULA,
        subject="USUBJID",
        visit="AVISIT",
        reml=False,
        df="satterthwaite",
    )
    assert ml.aic == pytest.approx(-2 * ml.log_likelihood + 2 * (k + 12))


def test_named_arguments_and_formula_give_the_same_fit(fev_data: pd.DataFrame) -> None:
    by_formula = _fev(fev_data, "kenward-roger")
    by_name = fit_mmrm(
        fev_data,
        outcome="FEV1",
        subject="USUBJID",
        visit="AVISIT",
        arm="ARMCD",
        reference="PBO",
        covariates=["RACE", "SEX", "FEV1_BL"],
    )
    assert by_name.log_likelihood == pytest.approx(by_formula.log_likelihood, abs=1e-8)
    np.testing.assert_allclose(
        by_name.contrasts["estimate"], by_formula.contrasts["estimate"], rtol=1e-7
    )
    np.testing.assert_allclose(by_name.lsmeans["se"], by_formula.lsmeans["se"], rtol=1e-6)


def test_subject_labels_do_not_matter(fev_data: pd.DataFrame) -> None:
    """Exactly so at the optimum (Newton); mmrm's L-BFGS-B stopping rule only to ~1e-5."""
    renamed = fev_data.assign(USUBJID="S-" + fev_data["USUBJID"])
    for optimizer, tolerance in [("newton", 1e-9), ("mmrm", 1e-4)]:
        original = _fev(fev_data, "kenward-roger", optimizer=optimizer)
        again = _fev(renamed, "kenward-roger", optimizer=optimizer)
        assert again.log_likelihood == pytest.approx(original.log_likelihood, abs=tolerance)
        np.testing.assert_allclose(again.contrasts["se"], original.contrasts["se"], rtol=tolerance)


_ROW_ORDER_FITS: dict[str, MMRMResult] = {}


@pytest.mark.parametrize("covariance", COVARIANCE_TYPES)
@given(seed=st.integers(0, 2**32 - 1))
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_row_order_does_not_matter_for_any_structure(
    fev_data: pd.DataFrame, covariance: str, seed: int
) -> None:
    """Visits in natural order and subjects sorted: a shuffle changes nothing, to the bit.

    Before, visits were taken in order of first appearance, so moving the VIS3 rows first
    changed the ar1 log-likelihood from -1752.51 to -1751.14 (issue 18).
    """
    if covariance not in _ROW_ORDER_FITS:
        _ROW_ORDER_FITS[covariance] = _fev(fev_data, "kenward-roger", covariance=covariance)
    original = _ROW_ORDER_FITS[covariance]
    shuffled = fev_data.sample(frac=1.0, random_state=np.random.default_rng(seed))
    again = _fev(shuffled, "kenward-roger", covariance=covariance)
    assert again.visits == tuple(VISITS)
    assert again.log_likelihood == original.log_likelihood
    pd.testing.assert_frame_equal(again.coefficients, original.coefficients)
    pd.testing.assert_frame_equal(again.contrasts, original.contrasts)


@pytest.mark.parametrize("covariance", ["ar1", "toeph", "adh"])
def test_visit_labels_are_ordered_naturally(fev_data: pd.DataFrame, covariance: str) -> None:
    """Months 1, 3, 6, 12 as M1, M3, M6, M12: numbers compare as numbers (not M1 < M12)."""
    months = {"VIS1": "M1", "VIS2": "M3", "VIS3": "M6", "VIS4": "M12"}
    relabelled = fev_data.assign(AVISIT=fev_data["AVISIT"].map(months))
    original = _fev(fev_data, "kenward-roger", covariance=covariance)
    again = _fev(relabelled, "kenward-roger", covariance=covariance)
    assert again.visits == ("M1", "M3", "M6", "M12")
    assert again.visit_order == "M1 < M3 < M6 < M12 (natural order of the labels)"
    assert again.log_likelihood == pytest.approx(original.log_likelihood, abs=1e-9)
    np.testing.assert_allclose(again.contrasts["se"], original.contrasts["se"], rtol=1e-9)


def test_a_given_visit_order_wins(fev_data: pd.DataFrame) -> None:
    reverse = VISITS[::-1]
    result = _fev(fev_data, "kenward-roger", covariance="ar1", visit_order=reverse)
    assert result.visits == tuple(reverse)
    assert result.visit_order_source == "given"
    assert result.to_dict()["visit_order_source"] == "given"
    # ar1 over reversed visits is the same model (|i - j| is symmetric), a check of the order
    natural = _fev(fev_data, "kenward-roger", covariance="ar1")
    assert result.log_likelihood == pytest.approx(natural.log_likelihood, abs=1e-6)


def test_newton_reaches_at_least_the_mmrm_optimum(fev_data: pd.DataFrame) -> None:
    mmrm_path = _fev(fev_data, "kenward-roger")
    newton = _fev(fev_data, "kenward-roger", optimizer="newton")
    assert newton.converged
    assert newton.convergence.newton_decrement < 1e-12
    assert newton.log_likelihood >= mmrm_path.log_likelihood
    np.testing.assert_allclose(
        newton.contrasts["estimate"], mmrm_path.contrasts["estimate"], rtol=1e-3
    )


def test_non_convergence_is_reported(sleep: pd.DataFrame) -> None:
    degenerate = sleep.copy()  # the second drug adds exactly 1.58 hours: correlation 1
    first = degenerate.loc[degenerate["group"] == "1", "extra"].to_numpy()
    degenerate.loc[degenerate["group"] == "2", "extra"] = first + 1.58
    with pytest.warns(ConvergenceWarning):
        result = fit_mmrm(degenerate, formula="extra ~ group", subject="ID", visit="group")
    assert not result.converged
    assert any("did not converge" in w for w in result.warnings)
    assert result.to_dict()["converged"] is False


def test_summary_renders_text_and_html(fev_data: pd.DataFrame) -> None:
    result = _fev(fev_data, "kenward-roger")
    assert list(result.summary()["AVISIT"]) == ["VIS1", "VIS2", "VIS3", "VIS4", "overall"]
    assert "VIS4" in result.render("text")
    assert "<table" in result.render("html")
    data = result.to_dict()
    assert {
        "contrasts",
        "lsmeans",
        "log_likelihood",
        "covariance",
        "n_subjects",
        "n_observations",
        "converged",
        "warnings",
    } <= set(data)
    assert data["contrasts"][0]["visit"] == "VIS1"
    assert data["n_subjects"] == 197
    assert data["n_observations"] == 537


# ---------------------------------------------------------------- bad input


def _sleep_fit(data: pd.DataFrame, **options: Any) -> MMRMResult:
    base: dict[str, Any] = {"subject": "ID", "visit": "group", "formula": "extra ~ group"}
    return fit_mmrm(data, **{**base, **options})


def test_missing_column_is_named(sleep: pd.DataFrame) -> None:
    with pytest.raises(AnalysisInputError, match="missing column extra2"):
        _sleep_fit(sleep, formula="extra2 ~ group")


def test_subject_in_two_arms(fev_data: pd.DataFrame) -> None:
    broken = fev_data.copy()
    broken.loc[0, "ARMCD"] = "PBO"  # PT1 is TRT at its other visits
    with pytest.raises(AnalysisInputError, match="'PT1' appears in more than one arm"):
        _fev(broken, "kenward-roger")


def test_arm_without_data_at_a_visit(fev_data: pd.DataFrame) -> None:
    broken = fev_data[~((fev_data["ARMCD"] == "TRT") & (fev_data["AVISIT"] == "VIS3"))]
    with pytest.raises(
        AnalysisInputError, match="arm 'TRT' has no observed outcome at visit 'VIS3'"
    ):
        _fev(broken, "kenward-roger")


def test_constant_covariate_makes_a_singular_design(fev_data: pd.DataFrame) -> None:
    data = fev_data.assign(SITE="A")
    with pytest.raises(AnalysisInputError, match="column SITE: value 'A': the design is singular"):
        fit_mmrm(
            data,
            outcome="FEV1",
            subject="USUBJID",
            visit="AVISIT",
            arm="ARMCD",
            covariates=["SITE"],
        )


def test_too_few_subjects_for_unstructured(sleep: pd.DataFrame) -> None:
    with pytest.raises(AnalysisInputError, match="too few for an unstructured"):
        _sleep_fit(sleep[sleep["ID"].isin(["1", "2"])])


def test_duplicate_visit_of_a_subject(sleep: pd.DataFrame) -> None:
    doubled = pd.concat([sleep, sleep.iloc[[3]]], ignore_index=True)
    with pytest.raises(
        AnalysisInputError, match=r"row 21, column group: value '1': subject '4' has two rows"
    ):
        _sleep_fit(doubled)


def test_outcome_that_is_not_a_number(sleep: pd.DataFrame) -> None:
    text = sleep.astype({"extra": object})
    text.loc[4, "extra"] = "n/a"
    with pytest.raises(
        AnalysisInputError, match=r"row 5, column extra: value 'n/a': is not a number"
    ):
        _sleep_fit(text)


def test_unknown_reference_arm(fev_data: pd.DataFrame) -> None:
    with pytest.raises(AnalysisInputError, match="reference arm 'placebo'"):
        fit_mmrm(
            fev_data,
            outcome="FEV1",
            subject="USUBJID",
            visit="AVISIT",
            arm="ARMCD",
            reference="placebo",
        )


def test_kenward_roger_needs_reml(sleep: pd.DataFrame) -> None:
    with pytest.raises(AnalysisInputError, match="need REML"):
        _sleep_fit(sleep, reml=False)


def test_rows_with_missing_covariates_are_left_out_with_a_warning(fev_data: pd.DataFrame) -> None:
    data = fev_data.copy()
    data.loc[1, "FEV1_BL"] = np.nan  # PT1 VIS2 has an FEV1
    result = fit_mmrm(
        data, outcome="FEV1", subject="USUBJID", visit="AVISIT", arm="ARMCD", covariates=["FEV1_BL"]
    )
    assert result.n_observations == 536
    assert any("FEV1_BL is missing" in w for w in result.warnings)

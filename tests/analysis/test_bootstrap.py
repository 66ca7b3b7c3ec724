"""Subject bootstrap by re-weighting the sufficient statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis import MMRMResult, bootstrap_contrasts, fit_mmrm
from exonc.analysis.bootstrap import _resample, _subject_arms
from exonc.errors import ConvergenceWarning


@pytest.fixture(scope="module")
def fit(fev_data: pd.DataFrame) -> MMRMResult:
    return fit_mmrm(
        fev_data, outcome="FEV1", subject="USUBJID", visit="AVISIT", arm="ARMCD",
        reference="PBO", covariates=["FEV1_BL"], optimizer="newton",
    )  # fmt: skip


def test_a_replicate_equals_refitting_the_resampled_data(
    fit: MMRMResult, fev_data: pd.DataFrame
) -> None:
    result = bootstrap_contrasts(fit, fev_data, replicates=2, rng=np.random.default_rng(11))
    subjects = tuple(sorted(fev_data.dropna(subset=["FEV1"])["USUBJID"].unique()))  # as fitted
    arms = _subject_arms(fev_data, "USUBJID", "ARMCD", subjects)
    counts = _resample(arms, 2, np.random.default_rng(11))
    for replicate in range(2):
        copies = [
            fev_data[fev_data["USUBJID"] == subject].assign(USUBJID=f"{subject}#{k}")
            for subject, count in zip(subjects, counts[replicate], strict=True)
            for k in range(count)
        ]
        refit = fit_mmrm(
            pd.concat(copies), outcome="FEV1", subject="USUBJID", visit="AVISIT", arm="ARMCD",
            reference="PBO", covariates=["FEV1_BL"], optimizer="newton",
            visit_order=["VIS1", "VIS2", "VIS3", "VIS4"],
        )  # fmt: skip
        per_visit = result.replicates[replicate, :4]
        # the refit's LS-mean grid puts FEV1_BL at the resampled mean; contrasts do not depend
        # on it in this model (no FEV1_BL × visit term), so the two must agree
        np.testing.assert_allclose(per_visit, refit.contrasts["estimate"], rtol=1e-6)


def test_chunking_does_not_change_the_replicates(fit: MMRMResult, fev_data: pd.DataFrame) -> None:
    one = bootstrap_contrasts(fit, fev_data, replicates=6, rng=np.random.default_rng(3))
    three = bootstrap_contrasts(fit, fev_data, replicates=6, rng=np.random.default_rng(3), chunks=3)
    np.testing.assert_array_equal(one.replicates, three.replicates)


def test_bootstrap_se_is_close_to_the_model_se(fit: MMRMResult, fev_data: pd.DataFrame) -> None:
    result = bootstrap_contrasts(fit, fev_data, replicates=200, rng=np.random.default_rng(5))
    summary = result.summary()
    assert (result.n_failed, result.converged, result.warnings) == (0, True, ())
    assert list(summary["AVISIT"]) == ["VIS1", "VIS2", "VIS3", "VIS4", "overall"]
    model_se = fit.contrasts["se"].to_numpy()
    np.testing.assert_allclose(summary["se"].to_numpy()[:4], model_se, rtol=0.25)
    np.testing.assert_allclose(summary["estimate"].to_numpy()[:4], fit.contrasts["estimate"])


def test_failed_refits_are_counted_and_warned_about() -> None:
    """Visit 2 is visit 1 plus a constant except for subjects 0 and 1: a replicate without
    both is perfectly correlated, its refit cannot converge, and the result says so."""
    extra = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]  # R's sleep, drug 1
    rows = [
        {"id": str(i), "visit": visit, "arm": "a" if i % 2 else "b", "y": y + shift}
        for i, y in enumerate(extra)
        for visit, shift in [("v1", 0.0), ("v2", 1.58 + (0.9 if i < 2 else 0.0))]
    ]
    data = pd.DataFrame(rows)
    fit = fit_mmrm(
        data, subject="id", visit="visit", arm="arm", outcome="y", reference="b",
        optimizer="newton",
    )  # fmt: skip
    assert fit.converged
    with pytest.warns(ConvergenceWarning, match="6 of 40 bootstrap refits failed"):
        result = bootstrap_contrasts(fit, data, replicates=40, rng=np.random.default_rng(1))
    subjects = tuple(sorted(data["id"].unique()))
    counts = _resample(_subject_arms(data, "id", "arm", subjects), 40, np.random.default_rng(1))
    degenerate = (counts[:, 0] == 0) & (counts[:, 1] == 0)  # subjects "0" and "1"
    np.testing.assert_array_equal(result.failed, degenerate)
    assert (result.n_failed, result.n_replicates, result.converged) == (6, 40, False)
    assert result.warnings == (
        "6 of 40 bootstrap refits failed (did not converge) and were left out of the "
        "bootstrap SE and intervals",
    )
    assert set(result.summary()["replicates"]) == {34}
    data_dict = result.to_dict()
    assert (data_dict["n_failed"], data_dict["converged"]) == (6, False)
    assert data_dict["warnings"] == list(result.warnings)

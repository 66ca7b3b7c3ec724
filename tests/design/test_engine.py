"""The array fast path gives exactly what fit_mmrm gives on the same data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis import fit_mmrm
from exonc.design import TrialDesign, cell_means_design, fit_contrast, simulate_trial


def _long(
    trial_values: np.ndarray, treated: np.ndarray, baseline: np.ndarray, observed: np.ndarray
) -> pd.DataFrame:
    n, m = observed.shape
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), m),
            "visit": np.tile([f"v{k + 1}" for k in range(m)], n),
            "arm": np.repeat(np.where(treated, "exercise", "control"), m),
            "baseline": np.repeat(baseline, m),
            "y": np.where(observed, trial_values, np.nan).ravel(),
        }
    )
    return frame.dropna()


@pytest.mark.parametrize("df", ["kenward-roger", "satterthwaite", "kenward-roger-linear"])
@pytest.mark.parametrize("structure", ["us", "cs", "ar1"])
def test_fast_path_equals_fit_mmrm(design: TrialDesign, df: str, structure: str) -> None:
    trial = simulate_trial(design, 40, seed=7, stream=3)
    x, contrasts = cell_means_design(trial.treated, trial.baseline[:, 0], 3)
    fast = fit_contrast(
        x,
        trial.values[:, 0, :],
        trial.observed,
        contrasts[1],
        structure=structure,
        df=df,  # type: ignore[arg-type]
    )
    data = _long(trial.values[:, 0, :], trial.treated, trial.baseline[:, 0], trial.observed)
    full = fit_mmrm(
        data,
        subject="id",
        visit="visit",
        outcome="y",
        arm="arm",
        reference="control",
        covariates_by_visit=["baseline"],
        covariance=structure,  # type: ignore[arg-type]
        df=df,  # type: ignore[arg-type]
    )
    row = full.contrasts.iloc[1]
    assert fast.converged
    # same engine, different but equivalent parameterisation: agreement to rounding
    assert fast.estimate == pytest.approx(row["estimate"], rel=1e-8)
    assert fast.se == pytest.approx(row["se"], rel=1e-6)
    assert fast.df == pytest.approx(row["df"], rel=1e-6)
    assert fast.p == pytest.approx(row["p"], rel=1e-6)


def test_unidentifiable_unstructured_fit_is_a_failure() -> None:
    treated = np.array([False, True] * 10)
    x, contrasts = cell_means_design(treated, None, 2)
    observed = np.zeros((20, 2), dtype=bool)
    observed[:10, 0] = observed[10:, 1] = True  # nobody seen at both visits
    found = fit_contrast(x, np.ones((20, 2)), observed, contrasts[1])
    assert not found.converged
    assert np.isnan(found.p)


def test_fast_path_with_a_stratum_equals_fit_mmrm() -> None:
    from exonc.design import Stratum
    from tests.design.conftest import three_visit_design

    design = three_visit_design(strata=(Stratum("line", (0.6, 0.3, 0.1), (0.0, -0.5, 0.5)),))
    trial = simulate_trial(design, 40, seed=8, stream=1)
    x, contrasts = cell_means_design(
        trial.treated, trial.baseline[:, 0], 3, trial.stratum_indicators()
    )
    fast = fit_contrast(x, trial.values[:, 0, :], trial.observed, contrasts[2])
    data = _long(trial.values[:, 0, :], trial.treated, trial.baseline[:, 0], trial.observed)
    data["line"] = np.repeat(trial.strata[:, 0].astype(str), 3)[data.index]
    full = fit_mmrm(
        data,
        subject="id",
        visit="visit",
        outcome="y",
        arm="arm",
        reference="control",
        covariates=["line"],
        covariates_by_visit=["baseline"],
    )
    row = full.contrasts.iloc[2]
    assert fast.estimate == pytest.approx(row["estimate"], rel=1e-8)
    assert fast.p == pytest.approx(row["p"], rel=1e-6)
    assert fast.df == pytest.approx(row["df"], rel=1e-6)

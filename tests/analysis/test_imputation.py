"""Multiple imputation by arm and Rubin's rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.analysis import Estimate
from exonc.analysis.imputation import impute_by_arm, pool_rubin
from exonc.errors import AnalysisInputError


def test_rubin_by_hand() -> None:
    # estimates 1, 2, 3 with SE 1 and complete-data df 100 (m = 3):
    # W = 1, B = 1, T = 1 + (4/3) B = 7/3, lambda = (4/3) / (7/3) = 4/7
    # df_old = (m - 1) / lambda^2 = 6.125, df_obs = (101/103) * 100 * (3/7) = 42.02497
    # df = 6.125 * 42.02497 / (6.125 + 42.02497) = 5.34587
    pooled = pool_rubin([Estimate(v, 1.0, 100.0, 0, 0, 0) for v in (1.0, 2.0, 3.0)])
    assert pooled.estimate == pytest.approx(2.0)
    assert pooled.se == pytest.approx(np.sqrt(7 / 3))
    assert pooled.df == pytest.approx(5.34587, rel=1e-5)
    assert pooled.ci_lower < 2.0 < pooled.ci_upper


def test_rubin_without_between_variance_keeps_the_observed_df() -> None:
    pooled = pool_rubin([Estimate(2.0, 1.0, 50.0, 0, 0, 0)] * 4)
    assert pooled.se == pytest.approx(1.0)
    assert pooled.df == pytest.approx(51 / 53 * 50)


def _trial(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = 400
    arm = np.repeat(["a", "b"], n // 2)
    x = rng.normal(0, 1, n)
    y = np.where(arm == "a", 0.0, 10.0) + 2 * x + rng.normal(0, 1, n)
    frame = pd.DataFrame({"arm": arm, "x": x, "y": y})
    frame.loc[x > 0.5, "y"] = np.nan  # missing at random given x
    return frame


def test_imputation_recovers_arm_means_under_missing_at_random() -> None:
    data = _trial(5)
    completed = impute_by_arm(
        data, arm="arm", columns=["x", "y"], n_imputations=5, rng=np.random.default_rng(1)
    )
    observed = data["y"].notna()
    for copy in completed:
        assert copy["y"].notna().all()
        pd.testing.assert_series_equal(copy.loc[observed, "y"], data.loc[observed, "y"])
        means = copy.groupby("arm")["y"].mean()
        # true arm means are 0 and 10 (+ 2 E[x] = 0); complete cases are biased low by ~1.6
        assert means["a"] == pytest.approx(0.0, abs=0.4)
        assert means["b"] == pytest.approx(10.0, abs=0.4)


def test_imputation_is_reproducible() -> None:
    data = _trial(6)
    first = impute_by_arm(
        data, arm="arm", columns=["x", "y"], n_imputations=2, rng=np.random.default_rng(3)
    )
    again = impute_by_arm(
        data, arm="arm", columns=["x", "y"], n_imputations=2, rng=np.random.default_rng(3)
    )
    pd.testing.assert_frame_equal(first[1], again[1])


def test_imputation_needs_observed_values() -> None:
    data = _trial(7).assign(z=np.nan)
    with pytest.raises(AnalysisInputError, match="fewer than two observed values"):
        impute_by_arm(
            data, arm="arm", columns=["x", "z"], n_imputations=2, rng=np.random.default_rng(0)
        )

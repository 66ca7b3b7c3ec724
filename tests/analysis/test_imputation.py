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


# ---------------------------------------------------------------- against independent references
#
# Data: two arms of 200, x ~ N(0, 1), y = arm effect (0 or 5) + 2x + N(0, 1), and y missing
# at random given x (P = logistic(x - 0.5), 40 % missing). Every comparison uses M = 100
# imputations; the tolerance is 4 Monte Carlo standard errors of the difference, the MC SE of
# an MI estimate being sqrt(B / M) with B the between-imputation variance (White, Royston and
# Wood 2011, Stat Med 30:377-399, section 7). With fixed seeds the tests are deterministic.
M = 100


def _mar_trial() -> pd.DataFrame:
    rng = np.random.default_rng(2018)
    arm = np.repeat(["a", "b"], 200)
    x = rng.normal(0.0, 1.0, 400)
    y = np.where(arm == "a", 0.0, 5.0) + 2.0 * x + rng.normal(0.0, 1.0, 400)
    frame = pd.DataFrame({"arm": arm, "x": x, "y": y})
    frame.loc[rng.random(400) < 1.0 / (1.0 + np.exp(-(x - 0.5))), "y"] = np.nan
    return frame


def _per_arm(completed: list[pd.DataFrame], statistic: str) -> tuple[np.ndarray, np.ndarray]:
    """Per arm: the MI estimate (mean over imputations) and its Monte Carlo SE."""
    values = np.array([c.groupby("arm")["y"].agg(statistic).to_numpy() for c in completed])
    return values.mean(axis=0), values.std(axis=0, ddof=1) / np.sqrt(len(values))


def _statsmodels_mice(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """statsmodels' MICEData (chained equations, predictive mean matching with 5 donors,
    Gaussian perturbation of the OLS coefficients), run separately in each arm."""
    from statsmodels.imputation.mice import MICEData

    chains = {
        level: MICEData(
            rows[["x", "y"]].reset_index(drop=True), k_pmm=5, rng=np.random.default_rng(2)
        )
        for level, rows in frame.groupby("arm")
    }
    completed = []
    for _ in range(M):
        parts = []
        for level, chain in chains.items():
            chain.update_all(1)  # x is complete: each update is an independent proper draw
            parts.append(chain.data.assign(arm=level))
        completed.append(pd.concat(parts, ignore_index=True))
    return completed


@pytest.mark.slow
def test_predictive_mean_matching_agrees_with_statsmodels_mice() -> None:
    data = _mar_trial()
    ours = impute_by_arm(
        data, arm="arm", columns=["x", "y"], n_imputations=M, rng=np.random.default_rng(1),
        method="pmm",
    )  # fmt: skip
    theirs = _statsmodels_mice(data)
    for statistic in ("mean", "std"):
        (a, se_a), (b, se_b) = _per_arm(ours, statistic), _per_arm(theirs, statistic)
        np.testing.assert_array_less(np.abs(a - b), 4 * np.hypot(se_a, se_b))
    # PMM imputes only observed values of the same arm
    for copy in ours:
        for level, rows in copy.groupby("arm"):
            donors = set(data.loc[(data["arm"] == level) & data["y"].notna(), "y"])
            assert set(rows["y"]) <= donors


@pytest.mark.slow
def test_normal_imputation_recovers_the_maximum_likelihood_mean() -> None:
    """Under MAR given x, the ML estimate of the mean of y (bivariate normal, factored
    likelihood; Little and Rubin 2019, Statistical Analysis with Missing Data, 3rd ed.,
    section 7.2) is ybar_cc + b (xbar - xbar_cc), with b the complete-case slope of y on x;
    proper imputation under the normal model converges to it as M grows."""
    data = _mar_trial()
    ours = impute_by_arm(
        data, arm="arm", columns=["x", "y"], n_imputations=M, rng=np.random.default_rng(1)
    )
    estimate, mc_se = _per_arm(ours, "mean")
    for i, (_, rows) in enumerate(data.groupby("arm")):
        cc = rows.dropna()
        slope = np.polyfit(cc["x"], cc["y"], 1)[0]
        ml = cc["y"].mean() + slope * (rows["x"].mean() - cc["x"].mean())
        assert abs(estimate[i] - ml) < 4 * mc_se[i]

"""Random streams: per simulation, independent of the split, common across n."""

from __future__ import annotations

import numpy as np
import pytest

from exonc.design import TrialDesign, simulate_trial
from exonc.design.simulate import stream_generator
from tests.design.conftest import three_visit_design


def test_stream_is_the_spawned_seed_sequence() -> None:
    spawned = np.random.SeedSequence(11).spawn(5)[3].spawn(2)[1]
    expected = np.random.default_rng(spawned).random(4)
    np.testing.assert_array_equal(stream_generator(11, 3, 1).random(4), expected)


def test_larger_trials_extend_smaller_ones(design: TrialDesign) -> None:
    small = simulate_trial(design, 20, seed=5, stream=2)
    large = simulate_trial(design, 30, seed=5, stream=2)
    np.testing.assert_array_equal(small.values[:20], large.values[:20])  # control arm
    np.testing.assert_array_equal(small.values[20:], large.values[30:50])  # treatment arm
    np.testing.assert_array_equal(small.observed[:20], large.observed[:20])


def test_mcar_dropout_and_means_match_the_design(design: TrialDesign) -> None:
    trial = simulate_trial(design, 20_000, seed=1, stream=0)
    # 40,000 participants: binomial SE of a share <= 0.0025, so 0.01 is 4 SE
    np.testing.assert_allclose(1 - trial.observed.mean(axis=0), design.dropout, atol=0.01)
    treated = trial.values[trial.treated, 0].mean(axis=0)
    control = trial.values[~trial.treated, 0].mean(axis=0)
    # SE of a difference of means with SD <= 12: 12 * sqrt(2 / 20000) = 0.12; 0.5 is 4 SE
    np.testing.assert_allclose(treated - control, design.outcomes[0].effect, atol=0.5)


def test_mar_dropout_depends_on_the_previous_value() -> None:
    design = three_visit_design(dropout_mechanism="mar", mar_strength=1.0)
    trial = simulate_trial(design, 20_000, seed=1, stream=0)
    attended_v1 = trial.observed[:, 0]
    dropped_v2 = attended_v1 & ~trial.observed[:, 1]
    stayed_v2 = attended_v1 & trial.observed[:, 1]
    first = trial.values[:, 0, 0]
    assert first[dropped_v2].mean() > first[stayed_v2].mean() + 2.0


def test_simulated_covariance_matches_the_design() -> None:
    design = three_visit_design(dropout=())
    trial = simulate_trial(design, 20_000, seed=2, stream=1)
    control = ~trial.treated
    joint = np.cov(np.column_stack([trial.baseline[control, 0], trial.values[control, 0]]).T)
    # 20,000 draws: relative SE of a variance about sqrt(2/20000) = 1 %; 5 % tolerance
    np.testing.assert_allclose(joint, design.outcomes[0].joint_covariance, rtol=0.05, atol=3.0)
    assert joint[0, 0] == pytest.approx(100.0, rel=0.05)


def test_strata_shares_and_shifts() -> None:
    from exonc.design import Stratum

    design = three_visit_design(dropout=(), strata=(Stratum("line", (0.7, 0.3), (0.0, -1.0)),))
    trial = simulate_trial(design, 20_000, seed=4, stream=0)
    level = trial.strata[:, 0]
    # 40,000 participants: SE of a share 0.0023; 0.01 is about 4 SE
    assert (level == 1).mean() == pytest.approx(0.3, abs=0.01)
    control = ~trial.treated
    gap = trial.values[control & (level == 0), 0].mean(0) - trial.values[
        control & (level == 1), 0
    ].mean(0)
    # shift -1 SD (10, 11, 12) per visit; SE of the gap about 0.2, tolerance 1.0
    np.testing.assert_allclose(gap, [10.0, 11.0, 12.0], atol=1.0)
    assert trial.stratum_indicators().shape == (40_000, 1)


def test_stratum_checks() -> None:
    from exonc.design import Stratum
    from exonc.errors import DesignInputError

    with pytest.raises(DesignInputError, match="must add up to 1"):
        Stratum("line", (0.5, 0.4))
    with pytest.raises(DesignInputError, match="has 1 values for 2 levels"):
        Stratum("line", (0.5, 0.5), (1.0,))

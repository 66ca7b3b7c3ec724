"""Checks by simulation: balance and predictability of both methods.

The predictability references are analytic:

* Permuted blocks of size 2m (1:1), convergence guessing, Blackwell and Hodges (1957): the
  expected number of correct guesses per block is ``m + (4**m / C(2m, m) − 1) / 2``.
  Checked by hand for m = 1 (first guess ½, second sure: 1.5) and m = 2 (½ + ⅔ + ⅔ + 1 =
  2.8333). Per allocation: 0.75 (size 2), 0.70833 (4), 0.68333 (6). With sizes 2, 4, 6
  drawn with equal probability, a position lies in a block of size s with probability
  s / 12, so the long-run proportion is (1.5 + 2.8333 + 4.1) / 12 = 0.70278.
* Minimisation on one factor with one level is Efron's (1971) biased coin. |D| is a
  reflecting walk: from 0 it moves to 1; from k ≥ 1 down with p, up with 1 − p. Its
  long-run share of time at 0 is π₀ = (2p − 1) / (2p), so guessing the preferred arm is
  right with probability π₀ / 2 + (1 − π₀) p = ½ + (2p − 1) / (4p): 0.6875 for p = 0.8,
  0.625 for p = 2/3.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from exonc.errors import RandomisationInputError
from exonc.randomisation import RandomisationDesign, simulate, simulate_levels, simulate_trial

from .conftest import CENTRES, LINES

# 74.8 % on 1st/2nd line (tests/reference/domain.md §3.1, COSA 2024)
LINE_SHARES = {"line": [0.75, 0.25]}


def _blackwell_hodges(m: int) -> float:
    return m + (4**m / math.comb(2 * m, m) - 1) / 2


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ([2], 1.5 / 2),
        ([4], _blackwell_hodges(2) / 4),
        ([6], _blackwell_hodges(3) / 6),
        ([2, 4, 6], (1.5 + _blackwell_hodges(2) + _blackwell_hodges(3)) / 12),
    ],
)
def test_block_predictability_matches_blackwell_hodges(sizes: list[int], expected: float) -> None:
    assert _blackwell_hodges(2) == pytest.approx(2 + 5 / 6)  # the hand count above
    design = RandomisationDesign.create(ratio={"a": 1, "b": 1}, block_sizes=sizes)
    result = simulate(design, participants=1200, trials=25, rng=np.random.default_rng(31))
    # simulation error (4 SE) plus at most one cut block per trial (6 / 1200 × ½ < 0.003)
    assert result.correct_guess == pytest.approx(expected, abs=4 * result.correct_guess_se + 0.003)
    assert result.chance == 0.5
    assert result.excess == pytest.approx(result.correct_guess - 0.5)


@pytest.mark.parametrize(("p", "expected"), [(0.8, 0.6875), (2 / 3, 0.625)])
def test_minimisation_predictability_matches_efrons_biased_coin(p: float, expected: float) -> None:
    design = RandomisationDesign.create(
        method="minimisation", ratio={"a": 1, "b": 1}, factors={"all": ["x"]}, probability=p
    )
    result = simulate(design, participants=1500, trials=20, rng=np.random.default_rng(32))
    assert result.correct_guess == pytest.approx(expected, abs=4 * result.correct_guess_se + 0.002)


def _preferable_simulation(
    design: RandomisationDesign, trials: int, seed: int
) -> tuple[float, float, float, list[float]]:
    rng = np.random.default_rng(seed)
    stratum, margins, overall = [], [], []
    for _ in range(trials):
        outcome = simulate_trial(design, simulate_levels(design, 357, rng, LINE_SHARES), rng)
        stratum.append(outcome.max_stratum_imbalance)
        margins.append(outcome.final_margin_imbalance)
        overall.append(outcome.final_overall_imbalance)
    return max(stratum), max(margins), max(overall), margins


def test_blocks_never_exceed_half_the_largest_block_within_a_stratum(
    preferable: RandomisationDesign,
) -> None:
    worst, _, _, _ = _preferable_simulation(preferable, trials=50, seed=41)
    assert worst <= max(preferable.block_sizes) / 2


@pytest.mark.slow
def test_blocks_never_exceed_half_the_largest_block_over_1000_trials(
    preferable: RandomisationDesign,
) -> None:
    worst, _, _, _ = _preferable_simulation(preferable, trials=1000, seed=42)
    assert worst <= max(preferable.block_sizes) / 2


def _complete_randomisation_margins(
    design: RandomisationDesign, trials: int, seed: int
) -> list[int]:
    """Largest final margin |D| per trial when every participant tosses a fair coin."""
    rng = np.random.default_rng(seed)
    worst = []
    for _ in range(trials):
        levels = simulate_levels(design, 357, rng, LINE_SHARES)
        signs = rng.integers(2, size=357) * 2 - 1
        worst.append(
            max(
                abs(int(signs[levels[:, f] == level].sum()))
                for f, factor in enumerate(design.factors)
                for level in range(len(factor.levels))
            )
        )
    return worst


@pytest.mark.slow
def test_minimisation_keeps_marginal_imbalance_small_over_1000_trials(
    preferable_minimisation: RandomisationDesign,
) -> None:
    # 357 participants, 10 margins (8 centres, 2 lines), p = 0.8. The largest margin |D| of a
    # trial: minimisation keeps its mean within 4, 95 % of trials within 7 and every trial
    # within 12, and its mean under a third of what a fair coin per participant leaves
    # (about 17 here, mostly on the 1st/2nd-line margin of about 268 people).
    _, worst_margin, worst_overall, margins = _preferable_simulation(
        preferable_minimisation, trials=1000, seed=43
    )
    assert np.mean(margins) <= 4
    assert np.percentile(margins, 95) <= 7
    assert worst_margin <= 12
    assert worst_overall <= 12
    coin = _complete_randomisation_margins(preferable_minimisation, trials=1000, seed=43)
    assert np.mean(margins) < np.mean(coin) / 3


def test_minimisation_margins_stay_small_over_50_trials(
    preferable_minimisation: RandomisationDesign,
) -> None:
    _, worst_margin, _, margins = _preferable_simulation(preferable_minimisation, 50, seed=44)
    assert worst_margin <= 12
    assert np.mean(margins) <= 4


def test_simulation_summary_and_its_table(preferable: RandomisationDesign) -> None:
    result = simulate(preferable, 60, 5, np.random.default_rng(0), LINE_SHARES)
    table = result.summary()
    assert table.loc[0, "method"] == "blocks"
    assert table.loc[0, "trials"] == 5
    assert 0.5 < result.correct_guess < 1


def test_levels_follow_the_prevalence(preferable: RandomisationDesign) -> None:
    levels = simulate_levels(preferable, 4000, np.random.default_rng(3), LINE_SHARES)
    assert levels.shape == (4000, 2)
    # share on the first line: 0.75 ± 4 × sqrt(0.75 × 0.25 / 4000) = ± 0.027
    assert np.mean(levels[:, 1] == 0) == pytest.approx(0.75, abs=0.027)
    assert set(np.unique(levels[:, 0])) == set(range(len(CENTRES)))
    assert len(LINES) == 2


def test_unstratified_levels() -> None:
    design = RandomisationDesign.create(ratio={"a": 1, "b": 1}, block_sizes=[2])
    assert simulate_levels(design, 5, np.random.default_rng(0)).shape == (5, 0)


@pytest.mark.parametrize(
    ("prevalence", "participants", "trials", "message"),
    [
        ({"age": [1.0]}, 10, 2, "column prevalence: value 'age': is not a factor"),
        ({"line": [1.0]}, 10, 2, "column prevalence: value [1.0]: needs one non-negative number"),
        ({"line": [0.0, 0.0]}, 10, 2, "column prevalence: value 'line': the prevalences must not"),
        ({"line": [-1.0, 2.0]}, 10, 2, "column prevalence: value [-1.0, 2.0]: needs one"),
        (None, 1, 2, "column participants: value 1: must be a whole number of at least 2"),
        (None, 10, 0, "column trials: value 0: must be a whole number of at least 2"),
    ],
)
def test_bad_simulation_settings_are_refused(
    preferable: RandomisationDesign,
    prevalence: dict[str, list[float]] | None,
    participants: int,
    trials: int,
    message: str,
) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        simulate(preferable, participants, trials, np.random.default_rng(0), prevalence)
    assert str(caught.value).startswith(message)

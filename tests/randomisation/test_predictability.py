"""The guessing strategies behind the predictability measure."""

from __future__ import annotations

import pytest

from exonc.randomisation import chance_level, convergence_guess, guess_score, most_likely_guess


@pytest.mark.parametrize(
    ("counts", "ratio", "guess"),
    [
        ([0, 0], [1, 1], (0, 1)),  # tie: guess at random
        ([3, 2], [1, 1], (1,)),  # the arm behind
        ([4, 2], [2, 1], (0, 1)),  # 2:1 at 4, 2 is on target for both
        ([3, 2], [2, 1], (0,)),  # 3/2 = 1.5 < 2/1
        ([1, 0, 0], [1, 1, 1], (1, 2)),
    ],
)
def test_convergence_guess(counts: list[int], ratio: list[int], guess: tuple[int, ...]) -> None:
    assert convergence_guess(counts, ratio) == guess


def test_most_likely_guess() -> None:
    assert most_likely_guess([0.2, 0.8]) == (1,)
    assert most_likely_guess([0.4, 0.4, 0.2]) == (0, 1)


@pytest.mark.parametrize(
    ("guess", "actual", "score"), [((0,), 0, 1.0), ((1,), 0, 0.0), ((0, 1), 1, 0.5)]
)
def test_guess_score(guess: tuple[int, ...], actual: int, score: float) -> None:
    assert guess_score(guess, actual) == score


def test_chance_level_is_the_largest_share() -> None:
    assert chance_level([1, 1]) == 0.5
    assert chance_level([2, 1]) == pytest.approx(2 / 3)

"""How well someone who has seen every past allocation can guess the next one.

The measure is Blackwell and Hodges' (1957) expected proportion of correct guesses, for an
observer who knows all previous allocations:

* permuted blocks — the *convergence strategy*: guess the arm that is furthest behind its
  ratio share in the participant's stratum (the smallest ``n_k / r_k``);
* minimisation — guess the arm the algorithm is most likely to give (the preferred arm),
  which needs the new participant's factor levels and the marginal counts.

Ties are guessed at random among the tied arms, so a guess scores ``1 / (number of tied
arms)`` when the arm given is among them. The *chance* level is what a guess without
information achieves: the largest ratio share (0.5 for 1:1). The *excess* is the correct-guess
proportion minus chance.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["chance_level", "convergence_guess", "guess_score", "most_likely_guess"]


def convergence_guess(counts: Sequence[int], ratio: Sequence[int]) -> tuple[int, ...]:
    """Indices of the arms furthest behind their share (smallest ``counts[k] / ratio[k]``)."""
    adjusted = [n / r for n, r in zip(counts, ratio, strict=True)]
    lowest = min(adjusted)
    return tuple(k for k, a in enumerate(adjusted) if a - lowest < 1e-12)


def most_likely_guess(probabilities: Sequence[float]) -> tuple[int, ...]:
    """Indices of the arms with the highest allocation probability."""
    highest = max(probabilities)
    return tuple(k for k, p in enumerate(probabilities) if highest - p < 1e-12)


def guess_score(guess: Sequence[int], actual: int) -> float:
    """Expected score of a random pick among *guess*: ``1/len(guess)`` if *actual* is in it."""
    return 1 / len(guess) if actual in guess else 0.0


def chance_level(ratio: Sequence[int]) -> float:
    """Correct-guess probability without information: always guess the largest arm."""
    return max(ratio) / sum(ratio)

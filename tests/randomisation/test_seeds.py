"""Streams derived from the secret seed: independent per purpose, stratum and allocation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from exonc.errors import RandomisationInputError
from exonc.randomisation import check_seed, list_generator, minimisation_generator


def _draws(rng: np.random.Generator) -> list[int]:
    return [int(x) for x in rng.integers(0, 2**32, size=8)]


def test_same_seed_purpose_and_stratum_give_the_same_stream() -> None:
    first = _draws(list_generator(2024, "live", "centre=C1|line=3rd+"))
    again = _draws(list_generator(2024, "live", "centre=C1|line=3rd+"))
    assert first == again


@pytest.mark.parametrize(
    ("seed", "purpose", "stratum"),
    [
        (2025, "live", "centre=C1|line=3rd+"),  # another seed
        (2024, "test", "centre=C1|line=3rd+"),  # the dummy list
        (2024, "live", "centre=C2|line=3rd+"),  # another stratum
    ],
)
def test_streams_differ_by_seed_purpose_and_stratum(seed: int, purpose: Any, stratum: str) -> None:
    reference = _draws(list_generator(2024, "live", "centre=C1|line=3rd+"))
    assert _draws(list_generator(seed, purpose, stratum)) != reference


def test_minimisation_streams_differ_from_list_streams_and_by_allocation() -> None:
    first = _draws(minimisation_generator(7, "live", 1))
    assert first == _draws(minimisation_generator(7, "live", 1))
    assert first != _draws(minimisation_generator(7, "live", 2))
    assert first != _draws(minimisation_generator(7, "test", 1))


def test_big_seeds_are_accepted() -> None:
    assert check_seed(2**128 - 1) == 2**128 - 1
    _draws(list_generator(2**128 - 1, "live", "all"))


@pytest.mark.parametrize("seed", [-1, 1.5, "12", True, None])
def test_invalid_seeds_are_refused(seed: Any) -> None:
    with pytest.raises(RandomisationInputError, match=r"column seed: .*non-negative whole number"):
        check_seed(seed)


def test_unknown_purpose_is_refused() -> None:
    with pytest.raises(RandomisationInputError, match="value 'dev': is not a list purpose"):
        list_generator(1, "dev", "all")  # type: ignore[arg-type]


@pytest.mark.parametrize("allocation", [0, -3, 1.0])
def test_allocation_numbers_start_at_one(allocation: Any) -> None:
    with pytest.raises(RandomisationInputError, match="allocation number"):
        minimisation_generator(1, "live", allocation)

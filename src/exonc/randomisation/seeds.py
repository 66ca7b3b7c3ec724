"""Random streams derived from the trial's secret seed.

One secret integer (the *seed*, kept by the trial statistician, never in the protocol file)
feeds every random choice of a trial. Each use gets its own independent stream, derived with
numpy's :class:`~numpy.random.SeedSequence` and a *spawn key*:

=========================  =============================================================
stream                     spawn key
=========================  =============================================================
list, one per stratum      ``(purpose, 0, first 8 bytes of SHA-256(stratum label))``
minimisation, allocation n ``(purpose, 1, n)``
=========================  =============================================================

``purpose`` is 0 for the live list and 1 for the test (dummy) list, so the test list made
from the same seed shares nothing with the live one and may be shown to site staff for
training. Deriving a stratum's stream from its label means that adding a centre later does
not change the lists of the existing strata. The bit generator is PCG64, named explicitly.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal, get_args

import numpy as np

from exonc.errors import RandomisationInputError

__all__ = [
    "PURPOSES",
    "Purpose",
    "check_purpose",
    "check_seed",
    "list_generator",
    "minimisation_generator",
]

Purpose = Literal["live", "test"]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)

_PURPOSE_KEY = {"live": 0, "test": 1}
_LIST_STREAM = 0
_MINIMISATION_STREAM = 1


def check_seed(seed: Any) -> int:
    """Return *seed* if it is a non-negative whole number, else raise with a hint."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise RandomisationInputError(
            "the seed must be a non-negative whole number",
            column="seed",
            value=seed,
            hint="make a new one with `exonc randomise seed` (128 random bits)",
        )
    return seed


def check_purpose(purpose: Any) -> Purpose:
    if purpose not in PURPOSES:
        raise RandomisationInputError(
            "is not a list purpose",
            column="purpose",
            value=purpose,
            hint="use 'live' for the real list or 'test' for the dummy list",
        )
    return purpose  # type: ignore[no-any-return]


def list_generator(seed: int, purpose: Purpose, stratum: str) -> np.random.Generator:
    """The generator that draws the allocation list of one stratum."""
    digest = hashlib.sha256(stratum.encode("utf-8")).digest()
    key = (_purpose_key(purpose), _LIST_STREAM, int.from_bytes(digest[:8], "big"))
    return _generator(seed, key)


def minimisation_generator(seed: int, purpose: Purpose, allocation: int) -> np.random.Generator:
    """The generator for the *allocation*-th minimisation decision of a trial (1-based).

    Replaying the trial's allocations in order with the same seed reproduces every decision,
    which lets a statistician audit a minimised trial from its allocation log.
    """
    if isinstance(allocation, bool) or not isinstance(allocation, int) or allocation < 1:
        raise RandomisationInputError(
            "the allocation number must be a whole number of at least 1", value=allocation
        )
    return _generator(seed, (_purpose_key(purpose), _MINIMISATION_STREAM, allocation))


def _purpose_key(purpose: Purpose) -> int:
    return _PURPOSE_KEY[check_purpose(purpose)]


def _generator(seed: int, spawn_key: tuple[int, ...]) -> np.random.Generator:
    sequence = np.random.SeedSequence(check_seed(seed), spawn_key=spawn_key)
    return np.random.Generator(np.random.PCG64(sequence))

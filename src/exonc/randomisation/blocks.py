"""Stratified permuted blocks with randomly varying block sizes.

Within each stratum the list is a run of blocks. Each block's size is drawn with equal
probability from the design's block sizes; a block of size ``b`` holds every arm
``b / ratio_sum × share`` times in a random order (a uniformly random permutation). The
list of a stratum has exactly the requested length: near its end only the sizes that still
let the remaining positions be filled by whole blocks are eligible, so every block is
complete and balanced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from exonc.errors import RandomisationInputError
from exonc.randomisation.allocation_list import AllocationList, ListEntry
from exonc.randomisation.design import RandomisationDesign, Stratum
from exonc.randomisation.seeds import Purpose, check_purpose, check_seed, list_generator

__all__ = ["draw_block", "fillable_lengths", "generate_list", "permuted_block"]


def generate_list(
    design: RandomisationDesign, seed: int, per_stratum: int, purpose: Purpose = "live"
) -> AllocationList:
    """The allocation list of *design*: *per_stratum* positions in every stratum.

    The same design, seed, length and purpose give the same list (byte-identical once
    written, see :func:`exonc.randomisation.list_to_csv`). Each stratum draws from its own
    stream (:func:`exonc.randomisation.seeds.list_generator`).
    """
    if design.method != "blocks":
        raise RandomisationInputError(
            "only a permuted-block design has an allocation list",
            column="method",
            value=design.method,
            hint="minimisation allocates from the current balance, one participant at a time",
        )
    check_seed(seed)
    check_purpose(purpose)
    _check_length(design, per_stratum)
    entries = [
        entry
        for stratum in design.strata()
        for entry in _stratum_entries(
            design, stratum, per_stratum, list_generator(seed, purpose, stratum.label)
        )
    ]
    return AllocationList(design.factor_names, tuple(entries), purpose)


def permuted_block(design: RandomisationDesign, size: int, rng: np.random.Generator) -> list[str]:
    """One block of *size* positions holding every arm in its ratio, in random order."""
    multiple = size // design.ratio_sum
    content = [arm.name for arm in design.arms for _ in range(arm.ratio * multiple)]
    order = rng.permutation(len(content))
    return [content[i] for i in order]


def draw_block(
    design: RandomisationDesign, rng: np.random.Generator, sizes: Sequence[int] | None = None
) -> list[str]:
    """A block whose size is drawn with equal probability from *sizes* (default: the design's)."""
    choices = design.block_sizes if sizes is None else sizes
    size = choices[int(rng.integers(len(choices)))]
    return permuted_block(design, size, rng)


def fillable_lengths(block_sizes: Sequence[int], longest: int) -> list[bool]:
    """``result[n]`` says whether ``n`` positions can be filled exactly by whole blocks."""
    fillable = [False] * (longest + 1)
    fillable[0] = True
    for n in range(1, longest + 1):
        fillable[n] = any(size <= n and fillable[n - size] for size in block_sizes)
    return fillable


def _stratum_entries(
    design: RandomisationDesign, stratum: Stratum, length: int, rng: np.random.Generator
) -> list[ListEntry]:
    fillable = fillable_lengths(design.block_sizes, length)
    entries: list[ListEntry] = []
    levels = stratum.as_dict()
    block = 0
    while len(entries) < length:
        remaining = length - len(entries)
        sizes = [s for s in design.block_sizes if s <= remaining and fillable[remaining - s]]
        arms = draw_block(design, rng, sizes)
        block += 1
        start = len(entries)
        entries.extend(
            ListEntry(
                stratum=stratum.label,
                position=start + offset + 1,
                arm=arm,
                levels=levels,
                block=block,
                block_size=len(arms),
            )
            for offset, arm in enumerate(arms)
        )
    return entries


def _check_length(design: RandomisationDesign, per_stratum: int) -> None:
    if isinstance(per_stratum, bool) or not isinstance(per_stratum, int) or per_stratum < 1:
        raise RandomisationInputError(
            "the list length per stratum must be a whole number of at least 1",
            column="per_stratum",
            value=per_stratum,
        )
    fillable = fillable_lengths(design.block_sizes, per_stratum + max(design.block_sizes))
    if fillable[per_stratum]:
        return
    below = next((n for n in range(per_stratum, 0, -1) if fillable[n]), None)
    above = next(n for n in range(per_stratum, len(fillable)) if fillable[n])
    nearest = f"{below} or {above}" if below else str(above)
    raise RandomisationInputError(
        f"cannot be filled with whole blocks of sizes {', '.join(map(str, design.block_sizes))}",
        column="per_stratum",
        value=per_stratum,
        hint=f"use {nearest} positions per stratum",
    )

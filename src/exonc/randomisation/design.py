"""The randomisation design: arms and their ratio, stratification factors, and the method.

A design is protocol data that everyone on the trial may read. The secret seed that turns a
design into an allocation list is deliberately *not* part of it (see
:mod:`exonc.randomisation.seeds`).

Build a design from plain values (as a protocol file holds them) with
:meth:`RandomisationDesign.create`; every field is validated and a problem is reported as a
:class:`~exonc.errors.RandomisationInputError` naming the field, the value and what to do.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, get_args

from exonc.errors import RandomisationInputError

__all__ = [
    "LIST_COLUMNS",
    "UNSTRATIFIED",
    "Arm",
    "Assignment",
    "Factor",
    "ImbalanceMeasure",
    "Method",
    "RandomisationDesign",
    "Stratum",
]

Method = Literal["blocks", "minimisation"]
ImbalanceMeasure = Literal["range", "variance"]

#: The fixed columns of an allocation list; factor columns follow them.
LIST_COLUMNS = ("stratum", "position", "block", "block_size", "arm")
#: The label of the single stratum of a design without factors.
UNSTRATIFIED = "all"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LABEL_FORBIDDEN = re.compile(r"[|\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Arm:
    """A treatment arm and its integer share of the allocation ratio."""

    name: str
    ratio: int = 1


@dataclass(frozen=True)
class Factor:
    """A stratification (or minimisation) factor with its levels, in protocol order.

    ``weight`` is the factor's weight in the minimisation imbalance score; permuted blocks
    ignore it.
    """

    name: str
    levels: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Stratum:
    """One cell of the cartesian product of the factors' levels."""

    levels: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        """``factor=level`` pairs joined by ``|`` in factor order, e.g. ``centre=C1|line=3rd+``."""
        if not self.levels:
            return UNSTRATIFIED
        return "|".join(f"{name}={level}" for name, level in self.levels)

    def as_dict(self) -> dict[str, str]:
        return dict(self.levels)


@dataclass(frozen=True)
class Assignment:
    """A participant's factor levels and the arm they were allocated to."""

    levels: Mapping[str, str]
    arm: str


@dataclass(frozen=True)
class RandomisationDesign:
    """How participants are allocated: method, arms with ratio, factors and parameters.

    ``block_sizes`` (permuted blocks only) are numbers of participants per block, each a
    multiple of the ratio sum; they are kept sorted. ``probability`` (minimisation only) is
    the chance of giving the arm that minimises imbalance; ``measure`` is how imbalance
    within a factor level is measured.
    """

    method: Method
    arms: tuple[Arm, ...]
    factors: tuple[Factor, ...] = ()
    block_sizes: tuple[int, ...] = ()
    probability: float = 0.8
    measure: ImbalanceMeasure = "range"

    def __post_init__(self) -> None:
        _check_method(self)
        _check_arms(self.arms)
        _check_factors(self.factors)
        _check_blocks(self)
        _check_minimisation(self)
        object.__setattr__(self, "block_sizes", tuple(sorted(self.block_sizes)))

    @classmethod
    def create(
        cls,
        *,
        method: str = "blocks",
        ratio: Mapping[str, int],
        factors: Mapping[str, Sequence[str]] | None = None,
        block_sizes: Sequence[int] = (),
        probability: float = 0.8,
        weights: Mapping[str, float] | None = None,
        measure: str = "range",
    ) -> RandomisationDesign:
        """Build a design from plain values, e.g. a protocol file's ``[randomisation]`` table.

        ``ratio`` maps arm names to integer shares in arm order (``{"exercise": 1,
        "control": 1}``); ``factors`` maps factor names to their levels; ``weights`` maps
        factor names to minimisation weights (default 1 each).
        """
        factor_map = _mapping(factors or {}, "factors")
        weight_map = _mapping(weights or {}, "weights")
        unknown = sorted(set(weight_map) - set(factor_map))
        if unknown:
            raise RandomisationInputError(
                "is not a factor of the design",
                column="weights",
                value=unknown[0],
                hint=f"give weights for the factors {', '.join(factor_map) or '(none)'}",
            )
        return cls(
            method=method,  # type: ignore[arg-type]  # checked in __post_init__
            arms=tuple(Arm(name, share) for name, share in _mapping(ratio, "ratio").items()),
            factors=tuple(
                Factor(name, _levels(name, levels), weight_map.get(name, 1.0))
                for name, levels in factor_map.items()
            ),
            block_sizes=tuple(_sequence(block_sizes, "block_sizes")),
            probability=probability,
            measure=measure,  # type: ignore[arg-type]  # checked in __post_init__
        )

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any]) -> RandomisationDesign:
        """Build a design from a protocol file's table with the keys of :meth:`create`.

        Unknown keys are refused (a misspelt ``block_size`` must not be ignored).
        """
        table = _mapping(table, "randomisation")
        known = ("method", "ratio", "factors", "block_sizes", "probability", "weights", "measure")
        for key in table:
            if key not in known:
                raise RandomisationInputError(
                    "is not a randomisation setting",
                    column=str(key),
                    hint=f"use {', '.join(known)}",
                )
        if "ratio" not in table:
            raise RandomisationInputError(
                "missing setting ratio",
                column="ratio",
                hint="name every arm with its share, e.g. ratio = { exercise = 1, control = 1 }",
            )
        return cls.create(**table)

    @cached_property
    def arm_names(self) -> tuple[str, ...]:
        return tuple(arm.name for arm in self.arms)

    @cached_property
    def ratio(self) -> tuple[int, ...]:
        return tuple(arm.ratio for arm in self.arms)

    @cached_property
    def ratio_sum(self) -> int:
        return sum(self.ratio)

    @cached_property
    def factor_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    @cached_property
    def weights(self) -> tuple[float, ...]:
        """The factors' minimisation weights, in factor order."""
        return tuple(f.weight for f in self.factors)

    def factor(self, name: str) -> Factor:
        """The factor called *name* (``KeyError`` if the design has none)."""
        for factor in self.factors:
            if factor.name == name:
                return factor
        raise KeyError(name)

    def strata(self) -> Iterator[Stratum]:
        """Every stratum, in protocol order (the first factor varies slowest)."""
        names = self.factor_names
        for combination in itertools.product(*(f.levels for f in self.factors)):
            yield Stratum(tuple(zip(names, combination, strict=True)))

    def stratum_of(self, levels: Mapping[str, str]) -> Stratum:
        """The stratum of a participant with these factor levels (other keys are ignored).

        Missing or unknown levels raise :class:`RandomisationInputError` naming the factor.
        """
        pairs = []
        for factor in self.factors:
            level = levels.get(factor.name)
            if level is None or (isinstance(level, str) and not level.strip()):
                raise RandomisationInputError(
                    "missing stratification data",
                    column=factor.name,
                    hint=f"record the participant's {factor.name} before randomising",
                )
            if level not in factor.levels:
                raise RandomisationInputError(
                    f"is not a level of factor {factor.name}",
                    column=factor.name,
                    value=level,
                    hint=f"use one of {', '.join(factor.levels)}",
                )
            pairs.append((factor.name, level))
        return Stratum(tuple(pairs))


def _check_method(design: RandomisationDesign) -> None:
    if design.method not in get_args(Method):
        raise RandomisationInputError(
            "is not a randomisation method",
            column="method",
            value=design.method,
            hint="use 'blocks' (stratified permuted blocks) or 'minimisation'",
        )
    if design.measure not in get_args(ImbalanceMeasure):
        raise RandomisationInputError(
            "is not an imbalance measure",
            column="measure",
            value=design.measure,
            hint="use 'range' or 'variance'",
        )


def _check_arms(arms: tuple[Arm, ...]) -> None:
    if len(arms) < 2:
        raise RandomisationInputError(
            "a design needs at least two arms",
            column="ratio",
            value=len(arms),
            hint="name every arm with its share, e.g. exercise=1, control=1",
        )
    seen: set[str] = set()
    for arm in arms:
        _check_label(arm.name, "arm name", seen)
        if not _is_int(arm.ratio) or arm.ratio < 1:
            raise RandomisationInputError(
                f"the ratio share of arm {arm.name} must be a whole number of at least 1",
                column="ratio",
                value=arm.ratio,
            )


def _check_factors(factors: tuple[Factor, ...]) -> None:
    names: set[str] = set()
    for factor in factors:
        if not isinstance(factor.name, str) or not _NAME.match(factor.name):
            raise RandomisationInputError(
                "is not a valid factor name",
                column="factors",
                value=factor.name,
                hint="use letters, digits and underscores, starting with a letter",
            )
        if factor.name in LIST_COLUMNS or factor.name.startswith("redcap_"):
            raise RandomisationInputError(
                "is a reserved column name",
                column="factors",
                value=factor.name,
                hint=f"rename the factor; {', '.join(LIST_COLUMNS)} and redcap_* are reserved",
            )
        if factor.name in names:
            raise RandomisationInputError("repeated factor", column="factors", value=factor.name)
        names.add(factor.name)
        if not factor.levels:
            raise RandomisationInputError(
                f"factor {factor.name} has no levels", column="factors", hint="list its levels"
            )
        seen: set[str] = set()
        for level in factor.levels:
            _check_label(level, f"level of factor {factor.name}", seen)
        _check_weight(factor)


def _check_weight(factor: Factor) -> None:
    weight = factor.weight
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
        raise RandomisationInputError(
            f"the weight of factor {factor.name} must be a number", column="weights", value=weight
        )
    if weight < 0:
        raise RandomisationInputError(
            f"the weight of factor {factor.name} must not be negative",
            column="weights",
            value=weight,
        )


def _check_blocks(design: RandomisationDesign) -> None:
    sizes = design.block_sizes
    if design.method == "minimisation":
        if sizes:
            raise RandomisationInputError(
                "block sizes apply to method 'blocks' only",
                column="block_sizes",
                value=list(sizes),
                hint="remove them, or choose method 'blocks'",
            )
        return
    if not sizes:
        raise RandomisationInputError(
            "permuted blocks need at least one block size",
            column="block_sizes",
            hint=f"give multiples of the ratio sum {design.ratio_sum}, e.g. "
            f"{design.ratio_sum}, {2 * design.ratio_sum}, {3 * design.ratio_sum}",
        )
    if len(set(sizes)) != len(sizes):
        raise RandomisationInputError(
            "repeated block size", column="block_sizes", value=list(sizes)
        )
    for size in sizes:
        if not _is_int(size) or size < 1 or size % design.ratio_sum:
            raise RandomisationInputError(
                f"a block size must be a positive multiple of the ratio sum {design.ratio_sum}",
                column="block_sizes",
                value=size,
                hint="otherwise a block cannot hold every arm in its ratio",
            )


def _check_minimisation(design: RandomisationDesign) -> None:
    p = design.probability
    lowest = 1 / len(design.arms)
    if isinstance(p, bool) or not isinstance(p, int | float) or not lowest < p <= 1:
        raise RandomisationInputError(
            f"the minimisation probability must be above {lowest:g} and at most 1",
            column="probability",
            value=p,
            hint="the usual choice is 0.8",
        )
    if design.method != "minimisation":
        return
    if not design.factors:
        raise RandomisationInputError(
            "minimisation needs at least one factor",
            column="factors",
            hint="list the factors to balance, e.g. centre and line of treatment",
        )
    if not any(f.weight > 0 for f in design.factors):
        raise RandomisationInputError(
            "at least one factor needs a positive weight", column="weights"
        )


def _check_label(label: Any, what: str, seen: set[str]) -> None:
    if not isinstance(label, str) or not label or label != label.strip():
        raise RandomisationInputError(
            f"each {what} must be non-empty text without surrounding spaces", value=label
        )
    if _LABEL_FORBIDDEN.search(label):
        raise RandomisationInputError(
            f"the {what} contains | or a control character",
            value=label,
            hint="rename it (| separates the factors in a stratum label)",
        )
    if label in seen:
        raise RandomisationInputError(f"repeated {what}", value=label)
    seen.add(label)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RandomisationInputError(
            "must be a table of names to values", column=name, value=type(value).__name__
        )
    return value


def _sequence(value: Any, name: str) -> Sequence[Any]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise RandomisationInputError("must be a list", column=name, value=value)
    return value


def _levels(name: str, levels: Any) -> tuple[str, ...]:
    return tuple(_sequence(levels, f"factors.{name}"))

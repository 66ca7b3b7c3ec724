"""Minimisation (Pocock and Simon, 1975) with a random element and factor weights.

For a new participant with levels ``l_1 … l_F`` and each candidate arm ``k``:

1. take the counts of participants already allocated to every arm at the participant's level
   of each factor, add the new participant to arm ``k``, and divide each arm's count by its
   ratio share (so that ``2:1`` counts of ``20, 10`` are balanced);
2. measure the imbalance of those adjusted counts per factor — the *range* (largest minus
   smallest) or the *variance* (with the ``n − 1`` divisor, as R's ``var``);
3. the score ``G_k`` is the weighted sum of the factors' imbalances.

The arms with the smallest score (within 1e-9) are *preferred*. If every arm is preferred,
the arm is drawn with the ratio's probabilities. Otherwise the preferred arms share
probability ``p`` (the design's ``probability``, 0.8 by default) equally and the others share
``1 − p`` equally — the rule of the R package Minirand, except that Minirand draws a
complete tie with equal probabilities. One uniform number from the generator picks the
arm, so a decision is reproducible from the generator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from exonc.errors import RandomisationInputError
from exonc.randomisation.design import Assignment, RandomisationDesign
from exonc.randomisation.seeds import Purpose, minimisation_generator

__all__ = [
    "MinimisationDecision",
    "MinimisationState",
    "allocation_probabilities",
    "choose",
    "imbalance_scores",
    "minimise",
    "replay_minimisation",
]

_TIE = 1e-9


@dataclass(frozen=True)
class MinimisationState:
    """Counts of allocated participants per factor level and arm (arms in design order).

    Derive it from the allocation records with :meth:`from_assignments`, or carry it
    forward with :meth:`after`.
    """

    arms: tuple[str, ...]
    counts: Mapping[str, Mapping[str, tuple[int, ...]]]

    @classmethod
    def empty(cls, design: RandomisationDesign) -> MinimisationState:
        zero = (0,) * len(design.arms)
        counts = {f.name: dict.fromkeys(f.levels, zero) for f in design.factors}
        return cls(design.arm_names, counts)

    @classmethod
    def from_assignments(
        cls, design: RandomisationDesign, assignments: Iterable[Assignment]
    ) -> MinimisationState:
        """The state after the given allocations (in any order)."""
        state = cls.empty(design)
        for assignment in assignments:
            state = state.after(design, assignment.levels, assignment.arm)
        return state

    @classmethod
    def from_counts(
        cls, design: RandomisationDesign, counts: Iterable[tuple[str, str, str, int]]
    ) -> MinimisationState:
        """The state from ``(factor, level, arm, n)`` rows, e.g. a database ``GROUP BY``.

        Missing combinations count 0; unknown factors, levels or arms are refused.
        """
        table = {
            f.name: {level: [0] * len(design.arms) for level in f.levels} for f in design.factors
        }
        for factor, level, arm, n in counts:
            if factor not in table or level not in table[factor] or arm not in design.arm_names:
                raise RandomisationInputError(
                    "is not a factor, level and arm of the design",
                    value=f"{factor}={level}, {arm}",
                    hint="rebuild the counts from the trial's allocation records",
                )
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise RandomisationInputError(
                    "a count must be a non-negative whole number", value=n
                )
            table[factor][level][design.arm_names.index(arm)] += n
        frozen = {f: {lv: tuple(c) for lv, c in by.items()} for f, by in table.items()}
        return cls(design.arm_names, frozen)

    def count(self, factor: str, level: str, arm: str) -> int:
        return self.counts[factor][level][self.arms.index(arm)]

    @property
    def total(self) -> int:
        """Number of participants allocated so far."""
        first = next(iter(self.counts.values()), {})
        return sum(sum(c) for c in first.values())

    def after(
        self, design: RandomisationDesign, levels: Mapping[str, str], arm: str
    ) -> MinimisationState:
        """A new state with one more participant (these *levels*) allocated to *arm*."""
        stratum = design.stratum_of(levels)
        if arm not in self.arms:
            raise RandomisationInputError(
                "is not an arm of the design",
                column="arm",
                value=arm,
                hint=f"use one of {', '.join(self.arms)}",
            )
        k = self.arms.index(arm)
        counts = {name: dict(by_level) for name, by_level in self.counts.items()}
        for name, level in stratum.levels:
            old = counts[name][level]
            counts[name][level] = (*old[:k], old[k] + 1, *old[k + 1 :])
        return MinimisationState(self.arms, counts)


@dataclass(frozen=True)
class MinimisationDecision:
    """One minimisation step: the arm given, why, and the state afterwards."""

    arm: str
    scores: Mapping[str, float]
    preferred: tuple[str, ...]
    probabilities: Mapping[str, float]
    state: MinimisationState


def imbalance_scores(
    design: RandomisationDesign, level_counts: Sequence[Sequence[int]]
) -> tuple[float, ...]:
    """The score ``G_k`` of giving each arm, from the counts at the participant's levels.

    ``level_counts[f][k]`` is the number of participants already in arm ``k`` at the new
    participant's level of factor ``f`` (factors and arms in design order).
    """
    ratio = design.ratio
    weights = design.weights
    scores = []
    for k in range(len(ratio)):
        total = 0.0
        for weight, counts in zip(weights, level_counts, strict=True):
            adjusted = [c / r for c, r in zip(counts, ratio, strict=True)]
            adjusted[k] = (counts[k] + 1) / ratio[k]
            total += weight * _imbalance(adjusted, design.measure)
        scores.append(total)
    return tuple(scores)


def allocation_probabilities(
    design: RandomisationDesign, scores: Sequence[float]
) -> tuple[float, ...]:
    """Each arm's probability of being given, from the scores (see the module docstring)."""
    preferred = _preferred(scores)
    n_preferred = sum(preferred)
    if n_preferred == len(scores):
        return tuple(r / design.ratio_sum for r in design.ratio)
    p = design.probability
    rest = len(scores) - n_preferred
    return tuple(p / n_preferred if best else (1 - p) / rest for best in preferred)


def minimise(
    design: RandomisationDesign,
    state: MinimisationState,
    levels: Mapping[str, str],
    rng: np.random.Generator,
) -> MinimisationDecision:
    """Allocate a participant with these factor *levels*; deterministic given *rng*.

    Draws exactly one uniform number from *rng*. The state is not changed; the decision
    carries the state after the allocation.
    """
    _check_state(design, state)
    stratum = design.stratum_of(levels)
    counts = [state.counts[name][level] for name, level in stratum.levels]
    scores = imbalance_scores(design, counts)
    probabilities = allocation_probabilities(design, scores)
    arm = design.arm_names[choose(probabilities, float(rng.random()))]
    preferred = _preferred(scores)
    return MinimisationDecision(
        arm=arm,
        scores=dict(zip(design.arm_names, scores, strict=True)),
        preferred=tuple(a for a, best in zip(design.arm_names, preferred, strict=True) if best),
        probabilities=dict(zip(design.arm_names, probabilities, strict=True)),
        state=state.after(design, stratum.as_dict(), arm),
    )


def choose(probabilities: Sequence[float], u: float) -> int:
    """The index picked by the uniform number *u* in ``[0, 1)`` (cumulative order)."""
    cumulative = 0.0
    for index, probability in enumerate(probabilities):
        cumulative += probability
        if u < cumulative:
            return index
    return len(probabilities) - 1


def replay_minimisation(
    design: RandomisationDesign,
    participants: Sequence[Mapping[str, str]],
    seed: int,
    purpose: Purpose = "live",
) -> tuple[MinimisationDecision, ...]:
    """Every decision of a minimised trial, participants in allocation order.

    Decision ``n`` uses :func:`~exonc.randomisation.seeds.minimisation_generator` with
    allocation number ``n``, as the platform does, so a statistician holding the seed can
    check the allocation log.
    """
    state = MinimisationState.empty(design)
    decisions = []
    for number, levels in enumerate(participants, start=1):
        decision = minimise(design, state, levels, minimisation_generator(seed, purpose, number))
        decisions.append(decision)
        state = decision.state
    return tuple(decisions)


def _preferred(scores: Sequence[float]) -> list[bool]:
    lowest = min(scores)
    return [s <= lowest + _TIE * max(1.0, abs(lowest)) for s in scores]


def _imbalance(adjusted: Sequence[float], measure: str) -> float:
    if measure == "range":
        return max(adjusted) - min(adjusted)
    mean = sum(adjusted) / len(adjusted)
    return sum((a - mean) ** 2 for a in adjusted) / (len(adjusted) - 1)


def _check_state(design: RandomisationDesign, state: MinimisationState) -> None:
    expected = {f.name: set(f.levels) for f in design.factors}
    actual = {name: set(by_level) for name, by_level in state.counts.items()}
    if state.arms != design.arm_names or actual != expected:
        raise RandomisationInputError(
            "the minimisation state does not belong to this design",
            hint="rebuild it from the allocation records with MinimisationState.from_assignments",
        )

"""Simulated trials: balance and predictability of a design before it is used.

Each simulated trial draws participants' factor levels (independently per factor, with the
given prevalences, uniform by default) and allocates them one by one with the design's
method, using the same block and minimisation code as the real allocations. Permuted
blocks are drawn as the stratum needs them (an unbounded list).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exonc.errors import RandomisationInputError
from exonc.randomisation.blocks import draw_block
from exonc.randomisation.design import RandomisationDesign
from exonc.randomisation.minimisation import allocation_probabilities, choose, imbalance_scores
from exonc.randomisation.predictability import (
    chance_level,
    convergence_guess,
    guess_score,
    most_likely_guess,
)
from exonc.randomisation.reports import imbalance
from exonc.results import Result

__all__ = ["SimulationSummary", "TrialOutcome", "simulate", "simulate_levels", "simulate_trial"]

Counts = list[int]


@dataclass(frozen=True)
class TrialOutcome:
    """One simulated trial: arm indices given, guess scores and imbalance figures.

    ``max_stratum_imbalance`` is the largest within-stratum imbalance at any time during the
    trial; the margin and overall figures are at the end of the trial.
    """

    arms: tuple[int, ...]
    guess_scores: tuple[float, ...]
    max_stratum_imbalance: float
    final_margin_imbalance: float
    final_overall_imbalance: float

    @property
    def correct_guess(self) -> float:
        return sum(self.guess_scores) / len(self.guess_scores)


@dataclass(frozen=True, eq=False)
class SimulationSummary(Result):
    """Balance and predictability of a design over many simulated trials.

    ``correct_guess`` is the proportion of correct guesses pooled over trials (its standard
    error from the spread between trials), ``chance`` the level without information.
    ``max_stratum_imbalance`` is the worst within-stratum imbalance seen at any time in any
    trial. Each trial's *largest margin imbalance* (over every level of every factor, at the
    end of the trial) is summarised by its mean, 95th percentile and maximum over trials;
    the overall imbalance (all participants) by its mean and maximum.
    """

    method: str
    trials: int
    participants: int
    correct_guess: float
    correct_guess_se: float
    chance: float
    max_stratum_imbalance: float
    mean_margin_imbalance: float
    p95_margin_imbalance: float
    max_margin_imbalance: float
    mean_overall_imbalance: float
    max_overall_imbalance: float

    @property
    def excess(self) -> float:
        """Correct-guess proportion above chance."""
        return self.correct_guess - self.chance

    def summary(self) -> pd.DataFrame:
        row = {
            "method": self.method,
            "trials": self.trials,
            "participants": self.participants,
            "correct_guess": self.correct_guess,
            "se": self.correct_guess_se,
            "chance": self.chance,
            "excess": self.excess,
            "max_stratum_imbalance": self.max_stratum_imbalance,
            "mean_margin_imbalance": self.mean_margin_imbalance,
            "p95_margin_imbalance": self.p95_margin_imbalance,
            "max_margin_imbalance": self.max_margin_imbalance,
            "mean_overall_imbalance": self.mean_overall_imbalance,
            "max_overall_imbalance": self.max_overall_imbalance,
        }
        return pd.DataFrame([row])


def simulate_levels(
    design: RandomisationDesign,
    participants: int,
    rng: np.random.Generator,
    prevalence: Mapping[str, Sequence[float]] | None = None,
) -> np.ndarray:
    """Level indices, shape ``(participants, factors)``, drawn independently per factor."""
    shares = dict(prevalence or {})
    unknown = sorted(set(shares) - set(design.factor_names))
    if unknown:
        raise RandomisationInputError(
            "is not a factor of the design", column="prevalence", value=unknown[0]
        )
    columns = [
        rng.choice(len(f.levels), size=participants, p=_shares(f.name, f.levels, shares))
        for f in design.factors
    ]
    if not columns:
        return np.zeros((participants, 0), dtype=np.int64)
    return np.column_stack(columns)


def simulate_trial(
    design: RandomisationDesign, levels: np.ndarray, rng: np.random.Generator
) -> TrialOutcome:
    """Allocate participants with these level indices (see :func:`simulate_levels`)."""
    rows = [tuple(int(i) for i in row) for row in levels]
    if design.method == "blocks":
        return _blocks_trial(design, rows, rng)
    return _minimisation_trial(design, rows, rng)


def simulate(
    design: RandomisationDesign,
    participants: int,
    trials: int,
    rng: np.random.Generator,
    prevalence: Mapping[str, Sequence[float]] | None = None,
) -> SimulationSummary:
    """Simulate *trials* trials of *participants* each and summarise them."""
    for name, value in (("participants", participants), ("trials", trials)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 2:
            raise RandomisationInputError(
                "must be a whole number of at least 2", column=name, value=value
            )
    outcomes = [
        simulate_trial(design, simulate_levels(design, participants, rng, prevalence), rng)
        for _ in range(trials)
    ]
    guesses = np.array([o.correct_guess for o in outcomes])
    margins = np.array([o.final_margin_imbalance for o in outcomes])
    overall = np.array([o.final_overall_imbalance for o in outcomes])
    return SimulationSummary(
        method=design.method,
        trials=trials,
        participants=participants,
        correct_guess=float(guesses.mean()),
        correct_guess_se=float(guesses.std(ddof=1) / math.sqrt(trials)),
        chance=chance_level(design.ratio),
        max_stratum_imbalance=max(o.max_stratum_imbalance for o in outcomes),
        mean_margin_imbalance=float(margins.mean()),
        p95_margin_imbalance=float(np.percentile(margins, 95)),
        max_margin_imbalance=float(margins.max()),
        mean_overall_imbalance=float(overall.mean()),
        max_overall_imbalance=float(overall.max()),
    )


class _Tally:
    """Counts per arm overall, per stratum and per factor level during one trial."""

    def __init__(self, design: RandomisationDesign) -> None:
        arms = len(design.arms)
        self.ratio = design.ratio
        self.overall: Counts = [0] * arms
        self.strata: dict[tuple[int, ...], Counts] = {}
        self.margins = [[[0] * arms for _ in f.levels] for f in design.factors]
        self.max_stratum = 0.0

    def add(self, row: tuple[int, ...], arm: int) -> None:
        self.overall[arm] += 1
        stratum = self.strata.setdefault(row, [0] * len(self.overall))
        stratum[arm] += 1
        self.max_stratum = max(self.max_stratum, imbalance(stratum, self.ratio))
        for factor, level in enumerate(row):
            self.margins[factor][level][arm] += 1

    def outcome(self, arms: list[int], scores: list[float]) -> TrialOutcome:
        margin = max(
            (imbalance(c, self.ratio) for levels in self.margins for c in levels), default=0.0
        )
        return TrialOutcome(
            tuple(arms),
            tuple(scores),
            self.max_stratum,
            margin,
            imbalance(self.overall, self.ratio),
        )


def _blocks_trial(
    design: RandomisationDesign, rows: list[tuple[int, ...]], rng: np.random.Generator
) -> TrialOutcome:
    tally = _Tally(design)
    pending: dict[tuple[int, ...], list[str]] = {}
    index = {name: k for k, name in enumerate(design.arm_names)}
    arms, scores = [], []
    for row in rows:
        queue = pending.setdefault(row, [])
        if not queue:
            queue.extend(reversed(draw_block(design, rng)))
        arm = index[queue.pop()]
        before = tally.strata.get(row, [0] * len(design.arms))
        scores.append(guess_score(convergence_guess(before, design.ratio), arm))
        arms.append(arm)
        tally.add(row, arm)
    return tally.outcome(arms, scores)


def _minimisation_trial(
    design: RandomisationDesign, rows: list[tuple[int, ...]], rng: np.random.Generator
) -> TrialOutcome:
    tally = _Tally(design)
    arms, scores = [], []
    for row in rows:
        counts = [tally.margins[f][level] for f, level in enumerate(row)]
        probabilities = allocation_probabilities(design, imbalance_scores(design, counts))
        arm = choose(probabilities, float(rng.random()))
        scores.append(guess_score(most_likely_guess(probabilities), arm))
        arms.append(arm)
        tally.add(row, arm)
    return tally.outcome(arms, scores)


def _shares(
    name: str, levels: Sequence[str], prevalence: Mapping[str, Sequence[float]]
) -> np.ndarray:
    if name not in prevalence:
        return np.full(len(levels), 1 / len(levels))
    weights = np.asarray(prevalence[name], dtype=float)
    if weights.shape != (len(levels),) or not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise RandomisationInputError(
            f"needs one non-negative number per level of {name} ({len(levels)})",
            column="prevalence",
            value=list(prevalence[name]),
        )
    total = float(weights.sum())
    if total <= 0:
        raise RandomisationInputError(
            "the prevalences must not all be zero", column="prevalence", value=name
        )
    shares: np.ndarray = weights / total
    return shares

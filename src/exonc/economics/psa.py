"""Summaries of probabilistic sensitivity analysis draws, following BCEA's conventions.

Input: S draws of the effect e[s, j] and cost c[s, j] of K strategies (from a PSA of a
decision model, or bootstrap replicates of arm means). At willingness to pay k
(Baio, Berardi and Heath 2017, *Bayesian Cost-Effectiveness Analysis with the R package
BCEA*, ch. 3–4):

* net benefit per draw NB[s, j] = k e[s, j] − c[s, j]; expected net benefit
  ENB_j = mean_s NB[s, j]; the optimal strategy maximises ENB;
* EVPI = mean_s max_j NB[s, j] − max_j ENB_j (per patient);
* against the reference strategy r: Δe_j = e_j − e_r, Δc_j = c_j − c_r (per draw);
  ICER_j = mean Δc_j / mean Δe_j; EIB_j = k mean Δe_j − mean Δc_j = ENB_j − ENB_r;
  CEAC_j = share of draws with k Δe_j − Δc_j > 0;
* probability that each strategy is best (BCEA's multiple-comparison CEAC, ``mce``) and
  the CEAF: that probability for the strategy with the highest ENB;
* switch points: where the optimal strategy changes as k rises. Between strategies a and
  b the ENBs cross at k* = (mean c_b − mean c_a) / (mean e_b − mean e_a) (BCEA's ``kstar``
  reports the first grid value past the crossing; exonc reports k* itself).

BCEA calls the strategy compared against the others ``ref`` and reports ref − comparator;
here *reference* is the comparator (e.g. usual care) and every difference is
strategy − reference, so the numbers equal BCEA's with ``ref`` = that strategy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from exonc.economics._columns import FloatArray, numeric_column
from exonc.economics.cea import wtp_key
from exonc.errors import EconomicsInputError
from exonc.results import Result, jsonable

__all__ = [
    "PsaDraws",
    "PsaResult",
    "SwitchPoint",
    "population_evpi",
    "psa_draws_from_frame",
    "summarise_psa",
    "switch_points",
]


@dataclass(frozen=True, eq=False)
class PsaDraws:
    """Draws × strategies matrices of effects and costs."""

    strategies: tuple[str, ...]
    effects: FloatArray
    costs: FloatArray

    def __post_init__(self) -> None:
        shape = (self.effects.shape[0], len(self.strategies))
        if self.effects.shape != shape or self.costs.shape != shape:
            raise EconomicsInputError(
                "effects and costs must both be draws × strategies matrices",
                hint=f"{len(self.strategies)} strategies were named",
            )
        if len(self.strategies) < 2 or len(set(self.strategies)) != len(self.strategies):
            raise EconomicsInputError("a PSA needs two or more differently named strategies")
        if shape[0] < 1 or not (np.isfinite(self.effects).all() and np.isfinite(self.costs).all()):
            raise EconomicsInputError("PSA draws must be finite numbers, with at least one draw")

    def index(self, strategy: str) -> int:
        if strategy not in self.strategies:
            raise EconomicsInputError(
                f"unknown strategy {strategy!r}",
                hint=f"choose from {', '.join(self.strategies)}",
            )
        return self.strategies.index(strategy)

    def net_benefit(self, wtp: ArrayLike) -> FloatArray:
        """WTP × draws × strategies array of k e − c."""
        k = np.atleast_1d(np.asarray(wtp, dtype=np.float64))
        return np.asarray(k[:, None, None] * self.effects[None] - self.costs[None])


@dataclass(frozen=True)
class SwitchPoint:
    """The willingness to pay at which the optimal strategy changes."""

    wtp: float
    before: str
    after: str


@dataclass(frozen=True, eq=False)
class PsaResult(Result):
    """BCEA-style summaries at each willingness to pay (arrays are WTP-major)."""

    strategies: tuple[str, ...]
    reference: str
    wtp: tuple[float, ...]
    enb: FloatArray  # WTP × strategies
    evpi: FloatArray  # WTP
    best: tuple[str, ...]  # WTP
    icer: dict[str, float]  # strategy → ICER vs reference
    eib: FloatArray  # WTP × strategies (0 for the reference)
    ceac: FloatArray  # WTP × strategies (vs reference)
    prob_best: FloatArray  # WTP × strategies
    ceaf: FloatArray  # WTP
    switch_points: tuple[SwitchPoint, ...]

    @property
    def comparators(self) -> tuple[str, ...]:
        return tuple(s for s in self.strategies if s != self.reference)

    def summary(self) -> pd.DataFrame:
        """One row per WTP and strategy."""
        rows = [
            {
                "wtp": k,
                "strategy": s,
                "enb": self.enb[w, j],
                "eib": self.eib[w, j],
                "icer": self.icer.get(s, np.nan),
                "ceac": self.ceac[w, j] if s != self.reference else np.nan,
                "prob_best": self.prob_best[w, j],
                "best": self.best[w] == s,
            }
            for w, k in enumerate(self.wtp)
            for j, s in enumerate(self.strategies)
        ]
        return pd.DataFrame(rows)

    def to_dict(self, wtp_labels: Sequence[str] | None = None) -> dict[str, Any]:
        """``{wtp: {enb, evpi, best, ceaf, prob_best, vs_reference: {strategy: …}}}``."""
        labels = list(wtp_labels) if wtp_labels is not None else [wtp_key(k) for k in self.wtp]
        return {label: self._at(w) for w, label in enumerate(labels)}

    def _at(self, w: int) -> dict[str, Any]:
        strategies = self.strategies
        return dict(
            jsonable(
                {
                    "enb": dict(zip(strategies, self.enb[w], strict=True)),
                    "evpi": self.evpi[w],
                    "best": self.best[w],
                    "ceaf": self.ceaf[w],
                    "prob_best": dict(zip(strategies, self.prob_best[w], strict=True)),
                    "vs_reference": {
                        s: {
                            "icer": self.icer[s],
                            "eib": self.eib[w, strategies.index(s)],
                            "ceac": self.ceac[w, strategies.index(s)],
                        }
                        for s in self.comparators
                    },
                }
            )
        )


def summarise_psa(draws: PsaDraws, *, reference: str, wtp: ArrayLike) -> PsaResult:
    """BCEA summaries of *draws* against *reference* at each willingness to pay."""
    r = draws.index(reference)
    k = np.atleast_1d(np.asarray(wtp, dtype=np.float64))
    if k.size == 0:
        raise EconomicsInputError("no willingness-to-pay values given")
    nb = draws.net_benefit(k)
    enb = nb.mean(axis=1)
    winners = _winners(nb)
    delta_e = draws.effects - draws.effects[:, [r]]
    delta_c = draws.costs - draws.costs[:, [r]]
    inb = k[:, None, None] * delta_e[None] - delta_c[None]
    best = enb.argmax(axis=1)
    prob_best = np.stack([(winners == j).mean(axis=1) for j in range(len(draws.strategies))], 1)
    return PsaResult(
        strategies=draws.strategies,
        reference=reference,
        wtp=tuple(float(v) for v in k),
        enb=enb,
        evpi=nb.max(axis=2).mean(axis=1) - enb.max(axis=1),
        best=tuple(draws.strategies[j] for j in best),
        icer=_icers(draws, delta_e, delta_c, r),
        eib=enb - enb[:, [r]],
        ceac=(inb > 0).mean(axis=1),
        prob_best=prob_best,
        ceaf=prob_best[np.arange(len(k)), best],
        switch_points=switch_points(draws, k),
    )


def _winners(nb: FloatArray) -> NDArray[np.intp]:
    """WTP × draws index of the strategy with the highest net benefit in each draw."""
    return np.asarray(nb.argmax(axis=2))


def _icers(draws: PsaDraws, delta_e: FloatArray, delta_c: FloatArray, r: int) -> dict[str, float]:
    icers = {}
    for j, s in enumerate(draws.strategies):
        if j != r:
            mean_e, mean_c = float(delta_e[:, j].mean()), float(delta_c[:, j].mean())
            icers[s] = mean_c / mean_e if mean_e != 0 else float("nan")
    return icers


def switch_points(draws: PsaDraws, wtp: ArrayLike) -> tuple[SwitchPoint, ...]:
    """Where the strategy with the highest expected net benefit changes over *wtp*."""
    k = np.sort(np.asarray(wtp, dtype=np.float64))
    mean_e, mean_c = draws.effects.mean(axis=0), draws.costs.mean(axis=0)
    best = (k[:, None] * mean_e[None] - mean_c[None]).argmax(axis=1)
    points = []
    for w in np.flatnonzero(best[1:] != best[:-1]):
        a, b = best[w], best[w + 1]
        crossing = (mean_c[b] - mean_c[a]) / (mean_e[b] - mean_e[a])
        points.append(SwitchPoint(float(crossing), draws.strategies[a], draws.strategies[b]))
    return tuple(points)


def psa_draws_from_frame(frame: pd.DataFrame, *, file: str | None = None) -> PsaDraws:
    """Read ``e.<strategy>`` and ``c.<strategy>`` columns (other columns are ignored)."""
    effects = [c[2:] for c in map(str, frame.columns) if c.startswith("e.")]
    costs = [c[2:] for c in map(str, frame.columns) if c.startswith("c.")]
    for name in effects + costs:
        if name not in effects or name not in costs:
            kind, other = ("c.", "e.") if name in effects else ("e.", "c.")
            raise EconomicsInputError(
                f"column {other}{name} has no matching {kind}{name}",
                file=file,
                hint="give an e.<strategy> and a c.<strategy> column for every strategy",
            )
    if len(effects) < 2:
        raise EconomicsInputError(
            "fewer than two strategies",
            file=file,
            hint="name the columns e.<strategy> and c.<strategy>, for two or more strategies",
        )
    if len(frame) == 0:
        raise EconomicsInputError("the table has no draws", file=file)
    return PsaDraws(
        strategies=tuple(effects),
        effects=np.column_stack([numeric_column(frame, f"e.{s}", file=file) for s in effects]),
        costs=np.column_stack([numeric_column(frame, f"c.{s}", file=file) for s in effects]),
    )


def population_evpi(
    evpi_per_patient: ArrayLike, *, patients_per_year: float, years: int, discount_rate: float
) -> FloatArray:
    """EVPI for the population that the decision affects: per-patient EVPI × Σ discounted
    patients over *years* (patients_per_year / (1 + r)^t, t = 0 … years − 1)."""
    if patients_per_year < 0 or years < 1 or discount_rate < 0:
        raise EconomicsInputError("give patients per year ≥ 0, years ≥ 1 and a rate ≥ 0")
    weights = patients_per_year / (1.0 + discount_rate) ** np.arange(years)
    return np.asarray(np.asarray(evpi_per_patient, dtype=np.float64) * weights.sum())

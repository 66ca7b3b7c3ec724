"""Plot-ready data for the cost-effectiveness figures (drawn by the reports).

Every function returns a long data frame with stable column names, so that any plotting
library (matplotlib, Vega-Lite) can draw it without knowing exonc's result types:

* CE plane: ``replicate``, ``delta_qaly``, ``delta_cost`` (one point per replicate or draw,
  plus ``strategy`` for PSA draws);
* CEAC: ``wtp``, ``strategy``, ``probability``;
* CEAF: ``wtp``, ``strategy`` (the optimal one), ``probability``;
* EVPI: ``wtp``, ``evpi``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from exonc.economics import bootstrap
from exonc.economics._columns import FloatArray
from exonc.economics.bootstrap import BootstrapResult
from exonc.economics.psa import PsaDraws, summarise_psa
from exonc.errors import EconomicsInputError

__all__ = ["ce_plane_data", "ceac_data", "ceaf_data", "evpi_data", "wtp_grid"]


def wtp_grid(maximum: float, points: int = 100, minimum: float = 0.0) -> FloatArray:
    """*points* evenly spaced willingness-to-pay values from *minimum* to *maximum*."""
    if points < 2 or maximum <= minimum:
        raise EconomicsInputError("a WTP grid needs two or more points and maximum > minimum")
    return np.linspace(minimum, maximum, points)


def ce_plane_data(source: BootstrapResult | PsaDraws, reference: str | None = None) -> pd.DataFrame:
    """Incremental QALYs and costs per replicate (bootstrap) or per draw and strategy (PSA)."""
    if isinstance(source, BootstrapResult):
        effect, cost = bootstrap.increments(source)
        replicate = np.arange(1, len(effect) + 1)
        return pd.DataFrame({"replicate": replicate, "delta_qaly": effect, "delta_cost": cost})
    if reference is None:
        raise EconomicsInputError("name the reference strategy for the CE plane of PSA draws")
    r = source.index(reference)
    frames = [
        pd.DataFrame(
            {
                "replicate": np.arange(1, len(source.effects) + 1),
                "strategy": s,
                "delta_qaly": source.effects[:, j] - source.effects[:, r],
                "delta_cost": source.costs[:, j] - source.costs[:, r],
            }
        )
        for j, s in enumerate(source.strategies)
        if j != r
    ]
    return pd.concat(frames, ignore_index=True)


def ceac_data(
    source: BootstrapResult | PsaDraws,
    wtp: ArrayLike,
    *,
    reference: str | None = None,
    intervention: str = "intervention",
) -> pd.DataFrame:
    """CEAC over *wtp*: the intervention's (bootstrap) or each strategy's vs *reference*."""
    k = np.asarray(wtp, dtype=np.float64)
    if isinstance(source, BootstrapResult):
        probability = bootstrap.ceac(source, k)
        return pd.DataFrame({"wtp": k, "strategy": intervention, "probability": probability})
    result = summarise_psa(source, reference=_reference(reference), wtp=k)
    return pd.DataFrame(
        [
            {"wtp": kw, "strategy": s, "probability": result.ceac[w, j]}
            for j, s in enumerate(result.strategies)
            if s != result.reference
            for w, kw in enumerate(k)
        ]
    )


def ceaf_data(
    source: BootstrapResult | PsaDraws,
    wtp: ArrayLike,
    *,
    reference: str | None = None,
    names: tuple[str, str] = ("intervention", "reference"),
) -> pd.DataFrame:
    """Probability that the strategy with the highest expected net benefit is cost-effective."""
    k = np.asarray(wtp, dtype=np.float64)
    if isinstance(source, BootstrapResult):
        optimal = np.where(bootstrap.intervention_optimal(source, k), names[0], names[1])
        probability = bootstrap.ceaf(source, k)
        return pd.DataFrame({"wtp": k, "strategy": optimal, "probability": probability})
    result = summarise_psa(source, reference=_reference(reference), wtp=k)
    return pd.DataFrame({"wtp": k, "strategy": list(result.best), "probability": result.ceaf})


def evpi_data(
    source: BootstrapResult | PsaDraws, wtp: ArrayLike, *, reference: str | None = None
) -> pd.DataFrame:
    """Per-patient EVPI over *wtp*."""
    k = np.asarray(wtp, dtype=np.float64)
    if isinstance(source, BootstrapResult):
        return pd.DataFrame({"wtp": k, "evpi": bootstrap.evpi(source, k)})
    result = summarise_psa(source, reference=_reference(reference), wtp=k)
    return pd.DataFrame({"wtp": k, "evpi": result.evpi})


def _reference(reference: str | None) -> str:
    if reference is None:
        raise EconomicsInputError("name the reference strategy for PSA draws")
    return reference

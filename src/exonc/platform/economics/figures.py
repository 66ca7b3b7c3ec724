"""The page's two figures, drawn by exonc's one figures module (``exonc.reports.figures``,
matplotlib in one style; decision 0010) and shown as SVG images (no scripts, no external
assets):

* the cost-effectiveness plane: the first :data:`MAX_POINTS` bootstrap replicates
  (ΔQALY, Δcost), the base case, the axes through 0 and the willingness-to-pay lines;
* the cost-effectiveness acceptability curve over the WTP grid, with the thresholds.

The JSON twin carries the data itself (``plane``, ``curves``); these are only drawings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from exonc.reports import figures
from exonc.reports.figures import Figure

__all__ = ["MAX_POINTS", "ce_plane", "ceac"]

MAX_POINTS = figures.PLANE_POINTS  # the plane draws the first replicates only (all are in the JSON)


def ce_plane(plane: Sequence[dict[str, Any]], wtp: Sequence[float], currency: str) -> Figure | None:
    """The plane of the bootstrap replicates, or None without a bootstrap."""
    if not plane:
        return None
    frame = pd.DataFrame(list(plane), columns=["delta_qaly", "delta_cost"])
    centre = (float(np.mean(frame["delta_qaly"])), float(np.mean(frame["delta_cost"])))
    return figures.ce_plane_figure(frame, wtp, centre, currency=currency)


def ceac(curves: Sequence[dict[str, Any]], wtp: Sequence[float], currency: str) -> Figure | None:
    """P(cost-effective) over the WTP grid, or None without a bootstrap."""
    if not curves:
        return None
    frame = pd.DataFrame(
        {"wtp": [c["wtp"] for c in curves], "probability": [c["ceac"] for c in curves]}
    )
    return figures.ceac_figure(frame, wtp, currency=currency)

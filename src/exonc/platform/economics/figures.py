"""The page's two figures as inline SVG coordinates (no scripts, no external assets).

* the cost-effectiveness plane: bootstrap replicates (ΔQALY, Δcost), the axes through 0
  and the willingness-to-pay lines cost = k × QALY;
* the cost-effectiveness acceptability curve over the WTP grid, with the thresholds.

The JSON twin carries the data itself (``plane``, ``curves``); these are only drawings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

WIDTH, HEIGHT, MARGIN = 560, 360, 56
MAX_POINTS = 1_000  # the plane draws the first replicates only (all are in the JSON)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str = ""


@dataclass(frozen=True)
class Figure:
    width: int
    height: int
    points: list[tuple[float, float]]
    path: str
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    x_label: str
    y_label: str
    note: str


class _Scale:
    """Maps data values in [low, high] to pixels in [start, end]."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        if high <= low:
            low, high = low - 1.0, high + 1.0
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return round(self.start + share * (self.end - self.start), 1)

    def ticks(self, count: int = 5, fmt: str = "{:,.0f}") -> list[Tick]:
        return [Tick(self(v), fmt.format(v)) for v in np.linspace(self.low, self.high, count)]


def ce_plane(plane: Sequence[dict[str, Any]], wtp: Sequence[float], currency: str) -> Figure | None:
    """The first :data:`MAX_POINTS` replicates, with the axes and the WTP lines."""
    if not plane:
        return None
    e = np.array([p["delta_qaly"] for p in plane[:MAX_POINTS]])
    c = np.array([p["delta_cost"] for p in plane[:MAX_POINTS]])
    x = _Scale(*_padded(e), MARGIN, WIDTH - 12)
    y = _Scale(*_padded(c), HEIGHT - MARGIN, 12)
    lines = [Line(x(0), y.end, x(0), y.start), Line(x.start, y(0), x.end, y(0))]
    for k in (k for k in wtp if k > 0):  # cost = k × QALY, clipped to the drawing
        q1, q2 = max(x.low, y.low / k), min(x.high, y.high / k)
        if q1 < q2:
            lines.append(Line(x(q1), y(k * q1), x(q2), y(k * q2), f"{k:,.0f} {currency}/QALY"))
    return Figure(
        WIDTH,
        HEIGHT,
        [(x(a), y(b)) for a, b in zip(e, c, strict=True)],
        "",
        lines,
        x.ticks(fmt="{:.3f}"),
        y.ticks(),
        "incremental QALYs",
        f"incremental cost ({currency})",
        f"{len(e)} of {len(plane)} bootstrap replicates drawn",
    )


def ceac(curves: Sequence[dict[str, Any]], wtp: Sequence[float], currency: str) -> Figure | None:
    """P(cost-effective) over the WTP grid, with a vertical line at each threshold."""
    if not curves:
        return None
    k = [c["wtp"] for c in curves]
    x = _Scale(0.0, max(k), MARGIN, WIDTH - 12)
    y = _Scale(0.0, 1.0, HEIGHT - MARGIN, 12)
    path = " ".join(f"{x(c['wtp'])},{y(c['ceac'])}" for c in curves)
    lines = [Line(x(t), y(0), x(t), y(1), f"{t:,.0f}") for t in wtp]
    return Figure(
        WIDTH,
        HEIGHT,
        [],
        path,
        lines,
        x.ticks(),
        y.ticks(fmt="{:.2f}"),
        f"willingness to pay ({currency} per QALY)",
        "probability cost-effective",
        "",
    )


def _padded(values: np.ndarray) -> tuple[float, float]:
    """The range of *values* and 0, with 5 % room on each side."""
    low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    room = (high - low) * 0.05 or 1.0
    return low - room, high + room

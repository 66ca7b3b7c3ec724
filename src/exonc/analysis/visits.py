"""The order of the visits of a repeated-measures analysis — never the order of the rows.

Structured covariances (``ar1``, ``toep``, ``ad`` and their heterogeneous forms) give
neighbouring visits their own parameters, so the fit depends on which visit comes after
which. The order is, first match wins:

1. the order the caller gives (``visit_order``: the protocol's visit schedule, an analysis
   plan's ``data.visits``, or ``exonc analyse mmrm --visit-order``/``--protocol``);
2. the categories of an *ordered* pandas categorical (an unordered one sorts its categories
   as text, which would put ``M12`` before ``M3``, so it counts as no order);
3. the natural order of the labels: text compared piece by piece, numbers inside labels
   compared as numbers, ignoring case (``M1 < M3 < M6 < M12``, ``VIS2 < VIS10``,
   ``Week 4 < week 12``).

:class:`VisitOrder` carries the chosen order and says where it came from, so every result
prints it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = ["VisitOrder", "natural_order", "visit_order"]

OrderSource = Literal["given", "ordered categorical", "natural order of the labels"]

_PIECES = re.compile(r"(\d+)")


@dataclass(frozen=True)
class VisitOrder:
    """The visits from first to last, and how that order was chosen."""

    visits: tuple[str, ...]
    source: OrderSource

    def describe(self) -> str:
        """``VIS1 < VIS2 < VIS3 (natural order of the labels)``: printed with every result."""
        return f"{' < '.join(self.visits)} ({self.source})"


def natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key: numbers compare as numbers, text without regard to case."""
    pieces = _PIECES.split(label.strip())
    return tuple(
        (0, int(piece)) if index % 2 else (1, piece.casefold())
        for index, piece in enumerate(pieces)
        if piece
    )


def natural_order(labels: Iterable[str]) -> list[str]:
    """The distinct *labels* in natural order (ties in the key keep text order)."""
    return sorted(set(labels), key=lambda label: (natural_key(label), label))


def visit_order(column: pd.Series, given: Sequence[object] | None = None) -> VisitOrder:
    """The order of the visits in *column* (see the module docstring)."""
    if given:
        return VisitOrder(tuple(str(v) for v in given), "given")
    if isinstance(column.dtype, pd.CategoricalDtype) and column.cat.ordered:
        return VisitOrder(tuple(str(c) for c in column.cat.categories), "ordered categorical")
    present = pd.unique(column.dropna().astype(str).to_numpy(dtype=object))
    return VisitOrder(tuple(natural_order(map(str, present))), "natural order of the labels")

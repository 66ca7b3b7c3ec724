"""The one scoring engine: every instrument definition, vectorised over answer sets.

Input is a float matrix of answers (one row per answer set, one column per item in the
definition's order, ``NaN`` for a missing answer) that :mod:`.answers` has checked.

Scales
    raw score = mean of the answered items (``reverse`` items as ``min + max - answer``);
    missing when fewer than ``min_answered`` items are answered. ``aggregate = "sum"``
    gives the mean times the number of items (the plain sum when all are answered).
    ``eortc-functional``: ``(1 - (raw - min) / range) * 100``;
    ``eortc-symptom``: ``(raw - min) / range * 100``; ``none``: the raw score.
Derived scores
    ``mean-of-scales``: mean of the listed scales (``reverse`` ones as ``100 - score``),
    missing unless all are present; ``value-set``: an EQ-5D index value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from exonc.errors import ScoringError
from exonc.questionnaires.definition import DerivedScore, Instrument, Scale
from exonc.questionnaires.value_sets import ValueSet

__all__ = ["score_matrix"]

Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _CompiledScale:
    code: str
    columns: tuple[int, ...]
    reversed_columns: frozenset[int]
    need: int
    lowest: float
    span: float
    factor: float
    transform: str


@functools.cache
def _compile(instrument: Instrument) -> tuple[_CompiledScale, ...]:
    position = {code: j for j, code in enumerate(instrument.item_codes)}
    return tuple(_compile_scale(instrument, scale, position) for scale in instrument.scales)


def _compile_scale(
    instrument: Instrument, scale: Scale, position: dict[str, int]
) -> _CompiledScale:
    items = [instrument.item(code) for code in scale.items]
    return _CompiledScale(
        code=scale.code,
        columns=tuple(position[i.code] for i in items),
        reversed_columns=frozenset(position[i.code] for i in items if i.reverse),
        need=scale.min_answered,
        lowest=float(items[0].min),
        span=float(items[0].max - items[0].min),
        factor=float(len(items)) if scale.aggregate == "sum" else 1.0,
        transform=scale.transform,
    )


def score_matrix(
    instrument: Instrument, values: Vector, value_set: ValueSet | None = None
) -> dict[str, Vector]:
    """Scores of every answer set, keyed by score code, in the definition's order."""
    if values.ndim != 2 or values.shape[1] != len(instrument.items):
        raise ValueError(f"expected a matrix with {len(instrument.items)} columns")
    scores = {s.code: _scale_score(s, values, instrument) for s in _compile(instrument)}
    for derived in instrument.derived:
        scores[derived.code] = _derived_score(derived, scores, values, instrument, value_set)
    return scores


def _scale_score(scale: _CompiledScale, values: Vector, instrument: Instrument) -> Vector:
    total = np.zeros(values.shape[0])
    answered = np.zeros(values.shape[0])
    for j in scale.columns:
        column = values[:, j]
        if j in scale.reversed_columns:
            item = instrument.items[j]
            column = (item.min + item.max) - column
        present = ~np.isnan(column)
        total += np.where(present, column, 0.0)
        answered += present
    raw = np.divide(total, answered, out=np.full_like(total, np.nan), where=answered >= scale.need)
    return _transform(scale, raw)


def _transform(scale: _CompiledScale, raw: Vector) -> Vector:
    if scale.transform == "eortc-functional":
        return (1.0 - (raw - scale.lowest) / scale.span) * 100.0
    if scale.transform == "eortc-symptom":
        return (raw - scale.lowest) / scale.span * 100.0
    return raw * scale.factor


def _derived_score(
    derived: DerivedScore,
    scores: dict[str, Vector],
    values: Vector,
    instrument: Instrument,
    value_set: ValueSet | None,
) -> Vector:
    if derived.kind == "mean-of-scales":
        parts = [100.0 - scores[c] if c in derived.reverse else scores[c] for c in derived.scales]
        total: Vector = np.add.reduce(parts)
        return total / len(parts)
    if value_set is None:
        raise ScoringError(
            f"{instrument.name} needs a value set for {derived.code}",
            hint="choose one with --value-set (exonc score eq-5d-5l --list-value-sets)",
        )
    columns = [instrument.item_codes.index(code) for code in derived.items]
    return value_set.index(values[:, columns])

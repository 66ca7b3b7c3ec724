"""The one scoring engine: every instrument definition, vectorised over answer sets.

Scales
    raw score = mean of the answered items (``reverse`` items as ``min + max - answer``);
    missing when fewer than ``min_answered`` items are answered. ``aggregate = "sum"``
    gives the mean times the number of items (the plain sum when all are answered).
    ``eortc-functional``: ``(1 - (raw - min) / range) * 100``;
    ``eortc-symptom``: ``(raw - min) / range * 100``; ``none``: the raw score.
Derived scores
    ``mean-of-scales``: mean of the listed scales (``reverse`` ones as ``100 - score``),
    missing unless all are present; ``value-set``: an EQ-5D index value.

How it is fast: answers arrive as small integer codes (:class:`.answers.Answers`). A
scale's score depends only on how many of its items are answered and on the sum of
their codes, so the engine sums codes in small integers and looks the score up in a
table computed once per scale with the formulas above (the raw score is the exact sum of
the answers divided by their number, as the manuals compute it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from exonc.errors import ScoringError
from exonc.questionnaires.definition import DerivedScore, Instrument, Scale
from exonc.questionnaires.value_sets import ValueSet

__all__ = ["score_codes", "score_matrix"]

Vector = npt.NDArray[np.float64]
Codes = npt.NDArray[np.int8]


@dataclass(frozen=True)
class _CompiledScale:
    code: str
    columns: tuple[int, ...]
    reversed_columns: frozenset[int]
    flip: int  # a reversed code is flip - code (range + 2 - code)
    width: int  # possible code sums: 0 … width - 1
    table: Vector  # score by answered * width + code sum
    counter: type[np.integer]  # wide enough for answered * width + code sum


@functools.cache
def _compile(instrument: Instrument) -> tuple[_CompiledScale, ...]:
    position = {code: j for j, code in enumerate(instrument.item_codes)}
    return tuple(_compile_scale(instrument, scale, position) for scale in instrument.scales)


def _compile_scale(
    instrument: Instrument, scale: Scale, position: dict[str, int]
) -> _CompiledScale:
    items = [instrument.item(code) for code in scale.items]
    low, span = items[0].min, items[0].max - items[0].min
    width = len(items) * (span + 1) + 1
    answered, code_sum = np.divmod(np.arange((len(items) + 1) * width), width)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = (code_sum + answered * (low - 1.0)) / answered  # sum of answers / number
    table = _transform(scale, raw, low, span, len(items))
    return _CompiledScale(
        code=scale.code,
        columns=tuple(position[i.code] for i in items),
        reversed_columns=frozenset(position[i.code] for i in items if i.reverse),
        flip=span + 2,
        width=width,
        table=np.where(answered >= scale.min_answered, table, np.nan),
        counter=np.int16 if answered.size <= np.iinfo(np.int16).max else np.int64,
    )


def _transform(scale: Scale, raw: Vector, low: int, span: int, n_items: int) -> Vector:
    if scale.transform == "eortc-functional":
        return (1.0 - (raw - low) / span) * 100.0
    if scale.transform == "eortc-symptom":
        return (raw - low) / span * 100.0
    return raw * n_items if scale.aggregate == "sum" else raw


def score_codes(
    instrument: Instrument, codes: Codes, value_set: ValueSet | None = None
) -> dict[str, Vector]:
    """Scores of every answer set from checked answer codes (see :class:`.answers.Answers`)."""
    _check_shape(instrument, codes)
    scores = {s.code: _scale_score(s, codes) for s in _compile(instrument)}
    for derived in instrument.derived:
        scores[derived.code] = _derived_score(derived, scores, codes, instrument, value_set)
    return scores


def score_matrix(
    instrument: Instrument, values: Vector, value_set: ValueSet | None = None
) -> dict[str, Vector]:
    """Scores from a float matrix of valid answers (``NaN`` = missing), for callers and tests
    that hold answers as numbers; :func:`score_codes` is what the library uses."""
    _check_shape(instrument, values)
    minimums = np.array([item.min for item in instrument.items], dtype=np.float64)
    codes = np.where(np.isnan(values), 0, values - minimums + 1).astype(np.int8)
    return score_codes(instrument, codes, value_set)


def _check_shape(instrument: Instrument, matrix: npt.NDArray[np.generic]) -> None:
    if matrix.ndim != 2 or matrix.shape[1] != len(instrument.items):
        raise ValueError(f"expected a matrix with {len(instrument.items)} columns")


def _scale_score(scale: _CompiledScale, codes: Codes) -> Vector:
    total = np.zeros(codes.shape[0], dtype=scale.counter)
    answered = np.zeros(codes.shape[0], dtype=scale.counter)
    for j in scale.columns:
        column = codes[:, j]
        present = column > 0
        if j in scale.reversed_columns:
            column = np.where(present, scale.flip - column, 0).astype(np.int8)
        total += column
        answered += present
    scores: Vector = scale.table[answered * scale.width + total]
    return scores


def _derived_score(
    derived: DerivedScore,
    scores: dict[str, Vector],
    codes: Codes,
    instrument: Instrument,
    value_set: ValueSet | None,
) -> Vector:
    if derived.kind == "mean-of-scales":
        # Add the scales one after another: np.add.reduce over the stacked parts sums a
        # single answer set pairwise but a table row by row, so the last bit of a score
        # would depend on how many answer sets were scored together.
        total: Vector = np.zeros(codes.shape[0])
        flipped: Vector = np.empty(codes.shape[0])
        for code in derived.scales:
            part = scores[code]
            if code in derived.reverse:
                part = np.subtract(100.0, part, out=flipped)
            total += part
        total /= len(derived.scales)
        return total
    if value_set is None:
        raise ScoringError(
            f"{instrument.name} needs a value set for {derived.code}",
            hint="choose one with --value-set (exonc score eq-5d-5l --list-value-sets)",
        )
    columns = [instrument.item_codes.index(code) for code in derived.items]
    offsets = np.array([instrument.items[j].min - 1.0 for j in columns])
    chosen = codes[:, columns]
    return value_set.index(np.where(chosen > 0, chosen + offsets, np.nan))

"""Item answers drawn without bias around a score.

For a score ``X`` the scale's raw item mean is the inverse of its transformation (EORTC
functional or symptom, or a plain sum). Each item then takes ``floor(r)`` or ``floor(r)+1``
with probabilities that make its expectation exactly ``r`` (stochastic rounding), so the
expected scored value equals ``X`` for any number of items and whichever items are missing.
"""

from __future__ import annotations

import numpy as np

from exonc._data import Floats
from exonc.questionnaires import Instrument, Scale


def score_range(instrument: Instrument, scale: Scale) -> tuple[float, float]:
    """The range of *scale*'s score."""
    if scale.transform != "none":
        return 0.0, 100.0
    items = [instrument.item(code) for code in scale.items]
    if scale.aggregate == "sum":
        return float(sum(i.min for i in items)), float(sum(i.max for i in items))
    return float(items[0].min), float(items[0].max)


def raw_mean(instrument: Instrument, scale: Scale, score: Floats) -> Floats:
    """The mean item answer (in scoring direction) that gives *score*."""
    first = instrument.item(scale.items[0])
    low, span = first.min, first.max - first.min
    if scale.transform == "eortc-functional":
        return low + (1 - score / 100) * span
    if scale.transform == "eortc-symptom":
        return low + score / 100 * span
    if scale.aggregate == "sum":
        return score / len(scale.items)
    return score


def stochastic_round(values: Floats, rng: np.random.Generator) -> Floats:
    floor = np.floor(values)
    return (floor + (rng.random(values.shape) < values - floor)).astype(int)


def item_answers(
    instrument: Instrument, scale: Scale, score: Floats, rng: np.random.Generator
) -> dict[str, Floats]:
    """Answers to each item of *scale* (as recorded on the form) for scores of any shape."""
    mean = raw_mean(instrument, scale, score)
    answers = {}
    for code in scale.items:
        item = instrument.item(code)
        scored = np.clip(
            stochastic_round(np.clip(mean, item.min, item.max), rng), item.min, item.max
        )
        answers[code] = item.min + item.max - scored if item.reverse else scored
    return answers

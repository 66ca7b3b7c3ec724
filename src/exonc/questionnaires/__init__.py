"""Patient-reported outcomes: instruments as data, one scoring engine, EQ-5D value sets.

The supported API::

    score(instrument, frame, value_set=None, *, invalid="error") -> DataFrame
    score_table(...) -> ScoredTable          # the same, with invalid answers listed
    score_response(instrument, answers, value_set=None) -> ScoreResult
    get_instrument(name) -> Instrument;  INSTRUMENTS: dict[str, Instrument]
    VALUE_SETS, get_value_set(code);  interpretation metadata;  text packs

Instruments: ``qlq-c30``, ``qlq-fa12``, ``eq-5d-5l``, ``hads``. See ``docs/instruments/``.
"""

from __future__ import annotations

from exonc.questionnaires.answers import Answers, InvalidAnswer, InvalidPolicy
from exonc.questionnaires.definition import DerivedScore, Instrument, Item, Scale
from exonc.questionnaires.registry import INSTRUMENTS, get_instrument
from exonc.questionnaires.scoring import (
    ATTRS_KEY,
    ScoredTable,
    ScoreResult,
    score,
    score_response,
    score_table,
)
from exonc.questionnaires.value_sets import VALUE_SETS, ValueSet, get_value_set

__all__ = [
    "ATTRS_KEY",
    "INSTRUMENTS",
    "VALUE_SETS",
    "Answers",
    "DerivedScore",
    "Instrument",
    "InvalidAnswer",
    "InvalidPolicy",
    "Item",
    "Scale",
    "ScoreResult",
    "ScoredTable",
    "ValueSet",
    "get_instrument",
    "get_value_set",
    "score",
    "score_response",
    "score_table",
]

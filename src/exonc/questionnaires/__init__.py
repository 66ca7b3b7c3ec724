"""Patient-reported outcomes: instruments as data, one scoring engine, EQ-5D value sets.

The supported API::

    score(instrument, frame, value_set=None, *, invalid="error") -> DataFrame
    score_table(...) -> ScoredTable          # the same, with invalid answers listed
    score_response(instrument, answers, value_set=None) -> ScoreResult
    get_instrument(name) -> Instrument;  INSTRUMENTS: dict[str, Instrument]
    Instrument.provisional_scores, PROVISIONAL_ITEM_MAP   # scores whose item map is unverified
    VALUE_SETS, get_value_set(code)          # EQ-5D-5L value sets
    INTERPRETATION                           # MIDs, size classes, thresholds
    placeholder_text_pack(), read_text_pack(path)   # item wording for forms

Instruments: ``qlq-c30``, ``qlq-fa12``, ``eq-5d-5l``, ``hads``. See ``docs/instruments/``.
"""

from __future__ import annotations

from exonc.questionnaires.answers import Answers, InvalidAnswer, InvalidPolicy
from exonc.questionnaires.definition import (
    PROVISIONAL_ITEM_MAP,
    DerivedScore,
    Instrument,
    Item,
    Scale,
)
from exonc.questionnaires.interpretation import (
    INTERPRETATION,
    ClinicalThreshold,
    Interpretation,
    MinimalImportantDifference,
    SizeClass,
)
from exonc.questionnaires.registry import INSTRUMENTS, get_instrument
from exonc.questionnaires.scoring import (
    ATTRS_KEY,
    ScoredTable,
    ScoreResult,
    score,
    score_response,
    score_table,
)
from exonc.questionnaires.text_pack import (
    PLACEHOLDER_LANGUAGES,
    InstrumentText,
    ItemText,
    TextPack,
    parse_text_pack,
    placeholder_text_pack,
    read_text_pack,
)
from exonc.questionnaires.value_sets import VALUE_SETS, ValueSet, get_value_set

__all__ = [
    "ATTRS_KEY",
    "INSTRUMENTS",
    "INTERPRETATION",
    "PLACEHOLDER_LANGUAGES",
    "PROVISIONAL_ITEM_MAP",
    "VALUE_SETS",
    "Answers",
    "ClinicalThreshold",
    "DerivedScore",
    "Instrument",
    "InstrumentText",
    "Interpretation",
    "InvalidAnswer",
    "InvalidPolicy",
    "Item",
    "ItemText",
    "MinimalImportantDifference",
    "Scale",
    "ScoreResult",
    "ScoredTable",
    "SizeClass",
    "TextPack",
    "ValueSet",
    "get_instrument",
    "get_value_set",
    "parse_text_pack",
    "placeholder_text_pack",
    "read_text_pack",
    "score",
    "score_response",
    "score_table",
]

"""Scoring tables of answer sets and single responses: the library API.

``score(instrument, frame)`` returns the input columns plus one column per score.
``score_table`` does the same and also returns what was done (scoring version, value set,
answers made missing). ``score_response`` scores one response for the platform and
records the scoring version that produced the scores, so they can be recomputed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from exonc._data import participant_column, repeated_row
from exonc.errors import ScoringError
from exonc.questionnaires.answers import (
    Answers,
    InvalidAnswer,
    InvalidPolicy,
    answers_from_frame,
    answers_from_mapping,
)
from exonc.questionnaires.definition import Instrument
from exonc.questionnaires.engine import score_codes
from exonc.questionnaires.registry import get_instrument
from exonc.questionnaires.value_sets import ValueSet, get_value_set
from exonc.results import Result

__all__ = ["ATTRS_KEY", "ScoreResult", "ScoredTable", "score", "score_response", "score_table"]

ATTRS_KEY = "exonc.questionnaires"


@dataclass(frozen=True)
class ScoredTable(Result):
    """Scores of a table of answer sets, with what produced them.

    ``frame`` holds every input column followed by the scores. ``invalid`` lists the
    answers that ``invalid="missing"`` scored as missing (always empty with ``"error"``).
    """

    frame: pd.DataFrame = field(repr=False)
    instrument: str
    scoring_id: str
    value_set: str | None
    invalid: tuple[InvalidAnswer, ...]
    score_codes: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def n_invalid(self) -> int:
        """How many answers were invalid and scored as missing."""
        return len(self.invalid)

    def summary(self) -> pd.DataFrame:
        """One row per score: answer sets scored and missing, mean, SD, min, max."""
        scores = self.frame[list(self.score_codes)].astype(float)
        return pd.DataFrame(
            {
                "n": scores.notna().sum(),
                "n_missing": scores.isna().sum(),
                "mean": scores.mean(),
                "sd": scores.std(),
                "min": scores.min(),
                "max": scores.max(),
            }
        )


@dataclass(frozen=True)
class ScoreResult(Result):
    """The scores of one response and everything needed to recompute them.

    ``scores`` maps each score code to its value, ``None`` where the missing-item rules
    leave it unscored. Store ``scoring_version`` (and ``value_set``) with the scores;
    ``score_response(..., scoring_version=...)`` reproduces them later.
    """

    instrument: str
    instrument_version: str
    scoring_version: str
    scoring_id: str
    value_set: str | None
    scores: Mapping[str, float | None]
    answered: tuple[str, ...]
    unanswered: tuple[str, ...]
    invalid: tuple[InvalidAnswer, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({"score": pd.Series(self.scores, dtype=float)})


def score(
    instrument: str,
    frame: pd.DataFrame,
    value_set: str | None = None,
    *,
    invalid: InvalidPolicy = "error",
) -> pd.DataFrame:
    """Every column of *frame* plus the instrument's scores (unrounded floats).

    ``frame.attrs["exonc.questionnaires"]`` of the result records the instrument, scoring
    version, value set and ``n_invalid``, the number of answers ``invalid="missing"``
    scored as missing. :func:`score_table` returns the same with the invalid answers listed.
    """
    return score_table(instrument, frame, value_set, invalid=invalid).frame


def score_table(
    instrument: str,
    frame: pd.DataFrame,
    value_set: str | None = None,
    *,
    invalid: InvalidPolicy = "error",
) -> ScoredTable:
    """Score a table of answer sets; see :func:`score`."""
    definition = get_instrument(instrument)
    chosen = _value_set(definition, value_set)
    clashes = [code for code in definition.score_codes if code in frame.columns]
    if clashes:
        raise ScoringError(
            "the input already has a column named like a score",
            column=clashes[0],
            hint="rename or drop it; scores are added, never overwritten",
        )
    check_records(frame)
    answers = answers_from_frame(definition, frame, invalid=invalid)
    scores = score_codes(definition, answers.codes, chosen)
    out = pd.concat([frame.reset_index(drop=True), _frame_of(scores, len(frame))], axis=1)
    out.index = frame.index
    result = ScoredTable(
        frame=out,
        instrument=definition.name,
        scoring_id=definition.scoring_id,
        value_set=chosen.code if chosen else None,
        invalid=answers.invalid,
        score_codes=definition.score_codes,
        warnings=_warnings(definition, answers.invalid),
    )
    out.attrs[ATTRS_KEY] = {
        "instrument": result.instrument,
        "scoring_id": result.scoring_id,
        "value_set": result.value_set,
        "n_invalid": result.n_invalid,
    }
    return result


def check_records(frame: pd.DataFrame, today: dt.date | None = None) -> None:
    """Refuse a table that would score one answer set twice or date one in the future.

    With a participant column (:data:`exonc._data.PARTICIPANT_COLUMNS`), each participant
    (at each ``visit``, when the table has that column) has one row; a ``completed_on``
    column holds ISO dates no later than *today*.
    """
    who = participant_column(frame)
    if who is not None:
        key = [who, *(["visit"] if "visit" in frame.columns else [])]
        found = repeated_row(frame, key)
        if found is not None:
            row, first = found
            raise ScoringError(
                f"repeats the {' and '.join(key)} of row {first}",
                row=row,
                column=who,
                value=frame[who].iloc[row - 1],
                hint="remove the copy: each answer set is scored once",
            )
    if "completed_on" in frame.columns:
        _check_completed_on(frame["completed_on"], today or dt.date.today())


def _check_completed_on(column: pd.Series, today: dt.date) -> None:
    for value in pd.unique(column.dropna().to_numpy(dtype=object)):
        day = _as_date(value)
        if day is None or day > today:
            row = int(np.flatnonzero((column == value).to_numpy())[0]) + 1
            raise ScoringError(
                "is not a date (YYYY-MM-DD)" if day is None else "is in the future",
                row=row,
                column="completed_on",
                value=value,
                hint="give the date the questionnaire was completed",
            )


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _frame_of(scores: dict[str, npt.NDArray[np.float64]], rows: int) -> pd.DataFrame:
    """The scores as one float block without pandas stacking them (a copy per score)."""
    block = np.empty((len(scores), rows), dtype=np.float64)
    for row, values in zip(block, scores.values(), strict=True):
        row[:] = values
    return pd.DataFrame(block.T, columns=list(scores), copy=False)


def score_response(
    instrument: str,
    answers: Mapping[str, int | None],
    value_set: str | None = None,
    *,
    scoring_version: str | None = None,
    invalid: InvalidPolicy = "error",
) -> ScoreResult:
    """Score one response ``{item code: answer}``; absent or ``None`` answers are missing.

    Give *scoring_version* to recompute a stored score with the rules that produced it.
    """
    definition = get_instrument(instrument, scoring_version)
    chosen = _value_set(definition, value_set)
    checked = answers_from_mapping(definition, answers, invalid=invalid)
    scores = score_codes(definition, checked.codes, chosen)
    return ScoreResult(
        instrument=definition.name,
        instrument_version=definition.version,
        scoring_version=definition.scoring_version,
        scoring_id=definition.scoring_id,
        value_set=chosen.code if chosen else None,
        scores={code: _plain(values[0]) for code, values in scores.items()},
        answered=_answered(checked, answered=True),
        unanswered=_answered(checked, answered=False),
        invalid=checked.invalid,
        warnings=_warnings(definition, checked.invalid),
    )


def _warnings(definition: Instrument, invalid: tuple[InvalidAnswer, ...]) -> tuple[str, ...]:
    """The provisional item map, if any, and the invalid answers scored as missing."""
    notes = [definition.provisional_warning] if definition.provisional_warning else []
    if invalid:
        notes.append(f"{len(invalid)} invalid answer(s) were scored as missing")
    return tuple(notes)


def _value_set(definition: Instrument, value_set: str | None) -> ValueSet | None:
    if not definition.needs_value_set:
        if value_set is not None:
            raise ScoringError(
                f"{definition.name} has no value sets", value=value_set, hint="leave it out"
            )
        return None
    if value_set is None:
        raise ScoringError(
            f"{definition.name} needs a value set",
            hint="choose one with --value-set (list them with --list-value-sets)",
        )
    return get_value_set(value_set)


def _answered(answers: Answers, *, answered: bool) -> tuple[str, ...]:
    present = answers.codes[0] > 0
    return tuple(code for code, p in zip(answers.items, present, strict=True) if p == answered)


def _plain(value: np.float64) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number

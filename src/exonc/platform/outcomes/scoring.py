"""Checking and scoring stored answers with :mod:`exonc.questionnaires`.

The platform never scores on its own: it checks answers with the engine's rules (an answer
is a whole number in the item's range; anything else is refused, never coerced) and
scores them with :func:`exonc.questionnaires.score_response`, keeping the scoring version
and the EQ-5D-5L value set that produced the scores.

EQ-5D-5L index values use the value set of the centre's country
(:data:`VALUE_SET_BY_COUNTRY`). A centre in a country without a value set gets no index
value: its answers are checked and stored, the ``utility`` score stays empty and the
response records no value set, until a value set is chosen for that country and the
scores are recomputed (``exonc outcomes rescore --latest``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from exonc.errors import ScoringError
from exonc.questionnaires import get_instrument, score_response
from exonc.questionnaires.answers import answers_from_mapping

#: EQ-5D-5L value set (``exonc score eq-5d-5l --list-value-sets``) for each centre country
#: (ISO 3166 alpha-2). United Kingdom centres take the England value set.
VALUE_SET_BY_COUNTRY: Mapping[str, str] = {
    "NL": "NL",
    "DE": "DE",
    "ES": "ES",
    "PL": "PL",
    "SE": "SE",
    "AU": "AU",
    "GB": "ENG",
}

Answer = int | None


@dataclass(frozen=True)
class Checked:
    """Answers read from a form or request: clean values, and a problem per invalid item."""

    answers: dict[str, Answer]
    problems: dict[str, str]

    def error(self) -> ScoringError | None:
        """The first problem as an error naming the item and the value, or None."""
        if not self.problems:
            return None
        code, problem = next(iter(self.problems.items()))
        more = len(self.problems) - 1
        hint = "choose one of the answers the form offers"
        if more:
            hint += f" ({more} more invalid: {', '.join(list(self.problems)[1:6])})"
        return ScoringError(problem, column=code, hint=hint)


@dataclass(frozen=True)
class Scored:
    scores: dict[str, float | None]
    scoring_version: str
    scoring_id: str
    value_set: str  # "" when the instrument has none or the country has none


def value_set_for(instrument: str, country: str) -> str | None:
    """The value set *instrument* is scored with at a centre in *country* (None if none)."""
    if not get_instrument(instrument).needs_value_set:
        return None
    return VALUE_SET_BY_COUNTRY.get(country.upper())


def check_answers(instrument: str, given: Mapping[str, object]) -> Checked:
    """Read ``{item code: value}``: empty values are unanswered, invalid ones are listed.

    Values may be numbers or text (``"3"``); an unknown item code raises ScoringError.
    """
    definition = get_instrument(instrument)
    raw = {code: _blank_to_none(value) for code, value in given.items()}
    checked = answers_from_mapping(definition, raw, invalid="missing")  # type: ignore[arg-type]
    problems = {a.column: f"value {a.value!r}: {a.problem}" for a in checked.invalid}
    values = checked.values[0]
    clean: dict[str, Answer] = {}
    for j, code in enumerate(checked.items):
        if code in raw and code not in problems:
            clean[code] = None if raw[code] is None else int(values[j])
    return Checked(clean, problems)


def score(
    instrument: str,
    answers: Mapping[str, Answer],
    value_set: str | None,
    *,
    scoring_version: str | None = None,
) -> Scored:
    """Score stored answers (the current rules, or the given *scoring_version*)."""
    definition = get_instrument(instrument, scoring_version)
    if definition.needs_value_set and value_set is None:
        answers_from_mapping(definition, answers)  # still refuse invalid answers
        return Scored(
            {code: None for code in definition.score_codes},
            definition.scoring_version,
            definition.scoring_id,
            "",
        )
    result = score_response(instrument, answers, value_set, scoring_version=scoring_version)
    return Scored(
        dict(result.scores), result.scoring_version, result.scoring_id, result.value_set or ""
    )


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value

"""Reading answers from forms and requests: valid ones kept, invalid ones named, never coerced."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.errors import ScoringError
from exonc.platform.outcomes.scoring import check_answers, score, value_set_for
from exonc.questionnaires import score_response

ITEMS = [f"q{i}" for i in range(1, 15)]  # HADS: every item 0-3

valid = st.integers(0, 3)
invalid = st.one_of(
    st.integers(4, 99),
    st.integers(-99, -1),
    st.sampled_from(["two", "1.5", "x", "3,0"]),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(ITEMS), st.one_of(valid, invalid, st.none(), st.just(""))))
def test_invalid_answers_are_named_and_valid_ones_kept_as_given(given_: dict[str, object]) -> None:
    checked = check_answers("hads", given_)
    bad = {
        code
        for code, value in given_.items()
        if isinstance(value, bool) or not (value is None or value == "" or value in range(4))
    }
    assert set(checked.problems) == bad
    for code in bad:
        assert checked.problems[code].startswith(f"value {given_[code]!r}: ")
    expected = {c: (None if v in (None, "") else v) for c, v in given_.items() if c not in bad}
    assert checked.answers == expected
    assert score("hads", checked.answers, None).scores == dict(
        score_response("hads", checked.answers).scores
    )


def test_numbers_written_as_text_are_read_and_blanks_are_unanswered() -> None:
    checked = check_answers("qlq-c30", {"q1": " 3 ", "q2": "3.0", "q3": "  "})
    assert (checked.answers, checked.problems) == ({"q1": 3, "q2": 3, "q3": None}, {})


def test_the_first_problem_becomes_one_error_line() -> None:
    checked = check_answers("hads", {"q1": 9, "q2": "x", "q3": 1})
    error = checked.error()
    assert isinstance(error, ScoringError)
    assert str(error) == (
        "column q1: value 9: is outside the range 0–3 of item q1; "
        "choose one of the answers the form offers (1 more invalid: q2)"
    )
    assert check_answers("hads", {"q1": 1}).error() is None


@pytest.mark.parametrize(
    ("instrument", "country", "expected"),
    [
        ("eq-5d-5l", "NL", "NL"),
        ("eq-5d-5l", "se", "SE"),
        ("eq-5d-5l", "GB", "ENG"),
        ("eq-5d-5l", "FR", None),  # no value set for France: no index value
        ("qlq-c30", "NL", None),  # only EQ-5D-5L has value sets
    ],
)
def test_value_set_of_the_centre_country(
    instrument: str, country: str, expected: str | None
) -> None:
    assert value_set_for(instrument, country) == expected


def test_eq5d_without_a_value_set_still_refuses_invalid_answers() -> None:
    assert score("eq-5d-5l", {"MO": 2}, None).scores == {"utility": None}
    with pytest.raises(ScoringError, match="value 6: is outside the range 1–5 of item MO"):
        score("eq-5d-5l", {"MO": 6}, None)

"""Study IDs: the protocol's pattern, generation and the safe-characters rule."""

from __future__ import annotations

import pytest

from exonc.errors import InputError
from exonc.protocol.study_ids import StudyIdPattern, check_safe, check_study_id, next_study_id

PATTERN = StudyIdPattern.parse("{centre}-{NNN}")


@pytest.mark.parametrize(
    ("study_id", "centre"),
    [("NL-UTR-064", "NL-UTR"), ("NL-UTR-001", "NL-UTR"), ("DE-HEI-1000", "DE-HEI")],
)
def test_ids_that_follow_the_pattern_are_accepted(study_id: str, centre: str) -> None:
    assert check_study_id(f"  {study_id} ", PATTERN, centre) == study_id


@pytest.mark.parametrize(
    ("study_id", "problem"),
    [
        ("NL-UTR-64", "does not follow the protocol's pattern"),  # too few digits
        ("NL-UTR-0064", "does not follow the protocol's pattern"),  # padding beyond width
        ("DE-HEI-064", "does not follow the protocol's pattern"),  # another centre's prefix
        ("UTR-064", "does not follow the protocol's pattern"),
        ("NL-UTR-064/..", "only letters, digits and hyphens"),
        ("../../etc", "only letters, digits and hyphens"),
        ("NL UTR 064", "only letters, digits and hyphens"),
        ("=HYPERLINK(1)", "only letters, digits and hyphens"),
        ("-NL-UTR-064", "only letters, digits and hyphens"),
        ("NL-UTR-06ä", "only letters, digits and hyphens"),
        ("", "is empty"),
    ],
)
def test_ids_off_the_pattern_or_unsafe_are_refused(study_id: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as refused:
        check_study_id(study_id, PATTERN, "NL-UTR")
    assert refused.value.column == "study_id"


def test_the_refusal_shows_an_example() -> None:
    with pytest.raises(InputError, match="write it like NL-UTR-001"):
        check_study_id("UTR-1", PATTERN, "NL-UTR")


def test_safe_ids_have_at_most_30_characters() -> None:
    assert check_safe("A" * 30) == "A" * 30
    with pytest.raises(InputError):
        check_safe("A" * 31)


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ([], "NL-UTR-001"),
        (["NL-UTR-063", "NL-UTR-009"], "NL-UTR-064"),  # one above the highest, not a gap
        (["NL-UTR-999"], "NL-UTR-1000"),
        (["DE-HEI-500", "NL-AMS-200", "typed-by-hand"], "NL-UTR-001"),  # other centres ignored
    ],
)
def test_next_study_id_numbers_per_centre(taken: list[str], expected: str) -> None:
    assert next_study_id(PATTERN, "NL-UTR", taken) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{centre}-{site}-{NNN}", "unknown placeholder {site}"),
        ("{centre}-001", "exactly one number placeholder"),
        ("{centre}-{NN}-{NNN}", "exactly one number placeholder"),
        ("{centre}/{NNN}", "only letters, digits and hyphens"),
    ],
)
def test_unusable_patterns_are_refused(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        StudyIdPattern.parse(text)


def test_a_pattern_with_a_fixed_prefix() -> None:
    pattern = StudyIdPattern.parse("PE-{centre}-{NNNN}")
    assert pattern.format("SE-STO", 7) == "PE-SE-STO-0007"
    assert check_study_id("PE-SE-STO-0007", pattern, "SE-STO") == "PE-SE-STO-0007"

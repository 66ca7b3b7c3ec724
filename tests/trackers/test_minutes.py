"""The minute frame and the shared value checks."""

from __future__ import annotations

import math

import polars as pl
import pytest

from exonc.trackers import MINUTE_SCHEMA, Limits, Piece, pieces_to_frame, screen


def _piece(**columns: list[object]) -> Piece:
    length = len(next(iter(columns.values())))
    frame = pl.DataFrame(
        {"minute": list(range(length)), "row": list(range(1, length + 1)), **columns}
    )
    return Piece("P1", "csv", frame)


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("steps", -1, "steps cannot be negative"),
        ("steps", 301, "more steps in one minute than a person can take"),
        ("intensity", 7, "intensity must be 0 (sedentary) to 3 (vigorous)"),
        ("intensity", -1, "intensity must be 0 (sedentary) to 3 (vigorous)"),
        ("heart_rate", 400.0, "heart rate outside the physiological range"),
        ("heart_rate", 12.0, "heart rate outside the physiological range"),
        ("heart_rate", math.nan, "heart rate outside the physiological range"),
        ("mets", 0.1, "METs outside the physiological range"),
    ],
)
def test_impossible_values_are_rejected_with_a_reason(
    column: str, value: object, reason: str
) -> None:
    good = {"steps": 10, "intensity": 1, "heart_rate": 80.0, "mets": 2.0}[column]
    kept, rejects = screen(_piece(**{column: [good, value]}), Limits())
    assert kept.minutes[column].to_list() == [good]
    assert rejects.select("row", "column", "reason").rows() == [(2, column, reason)]
    assert rejects["timestamp"][0] == "1970-01-01 00:01"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("steps", 0),
        ("steps", 300),
        ("intensity", 0),
        ("intensity", 3),
        ("heart_rate", 25.0),
        ("heart_rate", 250.0),
    ],
)
def test_limit_values_themselves_are_kept(column: str, value: object) -> None:
    kept, rejects = screen(_piece(**{column: [value]}), Limits())
    assert (kept.height, rejects.height) == (1, 0)


def test_a_row_with_two_bad_values_is_rejected_once() -> None:
    kept, rejects = screen(_piece(steps=[-5], intensity=[9]), Limits())
    assert kept.height == 0
    assert rejects["column"].to_list() == ["steps"]


def test_missing_values_are_not_rejected() -> None:
    kept, rejects = screen(_piece(steps=[None, 3]), Limits())
    assert (kept.height, rejects.height) == (2, 0)


def test_a_participant_outside_the_list_is_rejected_whole() -> None:
    kept, rejects = screen(_piece(steps=[1, 2]), Limits(), participants={"P2"})
    assert kept.height == 0
    assert rejects.select("column", "value", "reason").unique().rows() == [
        ("participant_id", "P1", "unknown participant")
    ]


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="max_steps"):
        Limits(max_steps=40_000)
    with pytest.raises(ValueError, match="heart-rate limits"):
        Limits(min_heart_rate=200, max_heart_rate=100)
    with pytest.raises(ValueError, match="MET limits"):
        Limits(min_mets=5, max_mets=1)


def test_pieces_become_a_frame_of_the_minute_schema() -> None:
    frame = pieces_to_frame(
        [
            _piece(steps=[4]),
            Piece("P2", "fitabase", pl.DataFrame({"minute": [60], "intensity": [2]})),
        ]
    )
    assert frame.schema == MINUTE_SCHEMA
    assert frame.select("participant_id", "steps", "intensity", "source").rows() == [
        ("P1", 4, None, "csv"),
        ("P2", None, 2, "fitabase"),
    ]
    assert pieces_to_frame([]).schema == MINUTE_SCHEMA

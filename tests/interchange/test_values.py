"""Canonical text of values and the check of a value against its field."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from exonc.interchange.crf import Choice, Field, FieldKind
from exonc.interchange.values import as_text, check_value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("", None),
        (pd.NA, None),
        (float("nan"), None),
        (3, "3"),
        (np.int64(7), "7"),
        (2.0, "2"),
        (2.5, "2.5"),
        (True, "1"),
        (np.bool_(False), "0"),
        (dt.date(2020, 1, 3), "2020-01-03"),
        (pd.Timestamp("2020-01-03"), "2020-01-03"),
        ("bone;liver", "bone;liver"),
    ],
)
def test_as_text(value: object, text: str | None) -> None:
    assert as_text(value) == text


def _field(kind: FieldKind, **extra: object) -> Field:
    return Field("f", "form", "table", "column", kind, "label", **extra)  # type: ignore[arg-type]


SITES = tuple(Choice(v, v, v) for v in ("bone", "liver", "lung"))


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        (_field("integer", minimum=0, maximum=100), "55", "55"),
        (_field("number", minimum=0), "1.5", "1.5"),
        (_field("date"), "2020-02-29", "2020-02-29"),
        (_field("yesno"), "1", "1"),
        (_field("multi", choices=SITES), "lung;bone", "bone;lung"),
        (_field("choice", choices=SITES), "liver", "liver"),
        (_field("text"), "anything", "anything"),
    ],
)
def test_values_that_fit(field: Field, text: str, expected: str) -> None:
    assert check_value(field, text) == expected


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        (_field("integer", minimum=0, maximum=100), "101", "above the maximum 100"),
        (_field("integer"), "1.0", "not a whole number"),
        (_field("number", minimum=0), "-1", "below the minimum 0"),
        (_field("number"), "1,5", "not a number"),
        (_field("date"), "2021-02-29", "not a date"),
        (_field("date"), "03.01.2020", "not a date"),
        (_field("yesno"), "yes", r"1 \(yes\) or 0 \(no\)"),
        (_field("multi", choices=SITES), "bone;skull", "'skull' is not one of the choices"),
        (_field("choice", choices=SITES), "Bone", "not one of the choices bone, liver, lung"),
    ],
)
def test_values_that_do_not(field: Field, text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        check_value(field, text)

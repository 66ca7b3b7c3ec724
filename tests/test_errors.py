"""The error hierarchy and the one-line message of input errors."""

from __future__ import annotations

import pytest

from exonc import errors
from exonc.errors import ExoncError, InputError, ProtocolError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "is broken"),
        ({"file": "a.csv"}, "a.csv: is broken"),
        ({"file": "a.csv", "row": 3}, "a.csv, row 3: is broken"),
        (
            {"file": "a.csv", "row": 3, "column": "q5", "value": "7", "hint": "use 1-4"},
            "a.csv, row 3, column q5: value '7': is broken; use 1-4",
        ),
        ({"value": 7}, "value 7: is broken"),
        (
            {"file": "p.toml", "key": "arms[0].ratio", "value": 0},
            "p.toml, key arms[0].ratio: value 0: is broken",
        ),
    ],
)
def test_input_error_composes_one_line(kwargs: dict[str, object], message: str) -> None:
    assert str(InputError("is broken", **kwargs)) == message  # type: ignore[arg-type]


def test_located_adds_the_file_once() -> None:
    error = ProtocolError("is missing", key="protocol.name")
    located = error.located("trial.toml")
    assert isinstance(located, ProtocolError)
    assert str(located) == "trial.toml, key protocol.name: is missing"
    assert located.located("other.toml") is located


def test_every_public_error_is_documented_in_the_tree() -> None:
    tree = errors.__doc__ or ""
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, ExoncError | Warning)
        assert name in tree, f"{name} is missing from the hierarchy in errors.py's docstring"

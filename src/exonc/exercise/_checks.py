"""Small validation helpers shared by the exercise value objects (internal).

Every check raises :class:`~exonc.errors.ExerciseInputError` naming the field (as ``key``),
the value and what to do, so a loader can add the file and the key path around it.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from typing import Any, NoReturn, TypeVar

from exonc.errors import ExerciseInputError

E = TypeVar("E", bound=enum.Enum)


def member(kind: type[E], value: str, column: str) -> E:
    """*value* as a member of the enumeration *kind*, or an error naming *column*."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in kind)
        raise ExerciseInputError(
            "is not a known value", column=column, value=value, hint=f"use one of {choices}"
        ) from None


def fail(
    problem: str, *, key: str | None = None, value: Any = None, hint: str | None = None
) -> NoReturn:
    raise ExerciseInputError(problem, key=key, value=value, hint=hint)


def require(condition: bool, problem: str, *, key: str, value: Any, hint: str) -> None:
    """Raise unless *condition* holds."""
    if not condition:
        fail(problem, key=key, value=value, hint=hint)


def in_range(value: float, low: float, high: float, *, key: str, unit: str, hint: str) -> None:
    """Require a finite *value* with ``low <= value <= high``."""
    require(
        isinstance(value, int | float) and math.isfinite(value) and low <= value <= high,
        f"{key} must be a number from {low:g} to {high:g} {unit}".rstrip(),
        key=key,
        value=value,
        hint=hint,
    )


def positive(value: float, high: float, *, key: str, unit: str, hint: str) -> None:
    """Require a finite value with ``0 < value <= high``."""
    require(
        isinstance(value, int | float) and math.isfinite(value) and 0 < value <= high,
        f"{key} must be more than 0 and at most {high:g} {unit}".rstrip(),
        key=key,
        value=value,
        hint=hint,
    )


def text(value: str, *, key: str, hint: str) -> None:
    """Require a non-blank string."""
    require(
        isinstance(value, str) and value.strip() != "",
        f"{key} must not be empty",
        key=key,
        value=value,
        hint=hint,
    )


def not_future(day: dt.date, today: dt.date, *, key: str, what: str) -> None:
    """Refuse a record dated after *today* (the caller passes today's date explicitly)."""
    require(
        day <= today,
        f"{what} is dated after today ({today.isoformat()})",
        key=key,
        value=day.isoformat(),
        hint="check the date; records can only describe what has already happened",
    )

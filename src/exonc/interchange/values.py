"""Values as exchanged: one canonical text per value, checked against its field.

Every value crosses the formats as text, so that a round trip gives back the same
characters: integers without a decimal point, dates as ISO 8601 (``YYYY-MM-DD``), the
several choices of a ``multi`` field joined by ``;`` in the order of the field's options,
yes/no as ``1``/``0``. :func:`as_text` turns what a DataFrame holds (numbers, dates,
booleans, text) into that text; :func:`check_value` says whether a text fits its field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from exonc.interchange.crf import Field

__all__ = ["MULTI_SEPARATOR", "as_text", "check_value", "text_column"]

MULTI_SEPARATOR = ";"
_INTEGER = re.compile(r"^-?[0-9]+$")
_NUMBER = re.compile(r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def as_text(value: Any) -> str | None:
    """The canonical text of one cell; None for a missing value or an empty string."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return _float_text(float(value))
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat() if _midnight(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _float_text(value: float) -> str | None:
    if math.isnan(value):
        return None
    return str(int(value)) if value.is_integer() else repr(value)


def _midnight(value: pd.Timestamp | dt.datetime) -> bool:
    return value.hour == value.minute == value.second == value.microsecond == 0


def text_column(series: pd.Series[Any]) -> list[str | None]:
    """The canonical text of every cell of *series*."""
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        return [None if v is None or v != v or v == "" else str(v) for v in series.tolist()]
    return [as_text(v) for v in series.tolist()]


def check_value(field: Field, text: str) -> str:
    """*text* if it fits *field* (a ``multi`` value in the options' order); else ValueError.

    The error's message is the problem and what to do, for the caller to locate.
    """
    if field.kind in ("text", "notes"):
        return text
    if field.kind == "choice":
        return _choice(field, text)
    if field.kind == "multi":
        return _multi(field, text)
    if field.kind == "yesno":
        if text not in ("0", "1"):
            raise ValueError("is not 1 (yes) or 0 (no)")
        return text
    if field.kind == "date":
        return _date(text)
    return _number(field, text)


def _choice(field: Field, text: str) -> str:
    if field.choice(text) is None:
        raise ValueError(f"is not one of the choices {_listed(field)} of {field.name}")
    return text


def _multi(field: Field, text: str) -> str:
    chosen = text.split(MULTI_SEPARATOR)
    unknown = [c for c in chosen if field.choice(c) is None]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not one of the choices {_listed(field)}")
    return MULTI_SEPARATOR.join(c.value for c in field.choices if c.value in chosen)


def _listed(field: Field) -> str:
    return ", ".join(c.value for c in field.choices)


def _date(text: str) -> str:
    try:
        if not _DATE.match(text):
            raise ValueError(text)
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a date (write YYYY-MM-DD)") from None
    return text


def _number(field: Field, text: str) -> str:
    pattern = _INTEGER if field.kind == "integer" else _NUMBER
    if not pattern.match(text):
        what = "a whole number" if field.kind == "integer" else "a number"
        raise ValueError(f"is not {what}")
    number = float(text)
    if field.minimum is not None and number < field.minimum:
        raise ValueError(f"is below the minimum {field.minimum} of {field.name}")
    if field.maximum is not None and number > field.maximum:
        raise ValueError(f"is above the maximum {field.maximum} of {field.name}")
    return text

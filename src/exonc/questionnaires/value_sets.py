"""EQ-5D-5L value sets as data, and the index-value model that uses them.

``data/value_sets.csv`` holds one row per value set: its code, country, publication and
DOI, and the model's coefficients. Adding a country is adding a row. The model is the one
the R package eq5d implements (``R/eq5d5l.R``)::

    index = StartValue + sum of the dimension decrements (level 1 adds nothing)
            + Intercept  if any dimension is above level 1
            + N4         if any dimension is at level 4 or 5
            + N5         if any dimension is at level 5
            + D45        for each dimension D at level 4 or 5
            + Num45sq * (number of dimensions at level 4 or 5 - 1)^2, if there is one

A blank cell means the model has no such term. Index values are not rounded (eq5d rounds
to three decimals).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from exonc.errors import InstrumentDataError, ScoringError
from exonc.questionnaires.registry import package_text

__all__ = ["DIMENSIONS", "VALUE_SETS", "ValueSet", "get_value_set", "parse_value_sets"]

DIMENSIONS = ("MO", "SC", "UA", "PD", "AD")
LEVELS = (2, 3, 4, 5)
_DESCRIPTIVE = ("code", "name", "country", "year", "publication", "doi")
_GLOBAL_TERMS = ("StartValue", "Intercept", "N4", "N5", "Num45sq")
_DIMENSION_TERMS = tuple(f"{d}{level}" for d in DIMENSIONS for level in LEVELS)
_LEVEL45_TERMS = tuple(f"{d}45" for d in DIMENSIONS)
COLUMNS = _DESCRIPTIVE + _GLOBAL_TERMS + _DIMENSION_TERMS + _LEVEL45_TERMS


@dataclass(frozen=True)
class ValueSet:
    """One country's EQ-5D-5L value set: its publication and its model coefficients.

    ``decrements[d][level - 1]`` is the coefficient of dimension ``d`` at ``level``
    (level 1 is always 0). Optional terms are ``None`` when the model lacks them.
    """

    code: str
    name: str
    country: str
    year: int
    publication: str
    doi: str
    start: float
    decrements: tuple[tuple[float, ...], ...]
    intercept: float | None = None
    n4: float | None = None
    n5: float | None = None
    num45sq: float | None = None
    level45: tuple[float, ...] | None = None

    def index(self, levels: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Index values of profiles (rows of five levels 1–5; NaN anywhere gives NaN)."""
        profiles = np.asarray(levels, dtype=np.float64).reshape(-1, len(DIMENSIONS))
        complete = ~np.asarray(np.isnan(profiles).any(axis=1), dtype=bool)
        state = np.where(complete[:, None], profiles, 1.0).astype(np.intp) - 1
        position = state @ np.array([625, 125, 25, 5, 1], dtype=np.intp)
        return np.where(complete, _all_states(self)[position], np.nan)


@functools.cache
def _all_states(value_set: ValueSet) -> npt.NDArray[np.float64]:
    """Index values of all 3,125 health states, in the order 11111, 11112, …, 55555."""
    states = np.array(list(itertools.product(range(1, 6), repeat=5)), dtype=np.intp)
    table = np.array([(0.0, *d) for d in value_set.decrements])
    values: npt.NDArray[np.float64] = value_set.start + table[np.arange(5), states - 1].sum(axis=1)
    severe = states >= 4
    n_severe = severe.sum(axis=1)
    terms = (
        (value_set.intercept, (states > 1).any(axis=1)),
        (value_set.n4, n_severe > 0),
        (value_set.n5, (states == 5).any(axis=1)),
        (value_set.num45sq, np.where(n_severe > 0, (n_severe - 1.0) ** 2, 0.0)),
    )
    for coefficient, weight in terms:
        if coefficient is not None:
            values = values + coefficient * weight
    if value_set.level45 is not None:
        values = values + severe.astype(np.float64) @ np.array(value_set.level45)
    return values


def parse_value_sets(text: str, *, source: str) -> dict[str, ValueSet]:
    """Read value sets from CSV text (the format of ``data/value_sets.csv``)."""
    reader = csv.DictReader(io.StringIO(text))
    unknown = sorted(set(reader.fieldnames or ()) - set(COLUMNS))
    if unknown:
        raise InstrumentDataError(
            f"unknown column {', '.join(unknown)}", file=source, hint=f"use {', '.join(COLUMNS)}"
        )
    value_sets: dict[str, ValueSet] = {}
    for row_number, row in enumerate(reader, start=1):
        try:
            value_set = _value_set(row)
        except InstrumentDataError as error:
            raise InstrumentDataError(
                error.problem, file=source, row=row_number, column=error.column, value=error.value
            ) from None
        if value_set.code in value_sets:
            raise InstrumentDataError(f"value set {value_set.code} is defined twice", file=source)
        value_sets[value_set.code] = value_set
    return value_sets


def _value_set(row: dict[str, str]) -> ValueSet:
    for column in _DESCRIPTIVE:
        if not (row.get(column) or "").strip():
            raise InstrumentDataError("is empty", column=column)
    level45 = [_number(row, t) for t in _LEVEL45_TERMS]
    return ValueSet(
        code=row["code"].strip(),
        name=row["name"].strip(),
        country=row["country"].strip(),
        year=int(_required(row, "year")),
        publication=row["publication"].strip(),
        doi=row["doi"].strip(),
        start=_required(row, "StartValue"),
        decrements=tuple(tuple(_required(row, f"{d}{lv}") for lv in LEVELS) for d in DIMENSIONS),
        intercept=_number(row, "Intercept"),
        n4=_number(row, "N4"),
        n5=_number(row, "N5"),
        num45sq=_number(row, "Num45sq"),
        level45=None if all(v is None for v in level45) else tuple(v or 0.0 for v in level45),
    )


def _required(row: dict[str, str], column: str) -> float:
    value = _number(row, column)
    if value is None:
        raise InstrumentDataError(
            "is empty", column=column, hint="every level 2-5 of every dimension needs a value"
        )
    return value


def _number(row: dict[str, str], column: str) -> float | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InstrumentDataError("is not a number", column=column, value=text) from None


VALUE_SETS: dict[str, ValueSet] = parse_value_sets(
    package_text("value_sets.csv"), source="value_sets.csv"
)


def get_value_set(code: str) -> ValueSet:
    """The value set with this code (case-insensitive), e.g. ``NL`` or ``SE2020``."""
    for value_set in VALUE_SETS.values():
        if value_set.code.lower() == code.strip().lower():
            return value_set
    raise ScoringError(
        f"unknown value set {code!r}",
        hint=f"choose one of {', '.join(VALUE_SETS)} (exonc score eq-5d-5l --list-value-sets)",
    )

"""Patient-level data of a trial-based cost-utility analysis, validated on the way in.

One row per randomised patient: the arm, EQ-5D utilities at the measurement months, the
cost components, and optionally the month of death. :func:`patient_data_from_frame` turns a
table whose cells may still be text into a :class:`PatientData` and stops at the first cell
it cannot use, naming its row, column and value.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.economics._columns import FloatArray, first_row, numeric_column, text_column
from exonc.errors import EconomicsInputError

__all__ = [
    "MIN_EQ5D5L_UTILITY",
    "PatientData",
    "UtilityColumn",
    "patient_data_from_frame",
]

#: Lowest utility of any EQ-5D-5L value set exonc ships: Germany's state 55555
#: (Ludwig et al. 2018), −0.661. Utilities below it cannot come from those value sets.
MIN_EQ5D5L_UTILITY = -0.661


@dataclass(frozen=True)
class UtilityColumn:
    """A utility column measured at *month* months after randomisation."""

    column: str
    month: float


@dataclass(frozen=True, eq=False)
class PatientData:
    """Validated patient-level data; arrays are aligned by row.

    ``utilities`` is patients × months and may hold NaN for missing measurements;
    ``costs`` is patients × cost components (no NaN unless ``allow_missing_costs``);
    ``death_months`` holds NaN for patients alive at the end of follow-up;
    ``utility_names`` names the utility columns (default ``u@<month>``).
    """

    ids: tuple[str, ...]
    arm: tuple[str, ...]
    months: FloatArray
    utilities: FloatArray
    cost_names: tuple[str, ...]
    costs: FloatArray
    death_months: FloatArray
    utility_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.utility_names:
            names = tuple(f"u@{m:g}" for m in self.months)
            object.__setattr__(self, "utility_names", names)

    @property
    def n(self) -> int:
        return len(self.arm)

    def total_cost(self, components: Sequence[str] | None = None) -> FloatArray:
        """The sum of the chosen cost components (all of them by default) per patient."""
        chosen = self.cost_names if components is None else tuple(components)
        unknown = [c for c in chosen if c not in self.cost_names]
        if unknown:
            raise EconomicsInputError(
                f"unknown cost component {unknown[0]!r}",
                hint=f"choose from {', '.join(self.cost_names)}",
            )
        idx = [self.cost_names.index(c) for c in chosen]
        return np.asarray(self.costs[:, idx].sum(axis=1), dtype=np.float64)

    def subset(self, keep: NDArray[np.bool_]) -> PatientData:
        """The patients where *keep* is true."""
        rows = np.flatnonzero(keep)
        return PatientData(
            ids=tuple(self.ids[i] for i in rows),
            arm=tuple(self.arm[i] for i in rows),
            months=self.months,
            utilities=self.utilities[rows],
            cost_names=self.cost_names,
            costs=self.costs[rows],
            death_months=self.death_months[rows],
            utility_names=self.utility_names,
        )

    def with_values(self, utilities: FloatArray, costs: FloatArray) -> PatientData:
        """The same patients with other utilities and costs (e.g. one imputed data set)."""
        return PatientData(
            self.ids,
            self.arm,
            self.months,
            utilities,
            self.cost_names,
            costs,
            self.death_months,
            self.utility_names,
        )


def patient_data_from_frame(
    frame: pd.DataFrame,
    *,
    arm: str,
    utilities: Sequence[UtilityColumn],
    costs: Sequence[str],
    death: str | None = None,
    id_column: str | None = None,
    min_utility: float = MIN_EQ5D5L_UTILITY,
    allow_missing_costs: bool = False,
    file: str | None = None,
) -> PatientData:
    """Validate *frame* and return its :class:`PatientData`.

    Errors: months not strictly increasing, a patient without an arm, a non-numeric,
    negative or missing cost, a utility outside ``[min_utility, 1]``, a death month that is
    negative, or a utility other than 0 recorded after death.
    """
    _check_schedule(utilities)
    _check_columns(frame, [arm, *(u.column for u in utilities), *costs, death, id_column], file)
    if not costs:
        raise EconomicsInputError("no cost columns given", file=file, hint="name at least one")
    utility_matrix = _utilities(frame, utilities, min_utility, file)
    deaths = _deaths(frame, death, file)
    months = np.array([u.month for u in utilities], dtype=np.float64)
    _check_after_death(utility_matrix, months, deaths, [u.column for u in utilities], file)
    ids = _unique_ids(frame, id_column, file) if id_column else _row_ids(len(frame))
    return PatientData(
        ids=tuple(ids),
        arm=tuple(text_column(frame, arm, file=file)),
        months=months,
        utilities=utility_matrix,
        cost_names=tuple(costs),
        costs=_costs(frame, costs, allow_missing_costs, file),
        death_months=deaths,
        utility_names=tuple(u.column for u in utilities),
    )


def _unique_ids(frame: pd.DataFrame, column: str, file: str | None) -> list[str]:
    """The patients' identifiers; a patient on two rows would count twice in every mean."""
    ids = text_column(frame, column, file=file)
    first: dict[str, int] = {}
    for row, patient in enumerate(ids, start=1):
        if patient in first:
            raise EconomicsInputError(
                f"repeats the patient of row {first[patient]}",
                file=file,
                row=row,
                column=column,
                value=patient,
                hint="give one row per patient",
            )
        first[patient] = row
    return ids


def _row_ids(n: int) -> list[str]:
    return [str(i + 1) for i in range(n)]


def _check_schedule(utilities: Sequence[UtilityColumn]) -> None:
    if len(utilities) < 2:
        raise EconomicsInputError(
            "an area under the curve needs utilities at two or more months",
            hint="give --utility COL@MONTH at least twice",
        )
    for before, after in itertools.pairwise(utilities):
        if not after.month > before.month:
            raise EconomicsInputError(
                f"months out of order: {after.column}@{after.month:g} comes after "
                f"{before.column}@{before.month:g}",
                hint="list the utility columns in strictly increasing month order",
            )
    if utilities[0].month < 0:
        raise EconomicsInputError(
            f"month {utilities[0].month:g} of {utilities[0].column} is negative",
            hint="months count from randomisation (0)",
        )


def _check_columns(frame: pd.DataFrame, columns: Sequence[str | None], file: str | None) -> None:
    for column in columns:
        if column is not None and column not in frame.columns:
            raise EconomicsInputError(
                f"missing column {column}",
                file=file,
                hint=f"the table has {', '.join(map(str, frame.columns))}",
            )


def _utilities(
    frame: pd.DataFrame, utilities: Sequence[UtilityColumn], low: float, file: str | None
) -> FloatArray:
    columns = []
    for u in utilities:
        values = numeric_column(frame, u.column, file=file, allow_missing=True, what="a utility")
        outside = (values < low) | (values > 1.0)
        if outside.any():
            row = first_row(outside)
            raise EconomicsInputError(
                f"utility outside the value set's range [{low:g}, 1]",
                file=file,
                row=row,
                column=u.column,
                value=frame[u.column].iloc[row - 1],
                hint="check the value set used, or lower the bound with --min-utility",
            )
        columns.append(values)
    return np.column_stack(columns)


def _costs(
    frame: pd.DataFrame, costs: Sequence[str], allow_missing: bool, file: str | None
) -> FloatArray:
    columns = []
    for column in costs:
        values = numeric_column(
            frame, column, file=file, allow_missing=allow_missing, what="a cost"
        )
        negative = values < 0
        if negative.any():
            row = first_row(negative)
            raise EconomicsInputError(
                "cost is negative",
                file=file,
                row=row,
                column=column,
                value=frame[column].iloc[row - 1],
                hint="costs are amounts spent and cannot be below 0",
            )
        columns.append(values)
    return np.column_stack(columns)


def _deaths(frame: pd.DataFrame, death: str | None, file: str | None) -> FloatArray:
    if death is None:
        return np.full(len(frame), np.nan)
    values = numeric_column(frame, death, file=file, allow_missing=True, what="a month of death")
    negative = values < 0
    if negative.any():
        row = first_row(negative)
        raise EconomicsInputError(
            "month of death is negative",
            file=file,
            row=row,
            column=death,
            value=frame[death].iloc[row - 1],
            hint="leave the cell empty for patients alive at the end of follow-up",
        )
    return values


def _check_after_death(
    utilities: FloatArray,
    months: FloatArray,
    deaths: FloatArray,
    columns: Sequence[str],
    file: str | None,
) -> None:
    with np.errstate(invalid="ignore"):
        after = months[None, :] >= deaths[:, None]
    recorded = after & ~np.isnan(utilities) & (utilities != 0)
    if recorded.any():
        row, col = np.argwhere(recorded)[0]
        raise EconomicsInputError(
            f"utility recorded at or after death (month {deaths[row]:g})",
            file=file,
            row=int(row) + 1,
            column=columns[col],
            value=float(utilities[row, col]),
            hint="leave utilities after death empty (they count as 0) or correct the month",
        )

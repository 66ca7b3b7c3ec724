"""The analysis data set of an MMRM: a checked long table turned into per-subject arrays.

One row per subject and visit. Rows whose outcome or any model variable is missing are
left out (as R's ``na.omit`` does); a subject counts as long as one visit remains. Problems
the model cannot survive — a missing column, a subject in two arms, an arm without data at
a visit, two rows for one subject and visit, a design that is not of full rank — stop with
an :class:`AnalysisInputError` that names the row, column and value and says what to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg
from numpy.typing import NDArray

from exonc._data import LARGEST_VALUE
from exonc.analysis.design import Design
from exonc.analysis.formula import Formula
from exonc.errors import AnalysisInputError

__all__ = ["AnalysisData", "prepare"]

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class AnalysisData:
    """Rows kept for the fit, their design, and the padded per-subject arrays."""

    frame: pd.DataFrame  # rows used, in input order
    design: Design
    subjects: tuple[str, ...]  # sorted: the arrays below do not depend on the row order
    visits: tuple[str, ...]
    x: Array  # (N, m, p)
    y: Array  # (N, m)
    observed: NDArray[np.bool_]  # (N, m)
    warnings: tuple[str, ...]

    @property
    def n_observations(self) -> int:
        return int(self.observed.sum())


def prepare(
    data: pd.DataFrame,
    formula: Formula,
    *,
    subject: str,
    visit: str,
    arm: str | None,
    levels: Mapping[str, Sequence[str]],
) -> AnalysisData:
    """Check *data* for an MMRM of *formula* and arrange it by subject and visit."""
    if formula.response is None:
        raise AnalysisInputError("the formula has no outcome", hint="write 'outcome ~ terms'")
    outcome = formula.response
    needed = list(dict.fromkeys([outcome, subject, visit, *formula.variables]))
    _require(data, [*needed, *([arm] if arm else [])])
    frame = data.reset_index(drop=True)
    frame[outcome] = _numeric(frame[outcome])
    visit_levels = [str(v) for v in levels[visit]]
    _check_visits(frame, visit, visit_levels)
    if arm is not None:
        _check_one_arm_per_subject(frame, subject, arm)
    used = needed + ([arm] if arm and arm not in needed else [])
    kept, warnings = _complete_rows(frame, used, outcome)
    _check_finite(kept, used)
    kept[visit] = kept[visit].astype(str)
    _check_duplicates(kept, subject, visit)
    if arm is not None:
        _check_arms(kept, subject, visit, arm, levels[arm], visit_levels)
    seen = set(pd.unique(kept[visit].to_numpy(dtype=object)))
    present = [v for v in visit_levels if v in seen]
    if len(present) < len(visit_levels):
        dropped = ", ".join(v for v in visit_levels if v not in present)
        warnings.append(f"visits without any observed {outcome} were dropped: {dropped}")
    design_levels = {**levels, visit: present}
    design = Design.build(kept, formula, design_levels)
    _check_constant_factors(design, kept)
    rows = design.matrix(kept)
    _check_rank(rows, design, kept)
    return _arrange(kept, design, rows, outcome, subject, visit, present, tuple(warnings))


def _complete_rows(
    frame: pd.DataFrame, used: Sequence[str], outcome: str
) -> tuple[pd.DataFrame, list[str]]:
    """Rows with every model variable present, and a warning for observed outcomes lost."""
    complete = frame[list(used)].notna().all(axis=1)
    warnings = _missing_warnings(frame[list(used)], outcome, complete)
    if not complete.any():
        raise AnalysisInputError(
            f"no row has a value for {outcome} and every model variable",
            column=outcome,
            hint="check that the outcome column holds numbers",
        )
    return frame.loc[complete].copy(), warnings


def _check_finite(kept: pd.DataFrame, used: Sequence[str]) -> None:
    """Refuse infinite numbers (``inf``, or a number too long for a float) and numbers too
    large to fit, naming the first one; they would fail deep inside the fit otherwise."""
    for name in dict.fromkeys(used):
        column = kept[name]
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            continue
        values = column.to_numpy(dtype=float)
        bad = ~(np.abs(values) <= LARGEST_VALUE)
        if bad.any():
            at = int(np.flatnonzero(bad)[0])
            infinite = not np.isfinite(values[at])
            raise AnalysisInputError(
                "is not a finite number (too long, or infinite)"
                if infinite
                else f"is larger than {LARGEST_VALUE:.0e} in magnitude",
                row=int(kept.index[at]) + 1,
                column=str(name),
                value=float(values[at]),
                hint="give finite numbers"
                if infinite
                else "rescale the column (e.g. to other units)",
            )


def _require(data: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        raise AnalysisInputError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            column=missing[0],
            hint=f"the data need the columns {', '.join(dict.fromkeys(columns))}",
        )


def _numeric(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.astype(float)
    converted = pd.to_numeric(column, errors="coerce")
    bad = converted.isna() & column.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnalysisInputError(
            "is not a number",
            row=row + 1,
            column=str(column.name),
            value=column.iloc[row],
            hint="give numbers (use a dot as decimal separator) or leave the cell empty",
        )
    return converted.astype(float)


def _check_visits(frame: pd.DataFrame, visit: str, visit_levels: Sequence[str]) -> None:
    values = frame[visit]
    unknown = values.notna() & ~values.astype(str).isin(visit_levels)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise AnalysisInputError(
            "is not one of the visits of the analysis",
            row=row + 1,
            column=visit,
            value=values.iloc[row],
            hint=f"the visits are {', '.join(visit_levels)}; add it to the visit order or "
            "remove the row",
        )


def _missing_warnings(used: pd.DataFrame, outcome: str, complete: pd.Series) -> list[str]:
    has_outcome = used[outcome].notna()
    lost = int((has_outcome & ~complete).sum())
    if not lost:
        return []
    columns = [c for c in used.columns if c != outcome and used.loc[has_outcome, c].isna().any()]
    return [
        f"{lost} row(s) with an observed {outcome} were left out because "
        f"{', '.join(columns)} {'is' if len(columns) == 1 else 'are'} missing"
    ]


def _check_duplicates(kept: pd.DataFrame, subject: str, visit: str) -> None:
    duplicated = kept.duplicated([subject, visit])
    if duplicated.any():
        row = int(kept.index[duplicated.to_numpy()][0])
        raise AnalysisInputError(
            f"subject {kept.loc[row, subject]!r} has two rows for this visit",
            row=row + 1,
            column=visit,
            value=kept.loc[row, visit],
            hint="keep one row per subject and visit",
        )


def _check_one_arm_per_subject(frame: pd.DataFrame, subject: str, arm: str) -> None:
    known = frame[frame[arm].notna()]
    per_subject = known[arm].astype(str).groupby(known[subject].astype(str)).nunique()
    if (per_subject > 1).any():
        who = str(per_subject.index[(per_subject > 1).to_numpy()][0])
        raise AnalysisInputError(
            f"subject {who!r} appears in more than one arm",
            column=arm,
            value=who,
            hint="each subject keeps the arm they were randomised to; correct the data",
        )


def _check_arms(
    kept: pd.DataFrame,
    subject: str,
    visit: str,
    arm: str,
    arm_levels: Sequence[str],
    visit_levels: Sequence[str],
) -> None:
    arms = kept[arm].astype(str)
    unknown = ~arms.isin([str(a) for a in arm_levels])
    if unknown.any():
        row = int(kept.index[unknown.to_numpy()][0])
        raise AnalysisInputError(
            "is not one of the arms of the analysis",
            row=row + 1,
            column=arm,
            value=kept.loc[row, arm],
            hint=f"the arms are {', '.join(map(str, arm_levels))}",
        )
    arm_codes = pd.Index([str(a) for a in arm_levels]).get_indexer(pd.Index(arms))
    visit_codes = pd.Index(list(visit_levels)).get_indexer(pd.Index(kept[visit].astype(str)))
    cells = np.zeros((len(arm_levels), len(visit_levels)), dtype=int)
    np.add.at(cells, (arm_codes, visit_codes), 1)
    for j, visit_level in enumerate(visit_levels):
        if not cells[:, j].any():
            continue
        for i, level in enumerate(arm_levels):
            if cells[i, j] == 0:
                raise AnalysisInputError(
                    f"arm {level!r} has no observed outcome at visit {visit_level!r}",
                    column=arm,
                    hint="the treatment-by-visit model needs data in every arm at every visit; "
                    "drop the visit or check the data",
                )


def _check_constant_factors(design: Design, kept: pd.DataFrame) -> None:
    for name in design.factors:
        if kept[name].astype(str).nunique() < 2:
            raise AnalysisInputError(
                "the design is singular: the factor is constant within the data",
                column=name,
                value=str(kept[name].iloc[0]),
                hint="remove it from the model, or check that the data hold more than one level",
            )


def _check_rank(rows: Array, design: Design, kept: pd.DataFrame) -> None:
    if rows.shape[0] <= rows.shape[1]:
        raise AnalysisInputError(
            f"{rows.shape[0]} observations cannot estimate {rows.shape[1]} coefficients",
            hint="use fewer covariates or more data",
        )
    _, r, pivot = scipy.linalg.qr(rows, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(r))
    rank = int(np.sum(diagonal > diagonal[0] * max(rows.shape) * np.finfo(float).eps * 10))
    if rank == rows.shape[1]:
        return
    aliased = [design.columns[i] for i in sorted(pivot[rank:])]
    constant = [name for name in design.variables if kept[name].astype(str).nunique() == 1]
    problem = f"the design is singular: {', '.join(aliased)} cannot be estimated"
    if constant:
        problem += f" ({', '.join(constant)} is constant within the data)"
    raise AnalysisInputError(
        problem,
        column=constant[0] if constant else None,
        hint="remove the covariate or the interaction that repeats information already in "
        "the model",
    )


def _arrange(
    kept: pd.DataFrame,
    design: Design,
    rows: Array,
    outcome: str,
    subject: str,
    visit: str,
    visits: Sequence[str],
    warnings: tuple[str, ...],
) -> AnalysisData:
    # subjects in sorted order, so that the arrays (and the fit) do not depend on row order
    subjects, subject_codes = np.unique(
        kept[subject].astype(str).to_numpy(dtype=object), return_inverse=True
    )
    visit_codes = pd.Categorical(kept[visit], categories=list(visits)).codes
    n, m, p = len(subjects), len(visits), rows.shape[1]
    x, y = np.zeros((n, m, p)), np.zeros((n, m))
    observed = np.zeros((n, m), dtype=bool)
    x[subject_codes, visit_codes] = rows
    y[subject_codes, visit_codes] = kept[outcome].to_numpy(dtype=float)
    observed[subject_codes, visit_codes] = True
    return AnalysisData(
        kept, design, tuple(map(str, subjects)), tuple(visits), x, y, observed, warnings
    )

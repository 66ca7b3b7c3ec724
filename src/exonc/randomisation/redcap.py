"""REDCap allocation tables: writing an exonc list for upload, and importing one.

REDCap's randomisation module looks allocations up in an *allocation table* that the
statistician uploads as CSV. Its columns are ``redcap_randomization_group`` (the coded
value of the randomisation field), one column per stratification field named after the
REDCap field and holding that field's coded values, and ``redcap_data_access_group`` (the
numeric data access group id) when the project randomises by site. Within a stratum, rows
are used from top to bottom. REDCap keeps no block columns, so an imported table has no
block information.

REDCap stores coded values, not labels. :class:`RedcapCodes` says which code stands for
which arm and level; by default the codes are ``1, 2, 3, …`` in the design's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from exonc.errors import RandomisationInputError
from exonc.randomisation.allocation_list import AllocationList, ListEntry
from exonc.randomisation.design import RandomisationDesign
from exonc.randomisation.seeds import Purpose, check_purpose

__all__ = ["REDCAP_DAG", "REDCAP_GROUP", "RedcapCodes", "from_redcap", "to_redcap"]

REDCAP_GROUP = "redcap_randomization_group"
REDCAP_NUMBER = "redcap_randomization_number"
REDCAP_DAG = "redcap_data_access_group"
ARM_CODES = "arm"


@dataclass(frozen=True)
class RedcapCodes:
    """Codes of arms and factor levels in a REDCap project.

    ``codes`` maps ``"arm"`` and each factor name to ``{label: code}``; ``dag_factor`` names
    the factor (usually the centre) that REDCap holds as the data access group.
    """

    codes: Mapping[str, Mapping[str, str]]
    dag_factor: str | None = None

    @classmethod
    def create(
        cls,
        design: RandomisationDesign,
        overrides: Mapping[str, Mapping[str, str]] | None = None,
        dag_factor: str | None = None,
    ) -> RedcapCodes:
        """Default codes ``1, 2, …`` in design order, replaced where *overrides* says."""
        labels = {ARM_CODES: design.arm_names} | {f.name: f.levels for f in design.factors}
        if dag_factor is not None and dag_factor not in design.factor_names:
            raise RandomisationInputError(
                "is not a factor of the design",
                column="dag_factor",
                value=dag_factor,
                hint=f"use one of {', '.join(design.factor_names) or '(no factors)'}",
            )
        codes = {
            name: {label: str(i) for i, label in enumerate(ls, 1)} for name, ls in labels.items()
        }
        for name, changes in (overrides or {}).items():
            if name not in codes:
                raise RandomisationInputError(
                    "is neither 'arm' nor a factor of the design", column="code", value=name
                )
            for label, code in changes.items():
                if label not in codes[name]:
                    raise RandomisationInputError(
                        f"is not a label of {name}",
                        column="code",
                        value=label,
                        hint=f"use one of {', '.join(codes[name])}",
                    )
                codes[name][label] = code
        for name, table in codes.items():
            _check_codes(name, table)
        return cls(codes, dag_factor)

    def column(self, name: str) -> str:
        """The REDCap column that holds *name* (``"arm"`` or a factor)."""
        if name == ARM_CODES:
            return REDCAP_GROUP
        return REDCAP_DAG if name == self.dag_factor else name


def to_redcap(allocation_list: AllocationList, codes: RedcapCodes) -> pd.DataFrame:
    """The list as a REDCap allocation table (all cells text), strata in list order."""
    names = [ARM_CODES, *(f for f in allocation_list.factors if f != codes.dag_factor)]
    if codes.dag_factor is not None:
        names.append(codes.dag_factor)
    rows = [
        [codes.codes[n][e.arm if n == ARM_CODES else e.levels[n]] for n in names]
        for e in allocation_list.entries
    ]
    return pd.DataFrame(rows, columns=[codes.column(n) for n in names], dtype=object)


def from_redcap(
    frame: pd.DataFrame,
    design: RandomisationDesign,
    codes: RedcapCodes,
    *,
    file: str | None = None,
    purpose: Purpose = "live",
) -> AllocationList:
    """Import a REDCap allocation table (cells as text) as an allocation list of *design*.

    Positions follow the row order within each stratum, as REDCap uses them.
    """
    header = [str(c).removeprefix("\ufeff") for c in frame.columns]
    _check_header(header, design, codes, file)
    inverse = {n: {code: label for label, code in t.items()} for n, t in codes.codes.items()}
    counters: dict[str, int] = {}
    entries = []
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        cells = dict(zip(header, values, strict=True))
        decoded = {n: _decode(cells, codes.column(n), inverse[n], number, file) for n in inverse}
        levels = {f: decoded[f] for f in design.factor_names}
        label = design.stratum_of(levels).label
        counters[label] = counters.get(label, 0) + 1
        entries.append(ListEntry(label, counters[label], decoded[ARM_CODES], levels))
    if not entries:
        raise RandomisationInputError("the allocation table has no rows", file=file)
    return AllocationList(design.factor_names, tuple(entries), check_purpose(purpose))


def _check_header(
    header: Sequence[str], design: RandomisationDesign, codes: RedcapCodes, file: str | None
) -> None:
    if REDCAP_GROUP not in header:
        hint = (
            "a blinded table holds concealment numbers, not arms; download the table "
            f"that includes {REDCAP_GROUP}"
            if REDCAP_NUMBER in header
            else f"a REDCap allocation table has the column {REDCAP_GROUP}"
        )
        raise RandomisationInputError(f"missing column {REDCAP_GROUP}", file=file, hint=hint)
    expected = [codes.column(n) for n in design.factor_names]
    for column in expected:
        if column not in header:
            raise RandomisationInputError(
                f"missing column {column}",
                file=file,
                hint="add one column per stratification field",
            )
    allowed = {REDCAP_GROUP, REDCAP_NUMBER, *expected}
    extra = [c for c in header if c not in allowed]
    if extra:
        raise RandomisationInputError(
            "is not a stratification field of the design",
            file=file,
            column=extra[0],
            hint=f"the design's factors are {', '.join(design.factor_names) or '(none)'}",
        )


def _decode(
    cells: Mapping[str, object],
    column: str,
    inverse: Mapping[str, str],
    number: int,
    file: str | None,
) -> str:
    value = cells[column]
    code = None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if code is None or code not in inverse:
        raise RandomisationInputError(
            "empty cell" if code is None else "is not a known code",
            file=file,
            row=number,
            column=column,
            value=code,
            hint=f"codes are {', '.join(f'{c}={label}' for c, label in inverse.items())}",
        )
    return inverse[code]


def _check_codes(name: str, table: Mapping[str, str]) -> None:
    seen: set[str] = set()
    for label, code in table.items():
        if not isinstance(code, str) or not code or code != code.strip() or "=" in code:
            raise RandomisationInputError(
                f"the code of {name} {label} must be non-empty text without spaces or =",
                column="code",
                value=code,
            )
        if code in seen:
            raise RandomisationInputError(
                f"two labels of {name} share the code", column="code", value=code
            )
        seen.add(code)

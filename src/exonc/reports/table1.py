"""Table 1: baseline characteristics by arm.

One row per arm (and ``all``) for a numeric characteristic — ``n`` non-missing, ``mean``,
``sd`` (n − 1), ``median``, ``q1``, ``q3`` (linear interpolation, pandas' default) — and
one row per level and arm for a categorical one — ``n`` (non-missing in the arm),
``count``, ``percent`` (of ``n``). A yes/no characteristic (0/1) has the levels ``true``
and ``false``. Fields that do not apply are ``None`` (``null`` in JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from exonc.reports._text import _

__all__ = ["CHARACTERISTICS", "Characteristic", "table1"]

ALL = "all"
FIELDS = ("variable", "level", "arm", "n", "mean", "sd", "median", "q1", "q3", "count", "percent")


@dataclass(frozen=True)
class Characteristic:
    column: str
    label: str
    kind: str  # "numeric", "categorical" or "yes/no"


#: The baseline characteristics of the participants table shown in Table 1, in order.
CHARACTERISTICS = (
    Characteristic("age", _("Age, years"), "numeric"),
    Characteristic("country", _("Country"), "categorical"),
    Characteristic("line_of_treatment", _("Line of treatment"), "categorical"),
    Characteristic("bone_metastases", _("Bone metastases"), "yes/no"),
    Characteristic("ecog", _("ECOG performance status"), "categorical"),
    Characteristic("baseline_pain", _("Pain at baseline (QLQ-C30 pain ≥ 25)"), "yes/no"),
)


def table1(
    participants: pd.DataFrame,
    arms: Sequence[str],
    characteristics: Sequence[Characteristic] = CHARACTERISTICS,
) -> list[dict[str, Any]]:
    """The rows of Table 1 (see the module docstring) for the characteristics present."""
    rows: list[dict[str, Any]] = []
    groups = [(arm, participants[participants["arm"] == arm]) for arm in arms]
    groups.append((ALL, participants))
    for item in characteristics:
        if item.column not in participants.columns:
            continue
        for arm, group in groups:
            values = group[item.column]
            if item.kind == "numeric":
                rows.append(_numeric(item.column, arm, pd.to_numeric(values, errors="coerce")))
            else:
                rows += _categorical(item, arm, values, participants[item.column])
    return rows


def _row(variable: str, arm: str, **values: Any) -> dict[str, Any]:
    return {f: None for f in FIELDS} | {"variable": variable, "arm": arm} | values


def _numeric(variable: str, arm: str, values: pd.Series) -> dict[str, Any]:
    present = values.dropna()
    if present.empty:
        return _row(variable, arm, n=0)
    return _row(
        variable,
        arm,
        n=len(present),
        mean=float(present.mean()),
        sd=float(present.std(ddof=1)) if len(present) > 1 else None,
        median=float(present.median()),
        q1=float(present.quantile(0.25)),
        q3=float(present.quantile(0.75)),
    )


def _categorical(
    item: Characteristic, arm: str, values: pd.Series, everyone: pd.Series
) -> list[dict[str, Any]]:
    present = values.dropna().astype(str)
    if item.kind == "yes/no":
        present = present.map(lambda v: "true" if v in {"1", "1.0", "True", "true"} else "false")
        levels = ["true", "false"]
    else:
        levels = sorted(everyone.dropna().astype(str).unique())
    n = len(present)
    counts = present.value_counts()
    return [
        _row(
            item.column,
            arm,
            level=level,
            n=n,
            count=int(counts.get(level, 0)),
            percent=100.0 * int(counts.get(level, 0)) / n if n else None,
        )
        for level in levels
    ]

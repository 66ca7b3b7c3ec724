"""Interpretation metadata: minimal important differences, size classes, thresholds.

The numbers live in ``data/interpretation.toml``, each with its source and an evidence
tag (``V``: stated in the named source; ``R``: recalled or secondary, to be checked
against the paper). Responder analyses take their cut-offs from here. An entry with no
scales (``scales == ()``) gives a range over the instrument's scales, not a per-scale value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from exonc.errors import InstrumentDataError
from exonc.questionnaires._tables import (
    Table,
    choice,
    field,
    package_text,
    parse_toml,
    strings,
    tables,
)
from exonc.questionnaires.registry import INSTRUMENTS

__all__ = [
    "INTERPRETATION",
    "ClinicalThreshold",
    "Interpretation",
    "MinimalImportantDifference",
    "SizeClass",
    "parse_interpretation",
]

Evidence = Literal["V", "R"]
Comparison = Literal["within-group", "between-group"]
Direction = Literal["improvement", "deterioration"]
Operator = Literal["<", ">"]


@dataclass(frozen=True)
class MinimalImportantDifference:
    """A published MID (or range of MIDs over scales) for a change or a group difference."""

    instrument: str
    scales: tuple[str, ...]
    comparison: Comparison
    direction: Direction
    low: float
    high: float
    population: str
    method: str
    source: str
    evidence: Evidence
    note: str | None = None


@dataclass(frozen=True)
class SizeClass:
    """A named class of difference sizes (``low`` ≤ |difference| < ``high``)."""

    instrument: str
    scales: tuple[str, ...]
    label: str
    low: float
    high: float | None
    comparison: str
    source: str
    evidence: Evidence
    note: str | None = None


@dataclass(frozen=True)
class ClinicalThreshold:
    """A cut-off on the score itself beyond which a problem is of clinical importance."""

    instrument: str
    scale: str
    operator: Operator
    value: float
    source: str
    evidence: Evidence
    note: str | None = None

    def flags(self, scores: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """True where a score is beyond the threshold (False where it is missing)."""
        values = np.asarray(scores, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            return values < self.value if self.operator == "<" else values > self.value


@dataclass(frozen=True)
class Interpretation:
    """All interpretation metadata, filterable by instrument and scale."""

    mids: tuple[MinimalImportantDifference, ...]
    size_classes: tuple[SizeClass, ...]
    thresholds: tuple[ClinicalThreshold, ...]

    def select(self, instrument: str, scale: str | None = None) -> Interpretation:
        """Entries for *instrument*; with *scale*, those for that scale or for all scales."""

        def wanted(name: str, scales: tuple[str, ...]) -> bool:
            return name == instrument and (scale is None or not scales or scale in scales)

        return Interpretation(
            mids=tuple(m for m in self.mids if wanted(m.instrument, m.scales)),
            size_classes=tuple(s for s in self.size_classes if wanted(s.instrument, s.scales)),
            thresholds=tuple(t for t in self.thresholds if wanted(t.instrument, (t.scale,))),
        )


def parse_interpretation(text: str, *, source: str) -> Interpretation:
    """Read and validate interpretation metadata (the format of ``interpretation.toml``)."""
    try:
        data = parse_toml(text, source=source)
        return Interpretation(
            mids=tuple(_mid(t) for t in tables(data, "mid", where="the file")),
            size_classes=tuple(_size(t) for t in tables(data, "size_class", where="the file")),
            thresholds=tuple(_threshold(t) for t in tables(data, "threshold", where="the file")),
        )
    except InstrumentDataError as error:
        raise error.located(source) from None


def _scales(table: Table, *, where: str) -> tuple[str, tuple[str, ...]]:
    instrument = choice(table, "instrument", tuple(INSTRUMENTS), where=where)
    scales = strings(table, "scales", where=where)
    known = INSTRUMENTS[instrument].score_codes
    unknown = [s for s in scales if s not in known]
    if unknown:
        raise InstrumentDataError(f"{where}: {instrument} has no score {unknown[0]}")
    return instrument, scales


def _sourced(table: Table, *, where: str) -> tuple[str, Evidence, str | None]:
    """Every entry's source, evidence tag and optional note."""
    return (
        field(table, "source", str, where=where),
        choice(table, "evidence", get_args(Evidence), where=where),
        field(table, "note", str, where=where, default=None),
    )


def _mid(table: Table) -> MinimalImportantDifference:
    where = "a [[mid]] entry"
    instrument, scales = _scales(table, where=where)
    source, evidence, note = _sourced(table, where=where)
    low, high = field(table, "low", float, where=where), field(table, "high", float, where=where)
    if low > high:
        raise InstrumentDataError(f"{where}: low must not exceed high", value=(low, high))
    return MinimalImportantDifference(
        instrument=instrument,
        scales=scales,
        comparison=choice(table, "comparison", get_args(Comparison), where=where),
        direction=choice(table, "direction", get_args(Direction), where=where),
        low=low,
        high=high,
        population=field(table, "population", str, where=where),
        method=field(table, "method", str, where=where),
        source=source,
        evidence=evidence,
        note=note,
    )


def _size(table: Table) -> SizeClass:
    where = "a [[size_class]] entry"
    instrument, scales = _scales(table, where=where)
    source, evidence, note = _sourced(table, where=where)
    return SizeClass(
        instrument=instrument,
        scales=scales,
        label=field(table, "label", str, where=where),
        low=field(table, "low", float, where=where),
        high=field(table, "high", float, where=where, default=None),
        comparison=field(table, "comparison", str, where=where),
        source=source,
        evidence=evidence,
        note=note,
    )


def _threshold(table: Table) -> ClinicalThreshold:
    where = "a [[threshold]] entry"
    instrument = choice(table, "instrument", tuple(INSTRUMENTS), where=where)
    scale = field(table, "scale", str, where=where)
    if scale not in INSTRUMENTS[instrument].score_codes:
        raise InstrumentDataError(f"{where}: {instrument} has no score {scale}")
    source, evidence, note = _sourced(table, where=where)
    return ClinicalThreshold(
        instrument=instrument,
        scale=scale,
        operator=choice(table, "operator", get_args(Operator), where=where),
        value=field(table, "value", float, where=where),
        source=source,
        evidence=evidence,
        note=note,
    )


INTERPRETATION: Interpretation = parse_interpretation(
    package_text("interpretation.toml"), source="interpretation.toml"
)

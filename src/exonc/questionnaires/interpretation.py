"""Interpretation metadata: minimal important differences, size classes, thresholds.

The numbers live in ``data/interpretation.toml``, each with its source and an evidence
tag (``V``: stated in the named source; ``R``: recalled or secondary, to be checked
against the paper). Responder analyses take their cut-offs from here. An entry with no
scales (``scales == ()``) gives a range over the instrument's scales, not a per-scale value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeVar, get_args

import numpy as np
import numpy.typing as npt

from exonc import _toml
from exonc._toml import Table
from exonc.errors import InstrumentDataError
from exonc.questionnaires.registry import INSTRUMENTS, package_text

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
    root = _toml.root(text, source=source, error=InstrumentDataError)
    result = Interpretation(
        mids=tuple(_done(_mid(t), t) for t in root.tables("mid")),
        size_classes=tuple(_done(_size(t), t) for t in root.tables("size_class")),
        thresholds=tuple(_done(_threshold(t), t) for t in root.tables("threshold")),
    )
    root.done()
    return result


T = TypeVar("T")


def _done(entry: T, table: Table) -> T:
    table.done()
    return entry


def _scales(table: Table) -> tuple[str, tuple[str, ...]]:
    instrument: str = table.one_of("instrument", tuple(INSTRUMENTS))
    scales = tuple(table.texts("scales"))
    known = INSTRUMENTS[instrument].score_codes
    unknown = [s for s in scales if s not in known]
    if unknown:
        table.fail("scales", f"{instrument} has no score {unknown[0]}", unknown[0])
    return instrument, scales


def _sourced(table: Table) -> tuple[str, Evidence, str | None]:
    """Every entry's source, evidence tag and optional note."""
    return (
        table.text("source"),
        table.one_of("evidence", get_args(Evidence)),
        table.text("note", None),
    )


def _mid(table: Table) -> MinimalImportantDifference:
    instrument, scales = _scales(table)
    source, evidence, note = _sourced(table)
    low, high = table.number("low"), table.number("high")
    if low > high:
        table.fail("high", "low must not exceed high", (low, high))
    return MinimalImportantDifference(
        instrument=instrument,
        scales=scales,
        comparison=table.one_of("comparison", get_args(Comparison)),
        direction=table.one_of("direction", get_args(Direction)),
        low=low,
        high=high,
        population=table.text("population"),
        method=table.text("method"),
        source=source,
        evidence=evidence,
        note=note,
    )


def _size(table: Table) -> SizeClass:
    instrument, scales = _scales(table)
    source, evidence, note = _sourced(table)
    return SizeClass(
        instrument=instrument,
        scales=scales,
        label=table.text("label"),
        low=table.number("low"),
        high=table.number("high", None),
        comparison=table.text("comparison"),
        source=source,
        evidence=evidence,
        note=note,
    )


def _threshold(table: Table) -> ClinicalThreshold:
    instrument: str = table.one_of("instrument", tuple(INSTRUMENTS))
    scale: str = table.text("scale")
    if scale not in INSTRUMENTS[instrument].score_codes:
        table.fail("scale", f"{instrument} has no score {scale}", scale)
    source, evidence, note = _sourced(table)
    return ClinicalThreshold(
        instrument=instrument,
        scale=scale,
        operator=table.one_of("operator", get_args(Operator)),
        value=table.number("value"),
        source=source,
        evidence=evidence,
        note=note,
    )


INTERPRETATION: Interpretation = parse_interpretation(
    package_text("interpretation.toml"), source="interpretation.toml"
)

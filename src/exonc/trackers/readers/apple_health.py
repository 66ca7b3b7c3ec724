"""Apple Health ``export.xml``, streamed record by record.

The export (Health app → Export All Health Data) is one XML file that can run to gigabytes;
it is parsed incrementally and each element is discarded once read, so memory stays flat.
Three record types are used:

``HKQuantityTypeIdentifierStepCount``
    steps over an interval; spread over the minutes the interval covers in proportion to
    the overlap, with whole steps assigned by largest remainder so that the total is kept;
``HKQuantityTypeIdentifierHeartRate``
    beats per minute at an instant; averaged per minute;
``HKQuantityTypeIdentifierAppleExerciseTime``
    minutes of exercise (brisk walking or more); each covered minute gets intensity 2
    (moderate). Apple does not separate moderate from vigorous, and minutes without an
    exercise record get their class from step cadence (:mod:`exonc.trackers.intensity`).

Dates carry their own offset (``2024-03-31 09:50:00 +0200``), which gives the local time.
iPhone and Apple Watch both record steps; where they overlap the minutes are duplicates,
resolved like any others (the larger count is kept). The export does not name the
participant: give ``ReadOptions.participant_id``.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import polars as pl

from exonc.errors import ImportFormatError
from exonc.trackers.minutes import REJECT_SCHEMA, empty_rejects
from exonc.trackers.readers._base import Batch, ReadOptions
from exonc.trackers.readers._samples import Samples, samples_to_piece
from exonc.trackers.timezones import minutes_since_epoch

__all__ = ["read"]

STEPS: Final = "HKQuantityTypeIdentifierStepCount"
HEART_RATE: Final = "HKQuantityTypeIdentifierHeartRate"
EXERCISE: Final = "HKQuantityTypeIdentifierAppleExerciseTime"
_TIME: Final = "%Y-%m-%d %H:%M:%S %z"
_BATCH_RECORDS: Final = 200_000


class _Batcher:
    """Samples of the current batch, per recording device, and the unusable records."""

    def __init__(self) -> None:
        self.devices: dict[str, tuple[Samples, Samples, Samples]] = {}
        self.rejects: list[dict[str, object]] = []
        self.records = 0

    def device(self, element: ET.Element) -> tuple[Samples, Samples, Samples]:
        """Steps, heart rate and exercise samples of the record's ``sourceName``."""
        name = element.get("sourceName") or ""
        if name not in self.devices:
            self.devices[name] = (Samples("steps"), Samples("heart_rate"), Samples("intensity"))
        return self.devices[name]

    def reject(self, row: int, element: ET.Element, column: str, reason: str) -> None:
        self.rejects.append(
            {
                "row": row,
                "timestamp": element.get("startDate"),
                "column": column,
                "value": element.get(column),
                "reason": reason,
            }
        )


def read(path: Path, options: ReadOptions) -> Iterator[Batch]:
    """Stream an Apple Health export into pieces of minutes, a batch at a time."""
    participant = options.participant(str(path), "Apple Health")
    batch = _Batcher()
    row = 0
    try:
        for _, element in ET.iterparse(path, events=("end",)):
            if element.tag != "Record":
                if element.tag not in ("MetadataEntry", "HeartRateVariabilityMetadataList"):
                    element.clear()
                continue
            row += 1
            _record(batch, row, element)
            element.clear()
            if batch.records >= _BATCH_RECORDS:
                yield _emit(participant, batch, options)
                batch = _Batcher()
    except ET.ParseError as exc:
        raise ImportFormatError(
            f"not well-formed XML ({exc})",
            file=str(path),
            hint="the export may be truncated; export it again from the Health app",
        ) from exc
    except FileNotFoundError as exc:
        raise ImportFormatError("file not found", file=str(path), hint="check the path") from exc
    if row == 0:
        raise ImportFormatError(
            "no Record elements: not an Apple Health export.xml",
            file=str(path),
            hint="give the export.xml from the Health app's export",
        )
    yield _emit(participant, batch, options)


def _record(batch: _Batcher, row: int, element: ET.Element) -> None:
    kind = element.get("type")
    if kind not in (STEPS, HEART_RATE, EXERCISE):
        return
    batch.records += 1
    start, end = _time(element.get("startDate")), _time(element.get("endDate"))
    if start is None or end is None or end < start:
        batch.reject(row, element, "startDate", "unparsable or reversed start/end dates")
        return
    try:
        value = float(element.get("value", ""))
    except ValueError:
        batch.reject(row, element, "value", "not a number")
        return
    offset = _offset(start)
    steps, heart, exercise = batch.device(element)
    if kind == HEART_RATE:
        heart.add(minutes_since_epoch(start.replace(tzinfo=None)), offset, value, row)
    elif kind == STEPS:
        if value < 0 or math.isnan(value):
            batch.reject(row, element, "value", "steps cannot be negative")
            return
        for minute, share in _spread(start, end, value):
            steps.add(minute, offset, share, row)
    else:
        for minute, _ in _spread(start, end, 1.0):
            exercise.add(minute, offset, 2.0, row)


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, _TIME)
    except ValueError:
        return None


def _offset(moment: dt.datetime) -> int:
    delta = moment.utcoffset()
    return int(delta.total_seconds() // 60) if delta is not None else 0


def _spread(start: dt.datetime, end: dt.datetime, total: float) -> list[tuple[int, float]]:
    """Whole amounts per local minute covered by [start, end), proportional to overlap."""
    first = minutes_since_epoch(start.replace(tzinfo=None))
    seconds = (end - start).total_seconds()
    if seconds <= 0:
        return [(first, total)]
    begin = start.replace(tzinfo=None)
    shares: list[tuple[int, float]] = []
    cursor = begin
    stop = end.replace(tzinfo=None)
    while cursor < stop:
        minute_end = cursor.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        piece_end = min(minute_end, stop)
        overlap = (piece_end - cursor).total_seconds()
        shares.append((minutes_since_epoch(cursor), total * overlap / seconds))
        cursor = piece_end
    return _whole(shares, total)


def _whole(shares: list[tuple[int, float]], total: float) -> list[tuple[int, float]]:
    """Round shares to whole numbers that add up to round(total) (largest remainder)."""
    floors = [(minute, math.floor(share), share - math.floor(share)) for minute, share in shares]
    missing = round(total) - sum(f for _, f, _ in floors)
    order = sorted(range(len(floors)), key=lambda i: (-floors[i][2], i))
    extra = set(order[: max(0, missing)])
    return [(minute, float(whole + (i in extra))) for i, (minute, whole, _) in enumerate(floors)]


def _emit(participant: str, batch: _Batcher, options: ReadOptions) -> Batch:
    """One piece per device: a device's records of a minute add up; two devices recording
    the same minute are duplicates, resolved when the minutes are summarised."""
    pieces = []
    found = []
    for samples in batch.devices.values():
        piece, rejects = samples_to_piece(participant, "apple-health", samples, options.limits)
        pieces.append(piece)
        found.append(rejects)
    if batch.rejects:
        rows = [{**r, "participant_id": participant} for r in batch.rejects]
        found.append(pl.DataFrame(rows, schema=REJECT_SCHEMA))
    return Batch(tuple(pieces), pl.concat(found) if found else empty_rejects())

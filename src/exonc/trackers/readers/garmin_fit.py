"""Garmin FIT files, decoded with Garmin's own FIT SDK (``garmin-fit-sdk``).

Two kinds of file carry minute-level activity:

* **Monitoring** (wellness) files, ``monitoring`` messages: ``steps`` are *cumulative* per
  activity type within the device's day, so each message adds the increase since the
  previous message of the same activity type (a decrease means the counter restarted, and
  the new value is the increase); ``heart_rate`` readings are averaged per minute.
  Messages that carry only ``timestamp_16`` (the low 16 bits of the time) are placed after
  the last full timestamp, as the FIT protocol specifies.
* **Activity** files, ``record`` messages: ``heart_rate`` averaged per minute; during
  running, walking and hiking sessions ``cadence`` (strides per minute, plus
  ``fractional_cadence``) gives steps per minute as twice the minute's mean cadence — an
  approximation for minutes only partly covered by records.

FIT times are UTC. Local times come from the time zone option when it is given (exact
across a clock change), else from the offset between the file's ``local_timestamp`` and
``timestamp`` (``monitoring_info`` or ``activity`` message).
The participant is not in the file: give ``ReadOptions.participant_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, cast

import numpy as np

from exonc.errors import ImportFormatError
from exonc.trackers.readers._base import Batch, ReadOptions
from exonc.trackers.readers._samples import Samples, samples_to_piece
from exonc.trackers.timezones import minutes_since_epoch

__all__ = ["read"]

FIT_EPOCH_S: Final = 631_065_600  # 1989-12-31 00:00 UTC, the FIT protocol's epoch
_STEP_SPORTS: Final = {"running", "walking", "hiking", "generic"}
_UNIX_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def read(path: Path, options: ReadOptions) -> Iterator[Batch]:
    """Read one FIT file (monitoring or activity) into a piece of minutes."""
    participant = options.participant(str(path), "Garmin FIT")
    messages = _decode(path)
    offset = _file_offset(messages)
    heart = Samples("heart_rate")
    steps = Samples("steps")
    if messages.get("monitoring_mesgs"):
        _monitoring(messages["monitoring_mesgs"], heart, steps)
    if messages.get("record_mesgs"):
        _records(messages["record_mesgs"], _sport(messages), heart, steps)
    if not heart and not steps:
        raise ImportFormatError(
            "the FIT file has no monitoring or record messages with steps or heart rate",
            file=str(path),
            hint="give a Garmin monitoring (wellness) file or an activity file",
        )
    for samples in (heart, steps):
        _to_local(samples, offset, options, str(path))
    piece, rejects = samples_to_piece(participant, "garmin-fit", (steps, heart), options.limits)
    yield Batch((piece,), rejects)


def _decode(path: Path) -> dict[str, list[dict[str, Any]]]:
    from garmin_fit_sdk import Decoder, Stream  # a large module: imported when needed

    name = str(path)
    if not path.is_file():
        raise ImportFormatError("file not found", file=name, hint="check the path")
    data = bytearray(path.read_bytes())
    if not Decoder(Stream.from_byte_array(data)).is_fit():
        raise ImportFormatError("not a FIT file", file=name, hint="give a Garmin .fit file")
    if not Decoder(Stream.from_byte_array(data)).check_integrity():
        raise ImportFormatError(
            "the FIT file fails its checksum (truncated or damaged)",
            file=name,
            hint="copy the file from the device again",
        )
    messages, errors = Decoder(Stream.from_byte_array(data)).read(convert_types_to_strings=True)
    if errors:
        raise ImportFormatError(
            f"the FIT file cannot be decoded ({errors[0]})",
            file=name,
            hint="copy the file from the device again",
        )
    return cast(dict[str, list[dict[str, Any]]], messages)


def _file_offset(messages: dict[str, list[dict[str, Any]]]) -> int | None:
    """Minutes east of UTC from a ``local_timestamp`` beside a ``timestamp``, if any."""
    for kind in ("monitoring_info_mesgs", "activity_mesgs"):
        for message in messages.get(kind, []):
            local, utc = message.get("local_timestamp"), message.get("timestamp")
            if isinstance(local, int) and isinstance(utc, dt.datetime):
                seconds = local - (int(utc.timestamp()) - FIT_EPOCH_S)
                return round(seconds / 60)
    return None


def _monitoring(messages: list[dict[str, Any]], heart: Samples, steps: Samples) -> None:
    last: dt.datetime | None = None
    totals: dict[str, float] = {}
    for row, message in enumerate(messages, start=1):
        moment = _moment(message, last)
        if moment is None:
            continue
        last = moment
        minute = minutes_since_epoch(moment)
        if message.get("heart_rate") is not None:
            heart.add(minute, None, float(message["heart_rate"]), row)
        count = message.get("steps")
        if count is not None:
            kind = str(message.get("activity_type", "generic"))
            before = totals.get(kind, 0.0)
            increase = count - before if count >= before else count
            totals[kind] = float(count)
            steps.add(minute, None, float(increase), row)


def _moment(message: dict[str, Any], last: dt.datetime | None) -> dt.datetime | None:
    stamp = message.get("timestamp")
    if isinstance(stamp, dt.datetime):
        return stamp
    short = message.get("timestamp_16")
    if isinstance(short, int) and last is not None:
        full = int(last.timestamp()) - FIT_EPOCH_S
        full += (short - (full & 0xFFFF)) & 0xFFFF
        return _UNIX_EPOCH + dt.timedelta(seconds=full + FIT_EPOCH_S)
    return None


def _sport(messages: dict[str, list[dict[str, Any]]]) -> str:
    sessions = messages.get("session_mesgs") or [{}]
    return str(sessions[0].get("sport", "generic"))


def _records(messages: list[dict[str, Any]], sport: str, heart: Samples, steps: Samples) -> None:
    cadence: dict[int, list[float]] = {}
    first_row: dict[int, int] = {}
    for row, message in enumerate(messages, start=1):
        stamp = message.get("timestamp")
        if not isinstance(stamp, dt.datetime):
            continue
        minute = minutes_since_epoch(stamp)
        if message.get("heart_rate") is not None:
            heart.add(minute, None, float(message["heart_rate"]), row)
        if sport in _STEP_SPORTS and message.get("cadence") is not None:
            strides = float(message["cadence"]) + float(message.get("fractional_cadence") or 0)
            cadence.setdefault(minute, []).append(2.0 * strides)
            first_row.setdefault(minute, row)
    for minute, values in cadence.items():
        steps.add(minute, None, float(np.rint(np.mean(values))), first_row[minute])


def _to_local(samples: Samples, offset: int | None, options: ReadOptions, file: str) -> None:
    """Turn the samples' UTC minutes into local minutes with their offsets."""
    if not samples:
        return
    utc = np.array(samples.minutes, dtype=np.int64)
    clock = options.clock()
    if clock.zone is None and offset is not None:
        samples.minutes = (utc + offset).tolist()
        samples.offsets = [offset] * len(samples)
        return
    if clock.zone is None:
        raise ImportFormatError(
            "the FIT file has no local time, so the local day needs the time zone",
            file=file,
            hint="give the participant's time zone (--timezone Europe/Amsterdam)",
        )
    local, offsets = clock.zone.utc_to_local(utc)
    samples.minutes = local.tolist()
    samples.offsets = offsets.tolist()

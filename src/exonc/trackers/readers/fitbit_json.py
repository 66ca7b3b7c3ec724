"""Fitbit / Google account exports: per-day (or per-month) JSON files.

Two layouts are read, told apart by the JSON itself:

* **Account archive** (``Physical Activity/steps-2024-01-01.json``, ``heart_rate-….json``):
  a list of ``{"dateTime": "01/01/24 00:00:00", "value": …}``; the file name says the
  metric. ``steps`` values are step counts per minute in local time; ``heart_rate`` values
  are ``{"bpm": …, "confidence": …}`` every few seconds, in UTC (see
  ``ReadOptions.fitbit_heart_rate_utc``), averaged per minute.
* **Web API intraday** (one file per day, as saved from ``activities/…/date/…/1d/1min``):
  an object with ``"activities-<metric>": [{"dateTime": "2024-01-15", …}]`` and
  ``"activities-<metric>-intraday": {"dataset": [{"time": "00:00:00", "value": …}]}`` for
  ``steps``, ``heart`` (beats per minute, per minute or per second) and ``calories``,
  whose entries carry the activity ``level`` (0–3, Fitbit's intensity) and ``mets`` (METs
  × 10). Times are the user's local time.

The files do not name the participant: give ``ReadOptions.participant_id``. Whole files
are parsed at once (they hold at most a month of minutes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl

from exonc.errors import ImportFormatError
from exonc.trackers.minutes import REJECT_SCHEMA
from exonc.trackers.readers._base import Batch, ReadOptions, localise
from exonc.trackers.readers._samples import Samples, samples_to_piece
from exonc.trackers.timezones import minutes_since_epoch

__all__ = ["read"]

_ARCHIVE_TIME: Final = "%m/%d/%y %H:%M:%S"
_ARCHIVE_NAME: Final = re.compile(r"^(?P<metric>[a-z_]+?)-\d{4}-\d{2}-\d{2}\.json$")
_ARCHIVE_METRICS: Final = {"steps": "steps", "heart_rate": "heart_rate"}
_API_METRICS: Final = ("steps", "heart", "calories")


def read(path: Path, options: ReadOptions) -> Iterator[Batch]:
    """Read one Fitbit JSON file into a piece of minutes."""
    participant = options.participant(str(path), "Fitbit JSON")
    data = _load(path)
    if isinstance(data, list):
        collected = _archive(path, data, options)
    elif isinstance(data, dict):
        collected = _api(path, data)
    else:
        raise _not_fitbit(path)
    piece, rejects = samples_to_piece(participant, "fitbit-json", collected.values, options.limits)
    rejects = rejects.vstack(collected.rejects_frame(participant)) if collected.rejects else rejects
    piece, gaps = localise(participant, "fitbit-json", piece.minutes, options.clock())
    yield Batch((piece,), rejects.vstack(gaps) if gaps.height else rejects)


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ImportFormatError("file not found", file=str(path), hint="check the path") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFormatError(
            f"not valid JSON ({exc})",
            file=str(path),
            hint="the file may be truncated; export it again",
        ) from exc


def _not_fitbit(path: Path) -> ImportFormatError:
    return ImportFormatError(
        "not a Fitbit export file",
        file=str(path),
        hint="expected a Fitbit account-archive list (steps-….json, heart_rate-….json) "
        "or a Web API intraday object (activities-steps-intraday …)",
    )


class _Collected:
    """Samples per metric and the entries that could not be read."""

    def __init__(self, metrics: list[str]) -> None:
        self.values = [Samples(metric) for metric in metrics]
        self.rejects: list[dict[str, object]] = []

    def metric(self, name: str) -> Samples:
        return next(s for s in self.values if s.metric == name)

    def reject(self, row: int, stamp: object, column: str, value: object, reason: str) -> None:
        self.rejects.append(
            {
                "row": row,
                "timestamp": _text(stamp),
                "column": column,
                "value": _text(value),
                "reason": reason,
            }
        )

    def rejects_frame(self, participant: str) -> pl.DataFrame:
        rows = [{**r, "participant_id": participant} for r in self.rejects]
        return pl.DataFrame(rows, schema=REJECT_SCHEMA)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _archive(path: Path, entries: list[Any], options: ReadOptions) -> _Collected:
    match = _ARCHIVE_NAME.match(path.name)
    metric = _ARCHIVE_METRICS.get(match.group("metric")) if match else None
    if metric is None:
        raise ImportFormatError(
            "not a supported Fitbit archive file",
            file=str(path),
            hint="read steps-YYYY-MM-DD.json and heart_rate-YYYY-MM-DD.json files",
        )
    utc = metric == "heart_rate" and options.fitbit_heart_rate_utc
    if utc and options.timezone is None:
        raise ImportFormatError(
            "Fitbit heart-rate times are UTC, so the local day needs the time zone",
            file=str(path),
            hint="give the participant's time zone (--timezone Europe/Amsterdam)",
        )
    clock = options.clock()
    collected = _Collected([metric])
    samples = collected.metric(metric)
    for row, entry in enumerate(entries, start=1):
        stamp = entry.get("dateTime") if isinstance(entry, dict) else None
        moment = _parse(stamp, _ARCHIVE_TIME)
        if moment is None:
            collected.reject(
                row, stamp, "dateTime", stamp, "unparsable timestamp (expected MM/DD/YY HH:MM:SS)"
            )
            continue
        raw = entry.get("value")
        value = _number(raw["bpm"] if metric == "heart_rate" and isinstance(raw, dict) else raw)
        if value is None:
            collected.reject(row, stamp, "value", raw, "not a number")
            continue
        samples.add(minutes_since_epoch(moment), None, value, row)
    if utc and clock.zone is not None and samples:
        local, offsets = clock.zone.utc_to_local(np.array(samples.minutes, dtype=np.int64))
        samples.minutes = local.tolist()
        samples.offsets = offsets.tolist()
    return collected


def _api(path: Path, data: dict[str, Any]) -> _Collected:
    found = [m for m in _API_METRICS if f"activities-{m}-intraday" in data]
    if not found:
        raise _not_fitbit(path)
    collected = _Collected(["steps", "heart_rate", "intensity", "mets"])
    for metric in found:
        day = _api_day(path, data, metric)
        dataset = data[f"activities-{metric}-intraday"].get("dataset", [])
        for row, entry in enumerate(dataset, start=1):
            _api_entry(collected, metric, day, row, entry)
    return collected


def _api_day(path: Path, data: dict[str, Any], metric: str) -> dt.date:
    summary = data.get(f"activities-{metric}") or [{}]
    text = summary[0].get("dateTime") if isinstance(summary[0], dict) else None
    moment = _parse(text, "%Y-%m-%d")
    if moment is None:
        raise ImportFormatError(
            "the intraday data has no date",
            file=str(path),
            column=f"activities-{metric}",
            value=text,
            hint="save the whole API response, including its activities-… summary",
        )
    return moment.date()


def _api_entry(collected: _Collected, metric: str, day: dt.date, row: int, entry: Any) -> None:
    stamp = entry.get("time") if isinstance(entry, dict) else None
    moment = _parse(f"{day.isoformat()} {stamp}", "%Y-%m-%d %H:%M:%S")
    if moment is None:
        collected.reject(row, stamp, "time", stamp, "unparsable time (expected HH:MM:SS)")
        return
    minute = minutes_since_epoch(moment)
    fields = {"steps": ("value", "steps", 1.0), "heart": ("value", "heart_rate", 1.0)}
    if metric == "calories":
        wanted = [("level", "intensity", 1.0), ("mets", "mets", 10.0)]
    else:
        wanted = [fields[metric]]
    for key, name, scale in wanted:
        value = _number(entry.get(key))
        if value is None:
            collected.reject(row, stamp, key, entry.get(key), f"{key} is not a number")
            continue
        collected.metric(name).add(minute, None, value / scale, row)


def _parse(text: object, fmt: str) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.strptime(text.strip(), fmt)
    except ValueError:
        return None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None

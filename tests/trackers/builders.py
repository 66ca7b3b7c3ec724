"""Builders for the tracker tests: small minute frames and files written in the test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from exonc.trackers import MINUTE_SCHEMA

TRACKERS = Path(__file__).resolve().parents[1] / "reference" / "trackers"
FITABASE = TRACKERS / "fitabase"


def minutes(
    start: dt.datetime,
    *,
    participant: str = "P1",
    steps: Sequence[int | None] | None = None,
    intensity: Sequence[int | None] | None = None,
    heart_rate: Sequence[float | None] | None = None,
    utc_offset: int | None = None,
    source: str = "csv",
) -> pl.DataFrame:
    """A minute frame of consecutive local minutes from *start*."""
    columns = {"steps": steps, "intensity": intensity, "heart_rate": heart_rate}
    length = max(len(v) for v in columns.values() if v is not None)
    data: dict[str, object] = {
        "participant_id": [participant] * length,
        "timestamp": [start + dt.timedelta(minutes=i) for i in range(length)],
        "utc_offset": [utc_offset] * length,
        "source": [source] * length,
    }
    data.update({name: list(values) for name, values in columns.items() if values is not None})
    frame = pl.DataFrame(data)
    return frame.select(
        (pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c))
        for c, t in MINUTE_SCHEMA.items()
    )


def write_csv(path: Path, text: str) -> Path:
    """Write *text* (leading newline and indentation removed) to *path*."""
    lines = [line.strip() for line in text.strip().splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path

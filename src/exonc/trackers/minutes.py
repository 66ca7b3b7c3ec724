"""The minute-level frame every tracker reader produces.

One row per participant and minute: the local wall-clock ``timestamp`` (the start of the
minute, naive), the ``utc_offset`` in minutes east of UTC that was in force (null when the
source gave local time and no time zone was known), and whichever of ``steps``,
``intensity`` (0 sedentary, 1 light, 2 moderate, 3 vigorous), ``mets`` and ``heart_rate``
(mean beats per minute) the source records, plus the ``source`` format.

Readers hand the frame over in :class:`Piece` objects, one participant each and in a
compact form (the local minute as an integer), so that the pipeline can partition by
participant without a string or datetime column per row. :func:`screen` applies the value
checks every format shares and returns the rejected rows with their reasons.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final, Literal, get_args

import polars as pl

__all__ = [
    "METRICS",
    "MINUTE_SCHEMA",
    "REJECT_SCHEMA",
    "SOURCES",
    "Limits",
    "Piece",
    "Source",
    "conform",
    "empty_minutes",
    "empty_rejects",
    "minute_to_timestamp",
    "pieces_to_frame",
    "screen",
    "timestamp_to_minute",
]

Source = Literal["fitabase", "fitbit-json", "garmin-fit", "apple-health", "actigraph", "csv"]
SOURCES: Final[tuple[str, ...]] = get_args(Source)

METRICS: Final = ("steps", "intensity", "mets", "heart_rate")

_MINUTE_TYPES: Final[dict[str, pl.DataType]] = {
    "participant_id": pl.String(),
    "timestamp": pl.Datetime("us"),
    "utc_offset": pl.Int16(),
    "steps": pl.Int16(),
    "intensity": pl.Int8(),
    "mets": pl.Float32(),
    "heart_rate": pl.Float32(),
    "source": pl.Enum(SOURCES),
}
MINUTE_SCHEMA: Final = pl.Schema(_MINUTE_TYPES)

# Rejected rows: where they were (1-based data row, when the format has rows), what they
# said, and why they were not accepted.
REJECT_SCHEMA: Final = pl.Schema(
    {
        "row": pl.Int64,
        "participant_id": pl.String,
        "timestamp": pl.String,
        "column": pl.String,
        "value": pl.String,
        "reason": pl.String,
    }
)


@dataclass(frozen=True)
class Limits:
    """The values a minute can plausibly hold; anything outside is rejected with a reason.

    The upper step limit lies above the fastest sprinting cadences reported (about 250-280
    steps per minute); heart rates outside 25-250 beats per minute are not physiological
    for an adult at rest or at peak effort; Fitbit and the Compendium of Physical Activities
    use METs between about 0.9 and 23.
    """

    max_steps: int = 300
    min_heart_rate: float = 25.0
    max_heart_rate: float = 250.0
    min_mets: float = 0.5
    max_mets: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.max_steps <= 32_767:
            raise ValueError("max_steps must lie in 1..32767 (steps are stored as Int16)")
        if not 0 < self.min_heart_rate < self.max_heart_rate:
            raise ValueError("heart-rate limits must satisfy 0 < min < max")
        if not 0 <= self.min_mets < self.max_mets:
            raise ValueError("MET limits must satisfy 0 <= min < max")


@dataclass(frozen=True)
class Piece:
    """Minutes of one participant from one source file, in compact form.

    ``minutes`` holds ``minute`` (Int32: local wall-clock minutes since 1970-01-01 00:00),
    ``utc_offset`` (Int16, null when unknown) and any subset of :data:`METRICS`; readers may
    add a 1-based ``row`` column so that rejected rows can be located.
    """

    participant_id: str
    source: Source
    minutes: pl.DataFrame

    @property
    def height(self) -> int:
        return self.minutes.height


def empty_minutes() -> pl.DataFrame:
    return pl.DataFrame(schema=MINUTE_SCHEMA)


_NO_REJECTS: Final = pl.DataFrame(schema=REJECT_SCHEMA)


def empty_rejects() -> pl.DataFrame:
    return _NO_REJECTS


MICROSECONDS_PER_MINUTE: Final = 60_000_000


def minute_to_timestamp(minute: pl.Expr) -> pl.Expr:
    """Local minutes since 1970 as a naive ``Datetime("us")``."""
    return (minute.cast(pl.Int64) * MICROSECONDS_PER_MINUTE).cast(pl.Datetime("us"))


def timestamp_to_minute(timestamp: pl.Expr) -> pl.Expr:
    """A naive datetime as local minutes since 1970 (seconds dropped)."""
    physical = timestamp.cast(pl.Datetime("us")).dt.epoch("us")
    return (physical // MICROSECONDS_PER_MINUTE).cast(pl.Int32)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Give *frame* exactly the minute schema: missing metric columns become null."""
    columns = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in MINUTE_SCHEMA.items()
    ]
    return frame.select(columns)


def pieces_to_frame(pieces: Collection[Piece]) -> pl.DataFrame:
    """Concatenate pieces into one frame of the minute schema."""
    frames = [
        conform(
            piece.minutes.with_columns(
                minute_to_timestamp(pl.col("minute")).alias("timestamp"),
                pl.lit(piece.participant_id).alias("participant_id"),
                pl.lit(piece.source).alias("source"),
            )
        )
        for piece in pieces
    ]
    return pl.concat(frames) if frames else empty_minutes()


def _checks(limits: Limits) -> list[tuple[str, str, pl.Expr]]:
    """(column, reason, failing) for the shared value checks."""
    return [
        ("steps", "steps cannot be negative", pl.col("steps") < 0),
        (
            "steps",
            "more steps in one minute than a person can take",
            pl.col("steps") > limits.max_steps,
        ),
        (
            "intensity",
            "intensity must be 0 (sedentary) to 3 (vigorous)",
            ~pl.col("intensity").is_between(0, 3),
        ),
        (
            "heart_rate",
            "heart rate outside the physiological range",
            ~pl.col("heart_rate").is_between(limits.min_heart_rate, limits.max_heart_rate),
        ),
        (
            "mets",
            "METs outside the physiological range",
            ~pl.col("mets").is_between(limits.min_mets, limits.max_mets),
        ),
    ]


def screen(
    piece: Piece, limits: Limits, participants: Collection[str] | None = None
) -> tuple[Piece, pl.DataFrame]:
    """Split *piece* into the rows that pass the shared checks and the rejected rows.

    A row is rejected as a whole when any of its values is impossible (including NaN), or
    when *participants* is given and does not contain the piece's participant.
    """
    frame = piece.minutes
    if participants is not None and piece.participant_id not in participants:
        rejects = _rejects(piece, frame, "participant_id", "unknown participant", id_value=True)
        return Piece(piece.participant_id, piece.source, frame.clear()), rejects
    checks = [
        (c, r, failing.fill_null(value=False))
        for c, r, failing in _checks(limits)
        if c in frame.columns
    ]
    if not checks:
        return piece, empty_rejects()
    any_bad = pl.any_horizontal(failing for _, _, failing in checks)
    if not frame.select(any_bad.any()).item():
        return piece, empty_rejects()
    found: list[pl.DataFrame] = []
    seen = pl.lit(value=False)
    for column, reason, failing in checks:
        hits = frame.filter(failing & ~seen)
        if hits.height:
            found.append(_rejects(piece, hits, column, reason))
        seen = seen | failing
    return Piece(piece.participant_id, piece.source, frame.filter(~any_bad)), pl.concat(found)


def _rejects(
    piece: Piece, hits: pl.DataFrame, column: str, reason: str, *, id_value: bool = False
) -> pl.DataFrame:
    value = pl.lit(piece.participant_id) if id_value else pl.col(column).cast(pl.String)
    row = pl.col("row").cast(pl.Int64) if "row" in hits.columns else pl.lit(None, pl.Int64)
    return hits.select(
        row.alias("row"),
        pl.lit(piece.participant_id).alias("participant_id"),
        minute_to_timestamp(pl.col("minute")).dt.strftime("%Y-%m-%d %H:%M").alias("timestamp"),
        pl.lit(column).alias("column"),
        value.alias("value"),
        pl.lit(reason).alias("reason"),
    ).cast(dict(REJECT_SCHEMA))  # type: ignore[arg-type]

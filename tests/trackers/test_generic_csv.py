"""Generic CSV with a column mapping."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.errors import ImportFormatError
from exonc.trackers import ColumnMapping, ReadOptions, daily_from_files, pieces_to_frame
from exonc.trackers.readers import generic_csv
from tests.trackers.builders import write_csv

MAPPING = ColumnMapping(
    participant_id="subject", timestamp="time", steps="step_count", heart_rate="hr"
)


def _minutes(path: Path, options: ReadOptions):  # type: ignore[no-untyped-def]
    batches = list(generic_csv.read(path, options))
    return pieces_to_frame([p for b in batches for p in b.pieces]), batches


def test_mapped_columns_and_seconds_dropped(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        """
        subject,time,step_count,hr,comment
        EFF-001,2024-05-02 09:00:30,12,71.5,walk
        EFF-001,2024-05-02 09:01:00,,73,
        """,
    )
    minutes, _ = _minutes(path, ReadOptions(mapping=MAPPING, timezone="Europe/Madrid"))
    assert minutes.select(
        "participant_id", "timestamp", "utc_offset", "steps", "heart_rate"
    ).rows() == [
        ("EFF-001", dt.datetime(2024, 5, 2, 9, 0), 120, 12, 71.5),
        ("EFF-001", dt.datetime(2024, 5, 2, 9, 1), 120, None, 73.0),
    ]


def test_an_offset_in_the_timestamp_is_kept(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        """
        participant_id,timestamp,steps
        P1,2024-05-02T09:00:00+02:00,5
        P1,2024-05-02T07:01:00Z,6
        P1,2024-05-02T03:02:00-05:30,7
        """,
    )
    options = ReadOptions(mapping=ColumnMapping(steps="steps"), timezone="Asia/Tokyo")
    minutes, _ = _minutes(path, options)
    assert minutes["utc_offset"].to_list() == [120, 0, -330]
    assert minutes["timestamp"].to_list()[2] == dt.datetime(2024, 5, 2, 3, 2)


def test_a_utc_offset_column_gives_the_offsets(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        """
        participant_id,timestamp,steps,offset
        P1,2024-05-02 09:00,5,600
        P1,2024-05-02 09:01,5,
        """,
    )
    options = ReadOptions(
        mapping=ColumnMapping(steps="steps", utc_offset="offset"), timezone="Europe/Madrid"
    )
    minutes, _ = _minutes(path, options)
    assert minutes["utc_offset"].to_list() == [600, 120]  # a missing one comes from the zone


def test_bad_rows_are_rejected(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        """
        participant_id,timestamp,steps,heart_rate
        P1,2024-05-02 09:00,5,70
        ,2024-05-02 09:01,5,70
        P1,yesterday,5,70
        P1,2024-05-02 09:03,many,70
        P1,2024-05-02 09:04,,
        P1,2024-05-02 09:05,5,400
        """,
    )
    options = ReadOptions(mapping=ColumnMapping(steps="steps", heart_rate="heart_rate"))
    run = daily_from_files([path], "csv", options=options)
    (report,) = run.report.files
    assert report.reasons == {
        "missing participant id": 1,
        "unparsable timestamp (expected %Y-%m-%d %H:%M)": 1,
        "not a number": 1,
        "row has no values": 1,
        "heart rate outside the physiological range": 1,
    }
    assert sorted(e.row for e in report.examples) == [2, 3, 4, 5, 6]
    assert report.accepted == 1


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (ColumnMapping(steps="StepCount"), "missing column StepCount"),
        (ColumnMapping(), "names no metric column"),
    ],
)
def test_a_mapping_that_does_not_fit_the_file(
    tmp_path: Path, mapping: ColumnMapping, message: str
) -> None:
    path = write_csv(
        tmp_path / "export.csv", "participant_id,timestamp,steps\nP1,2024-05-02 09:00,5"
    )
    with pytest.raises(ImportFormatError, match=message):
        list(generic_csv.read(path, ReadOptions(mapping=mapping)))


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["EFF-001", "EFF-002", "NL 17"]),
            st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1)),
            st.one_of(st.none(), st.integers(0, 300)),
            st.one_of(st.none(), st.integers(25, 250)),
        ).filter(lambda row: row[2] is not None or row[3] is not None),
        min_size=1,
        max_size=50,
    )
)
def test_a_written_csv_reads_back_unchanged(
    rows: list[tuple[str, dt.datetime, int | None, int | None]],
) -> None:
    lines = ["participant_id,timestamp,steps,heart_rate"]
    for participant, moment, steps, heart in rows:
        cells = ["" if value is None else str(value) for value in (steps, heart)]
        lines.append(f"{participant},{moment:%Y-%m-%d %H:%M:%S},{','.join(cells)}")
    options = ReadOptions(
        mapping=ColumnMapping(steps="steps", heart_rate="heart_rate"), batch_rows=9
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        minutes, batches = _minutes(path, options)
    assert sum(b.rejects.height for b in batches) == 0
    got = sorted(
        (
            (p, t, s, None if h is None else int(h))
            for p, t, s, h in minutes.select(
                "participant_id", "timestamp", "steps", "heart_rate"
            ).rows()
        ),
        key=_order,
    )
    expected = sorted(
        ((p, m.replace(second=0, microsecond=0), s, h) for p, m, s, h in rows), key=_order
    )
    assert got == expected


def _order(row: tuple[str, dt.datetime, int | None, int | None]) -> tuple[object, ...]:
    return (row[0], row[1], -1 if row[2] is None else row[2], -1 if row[3] is None else row[3])

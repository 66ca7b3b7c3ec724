"""Fitabase narrow and wide minute files: layouts, time zones and bad input."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.errors import ImportFormatError
from exonc.trackers import Partitioner, ReadOptions, daily_from_files, pieces_to_frame, read_files
from exonc.trackers.readers import fitabase
from tests.trackers.builders import write_csv

NARROW = """
    Id,ActivityMinute,Intensity
    1503960366,4/12/2016 12:00:00 AM,0
    1503960366,4/12/2016 12:01:00 AM,2
    1503960366,4/12/2016 1:15:00 PM,3
    2022484408,4/12/2016 12:00:00 AM,1
"""


def _read(path: Path, **options: object) -> tuple[pl.DataFrame, pl.DataFrame]:
    batches = list(fitabase.read(path, ReadOptions(**options)))  # type: ignore[arg-type]
    minutes = pieces_to_frame([p for b in batches for p in b.pieces])
    rejects = pl.concat([b.rejects for b in batches])
    return minutes, rejects


def test_a_narrow_file(tmp_path: Path) -> None:
    minutes, rejects = _read(write_csv(tmp_path / "minuteIntensitiesNarrow_merged.csv", NARROW))
    assert rejects.height == 0
    assert minutes.select("participant_id", "timestamp", "intensity").rows() == [
        ("1503960366", dt.datetime(2016, 4, 12, 0, 0), 0),
        ("1503960366", dt.datetime(2016, 4, 12, 0, 1), 2),
        ("1503960366", dt.datetime(2016, 4, 12, 13, 15), 3),
        ("2022484408", dt.datetime(2016, 4, 12, 0, 0), 1),
    ]
    assert minutes["utc_offset"].null_count() == 4  # no zone given: offsets unknown
    assert set(minutes["source"]) == {"fitabase"}


def test_mets_are_fitbits_mets_times_ten(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "minuteMETsNarrow_merged.csv",
        """
        Id,ActivityMinute,METs
        1,4/12/2016 7:00:00 AM,10
        1,4/12/2016 7:01:00 AM,35
        """,
    )
    minutes, _ = _read(path)
    assert minutes["mets"].to_list() == [1.0, 3.5]


def test_a_wide_file_holds_sixty_minutes_per_row(tmp_path: Path) -> None:
    header = "Id,ActivityHour," + ",".join(f"Steps{m:02d}" for m in range(60))
    row = "7,4/13/2016 3:00:00 PM," + ",".join(str(m) for m in range(60))
    minutes, _ = _read(write_csv(tmp_path / "minuteStepsWide_merged.csv", f"{header}\n{row}"))
    assert minutes.height == 60
    assert minutes["timestamp"][59] == dt.datetime(2016, 4, 13, 15, 59)
    assert minutes["steps"].sum() == sum(range(60))


def test_the_time_zone_gives_offsets_and_follows_the_clock_change(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "minuteStepsNarrow_merged.csv",
        """
        Id,ActivityMinute,Steps
        1,3/13/2016 1:59:00 AM,10
        1,3/13/2016 3:00:00 AM,20
        """,
    )
    minutes, _ = _read(path, timezone="America/New_York")
    # US clocks went from 02:00 EST (-05:00) to 03:00 EDT (-04:00) on 13 March 2016
    assert minutes["utc_offset"].to_list() == [-300, -240]


def test_a_time_skipped_by_the_clock_change_is_rejected(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "minuteStepsNarrow_merged.csv",
        """
        Id,ActivityMinute,Steps
        1,3/13/2016 2:30:00 AM,10
        """,
    )
    minutes, rejects = _read(path, timezone="America/New_York")
    assert minutes.height == 0
    assert rejects.row(0, named=True) | {"reason": ""} == {
        "row": 1,
        "participant_id": "1",
        "timestamp": "2016-03-13 02:30",
        "column": "timestamp",
        "value": "2016-03-13 02:30",
        "reason": "",
    }
    assert "does not exist in America/New_York" in rejects["reason"][0]


def test_the_repeated_autumn_hour_becomes_two_instants(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "minuteStepsNarrow_merged.csv",
        """
        Id,ActivityMinute,Steps
        1,11/6/2016 1:30:00 AM,10
        1,11/6/2016 1:30:00 AM,20
        """,
    )
    minutes, _ = _read(path, timezone="America/New_York")
    assert minutes["utc_offset"].to_list() == [-240, -300]  # EDT, then EST


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("Id,Day,Steps\n1,4/12/2016,5\n", "not a Fitabase minute file"),
        ("Id,ActivityDate,TotalSteps\n1,4/12/2016,5\n", "daily activity file, not a minute file"),
        ("Id,ActivityHour,StepTotal\n1,4/12/2016 1:00:00 AM,5\n", "hourly or daily steps file"),
        ("Id,ActivityHour,Steps00,Steps01\n1,4/12/2016 1:00:00 AM,5,6\n", "without column Steps02"),
        ("Id,ActivityMinute,Steps\n1,12 April 2016,5\n", "timestamp in an unknown format"),
        # issue 16: an unbalanced quote joined the lines (IndexError), a repeated column
        # reached DuckDB (BinderException)
        (
            'Id,ActivityMinute,Steps\n"1,4/12/2016 12:00:00 AM,3\n1,4/12/2016 12:01:00 AM,4\n',
            r"row 1: no data line has the header's 3 cells",
        ),
        ("Id,ActivityMinute,Steps\n1\n", r"row 1: no data line has the header's 3 cells"),
        (
            "Id,Id,ActivityMinute,Steps\n1,1,4/12/2016 12:00:00 AM,3\n",
            "column Id: the header names this column twice",
        ),
    ],
)
def test_files_that_cannot_be_read_fail_with_one_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "minuteStepsNarrow_merged.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message) as raised:
        list(fitabase.read(path, ReadOptions()))
    assert "\n" not in str(raised.value)


BAD_ROWS = """
    Id,ActivityMinute,Intensity
    1,4/12/2016 7:00:00 AM,1
    1,4/12/2016 7:01:00 AM,7
    1,not a time,1
    1,4/12/2016 7:03:00 AM,x
    x,4/12/2016 7:04:00 AM,1
    1,4/12/2016 7:05:00 AM,1,9
    1,4/12/2016 7:06:00 AM,-1
    1,4/12/2016 7:07:00 AM,
    1,4/12/2016 7:08:00 AM,2
"""


def test_bad_rows_are_rejected_with_their_row_column_value_and_reason(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "minuteIntensitiesNarrow_merged.csv", BAD_ROWS)
    partitioner = Partitioner()
    (report,) = read_files([path], "fitabase", partitioner)
    assert (report.rows_read, report.accepted, report.rejected) == (9, 2, 7)
    found = {(e.row, e.column, e.value, e.reason) for e in report.examples}
    assert found == {
        (2, "intensity", "7", "intensity must be 0 (sedentary) to 3 (vigorous)"),
        (
            3,
            "ActivityMinute",
            "not a time",
            "unparsable timestamp (expected %m/%d/%Y %I:%M:%S %p)",
        ),
        (4, "Intensity", "x", "not a number"),
        (5, "Id", "x", "participant Id is not a number"),
        (6, None, "1,4/12/2016 7:05:00 AM,1,9", "Expected Number of Columns: 3 Found: 4"),
        (7, "intensity", "-1", "intensity must be 0 (sedentary) to 3 (vigorous)"),
        (8, "Intensity", None, "missing intensity"),
    }
    assert partitioner.frame("1")["intensity"].to_list() == [1, 2]


def test_without_rejection_the_first_bad_row_stops_the_read(tmp_path: Path) -> None:
    refused = ("not a time", "7:03:00", "7:04:00", "7:05:00")  # DuckDB refuses: see below
    lines = [line for line in BAD_ROWS.splitlines() if not any(t in line for t in refused)]
    path = write_csv(tmp_path / "minuteIntensitiesNarrow_merged.csv", "\n".join(lines))
    with pytest.raises(ImportFormatError) as raised:
        daily_from_files([path], "fitabase", options=ReadOptions(keep_going=False))
    message = str(raised.value)
    assert message.startswith(f"{path}, row 2, column intensity: value '7': intensity must be")


@pytest.mark.parametrize(
    ("skip", "message"),
    [
        ((), r"row 3, column ActivityMinute: value 'not a time': unparsable timestamp"),
        (("not a time",), r"row 3, column Intensity: value 'x': not a number"),
        (("not a time", "7:03:00", "7:04:00"), r"row 3: Expected Number of Columns: 3 Found: 4"),
    ],
)
def test_without_rejection_lines_duckdb_refuses_stop_the_read_first(
    tmp_path: Path, skip: tuple[str, ...], message: str
) -> None:
    # DuckDB refuses non-numbers, times that do not parse and lines with the wrong number
    # of cells while it splits the file, so these stop the read before the value checks of
    # the same block
    lines = [line for line in BAD_ROWS.splitlines() if not any(t in line for t in skip)]
    path = write_csv(tmp_path / "minuteIntensitiesNarrow_merged.csv", "\n".join(lines))
    with pytest.raises(ImportFormatError, match=message):
        daily_from_files([path], "fitabase", options=ReadOptions(keep_going=False))


def test_a_wide_line_with_a_bad_cell_is_rejected_whole(tmp_path: Path) -> None:
    header = "Id,ActivityHour," + ",".join(f"Steps{m:02d}" for m in range(60))
    good = "7,4/13/2016 3:00:00 PM," + ",".join("1" for _ in range(60))
    bad = "7,4/13/2016 4:00:00 PM," + ",".join("many" if m == 5 else "1" for m in range(60))
    empty = "7,4/13/2016 5:00:00 PM," + ",".join("" if m == 5 else "1" for m in range(60))
    path = write_csv(tmp_path / "minuteStepsWide_merged.csv", "\n".join([header, good, bad, empty]))
    run = daily_from_files([path], "fitabase")
    (report,) = run.report.files
    # the non-number rejects its line's 60 minutes; the empty cell only its own minute
    assert report.reasons == {"not a number": 60, "missing steps": 1}
    assert (report.rows_read, report.accepted) == (180, 119)


def test_a_truncated_file_rejects_its_last_line(tmp_path: Path) -> None:
    # the cut-off line has two cells: its time does not parse and its steps are missing
    text = "Id,ActivityMinute,Steps\n1,4/12/2016 7:00:00 AM,10\n1,4/12/2016 7:01:0"
    path = tmp_path / "minuteStepsNarrow_merged.csv"
    path.write_text(text, encoding="utf-8")
    run = daily_from_files([path], "fitabase")
    (report,) = run.report.files
    assert (report.accepted, report.rejected) == (1, 1)
    assert report.examples[0].row == 2
    assert report.examples[0].reason.startswith("unparsable timestamp")


def test_a_truncated_compressed_file_fails_and_leaves_nothing(tmp_path: Path) -> None:
    import gzip

    good = write_csv(tmp_path / "good.csv", "Id,ActivityMinute,Steps\n1,4/12/2016 7:00:00 AM,10")
    body = "Id,ActivityMinute,Steps\n" + "".join(
        f"2,4/12/2016 {h}:{m:02d}:00 AM,5\n" for h in range(1, 12) for m in range(60)
    )
    packed = gzip.compress(body.encode())
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(packed[: len(packed) // 2])
    run = daily_from_files([good, broken], "fitabase")
    statuses = [f.status for f in run.report.files]
    assert statuses == ["imported", "failed"]
    assert run.daily["participant_id"].unique().to_list() == ["1"]
    assert "truncated" in (run.report.files[1].error or "")


def test_an_unknown_participant_is_rejected(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "minuteIntensitiesNarrow_merged.csv", NARROW)
    run = daily_from_files([path], "fitabase", participants={"1503960366"})
    (report,) = run.report.files
    assert report.reasons == {"unknown participant": 1}
    assert report.examples[0].value == "2022484408"
    assert run.daily["participant_id"].unique().to_list() == ["1503960366"]


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from([1503960366, 2022484408, 7]),
            st.datetimes(min_value=dt.datetime(2016, 1, 1), max_value=dt.datetime(2016, 12, 31)),
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_a_written_narrow_file_reads_back_unchanged(
    rows: list[tuple[int, dt.datetime, int]],
) -> None:
    lines = ["Id,ActivityMinute,Intensity"]
    for participant, moment, value in rows:
        stamp = moment.strftime("%m/%d/%Y %I:%M:%S %p").lstrip("0").replace("/0", "/")
        lines.append(f"{participant},{stamp},{value}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "minuteIntensitiesNarrow_merged.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        minutes, rejects = _read(path, batch_rows=7)
    assert rejects.height == 0
    expected = sorted((str(p), m.replace(second=0, microsecond=0), v) for p, m, v in rows)
    got = sorted(minutes.select("participant_id", "timestamp", "intensity").rows())
    assert got == expected

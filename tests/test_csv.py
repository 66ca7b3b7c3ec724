"""exonc._csv: the one CSV writer neutralises formulas and leaves numbers alone (OWASP,
"CSV Injection": prefix cells beginning with = + - @ TAB CR with a single quote)."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from exonc import _csv

ATTACK = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (ATTACK, "'" + ATTACK),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-inf", "'-inf"),
        ("-1.5", "-1.5"),
        ("-3", "-3"),
        ("+4", "+4"),
        ("1e-05", "1e-05"),
        ("-2.5E+10", "-2.5E+10"),
        ("NL-UTR-001", "NL-UTR-001"),
        ("a=b", "a=b"),
        (-1.5, -1.5),
        (-3, -3),
        (None, None),
    ],
)
def test_safe_cell(value: object, written: object) -> None:
    assert _csv.safe_cell(value) == written


def test_rows_text_quotes_formulas_and_keeps_numbers() -> None:
    text = _csv.rows_text(["id", "=x"], [[ATTACK, -1.5], {"id": "-3", "=x": None}])
    assert list(csv.reader(io.StringIO(text))) == [
        ["id", "'=x"],
        ["'" + ATTACK, "-1.5"],
        ["-3", ""],
    ]


def test_frame_text_quotes_text_columns_only() -> None:
    frame = pd.DataFrame(
        {"id": [ATTACK, "-1.5", None], "value": [-1.5, -3.0, float("nan")], "n": [-3, 1, 2]}
    )
    assert _csv.frame_text(frame).splitlines() == [
        "id,value,n",
        '"\'=HYPERLINK(""http://evil.example"",""click"")",-1.5,-3',
        "-1.5,-3.0,1",
        ",,2",
    ]


def test_frame_text_is_pandas_own_for_ordinary_tables() -> None:
    frame = pd.DataFrame(
        {"id": ["NL-UTR-001"], "x": [0.1 + 0.2], "d": pd.to_datetime(["2024-05-02"])}
    )
    assert _csv.frame_text(frame) == frame.to_csv(index=False, lineterminator="\n")


def test_write_frame_and_write_rows(tmp_path: Path) -> None:
    _csv.write_frame(tmp_path / "a.csv", pd.DataFrame({"c": ["@x", "y"]}))
    assert (tmp_path / "a.csv").read_text() == "c\n'@x\ny\n"
    _csv.write_rows(tmp_path / "b.csv", ["c"], [["+x"], [None]])
    assert (tmp_path / "b.csv").read_text() == 'c\n\'+x\n""\n'


def test_there_is_one_csv_writer() -> None:
    """Issue 18: every CSV export goes through exonc._csv (no other writer in src/)."""
    root = Path(__file__).resolve().parents[1]
    found = subprocess.run(
        ["grep", "-rnE", r"csv\.writer|\.to_csv\(|DictWriter|\.write_csv\(|sink_csv", "src/"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    assert [line for line in found if not line.startswith("src/exonc/_csv.py:")] == []

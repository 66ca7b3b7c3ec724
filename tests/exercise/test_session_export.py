"""Reading a session-log export: the column contract, bad rows, plans as the prescription."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

from exonc.errors import ExerciseInputError
from exonc.exercise import load_programme, plan_session, prescribe, read_session_export
from tests.exercise.factories import state, week_day

P = load_programme("preferable-effect")
REFERENCE = Path(__file__).parents[1] / "reference" / "exercise" / "sessions.csv"
TODAY = dt.date(2024, 12, 31)


def _frame(text: str | None = None) -> pd.DataFrame:
    source = text if text is not None else REFERENCE.read_text(encoding="utf-8")
    return pd.read_csv(StringIO(source), dtype=str, keep_default_na=False, na_values=[""])


def test_the_reference_export_gives_one_record_per_scheduled_session() -> None:
    records = read_session_export(_frame(), P, file="sessions.csv", today=TODAY)
    assert [(r.participant_id, r.date.isoformat(), r.attendance.value) for r in records] == [
        ("A", "2024-01-09", "attended"),
        ("A", "2024-01-11", "missed"),
        ("A", "2024-01-16", "attended"),
        ("B", "2024-08-05", "home_done"),
        ("B", "2024-08-08", "home_not_done"),
    ]
    assert [r.phase for r in records] == ["mict"] * 3 + ["intervals-8x30s"] * 2


def test_weeks_can_come_from_the_start_date() -> None:
    frame = _frame().drop(columns=["week"])
    frame["start_date"] = ["2024-01-08"] * 12 + ["2024-01-29"] * 4
    records = read_session_export(frame, P, file="s.csv", today=TODAY)
    # 2024-08-05 − 2024-01-29 = 189 days → week 28
    assert records[-1].phase == "intervals-8x30s"


HEADER = REFERENCE.read_text(encoding="utf-8").splitlines()[0]
GOOD = (
    "A,C1,2024-01-09,1,supervised,attended,,resistance,leg_press,12/12/12,52.5,,,7,0,,,3,10,52.5,,"
)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            GOOD.replace("2024-01-09", "2025-01-09"),
            r"row 1, column session_date: value '2025-01-09': is after today",
        ),
        (GOOD.replace("2024-01-09", "09/01/2024"), r"row 1, column session_date: .*not a date"),
        (
            GOOD.replace(",attended,", ",present,"),
            r"column attendance: value 'present': not a known value",
        ),
        (
            GOOD.replace(",attended,", ",home_done,"),
            r"column attendance.*a supervised session is attended or missed",
        ),
        (
            GOOD.replace(",attended,", ",missed,"),
            r"column missed_reason.*a missed session needs its reason",
        ),
        (
            GOOD.replace("7,0,,,3", "7,11,,,3"),
            r"column pain: value '11': must be a number from 0 to 10",
        ),
        (GOOD.replace("7,0,,,3", "7,0,half,,3"), r"column modification_reason.*needs its reason"),
        (GOOD.replace("12/12/12", "12/x/12"), r"column sets_reps: value 'x'"),
        (GOOD.replace("12/12/12,52.5", "12/12/12,52.5/50"), r"column load_kg.*one load per set"),
        (GOOD.replace("12/12/12,52.5", "12/12/12,952.5"), r"column load_kg: value '952.5'"),
        (GOOD.replace(",1,supervised", ",40,supervised"), r"column week.*outside weeks 1–36"),
        (GOOD.replace(",resistance,", ",stretching,"), r"column component: value 'stretching'"),
    ],
)
def test_bad_rows_are_refused_with_row_column_and_value(line: str, message: str) -> None:
    with pytest.raises(ExerciseInputError, match=message) as caught:
        read_session_export(_frame(f"{HEADER}\n{line}\n"), P, file="sessions.csv", today=TODAY)
    assert str(caught.value).startswith("sessions.csv, row 1")


def test_rows_of_one_session_must_agree_and_missed_sessions_deliver_nothing() -> None:
    two = f"{HEADER}\n{GOOD}\n{GOOD.replace(',attended,,', ',missed,ill,')}\n"
    with pytest.raises(ExerciseInputError, match=r"row 2, column attendance"):
        read_session_export(_frame(two), P, file="s.csv", today=TODAY)
    delivered = GOOD.replace(",attended,,", ",missed,ill,")
    with pytest.raises(ExerciseInputError, match="cannot have delivered exercise"):
        read_session_export(_frame(f"{HEADER}\n{delivered}\n"), P, file="s.csv", today=TODAY)


def test_a_missing_column_is_named() -> None:
    frame = _frame().drop(columns=["attendance"])
    with pytest.raises(ExerciseInputError, match="missing column attendance"):
        read_session_export(frame, P, file="s.csv", today=TODAY)
    frame = _frame().drop(columns=["week"])
    with pytest.raises(ExerciseInputError, match="missing column week or start_date"):
        read_session_export(frame, P, file="s.csv", today=TODAY)


def test_a_session_without_prescribed_dose_is_refused_when_others_have_one() -> None:
    bare = "A,C1,2024-01-18,2,supervised,missed,ill,,,,,,,,,,,,,,,"
    with pytest.raises(ExerciseInputError, match=r"row 2, column component.*no prescribed dose"):
        read_session_export(_frame(f"{HEADER}\n{GOOD}\n{bare}\n"), P, file="s.csv", today=TODAY)


def test_prescribed_doses_can_come_from_the_session_plans() -> None:
    s = state()
    day = week_day(1, 1)
    plan = plan_session(P, prescribe(s, s.start_date), s, day).to_dict()
    row = (
        f"P001,UMCU,{day.isoformat()},1,supervised,attended,,"
        "resistance,leg_press,12/12/12,52.5,,,6,0,,,,,,,"
    )
    records = read_session_export(
        _frame(f"{HEADER}\n{row}\n"), P, file="s.csv", today=TODAY, plans={("P001", day): plan}
    )
    items = {i.exercise: i for i in records[0].items}
    assert len(items) == 8  # aerobic, six machines, balance
    assert items["leg_press"].prescribed == pytest.approx(1575.0)  # 3 × 10 × 52.5
    assert items["leg_press"].delivered == pytest.approx(1890.0)  # 3 × 12 × 52.5
    assert items["chest_press"].delivered == 0.0  # not logged: not done
    assert items["cycle_ergometer"].prescribed == pytest.approx(72.0)  # 900 s × 80 W

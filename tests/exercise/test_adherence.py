"""Adherence metrics on a small hand-made export (tests/reference/exercise/sessions.csv).

Doses per session (prescribed → delivered), participant A, phase mict, supervised:
  S1 2024-01-09 attended: aerobic 72 → 72 kJ; leg press 3×10×52.5 = 1575 → 3×12×52.5 = 1890 kg;
                chest press 3×10×22.5 = 675 → 3×8×22.5 = 540 kg; balance 10 → 10 min
  S2 2024-01-11 missed:   same prescription, nothing delivered
  S3 2024-01-16 attended: aerobic 72 → 36; leg press 1575 → 1575; chest 675 → 675; balance 10 → 5
Participant B, phase intervals-8x30s, home:
  S4 2024-08-05 done:     aerobic 76.8 → 76.8 kJ; leg press 3×10 = 30 reps (no load) → 30 reps
  S5 2024-08-08 not done: aerobic 76.8 → 0; leg press 30 reps → 0
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from exonc.exercise import (
    ADHERENCE_COLUMNS,
    Attendance,
    DeliveredAerobic,
    DeliveredBalance,
    DeliveredResistance,
    DeliveredSet,
    SessionLog,
    Setting,
    adherence,
    load_programme,
    plan_session,
    prescribe,
    read_session_export,
    session_record,
)
from tests.exercise.factories import state, week_day

P = load_programme("preferable-effect")
REFERENCE = Path(__file__).parents[1] / "reference" / "exercise" / "sessions.csv"
TODAY = dt.date(2024, 12, 31)


def _frame(text: str | None = None) -> pd.DataFrame:
    source = text if text is not None else REFERENCE.read_text(encoding="utf-8")
    from io import StringIO

    return pd.read_csv(StringIO(source), dtype=str, keep_default_na=False, na_values=[""])


def _table() -> pd.DataFrame:
    records = read_session_export(_frame(), P, file="sessions.csv", today=TODAY)
    return adherence(records).summary()


def _row(table: pd.DataFrame, level: str, **ids: str) -> dict[str, object]:
    mask = table["level"] == level
    for column, value in ids.items():
        mask &= table[column] == value
    rows = table[mask]
    assert len(rows) == 1
    return dict(rows.iloc[0])


def _check(row: dict[str, object], expected: dict[str, float]) -> None:
    for column, value in expected.items():
        got = float(row[column])  # type: ignore[arg-type]
        if math.isnan(value):
            assert math.isnan(got), column
        else:
            assert got == pytest.approx(value, abs=1e-9), column


NAN = math.nan
A = {
    "supervised_scheduled": 3,
    "supervised_attended": 2,
    "attendance_rate": 2 / 3,
    "home_scheduled": 0,
    "home_completion": NAN,
    "compliance_aerobic": 1 / 2,  # S1 met, S3 36 < 72
    "compliance_resistance": 1 / 2,  # S1 chest press 540 < 675; S3 all met
    "compliance_balance": 1 / 2,  # S1 met; S3 5 < 10
    "rdi_aerobic": 108 / 216,  # (72 + 0 + 36) / (3 × 72)
    "rdi_resistance": 4680 / 6750,  # (1890 + 540 + 0 + 1575 + 675) / (3 × 2250)
    "rdi_balance": 15 / 30,
}
B = {
    "supervised_scheduled": 0,
    "attendance_rate": NAN,
    "home_scheduled": 2,
    "home_done": 1,
    "home_completion": 1 / 2,
    "compliance_aerobic": 1.0,
    "compliance_resistance": 1.0,  # 30 reps ≥ 30 reps
    "compliance_balance": NAN,
    "rdi_aerobic": 76.8 / 153.6,
    "rdi_resistance": NAN,  # only items without a load: no kg dose
    "rdi_balance": NAN,
}
CENTRE = {
    "supervised_scheduled": 3,
    "supervised_attended": 2,
    "home_scheduled": 2,
    "home_done": 1,
    "compliance_aerobic": 2 / 3,  # S1, S4 met; S3 not
    "compliance_resistance": 2 / 3,  # S3, S4 met; S1 not
    "compliance_balance": 1 / 2,
    "rdi_aerobic": 184.8 / 369.6,
    "rdi_resistance": 4680 / 6750,
    "rdi_balance": 15 / 30,
}


def test_the_table_has_the_documented_columns() -> None:
    assert tuple(_table().columns) == ADHERENCE_COLUMNS


def test_per_participant() -> None:
    table = _table()
    _check(_row(table, "participant", participant_id="A"), A)
    _check(_row(table, "participant", participant_id="B"), B)


def test_per_participant_and_phase() -> None:
    table = _table()
    _check(_row(table, "participant_phase", participant_id="A", phase="mict"), A)
    _check(_row(table, "participant_phase", participant_id="B", phase="intervals-8x30s"), B)


def test_per_centre_phase_and_overall() -> None:
    table = _table()
    _check(_row(table, "centre", centre="C1"), CENTRE)
    _check(_row(table, "phase", phase="mict"), A)
    _check(_row(table, "phase", phase="intervals-8x30s"), B)
    _check(_row(table, "all"), CENTRE)


def test_without_prescribed_doses_only_attendance_is_computed() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    frame = _frame(text).drop(
        columns=[c for c in _frame(text).columns if c.startswith("prescribed_")]
    )
    records = read_session_export(frame, P, file="sessions.csv", today=TODAY)
    row = _row(adherence(records).summary(), "participant", participant_id="A")
    _check(row, {"attendance_rate": 2 / 3, "compliance_aerobic": NAN, "rdi_resistance": NAN})


def test_the_platform_pairs_a_session_log_with_its_plan() -> None:
    s = state()
    day = week_day(1, 1)
    plan = plan_session(P, prescribe(s, s.start_date), s, day)
    log = SessionLog(
        "P001",
        day,
        Setting.SUPERVISED,
        Attendance.ATTENDED,
        aerobic=DeliveredAerobic("cycle_ergometer", 1, 900, 80.0),
        resistance=(DeliveredResistance("leg_press", (DeliveredSet(10, 52.5),) * 3),),
        balance=DeliveredBalance("balance_training", 10.0),
    )
    record = session_record(log, plan, "UMCU")
    row = _row(adherence([record]).summary(), "participant", participant_id="P001")
    # aerobic 72 kJ = 72; balance 10 = 10; resistance: leg press met, five machines not done
    _check(
        row, {"compliance_aerobic": 1.0, "compliance_balance": 1.0, "compliance_resistance": 0.0}
    )
    # resistance RDI: 1575 / (1575 + 3·10·(17.5 + 22.5 + 22.5 + 25 + 25)) = 1575 / 4950
    _check(row, {"rdi_resistance": 1575 / 4950})

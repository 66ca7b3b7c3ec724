"""The per-participant analysis table, checked against hand calculation.

Prices (src/exonc/economics/data/prices/*.toml, 2021, so no price-index step): NL GP
consultation €36, inpatient day €540, travel €0.21/km, therapist €46/h, paid work €38/h,
friction period 85 days; PL GP consultation 80 PLN at 4.5652 PLN per EUR (costing.toml).
Delivery (costing.toml): facility €10 per session; equipment per participant-session
3000/7/1500 + 30000/10/3000 = 0.285714… + 1 = €1.285714…; tracker 130/3 × 9/12 = €32.50.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from exonc.economics import ProductivityMethod
from exonc.platform.accounts.models import User
from exonc.platform.economics import delivery, services
from exonc.platform.economics.costing import load_costing
from exonc.platform.economics.dataset import analysis_table, columns
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from tests.platform.conftest import TODAY
from tests.platform.economics.conftest import FINISHED, Randomised, entry, log, utility, visit

pytestmark = pytest.mark.django_db

EQUIPMENT = 3000 / 7 / 1500 + 30000 / 10 / 3000
TRACKER = 130 / 3 * 9 / 12


def _report(admin: User, participant: Participant, code: str, **answers: object) -> None:
    chosen = visit(participant, code)
    answered = entry(participant.centre.country, **answers)
    services.enter_resource_use(
        admin, chosen, answered, reported_on=chosen.window_start, today=TODAY
    )


def _utilities(admin: User, participant: Participant, *values: float) -> None:
    for code, value in zip(("baseline", "m3", "m6", "m9"), values, strict=False):
        utility(participant, code, value, by=admin)


@pytest.fixture
def trial(randomised: Randomised, administrator: User, physio: User) -> dict[str, Participant]:
    a = administrator
    people = {
        "E1": randomised("NL-UTR-001", "exercise", FINISHED),
        "C1": randomised("NL-UTR-002", "control", FINISHED),
        "D1": randomised("NL-UTR-003", "control", FINISHED),
        "L1": randomised("NL-UTR-004", "exercise", FINISHED),
        "M1": randomised("NL-UTR-005", "exercise", FINISHED),
        "W1": randomised("NL-UTR-006", "exercise"),  # randomised 2024-02-02: still in follow-up
        "P1": randomised("PL-WAW-001", "control", FINISHED, centre="PL-WAW"),
    }
    e1 = people["E1"]
    first = log(e1, dt.date(2023, 1, 10), by=physio)
    delivery.record_delivery(a, first, therapist_minutes=45, group_size=1)
    log(e1, dt.date(2023, 1, 12), by=physio)  # no record: the trial's 60 minutes, 1:1
    log(e1, dt.date(2023, 1, 17), attendance="missed", by=physio)  # costs nothing
    log(e1, dt.date(2023, 1, 19), setting="home", attendance="home_done", by=physio)
    _report(
        a, e1, "m3", q_gp_consultation=2, paid_work="yes", absence_days=80, work_hours_per_week=35
    )
    _report(
        a,
        e1,
        "m6",
        q_inpatient_day=3,
        paid_work="yes",
        absence_days=60,
        work_hours_per_week=35,
        absence_continued="yes",
        presenteeism_hours=2,
    )
    _report(a, e1, "m9", q_travel=100)
    _utilities(a, e1, 0.8, 0.7, 0.6, 0.9)
    for code in ("m3", "m6", "m9"):
        _report(a, people["C1"], code, q_gp_consultation=1)
    _utilities(a, people["C1"], 0.7, 0.7, 0.7, 0.7)
    _report(a, people["D1"], "m3", q_gp_consultation=4)
    _utilities(a, people["D1"], 0.5, 0.4)
    trial_services.withdraw(
        a, people["D1"], withdrawn_on=dt.date(2023, 6, 1), kind="death", reason="died"
    )
    _report(a, people["L1"], "m3", q_gp_consultation=1)
    trial_services.withdraw(
        a, people["L1"], withdrawn_on=dt.date(2023, 5, 1), kind="lost", reason="moved"
    )
    _report(a, people["M1"], "m3")
    _report(a, people["M1"], "m9")  # no questionnaire at 6 months
    for code in ("m3", "m6", "m9"):
        _report(a, people["P1"], code, **({"q_gp_consultation": 1} if code == "m3" else {}))
    return people


def _rows(method: ProductivityMethod | None = None) -> pd.DataFrame:
    table = analysis_table(load_costing(), today=TODAY, method=method)
    return table.frame.set_index("participant")


def test_the_table_has_the_documented_columns_and_only_finished_participants(
    trial: dict[str, Participant],
) -> None:
    table = analysis_table(load_costing(), today=TODAY)
    assert list(table.frame.columns) == columns()
    assert columns()[:9] == [
        "participant",
        "centre",
        "country",
        "arm",
        "u_m0",
        "u_m3",
        "u_m6",
        "u_m9",
        "death_month",
    ]
    assert list(table.frame["participant"]) == [
        "NL-UTR-001",
        "NL-UTR-002",
        "NL-UTR-003",
        "NL-UTR-004",
        "NL-UTR-005",
        "PL-WAW-001",
    ]
    assert table.randomised == {"exercise": 4, "control": 3}
    assert table.in_follow_up == {"exercise": 1}
    assert table.purpose == "test"
    assert table.work_not_asked == 0


def test_programme_costs_by_hand(trial: dict[str, Participant]) -> None:
    rows = _rows()
    # 45 min with its own record, 60 min from the trial's default; the missed and the home
    # session cost nothing: 45/60 × 46 + 60/60 × 46 + 2 × (10 + equipment) + tracker
    logged = 34.5 + 46.0 + 2 * (10.0 + EQUIPMENT) + TRACKER
    assert rows.loc["NL-UTR-001", "cost_programme"] == pytest.approx(logged, rel=1e-12)
    assert rows.loc["NL-UTR-001", "cost_programme_1to1"] == pytest.approx(logged, rel=1e-12)
    # groups of four: therapist and facility shared by 4, equipment per participant-session
    groups = (34.5 + 46.0) / 4 + 20.0 / 4 + 2 * EQUIPMENT + TRACKER
    assert rows.loc["NL-UTR-001", "cost_programme_1to4"] == pytest.approx(groups, rel=1e-12)
    assert groups == pytest.approx(60.19642857142857, rel=1e-12)
    # both arms wore the tracker
    for study_id in ("NL-UTR-002", "NL-UTR-003", "NL-UTR-004", "PL-WAW-001"):
        assert rows.loc[study_id, "cost_programme"] == pytest.approx(32.5, rel=1e-12)


def test_health_care_costs_by_hand(trial: dict[str, Participant]) -> None:
    rows = _rows()
    e1 = rows.loc["NL-UTR-001"]
    assert e1["cost_primary_care"] == pytest.approx(2 * 36.0)
    assert e1["cost_hospital"] == pytest.approx(3 * 540.0)
    assert e1["cost_patient_travel"] == pytest.approx(100 * 0.21)
    assert (e1["cost_medication"], e1["cost_home_care"], e1["cost_informal_care"]) == (0, 0, 0)
    assert rows.loc["NL-UTR-002", "cost_primary_care"] == pytest.approx(3 * 36.0)
    # died before the 6-month window: nothing to report after death (0), not missing
    assert rows.loc["NL-UTR-003", "cost_primary_care"] == pytest.approx(4 * 36.0)
    # 80 PLN / 4.5652 PLN per EUR
    assert rows.loc["PL-WAW-001", "cost_primary_care"] == pytest.approx(80 / 4.5652, rel=1e-12)


def test_a_missing_period_leaves_the_questionnaire_costs_missing(
    trial: dict[str, Participant],
) -> None:
    rows = _rows()
    questionnaire = [c for c in columns() if c.startswith("cost_") and "programme" not in c]
    # lost to follow-up alive after 3 months, and a 6-month questionnaire never answered
    for study_id in ("NL-UTR-004", "NL-UTR-005"):
        assert rows.loc[study_id, questionnaire].isna().all()
        assert rows.loc[study_id, "cost_programme"] == pytest.approx(32.5)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # one spell of 80 + 60 = 140 days (the absence went on), 35 h/week = 5 h a day:
        # friction: the first 85 days, 85 × 5 × 38 = 16,150, + 2 h presenteeism × 38 = 76
        (ProductivityMethod.FRICTION_COST, 85 * 5 * 38 + 2 * 38),
        # human capital: all 140 days, 140 × 5 × 38 = 26,600, + 76
        (ProductivityMethod.HUMAN_CAPITAL, 140 * 5 * 38 + 2 * 38),
    ],
)
def test_productivity_by_hand(
    trial: dict[str, Participant], method: ProductivityMethod, expected: float
) -> None:
    assert _rows(method).loc["NL-UTR-001", "cost_productivity"] == pytest.approx(
        expected, rel=1e-12
    )
    assert _rows(method).loc["NL-UTR-002", "cost_productivity"] == 0


def test_utilities_and_death(trial: dict[str, Participant]) -> None:
    rows = _rows()
    assert list(rows.loc["NL-UTR-001", ["u_m0", "u_m3", "u_m6", "u_m9"]]) == [0.8, 0.7, 0.6, 0.9]
    d1 = rows.loc["NL-UTR-003"]
    assert (d1["u_m0"], d1["u_m3"]) == (0.5, 0.4)
    assert math.isnan(d1["u_m6"])
    assert math.isnan(d1["u_m9"])
    # 2023-01-02 → 2023-06-01 is 150 days; a month is 365.25 / 12 days
    assert d1["death_month"] == pytest.approx(150 / (365.25 / 12), rel=1e-12)
    assert math.isnan(rows.loc["NL-UTR-001", "death_month"])
    assert math.isnan(rows.loc["NL-UTR-004", "u_m0"])  # never answered

"""The platform's records as tidy tables (``exonc.platform.reports.dataset``): the
synthetic trial loaded by the demo loader comes back with the same participants, arms,
visits, withdrawals and questionnaire answers."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.platform.demo import load_demo
from exonc.platform.reports.dataset import trial_tables
from exonc.synthetic import as_of, generate_trial


@pytest.mark.slow  # loads a 24-participant trial through the demo loader (~30 s)
@pytest.mark.django_db
def test_tables_come_back_from_the_database() -> None:
    trial = as_of(generate_trial(participants_n=24, start=dt.date(2024, 1, 8)), dt.date(2025, 3, 1))
    load_demo(trial)
    tables = trial_tables()
    source = trial.tables["participants"].set_index("participant_id")
    people = tables["participants"].set_index("participant_id")
    assert set(people.index) == set(source.index)
    assert (people["arm"] == source.loc[people.index, "arm"]).all()
    assert set(people["per_protocol"]) <= {"0", "1"}
    assert len(tables["visits"]) == 4 * len(people)
    done = tables["visits"]["completed_on"].notna().sum()
    assert done == trial.tables["visits"]["completed_on"].notna().sum()
    c30 = tables["qlq_c30"]
    assert len(c30) == len(trial.tables["qlq_c30"])
    assert {"participant_id", "visit", "completed_on", "q1", "q30"} <= set(c30.columns)
    assert len(tables["withdrawals"]) == len(trial.tables["withdrawals"])

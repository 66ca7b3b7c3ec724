"""The demo's allocations: list positions consistent with a stored, verifiable test list."""

from __future__ import annotations

import datetime as dt

import pytest

from exonc.platform.accounts.models import User
from exonc.platform.allocation import sequences, services
from exonc.platform.allocation.demo import DEMO_EXTRA
from exonc.platform.allocation.design import trial_design
from exonc.platform.allocation.models import Allocation
from exonc.platform.demo import load_demo
from exonc.platform.trial import services as trial_services
from exonc.synthetic import as_of, generate_trial
from tests.platform.conftest import ELIGIBLE

pytestmark = pytest.mark.django_db


def test_demo_allocations_come_from_its_test_list() -> None:
    trial = as_of(generate_trial(participants_n=60, start=dt.date(2024, 1, 8)), dt.date(2025, 3, 1))
    load_demo(trial)
    assert sequences.verify_current() == []
    stored = sequences.current()
    assert stored.purpose == "test"
    demo_list = sequences.verified_list(stored, trial_design())
    given = list(Allocation.objects.all())
    assert len(given) == len(trial.tables["participants"])
    for a in given:
        assert a.arm == demo_list.stratum(a.stratum)[(a.list_position or 0) - 1].arm
    assert stored.positions == len(given) + 16 * DEMO_EXTRA

    coordinator = User.objects.get(username="coordinator")
    today = dt.date(2025, 3, 3)
    data = trial_services.Enrolment("NL-UTR-999", "NL-UTR", 1970, line_of_treatment="3rd+")
    new = trial_services.enrol(coordinator, data, today=today)
    trial_services.screen(coordinator, new, ELIGIBLE, screened_on=today)
    trial_services.record_consent(coordinator, new, consented_on=today)
    now = dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC)
    allocation = services.randomise(coordinator, new, now=now)
    earlier = [a for a in given if a.stratum == allocation.stratum]
    assert allocation.list_position == len(earlier) + 1
    assert allocation.sequence == len(given) + 1

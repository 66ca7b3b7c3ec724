"""Economics fixtures: randomised participants with their visits, answers as given, and
session logs written straight to the database (the exercise app's own tests cover how
session logs are made; these tests only read them).

Dates: TODAY is 2024-05-02. A participant randomised on 2024-02-02 has her 3-month visit
due on 2024-05-02 (window 18 April to 16 May); one randomised on 2023-01-02 finished
follow-up in October 2023.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.questionnaire import ResourceUseEntry, items_of
from exonc.platform.exercise.models import PrescriptionVersion, SessionLog
from exonc.platform.outcomes.models import QuestionnaireResponse
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Centre, Participant, Visit
from exonc.platform.trial.protocols import protocol_version
from tests.platform.conftest import ELIGIBLE, TODAY
from tests.platform.exercise.conftest import make_user, randomise

RANDOMISED = dt.date(2024, 2, 2)
FINISHED = dt.date(2023, 1, 2)  # randomised early enough to have finished follow-up


def entry(country: str = "NL", **given: Any) -> ResourceUseEntry:
    """A valid answer set: 0 for every item (``q_<code>=…`` to give one), no paid work."""
    work = {k: given.pop(k) for k in list(given) if not k.startswith("q_")}
    quantities = {i.code: 0 for i in items_of(country)}
    quantities.update({k[2:]: v for k, v in given.items()})
    return ResourceUseEntry(quantities, **({"paid_work": "no"} | work))


@pytest.fixture
def clinician(centres: dict[str, Centre]) -> User:
    return make_user("clin-utr", Role.CLINICIAN, [centres["NL-UTR"]])


@pytest.fixture
def other_physio(centres: dict[str, Centre]) -> User:
    return make_user("physio-hei", Role.PHYSIOTHERAPIST, [centres["DE-HEI"]])


Randomised = Callable[..., Participant]


@pytest.fixture
def randomised(enrol: Callable[..., Participant], administrator: User) -> Randomised:
    """Enrol, screen, consent, randomise on *on* to *arm* and schedule the visits."""

    def _make(
        study_id: str, arm: str, on: dt.date = RANDOMISED, centre: str = "NL-UTR"
    ) -> Participant:
        participant = enrol(administrator, study_id, centre)
        trial_services.screen(administrator, participant, ELIGIBLE, screened_on=on)
        trial_services.record_consent(administrator, participant, consented_on=on)
        randomise(participant, arm, administrator, on)
        trial_services.schedule_visits(administrator, participant, randomised_on=on)
        return Participant.objects.select_related("centre").get(pk=participant.pk)

    return _make


@pytest.fixture
def utr(randomised: Randomised) -> Participant:
    """NL-UTR-001, exercise arm, randomised 2024-02-02: her 3-month window is open today."""
    return randomised("NL-UTR-001", "exercise")


def visit(participant: Participant, code: str) -> Visit:
    return Visit.objects.select_related("participant__centre").get(
        participant=participant, code=code
    )


def log(
    participant: Participant,
    day: dt.date,
    *,
    attendance: str = "attended",
    setting: str = "supervised",
    by: User,
) -> SessionLog:
    """A stored session log (its plan and prescription are placeholders: not read here)."""
    version = PrescriptionVersion.objects.filter(participant=participant).first()
    if version is None:
        version = PrescriptionVersion.objects.create(
            participant=participant,
            version=1,
            effective=day,
            reason="test",
            trigger="start",
            basis={},
            created_by=by,
        )
    return SessionLog.objects.create(
        participant=participant,
        date=day,
        setting=setting,
        attendance=attendance,
        missed_reason="ill" if attendance == "missed" else "",
        prescription=version,
        plan={},
        logged_by=by,
    )


def utility(participant: Participant, code: str, value: float | None, *, by: User) -> None:
    """A submitted EQ-5D-5L response whose stored index value is *value*."""
    at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    QuestionnaireResponse.objects.create(
        visit=visit(participant, code),
        protocol_version=protocol_version(),
        instrument="eq-5d-5l",
        instrument_version="5L",
        answers={},
        status="submitted",
        entry="staff",
        mode="import",
        entered_by=by,
        started_at=at,
        last_saved_at=at,
        submitted_at=at,
        scores={"utility": value},
        value_set=participant.centre.country,
    )


@pytest.fixture
def small_trial(randomised: Randomised, administrator: User, physio: User) -> list[Participant]:
    """Eight participants per arm whose follow-up is over, with seeded random utilities,
    questionnaires and (exercise arm) supervised sessions; one without a 6-month utility."""
    from exonc.platform.economics import services

    rng = np.random.default_rng(20240502)
    people = []
    for i in range(16):
        arm = "exercise" if i % 2 == 0 else "control"
        participant = randomised(f"NL-UTR-{i + 1:03d}", arm, FINISHED)
        for code in ("baseline", "m3", "m6", "m9"):
            if not (i == 3 and code == "m6"):
                utility(participant, code, round(float(rng.uniform(0.3, 1.0)), 3), by=administrator)
        for code in ("m3", "m6", "m9"):
            chosen = visit(participant, code)
            answers = entry(
                q_gp_consultation=int(rng.poisson(2)),
                q_inpatient_day=int(rng.poisson(0.6)),
                q_home_nursing=float(rng.poisson(3)),
            )
            services.enter_resource_use(
                administrator, chosen, answers, reported_on=chosen.window_start, today=TODAY
            )
        if arm == "exercise":
            for week in range(int(rng.integers(2, 6))):
                log(participant, FINISHED + dt.timedelta(days=8 + 7 * week), by=physio)
        people.append(participant)
    return people

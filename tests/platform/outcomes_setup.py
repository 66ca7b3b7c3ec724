"""Helpers for the questionnaire tests: a participant with visits and a patient login."""

from __future__ import annotations

import datetime as dt

from exonc.platform import audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.trial import services
from exonc.platform.trial.models import Participant, Visit

#: 12:00 in Utrecht on 2 May 2024.
NOW = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.UTC)
#: Randomised three months before NOW: the 3-month visit is due on 2 May 2024, its window
#: runs 18 April to 16 May; the baseline window closed on 2 February.
RANDOMISED = dt.date(2024, 2, 2)

C30_TWOS = {f"q{i}": 2 for i in range(1, 29)} | {"q29": 4, "q30": 4}
HADS_ONES = {f"q{i}": 1 for i in range(1, 15)}


def give_patient_login(
    coordinator: User,
    participant: Participant,
    *,
    randomised_on: dt.date = RANDOMISED,
    username: str = "pat-utr",
) -> User:
    """Schedule *participant*'s visits and link a patient login to her record."""
    services.schedule_visits(coordinator, participant, randomised_on=randomised_on)
    user = User.objects.create_user(username=username, password="pw-" + username, role=Role.PATIENT)
    participant.user = user
    audit.save(participant, coordinator, "patient login")
    return user


def visit(participant: Participant, code: str) -> Visit:
    return Visit.objects.select_related("participant__centre").get(
        participant=participant, code=code
    )

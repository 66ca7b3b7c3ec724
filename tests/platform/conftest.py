"""Platform fixtures: the protocol's centres, one user per role, a helper to enrol."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from exonc.platform.accounts.models import Role, User
from exonc.platform.trial import services
from exonc.platform.trial.models import Centre, CentreMembership, Participant
from exonc.platform.trial.protocols import sync_centres

TODAY = dt.date(2024, 5, 2)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: row ids repeat across rolled-back tests, so a
    table cached by one test could otherwise answer the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def centres(db: None) -> dict[str, Centre]:
    return {c.code: c for c in sync_centres()}


def _user(username: str, role: Role, centres: list[Centre], **extra: object) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, role=role, **extra
    )
    for centre in centres:
        CentreMembership.objects.create(user=user, centre=centre)
    return user


@pytest.fixture
def coordinator(centres: dict[str, Centre]) -> User:
    """A coordinator at Utrecht."""
    return _user("coord-utr", Role.COORDINATOR, [centres["NL-UTR"]])


@pytest.fixture
def other_coordinator(centres: dict[str, Centre]) -> User:
    """A coordinator at Heidelberg."""
    return _user("coord-hei", Role.COORDINATOR, [centres["DE-HEI"]])


@pytest.fixture
def physio(centres: dict[str, Centre]) -> User:
    return _user("physio-utr", Role.PHYSIOTHERAPIST, [centres["NL-UTR"]])


@pytest.fixture
def statistician(centres: dict[str, Centre]) -> User:
    return _user("stats", Role.STATISTICIAN, [])


@pytest.fixture
def monitor(centres: dict[str, Centre]) -> User:
    """A monitor of Utrecht: reads its records and raises data queries."""
    return _user("monitor-utr", Role.MONITOR, [centres["NL-UTR"]])


@pytest.fixture
def administrator(centres: dict[str, Centre]) -> User:
    return _user("admin", Role.ADMINISTRATOR, [], is_staff=True, is_superuser=True)


ELIGIBLE = {
    "INC-1": ("yes", "stage IV confirmed"),
    "INC-2": ("yes", ""),
    "INC-3": ("yes", "ECOG 1"),
    "INC-4": ("yes", ""),
    "EXC-1": ("no", "bone scan: stable lesions"),
    "EXC-2": ("no", "about 60 min/week"),
}


@pytest.fixture
def enrol(centres: dict[str, Centre]) -> Callable[..., Participant]:
    def _enrol(user: User, study_id: str, centre: str = "NL-UTR", **extra: object) -> Participant:
        data = services.Enrolment(
            study_id=study_id, centre=centre, birth_year=1970, line_of_treatment="1st/2nd", **extra
        )
        return services.enrol(user, data, today=TODAY)

    return _enrol


@pytest.fixture
def ready(enrol: Callable[..., Participant], coordinator: User) -> Participant:
    """An eligible, consented participant at Utrecht, ready to be randomised."""
    participant = enrol(coordinator, "NL-UTR-001")
    services.screen(coordinator, participant, ELIGIBLE, screened_on=TODAY)
    services.record_consent(coordinator, participant, consented_on=TODAY)
    return participant

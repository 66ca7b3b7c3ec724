"""Guide fixtures: the exercise app's participants, a patient login, approvals, a var dir."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from exonc.guides import fingerprint
from exonc.platform.accounts.models import Role, User
from exonc.platform.guides import review
from exonc.platform.guides.models import GuideApproval
from exonc.platform.trial.models import Participant
from tests.platform.exercise.conftest import (  # noqa: F401
    clinician,
    control,
    current,
    member,
    other_clinician,
    other_physio,
)


@pytest.fixture(autouse=True)
def var(tmp_path: Path) -> Iterator[Path]:
    """Uploads go to a folder of this test."""
    before = settings.EXONC
    settings.EXONC = dataclasses.replace(settings.EXONC, var_dir=tmp_path)
    yield tmp_path
    settings.EXONC = before


def login(participant: Participant, username: str = "pat-utr") -> User:
    user = User.objects.create_user(username=username, password="pw", role=Role.PATIENT)
    participant.user = user
    participant.save()
    return user


@pytest.fixture
def patient(member: Participant) -> User:  # noqa: F811 - the imported fixture
    """UTR-001 (exercise arm) signed in as a patient."""
    return login(member)


def client(user: User | None = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


Approve = Callable[..., None]


@pytest.fixture
def approve(clinician: User) -> Approve:  # noqa: F811 - the imported fixture
    """Approve guides (all of them, or those whose slug passes *keep*) as the clinician: the
    rows ``review.approve`` writes, in one insert (test_review.py tests the service itself)."""

    def _approve(keep: Callable[[str], bool] = lambda slug: True) -> None:
        GuideApproval.objects.bulk_create(
            GuideApproval(
                slug=guide.slug,
                version=guide.review.version,
                fingerprint=fingerprint(guide),
                clinician=clinician,
                clinician_name="Carla de Vries",
                approved_on=dt.date(2024, 5, 2),
            )
            for guide in review.library().guides
            if keep(guide.slug)
        )

    return _approve

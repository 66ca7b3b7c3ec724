"""The patient hub: one page with her questionnaires, today's plan and her week."""

from __future__ import annotations

import pytest
from django.test import Client

from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.trial.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(member: Participant) -> User:
    user = User.objects.create_user(username="pat-utr", password="pw", role=Role.PATIENT)
    member.user = user
    member.save()
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_patient_lands_on_her_hub(patient: User) -> None:
    response = _client(patient).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/hub/"


def test_the_hub_shows_her_plan_week_and_questionnaires(
    patient: User, current: ExerciseProfile
) -> None:
    client = _client(patient)
    html = client.get("/hub/").content.decode()
    assert "Today's plan" in html
    assert "Week 3 of 36." in html
    assert "When to stop and call your care team" in html
    assert "Your week" in html
    data = client.get("/hub/?format=json").json()
    assert data["study_id"] == "NL-UTR-001"
    assert data["today"]["status"] == "plan"
    assert data["today"]["week"] == 3
    assert len(data["week"]["days"]) == 7
    assert "visits" in data["questionnaires"]


def test_staff_are_sent_to_the_participant_pages(coordinator: User) -> None:
    response = _client(coordinator).get("/hub/")
    assert response.status_code == 403
    assert "these pages are for patients" in response.content.decode()

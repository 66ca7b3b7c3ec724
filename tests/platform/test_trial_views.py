"""The staff pages and the API, in-process with Django's test client."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client

from exonc.platform.accounts.models import User
from exonc.platform.trial import services
from exonc.platform.trial.models import Participant
from tests.platform.conftest import ELIGIBLE

pytestmark = pytest.mark.django_db

Enrol = Callable[..., Participant]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_requires_login() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_renders() -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    assert b'autocomplete="current-password"' in response.content


def test_home_lists_only_own_centre_and_what_is_due(
    ready: Participant, enrol: Enrol, coordinator: User, other_coordinator: User
) -> None:
    enrol(other_coordinator, "DE-HEI-001", centre="DE-HEI")
    # Randomised three months ago: the 3-month visit is due today.
    today = dt.date.today()
    services.schedule_visits(coordinator, ready, randomised_on=today - dt.timedelta(days=91))
    page = _client(coordinator).get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "NL-UTR-001" in html
    assert "DE-HEI-001" not in html
    data = _client(coordinator).get("/?format=json").json()
    assert [(d["study_id"], d["visit"], d["status"]) for d in data["due"]] == [
        ("NL-UTR-001", "m3", "due")
    ]
    assert data["counts"] == {
        "participants": 1,
        "randomised": 0,
        "due": 1,
        "missed": 0,
        "withdrawn": 0,
    }
    assert data["stages"] == {"consented": 1}


def test_participant_page_and_json_twin(ready: Participant, coordinator: User) -> None:
    client = _client(coordinator)
    html = client.get("/participants/NL-UTR-001/").content.decode()
    assert "Audit trail" in html
    assert "enrolled" in html
    record = client.get("/participants/NL-UTR-001/", HTTP_ACCEPT="application/json").json()
    assert record["study_id"] == "NL-UTR-001"
    assert record["protocol"] == "PREFERABLE-EFFECT v1.0"
    assert record["screenings"][0]["eligible"] is True
    assert {r["criterion"] for r in record["screenings"][0]["results"]} == set(ELIGIBLE)


def test_other_centre_gets_not_found(ready: Participant, other_coordinator: User) -> None:
    assert _client(other_coordinator).get("/participants/NL-UTR-001/").status_code == 404
    assert _client(other_coordinator).get("/api/participants/NL-UTR-001").status_code == 404


def test_api_enrol_and_refusals(coordinator: User, centres: object) -> None:
    client = _client(coordinator)
    body = {"study_id": "NL-UTR-100", "centre": "NL-UTR", "birth_year": 1968}
    created = client.post("/api/participants", json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    again = client.post("/api/participants", json.dumps(body), content_type="application/json")
    assert again.status_code == 409
    assert again.json()["detail"] == "study ID NL-UTR-100 is already in use; choose another"
    elsewhere = {**body, "study_id": "DE-HEI-100", "centre": "DE-HEI"}
    denied = client.post(
        "/api/participants", json.dumps(elsewhere), content_type="application/json"
    )
    assert denied.status_code == 403
    unknown = {**body, "study_id": "X-1", "centre": "XX"}
    refused = client.post("/api/participants", json.dumps(unknown), content_type="application/json")
    assert refused.status_code == 400
    assert "unknown centre 'XX'" in refused.json()["detail"]
    assert Participant.objects.count() == 1


def test_api_requires_authentication() -> None:
    assert Client().get("/api/home").status_code == 401


def test_api_docs_are_served(coordinator: User) -> None:
    assert _client(coordinator).get("/api/docs").status_code == 200
    schema = _client(coordinator).get("/api/openapi.json").json()
    assert "/api/participants" in schema["paths"]


def test_admin_is_for_administrators_only(administrator: User, coordinator: User) -> None:
    assert _client(administrator).get("/admin/trial/participant/").status_code == 200
    assert _client(coordinator).get("/admin/").status_code == 302

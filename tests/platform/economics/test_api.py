"""The REST API mirrors the services: same refusals, same one-line messages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from exonc.platform import audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.economics.dataset import columns
from exonc.platform.economics.models import DeliveryRecord, ResourceUseReport
from exonc.platform.trial.models import Participant
from tests.platform.economics.conftest import entry, log

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock() -> object:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    call = getattr(client, method)
    return call(f"/api{path}", json.dumps(body), content_type="application/json")


def _body(**given: object) -> dict[str, Any]:
    answers = entry(**given)
    return {"quantities": dict(answers.quantities), "paid_work": answers.paid_work}


def test_analysis_and_export(
    small_trial: list[Participant], statistician: User, coordinator: User
) -> None:
    client = _client(statistician)
    data = client.get("/api/economics/analysis?bootstrap=100&seed=2").json()
    assert data["options"]["bootstrap"] == 100
    assert data["base_case"]["reference"] == "control"
    export = client.get("/api/economics/export")
    assert export.status_code == 200
    assert export.content.decode().splitlines()[0] == ",".join(columns())
    refused = _client(coordinator).get("/api/economics/analysis")
    assert refused.status_code == 403
    assert refused.json()["error"] == "AccessDenied"
    bad = client.get("/api/economics/analysis?bootstrap=-1")
    assert (bad.status_code, bad.json()["error"]) == (400, "EconomicsInputError")


def test_items_of_a_country(coordinator: User) -> None:
    items = _client(coordinator).get("/api/economics/items?country=DE").json()
    codes = {i["code"] for i in items}
    assert "rehabilitation_day" in codes
    assert "occupational_physician" not in codes
    travel = next(i for i in items if i["code"] == "travel")
    assert (travel["unit"], travel["whole"], travel["category"]) == ("km", False, "patient_travel")
    assert _client(coordinator).get("/api/economics/items?country=FR").status_code == 400


def test_staff_entry_correction_and_refusals(
    utr: Participant, coordinator: User, other_coordinator: User
) -> None:
    client = _client(coordinator)
    path = "/economics/participants/NL-UTR-001/resource-use/m3"
    created = _send(
        client, "post", path, _body(q_gp_consultation=2) | {"reported_on": "2024-05-01"}
    )
    assert created.status_code == 201
    assert created.json()["quantities"]["gp_consultation"] == 2
    assert created.json()["entered_by"] == "coord-utr"
    again = _send(client, "post", path, _body() | {"reported_on": "2024-05-01"})
    assert (again.status_code, again.json()["error"]) == (409, "TrialStateError")
    fixed = _send(
        client, "post", f"{path}/corrections", _body(q_gp_consultation=4) | {"reason": "typo"}
    )
    assert fixed.status_code == 200
    assert fixed.json()["quantities"]["gp_consultation"] == 4
    bad = _send(
        client, "post", f"{path}/corrections", _body(q_gp_consultation=-4) | {"reason": "typo"}
    )
    assert bad.status_code == 400
    assert bad.json()["detail"] == (
        "column gp_consultation: value -4: must be a number of 0 or more; correct the answer"
    )
    hidden = _send(
        _client(other_coordinator), "post", path, _body() | {"reported_on": "2024-05-01"}
    )
    assert hidden.status_code == 404
    assert ResourceUseReport.objects.get().quantities["gp_consultation"] == 4


def test_a_patient_reports_through_the_api(utr: Participant, coordinator: User) -> None:
    patient = User.objects.create_user(username="pat", role=Role.PATIENT)
    utr.user = patient
    audit.save(utr, coordinator, "patient login")
    client = _client(patient)
    assert client.get("/api/economics/me/resource-use").json()["visits"][0]["status"] == "due"
    done = _send(client, "post", "/economics/me/resource-use/m3", _body(q_dietitian=1))
    assert done.status_code == 201
    assert done.json()["source"] == "patient"
    staff_only = client.get("/api/economics/participants/NL-UTR-001")
    assert staff_only.status_code == 403


def test_delivery_through_the_api(
    utr: Participant, physio: User, coordinator: User, other_physio: User
) -> None:
    session = log(utr, dt.date(2024, 3, 5), by=physio)
    path = f"/economics/sessions/{session.pk}/delivery"
    saved = _send(_client(physio), "put", path, {"therapist_minutes": 55, "group_size": 4})
    assert saved.json() == {
        "session": session.pk,
        "date": "2024-03-05",
        "therapist_minutes": 55.0,
        "group_size": 4,
    }
    unreasoned = _send(_client(physio), "put", path, {"therapist_minutes": 50, "group_size": 4})
    assert unreasoned.status_code == 400
    assert (
        _send(
            _client(other_physio), "put", path, {"therapist_minutes": 1, "group_size": 1}
        ).status_code
        == 404
    )
    assert DeliveryRecord.objects.get().therapist_minutes == 55
    centre = _send(
        _client(coordinator),
        "put",
        "/economics/centres/NL-UTR/delivery",
        {"therapist_minutes": 65, "group_size": 4},
    )
    assert (centre.status_code, centre.json()["source"]) == (200, "centre")
    participant = _client(coordinator).get("/api/economics/participants/NL-UTR-001").json()
    assert participant["sessions"][0]["therapist_minutes"] == 55.0

"""The allocation API: the same rules as the pages, JSON errors with a one-line reason."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from exonc.platform.accounts.models import User
from exonc.platform.allocation.models import Allocation, AllocationSequence
from exonc.platform.trial.models import Participant
from tests.platform.allocation.conftest import HAND_LIST, UTR_FIRST_LINE

pytestmark = pytest.mark.django_db

URL = "/api/participants/NL-UTR-001"
UTR_1 = "centre=NL-UTR|line_of_treatment=1st/2nd"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: object = None) -> object:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_preview_then_randomise(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    preview = client.get(f"{URL}/randomisation").json()
    assert (preview["ready"], preview["stratum"]) == (True, UTR_1)
    assert "arm" not in preview
    done = _post(client, f"{URL}/randomisation", {"stratum": preview["stratum"]})
    assert done.status_code == 201
    assert done.json()["arm"] == UTR_FIRST_LINE[0]
    assert done.json()["list_position"] is None
    again = _post(client, f"{URL}/randomisation")
    assert again.status_code == 409
    assert again.json()["error"] == "AlreadyRandomised"
    assert again.json()["detail"].startswith("NL-UTR-001 was randomised on")
    assert client.get(f"{URL}/allocation").json()["arm"] == UTR_FIRST_LINE[0]


def test_randomise_needs_a_json_body(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    assert _client(coordinator).post(f"{URL}/randomisation").status_code == 400
    assert not Allocation.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("other_coordinator", 404), ("physio", 403), ("statistician", 403)]
)
def test_randomise_refusals(
    hand_sequence: AllocationSequence,
    ready: Participant,
    who: str,
    status: int,
    request: pytest.FixtureRequest,
) -> None:
    response = _post(_client(request.getfixturevalue(who)), f"{URL}/randomisation")
    assert response.status_code == status
    assert not Allocation.objects.exists()


def test_stale_stratum_is_a_conflict(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    stale = {"stratum": "centre=NL-UTR|line_of_treatment=3rd+"}
    response = _post(_client(coordinator), f"{URL}/randomisation", stale)
    assert response.status_code == 409
    assert "changed since you confirmed" in response.json()["detail"]


def test_no_list_is_a_conflict_with_what_to_do(ready: Participant, coordinator: User) -> None:
    response = _post(_client(coordinator), f"{URL}/randomisation")
    assert response.status_code == 409
    assert response.json()["error"] == "NoAllocationSequence"


def test_corrections(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    _post(client, f"{URL}/randomisation")
    body = {"kind": "stratification", "problem": "line was 3rd+", "action": "noted for analysis"}
    done = _post(client, f"{URL}/allocation/corrections", body)
    assert done.status_code == 201
    assert done.json()["corrections"][0]["problem"] == "line was 3rd+"
    bad = _post(client, f"{URL}/allocation/corrections", {**body, "kind": "nope"})
    assert bad.status_code == 400
    assert "column kind" in bad.json()["detail"]


def test_log_and_report(
    hand_sequence: AllocationSequence,
    ready: Participant,
    coordinator: User,
    statistician: User,
) -> None:
    _post(_client(coordinator), f"{URL}/randomisation")
    assert _client(coordinator).get("/api/allocation/log").status_code == 403
    assert _client(coordinator).get("/api/allocation/report").status_code == 403
    log = _client(statistician).get("/api/allocation/log").json()
    assert [r["study_id"] for r in log["rows"]] == ["NL-UTR-001"]
    report = _client(statistician).get("/api/allocation/report").json()
    assert report["randomised"] == 1
    bad = _client(statistician).get("/api/allocation/report?purpose=dummy")
    assert bad.status_code == 400


def test_no_response_holds_the_list(
    hand_sequence: AllocationSequence, ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    texts = [
        client.get(f"{URL}/randomisation").content.decode(),
        _post(client, f"{URL}/randomisation").content.decode(),
        client.get(f"{URL}/allocation").content.decode(),
        client.get("/api/openapi.json").content.decode(),
    ]
    for row in HAND_LIST.splitlines()[1:]:
        assert all(row not in text for text in texts)
    assert "/api/participants/{study_id}/randomisation" in texts[-1]

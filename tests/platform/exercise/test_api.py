"""The exercise API mirrors the services: the same refusals, with 400/403/404/409."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.exercise.models import (
    Clearance,
    FitnessTest,
    Lesion,
    Override,
    SessionLog,
    SymptomFlag,
)
from exonc.platform.trial.models import Participant
from tests.platform.exercise.conftest import BASELINE_TESTS

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.now().astimezone(ZoneInfo("Europe/Amsterdam")).date()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


BASE = "/api/exercise/participants/NL-UTR-001"


@pytest.fixture
def api_started(member: Participant, physio: User) -> Client:
    """NL-UTR-001's baseline tests and programme start, through the API (week 2 today)."""
    client = _client(physio)
    start = _today() - dt.timedelta(days=10)
    for kind, values in BASELINE_TESTS:
        body = {"kind": kind, "tested_on": start - dt.timedelta(days=2), "values": values}
        assert _post(client, f"{BASE}/tests", body).status_code == 201
    response = _post(client, f"{BASE}/programme", {"start_date": start, "height_cm": 165})
    assert response.status_code == 201
    return client


def test_programme_plan_and_session_through_the_api(api_started: Client) -> None:
    plan = api_started.get(f"{BASE}/plan").json()
    assert (plan["week"], plan["phase"]) == (2, "mict")
    leg_press = next(r for r in plan["resistance"] if r["exercise"] == "leg_press")
    assert leg_press["load_kg"] == 52.5
    body = {
        "date": _today(),
        "resistance": [
            {"exercise": "leg_press", "sets": [{"reps": 12, "load_kg": 52.5}] * 3, "rpe": 6}
        ],
        "check_in": {"dizziness": False},
    }
    created = _post(api_started, f"{BASE}/sessions", body)
    assert created.status_code == 201
    assert created.json()["new_version"] == 2  # every set at the top of 10-12 at RPE 6
    assert SessionLog.objects.get().plan["week"] == 2


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (
            {"kind": "multiple_rm", "values": {"exercise": "leg_press", "load_kg": 40, "reps": 15}},
            400,
            "ExerciseInputError",
        ),
        (
            {"kind": "multiple_rm", "values": {"exercise": "leg_press", "load_kg": 900, "reps": 5}},
            400,
            "ExerciseInputError",
        ),
        (
            {"kind": "steep_ramp", "values": {"msec_w": 250}, "tested_on": "2999-01-01"},
            400,
            "ExerciseInputError",
        ),
    ],
)
def test_bad_tests_are_refused(
    member: Participant, physio: User, body: dict[str, Any], status: int, error: str
) -> None:
    response = _post(_client(physio), f"{BASE}/tests", {"tested_on": _today(), **body})
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "\n" not in response.json()["detail"]
    assert not FitnessTest.objects.exists()


def test_session_refusals(
    api_started: Client, control: Participant, other_physio: User, clinician: User
) -> None:
    future = _post(api_started, f"{BASE}/sessions", {"date": _today() + dt.timedelta(days=1)})
    assert (future.status_code, future.json()["error"]) == (400, "ExerciseInputError")
    other_arm = _post(
        api_started, "/api/exercise/participants/NL-UTR-002/sessions", {"date": _today()}
    )
    assert (other_arm.status_code, other_arm.json()["error"]) == (409, "TrialStateError")
    assert _post(_client(other_physio), f"{BASE}/sessions", {"date": _today()}).status_code == 404
    assert _post(_client(clinician), f"{BASE}/sessions", {"date": _today()}).status_code == 403
    heavy = {
        "date": _today(),
        "resistance": [{"exercise": "leg_press", "sets": [{"reps": 5, "load_kg": 800}]}],
    }
    assert _post(api_started, f"{BASE}/sessions", heavy).status_code == 400
    assert not SessionLog.objects.exists()


def test_hard_stops_through_the_api(api_started: Client, clinician: User, physio: User) -> None:
    lesion = {
        "site": "proximal_femur",
        "laterality": "right",
        "lesion_type": "lytic",
        "imaging_date": _today() - dt.timedelta(days=30),
        "mirels_site": "peritrochanteric",
        "mirels_size": "over_two_thirds",
        "mirels_pain": "functional",
    }
    created = _post(api_started, f"{BASE}/lesions", lesion)
    assert created.status_code == 201
    lesion_id = created.json()["id"]
    plan = api_started.get(f"{BASE}/plan").json()
    assert plan["aerobic"]["status"] == "omitted"
    assert {r["kind"] for r in plan["restrictions"]} == {"site_rule", "hard_stop"}
    cycle = {"exercise": "cycle_ergometer", "bouts": 1, "bout_seconds": 900, "watts": 80}
    refused = _post(api_started, f"{BASE}/sessions", {"date": _today(), "aerobic": cycle})
    assert (refused.status_code, refused.json()["error"]) == (409, "SafetyRuleViolation")
    doctor = _client(clinician)
    override = {"exercise": "cycle_ergometer", "reason": "needs it", "starts_on": _today()}
    blocked = _post(doctor, f"/api/exercise/lesions/{lesion_id}/overrides", override)
    assert (blocked.status_code, blocked.json()["error"]) == (409, "SafetyRuleViolation")
    no_reason = _post(
        doctor, f"/api/exercise/lesions/{lesion_id}/overrides", {**override, "reason": ""}
    )
    assert (no_reason.status_code, no_reason.json()["error"]) == (400, "ExerciseInputError")
    by_physio = _post(
        api_started, f"/api/exercise/lesions/{lesion_id}/clearances", {"cleared_on": _today()}
    )
    assert by_physio.status_code == 403
    assert not Override.objects.exists()
    assert not Clearance.objects.exists()
    cleared = _post(
        doctor,
        f"/api/exercise/lesions/{lesion_id}/clearances",
        {"cleared_on": _today(), "note": "nailed"},
    )
    assert cleared.status_code == 201
    assert (
        _post(api_started, f"{BASE}/sessions", {"date": _today(), "aerobic": cycle}).status_code
        == 201
    )
    assert Lesion.objects.get().clearances.get().clinician == clinician


def test_flags_notifications_and_events_through_the_api(
    api_started: Client, clinician: User
) -> None:
    body = {"date": _today(), "check_in": {"new_or_worse_bone_pain": True, "note": "rib"}}
    created = _post(api_started, f"{BASE}/sessions", body).json()
    assert created["flags"] == ["new_or_worse_bone_pain"]
    assert created["notified"] == ["clin-utr"]
    doctor = _client(clinician)
    [note] = doctor.get("/api/exercise/notifications").json()
    assert (
        _post(api_started, f"/api/exercise/notifications/{note['id']}/read", {}).status_code == 404
    )
    assert _post(doctor, f"/api/exercise/notifications/{note['id']}/read", {}).status_code == 200
    flag = SymptomFlag.objects.get()
    no_reason = _post(doctor, f"/api/exercise/flags/{flag.id}/close", {"closed_on": _today()})
    assert no_reason.status_code == 400
    closed = _post(
        doctor,
        f"/api/exercise/flags/{flag.id}/close",
        {"closed_on": _today(), "reason": "X-ray clear"},
    )
    assert closed.status_code == 200
    event = {
        "onset": _today(),
        "description": "dizziness after the interval block",
        "grade": 1,
        "serious": False,
        "relatedness": "possible",
        "outcome": "recovered",
    }
    assert _post(doctor, f"{BASE}/adverse-events", event).status_code == 201
    assert _post(doctor, f"{BASE}/adverse-events", {**event, "grade": 7}).status_code == 400


def test_read_endpoints(api_started: Client, statistician: User) -> None:
    assert api_started.get("/api/exercise/home").json()["today"][0]["study_id"] == "NL-UTR-001"
    record = api_started.get(f"{BASE}").json()
    assert record["programme"]["week"] == 2
    assert api_started.get("/api/exercise/adherence?level=all").json() == []
    assert _client(statistician).get("/api/exercise/adherence").status_code == 200
    assert api_started.get("/api/exercise/me/today").status_code == 403


def test_centre_configuration_through_the_api(api_started: Client, clinician: User) -> None:
    client = api_started
    body = {"default_increment_kg": 2.5, "increments_kg": {"leg_press": 5.0}}
    response = client.put(
        "/api/exercise/centres/NL-UTR/equipment", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    plan = client.get(f"{BASE}/plan").json()
    assert next(r for r in plan["resistance"] if r["exercise"] == "leg_press")["load_kg"] == 50.0
    again = client.put(
        "/api/exercise/centres/NL-UTR/equipment", json.dumps(body), content_type="application/json"
    )
    assert (again.status_code, again.json()["error"]) == (
        400,
        "InputError",
    )  # a change needs a reason
    rules = {"safety_rules": "", "wpeak_equation": "", "reason": "reviewed"}
    denied = client.put(
        "/api/exercise/centres/NL-UTR/rules", json.dumps(rules), content_type="application/json"
    )
    assert denied.status_code == 403
    doctor = _client(clinician)
    done = doctor.put(
        "/api/exercise/centres/NL-UTR/rules", json.dumps(rules), content_type="application/json"
    )
    assert done.json() == {"centre": "NL-UTR", "safety_rules": "shipped", "wpeak_equation": "none"}

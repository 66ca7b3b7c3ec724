"""The activity API: uploads, reports, the participant's days, overview, export, her week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.activity.models import ActivityImport
from exonc.platform.activity.windows import COLUMNS
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.activity.conftest import FIRST, LATER, REFERENCE, TRACKER, add_days, allocate

pytestmark = pytest.mark.django_db

UPLOAD = "/api/participants/NL-UTR-001/activity/imports"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, *names: str, **fields: str) -> object:
    files = [SimpleUploadedFile(n, (REFERENCE / n).read_bytes(), "text/csv") for n in names]
    return client.post(UPLOAD, {"format": "fitabase", "files": files, **fields})


def test_an_upload_answers_its_report(ready: Participant, coordinator: User) -> None:
    client = _client(coordinator)
    created = _post(client, *FIRST, tracker_id=TRACKER)
    assert created.status_code == 201
    body = created.json()
    assert (body["outcome"], body["accepted"], body["days_updated"]) == ("imported", 8640, 3)
    assert body["channel"] == "api"
    assert [f["name"] for f in body["files"]] == list(FIRST)
    again = _post(client, *FIRST)
    assert again.status_code == 409
    assert again.json()["error"] == "AlreadyImported"
    assert f"already imported for NL-UTR-001 in import {body['id']}" in again.json()["detail"]
    assert ActivityImport.objects.count() == 1
    detail = client.get(f"/api/activity/imports/{body['id']}")
    assert detail.json()["headline"] == body["headline"]


@pytest.mark.parametrize(
    ("fields", "status", "error", "detail"),
    [
        (
            {"format": "fitbit-csv"},
            400,
            "InputError",
            "column format: value 'fitbit-csv': is not a tracker format; choose one of "
            "fitabase, fitbit-json, garmin-fit, apple-health, actigraph, csv",
        ),
        (
            {"time_zone": "Europe/Utrecht"},
            400,
            "InputError",
            "column time_zone: value 'Europe/Utrecht': is not a time zone; "
            "give an IANA name such as Europe/Amsterdam",
        ),
    ],
)
def test_bad_uploads_answer_one_line(
    ready: Participant,
    coordinator: User,
    fields: dict[str, str],
    status: int,
    error: str,
    detail: str,
) -> None:
    answer = _post(_client(coordinator), *FIRST, **fields)
    assert answer.status_code == status
    assert answer.json() == {"detail": detail, "error": error}
    assert not ActivityImport.objects.exists()


def test_a_new_tracker_id_after_the_first_is_a_conflict(
    ready: Participant, coordinator: User
) -> None:
    client = _client(coordinator)
    _post(client, *FIRST, tracker_id=TRACKER)
    answer = _post(client, *LATER, tracker_id="42")
    assert answer.status_code == 409
    assert answer.json()["error"] == "TrialStateError"


def test_uploads_outside_her_centre_or_role_are_refused(
    ready: Participant, other_coordinator: User, statistician: User
) -> None:
    assert _post(_client(other_coordinator), *FIRST).status_code == 404
    refused = _post(_client(statistician), *FIRST)
    assert refused.status_code == 403
    assert refused.json()["error"] == "AccessDenied"
    assert _post(Client(), *FIRST).status_code == 401
    assert not ActivityImport.objects.exists()


def test_reading_endpoints(
    ready: Participant, coordinator: User, statistician: User, make_patient: Callable[..., User]
) -> None:
    today = local_today(ready.centre, timezone.now())
    allocate(ready, "exercise", today - dt.timedelta(days=40), coordinator)
    add_days(ready, today - dt.timedelta(days=14), [(700, 45)] * 14, coordinator)
    staff = _client(coordinator)
    days = staff.get("/api/participants/NL-UTR-001/activity?weeks=2").json()["days"]
    assert [d["active_minutes"] for d in days] == [45] * 13  # today-13 … yesterday
    assert staff.get("/api/participants/NL-UTR-001/activity?until=soon").status_code == 422
    overview = staff.get("/api/activity/overview").json()
    assert [(x["study_id"], x["status"]) for x in overview["lines"]] == [("NL-UTR-001", "on track")]
    export = _client(statistician).get("/api/activity/windows").json()
    assert export["columns"] == list(COLUMNS)
    csv = _client(statistician).get("/api/activity/windows?format=csv")
    assert csv.content.decode().splitlines()[0] == ",".join(COLUMNS)
    week = _client(make_patient(ready)).get("/api/me/activity").json()
    assert week["goal_days"] == 6  # the 6 days before today; today has no data yet
    assert staff.get("/api/me/activity").status_code == 403

"""Activity pages and their JSON twins, in-process with Django's test client (today's date)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from exonc.platform.accounts.models import User
from exonc.platform.activity.models import ActivityImport
from exonc.platform.activity.windows import COLUMNS
from exonc.platform.trial.models import Participant
from exonc.platform.trial.services import local_today
from tests.platform.activity.conftest import (
    FIRST,
    OTHER,
    REFERENCE,
    TRACKER,
    add_days,
    allocate,
    uploaded_files,
)

HTMX = '<script src="/static/django_htmx/htmx-2.min.js" defer>'

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _files(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(n, (REFERENCE / n).read_bytes(), "text/csv") for n in names]


@pytest.fixture
def tracking(ready: Participant, coordinator: User) -> Participant:
    """NL-UTR-001, randomised 30 days ago, with 20 days of data up to yesterday."""
    today = local_today(ready.centre, timezone.now())
    allocate(ready, "control", today - dt.timedelta(days=30), coordinator)
    days = [(300, 5)] * 17 + [(700, 40)] * 3  # 3 valid days in the last two weeks: low wear
    add_days(ready, today - dt.timedelta(days=20), days, coordinator)
    return ready


def test_staff_upload_files_and_read_the_report(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    client = _client(coordinator)
    form = client.get("/activity/upload/?participant=NL-UTR-001")
    assert form.status_code == 200
    assert '<option value="NL-UTR-001" selected>' in form.content.decode()
    assert client.get("/activity/upload/?format=json").json()["participants"][0]["study_id"] == (
        "NL-UTR-001"
    )
    posted = client.post(
        "/activity/upload/",
        {
            "participant": "NL-UTR-001",
            "format": "fitabase",
            "tracker_id": TRACKER,
            "files": _files(*FIRST, OTHER),
        },
    )
    record = ActivityImport.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == f"/activity/imports/{record.pk}/"
    report = client.get(posted["Location"]).content.decode()
    assert "partly imported" in report
    assert "holds the minutes of participant 1624580081, not of NL-UTR-001" in report
    twin = client.get(posted["Location"] + "?format=json").json()
    assert [f["status"] for f in twin["files"]] == ["imported", "imported", "failed"]
    assert twin["imported_by"] == "coord-utr"
    assert len(uploaded_files(var_dir)) == 3


def test_a_bad_upload_shows_the_form_again_with_the_error(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    posted = _client(coordinator).post(
        "/activity/upload/",
        {"participant": "NL-UTR-001", "format": "fitbit-csv", "files": _files(*FIRST)},
    )
    assert posted.status_code == 400
    assert "Format (fitbit-csv): is not a tracker format" in posted.content.decode()
    assert not ActivityImport.objects.exists()
    assert uploaded_files(var_dir) == []


def test_uploads_are_refused_outside_her_centre_and_role(
    ready: Participant, other_coordinator: User, statistician: User
) -> None:
    given = {"participant": "NL-UTR-001", "format": "fitabase", "files": _files(*FIRST)}
    assert _client(other_coordinator).post("/activity/upload/", given).status_code == 404
    assert _client(statistician).post("/activity/upload/", given).status_code == 403
    assert _client(statistician).get("/activity/upload/").status_code == 403
    assert not ActivityImport.objects.exists()


def test_the_participant_page_draws_her_days(tracking: Participant, coordinator: User) -> None:
    client = _client(coordinator)
    html = client.get("/participants/NL-UTR-001/activity/?weeks=4").content.decode()
    assert html.count('<rect class="') == 2 * 20  # active and wear bars for 20 days
    assert "valid wear on 3 of 14 days" in html
    assert re.findall(r"<script[^>]*>", html) == [HTMX]  # the chart is SVG; only htmx
    assert "https://" not in html
    twin = client.get("/participants/NL-UTR-001/activity/?weeks=4&format=json").json()
    assert len(twin["days"]) == 20
    assert twin["flag"]["low_wear"] is True
    assert twin["goal_minutes"] == 30
    assert "chart" not in twin


def test_the_participant_page_refuses_what_it_must(
    tracking: Participant,
    coordinator: User,
    other_coordinator: User,
    make_patient: Callable[..., User],
) -> None:
    assert _client(other_coordinator).get("/participants/NL-UTR-001/activity/").status_code == 404
    patient = make_patient(tracking)
    assert _client(patient).get("/participants/NL-UTR-001/activity/").status_code == 403
    bad = _client(coordinator).get("/participants/NL-UTR-001/activity/?weeks=many")
    assert bad.status_code == 400
    assert "column weeks: value &#x27;many&#x27;: must be a whole number" in bad.content.decode()


def test_the_overview_flags_low_wear(tracking: Participant, coordinator: User) -> None:
    client = _client(coordinator)
    html = client.get("/activity/").content.decode()
    assert 'href="/participants/NL-UTR-001/activity/"' in html
    assert "valid wear on 3 of 14 days" in html
    twin = client.get("/activity/?format=json").json()
    assert twin["counts"]["flagged"] == 1
    assert twin["lines"][0]["status"] == "flagged"


def test_a_patient_sees_her_week(tracking: Participant, make_patient: Callable[..., User]) -> None:
    client = _client(make_patient(tracking))
    assert client.get("/activity/")["Location"] == "/activity/week/"
    html = client.get("/activity/week/").content.decode()
    assert "Your week" in html
    assert "on 3 days of the last 7. Keep it up!" in html
    assert "worn for part of the day on 3 days" in html
    twin = client.get("/activity/week/?format=json").json()
    assert [d["active_minutes"] for d in twin["days"]] == [5, 5, 5, 40, 40, 40, None]
    assert "Your week</a>" in html  # the nav link says so for patients


def test_staff_have_no_week_page(coordinator: User) -> None:
    assert _client(coordinator).get("/activity/week/").status_code == 403


def test_the_window_export_downloads_as_csv(tracking: Participant, statistician: User) -> None:
    client = _client(statistician)
    csv = client.get("/activity/windows/?format=csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="activity-windows.csv"' in csv["Content-Disposition"]
    lines = csv.content.decode().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 1 + 4
    assert client.get("/activity/windows/?format=json").json()["columns"] == list(COLUMNS)


def test_physiotherapists_do_not_export(physio: User) -> None:
    assert _client(physio).get("/activity/windows/").status_code == 403

"""The report pages: statisticians lock, run and download; every other role is refused
(403), on every page and download. The end-to-end run (lock → report job → files) is a
slow test."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from exonc.errors import TrialStateError
from exonc.platform.accounts.models import Role, User
from exonc.platform.reports.models import DataLock, ReportRun
from exonc.platform.trial.models import Centre, CentreMembership


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lock(statistician: User, tmp_path: Path) -> DataLock:
    folder = tmp_path / "lock"
    (folder / "csv").mkdir(parents=True)
    (folder / "csv" / "participants.csv").write_text("participant_id,arm\nP1,control\n")
    (folder / "MANIFEST.json").write_text("{}")
    found = DataLock(
        locked_by=statistician,
        locked_at=timezone.now(),
        reason="interim analysis",
        folder=str(folder),
        manifest_sha256="0" * 64,
        tables={"participants": 1},
    )
    found.save()
    return found


@pytest.fixture
def run(lock: DataLock, statistician: User) -> ReportRun:
    return ReportRun.objects.create(lock=lock, started_by=statistician)


def _others(centres: dict[str, Centre]) -> list[User]:
    users = []
    for role in (
        Role.COORDINATOR,
        Role.PHYSIOTHERAPIST,
        Role.CLINICIAN,
        Role.MONITOR,
        Role.PATIENT,
    ):
        user = User.objects.create_user(username=f"u-{role}", password="pw", role=role)
        if role != Role.PATIENT:
            CentreMembership.objects.create(user=user, centre=centres["NL-UTR"])
        users.append(user)
    return users


def _pages(lock: DataLock, run: ReportRun) -> list[tuple[str, str]]:
    return [
        ("get", "/reports/"),
        ("post", "/reports/lock/"),
        ("get", f"/reports/locks/{lock.pk}/"),
        ("post", f"/reports/locks/{lock.pk}/run/"),
        ("get", f"/reports/locks/{lock.pk}/dataset.zip"),
        ("get", f"/reports/runs/{run.pk}/"),
        ("get", f"/reports/runs/{run.pk}/report.pdf"),
        ("get", f"/reports/runs/{run.pk}/report.json"),
    ]


@pytest.mark.django_db
def test_every_other_role_is_refused(
    centres: dict[str, Centre], lock: DataLock, run: ReportRun
) -> None:
    for user in _others(centres):
        client = _client(user)
        for method, url in _pages(lock, run):
            response = getattr(client, method)(url, {"reason": "x"} if method == "post" else {})
            assert response.status_code == 403, (user.role, url, response.status_code)
    assert DataLock.objects.count() == 1
    assert ReportRun.objects.count() == 1


@pytest.mark.django_db
def test_signed_out_is_sent_to_the_login(lock: DataLock) -> None:
    response = Client().get("/reports/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_statistician_sees_locks_and_downloads_the_dataset(
    statistician: User, lock: DataLock
) -> None:
    client = _client(statistician)
    data = client.get("/reports/?format=json").json()
    assert [row["id"] for row in data["locks"]] == [lock.pk]
    assert client.get("/reports/").status_code == 200
    assert client.get(f"/reports/locks/{lock.pk}/").status_code == 200
    response = client.get(f"/reports/locks/{lock.pk}/dataset.zip")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "lock/csv/participants.csv" in names
    assert "lock/MANIFEST.json" in names


@pytest.mark.django_db
def test_a_lock_row_never_changes(lock: DataLock) -> None:
    lock.reason = "changed"
    with pytest.raises(TrialStateError):
        lock.save()
    with pytest.raises(TrialStateError):
        DataLock.objects.filter(pk=lock.pk).update(reason="changed")
    with pytest.raises(TrialStateError):
        lock.delete()


@pytest.mark.django_db
def test_a_lock_needs_a_reason(statistician: User) -> None:
    response = _client(statistician).post("/reports/lock/", {"reason": ""})
    assert response.status_code == 200  # the form again, with its error
    assert DataLock.objects.count() == 0


@pytest.mark.django_db
def test_a_report_not_written_yet_is_refused_plainly(statistician: User, run: ReportRun) -> None:
    client = _client(statistician)
    response = client.get(f"/reports/runs/{run.pk}/report.pdf")
    assert response.status_code == 409
    page = client.get(f"/reports/runs/{run.pk}/?format=json").json()
    assert page["ready"] is False


@pytest.mark.slow  # loads a 150-participant trial, locks it, runs the report (~2 min)
@pytest.mark.django_db
def test_lock_then_report_end_to_end(
    statistician: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from exonc.platform.demo import load_demo
    from exonc.synthetic import as_of, generate_trial

    trial = generate_trial(participants_n=150, start=dt.date(2022, 1, 10))
    load_demo(as_of(trial, dt.date(2025, 6, 1)))
    client = _client(statistician)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/lock/", {"reason": "interim", "cut_off": "2025-05-01"})
    assert response.status_code == 302
    from exonc.platform.jobs.models import Job

    job = Job.objects.get(kind="reports.lock")
    assert job.state == "done", job.error
    lock = DataLock.objects.get()
    assert lock.cut_off == dt.date(2025, 5, 1)
    assert lock.locked_by == statistician
    manifest = json.loads((Path(lock.folder) / "MANIFEST.json").read_text("utf-8"))
    assert manifest["lock"]["cut_off"] == "2025-05-01"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/locks/{lock.pk}/run/")
    run = ReportRun.objects.get()
    run.job.refresh_from_db()
    assert run.job.state == "done", run.job.error
    assert client.get(f"/reports/runs/{run.pk}/?format=json").json()["ready"] is True
    for name in ("report.html", "report.pdf", "report.json"):
        response = client.get(f"/reports/runs/{run.pk}/{name}")
        assert response.status_code == 200
    report = json.loads(client.get(f"/reports/runs/{run.pk}/report.json").content)
    assert report["provenance"]["data_sha256"] == lock.manifest_sha256


# ------------------------------------------------------------------ monitoring


@pytest.mark.django_db
def test_monitoring_is_for_coordinators_of_the_centre_and_the_programme_lead(
    centres: dict[str, Centre], coordinator: User, other_coordinator: User, statistician: User
) -> None:
    for user in _others(centres):
        if user.role == Role.COORDINATOR:
            continue
        client = _client(user)
        for url in ("/reports/monitoring/", "/reports/monitoring/NL-UTR/"):
            assert client.get(url).status_code == 403, (user.role, url)
    assert _client(other_coordinator).get("/reports/monitoring/NL-UTR/").status_code == 403
    own = _client(coordinator)
    listed = own.get("/reports/monitoring/?format=json").json()
    assert [c["code"] for c in listed["centres"]] == ["NL-UTR"]
    response = own.get("/reports/monitoring/NL-UTR/")
    assert response.status_code == 200
    assert b"Monitoring report: NL-UTR" in response.content
    assert "default-src 'none'" in response["Content-Security-Policy"]
    data = _client(statistician).get("/reports/monitoring/DE-HEI/?format=json").json()
    assert data["centre"] == "DE-HEI"
    assert data["randomised"] == 0
    assert set(data) >= {
        "recruitment",
        "visits",
        "questionnaires",
        "adherence",
        "adverse_events",
        "queries",
    }

"""A lock in the formats other systems read (``exonc.platform.reports.exchange``): the
REDCap project, the CDISC ODM file and the FHIR NDJSON files, on the lock page and in the
API, for statisticians and administrators only; every other role is refused (403), an
unknown lock is 404, and nothing is ever written into the lock."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from django.http import FileResponse
from django.test import Client
from django.utils import timezone
from lxml import etree

from exonc.cli.synth import write_trial
from exonc.interchange.fhir.validation import ResourceValidator
from exonc.interchange.odm.schema import odm_schema
from exonc.platform.accounts.models import Role, User
from exonc.platform.reports.models import DataLock
from exonc.platform.trial.models import Centre, CentreMembership
from exonc.reports.lock import LockInfo, lock_tables, write_lock
from exonc.synthetic import generate_trial

# REDCap's data dictionary header as issue 14 quotes it (typed out independently, as in
# tests/interchange/test_redcap.py).
REDCAP_HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
    "Matrix Ranking?", "Field Annotation",
]  # fmt: skip
REDCAP_FILES = {"data_dictionary.csv", "events.csv", "instrument_designation.csv", "records.csv"}
KINDS = ("redcap.zip", "odm.xml", "fhir.zip")


@pytest.fixture(scope="module")
def lock_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real lock (as ``exonc export dataset`` writes it) of an 8-participant trial."""
    trial = tmp_path_factory.mktemp("trial")
    write_trial(generate_trial(seed=4, participants_n=8), trial)
    tables = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
        for p in trial.glob("*.csv")
    }
    out = tmp_path_factory.mktemp("locks") / "lock-1"
    write_lock(lock_tables(tables), out, LockInfo("stat", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    return out


@pytest.fixture
def lock(statistician: User, lock_folder: Path) -> DataLock:
    found = DataLock(
        locked_by=statistician,
        locked_at=timezone.now(),
        reason="final analysis",
        folder=str(lock_folder),
        manifest_sha256="0" * 64,
        tables={"participants": 8},
    )
    found.save()
    return found


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: FileResponse) -> bytes:
    """The streamed file; the test client closes the response (and so deletes the temporary
    file) once the content is read to the end."""
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _urls(pk: int) -> list[str]:
    return [f"/reports/locks/{pk}/{k}" for k in KINDS] + [
        f"/api/reports/locks/{pk}/{k}" for k in KINDS
    ]


@pytest.mark.django_db
def test_statistician_downloads_redcap_odm_and_fhir(
    statistician: User, lock: DataLock, lock_folder: Path
) -> None:
    before = _fingerprint(lock_folder)
    client = _client(statistician)
    page = client.get(f"/reports/locks/{lock.pk}/")
    for kind in KINDS:
        assert f"/reports/locks/{lock.pk}/{kind}".encode() in page.content

    response = client.get(f"/reports/locks/{lock.pk}/redcap.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="lock-{lock.pk}-redcap.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert set(archive.namelist()) == REDCAP_FILES
    dictionary = archive.read("data_dictionary.csv").decode("utf-8").splitlines()
    assert next(csv.reader(dictionary[:1])) == REDCAP_HEADER
    records = archive.read("records.csv").decode("utf-8").splitlines()
    assert records[0].startswith("record_id,redcap_event_name")
    assert len(records) > 8

    response = client.get(f"/api/reports/locks/{lock.pk}/odm.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert f'filename="lock-{lock.pk}-odm.xml"' in response["Content-Disposition"]
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    document = etree.ElementTree(etree.fromstring(_body(response), parser))
    assert odm_schema().validate(document), odm_schema().error_log
    subjects = document.getroot().iter("{http://www.cdisc.org/ns/odm/v1.3}SubjectData")
    assert len(list(subjects)) == 8

    response = client.get(f"/reports/locks/{lock.pk}/fhir.zip")
    assert response.status_code == 200
    assert f'filename="lock-{lock.pk}-fhir.zip"' in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert {"Patient.ndjson", "QuestionnaireResponse.ndjson"} <= set(archive.namelist())
    validator = ResourceValidator()
    seen = 0
    for name in archive.namelist():
        for line in archive.read(name).decode("utf-8").splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == name.removesuffix(".ndjson")
            validator.validate(resource)
            seen += 1
    patients = archive.read("Patient.ndjson").decode("utf-8").splitlines()
    assert len(patients) == 8
    assert all("birthDate" not in json.loads(p) for p in patients)  # pseudonymised
    assert seen > 8

    assert _fingerprint(lock_folder) == before  # the lock never changes


@pytest.mark.django_db
def test_administrator_downloads_too(administrator: User, lock: DataLock) -> None:
    client = _client(administrator)
    for url in (f"/reports/locks/{lock.pk}/odm.xml", f"/api/reports/locks/{lock.pk}/odm.xml"):
        response = client.get(url)
        assert response.status_code == 200
        assert _body(response).startswith(b"<?xml")


@pytest.mark.django_db
def test_every_other_role_is_refused(centres: dict[str, Centre], lock: DataLock) -> None:
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
        client = _client(user)
        for url in _urls(lock.pk):
            response = client.get(url)
            assert response.status_code == 403, (role, url, response.status_code)


@pytest.mark.django_db
def test_signed_out_is_refused(lock: DataLock) -> None:
    assert Client().get(f"/reports/locks/{lock.pk}/odm.xml").status_code == 302
    assert Client().get(f"/api/reports/locks/{lock.pk}/odm.xml").status_code == 401


@pytest.mark.django_db
def test_unknown_lock_is_404(statistician: User, lock: DataLock) -> None:
    client = _client(statistician)
    for url in _urls(lock.pk + 1000):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_api_declares_the_files_and_refusals(statistician: User) -> None:
    schema = _client(statistician).get("/api/openapi.json").json()
    for kind, content_type in (
        ("redcap.zip", "application/zip"),
        ("odm.xml", "application/xml"),
        ("fhir.zip", "application/zip"),
    ):
        responses = schema["paths"][f"/api/reports/locks/{{lock_id}}/{kind}"]["get"]["responses"]
        assert content_type in responses["200"]["content"]
        assert {"403", "404"} <= set(responses)

"""Finding 1 of issue 16: a study ID such as ``../../../../../../tmp/x`` never reaches a path.

Every entry point that names a participant refuses it (the enrolment page, the API, the
admin), and the import service — the one place a file path is built from a study ID —
refuses a participant whose ID would lead outside the uploads folder (a row written before
the pattern check), writing and deleting nothing outside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from exonc.errors import UnsafePath
from exonc.platform.accounts.models import User
from exonc.platform.activity import services
from exonc.platform.trial.models import Centre, Participant
from exonc.platform.trial.protocols import protocol_version
from tests.platform.activity.conftest import FIRST, NOW, upload

pytestmark = pytest.mark.django_db

TRAVERSAL = "../../../../../../tmp/x"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_the_enrolment_page_refuses_a_traversal_id(coordinator: User) -> None:
    form = {"study_id": TRAVERSAL, "centre": "NL-UTR", "birth_year": "1970", "sex": "F"}
    answer = _client(coordinator).post("/participants/new/", form)
    assert answer.status_code == 400
    assert not Participant.objects.exists()


def test_the_api_refuses_a_traversal_id(coordinator: User) -> None:
    body = {"study_id": TRAVERSAL, "centre": "NL-UTR", "birth_year": 1970}
    answer = _client(coordinator).post(
        "/api/participants", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 400
    assert "letters, digits and hyphens" in answer.json()["detail"]
    assert not Participant.objects.exists()


def test_the_admin_adds_no_participant(administrator: User) -> None:
    client = _client(administrator)
    assert client.get("/admin/trial/participant/add/").status_code == 403
    answer = client.post("/admin/trial/participant/add/", {"study_id": TRAVERSAL})
    assert answer.status_code == 403
    assert not Participant.objects.exists()


def _legacy(study_id: str, centres: dict[str, Centre]) -> Participant:
    """A row that bypassed the services (written before the pattern check existed)."""
    return Participant.objects.create(
        study_id=study_id,
        centre=centres["NL-UTR"],
        protocol_version=protocol_version(),
        birth_year=1970,
        sex="F",
        line_of_treatment="1st/2nd",
    )


@pytest.mark.parametrize("study_id", ["../../outside", "../..", TRAVERSAL])
def test_an_import_for_a_traversal_id_writes_and_deletes_nothing_outside(
    study_id: str, coordinator: User, centres: dict[str, Centre], var_dir: Path
) -> None:
    outside = var_dir / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    before = _files(var_dir)
    tmp_before = set(Path("/tmp/x").rglob("*")) if Path("/tmp/x").exists() else None
    participant = _legacy(study_id, centres)
    with pytest.raises(UnsafePath):
        services.import_exports(coordinator, participant, upload(*FIRST, tracker_id="T1"), now=NOW)
    assert _files(var_dir) == before
    assert (outside / "keep.txt").read_text() == "mine"
    tmp_after = set(Path("/tmp/x").rglob("*")) if Path("/tmp/x").exists() else None
    assert tmp_after == tmp_before


def test_the_upload_page_refuses_it_in_one_line(
    coordinator: User, centres: dict[str, Centre], var_dir: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.platform.activity.conftest import REFERENCE

    participant = _legacy("../../outside", centres)
    files = [SimpleUploadedFile(n, (REFERENCE / n).read_bytes(), "text/csv") for n in FIRST]
    client = _client(coordinator)
    page = client.post(
        "/activity/upload/",
        {"participant": participant.study_id, "format": "fitabase", "files": files},
    )
    assert page.status_code == 400
    assert "lead outside its folder" in page.content.decode()
    assert not (var_dir / "outside").exists()


def test_the_command_line_refuses_a_traversal_id(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], coordinator: User
) -> None:
    from tests.platform.activity.conftest import REFERENCE
    from tests.platform.activity.test_cli import run

    files = [str(REFERENCE / n) for n in FIRST]
    code, _, err = run(
        monkeypatch, capsys, "--format", "fitabase", "--participant", TRAVERSAL, *files
    )
    assert code == 2
    assert "may hold only letters, digits and hyphens" in err

"""Finding 7 of issue 16: a killed import's upload folder is removed when the consumer starts;
an identical upload on the page leads to the import that stored it, adding nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from huey.contrib.djhuey import HUEY

from exonc.platform.accounts.models import User
from exonc.platform.activity import services
from exonc.platform.activity.models import ActivityImport, ImportedFile
from exonc.platform.activity.orphans import remove_orphan_uploads
from exonc.platform.activity.tasks import remove_orphans_at_start
from exonc.platform.trial.models import Participant
from tests.platform.activity.conftest import FIRST, NOW, REFERENCE, TRACKER, upload, uploaded_files

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2024, 5, 2, 12, 0, tzinfo=dt.UTC)


def _orphan(var_dir: Path, name: str, at: dt.datetime) -> Path:
    """A folder as a killed import leaves it: files kept, nothing recorded."""
    folder = var_dir / "uploads" / "activity" / "NL-UTR-001" / name
    (folder / "01").mkdir(parents=True)
    (folder / "01" / "minuteSteps.csv").write_text("Id,ActivityMinute,Steps\n")
    os.utime(folder, (at.timestamp(), at.timestamp()))
    return folder


def test_orphans_are_removed_and_recorded_uploads_kept(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    record = services.import_exports(coordinator, ready, upload(*FIRST), now=NOW)
    kept = uploaded_files(var_dir)
    old = _orphan(var_dir, "20240502T090000Z-dead", NOW - dt.timedelta(hours=2))
    young = _orphan(var_dir, "20240502T115900Z-busy", LATER - dt.timedelta(minutes=1))
    recorded = {Path(f.stored_as).parts[2] for f in ImportedFile.objects.all()}
    assert record.files.count() == 2
    removed = remove_orphan_uploads(LATER)
    assert removed == [Path("activity/NL-UTR-001/20240502T090000Z-dead")]
    assert not old.exists()
    assert young.exists()  # an import may still be writing it
    assert uploaded_files(var_dir) == sorted([*kept, *young.rglob("*.csv")])
    assert {p.parts[-3] for p in kept} == recorded


def test_nothing_to_clean_in_a_new_data_folder(db: None, var_dir: Path) -> None:
    assert remove_orphan_uploads(LATER) == []


def test_the_task_consumer_cleans_when_it_starts(ready: Participant, var_dir: Path) -> None:
    old = _orphan(var_dir, "20200101T000000Z-dead", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert HUEY._startup["remove_orphans_at_start"] is remove_orphans_at_start
    remove_orphans_at_start()
    assert not old.exists()


def test_the_upload_page_leads_to_the_earlier_import(
    ready: Participant, coordinator: User, var_dir: Path
) -> None:
    client = Client()
    client.force_login(coordinator)

    def post() -> object:
        files = [SimpleUploadedFile(n, (REFERENCE / n).read_bytes(), "text/csv") for n in FIRST]
        given = {"participant": "NL-UTR-001", "format": "fitabase", "tracker_id": TRACKER}
        return client.post("/activity/upload/", {**given, "files": files})

    first = post()
    kept = uploaded_files(var_dir)
    again = post()
    record = ActivityImport.objects.get()
    assert again.status_code == 302
    assert again["Location"] == first["Location"] == f"/activity/imports/{record.pk}/"
    page = client.get(again["Location"]).content.decode()
    assert "already imported for NL-UTR-001" in page
    assert uploaded_files(var_dir) == kept

"""The SQLite backup and restore of docs/deployment.md, done as written there: ``sqlite3
exonc.sqlite3 ".backup …"`` on the live database, then the copy put back in place."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from exonc.platform.accounts.models import User
from exonc.platform.trial.models import Participant

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 program")


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_the_trial(
    tmp_path: Path, enrol: Callable[..., Participant], coordinator: User
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup; PostgreSQL uses pg_dump")
    enrol(coordinator, "NL-UTR-001")
    live = Path(connection.settings_dict["NAME"])
    backup = tmp_path / "exonc-backup.sqlite3"
    # the documented command, while the platform's connection is open (WAL mode)
    subprocess.run(["sqlite3", str(live), f".backup '{backup}'"], check=True, timeout=60)
    enrol(coordinator, "NL-UTR-002")  # written after the backup: not in it

    restored = tmp_path / "restored" / "exonc.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)  # restoring is putting the file back, server stopped
    check = subprocess.run(
        ["sqlite3", str(restored), "PRAGMA integrity_check;"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.stdout.strip() == "ok"
    with sqlite3.connect(restored) as copy:
        study_ids = [row[0] for row in copy.execute("SELECT study_id FROM trial_participant")]
        migrations = copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        history = copy.execute("SELECT count(*) FROM trial_historicalparticipant").fetchone()[0]
    assert study_ids == ["NL-UTR-001"]
    assert history >= 1  # the audit trail travels with the data
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert migrations == cursor.fetchone()[0]

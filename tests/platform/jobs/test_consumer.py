"""A real task consumer (``exonc worker``, Huey with its SQLite store) runs a job that another
process submitted, through the queue file — as ``exonc serve`` and a deployment run it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SUBMIT = """
import django; django.setup()
from django.db import transaction
from exonc.platform.accounts.models import User
from exonc.platform.jobs.services import submit
user = User.objects.create_user(username="coord", password="x", role="coordinator")
with transaction.atomic():
    job = submit(user, "test.sum", title="Sum", params={"numbers": [1, 2, 39]})
print(job.id.hex)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXONC_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        EXONC_VAR_DIR=str(tmp_path),
        EXONC_DATABASE_URL=f"sqlite:///{tmp_path / 'exonc.sqlite3'}",
        EXONC_TASKS_URL=f"sqlite:///{tmp_path / 'tasks.sqlite3'}",
        PYTHONPATH=str(Path(__file__).resolve().parents[3]),
    )
    return env


def _job_row(database: Path, job_hex: str) -> tuple[str, str] | None:
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT state, result FROM jobs_job WHERE id = ?", (job_hex,)).fetchone()
    return None if row is None else (row[0], row[1])


def test_a_consumer_in_another_process_runs_a_queued_job(tmp_path: Path) -> None:
    env = _env(tmp_path)
    run = {"env": env, "check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], **run)  # type: ignore[call-overload]
    job_hex = subprocess.run([sys.executable, "-c", SUBMIT], **run).stdout.strip()  # type: ignore[call-overload]
    assert _job_row(tmp_path / "exonc.sqlite3", job_hex) == ("queued", None)

    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "exonc.cli", "worker"], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        row = _job_row(tmp_path / "exonc.sqlite3", job_hex)
        while (row is None or row[0] != "done") and time.monotonic() < deadline:
            time.sleep(0.25)
            row = _job_row(tmp_path / "exonc.sqlite3", job_hex)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    assert row == ("done", '{"sum": 42}'), (tmp_path / "worker.log").read_text()

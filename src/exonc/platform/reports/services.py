"""Locking the trial's data and running the report on a lock: statisticians only.

Both run in the task runner (:mod:`exonc.platform.reports.jobs`); the services check the
role, record what was asked and queue the job. Locks are trial-wide (every centre), which
is why only the trial-wide statistician (and administrators) may make, read or download
them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db import transaction

from exonc.errors import InputError, TrialStateError
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.jobs.models import Job
from exonc.platform.jobs.services import submit
from exonc.platform.queries.models import DataQuery
from exonc.platform.reports.dataset import trial_tables
from exonc.platform.reports.models import DataLock, PlanRun, ReportRun
from exonc.platform.trial.models import Centre
from exonc.reports.monitoring import MonitoringReport, monitoring_report

__all__ = [
    "REPORT_FILES",
    "dataset_zip",
    "locks_folder",
    "monitoring",
    "plan_file",
    "plan_result",
    "plans_folder",
    "report_file",
    "reports_folder",
    "request_lock",
    "request_plan",
    "request_report",
    "require_monitoring",
    "require_statistician",
]

REPORT_FILES = {
    "report.html": "text/html; charset=utf-8",
    "report.pdf": "application/pdf",
    "report.json": "application/json",
}


def require_statistician(user: User) -> None:
    access.require_role(user, Role.STATISTICIAN)


def locks_folder() -> Path:
    return Path(settings.EXONC.var_dir) / "locks"


def reports_folder(run: ReportRun) -> Path:
    """Where the job writes the report of *run*."""
    return Path(settings.EXONC.var_dir) / "reports" / str(run.pk)


def request_lock(user: User, *, cut_off: dt.date | None, reason: str) -> Job:
    """Queue a lock of the whole trial (or up to *cut_off*); *reason* is recorded."""
    require_statistician(user)
    if not reason.strip():
        raise InputError("a lock needs a reason", key="reason", hint="say why the data are locked")
    title = "Lock the trial's data" + (f" up to {cut_off.isoformat()}" if cut_off else "")
    params = {
        "user_id": user.pk,
        "cut_off": cut_off.isoformat() if cut_off else None,
        "reason": reason,
    }
    with transaction.atomic():
        return submit(user, "reports.lock", title=title, params=params)


def request_report(user: User, lock: DataLock) -> ReportRun:
    """Queue the report on *lock*; the run's page follows the job."""
    require_statistician(user)
    with transaction.atomic():
        run = ReportRun.objects.create(lock=lock, started_by=user)
        params = {"run_id": run.pk}
        run.job = submit(user, "reports.run", title=f"Trial report on {lock}", params=params)
        run.save(update_fields=["job"])
    return run


def plans_folder(run: PlanRun) -> Path:
    """Where the job writes the power curve of *run* (once; see ``jobs.plan_trial``)."""
    return Path(settings.EXONC.var_dir) / "plans" / str(run.pk)


def request_plan(user: User, lock: DataLock, params: dict[str, object]) -> PlanRun:
    """Queue a power curve planned from *lock* (*params*: the checked form values)."""
    require_statistician(user)
    with transaction.atomic():
        run = PlanRun.objects.create(lock=lock, started_by=user, params=params)
        title = f"Plan the next trial from {lock}"
        run.job = submit(user, "reports.plan", title=title, params={"plan_id": run.pk})
        run.save(update_fields=["job"])
    return run


def plan_result(user: User, run: PlanRun) -> dict[str, object] | None:
    """The stored result of *run* (``None`` until its job has written it)."""
    require_statistician(user)
    path = plans_folder(run) / "plan.json"
    if not path.is_file():
        return None
    found: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return found


def plan_file(user: User, run: PlanRun) -> Path:
    """The power-curve figure (SVG) of a finished plan."""
    require_statistician(user)
    path = plans_folder(run) / "power_curve.svg"
    if not path.is_file():
        raise TrialStateError("the power curve is not drawn yet; wait for its job to finish")
    return path


def report_file(user: User, run: ReportRun, name: str) -> Path:
    """The path of one file of a finished report."""
    require_statistician(user)
    if name not in REPORT_FILES:
        raise InputError("no such file", value=name, hint=", ".join(REPORT_FILES))
    path = reports_folder(run) / name
    if not path.is_file():
        raise TrialStateError("the report is not written yet; wait for its job to finish")
    return path


def dataset_zip(user: User, lock: DataLock) -> bytes:
    """The lock folder as a zip (tables, dictionary, manifest)."""
    require_statistician(user)
    folder = Path(lock.folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return buffer.getvalue()


# ------------------------------------------------------------------ monitoring


def require_monitoring(user: User, centre: Centre) -> None:
    """Coordinators of *centre*; the programme lead (statistician, administrator)."""
    access.require_role(user, Role.COORDINATOR, Role.STATISTICIAN)
    access.require_centre(user, centre)


def monitoring(user: User, centre: Centre, *, today: dt.date) -> MonitoringReport:
    """The monitoring report of *centre* as of *today*."""
    require_monitoring(user, centre)
    tables = trial_tables()
    rows = [
        {
            "participant_id": q.participant.study_id,
            "record": q.record,
            "question": q.question,
            "status": q.status,
            "opened_on": q.opened_at.date().isoformat(),
        }
        for q in DataQuery.objects.filter(participant__centre=centre).select_related("participant")
    ]
    columns = ["participant_id", "record", "question", "status", "opened_on"]
    queries = pd.DataFrame(rows, columns=columns)
    return monitoring_report(tables, centre.code, today=today, queries=queries)

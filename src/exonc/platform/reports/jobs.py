"""The report app's job kinds: locking the data, running the report on a lock, and
planning the next trial from a lock (a power curve)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from exonc.platform.accounts.models import User
from exonc.platform.jobs.registry import Progress, job_kind
from exonc.platform.reports.dataset import trial_tables
from exonc.platform.reports.models import DataLock, PlanRun, ReportRun
from exonc.platform.reports.services import locks_folder, plans_folder, reports_folder
from exonc.reports import build_report, load_plan, read_folder, write_report
from exonc.reports.figures import power_curve_figure
from exonc.reports.lock import LockInfo, lock_tables, versions, write_lock
from exonc.reports.planning import curve_document, lock_design, power_curve


@job_kind("reports.lock")
def lock_data(
    progress: Progress, *, user_id: int, cut_off: str | None, reason: str
) -> dict[str, Any]:
    user = User.objects.get(pk=user_id)
    day = dt.date.fromisoformat(cut_off) if cut_off else None
    progress(0.1, _("Reading the trial's records"))
    tables = trial_tables()
    progress(0.4, _("Scoring and deriving the tables"))
    locked = lock_tables(tables, cut_off=day)
    now = timezone.now()
    folder = locks_folder() / f"{now:%Y%m%dT%H%M%S}-{user.pk}"
    info = LockInfo(user.username, now, day, "platform database", versions())
    progress(0.7, _("Writing the lock"))
    manifest = write_lock(locked, folder, info)
    digest = hashlib.sha256((folder / "MANIFEST.json").read_bytes()).hexdigest()
    lock = DataLock(
        locked_by=user,
        locked_at=now,
        cut_off=day,
        reason=reason,
        folder=str(folder),
        manifest_sha256=digest,
        tables=manifest["tables"],
    )
    lock.save()
    return {"url": f"/reports/locks/{lock.pk}/", "lock_id": lock.pk}


@job_kind("reports.run")
def run_report(progress: Progress, *, run_id: int) -> dict[str, Any]:
    run = ReportRun.objects.select_related("lock").get(pk=run_id)
    progress(0.05, _("Reading the locked tables"))
    trial = read_folder(Path(run.lock.folder))
    progress(0.15, _("Fitting the models of the analysis plan"))
    report = build_report(trial, load_plan(run.plan))
    progress(0.8, _("Drawing the report and printing the PDF"))
    write_report(report, reports_folder(run))
    return {"url": f"/reports/runs/{run.pk}/"}


@job_kind("reports.plan")
def plan_trial(progress: Progress, *, plan_id: int) -> dict[str, Any]:
    """Estimate the design from the lock, simulate power at each n (serially, in this
    worker: no cluster inside the web's task runner), write ``plan.json`` and the figure
    into a staging folder and move it into place — the result is written once."""
    run = PlanRun.objects.select_related("lock").get(pk=plan_id)
    params = run.params
    progress(0.05, _("Reading the locked tables"))
    trial = read_folder(Path(run.lock.folder))
    progress(0.1, _("Estimating the covariance and dropout from the lock"))
    design = lock_design(
        trial,
        load_plan(run.plan).plan,
        params["outcome"],
        effect=float(params["effect"]),
        alpha=float(params["alpha"]),
    )

    def step(done: int, total: int) -> None:
        progress(
            0.15 + 0.8 * done / total,
            _("Simulated %(done)d of %(total)d sample sizes") % {"done": done, "total": total},
        )

    results = power_curve(
        design,
        list(params["n_per_arm"]),
        sims=int(params["sims"]),
        seed=int(params["seed"]),
        progress=step,
    )
    document = {"params": params, "plan": run.plan, "lock_id": run.lock_id} | curve_document(
        design, results, len(trial["participants"])
    )
    folder = plans_folder(run)
    staging = folder.with_name(f".{folder.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / "plan.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    (staging / "power_curve.svg").write_text(
        power_curve_figure(document["curve"]).svg, encoding="utf-8"
    )
    staging.rename(folder)
    return {"url": f"/reports/plans/{run.pk}/"}

"""Submitting jobs, running them, and who may see them."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from exonc.errors import ExoncError, InputError
from exonc.platform.accounts.models import Role, User
from exonc.platform.jobs.models import Job, JobState
from exonc.platform.jobs.registry import KINDS, JobResult
from exonc.platform.trial.models import Centre

log = logging.getLogger(__name__)


def submit(
    user: User,
    kind: str,
    *,
    title: str,
    params: dict[str, Any] | None = None,
    centre: Centre | None = None,
) -> Job:
    """Record a job of *kind* for *user* and queue it when the current transaction commits.

    The calling service has already checked that *user* may start it."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r} is registered")
    params = params or {}
    try:
        json.dumps(params)
    except TypeError as error:
        raise ValueError(f"job parameters must be JSON-safe: {error}") from error
    job = Job.objects.create(
        kind=kind, title=title[:200], params=params, created_by=user, centre=centre
    )
    from exonc.platform.jobs.tasks import run_job

    transaction.on_commit(lambda: run_job(str(job.id)))
    return job


def execute(job_id: uuid.UUID) -> None:
    """Run the job *job_id* (the task runner calls this) and record how it ended."""
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.QUEUED:
        return  # a job runs once, even if the queue delivers it twice
    _update(job_id, state=JobState.RUNNING, started_at=timezone.now())
    try:
        result = KINDS[job.kind](_progress_of(job_id), **job.params)
    except ExoncError as error:
        _finish(job_id, JobState.FAILED, error=str(error))
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        _finish(job_id, JobState.FAILED, error=_("An unexpected error stopped this job."))
    else:
        _finish(job_id, JobState.DONE, result=result)


def _progress_of(job_id: uuid.UUID) -> Any:
    def progress(fraction: float, message: str = "") -> None:
        _update(job_id, progress=min(max(fraction, 0.0), 1.0), message=str(message)[:200])

    return progress


def _finish(
    job_id: uuid.UUID, state: JobState, *, result: JobResult = None, error: str = ""
) -> None:
    done = {"progress": 1.0} if state == JobState.DONE else {}
    _update(job_id, state=state, result=result, error=error, finished_at=timezone.now(), **done)


def _update(job_id: uuid.UUID, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(**fields)


def visible_jobs(user: User) -> QuerySet[Job]:
    """The jobs *user* may see: their own; administrators see every job."""
    jobs = Job.objects.select_related("created_by")
    if user.role == Role.ADMINISTRATOR or user.is_superuser:
        return jobs
    return jobs.filter(created_by=user)


def job_for(user: User, job_id: str) -> Job:
    """The job *job_id* if *user* may see it; otherwise "not found" (its existence is not
    revealed)."""
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        raise InputError(_("This is not a job number."), value=job_id) from None
    job = visible_jobs(user).filter(pk=key).first()
    if job is None:
        raise Http404(_("No such job."))
    return job

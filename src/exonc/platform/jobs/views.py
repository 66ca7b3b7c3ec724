"""The jobs list and a job's progress page, each with its JSON twin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from exonc.platform.jobs.models import Job
from exonc.platform.jobs.services import job_for, visible_jobs
from exonc.platform.web import page, refusals, user_of


@refusals
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = [job_data(job) for job in visible_jobs(user_of(request))[:100]]
    return page(request, "jobs/list.html", jobs)


@refusals
def job_detail(request: HttpRequest, job_id: str) -> HttpResponse:
    return page(request, "jobs/detail.html", job_data(job_for(user_of(request), job_id)))


def job_data(job: Job) -> dict[str, object]:
    """What pages and the JSON twin show of a job."""
    return {
        "id": str(job.id),
        "kind": job.kind,
        "title": job.title,
        "state": job.state,
        "state_label": job.get_state_display(),
        "progress": job.progress,
        "percent": job.percent,
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "finished": job.is_finished,
        "created_by": job.created_by.username,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }

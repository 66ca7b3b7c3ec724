"""The task the runner executes for every job (autodiscovered by huey.contrib.djhuey)."""

from __future__ import annotations

import uuid

from huey.contrib.djhuey import db_task

from exonc.platform.jobs import services


@db_task()  # type: ignore[untyped-decorator]  # huey ships no type hints
def run_job(job_id: str) -> None:
    services.execute(uuid.UUID(job_id))

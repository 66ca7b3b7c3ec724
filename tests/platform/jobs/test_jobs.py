"""Background jobs: submitted in a transaction, run by the task runner (immediately in the
test settings), progress recorded, errors kept as one line, and visible to their creator
and administrators only — as pages, JSON twins and on the list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from exonc.errors import AnalysisInputError
from exonc.platform.accounts.models import User
from exonc.platform.jobs import registry
from exonc.platform.jobs.models import Job, JobState
from exonc.platform.jobs.registry import Progress, job_kind
from exonc.platform.jobs.services import execute, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds() -> Iterator[dict[str, Any]]:
    """Test job kinds, registered for one test only."""
    seen: dict[str, Any] = {}

    @job_kind("test.count")
    def count(progress: Progress, *, upto: int) -> dict[str, object]:
        for i in range(upto):
            progress((i + 1) / upto, f"counted {i + 1}")
            seen.setdefault("fractions", []).append((i + 1) / upto)
        return {"total": upto, "url": "/hub/"}

    @job_kind("test.refuse")
    def refuse(progress: Progress) -> None:
        raise AnalysisInputError("the plan names no outcome", hint="add one")

    @job_kind("test.crash")
    def crash(progress: Progress) -> None:
        raise ZeroDivisionError("internal detail that users must not see")

    yield seen
    for name in ("test.count", "test.refuse", "test.crash"):
        registry.KINDS.pop(name)


def _submitted(capture: Callable[..., Any], user: User, kind: str, **params: object) -> Job:
    with capture(execute=True):
        job = submit(user, kind, title="A test job", params=params)
    job.refresh_from_db()
    return job


def test_a_job_runs_when_its_transaction_commits_and_records_progress_and_result(
    kinds: dict[str, Any],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    job = _submitted(django_capture_on_commit_callbacks, coordinator, "test.count", upto=4)
    assert job.state == JobState.DONE
    assert job.progress == 1.0
    assert job.message == "counted 4"
    assert job.result == {"total": 4, "url": "/hub/"}
    assert kinds["fractions"] == [0.25, 0.5, 0.75, 1.0]
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.started_at <= job.finished_at


def test_a_job_is_not_queued_when_its_transaction_rolls_back(
    kinds: dict[str, Any],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                submit(coordinator, "test.count", title="Rolled back", params={"upto": 1})
                raise RuntimeError("the service failed after submitting")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Job.objects.exists()


def test_a_refusal_becomes_the_jobs_one_line_error(
    kinds: dict[str, Any],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    job = _submitted(django_capture_on_commit_callbacks, coordinator, "test.refuse")
    assert job.state == JobState.FAILED
    assert job.error == "the plan names no outcome; add one"


def test_an_unexpected_error_is_logged_but_not_shown(
    kinds: dict[str, Any],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    job = _submitted(django_capture_on_commit_callbacks, coordinator, "test.crash")
    assert job.state == JobState.FAILED
    assert "internal detail" not in job.error
    assert job.error == "An unexpected error stopped this job."
    assert "internal detail that users must not see" in caplog.text


def test_a_job_runs_once_even_if_delivered_twice(
    kinds: dict[str, Any],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    job = _submitted(django_capture_on_commit_callbacks, coordinator, "test.count", upto=2)
    execute(job.id)
    assert kinds["fractions"] == [0.5, 1.0]


@pytest.mark.parametrize(
    ("kind", "params", "problem"),
    [
        ("test.nothing", {}, "no job kind 'test.nothing'"),
        ("test.count", {"upto": {1, 2}}, "JSON-safe"),
    ],
)
def test_unknown_kinds_and_unsafe_parameters_are_programming_errors(
    kinds: dict[str, Any], coordinator: User, kind: str, params: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        submit(coordinator, kind, title="x", params=params)
    assert not Job.objects.exists()


def test_a_kind_cannot_be_registered_twice(kinds: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        job_kind("test.count")(lambda progress: None)


def _page(user: User, url: str, **extra: Any) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url, **extra)


def test_the_progress_page_and_its_json_twin(
    kinds: dict[str, Any],
    coordinator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    job = _submitted(django_capture_on_commit_callbacks, coordinator, "test.count", upto=2)
    html = _page(coordinator, f"/jobs/{job.id}/")
    assert html.status_code == 200
    body = html.content.decode()
    assert "A test job" in body
    assert 'http-equiv="refresh"' not in body  # finished: no more refreshing
    assert 'href="/hub/"' in body
    twin = _page(coordinator, f"/jobs/{job.id}/?format=json").json()
    assert twin["state"] == "done"
    assert twin["percent"] == 100
    assert twin["result"] == {"total": 2, "url": "/hub/"}


def test_a_waiting_job_page_refreshes_itself(kinds: dict[str, Any], coordinator: User) -> None:
    job = submit(coordinator, "test.count", title="Waiting", params={"upto": 1})  # not committed
    body = _page(coordinator, f"/jobs/{job.id}/").content.decode()
    assert 'http-equiv="refresh"' in body
    assert "Waiting to start" in body


def test_others_cannot_see_a_job_but_administrators_can(
    kinds: dict[str, Any],
    coordinator: User,
    other_coordinator: User,
    statistician: User,
    administrator: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    job = _submitted(django_capture_on_commit_callbacks, coordinator, "test.count", upto=1)
    for stranger in (other_coordinator, statistician):
        assert _page(stranger, f"/jobs/{job.id}/").status_code == 404
        assert _page(stranger, "/jobs/?format=json").json() == []
    assert _page(administrator, f"/jobs/{job.id}/").status_code == 200
    listed = _page(coordinator, "/jobs/?format=json").json()
    assert [j["id"] for j in listed] == [str(job.id)]


def test_a_malformed_job_number_is_a_plain_refusal(coordinator: User) -> None:
    response = _page(coordinator, "/jobs/not-a-uuid/")
    assert response.status_code == 400
    assert "This is not a job number." in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Client().get("/jobs/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def _queue(config: dict[str, Any]) -> Any:
    """The Huey instance djhuey builds from a ``HUEY`` dict (same construction rule)."""
    from huey.utils import load_class

    options = {k: v for k, v in config.items() if k not in {"name", "huey_class", "consumer"}}
    return load_class(config["huey_class"])(config["name"], **options)


@pytest.mark.parametrize(
    "url",
    ["sqlite:///{tmp}/tasks.sqlite3", "redis://127.0.0.1:6379/15"],
)
def test_each_queue_url_gives_a_working_queue(url: str, tmp_path: Any) -> None:
    """A task enqueued on the configured store comes back out of it (Redis: skipped when no
    server answers on 127.0.0.1:6379)."""
    from exonc.platform.django_settings import task_queue

    config = task_queue(url.format(tmp=tmp_path))
    assert config["immediate"] is False
    queue = _queue(config)
    if url.startswith("redis"):
        import redis

        try:
            queue.storage.conn.ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis server on 127.0.0.1:6379")
        queue.flush()

    @queue.task()
    def double(x: int) -> int:
        return 2 * x

    double(21)
    assert len(queue) == 1
    task = queue.dequeue()
    assert queue.execute(task) == 42
    queue.flush()


def test_immediate_queue_needs_no_consumer() -> None:
    from exonc.platform.django_settings import task_queue

    assert task_queue("immediate")["immediate"] is True

"""A test-only app whose job kinds exist in every process that loads the test settings,
so that a real task consumer started by a test can run them."""

from __future__ import annotations

from django.apps import AppConfig


class TestJobsConfig(AppConfig):
    name = "tests.platform.jobs"
    label = "test_jobs"

    def ready(self) -> None:
        from tests.platform.jobs import kinds  # noqa: F401  (registers the kinds)

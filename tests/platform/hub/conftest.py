"""The hub composes the exercise app's data: reuse its fixtures."""

from tests.platform.exercise.conftest import clinician, current, member  # noqa: F401

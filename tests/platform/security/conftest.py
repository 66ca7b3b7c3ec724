"""Security tests: a fresh uploads folder and minute store per test (as the activity tests)."""

from __future__ import annotations

from tests.platform.activity.conftest import var_dir

__all__ = ["var_dir"]

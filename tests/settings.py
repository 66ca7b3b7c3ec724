"""Django settings for the test suite.

Uses the platform's settings and swaps the database for ``EXONC_TEST_DATABASE_URL`` when it
is set (``.ci/run`` points it at the local PostgreSQL server), so the same tests run on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("EXONC_VAR_DIR", tempfile.mkdtemp(prefix="exonc-test-var-"))
os.environ.setdefault("EXONC_TASKS_URL", "immediate")  # jobs run when their transaction commits

from exonc.platform.django_settings import *  # noqa: F403
from exonc.platform.django_settings import DATABASES, INSTALLED_APPS, database

_url = os.environ.get("EXONC_TEST_DATABASE_URL")
if _url:
    DATABASES["default"] = database(_url)

INSTALLED_APPS = [*INSTALLED_APPS, "tests.platform.jobs"]  # job kinds a real consumer can run
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
EXONC_TEST_VAR_DIR = Path(os.environ["EXONC_VAR_DIR"])
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(EXONC_TEST_VAR_DIR / "test.sqlite3")}

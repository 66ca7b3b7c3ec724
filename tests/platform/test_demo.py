"""The demo database: loading the synthetic trial, and `exonc demo` end to end (no browser)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.allocation.models import Allocation
from exonc.platform.demo import DEMO_LOGINS, load_demo
from exonc.platform.trial.models import Participant, Visit
from exonc.synthetic import as_of, generate_trial


@pytest.mark.django_db
def test_load_demo_builds_an_audited_scoped_trial() -> None:
    trial = as_of(generate_trial(participants_n=60, start=dt.date(2024, 1, 8)), dt.date(2025, 3, 1))
    load_demo(trial)
    assert Participant.objects.count() == len(trial.tables["participants"])
    assert Allocation.objects.count() == Participant.objects.count()
    assert Visit.objects.count() == 4 * Participant.objects.count()
    entry = Participant.objects.first().history.get()
    assert entry.history_user.username == "demo-loader"
    assert entry.history_change_reason == "synthetic demo data"
    coordinator = User.objects.get(username="coordinator")
    visible = access.scope(Participant.objects.all(), coordinator)
    assert set(visible.values_list("centre__code", flat=True)) <= {"NL-UTR", "NL-AMS"}
    patient = User.objects.get(username="patient")
    assert access.scope(Participant.objects.all(), patient).get().allocation.arm == "exercise"
    assert {u.username for u in User.objects.filter(is_active=True)} == {
        login.username for login in DEMO_LOGINS
    }


@pytest.mark.slow
def test_exonc_demo_builds_then_reuses(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EXONC_VAR_DIR": str(tmp_path),
        # the command's own settings, not the test suite's (which may point at PostgreSQL)
        "DJANGO_SETTINGS_MODULE": "exonc.platform.django_settings",
    }
    for name in ("EXONC_DATABASE_URL", "EXONC_TEST_DATABASE_URL"):
        env.pop(name, None)
    exonc = [sys.executable, "-m", "exonc.cli"]

    def run() -> str:
        done = subprocess.run(
            [*exonc, "demo", "--no-serve"], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    first = run()
    assert "building the synthetic PREFERABLE-EFFECT trial" in first
    assert "coordinator" in first
    assert "exonc-coordinator" in first
    second = run()
    assert "reusing the demo database" in second
    with sqlite3.connect(tmp_path / "exonc.sqlite3") as db:
        assert db.execute("select count(*) from trial_participant").fetchone() == (357,)
        arms = dict(db.execute("select arm, count(*) from allocation_allocation group by arm"))
        assert set(arms) == {"exercise", "control"}
        assert db.execute("pragma journal_mode").fetchone() == ("wal",)

""" "Plan the next trial" from a lock: statisticians and administrators only (403 for
every other role), the stored power equals calling exonc.design directly with the same
seed (to the last digit), and bad input is a form error with nothing run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.test import Client
from django.utils import timezone

from exonc.design import simulate_power
from exonc.platform.accounts.models import Role, User
from exonc.platform.jobs.models import Job
from exonc.platform.reports.models import DataLock, PlanRun
from exonc.platform.trial.models import Centre, CentreMembership
from exonc.reports import load_plan, read_folder
from exonc.reports.planning import lock_design, plan_outcomes
from tests.platform.reports._pilot import write_pilot_lock

VALID = {
    "outcome": "c30_summary",
    "effect": "5",
    "alpha": "0.05",
    "n_per_arm": "20, 30",
    "sims": "6",
    "seed": "11",
}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lock(statistician: User, tmp_path: Path) -> DataLock:
    folder = write_pilot_lock(tmp_path / "lock")
    found = DataLock(
        locked_by=statistician,
        locked_at=timezone.now(),
        reason="pilot",
        folder=str(folder),
        manifest_sha256="0" * 64,
        tables={"participants": 40},
    )
    found.save()
    return found


@pytest.mark.django_db
def test_every_other_role_is_refused(centres: dict[str, Centre], lock: DataLock) -> None:
    plan = PlanRun.objects.create(lock=lock, started_by=lock.locked_by, params=VALID)
    others = (Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.MONITOR, Role.PATIENT)
    for role in others:
        user = User.objects.create_user(username=f"u-{role}", password="pw", role=role)
        if role != Role.PATIENT:
            CentreMembership.objects.create(user=user, centre=centres["NL-UTR"])
        client = _client(user)
        for method, url in [
            ("get", f"/reports/locks/{lock.pk}/plan/"),
            ("post", f"/reports/locks/{lock.pk}/plan/"),
            ("get", f"/reports/plans/{plan.pk}/"),
            ("get", f"/reports/plans/{plan.pk}/?format=json"),
            ("get", f"/reports/plans/{plan.pk}/power_curve.svg"),
        ]:
            response = getattr(client, method)(url, VALID if method == "post" else {})
            assert response.status_code == 403, (role, url, response.status_code)
    assert PlanRun.objects.count() == 1
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_statistician_and_administrator_see_the_form(
    statistician: User, administrator: User, lock: DataLock
) -> None:
    for user in (statistician, administrator):
        response = _client(user).get(f"/reports/locks/{lock.pk}/plan/")
        assert response.status_code == 200
        assert b"c30_summary" in response.content
    page = _client(statistician).get(f"/reports/locks/{lock.pk}/")
    assert f"/reports/locks/{lock.pk}/plan/".encode() in page.content


@pytest.mark.django_db
def test_a_plan_stores_the_same_power_as_exonc_design(
    statistician: User, lock: DataLock, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = _client(statistician)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/locks/{lock.pk}/plan/", VALID)
    assert response.status_code == 302
    run = PlanRun.objects.get()
    assert response["Location"] == f"/reports/plans/{run.pk}/"
    data = client.get(f"/reports/plans/{run.pk}/?format=json").json()
    result = data["result"]
    # the same design, estimated directly, and exonc.design with the same seed
    design = lock_design(
        read_folder(Path(lock.folder)),
        load_plan("preferable-effect").plan,
        "c30_summary",
        effect=5.0,
        alpha=0.05,
    )
    for row, n in zip(result["curve"], (20, 30), strict=True):
        direct = simulate_power(design, n, sims=6, seed=11)
        assert row["n_per_arm"] == n
        assert row["power"] == direct.power  # exactly: same numbers to the last digit
        assert row["mc_se"] == direct.mc_se
        assert row["failed"] == direct.failed
    assert result["estimated"]["visits"] == ["m3", "m6", "m9"]
    assert result["estimated"]["participants"] == 40
    assert result["design"]["outcomes"][0]["covariance"] == design.outcomes[0].covariance.tolist()
    assert result["estimated"]["dropout"] == list(design.dropout)
    page = client.get(f"/reports/plans/{run.pk}/")
    assert page.status_code == 200
    assert b"power_curve.svg" in page.content
    assert b'style="' not in page.content
    assert b"Estimated from the 40 participants" in page.content
    figure = client.get(f"/reports/plans/{run.pk}/power_curve.svg")
    assert figure.status_code == 200
    assert figure["Content-Type"] == "image/svg+xml"
    assert figure.content.startswith(b"<?xml")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("n_per_arm", "", "This field is required"),
        ("n_per_arm", "fifty, 100", "whole numbers"),
        ("n_per_arm", "250-50 step 25", "low ≤ high"),
        ("n_per_arm", "2, 50", "between 4 and 5000"),
        ("sims", "0", "greater than or equal to 1"),
        ("sims", "5000", "less than or equal to 2000"),
        ("effect", "", "This field is required"),
        ("effect", "large", "Enter a number"),
        ("outcome", "nonsense", "Select a valid choice"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_runs(
    statistician: User, lock: DataLock, field: str, value: str, words: str
) -> None:
    response = _client(statistician).post(f"/reports/locks/{lock.pk}/plan/", VALID | {field: value})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not PlanRun.objects.exists()
    assert not Job.objects.exists()


def test_a_lock_with_item_answers_offers_the_scored_outcomes(tmp_path: Path) -> None:
    """A real lock keeps the QLQ-C30 answers (q1..q30); the scales are scored to plan."""
    folder = write_pilot_lock(tmp_path / "lock")
    rng = np.random.default_rng(3)
    scores = pd.read_csv(folder / "csv" / "qlq_c30.csv")
    items = {f"q{i}": rng.integers(1, 5, len(scores)) for i in range(1, 29)}
    items |= {f"q{i}": rng.integers(1, 8, len(scores)) for i in (29, 30)}
    answers = pd.concat([scores[["participant_id", "visit"]], pd.DataFrame(items)], axis=1)
    answers.to_csv(folder / "csv" / "qlq_c30.csv", index=False)
    plan = load_plan("preferable-effect").plan
    names = [o.name for o in plan_outcomes(plan, read_folder(folder))]
    assert "c30_summary" in names
    assert "fa12_physical" not in names  # no QLQ-FA12 table in this lock
    design = lock_design(read_folder(folder), plan, "c30_summary", effect=5.0)
    assert design.visits == ("m3", "m6", "m9")

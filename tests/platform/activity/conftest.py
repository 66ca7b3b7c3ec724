"""Activity fixtures: a store and uploads folder per test, the Fitabase cuts, allocations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from exonc.platform.accounts.models import Role, User
from exonc.platform.activity.models import ActivityImport, Channel, DailyActivity, Origin
from exonc.platform.activity.services import ExportFile, Upload
from exonc.platform.allocation.models import Allocation, AllocationSequence
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import protocol_version

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "activity"
#: 12:00 in Utrecht on 2 May 2024.
NOW = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.UTC)
#: Fitabase Id of the cut participant; NL-UTR-001's tracker in these tests.
TRACKER = "1503960366"
FIRST = (
    "minuteIntensitiesWide_1503960366_0420-0422.csv",
    "minuteStepsWide_1503960366_0420-0422.csv",
)
LATER = (
    "minuteIntensitiesWide_1503960366_0422-0423.csv",
    "minuteStepsWide_1503960366_0422-0423.csv",
)
OTHER = "minuteStepsWide_1624580081_0420.csv"
DAILY = "dailyActivity_1503960366_0420-0423.csv"


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    """A fresh minute store and uploads folder for every test (the database rolls back)."""
    settings.EXONC = dataclasses.replace(settings.EXONC, var_dir=tmp_path)
    return tmp_path


def export(*names: str) -> list[ExportFile]:
    return [ExportFile(name, io.BytesIO((REFERENCE / name).read_bytes())) for name in names]


def upload(*names: str, fmt: str = "fitabase", tracker_id: str = TRACKER, **extra: str) -> Upload:
    return Upload(format=fmt, files=export(*names), tracker_id=tracker_id, **extra)


def uploaded_files(var: Path) -> list[Path]:
    return sorted(p for p in (var / "uploads").rglob("*") if p.is_file())


def allocate(participant: Participant, arm: str, on: dt.date, by: User) -> Allocation:
    """Record an allocation directly (the allocation app's own tests cover randomising)."""
    source = AllocationSequence.objects.first() or AllocationSequence.objects.create(
        purpose="test",
        kind="list",
        content="-",
        sha256="0" * 64,
        origin="activity tests",
        protocol_version=protocol_version(),
        loaded_by=by,
        loaded_at=NOW,
    )
    number = Allocation.objects.count() + 1
    return Allocation.objects.create(
        participant=participant,
        arm=arm,
        stratum="activity tests",
        method="blocks",
        sequence=number,
        source=source,
        purpose="test",
        list_position=number,
        allocated_at=dt.datetime.combine(on, dt.time(9), tzinfo=ZoneInfo("Europe/Amsterdam")),
        allocated_on=on,
        allocated_by=by,
        protocol_version=source.protocol_version,
    )


Day = tuple[int, int]  # (wear minutes, active minutes)


def add_days(participant: Participant, first: dt.date, days: Sequence[Day], by: User) -> None:
    """Daily rows from *first* on: each (wear, active); valid at 600 worn minutes, goal at 30."""
    record = ActivityImport.objects.create(
        participant=participant,
        format="synthetic",
        channel=Channel.DEMO,
        imported_by=by,
        imported_at=timezone.now(),
    )
    DailyActivity.objects.bulk_create(
        DailyActivity(
            participant=participant,
            date=first + dt.timedelta(days=i),
            wear_minutes=wear,
            sedentary_minutes=wear - active,
            light_minutes=0,
            moderate_minutes=active,
            vigorous_minutes=0,
            active_minutes=active,
            steps=100 * active,
            valid_day=wear >= 600,
            goal_met=active >= 30,
            origin=Origin.DEMO,
            activity_import=record,
            updated_at=timezone.now(),
        )
        for i, (wear, active) in enumerate(days)
    )


@pytest.fixture
def clinician(centres: dict[str, object]) -> User:
    from exonc.platform.trial.models import CentreMembership

    user = User.objects.create_user(username="clin-utr", password="pw", role=Role.CLINICIAN)
    CentreMembership.objects.create(user=user, centre=centres["NL-UTR"])  # type: ignore[misc]
    return user


MakePatient = Callable[[Participant], User]


@pytest.fixture
def make_patient(coordinator: User) -> MakePatient:
    from exonc.platform import audit

    def _make(participant: Participant) -> User:
        user = User.objects.create_user(
            username=f"pat-{participant.study_id}", password="pw", role=Role.PATIENT
        )
        participant.user = user
        audit.save(participant, coordinator, "patient login")
        return user

    return _make

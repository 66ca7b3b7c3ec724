"""Small builders for the exercise tests (no expected values live here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from exonc.exercise import (
    CardiopulmonaryTest,
    Laterality,
    Lesion,
    LesionType,
    MultipleRMTest,
    ParticipantState,
    Sex,
    Site,
    SteepRampTest,
    TestContext,
)

START = dt.date(2024, 1, 8)  # a Monday; programme week 1 starts here
BASELINE = dt.date(2024, 1, 3)


def ctx(day: dt.date = BASELINE, tester: str = "J. Smit") -> TestContext:
    return TestContext(day, tester, "ergometer and machines of the test centre")


def baseline_tests(day: dt.date = BASELINE) -> tuple[Any, ...]:
    """SRT 250 W, CPET Wpeak 160 W and a multiple-RM test on every PREFERABLE machine."""
    c = ctx(day)
    return (
        SteepRampTest(c, 250.0),
        CardiopulmonaryTest(c, 160.0),
        MultipleRMTest(c, "leg_press", 60.0, 8),
        MultipleRMTest(c, "leg_curl", 20.0, 10),
        MultipleRMTest(c, "leg_extension", 25.0, 10),
        MultipleRMTest(c, "chest_press", 25.0, 10, "epley"),
        MultipleRMTest(c, "seated_row", 30.0, 8),
        MultipleRMTest(c, "lat_pulldown", 30.0, 8),
    )


def lesion(site: Site, lesion_id: str = "L1", **kwargs: Any) -> Lesion:
    kwargs.setdefault("laterality", Laterality.LEFT)
    kwargs.setdefault("lesion_type", LesionType.BLASTIC)
    kwargs.setdefault("imaging_date", dt.date(2023, 12, 1))
    return Lesion(lesion_id, site, **kwargs)


def state(**kwargs: Any) -> ParticipantState:
    values: dict[str, Any] = {
        "participant_id": "P001",
        "centre": "UMCU",
        "start_date": START,
        "sex": Sex.FEMALE,
        "birth_date": dt.date(1970, 5, 1),
        "height_cm": 165.0,
        "tests": baseline_tests(),
    }
    values.update(kwargs)
    return ParticipantState(**values)


def week_day(week: int, weekday: int = 0) -> dt.date:
    """The date of *weekday* (0 = Monday) in programme *week*."""
    return START + dt.timedelta(days=7 * (week - 1) + weekday)

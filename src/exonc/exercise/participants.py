"""What the prescription engine knows about one participant.

:class:`ParticipantState` gathers the person (sex, date of birth, height), the programme
start date, the fitness tests, the lesion register, the clinicians' overrides, the symptom
flags and the session logs. The platform builds one from its database; the command line
reads one from a participant file (:func:`exonc.exercise.load_participant`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exonc.exercise import _checks
from exonc.exercise.anatomy import Sex
from exonc.exercise.fitness_tests import FitnessTest
from exonc.exercise.lesions import Lesion
from exonc.exercise.safety import Override
from exonc.exercise.sessions import SessionLog, SymptomFlag

__all__ = ["ParticipantState"]


@dataclass(frozen=True)
class ParticipantState:
    participant_id: str
    centre: str
    start_date: dt.date
    sex: Sex
    birth_date: dt.date
    height_cm: float
    tests: tuple[FitnessTest, ...] = ()
    lesions: tuple[Lesion, ...] = ()
    overrides: tuple[Override, ...] = ()
    flags: tuple[SymptomFlag, ...] = ()
    sessions: tuple[SessionLog, ...] = ()

    def __post_init__(self) -> None:
        _checks.text(self.participant_id, key="participant_id", hint="give the study ID")
        _checks.in_range(
            self.height_cm, 100, 230, key="height_cm", unit="cm", hint="give the height in cm"
        )
        _checks.require(
            self.birth_date < self.start_date,
            "the date of birth is not before the start date",
            key="birth_date",
            value=self.birth_date.isoformat(),
            hint="check both dates",
        )
        ids = [lesion.id for lesion in self.lesions]
        duplicate = next((i for i in ids if ids.count(i) > 1), None)
        _checks.require(
            duplicate is None,
            "two lesions share an identifier",
            key="lesions",
            value=duplicate,
            hint="give every lesion its own id",
        )
        for override in self.overrides:
            _checks.require(
                override.lesion_id in ids,
                "the override names a lesion that is not in the register",
                key="overrides",
                value=override.lesion_id,
                hint=f"use one of {', '.join(ids) or '(no lesions recorded)'}",
            )
        for log in self.sessions:
            _checks.require(
                log.participant_id == self.participant_id,
                "a session log belongs to another participant",
                key="sessions",
                value=log.participant_id,
                hint=f"keep only the sessions of {self.participant_id}",
            )

    def week_on(self, day: dt.date) -> int:
        """Programme week of *day* (week 1 starts on the start date; before it: 0 or less)."""
        return (day - self.start_date).days // 7 + 1

    def open_flags(self, day: dt.date) -> tuple[SymptomFlag, ...]:
        return tuple(flag for flag in self.flags if flag.open_on(day))

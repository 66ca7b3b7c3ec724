"""Session logs, symptom check-ins, symptom flags and adverse events.

These are the records a physiotherapist makes on the tablet. They validate themselves: a
missed session needs a reason, a modification needs its reason, pain is 0–10, RPE is on the
CR-10 scale (0–10), and a log or adverse event dated after today is refused
(:meth:`SessionLog.check_not_future`, with today's date passed in explicitly).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from exonc._i18n import N_
from exonc.exercise import _checks
from exonc.exercise.one_rep_max import MAX_PLAUSIBLE_LOAD_KG

__all__ = [
    "AdverseEvent",
    "AdverseEventOutcome",
    "Attendance",
    "DeliveredAerobic",
    "DeliveredBalance",
    "DeliveredResistance",
    "DeliveredSet",
    "Relatedness",
    "SessionLog",
    "Setting",
    "SymptomCheckIn",
    "SymptomFlag",
    "SymptomKind",
    "flags_from_check_in",
]


class Setting(enum.StrEnum):
    SUPERVISED = "supervised"
    HOME = "home"


class Attendance(enum.StrEnum):
    ATTENDED = "attended"  # supervised session attended
    MISSED = "missed"  # supervised session missed (reason required)
    HOME_DONE = "home_done"
    HOME_NOT_DONE = "home_not_done"


class SymptomKind(enum.StrEnum):
    """Check-in answers that open a flag (stop progression, notify the clinician)."""

    BONE_PAIN = "new_or_worse_bone_pain"
    NEUROLOGICAL = "neurological_signs"
    FEVER = "fever"
    CHEST_PAIN = "chest_pain"
    DIZZINESS = "dizziness"


#: Each symptom in a patient's words (marked for translation; the platform translates it).
SYMPTOM_NAMES: dict[SymptomKind, str] = {
    SymptomKind.BONE_PAIN: N_("new or worse bone pain"),
    SymptomKind.NEUROLOGICAL: N_("neurological signs"),
    SymptomKind.FEVER: N_("fever"),
    SymptomKind.CHEST_PAIN: N_("chest pain"),
    SymptomKind.DIZZINESS: N_("dizziness"),
}


class Relatedness(enum.StrEnum):
    NOT_RELATED = "not_related"
    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    PROBABLE = "probable"
    DEFINITE = "definite"


class AdverseEventOutcome(enum.StrEnum):
    RECOVERED = "recovered"
    RECOVERING = "recovering"
    NOT_RECOVERED = "not_recovered"
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae"
    FATAL = "fatal"
    UNKNOWN = "unknown"


def _rpe(value: float | None) -> None:
    if value is not None:
        _checks.in_range(value, 0, 10, key="rpe", unit="", hint="RPE is on the CR-10 scale, 0–10")


def _pain(value: int | None) -> None:
    if value is not None:
        _checks.require(
            isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10,
            "pain must be a whole number from 0 to 10",
            key="pain",
            value=value,
            hint="use the 0–10 numeric rating scale",
        )


def _modification(description: str, reason: str) -> None:
    _checks.require(
        not description.strip() or bool(reason.strip()),
        "a modification needs its reason",
        key="modification_reason",
        value=reason,
        hint="say why the exercise was modified",
    )


@dataclass(frozen=True)
class DeliveredSet:
    reps: int
    load_kg: float

    def __post_init__(self) -> None:
        _checks.require(
            isinstance(self.reps, int)
            and not isinstance(self.reps, bool)
            and 0 <= self.reps <= 100,
            "repetitions must be a whole number from 0 to 100",
            key="reps",
            value=self.reps,
            hint="count the repetitions done in the set",
        )
        _checks.in_range(
            self.load_kg,
            0,
            MAX_PLAUSIBLE_LOAD_KG,
            key="load_kg",
            unit="kg",
            hint="give the load in kg",
        )


@dataclass(frozen=True)
class DeliveredResistance:
    exercise: str
    sets: tuple[DeliveredSet, ...]
    rpe: float | None = None
    pain: int | None = None
    modification: str = ""
    modification_reason: str = ""

    def __post_init__(self) -> None:
        _checks.text(self.exercise, key="exercise", hint="name the exercise")
        _rpe(self.rpe)
        _pain(self.pain)
        _modification(self.modification, self.modification_reason)

    @property
    def volume_load_kg(self) -> float:
        return sum(s.reps * s.load_kg for s in self.sets)

    @property
    def total_reps(self) -> int:
        return sum(s.reps for s in self.sets)


@dataclass(frozen=True)
class DeliveredAerobic:
    """Bouts done (intervals, or 1 for continuous work), their length and the mean watts."""

    exercise: str
    bouts: int
    bout_seconds: int
    watts: float
    rpe: float | None = None
    pain: int | None = None
    modification: str = ""
    modification_reason: str = ""

    def __post_init__(self) -> None:
        _checks.text(self.exercise, key="exercise", hint="name the exercise")
        _checks.in_range(self.bouts, 0, 100, key="bouts", unit="", hint="count the bouts done")
        _checks.in_range(
            self.bout_seconds, 0, 7200, key="bout_seconds", unit="s", hint="give the bout length"
        )
        _checks.in_range(self.watts, 0, 2000, key="watts", unit="W", hint="give the mean watts")
        _rpe(self.rpe)
        _pain(self.pain)
        _modification(self.modification, self.modification_reason)

    @property
    def work_kj(self) -> float:
        return self.bouts * self.bout_seconds * self.watts / 1000.0


@dataclass(frozen=True)
class DeliveredBalance:
    exercise: str
    minutes: float
    modification: str = ""
    modification_reason: str = ""

    def __post_init__(self) -> None:
        _checks.in_range(
            self.minutes, 0, 600, key="minutes", unit="min", hint="give the minutes done"
        )
        _modification(self.modification, self.modification_reason)


@dataclass(frozen=True)
class SymptomCheckIn:
    """The symptom questions asked before every session (tests/reference/domain.md §5.3)."""

    new_or_worse_bone_pain: bool = False
    neurological_signs: bool = False
    fever: bool = False
    chest_pain: bool = False
    dizziness: bool = False
    note: str = ""

    def raised(self) -> tuple[SymptomKind, ...]:
        return tuple(kind for kind in SymptomKind if getattr(self, kind.value))


@dataclass(frozen=True)
class SymptomFlag:
    """An open (or closed) symptom flag; while open, progression is held."""

    kind: SymptomKind
    opened: dt.date
    closed: dt.date | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.closed is not None:
            _checks.require(
                self.closed >= self.opened,
                "the flag is closed before it was opened",
                key="closed",
                value=self.closed.isoformat(),
                hint="give a closing date on or after the opening date",
            )

    def open_on(self, day: dt.date) -> bool:
        return self.opened <= day and (self.closed is None or day < self.closed)


def flags_from_check_in(check_in: SymptomCheckIn, day: dt.date) -> tuple[SymptomFlag, ...]:
    """The flags a check-in on *day* opens (one per symptom raised)."""
    return tuple(SymptomFlag(kind, day, None, check_in.note) for kind in check_in.raised())


@dataclass(frozen=True)
class SessionLog:
    """One scheduled session: attendance and what was delivered."""

    participant_id: str
    date: dt.date
    setting: Setting
    attendance: Attendance
    missed_reason: str = ""
    aerobic: DeliveredAerobic | None = None
    resistance: tuple[DeliveredResistance, ...] = ()
    balance: DeliveredBalance | None = None
    check_in: SymptomCheckIn | None = None
    logged_by: str = ""

    def __post_init__(self) -> None:
        _checks.text(self.participant_id, key="participant_id", hint="name the participant")
        expected = (
            (Attendance.ATTENDED, Attendance.MISSED)
            if self.setting is Setting.SUPERVISED
            else (Attendance.HOME_DONE, Attendance.HOME_NOT_DONE)
        )
        _checks.require(
            self.attendance in expected,
            f"a {self.setting.value} session is {' or '.join(a.value for a in expected)}",
            key="attendance",
            value=self.attendance.value,
            hint="check the session's setting and attendance",
        )
        if not self.took_place:
            _checks.require(
                self.attendance is Attendance.HOME_NOT_DONE or bool(self.missed_reason.strip()),
                "a missed session needs its reason",
                key="missed_reason",
                value=self.missed_reason,
                hint="say why the session was missed",
            )
            _checks.require(
                self.aerobic is None and not self.resistance and self.balance is None,
                "a session that did not take place cannot have delivered exercise",
                key="attendance",
                value=self.attendance.value,
                hint="record the session as attended, or remove the exercises",
            )

    @property
    def took_place(self) -> bool:
        return self.attendance in (Attendance.ATTENDED, Attendance.HOME_DONE)

    def check_not_future(self, today: dt.date) -> None:
        """Refuse a session logged for a date after *today*."""
        _checks.not_future(self.date, today, key="date", what="the session")

    def delivered(self, exercise: str) -> DeliveredResistance | None:
        return next((r for r in self.resistance if r.exercise == exercise), None)


@dataclass(frozen=True)
class AdverseEvent:
    """An adverse event graded with CTCAE (1 mild … 5 death)."""

    participant_id: str
    onset: dt.date
    description: str
    grade: int
    serious: bool
    relatedness: Relatedness
    outcome: AdverseEventOutcome
    session_date: dt.date | None = None

    def __post_init__(self) -> None:
        _checks.text(self.description, key="description", hint="describe the event")
        _checks.require(
            isinstance(self.grade, int)
            and not isinstance(self.grade, bool)
            and 1 <= self.grade <= 5,
            "the CTCAE grade must be a whole number from 1 to 5",
            key="grade",
            value=self.grade,
            hint=("grade with CTCAE v5: 1 mild, 2 moderate, 3 severe, 4 life-threatening, 5 death"),
        )
        fatal = self.outcome is AdverseEventOutcome.FATAL
        _checks.require(
            fatal == (self.grade == 5) and (self.serious or self.grade < 5),
            "CTCAE grade 5 (death) goes with outcome 'fatal' and serious = yes, and only it does",
            key="grade",
            value=self.grade,
            hint="check the grade, the outcome and the seriousness",
        )

    def check_not_future(self, today: dt.date) -> None:
        _checks.not_future(self.onset, today, key="onset", what="the adverse event")

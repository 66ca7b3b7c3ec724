"""What the engine knows about one participant, built from the database.

:func:`load` gathers the participant's stored tests, lesions (with the clearance valid on
the day), overrides, symptom flags and session logs into an :class:`exonc.exercise.
ParticipantState`, with her centre's programme, equipment, rules and equation, and her
stored prescription versions. Services and pages ask it for the version in force on a day
and for the session plan of that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from exonc import exercise as ex
from exonc.errors import TrialStateError
from exonc.platform.exercise import config, convert
from exonc.platform.exercise.models import (
    EXERCISE_ARM,
    ExerciseProfile,
    Lesion,
    PrescriptionVersion,
    SessionLog,
)
from exonc.platform.trial.models import Participant, Sex

#: exonc stores birth years only (pseudonymisation): ages are counted from 1 July.
MID_YEAR = (7, 1)


@dataclass(frozen=True)
class Context:
    """One participant as the engine needs her on one day."""

    participant: Participant
    profile: ExerciseProfile
    state: ex.ParticipantState
    programme: ex.Programme
    equipment: ex.Equipment
    rules: ex.SafetyRules
    equation: ex.WpeakEquation | None
    versions: tuple[PrescriptionVersion, ...]

    @property
    def latest(self) -> PrescriptionVersion | None:
        return self.versions[-1] if self.versions else None

    def latest_prescription(self) -> ex.Prescription:
        latest = self.latest
        if latest is None:
            raise TrialStateError(
                _("%(study_id)s has no prescription yet") % {"study_id": self.participant.study_id}
            )
        return convert.domain_prescription(latest, self.participant.study_id)

    def in_force(self, day: dt.date) -> PrescriptionVersion:
        """The prescription version in force on *day* (the last one effective by then)."""
        found = [v for v in self.versions if v.effective <= day]
        if not found:
            raise TrialStateError(
                f"{self.participant.study_id} has no prescription in force on {day.isoformat()}; "
                f"her programme starts on {self.profile.start_date.isoformat()}"
            )
        return found[-1]

    def restrictions(self, day: dt.date) -> tuple[ex.Restriction, ...]:
        return ex.assess_lesions(self.state.lesions, self.rules, day)

    def plan(self, day: dt.date, setting: ex.Setting = ex.Setting.SUPERVISED) -> ex.SessionPlan:
        """The engine's session plan for *day*, from the version in force."""
        version = convert.domain_prescription(self.in_force(day), self.participant.study_id)
        return ex.plan_session(
            self.programme,
            version,
            self.state,
            day,
            equipment=self.equipment,
            rules=self.rules,
            setting=setting,
        )

    def with_records(
        self,
        *,
        tests: tuple[ex.FitnessTest, ...] = (),
        sessions: tuple[ex.SessionLog, ...] = (),
        flags: tuple[ex.SymptomFlag, ...] = (),
    ) -> Context:
        """The same context with records about to be saved added to the state."""
        state = replace(
            self.state,
            tests=self.state.tests + tests,
            sessions=self.state.sessions + sessions,
            flags=self.state.flags + flags,
        )
        return replace(self, state=state)


def in_exercise_arm(participant: Participant) -> bool:
    allocation = getattr(participant, "allocation", None)
    return allocation is not None and allocation.arm == EXERCISE_ARM


def require_exercise_arm(participant: Participant) -> None:
    allocation = getattr(participant, "allocation", None)
    if allocation is None:
        raise TrialStateError(
            _("%(study_id)s is not randomised yet") % {"study_id": participant.study_id}
        )
    if allocation.arm != EXERCISE_ARM:
        raise TrialStateError(
            f"{participant.study_id} is in the {allocation.arm} arm, not the exercise arm; "
            "only exercise-arm participants have a programme"
        )


def profile_of(participant: Participant) -> ExerciseProfile:
    profile = ExerciseProfile.objects.filter(participant=participant).first()
    if profile is None:
        raise TrialStateError(
            f"{participant.study_id}'s programme has not started; start it first "
            "(start date and height)"
        )
    return profile


def load(participant: Participant, on: dt.date, profile: ExerciseProfile | None = None) -> Context:
    """The participant's engine context, with the lesion clearances valid on *on*."""
    profile = profile or profile_of(participant)
    stored = config.configuration(participant.centre)
    lesions, overrides = register(participant, on)
    state = ex.ParticipantState(
        participant_id=participant.study_id,
        centre=participant.centre.code,
        start_date=profile.start_date,
        sex=ex.Sex.MALE if participant.sex == Sex.MALE else ex.Sex.FEMALE,
        birth_date=dt.date(participant.birth_year, *MID_YEAR),
        height_cm=profile.height_cm,
        tests=tuple(convert.domain_test(t) for t in participant.fitness_tests.all()),
        lesions=lesions,
        overrides=overrides,
        flags=tuple(convert.domain_flag(f) for f in participant.symptom_flags.all()),
        sessions=_sessions(participant),
    )
    return Context(
        participant=participant,
        profile=profile,
        state=state,
        programme=config.programme(profile.programme),
        equipment=config.equipment(participant.centre, stored),
        rules=config.rules(participant.centre, stored),
        equation=config.equation(participant.centre, stored),
        versions=tuple(participant.prescriptions.order_by("version")),
    )


def register(
    participant: Participant, on: dt.date
) -> tuple[tuple[ex.Lesion, ...], tuple[ex.Override, ...]]:
    """The lesion register (clearances valid on *on*) and every override, as the engine's."""
    rows = Lesion.objects.filter(participant=participant).prefetch_related(
        "clearances", "overrides"
    )
    lesions: list[ex.Lesion] = []
    overrides: list[ex.Override] = []
    for row in rows:
        lesions.append(convert.domain_lesion(row, row.clearances.all(), on))
        overrides.extend(convert.domain_override(o, row.label) for o in row.overrides.all())
    return tuple(lesions), tuple(overrides)


def _sessions(participant: Participant) -> tuple[ex.SessionLog, ...]:
    rows = SessionLog.objects.filter(participant=participant).defer("plan")
    return tuple(convert.domain_log(row, participant.study_id) for row in rows)

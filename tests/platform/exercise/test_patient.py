"""The patient's plan: what she sees before, during and after her programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import Role, User
from exonc.platform.exercise import session_services as sessions
from exonc.platform.exercise.models import ExerciseProfile
from exonc.platform.exercise.patient import patient_today
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from tests.platform.exercise.conftest import make_user, session

pytestmark = pytest.mark.django_db


def _login(participant: Participant) -> User:
    user = make_user(f"pat-{participant.study_id}", Role.PATIENT, [])
    participant.user = user
    participant.save()
    return user


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def test_before_during_and_after_the_programme(started: ExerciseProfile, physio: User) -> None:
    patient = _login(started.participant)
    assert patient_today(patient, _at(dt.date(2024, 3, 1))).status == "not_started"
    during = patient_today(patient, _at(dt.date(2024, 5, 2)))
    assert (during.status, during.week) == ("plan", 9)
    assert during.steps[0].lines[1] == (
        "Then 8 times: 1 minute hard at 160 watts, followed by 1 minute easy at 30 watts."
    )
    assert "Leg press: 3 sets of 10 to 12 repetitions, with 52.5 kg" in during.steps[1].lines
    assert patient_today(patient, _at(dt.date(2025, 1, 1))).status == "finished"


def test_an_open_flag_is_explained(started: ExerciseProfile, physio: User) -> None:
    patient = _login(started.participant)
    day = dt.date(2024, 5, 2)
    sessions.log_session(
        physio,
        started.participant,
        session(day, check_in={"new_or_worse_bone_pain": True}),
        today=day,
    )
    today = patient_today(patient, _at(day))
    assert today.flags == [
        "You reported new or worse bone pain on 2 May. Your exercises will not get harder "
        "until your doctor has checked. Tell your physiotherapist how you feel."
    ]


def test_control_arm_withdrawn_and_staff(
    control: Participant, started: ExerciseProfile, coordinator: User, physio: User
) -> None:
    assert patient_today(_login(control), _at(dt.date(2024, 5, 2))).status == "no_programme"
    member = started.participant
    trial_services.withdraw(
        coordinator, member, withdrawn_on=dt.date(2024, 5, 1), kind="intervention", reason="tired"
    )
    assert patient_today(_login(member), _at(dt.date(2024, 5, 2))).status == "stopped"
    with pytest.raises(AccessDenied):
        patient_today(physio, _at(dt.date(2024, 5, 2)))

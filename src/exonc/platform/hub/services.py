"""The patient hub's content, composed from the apps that own each part (read only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exonc.platform.accounts.models import User
from exonc.platform.activity.week import YourWeek, your_week
from exonc.platform.exercise.patient import PatientToday, patient_today
from exonc.platform.outcomes.patient import MyQuestionnaires, my_questionnaires, own_participant


@dataclass(frozen=True)
class PatientHub:
    study_id: str
    questionnaires: MyQuestionnaires
    today: PatientToday
    week: YourWeek

    @property
    def questionnaires_to_do(self) -> int:
        return sum(
            1
            for visit in self.questionnaires.visits
            for line in visit.instruments
            if line.status != "submitted"
        )


def patient_hub(user: User, now: dt.datetime) -> PatientHub:
    """Everything the signed-in patient needs today (refused for anyone else)."""
    participant = own_participant(user)
    return PatientHub(
        study_id=participant.study_id,
        questionnaires=my_questionnaires(user, now),
        today=patient_today(user, now),
        week=your_week(user, now),
    )

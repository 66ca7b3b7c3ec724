"""What a participant's page offers next, and the small pieces the trial forms share.

:func:`next_steps` turns where the participant stands (screened? consented? randomised?
visits open?) into the actions the signed-in user may take — a coordinator sees "Record
consent", a monitor sees none of the writing steps — and links to her records in every
area the user may read, so that no button leads to a refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from exonc.platform.accounts.models import READ_ONLY_ROLES, Role, User
from exonc.platform.trial import forms, services
from exonc.platform.trial.models import Participant, Visit

#: Roles that read participant records of their centres (administrators always may).
READERS = (
    Role.COORDINATOR,
    Role.PHYSIOTHERAPIST,
    Role.CLINICIAN,
    Role.STATISTICIAN,
    *READ_ONLY_ROLES,
)
#: Forms that more roles than the coordinator may use, by template.
EXTRA_ROLES = {"trial/visit.html": (Role.PHYSIOTHERAPIST,)}
VISIT_RECORDERS = (*services.ENROLLING, Role.PHYSIOTHERAPIST)


def may(user: User, roles: Iterable[Role]) -> bool:
    """Whether *user* has one of *roles* (administrators always do)."""
    return user.is_superuser or user.role == Role.ADMINISTRATOR or user.role in set(roles)


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class NextSteps:
    actions: list[Step]
    areas: list[Step]


def next_steps(user: User, p: Participant) -> NextSteps:
    """The actions *user* may take on *p* now, and her records in the other areas."""
    return NextSteps(actions=_actions(user, p), areas=_areas(user, p))


def _url(name: str, p: Participant, *more: str) -> str:
    return reverse(name, args=[p.study_id, *more])


def _actions(user: User, p: Participant) -> list[Step]:
    steps: list[Step] = []
    withdrawn = hasattr(p, "withdrawal")
    if may(user, services.ENROLLING) and not withdrawn:
        steps.extend(_enrolment_steps(p))
    if may(user, VISIT_RECORDERS):
        today = services.centre_today(p.centre)
        steps.extend(
            Step(_("Record visit %(code)s") % {"code": v.code}, _url("visit", p, v.code), True)
            for v in p.visits.all()
            if v.window_start <= today and v.completed_on is None and not v.missed_reason
        )
    if may(user, services.ENROLLING):
        steps.append(Step(_("Correct baseline data"), _url("baseline", p)))
        if not withdrawn:
            steps.append(Step(_("Record a withdrawal"), _url("withdraw", p)))
    if may(user, (Role.MONITOR,)):
        steps.append(
            Step(_("Raise a query"), reverse("queries:new") + f"?participant={p.study_id}")
        )
    return steps


def _enrolment_steps(p: Participant) -> list[Step]:
    latest = p.screenings.order_by("-screened_on", "-id").first()
    consented = p.consents.filter(withdrawn_on__isnull=True).exists()
    randomised = hasattr(p, "allocation")
    screen = Step(_("Screen eligibility"), _url("screen", p), latest is None)
    if latest is None:
        return [screen]
    if not latest.eligible:
        return [Step(_("Screen again"), _url("screen", p), True)]
    if not consented:
        return [Step(_("Record consent"), _url("consent", p), True)]
    if not randomised:
        return [Step(_("Randomise…"), _url("randomise", p), True)]
    return [Step(_("Record a re-consent"), _url("consent", p))]


def _areas(user: User, p: Participant) -> list[Step]:
    from exonc.platform.activity.participant import VIEWERS as ACTIVITY
    from exonc.platform.economics.pages import STAFF as ECONOMICS
    from exonc.platform.exercise.record import STAFF as EXERCISE

    areas = [
        (READERS, _("Questionnaires"), "participant-questionnaires"),
        (EXERCISE, _("Exercise programme"), "exercise:participant"),
        (ACTIVITY, _("Activity"), "participant-activity"),
        (ECONOMICS, _("Resource use"), "economics:participant"),
    ]
    if hasattr(p, "allocation"):
        areas.append((READERS, _("Allocation"), "allocation"))
    return [Step(label, _url(name, p)) for roles, label, name in areas if may(user, roles)]


# ------------------------------------------------------------------ form helpers


def visit_initial(visit: Visit, today: dt.date) -> dict[str, Any]:
    if visit.missed_reason:
        return {"outcome": "missed", "missed_reason": visit.missed_reason}
    return {
        "outcome": "completed",
        "completed_on": visit.completed_on or min(today, visit.window_end),
    }


def record_visit_outcome(
    user: User, visit: Visit, d: Mapping[str, Any], *, today: dt.date
) -> Visit:
    """Call the service for the outcome chosen on the visit form."""
    if d["outcome"] == "missed":
        return services.record_missed_visit(
            user, visit, missed_reason=d["missed_reason"], today=today, reason=d["reason"]
        )
    if d["completed_on"] is None:
        from exonc.errors import InputError

        raise InputError("is empty", column="completed_on", hint="give the date the visit was done")
    return services.complete_visit(
        user, visit, completed_on=d["completed_on"], today=today, reason=d["reason"]
    )


def baseline_initial(p: Participant) -> dict[str, Any]:
    return {
        "birth_year": p.birth_year,
        "line_of_treatment": p.line_of_treatment,
        "metastatic_sites": list(p.metastatic_sites),
        "bone_metastases": forms.tri_state_initial(p.bone_metastases),
        "ecog": p.ecog,
        "baseline_pain": forms.tri_state_initial(p.baseline_pain),
    }


def changed(values: Mapping[str, Any], p: Participant) -> dict[str, Any]:
    """The baseline values that differ from what is stored."""
    return {name: value for name, value in values.items() if getattr(p, name) != value}

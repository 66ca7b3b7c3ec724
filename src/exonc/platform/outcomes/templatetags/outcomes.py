"""Template tags that put questionnaire completion on the trial's pages.

``{% visit_questionnaires data.study_id %}`` (participant page) and
``{% questionnaire_overview %}`` (home page) render this app's status data, so the trial
app needs no knowledge of questionnaires.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.outcomes import patient, status
from exonc.platform.trial.models import Participant

register = template.Library()


@register.filter
def score(value: float | None, code: str = "") -> str:
    """A score for reading: index values to 3 decimals, scale scores to 1; a dash if unscored."""
    if value is None:
        return "—"
    return f"{value:.3f}" if code == "utility" else f"{value:.1f}"


@register.inclusion_tag("outcomes/_visit_questionnaires.html", takes_context=True)
def visit_questionnaires(context: dict[str, Any], study_id: str) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User) or user.role == Role.PATIENT:
        return {"data": None}
    found = access.scope(Participant.objects.select_related("centre"), user).filter(
        study_id=study_id
    )
    participant = found.first()
    data = status.participant_questionnaires(participant, timezone.now()) if participant else None
    return {"data": data}


@register.inclusion_tag("outcomes/_overview.html", takes_context=True)
def questionnaire_overview(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User):
        return {"data": None, "mine": None}
    if user.role == Role.PATIENT:
        return {"data": None, "mine": patient.my_questionnaires(user, timezone.now())}
    return {"data": status.overview(user, timezone.now()), "mine": None}

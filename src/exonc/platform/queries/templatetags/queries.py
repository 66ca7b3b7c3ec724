"""``{% open_queries %}`` (home page: open queries per centre with their age) and
``{% participant_queries study_id %}`` (a participant's queries), so that the trial app
needs no knowledge of queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from exonc.platform.accounts.models import Role, User
from exonc.platform.queries import pages

register = template.Library()


def _staff(context: dict[str, Any]) -> User | None:
    user = context["request"].user
    if not isinstance(user, User) or user.role in (Role.PATIENT, Role.STATISTICIAN):
        return None
    return user


@register.inclusion_tag("queries/_centres.html", takes_context=True)
def open_queries(context: dict[str, Any]) -> dict[str, Any]:
    user = _staff(context)
    return {"centres": pages.per_centre(user, timezone.now()) if user else None}


@register.inclusion_tag("queries/_participant.html", takes_context=True)
def participant_queries(context: dict[str, Any], study_id: str) -> dict[str, Any]:
    user = _staff(context)
    if user is None:
        return {"rows": None}
    found = pages.visible(user).filter(participant__study_id=study_id)
    now = timezone.now()
    return {"rows": [pages.line(q, now) for q in found], "study_id": study_id}

"""Lockouts as administrators see them, the audited unlock, and the event record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied, InputError
from exonc.platform.accounts.models import Role, User
from exonc.platform.audit import require_reason
from exonc.platform.security.models import EventKind, SecurityEvent


def record(
    kind: EventKind,
    *,
    username: str = "",
    ip_address: str | None = None,
    by: User | None = None,
    reason: str = "",
) -> SecurityEvent:
    """Append one security event."""
    return SecurityEvent.objects.create(
        kind=kind, username=username, ip_address=ip_address or None, by=by, reason=reason
    )


def require_administrator(user: User) -> None:
    if not (user.role == Role.ADMINISTRATOR or user.is_superuser):
        raise AccessDenied(_("only administrators manage sign-in lockouts"))


@dataclass(frozen=True)
class Lockout:
    """A user name locked for an address, and until when."""

    id: int
    username: str
    ip_address: str | None
    failures: int
    last_failure: datetime
    until: datetime


def lockouts(user: User) -> list[Lockout]:
    """The lockouts in force now (a user name locked for an address)."""
    require_administrator(user)
    cooloff = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cooloff
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    return [
        Lockout(
            id=a.pk,
            username=a.username or "",
            ip_address=a.ip_address,
            failures=a.failures_since_start,
            last_failure=a.attempt_time,
            until=a.attempt_time + cooloff,
        )
        for a in attempts
    ]


def unlock(user: User, lockout_id: int, reason: str) -> Lockout:
    """Lift a lockout before its cool-off ends; recorded with who and why."""
    require_administrator(user)
    reason = require_reason(reason, _("a lockout"))
    found = {lock.id: lock for lock in lockouts(user)}.get(lockout_id)
    if found is None:
        raise InputError(_("that lockout has already ended"), value=lockout_id)
    with transaction.atomic():
        AccessAttempt.objects.filter(pk=lockout_id).delete()
        record(
            EventKind.UNLOCK,
            username=found.username,
            ip_address=found.ip_address,
            by=user,
            reason=reason,
        )
    return found


def recent_events(user: User, limit: int = 100) -> list[SecurityEvent]:
    require_administrator(user)
    return list(SecurityEvent.objects.select_related("by")[:limit])

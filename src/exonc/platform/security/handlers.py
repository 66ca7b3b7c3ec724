"""Signal handlers: django-axes' lockout becomes a security event."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from exonc.platform.security.models import EventKind
from exonc.platform.security.services import record


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **_: Any
) -> None:
    record(EventKind.LOCKOUT, username=username or "", ip_address=ip_address)

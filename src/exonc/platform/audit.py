"""Saving trial data with its audit record.

django-simple-history writes an append-only history row on every save and delete; these
helpers attach who made the change and why, so that no service forgets to.
"""

from __future__ import annotations

from django.db.models import Model

from exonc.errors import InputError
from exonc.platform.accounts.models import User


def save(instance: Model, user: User, reason: str) -> None:
    """Save *instance*; its history row records *user* and *reason*."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by simple_history
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


def require_reason(reason: str, what: str) -> str:
    """Changes to data already entered need a reason; refuse an empty one."""
    if not reason or not reason.strip():
        raise InputError(
            f"changing {what} needs a reason", column="reason", hint="say why it is changed"
        )
    return reason.strip()

"""Saving trial data with its audit record.

django-simple-history writes an append-only history row on every save and delete; these
helpers attach who made the change and why, so that no service forgets to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class ChangeLine:
    """One entry of an audit trail as pages show it."""

    when: dt.datetime
    what: str
    who: str
    reason: str


def change_lines(history: Iterable[Any], limit: int = 50) -> list[ChangeLine]:
    """History rows (of any models) as an audit trail, newest first, at most *limit*."""
    rows = sorted(history, key=lambda h: h.history_date, reverse=True)[:limit]
    return [
        ChangeLine(
            when=h.history_date,
            what=f"{h.instance_type.__name__} {h.get_history_type_display().lower()}",
            who=str(h.history_user) if h.history_user else "system",
            reason=h.history_change_reason or "",
        )
        for h in rows
    ]

"""The reminder run, every hour (autodiscovered by huey.contrib.djhuey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from exonc.platform.reminders.services import send_due_reminders


@db_periodic_task(crontab(minute="7"))  # type: ignore[untyped-decorator]  # huey has no hints
def send_reminders() -> None:
    """Send the reminders owed now; what was sent before is not sent again."""
    send_due_reminders(timezone.now())

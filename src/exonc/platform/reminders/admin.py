"""Sent reminders in the admin: a read-only log."""

from __future__ import annotations

from django.contrib import admin

from exonc.platform.reminders.models import SentReminder
from exonc.platform.trial.admin import ReadOnly

admin.site.register(
    SentReminder,
    ReadOnly,
    list_display=("sent_at", "kind", "address", "about"),
    list_filter=("kind",),
)

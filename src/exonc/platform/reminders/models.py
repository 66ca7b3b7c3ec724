"""Reminders sent: one row per e-mail, so that a reminder is never sent twice.

``key`` names what the reminder is about (the kind, the visit or the day, the recipient);
it is unique, so a second run of the reminder task — or two consumers running it at once —
cannot send the same reminder again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exonc.platform.trial.models import Visit


class Kind(models.TextChoices):
    WINDOW_OPENS = "window-opens", _("Questionnaires ready")
    WINDOW_CLOSING = "window-closing", _("Questionnaires close soon")
    VISIT_DIGEST = "visit-digest", _("Daily digest of visits due")


class SentReminder(models.Model):
    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    address = models.EmailField()
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    about = models.DateField(help_text="the centre's date the reminder was owed on")
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("-sent_at", "-id")

    def __str__(self) -> str:
        return f"{self.kind} to {self.address} ({self.about})"

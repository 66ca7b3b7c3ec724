"""Security events: an append-only record of lockouts, unlocks and two-factor changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOCKOUT = "lockout", _("Sign-in locked after repeated failures")
    UNLOCK = "unlock", _("Sign-in unlocked by an administrator")
    TWO_FACTOR_ENABLED = "2fa-enabled", _("Two-factor authentication set up")
    TWO_FACTOR_FAILED = "2fa-failed", _("Wrong two-factor code")


class AppendOnly(Exception):
    """A security event is never changed or deleted."""


class SecurityEvent(models.Model):
    """Something an information-security officer reviews; written once, never changed."""

    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("security events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("security events are never deleted")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "exonc.platform.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

from __future__ import annotations

from django.apps import AppConfig


class TrialConfig(AppConfig):
    name = "exonc.platform.trial"
    label = "trial"
    verbose_name = "Trial operations"

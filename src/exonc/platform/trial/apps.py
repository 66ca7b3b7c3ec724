from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class TrialConfig(AppConfig):
    name = "exonc.platform.trial"
    label = "trial"
    verbose_name = "Trial operations"

    def ready(self) -> None:
        from exonc.platform.trial.checks import protocol_is_valid

        checks.register(protocol_is_valid, checks.Tags.compatibility)

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "exonc.platform.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from exonc.platform.security import handlers  # noqa: F401  # connects the signals

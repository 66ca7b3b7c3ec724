from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings


class OutcomesConfig(AppConfig):
    name = "exonc.platform.outcomes"
    label = "outcomes"
    verbose_name = "Patient-reported outcomes"

    def ready(self) -> None:
        """Refuse to start with an installed text pack that does not validate."""
        if settings.EXONC.text_pack is not None:
            from exonc.platform.outcomes.wording import installed_text_pack

            installed_text_pack()

from __future__ import annotations

from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "exonc.platform.guides"
    label = "guides"
    verbose_name = "Exercise guides"

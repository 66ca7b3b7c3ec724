from __future__ import annotations

from django.apps import AppConfig


class EconomicsConfig(AppConfig):
    name = "exonc.platform.economics"
    label = "economics"
    verbose_name = "Health economics"

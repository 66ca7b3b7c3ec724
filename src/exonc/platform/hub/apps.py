from __future__ import annotations

from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "exonc.platform.hub"
    label = "hub"
    verbose_name = "Patient hub"

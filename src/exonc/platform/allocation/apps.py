from __future__ import annotations

from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "exonc.platform.allocation"
    label = "allocation"
    verbose_name = "Allocation"

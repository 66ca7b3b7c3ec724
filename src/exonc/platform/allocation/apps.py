from __future__ import annotations

from django.apps import AppConfig
from django.core import checks


class AllocationConfig(AppConfig):
    name = "exonc.platform.allocation"
    label = "allocation"
    verbose_name = "Allocation"

    def ready(self) -> None:
        from exonc.platform.allocation.checks import allocation_sequences

        checks.register(allocation_sequences)

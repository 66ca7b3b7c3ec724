"""Allocation records in the admin: visible to administrators, never editable there.

The allocation sequence shows its metadata (purpose, kind, SHA-256, size, who loaded it
when) but never its content: the list or seed is not shown in any screen.
"""

from __future__ import annotations

from django.contrib import admin

from exonc.platform.allocation.models import (
    Allocation,
    AllocationCorrection,
    AllocationSequence,
    RefusedRandomisation,
)
from exonc.platform.trial.admin import ReadOnly

__all__ = ["ReadOnly"]  # the other apps' admins import it from here too


@admin.register(Allocation)
class AllocationAdmin(ReadOnly):
    list_display = ("sequence", "participant", "arm", "stratum", "purpose", "allocated_on")
    list_filter = ("arm", "purpose")


@admin.register(AllocationCorrection)
class AllocationCorrectionAdmin(ReadOnly):
    list_display = ("allocation", "kind", "problem", "recorded_by", "recorded_at")


@admin.register(AllocationSequence)
class AllocationSequenceAdmin(ReadOnly):
    list_display = (
        "id",
        "purpose",
        "kind",
        "sha256",
        "strata",
        "positions",
        "loaded_by",
        "loaded_at",
    )
    fields = (
        "purpose",
        "kind",
        "sha256",
        "strata",
        "positions",
        "origin",
        "protocol_version",
        "loaded_by",
        "loaded_at",
    )

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).defer("content")


@admin.register(RefusedRandomisation)
class RefusedRandomisationAdmin(ReadOnly):
    list_display = ("attempted_at", "participant", "user", "error", "reason")
    list_filter = ("error",)

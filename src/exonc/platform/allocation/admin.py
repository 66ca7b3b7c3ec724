"""Allocations are visible to administrators in the admin but never editable there."""

from __future__ import annotations

from django.contrib import admin

from exonc.platform.allocation.models import Allocation, AllocationCorrection
from exonc.platform.trial.admin import AdministratorsOnly


class ReadOnly(AdministratorsOnly):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Allocation)
class AllocationAdmin(ReadOnly):
    list_display = ("sequence", "participant", "arm", "stratum", "allocated_on", "allocated_by")
    list_filter = ("arm",)


@admin.register(AllocationCorrection)
class AllocationCorrectionAdmin(ReadOnly):
    list_display = ("allocation", "problem", "recorded_by", "recorded_at")

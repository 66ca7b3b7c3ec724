"""Activity records in the admin: read-only (imports go through the services)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exonc.platform.activity.models import (
    ActivityImport,
    DailyActivity,
    ImportedFile,
    TrackerAccount,
)
from exonc.platform.allocation.admin import ReadOnly


@admin.register(ActivityImport)
class ActivityImportAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("id", "participant", "format", "channel", "imported_by", "imported_at")
    list_filter = ("format", "channel", "participant__centre")
    search_fields = ("participant__study_id",)


@admin.register(ImportedFile)
class ImportedFileAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("activity_import", "position", "name", "status", "size")


@admin.register(TrackerAccount)
class TrackerAccountAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("participant", "tracker_id", "registered_by", "registered_at")
    search_fields = ("participant__study_id", "tracker_id")


@admin.register(DailyActivity)
class DailyActivityAdmin(ReadOnly):
    list_display = ("participant", "date", "active_minutes", "wear_minutes", "valid_day")
    list_filter = ("origin", "valid_day", "goal_met")
    search_fields = ("participant__study_id",)

"""Queries in the admin: read-only (queries change only through their services)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exonc.platform.queries.models import DataQuery, QueryMessage
from exonc.platform.trial.admin import ReadOnly


class History(SimpleHistoryAdmin, ReadOnly):
    pass


admin.site.register(DataQuery, History, list_display=("id", "participant", "record", "status"))
admin.site.register(QueryMessage, History, list_display=("query", "step", "author", "written_at"))

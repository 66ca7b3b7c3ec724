"""Django admin for administrators: resource use and delivery with their audit history, read
only (every change goes through the services, which check roles and write the reasons)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exonc.platform.allocation.admin import ReadOnly
from exonc.platform.economics.models import DeliveryDefaults, DeliveryRecord, ResourceUseReport


class History(SimpleHistoryAdmin, ReadOnly):
    pass


admin.site.register(ResourceUseReport, History, list_display=("visit", "source", "reported_on"))
admin.site.register(DeliveryDefaults, History, list_display=("centre", "therapist_minutes"))
admin.site.register(DeliveryRecord, History, list_display=("session", "therapist_minutes"))

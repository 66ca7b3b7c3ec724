"""Security events in the admin: read-only, like every record of who did what."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from exonc.platform.security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["at", "kind", "username", "ip_address", "by", "reason"]
    list_filter = ["kind"]
    search_fields = ["username"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from exonc.platform.accounts.models import User


@admin.register(User)
class ExoncUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "get_full_name", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Trial role", {"fields": ("role", "language")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("Trial role", {"fields": ("role", "language")}))

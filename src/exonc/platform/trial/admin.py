"""Django admin for administrators: trial data read-only, with the audit history.

Trial data change only through the services (role and centre checks, the reason in the
audit trail), so every trial-data model of every app is registered with :class:`ReadOnly`;
administrators still manage users and centre memberships here.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from exonc.platform.trial.models import (
    Centre,
    CentreMembership,
    Consent,
    Participant,
    ProtocolVersion,
    Screening,
    Visit,
    Withdrawal,
)


class AdministratorsOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Only administrators (superusers or the administrator role) use the admin site."""

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_active and request.user.is_trial_wide and request.user.is_staff


class ReadOnly(AdministratorsOnly):
    """Visible to administrators, never added, changed or deleted in the admin."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    # The permissions above close the change, add and delete pages; django-simple-history's
    # "revert" page checks only the view permission and saves what its form posts. Refuse
    # every save and delete here, whatever page asks (issue 16, finding 6).
    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        raise PermissionDenied

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        raise PermissionDenied

    def delete_queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        raise PermissionDenied


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(ReadOnly):
    list_display = ("name", "version", "checksum", "registered_at")
    readonly_fields = ("name", "version", "checksum", "source", "registered_at")


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("code", "name", "country", "time_zone")


@admin.register(CentreMembership)
class CentreMembershipAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("user", "centre")
    list_filter = ("centre",)


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("study_id", "centre", "birth_year", "line_of_treatment", "bone_metastases")
    list_filter = ("centre", "line_of_treatment", "bone_metastases")
    search_fields = ("study_id",)


@admin.register(Screening)
class ScreeningAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("participant", "screened_on", "eligible")


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("participant", "consent_version", "consented_on", "withdrawn_on")


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("participant", "code", "due_date", "completed_on")
    list_filter = ("code",)


@admin.register(Withdrawal)
class WithdrawalAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("participant", "withdrawn_on", "kind")

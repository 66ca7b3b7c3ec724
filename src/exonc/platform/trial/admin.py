"""Django admin for administrators: read-mostly views with the audit history."""

from __future__ import annotations

from django.contrib import admin
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


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(AdministratorsOnly):
    list_display = ("name", "version", "checksum", "registered_at")
    readonly_fields = ("name", "version", "checksum", "source", "registered_at")


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("code", "name", "country", "time_zone")


@admin.register(CentreMembership)
class CentreMembershipAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("user", "centre")
    list_filter = ("centre",)


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("study_id", "centre", "birth_year", "line_of_treatment", "bone_metastases")
    list_filter = ("centre", "line_of_treatment", "bone_metastases")
    search_fields = ("study_id",)


@admin.register(Screening)
class ScreeningAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("participant", "screened_on", "eligible")


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("participant", "consent_version", "consented_on", "withdrawn_on")


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("participant", "code", "due_date", "completed_on")
    list_filter = ("code",)


@admin.register(Withdrawal)
class WithdrawalAdmin(SimpleHistoryAdmin, AdministratorsOnly):
    list_display = ("participant", "withdrawn_on", "kind")

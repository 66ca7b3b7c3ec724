"""Questionnaire responses in the admin: read-only, with their history (changes go through
the services, which keep the reason)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exonc.platform.allocation.admin import ReadOnly
from exonc.platform.outcomes.models import QuestionnaireResponse


@admin.register(QuestionnaireResponse)
class QuestionnaireResponseAdmin(SimpleHistoryAdmin, ReadOnly):
    list_display = ("visit", "instrument", "status", "entry", "mode", "answered_on", "scoring_id")
    list_filter = ("instrument", "status", "mode", "visit__participant__centre")
    search_fields = ("visit__participant__study_id",)

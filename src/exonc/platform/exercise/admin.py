"""Django admin for administrators: the exercise records with their audit history, read only
(every change goes through the services, which check roles and write the reasons)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from exonc.platform.allocation.admin import ReadOnly
from exonc.platform.exercise.models import (
    AdverseEvent,
    CentreConfiguration,
    Clearance,
    ExerciseProfile,
    FitnessTest,
    Lesion,
    Override,
    PrescriptionVersion,
    SessionLog,
    SymptomFlag,
)


class History(SimpleHistoryAdmin, ReadOnly):
    pass


admin.site.register(CentreConfiguration, History, list_display=("centre",))
admin.site.register(ExerciseProfile, History, list_display=("participant", "start_date"))
admin.site.register(FitnessTest, History, list_display=("participant", "kind", "tested_on"))
admin.site.register(Lesion, History, list_display=("participant", "label", "site", "imaging_date"))
admin.site.register(Clearance, History, list_display=("lesion", "clinician_name", "cleared_on"))
admin.site.register(Override, History, list_display=("lesion", "exercise", "clinician_name"))
admin.site.register(SessionLog, History, list_display=("participant", "date", "attendance"))
admin.site.register(SymptomFlag, History, list_display=("participant", "kind", "opened_on"))
admin.site.register(AdverseEvent, History, list_display=("participant", "onset", "grade"))
admin.site.register(
    PrescriptionVersion, ReadOnly, list_display=("participant", "version", "effective", "trigger")
)

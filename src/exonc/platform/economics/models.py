"""Resource use and programme delivery: what the cost-utility analysis needs beyond the
questionnaires and session logs the other apps keep.

* :class:`ResourceUseReport` — the resource-use questionnaire of one follow-up visit: the
  quantity of every item on the country's list (``exonc.economics.resource_items``) used in
  the period since the previous visit, and absence from paid work in that period.
* :class:`DeliveryRecord` — the therapist minutes and group size of one supervised session
  logged by the exercise app (``exercise.SessionLog``); sessions without one take their
  centre's :class:`DeliveryDefaults`, else the trial's defaults (``data/costing.toml``).

Services (``services.py``, ``delivery.py``) are the only writers; every change writes a
history row with who and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from exonc.platform.exercise.models import SessionLog
from exonc.platform.trial.models import Centre, ProtocolVersion, Visit


class Source(models.TextChoices):
    """Who gave the answers to the system."""

    PATIENT = "patient", "The patient herself, online"
    STAFF = "staff", "Staff, from the patient's answers"
    IMPORT = "import", "Imported from a file"


class ResourceUseReport(models.Model):
    """Health-care use and absence from paid work in the period ending at one visit."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="resource_use")
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    country = models.CharField(max_length=2, help_text="whose questionnaire (item list) was asked")
    quantities = models.JSONField(help_text="item code → quantity used in the period")
    paid_work = models.BooleanField(
        null=True, blank=True, help_text="had paid work in the period; null: not asked"
    )
    absence_days = models.FloatField(default=0.0, help_text="calendar days off paid work")
    work_hours_per_week = models.FloatField(default=0.0, help_text="contracted hours a week")
    absence_continued = models.BooleanField(
        default=False, help_text="the absence went on from the previous period (one spell)"
    )
    presenteeism_hours = models.FloatField(default=0.0, help_text="hours lost while at work")
    source = models.CharField(max_length=10, choices=Source.choices)
    reported_on = models.DateField(help_text="the day the answers were given")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("visit__participant", "visit__due_date")

    def __str__(self) -> str:
        return f"{self.visit.participant} resource use at {self.visit.code}"


class DeliveryDefaults(models.Model):
    """How a centre usually delivers a supervised session."""

    centre = models.OneToOneField(Centre, on_delete=models.PROTECT, related_name="delivery")
    therapist_minutes = models.FloatField(help_text="incl. preparation and notes")
    group_size = models.PositiveSmallIntegerField(help_text="1 = one-to-one")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.centre.code}: {self.therapist_minutes:g} min, group of {self.group_size}"


class DeliveryRecord(models.Model):
    """The therapist time and group size of one logged supervised session."""

    session = models.OneToOneField(SessionLog, on_delete=models.PROTECT, related_name="delivery")
    therapist_minutes = models.FloatField(help_text="incl. preparation and notes")
    group_size = models.PositiveSmallIntegerField(help_text="1 = one-to-one")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("session__participant", "session__date")

    def __str__(self) -> str:
        return f"{self.session}: {self.therapist_minutes:g} min, group of {self.group_size}"

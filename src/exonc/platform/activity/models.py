"""Activity-tracker records: imports with their reports, the files kept, and daily summaries.

* :class:`TrackerAccount` fixes the id under which a participant's minutes are kept in the
  minute store (her tracker's id in exports that name one, such as Fitabase's ``Id``; her
  study ID otherwise). It is set by her first import that stores minutes and never changes.
* :class:`ActivityImport` is one import: who, when, how, the format and time zone, and the
  store's import report (rows read, accepted, duplicates, rejected with reasons, per file).
  :class:`ImportedFile` is one file of it, kept under ``settings.EXONC.uploads``.
* :class:`DailyActivity` is one participant-day: the eleven columns of
  ``exonc.trackers.DAILY_COLUMNS``. These rows are *derived*: every import recomputes the
  participant's days from the append-only minute store, so they have no history table of
  their own; each row names the import that last computed it, and that import (with its
  history) says who, when and from which files.

Services (``services.py``) and the demo loader are the only writers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from exonc.platform.trial.models import Participant


class Channel(models.TextChoices):
    """How an import reached the platform."""

    UPLOAD = "upload", "Uploaded on the platform"
    API = "api", "Uploaded through the API"
    COMMAND_LINE = "command line", "exonc trackers import"
    DEMO = "demo", "Synthetic demo data"


class Origin(models.TextChoices):
    """Where a daily row's values come from."""

    STORE = "store", "Summarised from the minute store"
    DEMO = "demo", "Synthetic demo data (no minutes)"


class TrackerAccount(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="tracker_account"
    )
    tracker_id = models.CharField(
        max_length=64,
        unique=True,
        help_text="the id her exports name her by (e.g. Fitabase's Id); her study ID otherwise",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.participant} tracker {self.tracker_id}"


class ActivityImport(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="activity_imports"
    )
    format = models.CharField(max_length=30, help_text="exonc's tracker format name")
    time_zone = models.CharField(max_length=64, blank=True)
    tracker_id = models.CharField(max_length=64, blank=True, help_text="the store key used")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()
    store_import_id = models.CharField(max_length=40, blank=True)
    report = models.JSONField(default=dict, help_text="the import report (ImportReport.to_dict)")
    files_count = models.PositiveIntegerField(default=0)
    rows_read = models.BigIntegerField(default=0)
    accepted = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    duplicates = models.BigIntegerField(default=0, help_text="duplicate minute values resolved")
    days_updated = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ("-imported_at", "-id")

    def __str__(self) -> str:
        return f"import {self.pk} for {self.participant} ({self.format})"

    @property
    def statuses(self) -> list[str]:
        files: list[dict[str, Any]] = self.report.get("files", [])
        return [str(f.get("status")) for f in files]


class ImportedFile(models.Model):
    activity_import = models.ForeignKey(
        ActivityImport, on_delete=models.PROTECT, related_name="files"
    )
    position = models.PositiveIntegerField(help_text="order in the import, from 1")
    name = models.CharField(max_length=255, help_text="the file's name as given")
    stored_as = models.CharField(max_length=500, help_text="path under the uploads folder")
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, help_text="imported, failed or already imported")
    history = HistoricalRecords()

    class Meta:
        ordering = ("activity_import", "position")

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class DailyActivity(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="activity_days"
    )
    date = models.DateField(help_text="the participant's local calendar date")
    wear_minutes = models.PositiveSmallIntegerField()
    sedentary_minutes = models.PositiveSmallIntegerField()
    light_minutes = models.PositiveSmallIntegerField()
    moderate_minutes = models.PositiveSmallIntegerField()
    vigorous_minutes = models.PositiveSmallIntegerField()
    active_minutes = models.PositiveSmallIntegerField()
    steps = models.PositiveIntegerField(null=True, blank=True)
    valid_day = models.BooleanField()
    goal_met = models.BooleanField()
    origin = models.CharField(max_length=10, choices=Origin.choices)
    activity_import = models.ForeignKey(
        ActivityImport, on_delete=models.PROTECT, related_name="days"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ("participant", "date")
        constraints = [
            models.UniqueConstraint(fields=("participant", "date"), name="one_activity_row_per_day")
        ]
        indexes = [models.Index(fields=("date",), name="activity_day_date")]

    def __str__(self) -> str:
        return f"{self.participant} {self.date}: {self.active_minutes} active min"

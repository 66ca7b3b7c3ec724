"""Data queries: a question about one recorded value, its answer or correction, its closing.

As REDCap's data-resolution workflow and OpenClinica's discrepancy notes: a monitor (or an
administrator acting as data manager) opens a query on a value — a participant's baseline
field, a visit, a questionnaire answer, a fitness test or a session log; site staff answer
it, or correct the value through the service that owns it, naming the query as the reason;
the monitor closes it (or sends it back). Every step is a message on the query's thread,
and every save has a history row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from exonc.platform.trial.models import Participant


class Target(models.TextChoices):
    PARTICIPANT = "participant", _("Baseline data")
    VISIT = "visit", _("Visit")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire answer")
    FITNESS_TEST = "fitness_test", _("Fitness test")
    SESSION = "session", _("Session log")


class QueryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class DataQuery(models.Model):
    """A question about one value of one record of one participant."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="queries")
    target = models.CharField(max_length=20, choices=Target.choices)
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="the record's id (none for baseline data)"
    )
    field = models.CharField(max_length=60)
    record = models.CharField(max_length=200, help_text="the record as people name it")
    value_seen = models.TextField(blank=True, help_text="the value when the query was opened")
    question = models.TextField()
    status = models.CharField(max_length=10, choices=QueryStatus.choices, default="open")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("-opened_at", "-id")
        verbose_name = _("data query")
        verbose_name_plural = _("data queries")

    def __str__(self) -> str:
        return f"Query {self.pk}: {self.participant} {self.record} {self.field}"


class Step(models.TextChoices):
    OPENED = "opened", _("Opened")
    ANSWERED = "answered", _("Answered")
    CORRECTED = "corrected", _("Corrected")
    REOPENED = "reopened", _("Sent back")
    CLOSED = "closed", _("Closed")


class QueryMessage(models.Model):
    """One step of a query's thread: who did what, when, and what they wrote."""

    query = models.ForeignKey(DataQuery, on_delete=models.PROTECT, related_name="messages")
    step = models.CharField(max_length=10, choices=Step.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ("query", "written_at", "id")

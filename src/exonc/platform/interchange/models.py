"""What the platform keeps of an import from another system: who, when, from where, and
the import report (``exonc.interchange.report.InterchangeReport.to_dict``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class TrialImport(models.Model):
    """A trial loaded from a REDCap project (``exonc import redcap DIR --database URL``)."""

    source = models.CharField(max_length=500, help_text="the project folder it was read from")
    format = models.CharField(max_length=40)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField()
    report = models.JSONField(default=dict, help_text="the import report")
    history = HistoricalRecords()

    class Meta:
        ordering = ("-imported_at", "-id")

    def __str__(self) -> str:
        return f"{self.format} import of {self.source} at {self.imported_at:%Y-%m-%d %H:%M}"

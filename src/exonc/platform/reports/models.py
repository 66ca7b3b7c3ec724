"""Locked datasets and the reports run on them.

A :class:`DataLock` is append-only: once its folder is written, neither the row nor the
files change (the files are read-only; see ``exonc.reports.lock``). A :class:`ReportRun`
records a report job on a lock; its files are written once, by the job, into
``EXONC_VAR_DIR/reports/<id>/``. A :class:`PlanRun` does the same for a power
calculation planned from a lock (``EXONC_VAR_DIR/plans/<id>/``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from exonc.platform.allocation.models import AppendOnly


class DataLock(AppendOnly):
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    locked_at = models.DateTimeField()
    cut_off = models.DateField(null=True, blank=True, help_text="only what was known that day")
    reason = models.TextField()
    folder = models.CharField(max_length=500, help_text="the lock folder under EXONC_VAR_DIR")
    manifest_sha256 = models.CharField(max_length=64)
    tables = models.JSONField(help_text="rows per table")

    class Meta:
        ordering = ("-locked_at", "-id")

    def __str__(self) -> str:
        return f"lock {self.pk} ({self.locked_at:%Y-%m-%d %H:%M})"


class ReportRun(models.Model):
    """One report job on a lock (the job is attached right after the row is made)."""

    lock = models.ForeignKey(DataLock, on_delete=models.PROTECT, related_name="runs")
    job = models.OneToOneField("jobs.Job", null=True, on_delete=models.PROTECT, related_name="+")
    plan = models.CharField(max_length=100, default="preferable-effect")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")


class PlanRun(models.Model):
    """One "plan the next trial" job on a lock: the form's values (``params``); the job
    writes the result once into ``EXONC_VAR_DIR/plans/<id>/`` (``plan.json`` and
    ``power_curve.svg``) and nothing changes afterwards."""

    lock = models.ForeignKey(DataLock, on_delete=models.PROTECT, related_name="plans")
    job = models.OneToOneField("jobs.Job", null=True, on_delete=models.PROTECT, related_name="+")
    plan = models.CharField(max_length=100, default="preferable-effect")
    params = models.JSONField(help_text="outcome, effect, alpha, n per arm, sims, seed")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

"""Allocations are final: append-only rows, never updated or deleted.

A mistaken allocation is handled by an :class:`AllocationCorrection` record that says what
was wrong and why; the allocation itself stays as it was given (intention to treat).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from exonc.errors import AlreadyRandomised
from exonc.platform.trial.models import Participant, ProtocolVersion


class AppendOnly(models.Model):
    """A model whose rows can be inserted but never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AlreadyRandomised(
                f"{type(self).__name__} records are final and cannot be changed"
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AlreadyRandomised(f"{type(self).__name__} records are final and cannot be deleted")


class Allocation(AppendOnly):
    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="allocation"
    )
    arm = models.CharField(max_length=30)
    stratum = models.CharField(max_length=200)
    method = models.CharField(max_length=20)
    sequence = models.PositiveIntegerField(
        unique=True, help_text="order of allocation in the trial"
    )
    list_position = models.PositiveIntegerField(null=True, blank=True)
    allocated_at = models.DateTimeField()
    allocated_on = models.DateField(help_text="the randomisation date at the participant's centre")
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)

    class Meta:
        ordering = ("sequence",)

    def __str__(self) -> str:
        return f"{self.participant} → {self.arm} (#{self.sequence})"


class AllocationCorrection(AppendOnly):
    """A documented correction of an allocation record (the allocation itself never changes)."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="corrections")
    problem = models.TextField(help_text="what was wrong, e.g. stratified with the wrong line")
    action = models.TextField(help_text="what is done about it")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("recorded_at",)

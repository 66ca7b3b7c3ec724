"""Concealed allocation: the allocation sequence, final allocations and their corrections.

* :class:`AllocationSequence` holds what allocations are drawn from — an allocation list
  (canonical CSV) or a minimisation seed — with its purpose (live or test), SHA-256 and who
  loaded it when. Its ``content`` is secret: no page, API route, export or admin screen
  shows it (the admin shows the metadata only).
* :class:`Allocation` rows are final: inserted once, never updated or deleted. A mistaken
  allocation is handled by an :class:`AllocationCorrection` record that says what was wrong
  and what is done about it; the allocation stays as it was given (intention to treat).
* :class:`RefusedRandomisation` records every refused attempt to randomise: who, when, and
  why it was refused.

Services (``services.py``, ``sequences.py``) are the only code that writes these models.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from exonc.errors import AlreadyRandomised, TrialStateError
from exonc.platform.trial.models import Participant, ProtocolVersion

_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """Bulk updates and deletes are refused as well as single ones."""

    def update(self, **kwargs: Any) -> int:
        raise TrialStateError(
            _("%(name)s records are final and cannot be changed") % {"name": self.model.__name__}
        )

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TrialStateError(
            _("%(name)s records are final and cannot be deleted") % {"name": self.model.__name__}
        )


class AppendOnly(models.Model):
    """A model whose rows can be inserted but never changed or deleted through the ORM."""

    final_error: ClassVar[type[Exception]] = TrialStateError
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.final_error(f"{type(self).__name__} records are final and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise self.final_error(f"{type(self).__name__} records are final and cannot be deleted")


class Purpose(models.TextChoices):
    LIVE = "live", "Live"
    TEST = "test", "Test (dummy)"


class SequenceKind(models.TextChoices):
    LIST = "list", "Allocation list"
    SEED = "seed", "Minimisation seed"


class AllocationSequence(AppendOnly):
    """A concealed allocation list or minimisation seed, as loaded by the trial statistician.

    A sequence in use is never replaced: a later list of the same purpose must begin with
    it (an extension), and the latest one is the one allocations come from.
    """

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    kind = models.CharField(max_length=10, choices=SequenceKind.choices)
    content = models.TextField(help_text="secret: the canonical list CSV or the seed")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the content")
    strata = models.PositiveIntegerField(default=0)
    positions = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=300, help_text="where it came from")
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.get_kind_display().lower()} {self.sha256[:12]}"

    def __repr__(self) -> str:  # never the content
        return f"<AllocationSequence {self.pk} {self.purpose} {self.kind} {self.sha256[:12]}>"


class Allocation(AppendOnly):
    final_error = AlreadyRandomised

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="allocation"
    )
    arm = models.CharField(max_length=30)
    stratum = models.CharField(max_length=200)
    method = models.CharField(max_length=20)
    sequence = models.PositiveIntegerField(
        unique=True, help_text="order of allocation in the trial"
    )
    source = models.ForeignKey(
        AllocationSequence, on_delete=models.PROTECT, related_name="allocations"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    list_position = models.PositiveIntegerField(
        null=True, blank=True, help_text="position in the stratum's list (permuted blocks)"
    )
    decision = models.PositiveIntegerField(
        null=True, blank=True, help_text="number of the minimisation decision (minimisation)"
    )
    allocated_at = models.DateTimeField()
    allocated_on = models.DateField(help_text="the randomisation date at the participant's centre")
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)

    class Meta:
        ordering = ("sequence",)
        constraints = [
            # The last line of defence against a position or decision given twice.
            models.UniqueConstraint(
                fields=("purpose", "stratum", "list_position"), name="one_allocation_per_position"
            ),
            models.UniqueConstraint(fields=("purpose", "decision"), name="one_allocation_per_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.arm} (#{self.sequence})"


class CorrectionKind(models.TextChoices):
    STRATIFICATION = "stratification", "Randomised with wrong stratification data"
    INELIGIBLE = "ineligible", "Randomised but not eligible"
    IN_ERROR = "in-error", "Randomised in error (wrong or duplicate participant)"
    OTHER = "other", "Other"


class AllocationCorrection(AppendOnly):
    """A documented correction of an allocation record (the allocation itself never changes)."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="corrections")
    kind = models.CharField(
        max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.OTHER
    )
    problem = models.TextField(help_text="what was wrong, e.g. stratified with the wrong line")
    action = models.TextField(help_text="what is done about it")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ("recorded_at", "id")


class RefusedRandomisation(AppendOnly):
    """An attempt to randomise that was refused; nothing else was written."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="refused_randomisations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attempted_at = models.DateTimeField()
    error = models.CharField(max_length=60, help_text="the kind of refusal (exception class)")
    reason = models.TextField()

    class Meta:
        ordering = ("attempted_at", "id")

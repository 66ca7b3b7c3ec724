"""Questionnaire responses: the raw answers of one instrument at one visit, and their scores.

A response holds the item answers exactly as given (``{item code: answer}``, ``None`` for
an item seen and left unanswered) and, once submitted, the scores derived from them with
the scoring version (and EQ-5D-5L value set) that produced them. Services
(``services.py``) are the only writers; every change writes a history row with who and
why, and the model itself refuses to change the answers of a submitted response without
a reason, or to delete one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from exonc.errors import TrialStateError
from exonc.platform.trial.models import ProtocolVersion, Visit


class Status(models.TextChoices):
    IN_PROGRESS = "in progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Entry(models.TextChoices):
    """Who gave the answers to the system."""

    PATIENT = "patient", "The patient herself"
    STAFF = "staff", "Staff on the patient's behalf"


class Mode(models.TextChoices):
    """How the answers were collected."""

    WEB = "web", "Web form"
    PAPER = "paper", "Paper form, entered by staff"
    IMPORT = "import", "Imported from a file"


class QuestionnaireResponse(models.Model):
    """One instrument answered (or being answered) at one visit."""

    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    instrument = models.CharField(max_length=30, help_text="exonc's instrument name")
    instrument_version = models.CharField(max_length=20)
    answers = models.JSONField(
        default=dict, blank=True, help_text="raw answers: item code → answer (null = unanswered)"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    entry = models.CharField(max_length=10, choices=Entry.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    last_saved_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    answered_on = models.DateField(
        null=True, blank=True, help_text="the date the patient answered (on the paper form)"
    )
    value_set = models.CharField(
        max_length=20, blank=True, help_text="EQ-5D-5L value set code; empty if none applies"
    )
    scores = models.JSONField(
        null=True, blank=True, help_text="score code → value (null = unscored)"
    )
    scoring_version = models.CharField(max_length=20, blank=True)
    scoring_id = models.CharField(max_length=60, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("visit__participant", "visit__due_date", "instrument")
        constraints = [
            models.UniqueConstraint(
                fields=("visit", "instrument"), name="one_response_per_visit_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit.participant} {self.visit.code} {self.instrument} ({self.status})"

    @property
    def submitted(self) -> bool:
        return self.status == Status.SUBMITTED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self._refuse_silent_change()
        super().save(*args, **kwargs)
        # the history row has taken who and why; a later save must give its own reason
        vars(self).pop("_change_reason", None)
        vars(self).pop("_history_user", None)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.submitted:
            raise TrialStateError(
                f"{self}: submitted answers are kept; correct them with a reason instead"
            )
        return super().delete(*args, **kwargs)

    def _refuse_silent_change(self) -> None:
        """Submitted raw answers change only with a reason (the history row keeps it)."""
        stored = (
            type(self)
            .objects.filter(pk=self.pk, status=Status.SUBMITTED)
            .values_list("answers", flat=True)
            .first()
        )
        if stored is not None and stored != self.answers and not _reason_of(self):
            raise TrialStateError(
                f"{self}: submitted answers can be changed only as a correction with a reason"
            )


def _reason_of(instance: models.Model) -> str:
    return str(getattr(instance, "_change_reason", "") or "").strip()

"""Trial operations: the records a coordinator keeps for each participant.

Every model that holds trial data has a history (django-simple-history): each change writes
an append-only row with who, when, what and why. Services (``services.py``) are the only
code that writes these models.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from exonc.protocol import Answer, VisitStatus, VisitWindow, visit_status


class ProtocolVersion(models.Model):
    """A protocol file as it was registered; records point at the version they were made under."""

    name = models.CharField(max_length=100)
    version = models.CharField(max_length=30)
    checksum = models.CharField(max_length=64, unique=True)
    source = models.TextField(help_text="the TOML file's full text")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("registered_at",)

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Centre(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    time_zone = models.CharField(max_length=64)
    history = HistoricalRecords()

    class Meta:
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CentreMembership(models.Model):
    """Site staff belong to one or more centres and see only their participants."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("user", "centre"), name="one_membership_per_centre")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.centre.code}"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class LineOfTreatment(models.TextChoices):
    FIRST_SECOND = "1st/2nd", _("1st or 2nd line")
    THIRD_PLUS = "3rd+", _("3rd line or later")


class Participant(models.Model):
    """A person in the trial, known only by a pseudonymous study ID."""

    study_id = models.CharField(max_length=30, unique=True)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="participants")
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    birth_year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    line_of_treatment = models.CharField(max_length=10, choices=LineOfTreatment.choices, blank=True)
    metastatic_sites = models.JSONField(default=list, blank=True)
    bone_metastases = models.BooleanField(null=True)
    ecog = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_pain = models.BooleanField(null=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
        help_text="the patient's own login, if she uses the patient hub",
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("study_id",)

    def __str__(self) -> str:
        return self.study_id

    @property
    def stratification_complete(self) -> bool:
        return bool(self.line_of_treatment)


class Screening(models.Model):
    """One eligibility screening: an answer and reason per protocol criterion."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="screenings"
    )
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    screened_on = models.DateField()
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    eligible = models.BooleanField()
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "screened_on", "id")

    def __str__(self) -> str:
        verdict = "eligible" if self.eligible else "not eligible"
        return f"{self.participant} screened {self.screened_on}: {verdict}"


class CriterionResult(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="results")
    criterion_id = models.CharField(max_length=20)
    answer = models.CharField(max_length=10, choices=[(a.value, a.value) for a in Answer])
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("screening", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("screening", "criterion_id"), name="one_result_per_criterion"
            )
        ]


class Consent(models.Model):
    """Informed consent to a consent-form version; withdrawal is recorded on the same record."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="consents")
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    consent_version = models.CharField(max_length=30)
    consented_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "consented_on", "id")

    @property
    def active(self) -> bool:
        return self.withdrawn_on is None


class Visit(models.Model):
    """An assessment visit with its due date and window, fixed when it was scheduled."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="visits")
    protocol_version = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT)
    code = models.CharField(max_length=20)
    due_date = models.DateField()
    window_start = models.DateField()
    window_end = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    missed_reason = models.TextField(
        blank=True, help_text="why the visit did not take place, when that is recorded"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "due_date")
        constraints = [
            models.UniqueConstraint(fields=("participant", "code"), name="one_visit_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.code} due {self.due_date}"

    @property
    def window(self) -> VisitWindow:
        return VisitWindow(self.code, self.due_date, self.window_start, self.window_end)

    def status(self, today: dt.date) -> VisitStatus:
        return visit_status(self.window, self.completed_on, today, missed=bool(self.missed_reason))


class WithdrawalKind(models.TextChoices):
    INTERVENTION = "intervention", _("Stopped the intervention, stays in follow-up")
    FOLLOW_UP = "follow-up", _("Stopped all follow-up")
    CONSENT = "consent", _("Withdrew consent")
    DEATH = "death", _("Died")
    LOST = "lost", _("Lost to follow-up")
    OTHER = "other", _("Other reason")


class Withdrawal(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="withdrawal"
    )
    withdrawn_on = models.DateField()
    kind = models.CharField(max_length=20, choices=WithdrawalKind.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.participant} withdrew {self.withdrawn_on} ({self.kind})"

"""Exercise delivery: what physiotherapists and clinicians record for the exercise arm.

The rules live in the pure core (:mod:`exonc.exercise`); these models only store what the
core needs — fitness tests, the lesion register with clearances and overrides, prescription
versions, session logs, symptom flags, adverse events and each centre's equipment — and
the services (``services.py``, ``safety_services.py``, ``session_services.py``) are the only
code that writes them. Trial data has a history (django-simple-history); prescription
versions are append-only rows that carry who, when and why themselves.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from exonc import exercise as ex
from exonc.errors import TrialStateError
from exonc.platform.trial.models import Centre, Participant

#: The arm of the protocol that receives the programme.
EXERCISE_ARM = "exercise"


def _choices(kind: type[Any]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ")) for member in kind]


class CentreConfiguration(models.Model):
    """A centre's equipment steps, and the reviewed rule table and SRT→Wpeak equation it uses."""

    centre = models.OneToOneField(Centre, on_delete=models.PROTECT, related_name="exercise")
    default_increment_kg = models.FloatField(default=2.5)
    ergometer_increment_w = models.FloatField(default=5.0)
    increments_kg = models.JSONField(default=dict, blank=True, help_text="machine → kg step")
    minimum_kg = models.JSONField(default=dict, blank=True, help_text="machine → lightest kg")
    safety_rules = models.TextField(
        blank=True, help_text="a reviewed rule table (TOML); empty: the shipped table"
    )
    wpeak_equation = models.TextField(
        blank=True, help_text="an SRT→Wpeak equation file (TOML); empty: no equation"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"exercise configuration of {self.centre.code}"


class ExerciseProfile(models.Model):
    """A participant's place in the programme: its start date and what the engine needs."""

    participant = models.OneToOneField(
        Participant, on_delete=models.PROTECT, related_name="exercise_profile"
    )
    programme = models.CharField(max_length=100)
    start_date = models.DateField(help_text="day 1 of programme week 1")
    height_cm = models.FloatField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.participant} in {self.programme} from {self.start_date}"


class FitnessTest(models.Model):
    """One fitness test: the kind, when, by whom, under which conditions, and its values."""

    KINDS: tuple[str, ...] = ("steep_ramp", "cpet", "multiple_rm", "handgrip")
    KINDS += ("single_leg_stance", "timed_up_and_go")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="fitness_tests"
    )
    kind = models.CharField(max_length=30, choices=[(k, k.replace("_", " ")) for k in KINDS])
    tested_on = models.DateField()
    tester = models.CharField(max_length=200)
    conditions = models.TextField(blank=True)
    values = models.JSONField(help_text="the test's own fields, e.g. msec_w or load_kg and reps")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "tested_on", "id")

    def __str__(self) -> str:
        return f"{self.participant} {self.kind} {self.tested_on}"


class Lesion(models.Model):
    """A bone metastasis in the register, with its Mirels or SINS components."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="lesions")
    label = models.CharField(max_length=20, help_text="e.g. L1; unique per participant")
    site = models.CharField(max_length=30, choices=_choices(ex.Site))
    laterality = models.CharField(max_length=20, choices=_choices(ex.Laterality))
    lesion_type = models.CharField(max_length=20, choices=_choices(ex.LesionType))
    imaging_date = models.DateField()
    mirels_site = models.CharField(max_length=30, blank=True, choices=_choices(ex.MirelsSite))
    mirels_size = models.CharField(max_length=30, blank=True, choices=_choices(ex.MirelsSize))
    mirels_pain = models.CharField(max_length=30, blank=True, choices=_choices(ex.MirelsPain))
    sins_level = models.CharField(max_length=5, blank=True)
    sins_pain = models.CharField(max_length=30, blank=True, choices=_choices(ex.SinsPain))
    sins_alignment = models.CharField(max_length=30, blank=True, choices=_choices(ex.SinsAlignment))
    sins_collapse = models.CharField(max_length=30, blank=True, choices=_choices(ex.SinsCollapse))
    sins_posterolateral = models.CharField(
        max_length=30, blank=True, choices=_choices(ex.SinsPosterolateral)
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "label")
        constraints = [
            models.UniqueConstraint(fields=("participant", "label"), name="one_lesion_per_label")
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.label} ({self.site})"


class Clearance(models.Model):
    """A clinician's clearance or sign-off of a lesion for loaded exercise."""

    lesion = models.ForeignKey(Lesion, on_delete=models.PROTECT, related_name="clearances")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clinician_name = models.CharField(max_length=200)
    cleared_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("lesion", "cleared_on", "id")


class Override(models.Model):
    """A clinician's decision to allow one exercise despite one lesion's restriction."""

    lesion = models.ForeignKey(Lesion, on_delete=models.PROTECT, related_name="overrides")
    exercise = models.CharField(max_length=100)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clinician_name = models.CharField(max_length=200)
    reason = models.TextField()
    starts_on = models.DateField()
    until = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("lesion", "starts_on", "id")


class PrescriptionVersion(models.Model):
    """A prescription version: append-only, with its reason, who made it and when."""

    TRIGGERS = [("start", "programme started"), ("test", "tests repeated")]
    TRIGGERS += [("session", "progression after a session"), ("demo", "synthetic demo data")]

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="prescriptions"
    )
    version = models.PositiveIntegerField()
    effective = models.DateField()
    reason = models.TextField()
    trigger = models.CharField(max_length=10, choices=TRIGGERS)
    basis = models.JSONField(help_text="aerobic reference and the h1RM basis per exercise")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("participant", "version")
        constraints = [
            models.UniqueConstraint(fields=("participant", "version"), name="one_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.participant} prescription v{self.version} from {self.effective}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TrialStateError(_("prescription versions are final; record a new version"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TrialStateError(_("prescription versions are final and cannot be deleted"))


class SessionLog(models.Model):
    """One scheduled session: attendance, what was delivered, the check-in, and the plan
    (as shown to the physiotherapist, restrictions and notes included) it was delivered
    against."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="session_logs"
    )
    date = models.DateField()
    setting = models.CharField(max_length=20, choices=_choices(ex.Setting))
    attendance = models.CharField(max_length=20, choices=_choices(ex.Attendance))
    missed_reason = models.TextField(blank=True)
    aerobic = models.JSONField(null=True, blank=True)
    resistance = models.JSONField(default=list, blank=True)
    balance = models.JSONField(null=True, blank=True)
    check_in = models.JSONField(null=True, blank=True)
    prescription = models.ForeignKey(
        PrescriptionVersion, on_delete=models.PROTECT, related_name="sessions"
    )
    plan = models.JSONField(
        help_text="the session plan shown, as exonc exercise plan --format json"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    # The plan is frozen with the log and never changes; the history leaves it out.
    history = HistoricalRecords(excluded_fields=["plan"])

    class Meta:
        ordering = ("participant", "date", "setting")
        constraints = [
            models.UniqueConstraint(
                fields=("participant", "date", "setting"), name="one_log_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.setting} session {self.date}: {self.attendance}"


class SymptomFlag(models.Model):
    """A symptom raised at check-in: open until a clinician closes it (progression is held)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="symptom_flags"
    )
    kind = models.CharField(max_length=30, choices=_choices(ex.SymptomKind))
    opened_on = models.DateField()
    note = models.TextField(blank=True)
    session = models.ForeignKey(
        SessionLog, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "opened_on", "id")

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Notification(models.Model):
    """An in-app message to a clinician (a symptom flag at her centre)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_notifications"
    )
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    flag = models.ForeignKey(
        SymptomFlag, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")


class AdverseEvent(models.Model):
    """An adverse event graded with CTCAE, its seriousness, relatedness and outcome."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="adverse_events"
    )
    onset = models.DateField()
    description = models.TextField()
    grade = models.PositiveSmallIntegerField()
    serious = models.BooleanField()
    relatedness = models.CharField(max_length=20, choices=_choices(ex.Relatedness))
    outcome = models.CharField(max_length=30, choices=_choices(ex.AdverseEventOutcome))
    session_date = models.DateField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("participant", "onset", "id")

"""Users and their roles. Centre membership lives with the centres (``trial`` app)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from exonc.platform.languages import LANGUAGES


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Trial coordinator")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    CLINICIAN = "clinician", _("Clinician")
    STATISTICIAN = "statistician", _("Statistician")
    MONITOR = "monitor", _("Monitor")
    PATIENT = "patient", _("Patient")


#: Roles whose users work at sites and see only their own centres' participants.
SITE_ROLES = frozenset({Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.CLINICIAN})
#: Roles that read their centres' records and never change them: a monitor checks the
#: recorded data against the source and raises data queries.
READ_ONLY_ROLES = frozenset({Role.MONITOR})
#: Roles that see every centre (statisticians see pseudonymised data only).
TRIAL_WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.STATISTICIAN})


class User(AbstractUser):
    """A person who signs in: site staff, trial-wide staff, or a patient."""

    role = models.CharField(max_length=20, choices=Role.choices)
    #: The language the user chose (on the hub or the profile page); empty: the browser's.
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGES, blank=True, default=""
    )

    class Meta:
        db_table = "accounts_user"

    @property
    def is_site_staff(self) -> bool:
        return self.role in SITE_ROLES

    @property
    def is_trial_wide(self) -> bool:
        return self.role in TRIAL_WIDE_ROLES or self.is_superuser

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

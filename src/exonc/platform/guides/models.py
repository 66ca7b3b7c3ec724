"""What the platform adds to the guide library: clinical approvals and a centre's media.

The guides themselves are reviewed data files shipped with exonc (:mod:`exonc.guides`).
A :class:`GuideApproval` records that a named clinician approved one version of one guide
— exactly the content she saw, identified by its fingerprint — so that patients may see it;
if the file's content changes, the fingerprint no longer matches and the guide is a draft
again. Approvals are final (a new version needs a new approval). A
:class:`GuideAttachment` is a photo or video a centre's staff attached to a guide, stored
under ``EXONC_VAR_DIR/uploads/guides/``. Both have an audit history.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from exonc.errors import TrialStateError
from exonc.platform.trial.models import Centre


class GuideApproval(models.Model):
    """A clinician's approval of one version of one guide."""

    slug = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the approved content")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    clinician_name = models.CharField(max_length=200)
    approved_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("slug", "version")
        constraints = [
            models.UniqueConstraint(
                fields=("slug", "version", "fingerprint"), name="one_approval_per_content"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version} approved by {self.clinician_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TrialStateError(_("approvals are final; approve the new version instead"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TrialStateError(_("approvals are final and cannot be deleted"))


class AttachmentKind(models.TextChoices):
    IMAGE = "image", "photo"
    VIDEO = "video", "video"


class GuideAttachment(models.Model):
    """A photo or video a centre attached to a guide."""

    slug = models.CharField(max_length=100)
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    content_type = models.CharField(max_length=50)
    stored_as = models.CharField(max_length=300, help_text="path under the uploads folder")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(max_length=300, help_text="what the photo or video shows")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ("slug", "uploaded_at")

    def __str__(self) -> str:
        return f"{self.kind} for {self.slug} at {self.centre.code}"

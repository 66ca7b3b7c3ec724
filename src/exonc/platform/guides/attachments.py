"""A centre's own photos and videos of a guide: uploaded by its staff, kept with the files.

An upload is checked by its content (:mod:`exonc.platform.guides.media`) before anything is
written; a file that is not a photo or a video is refused and nothing is stored. The file
is kept at ``<uploads>/guides/<centre code>/<guide slug>/<sha256>.<extension>`` — every part
of the path is a validated identifier (a centre code from the database, a slug of the
library, a hash and an extension exonc chose), and the result is checked to lie inside the
uploads folder. Staff see their centres' attachments; a patient sees her centre's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from exonc.errors import AccessDenied, InputError, UnsafePath
from exonc.paths import inside
from exonc.platform import access, audit
from exonc.platform.accounts.models import Role, User
from exonc.platform.guides.media import Media, inspect
from exonc.platform.guides.models import GuideAttachment
from exonc.platform.guides.review import library
from exonc.platform.trial.models import Centre, Participant

UPLOADERS = (Role.COORDINATOR, Role.PHYSIOTHERAPIST, Role.CLINICIAN)
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}")


@dataclass(frozen=True)
class AttachmentLine:
    """A photo or video as a guide page lists it."""

    id: int
    kind: str
    caption: str
    centre: str


def attach(
    user: User, slug: str, *, centre: Centre, upload: UploadedFile[bytes], caption: str
) -> GuideAttachment:
    """Attach a photo or a video to guide *slug* for *centre* (its staff only)."""
    access.require_role(user, *UPLOADERS)
    access.require_centre(user, centre)
    if not library().has(slug):
        raise Http404(_("No guide has this address."))
    if not caption.strip():
        raise InputError(
            _("say in a few words what the photo or video shows"),
            column="caption",
            hint=_("patients who cannot see it read this instead"),
        )
    media = inspect(upload, upload.size or 0)
    path, digest, size = _store(media, upload, centre, slug)
    row = GuideAttachment(
        slug=slug,
        centre=centre,
        kind=media.kind,
        content_type=media.content_type,
        stored_as=str(path.relative_to(_root().parent)),
        size=size,
        sha256=digest,
        caption=caption.strip(),
        uploaded_by=user,
    )
    try:
        with transaction.atomic():
            audit.save(row, user, f"{media.kind} attached to guide {slug}")
    except Exception:
        if not GuideAttachment.objects.filter(stored_as=row.stored_as).exists():
            path.unlink(missing_ok=True)
        raise
    return row


def _root() -> Path:
    return Path(settings.EXONC.uploads).resolve() / "guides"


def _folder(centre: Centre, slug: str) -> Path:
    """The folder of a centre's attachments to one guide, from validated identifiers."""
    if not (_SAFE.fullmatch(centre.code) and _SAFE.fullmatch(slug)):
        raise InputError(_("cannot store a file for this centre and guide"), value=slug)
    try:
        return inside(_root(), centre.code, slug)
    except UnsafePath:
        raise InputError(_("cannot store a file for this centre and guide"), value=slug) from None


def _store(
    media: Media, upload: UploadedFile[bytes], centre: Centre, slug: str
) -> tuple[Path, str, int]:
    """Write the file (a temporary name, then a rename); its name is its SHA-256."""
    folder = _folder(centre, slug)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".upload-{id(upload)}.partial"
    digest = hashlib.sha256()
    size = 0
    with partial.open("wb") as out:
        for chunk in _chunks(media, upload):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    path = folder / f"{digest.hexdigest()}.{media.extension}"
    partial.replace(path)
    return path, digest.hexdigest(), size


def _chunks(media: Media, upload: UploadedFile[bytes]) -> Any:
    if media.data is not None:
        return [media.data]
    upload.seek(0)
    return upload.chunks()


def visible_attachments(user: User, slug: str) -> QuerySet[GuideAttachment]:
    """The attachments of guide *slug* that *user* may see (her centre's, for a patient)."""
    rows = GuideAttachment.objects.filter(slug=slug).select_related("centre")
    if user.role == Role.PATIENT:
        centre = Participant.objects.filter(user=user).values_list("centre_id", flat=True).first()
        return rows.filter(centre_id=centre) if centre else rows.none()
    ids = access.centre_ids(user)
    return rows if ids is None else rows.filter(centre_id__in=ids)


def attachment_file(user: User, pk: int) -> tuple[GuideAttachment, Path]:
    """An attachment *user* may see and the path of its file (404 otherwise)."""
    if not user.is_authenticated:
        raise AccessDenied(_("sign in first"))
    row = GuideAttachment.objects.select_related("centre").filter(pk=pk).first()
    if row is None or not visible_attachments(user, row.slug).filter(pk=pk).exists():
        raise Http404(_("No such photo or video."))
    try:
        path = inside(_root().parent, row.stored_as)
    except UnsafePath:
        raise Http404(_("No such photo or video.")) from None
    if not path.is_relative_to(_root()) or not path.is_file():
        raise Http404(_("No such photo or video."))
    return row, path


def attachment_lines(user: User, slug: str) -> list[AttachmentLine]:
    """The attachments of guide *slug* that *user* may see, as the guide page lists them."""
    return [
        AttachmentLine(row.id, row.kind, row.caption, row.centre.code)
        for row in visible_attachments(user, slug)
    ]

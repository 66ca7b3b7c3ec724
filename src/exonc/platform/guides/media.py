"""What a centre's upload really is: an image or a video, decided by its content.

A file's name and the browser's content type are not trusted. An image must decode with
Pillow as JPEG, PNG or WebP within a pixel limit; it is then re-encoded, which drops its
metadata (a phone photo's EXIF can hold where and when it was taken). A video must carry
the container header of MP4/QuickTime (an ISO base-media ``ftyp`` box with a known brand)
or WebM (an EBML header whose document type is ``webm``); videos are kept as uploaded.
Anything else is refused with a plain-words error and nothing is stored.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from exonc.errors import InputError

__all__ = ["MAX_IMAGE_BYTES", "MAX_VIDEO_BYTES", "Media", "inspect"]

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_VIDEO_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 40_000_000
#: Pillow format → (content type, file extension).
IMAGES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
#: ISO base-media brands of the videos browsers play.
MP4_BRANDS = {b"isom", b"iso2", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}


class Upload(Protocol):
    """What is read of an upload: bytes, from a position."""

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, /) -> object: ...


@dataclass(frozen=True)
class Media:
    """A validated upload: its kind, content type and extension, and the bytes to store
    (None for a video: it is copied as uploaded, in chunks)."""

    kind: str  # "image" or "video"
    content_type: str
    extension: str
    data: bytes | None = None


def inspect(upload: Upload, size: int) -> Media:
    """The upload as an image or a video, or :class:`~exonc.errors.InputError`."""
    if size > MAX_VIDEO_BYTES:
        raise InputError(_("the file is larger than 200 MB"), column="file")
    upload.seek(0)
    video = _video(upload.read(64))
    upload.seek(0)
    if video is not None:
        content_type, extension = video
        return Media("video", content_type, extension)
    if size > MAX_IMAGE_BYTES:
        raise InputError(_("a photo may be at most 15 MB"), column="file")
    return _image(upload.read(MAX_IMAGE_BYTES + 1))


def _video(head: bytes) -> tuple[str, str] | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video/quicktime", "mov"
        if brand in MP4_BRANDS:
            return "video/mp4", "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "video/webm", "webm"
    return None


def _image(data: bytes) -> Media:
    not_media = InputError(
        _("this file is not a photo (JPEG, PNG or WebP) or a video (MP4, MOV or WebM)"),
        column="file",
        hint=_("choose a photo or a video file"),
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGES or image.width * image.height > MAX_PIXELS:
                    raise not_media
                image.load()
                return _reencoded(image, image.format)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise not_media from None


def _reencoded(image: Image.Image, fmt: str) -> Media:
    """The image re-encoded in its own format, upright and without metadata."""
    upright = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    upright.save(out, format=fmt)
    content_type, extension = IMAGES[fmt]
    return Media("image", content_type, extension, out.getvalue())

"""A centre's photos and videos: checked by content, stored under the uploads folder with
paths from validated identifiers, seen by that centre's staff and patients only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from exonc.errors import AccessDenied
from exonc.platform.accounts.models import User
from exonc.platform.guides import attachments
from exonc.platform.guides.models import GuideAttachment
from exonc.platform.trial.models import Centre
from tests.platform.guides.conftest import Approve, client

pytestmark = pytest.mark.django_db

#: The first bytes of an MP4 file: a 24-byte ``ftyp`` box, brand isom (ISO/IEC 14496-12).
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
#: An EBML header whose DocType is "webm" (the Matroska/WebM specification).
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 64


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), "#336699")
    exif = Image.Exif()
    exif[0x010E] = "taken at home"  # ImageDescription
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _post(user: User, name: str, data: bytes, caption: str = "Our leg-press machine") -> object:
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client(user).post(
        "/guides/leg-press-starting-out/attach/",
        {"centre": "NL-UTR", "file": upload, "caption": caption},
    )


def _files(var: Path) -> list[Path]:
    return sorted(p for p in (var / "uploads").rglob("*") if p.is_file())


def test_a_photo_is_decoded_re_encoded_and_stored_by_its_hash(physio: User, var: Path) -> None:
    response = _post(physio, "photo.jpg", _jpeg_with_exif())
    assert response.status_code == 302  # type: ignore[attr-defined]
    row = GuideAttachment.objects.get()
    (stored,) = _files(var)
    assert stored == var / "uploads" / row.stored_as
    assert row.stored_as == f"guides/NL-UTR/leg-press-starting-out/{row.sha256}.jpg"
    assert (row.kind, row.content_type, row.size) == ("image", "image/jpeg", stored.stat().st_size)
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (40, 30)
        assert 0x010E not in image.getexif()  # metadata dropped
    assert (
        row.history.get().history_change_reason == "image attached to guide leg-press-starting-out"
    )


@pytest.mark.parametrize(
    ("data", "kind", "extension"), [(MP4, "video/mp4", "mp4"), (WEBM, "video/webm", "webm")]
)
def test_a_video_is_recognised_by_its_container(
    physio: User, var: Path, data: bytes, kind: str, extension: str
) -> None:
    _post(physio, "clip.bin", data)
    row = GuideAttachment.objects.get()
    assert (row.kind, row.content_type) == ("video", kind)
    assert row.stored_as.endswith(f".{extension}")
    assert _files(var)[0].read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", b"%PDF-1.7 not a photo at all"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),  # a PNG signature, no image
        ("script.jpg", b"<script>alert(1)</script>"),
    ],
)
def test_a_file_that_is_not_a_photo_or_video_is_a_form_error_and_nothing_is_stored(
    physio: User, var: Path, name: str, data: bytes
) -> None:
    response = _post(physio, name, data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "this file is not a photo" in response.content.decode()  # type: ignore[attr-defined]
    assert not GuideAttachment.objects.exists()
    assert _files(var) == []


def test_a_caption_is_required(physio: User, var: Path) -> None:
    response = _post(physio, "photo.jpg", _jpeg_with_exif(), caption="   ")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert _files(var) == []
    assert not GuideAttachment.objects.exists()


def test_staff_attach_only_for_their_own_centre(
    other_physio: User, centres: dict[str, Centre]
) -> None:
    upload = SimpleUploadedFile("p.jpg", _jpeg_with_exif())
    with pytest.raises(AccessDenied):
        attachments.attach(
            other_physio, "sit-to-stand", centre=centres["NL-UTR"], upload=upload, caption="x"
        )
    response = _post(other_physio, "p.jpg", _jpeg_with_exif())
    assert response.status_code == 400  # NL-UTR is not among her centres' choices
    assert not GuideAttachment.objects.exists()


def _download(user: User, url: str) -> tuple[int, str]:
    response = client(user).get(url)
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    for closer in response._resource_closers:  # close the file, not the response (which
        closer()  # would signal the end of a request and close the test database)
    return response.status_code, response["Content-Type"]


def test_who_sees_an_attachment(
    physio: User, other_physio: User, patient: User, approve: Approve
) -> None:
    approve()
    _post(physio, "photo.jpg", _jpeg_with_exif())
    row = GuideAttachment.objects.get()
    url = f"/guides/attachments/{row.pk}/"
    assert _download(physio, url) == (200, "image/jpeg")
    assert _download(patient, url) == (200, "image/jpeg")  # her centre's
    assert client(other_physio).get(url).status_code == 404  # another centre's staff
    assert client().get(url).status_code == 302  # sign in first
    # No fitness test yet: she is "starting out", so the level-1 leg press is hers.
    page = client(patient).get("/hub/guides/leg-press-starting-out/?format=json").json()
    assert page["attachments"] == [
        {"id": row.pk, "kind": "image", "caption": "Our leg-press machine", "centre": "NL-UTR"}
    ]
    public = client().get("/guides/leg-press-starting-out/?format=json").json()
    assert public["attachments"] == []  # the public never sees a centre's media


def test_paths_are_built_from_validated_identifiers(centres: dict[str, Centre]) -> None:
    centre = centres["NL-UTR"]
    centre.code = "../../etc"
    from exonc.errors import InputError

    with pytest.raises(InputError):
        attachments._folder(centre, "sit-to-stand")

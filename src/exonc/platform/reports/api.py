"""REST endpoints of locked datasets (``/api/reports/locks/…``): the lock in the formats
other systems read, with the same rule as the pages (statisticians and administrators)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from exonc.platform.reports import exchange
from exonc.platform.reports.models import DataLock
from exonc.platform.reports.services import require_statistician
from exonc.platform.web import user_of

router = Router(tags=["reports"])


def _file(content_type: str, description: str) -> dict[str, Any]:
    """The OpenAPI description of a 200 that is a file of *content_type*."""
    body = {content_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": description, "content": body}}}


def _download(request: HttpRequest, lock_id: int, kind: str) -> FileResponse:
    user = user_of(request)
    require_statistician(user)
    found = get_object_or_404(DataLock, pk=lock_id)
    made = exchange.export_lock(user, found, kind)
    return FileResponse(
        made.file, as_attachment=True, filename=made.filename, content_type=made.content_type
    )


@router.get(
    "/reports/locks/{lock_id}/redcap.zip",
    openapi_extra=_file("application/zip", "The REDCap project: four CSV files."),
)
def redcap(request: HttpRequest, lock_id: int) -> FileResponse:
    """The lock as a longitudinal REDCap project (data dictionary, events, instruments,
    records), zipped."""
    return _download(request, lock_id, "redcap")


@router.get(
    "/reports/locks/{lock_id}/odm.xml",
    openapi_extra=_file("application/xml", "CDISC ODM 1.3.2, valid against its XSD."),
)
def odm(request: HttpRequest, lock_id: int) -> FileResponse:
    """The lock as one CDISC ODM 1.3.2 file (metadata, clinical data, audit records)."""
    return _download(request, lock_id, "odm")


@router.get(
    "/reports/locks/{lock_id}/fhir.zip",
    openapi_extra=_file("application/zip", "FHIR R4 NDJSON, one file per resource type."),
)
def fhir(request: HttpRequest, lock_id: int) -> FileResponse:
    """The lock as FHIR R4 Bulk Data NDJSON files, zipped; every resource validated."""
    return _download(request, lock_id, "fhir")

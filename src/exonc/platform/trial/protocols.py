"""The protocol the platform runs under, registered in the database once per file version."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.db import transaction

from exonc.platform.trial.models import Centre, ProtocolVersion
from exonc.protocol import Protocol, load_protocol


@cache
def active_protocol() -> Protocol:
    """The protocol file named by ``EXONC_PROTOCOL`` (the shipped default otherwise)."""
    return load_protocol(settings.EXONC.protocol_path)


def protocol_version(protocol: Protocol | None = None) -> ProtocolVersion:
    """The database row for *protocol* (the active one by default), created on first use."""
    protocol = protocol or active_protocol()
    with transaction.atomic():
        row, _ = ProtocolVersion.objects.get_or_create(
            checksum=protocol.checksum,
            defaults={
                "name": protocol.name,
                "version": protocol.version,
                "source": protocol.text,
            },
        )
    return row


def sync_centres(protocol: Protocol | None = None) -> list[Centre]:
    """Create or update the protocol's centres (an amendment may add a centre)."""
    protocol = protocol or active_protocol()
    centres = []
    with transaction.atomic():
        for c in protocol.centres:
            centre, _ = Centre.objects.update_or_create(
                code=c.code,
                defaults={"name": c.name, "country": c.country, "time_zone": c.time_zone},
            )
            centres.append(centre)
    return centres

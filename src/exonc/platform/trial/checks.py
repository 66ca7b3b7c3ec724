"""Start-up checks: the platform refuses to run under a protocol file that does not validate."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error

from exonc.errors import ProtocolError
from exonc.platform.trial.protocols import active_protocol


def protocol_is_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        active_protocol()
    except ProtocolError as error:
        return [
            Error(str(error), hint="fix the protocol file named by EXONC_PROTOCOL", id="exonc.E001")
        ]
    return []

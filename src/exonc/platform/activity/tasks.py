"""Work the task consumer does for activity: clean up after killed imports when it starts."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey.contrib.djhuey import on_startup

from exonc.platform.activity.orphans import remove_orphan_uploads

log = logging.getLogger(__name__)


@on_startup()  # type: ignore[untyped-decorator]  # huey has no hints
def remove_orphans_at_start() -> None:
    """``exonc worker`` (and the consumer of ``exonc serve``) removes orphan upload folders."""
    for folder in remove_orphan_uploads(timezone.now()):
        log.warning("removed the upload folder %s, which no import recorded", folder)

"""Upload folders that no import records: left by an import that was killed midway.

An import keeps its files in ``<uploads>/activity/<study ID>/<upload>/`` before it records
them; a process killed between the two (a server restart, an out-of-memory kill) leaves the
folder behind. :func:`remove_orphan_uploads` removes such folders once they are old enough
that no import can still be running in them. The task consumer runs it when it starts
(``exonc worker``, and the consumer ``exonc serve`` starts), see ``tasks.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from django.conf import settings

from exonc.paths import remove_inside
from exonc.platform.activity.models import ImportedFile

#: An import still running has written its folder more recently than this.
MIN_AGE: Final = dt.timedelta(hours=1)


def remove_orphan_uploads(now: dt.datetime, *, min_age: dt.timedelta = MIN_AGE) -> list[Path]:
    """Remove upload folders that no recorded file lies in and that are older than
    *min_age*; the folders removed (relative to the uploads folder)."""
    uploads = Path(settings.EXONC.uploads).resolve()
    root = uploads / "activity"
    if not root.is_dir():
        return []
    recorded = {
        Path(stored).parts[:3]
        for stored in ImportedFile.objects.values_list("stored_as", flat=True).iterator()
    }
    cutoff = (now - min_age).timestamp()
    removed = []
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir() and not p.is_symlink()):
        relative = folder.relative_to(uploads)
        if relative.parts in recorded or folder.stat().st_mtime > cutoff:
            continue
        remove_inside(uploads, folder)
        removed.append(relative)
    return removed

"""Start-up check: the stored allocation sequences still match their recorded SHA-256.

:func:`refuse_unverified` runs when the platform starts (``exonc serve`` and the WSGI
application) and stops it with one line naming the sequence and what to do; the same
check is a Django system check (``django-admin check``). Allocation verifies again
before every allocation, so a list changed while the server runs is refused too.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.db import DatabaseError

from exonc.errors import ExoncError, ListIntegrityError


def allocation_sequences(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from exonc.platform.allocation.sequences import verify_current

    try:
        problems = verify_current()
    except DatabaseError:  # not migrated yet: nothing is stored to verify
        return []
    except ExoncError as error:  # e.g. a protocol file that no longer loads
        problems = [str(error)]
    return [
        Error(
            problem,
            hint="do not allocate; the trial statistician checks the list with "
            "`exonc allocation verify --sha256 HASH` against the checksum she recorded",
            id="exonc.allocation.E001",
        )
        for problem in problems
    ]


def refuse_unverified() -> None:
    """Raise :class:`ListIntegrityError` if a stored sequence fails verification.

    A database that cannot be read yet (not migrated) has nothing to verify.
    """
    messages = allocation_sequences()
    if messages:
        raise ListIntegrityError(
            "; ".join(str(m.msg) for m in messages) + " (the platform does not start)"
        )

"""The allocation log for the trial statistician and the data monitoring committee.

One row per allocation in trial order, with pseudonymous study IDs only (no staff names):
``sequence``, ``study_id``, ``centre``, ``allocated_on`` (the centre's date),
``allocated_at`` (UTC), ``stratum``, one column per further stratification factor
(``line_of_treatment``; the ``centre`` factor is the ``centre`` column), ``arm``,
``method``, ``purpose`` (live or test), ``list_position``, ``decision``, ``protocol``
and ``corrections`` (each documented correction as ``kind: problem — action``, joined by
`` | ``). Statisticians and administrators only: the log of every centre's allocations
lets one guess the next allocation in a stratum, so site staff never get it.
"""

from __future__ import annotations

import datetime as dt

from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation.design import stratum_from_label, trial_design
from exonc.platform.allocation.models import Allocation, AllocationCorrection
from exonc.platform.exports import ExportTable

_FIXED = ("sequence", "study_id", "centre", "allocated_on", "allocated_at", "stratum")
_AFTER = ("arm", "method", "purpose", "list_position", "decision", "protocol", "corrections")

#: Who may read the allocation log and the balance reports (administrators always may).
READERS = (Role.STATISTICIAN,)


class AllocationLog(ExportTable):
    """The allocation log for the trial statistician and the DMC."""


def allocation_log(user: User) -> AllocationLog:
    """Every allocation with its corrections, in the order given."""
    access.require_role(user, *READERS)
    # The centre factor is the centre column; other factors get a column each.
    factors = [f for f in trial_design().factor_names if f not in _FIXED]
    allocations = Allocation.objects.select_related(
        "participant__centre", "protocol_version"
    ).prefetch_related("corrections")
    rows = [_row(a, factors) for a in allocations.order_by("sequence")]
    return AllocationLog([*_FIXED, *factors, *_AFTER], rows)


def _row(a: Allocation, factors: list[str]) -> dict[str, object]:
    levels = stratum_from_label(a.stratum).as_dict()
    return {
        "sequence": a.sequence,
        "study_id": a.participant.study_id,
        "centre": a.participant.centre.code,
        "allocated_on": a.allocated_on,
        "allocated_at": a.allocated_at.astimezone(dt.UTC),
        "stratum": a.stratum,
        **{name: levels.get(name, "") for name in factors},
        "arm": a.arm,
        "method": a.method,
        "purpose": a.purpose,
        "list_position": a.list_position,
        "decision": a.decision,
        "protocol": str(a.protocol_version),
        "corrections": " | ".join(_correction(c) for c in a.corrections.all()),
    }


def _correction(c: AllocationCorrection) -> str:
    return f"{c.kind}: {c.problem} — {c.action}"

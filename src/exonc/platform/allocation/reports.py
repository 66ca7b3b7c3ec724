"""Balance by arm and the CONSORT allocation numbers, from the allocation records.

The figures come from :func:`exonc.randomisation.balance_report` and
:func:`exonc.randomisation.allocation_counts` over the allocations of one purpose (the live
ones; the test ones in a training database), as given: corrections document mistakes but
never move a participant to another arm or stratum (intention to treat). Statisticians and
administrators only — within-stratum balance helps to guess the next allocation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from exonc.errors import InputError, NoAllocationSequence
from exonc.platform import access
from exonc.platform.accounts.models import User
from exonc.platform.allocation import sequences
from exonc.platform.allocation.design import stratum_from_label, trial_design
from exonc.platform.allocation.log import READERS
from exonc.platform.allocation.models import Allocation, Purpose
from exonc.platform.trial.protocols import active_protocol
from exonc.randomisation import Assignment, allocation_counts, balance_report


@dataclass(frozen=True)
class ArmCount:
    arm: str
    name: str
    n: int
    proportion: float | None
    target_proportion: float


@dataclass(frozen=True)
class AllocationReport:
    purpose: str
    method: str
    randomised: int
    arms: list[ArmCount]
    corrected: int
    columns: list[str]
    balance: list[dict[str, object]]
    overall_imbalance: float
    max_margin_imbalance: float
    max_stratum_imbalance: float


def allocation_report(user: User, purpose: str | None = None) -> AllocationReport:
    """Balance and CONSORT numbers of *purpose*'s allocations (the current one by default)."""
    access.require_role(user, *READERS)
    purpose = purpose or _current_purpose()
    if purpose not in Purpose.values:
        raise InputError("must be live or test", column="purpose", value=purpose)
    design = trial_design()
    given = Allocation.objects.filter(purpose=purpose)
    assignments = [
        Assignment(stratum_from_label(row["stratum"]).as_dict(), row["arm"])
        for row in given.values("stratum", "arm").annotate(n=Count("id")).order_by()
        for _ in range(row["n"])
    ]
    balance = balance_report(design, assignments)
    counts = allocation_counts(design, assignments)
    names = {arm.code: arm.name for arm in active_protocol().arms}
    table = balance.table
    return AllocationReport(
        purpose=purpose,
        method=design.method,
        randomised=counts.randomised,
        arms=[
            ArmCount(
                arm,
                names.get(arm, arm),
                n,
                n / counts.randomised if counts.randomised else None,
                counts.target_proportions[arm],
            )
            for arm, n in counts.allocated.items()
        ],
        corrected=given.filter(corrections__isnull=False).distinct().count(),
        columns=[str(c) for c in table.columns],
        balance=[{str(k): v for k, v in row.items()} for row in table.to_dict(orient="records")],
        overall_imbalance=balance.overall_imbalance,
        max_margin_imbalance=balance.max_margin_imbalance,
        max_stratum_imbalance=balance.max_stratum_imbalance,
    )


def _current_purpose() -> str:
    try:
        return sequences.current().purpose
    except NoAllocationSequence:
        return Purpose.LIVE

"""A participant's allocation as plain data (the allocation page and its JSON twin).

This is an open-label trial: everyone who may see the participant sees her arm. Where the
allocation sits in the concealed sequence (trial sequence number, list position,
minimisation decision) is shown to trial-wide roles only — never to site staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation.design import FactorLevel, factor_levels, stratum_from_label
from exonc.platform.allocation.models import Allocation, AllocationCorrection, CorrectionKind
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol


@dataclass(frozen=True)
class CorrectionLine:
    kind: str
    kind_label: str
    problem: str
    action: str
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class AllocationRecord:
    study_id: str
    centre: str
    randomised: bool
    arm: str | None
    arm_name: str | None
    allocated_on: dt.date | None
    allocated_at: dt.datetime | None
    allocated_by: str | None
    levels: list[FactorLevel]
    purpose: str | None
    method: str | None
    corrections: list[CorrectionLine]
    may_randomise: bool
    may_correct: bool
    correction_kinds: list[tuple[str, str]]
    # trial-wide roles only
    sequence: int | None = None
    list_position: int | None = None
    decision: int | None = None


def allocation_record(user: User, participant: Participant) -> AllocationRecord:
    """*participant*'s allocation as *user* may see it (the participant is already in scope)."""
    allocation = Allocation.objects.filter(participant=participant).first()
    coordinating = user.role in {Role.COORDINATOR, Role.ADMINISTRATOR} or user.is_superuser
    if allocation is None:
        return AllocationRecord(
            study_id=participant.study_id,
            centre=participant.centre.code,
            randomised=False,
            arm=None,
            arm_name=None,
            allocated_on=None,
            allocated_at=None,
            allocated_by=None,
            levels=[],
            purpose=None,
            method=None,
            corrections=[],
            may_randomise=coordinating,
            may_correct=False,
            correction_kinds=[],
        )
    wide = user.is_trial_wide
    return AllocationRecord(
        study_id=participant.study_id,
        centre=participant.centre.code,
        randomised=True,
        arm=allocation.arm,
        arm_name=_arm_names().get(allocation.arm, allocation.arm),
        allocated_on=allocation.allocated_on,
        allocated_at=allocation.allocated_at,
        allocated_by=allocation.allocated_by.username,
        levels=_levels(allocation.stratum),
        purpose=allocation.purpose,
        method=allocation.method,
        corrections=[_correction(c) for c in allocation.corrections.select_related("recorded_by")],
        may_randomise=False,
        may_correct=coordinating,
        correction_kinds=list(CorrectionKind.choices),
        sequence=allocation.sequence if wide else None,
        list_position=allocation.list_position if wide else None,
        decision=allocation.decision if wide else None,
    )


def _arm_names() -> dict[str, str]:
    return {arm.code: arm.name for arm in active_protocol().arms}


def _levels(label: str) -> list[FactorLevel]:
    return factor_levels(stratum_from_label(label))


def _correction(c: AllocationCorrection) -> CorrectionLine:
    return CorrectionLine(
        kind=c.kind,
        kind_label=c.get_kind_display(),
        problem=c.problem,
        action=c.action,
        recorded_by=c.recorded_by.username,
        recorded_at=c.recorded_at,
    )

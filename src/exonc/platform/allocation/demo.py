"""The demo's allocations: the synthetic trial's, with their list positions, and a test list.

The synthetic trial allocates its participants in order from a stratified permuted-block
*test* list, exactly as the platform does, so each participant's list position is her
rank within her stratum. The demo stores a test list that begins with those allocations
and goes on with :data:`DEMO_EXTRA` positions per stratum generated from the public
:data:`DEMO_SEED`, so that a demo coordinator can randomise new participants.
The list has no block columns (its start is only known arm by arm) and is marked *test*:
the demo is never a real trial.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pandas as pd
from django.utils import timezone

from exonc._data import each_row
from exonc.errors import TrialStateError
from exonc.platform.accounts.models import User
from exonc.platform.allocation.design import participant_stratum, trial_design
from exonc.platform.allocation.models import Allocation, AllocationSequence, Purpose, SequenceKind
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import protocol_version
from exonc.randomisation import (
    AllocationList,
    ListEntry,
    RandomisationDesign,
    generate_list,
    list_to_csv,
)

DEMO_SEED = 20240725  # public: the demo's list is a test list
DEMO_EXTRA = 60


def load_allocations(
    table: pd.DataFrame,
    participants: dict[str, Participant],
    user: User,
    *,
    imported_from: str | None = None,
) -> None:
    """Store the synthetic allocations (in order of randomisation) and the demo's test list.

    With *imported_from* (a trial imported from another system) the allocations are live
    and their sequence holds them alone, in order of randomisation within each stratum
    (the order REDCap uses a list in), with no further positions: new participants are
    randomised only once the statistician loads the trial's real list, which begins with
    these allocations.
    """
    design = trial_design()
    given: dict[str, list[str]] = {}
    rows = []
    for number, r in enumerate(each_row(table.sort_values("randomised_on", kind="stable")), 1):
        p = participants[r.participant_id]
        stratum = participant_stratum(p, design).label
        given.setdefault(stratum, []).append(r.arm)
        rows.append((p, r, stratum, number, len(given[stratum])))
    if imported_from is None:
        source = _store(_demo_list(design, given), user)
    else:
        source = _store(
            _given_list(design, given), user, origin=imported_from, purpose=Purpose.LIVE
        )
    Allocation.objects.bulk_create(
        [
            Allocation(
                participant=p,
                arm=r.arm,
                stratum=stratum,
                method=design.method,
                sequence=number,
                source=source,
                purpose=source.purpose,
                list_position=position if design.method == "blocks" else None,
                decision=None if design.method == "blocks" else number,
                allocated_at=dt.datetime.combine(
                    r.randomised_on, dt.time(9, 0), tzinfo=ZoneInfo(p.centre.time_zone)
                ),
                allocated_on=r.randomised_on,
                allocated_by=user,
                protocol_version=source.protocol_version,
            )
            for p, r, stratum, number, position in rows
        ],
        batch_size=500,
    )


def _demo_list(design: RandomisationDesign, given: dict[str, list[str]]) -> str:
    if design.method != "blocks":
        return str(DEMO_SEED)
    more = generate_list(design, DEMO_SEED, DEMO_EXTRA, purpose="test")
    entries = [
        ListEntry(stratum.label, position, arm, stratum.as_dict())
        for stratum in design.strata()
        for position, arm in enumerate(
            [*given.get(stratum.label, []), *(e.arm for e in more.stratum(stratum.label))], 1
        )
    ]
    return list_to_csv(AllocationList(design.factor_names, tuple(entries), "test"))


def _given_list(design: RandomisationDesign, given: dict[str, list[str]]) -> str:
    if design.method != "blocks":
        raise TrialStateError(
            "an imported trial's allocations can be stored for a permuted-block protocol only"
        )
    entries = [
        ListEntry(stratum.label, position, arm, stratum.as_dict())
        for stratum in design.strata()
        for position, arm in enumerate(given.get(stratum.label, []), 1)
    ]
    return list_to_csv(AllocationList(design.factor_names, tuple(entries), "live"))


def _store(
    content: str, user: User, *, origin: str | None = None, purpose: str = Purpose.TEST
) -> AllocationSequence:
    design = trial_design()
    blocks = design.method == "blocks"
    strata = len(list(design.strata())) if blocks else 0
    sequence = AllocationSequence(
        purpose=purpose,
        kind=SequenceKind.LIST if blocks else SequenceKind.SEED,
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        strata=strata,
        positions=content.count("\n") - 1 if blocks else 0,
        origin=origin or f"demo: the synthetic trial's allocations, then seed {DEMO_SEED}",
        protocol_version=protocol_version(),
        loaded_by=user,
        loaded_at=timezone.now(),
    )
    sequence.save()
    return sequence

"""Use cases of allocation: preview what randomising will lock, randomise, correct.

Randomising is one transaction. It locks the participant's row (requests for the same
participant wait their turn), checks her — not yet randomised, stratification data
complete, eligible, consented, not withdrawn — and schedules her visits; then it locks the
current allocation sequence's row, takes the next position of her stratum (or the next
minimisation decision) and writes the final allocation. The sequence lock, which every
allocation queues on, is held only for that last step and the commit. Unique constraints
on the participant, the list position and the decision number are the last line of
defence; a transaction that loses a race or meets a busy database is retried. A refused
attempt changes nothing and is recorded with its reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max

from exonc.errors import (
    AlreadyRandomised,
    ExoncError,
    InputError,
    RandomisationError,
    TrialStateError,
)
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation import sequences
from exonc.platform.allocation.design import (
    FactorLevel,
    participant_levels,
    participant_stratum,
    stratum_from_label,
    trial_design,
)
from exonc.platform.allocation.models import (
    Allocation,
    AllocationCorrection,
    AllocationSequence,
    CorrectionKind,
    RefusedRandomisation,
    SequenceKind,
)
from exonc.platform.allocation.writers import sqlite_writers_queue
from exonc.platform.trial import services as trial_services
from exonc.platform.trial.models import Participant
from exonc.platform.trial.protocols import active_protocol, protocol_version
from exonc.randomisation import (
    MinimisationState,
    RandomisationDesign,
    Stratum,
    check_purpose,
    minimisation_generator,
    minimise,
    next_allocation,
)

#: Who may randomise and correct allocations (administrators always may).
RANDOMISING = (Role.COORDINATOR,)
ATTEMPTS = 5
T = TypeVar("T")


@dataclass(frozen=True)
class RandomisationPreview:
    """What randomising a participant will lock (her stratum), or why it cannot be done."""

    study_id: str
    centre: str
    levels: list[FactorLevel]
    stratum: str | None
    purpose: str | None
    method: str
    ready: bool
    refusal: str | None


@dataclass(frozen=True)
class _Draw:
    arm: str
    list_position: int | None = None
    decision: int | None = None


def preview(user: User, participant: Participant) -> RandomisationPreview:
    """Check everything randomising would check, without allocating (and without the arm)."""
    access.require_role(user, *RANDOMISING)
    access.require_centre(user, participant.centre)
    design = trial_design()
    try:
        raw = participant_levels(participant, design)
    except InputError:  # a factor participants have no field for: refused below
        raw = {}
    shown = [
        FactorLevel(f.code, f.name, raw.get(f.code) or "")
        for f in active_protocol().randomisation.factors
    ]
    stratum, purpose, refusal = None, None, None
    try:
        found = _check_participant(participant, design, None)
        trial_services.check_ready_for_randomisation(participant)
        stratum = found.label
        sequence = sequences.current()
        purpose = sequence.purpose
        _draw(sequence, design, found)  # only to find an exhausted list or a broken sequence
    except (TrialStateError, RandomisationError, InputError) as error:
        refusal = str(error)
    return RandomisationPreview(
        study_id=participant.study_id,
        centre=participant.centre.code,
        levels=shown,
        stratum=stratum,
        purpose=purpose,
        method=design.method,
        ready=refusal is None,
        refusal=refusal,
    )


def randomise(
    user: User,
    participant: Participant,
    *,
    now: dt.datetime,
    expected_stratum: str | None = None,
) -> Allocation:
    """Allocate *participant* and schedule her visits, or refuse and record why.

    *expected_stratum* is the stratum the user confirmed; randomising is refused if the
    participant's stratification data changed since.
    """
    try:
        return _retrying(lambda: _allocate(user, participant.pk, now, expected_stratum))
    except ExoncError as refusal:
        _record_refusal(user, participant, refusal, now)
        raise


def correct(
    user: User,
    allocation: Allocation,
    *,
    kind: str,
    problem: str,
    action: str,
    now: dt.datetime,
) -> AllocationCorrection:
    """Document a mistaken allocation; the allocation itself is never changed."""
    access.require_role(user, *RANDOMISING)
    access.require_centre(user, allocation.participant.centre)
    if kind not in CorrectionKind.values:
        raise InputError(
            f"must be one of {', '.join(CorrectionKind.values)}", column="kind", value=kind
        )
    texts = {"problem": problem.strip(), "action": action.strip()}
    for column, text in texts.items():
        if not text:
            raise InputError(
                "is empty",
                column=column,
                hint="say what was wrong and what is done about it; the allocation stays as given",
            )
    correction = AllocationCorrection(
        allocation=allocation, kind=kind, recorded_by=user, recorded_at=now, **texts
    )
    with transaction.atomic():
        correction.save()
    return correction


def _allocate(user: User, pk: int, now: dt.datetime, expected_stratum: str | None) -> Allocation:
    access.require_role(user, *RANDOMISING)
    design = trial_design()
    with sqlite_writers_queue(), transaction.atomic():
        # The participant's row lock makes requests for the same participant wait their turn
        # (her row only, not her centre's; NO KEY: rows that refer to her may still be added).
        locked = Participant.objects.select_for_update(no_key=True, of=("self",))
        participant = locked.select_related("centre").get(pk=pk)
        access.require_centre(user, participant.centre)
        stratum = _check_participant(participant, design, expected_stratum)
        allocated_on = trial_services.local_today(participant.centre, now)
        # Checks eligibility, consent and withdrawal before it writes the visits.
        visits = trial_services.schedule_visits(user, participant, randomised_on=allocated_on)
        version = visits[0].protocol_version if visits else protocol_version()
        # Allocations queue on the sequence's lock, held from here to the commit only.
        sequence = sequences.lock_current()
        draw = _draw(sequence, design, stratum)
        allocation = Allocation(
            participant=participant,
            arm=draw.arm,
            stratum=stratum.label,
            method=design.method,
            sequence=(Allocation.objects.aggregate(last=Max("sequence"))["last"] or 0) + 1,
            source=sequence,
            purpose=sequence.purpose,
            list_position=draw.list_position,
            decision=draw.decision,
            allocated_at=now,
            allocated_on=allocated_on,
            allocated_by=user,
            protocol_version=version,
        )
        allocation.save()
    return allocation


def _check_participant(
    participant: Participant, design: RandomisationDesign, expected_stratum: str | None
) -> Stratum:
    given = Allocation.objects.filter(participant=participant).first()
    if given is not None:
        raise AlreadyRandomised(
            f"{participant.study_id} was randomised on {given.allocated_on}; an allocation "
            "is final — record a correction if it was given in error"
        )
    stratum = participant_stratum(participant, design)
    if expected_stratum is not None and expected_stratum != stratum.label:
        raise TrialStateError(
            f"{participant.study_id}'s stratification data changed since you confirmed "
            f"({expected_stratum} is now {stratum.label}); review them and confirm again"
        )
    return stratum


def _draw(sequence: AllocationSequence, design: RandomisationDesign, stratum: Stratum) -> _Draw:
    mine = Allocation.objects.filter(purpose=sequence.purpose)
    if sequence.kind == SequenceKind.LIST:
        allocation_list = sequences.verified_list(sequence, design)
        positions = mine.filter(stratum=stratum.label).values_list("list_position", flat=True)
        used = [p for p in positions if p is not None]
        entry = next_allocation(allocation_list, stratum.label, used)
        return _Draw(entry.arm, list_position=entry.position)
    seed = sequences.verified_seed(sequence, design)
    number = (mine.aggregate(last=Max("decision"))["last"] or 0) + 1
    generator = minimisation_generator(seed, check_purpose(sequence.purpose), number)
    decision = minimise(
        design, _minimisation_state(design, sequence.purpose), stratum.as_dict(), generator
    )
    return _Draw(decision.arm, decision=number)


def _minimisation_state(design: RandomisationDesign, purpose: str) -> MinimisationState:
    """Counts per factor level and arm, from a GROUP BY over the allocation records."""
    rows = Allocation.objects.filter(purpose=purpose).values("stratum", "arm")
    counts = [
        (factor, level, row["arm"], row["n"])
        for row in rows.annotate(n=Count("id")).order_by()
        for factor, level in stratum_from_label(row["stratum"]).levels
    ]
    return MinimisationState.from_counts(design, counts)


def _retrying(attempt: Callable[[], T]) -> T:
    """Run *attempt*, again after a lost race or a busy database (a short, growing pause)."""
    for number in range(1, ATTEMPTS + 1):
        try:
            return attempt()
        except IntegrityError:
            pass  # another request took the participant or the position first: check again
        except OperationalError as error:
            if not _transient(error):
                raise
        if number < ATTEMPTS:
            time.sleep(0.01 * number)
    raise RandomisationError(
        f"the allocation could not be completed in {ATTEMPTS} attempts (the database was "
        "busy or another allocation conflicted each time); nothing was allocated — try again"
    )


def _transient(error: OperationalError) -> bool:
    """SQLite's busy database, PostgreSQL's serialization failure or deadlock."""
    state = getattr(error.__cause__, "sqlstate", None)
    return state in {"40001", "40P01"} or "database is locked" in str(error)


def _record_refusal(
    user: User, participant: Participant, refusal: ExoncError, now: dt.datetime
) -> None:
    with transaction.atomic():
        RefusedRandomisation(
            participant=participant,
            user=user,
            attempted_at=now,
            error=type(refusal).__name__,
            reason=str(refusal),
        ).save()

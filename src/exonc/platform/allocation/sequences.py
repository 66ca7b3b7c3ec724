"""Loading, verifying and locking the concealed allocation sequence.

The trial statistician (or an administrator) loads the live list — and, separately, a test
list for training — made offline with ``exonc randomise list`` or taken from a REDCap
allocation table, or has the server generate one from her secret seed; a minimised trial
stores its secret seed instead. Each is stored once, append-only, with its purpose,
SHA-256 and who loaded it when; its content is never shown to anyone.

Allocations come from the latest *live* sequence, or from the latest *test* sequence in a
database that has no live one (training and the demo). Before every allocation the
sequence is verified: the list is parsed against the protocol's design and its canonical
checksum compared with the recorded SHA-256 (once per process, then cached by row and
checksum), and a mismatch refuses allocation with :class:`ListIntegrityError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _

from exonc.errors import InputError, ListIntegrityError, NoAllocationSequence, TrialStateError
from exonc.platform import access
from exonc.platform.accounts.models import Role, User
from exonc.platform.allocation.design import trial_design
from exonc.platform.allocation.models import (
    Allocation,
    AllocationSequence,
    Purpose,
    SequenceKind,
)
from exonc.platform.trial.protocols import protocol_version
from exonc.randomisation import (
    AllocationList,
    ListEntry,
    RandomisationDesign,
    check_purpose,
    check_seed,
    generate_list,
    list_to_csv,
    read_list_csv,
    verify_list,
)

#: Who may load sequences (administrators always may).
LOADERS = (Role.STATISTICIAN,)

_A: dict[str, str] = {
    SequenceKind.LIST: "an allocation list",
    SequenceKind.SEED: "a minimisation seed",
}
_verified: dict[tuple[int, str, RandomisationDesign], AllocationList | int] = {}


@dataclass(frozen=True)
class SequenceSummary:
    """What may be said about a stored sequence: everything except its content."""

    id: int
    purpose: str
    kind: str
    sha256: str
    strata: int
    positions: int
    used: int
    origin: str
    protocol: str
    loaded_by: str
    loaded_at: dt.datetime
    current: bool


def load_list(
    user: User, allocation_list: AllocationList, *, origin: str, now: dt.datetime
) -> AllocationSequence:
    """Store *allocation_list* (already parsed) as the sequence of its purpose.

    The list must fit the protocol's design. A list of the same purpose that allocations
    have used can only be followed by one that contains it (an extension: more positions
    or new strata, every position of the list in use unchanged).
    """
    design = _design_for(SequenceKind.LIST)
    checked = read_list_csv(
        list_to_csv(allocation_list), design=design, purpose=allocation_list.purpose
    )
    return _store(
        user,
        purpose=checked.purpose,
        kind=SequenceKind.LIST,
        content=list_to_csv(checked),
        counts=(len(checked.strata), len(checked.entries)),
        origin=origin,
        now=now,
        check=lambda previous: _check_extension(previous, checked, design),
    )


def generate_on_server(
    user: User, *, seed: int, per_stratum: int, purpose: str, now: dt.datetime
) -> AllocationSequence:
    """Generate the protocol's list from the secret *seed* and store it (the seed is not kept)."""
    design = _design_for(SequenceKind.LIST)
    made = generate_list(design, check_seed(seed), per_stratum, check_purpose(purpose))
    origin = f"generated on the server, {per_stratum} positions per stratum"
    return load_list(user, made, origin=origin, now=now)


def extend_on_server(
    user: User, *, seed: int, per_stratum: int, purpose: str, now: dt.datetime
) -> AllocationSequence:
    """Append *per_stratum* positions to every stratum of *purpose*'s list (new strata too).

    The new positions are drawn from *seed* — use a new secret seed, not the one the list
    was made with, whose first blocks it would repeat. Blocks are numbered on from the
    stratum's last block; a stratum imported without blocks stays without.
    """
    design = _design_for(SequenceKind.LIST)
    previous = current(check_purpose(purpose))
    base = verified_list(previous, design)
    more = generate_list(design, check_seed(seed), per_stratum, check_purpose(purpose))
    entries = list(base.entries)
    for stratum in design.strata():
        entries += _appended(base.stratum(stratum.label), more.stratum(stratum.label))
    extended = AllocationList(design.factor_names, tuple(entries), base.purpose)
    origin = f"extension of {previous.sha256[:12]}: {per_stratum} more positions per stratum"
    return load_list(user, extended, origin=origin, now=now)


def _appended(old: tuple[ListEntry, ...], new: tuple[ListEntry, ...]) -> list[ListEntry]:
    offset = old[-1].position if old else 0
    blocks = not old or old[0].block is not None
    last_block = max((e.block or 0 for e in old), default=0)
    return [
        replace(
            e,
            position=e.position + offset,
            block=e.block + last_block if blocks and e.block is not None else None,
            block_size=e.block_size if blocks else None,
        )
        for e in new
    ]


def store_seed(user: User, *, seed: int, purpose: str, now: dt.datetime) -> AllocationSequence:
    """Store the secret seed a minimised trial draws its decisions from."""
    _design_for(SequenceKind.SEED)

    def refuse_replacement(previous: AllocationSequence) -> None:
        raise TrialStateError(
            f"the {previous.purpose} {previous.get_kind_display().lower()} is in use; "
            "a sequence that allocations were drawn from cannot be replaced by a seed"
        )

    return _store(
        user,
        purpose=check_purpose(purpose),
        kind=SequenceKind.SEED,
        content=str(check_seed(seed)),
        counts=(0, 0),
        origin="minimisation seed",
        now=now,
        check=refuse_replacement,
    )


def current(purpose: str | None = None) -> AllocationSequence:
    """The sequence allocations come from: the latest live one, else the latest test one."""
    purposes = [purpose] if purpose else [Purpose.LIVE, Purpose.TEST]
    for p in purposes:
        found = AllocationSequence.objects.filter(purpose=p).order_by("-id").first()
        if found is not None:
            return found
    raise NoAllocationSequence(
        "no allocation list or minimisation seed is loaded; the trial statistician loads "
        "one with `exonc allocation load` (or `generate`, or `seed` for minimisation)"
    )


def lock_current() -> AllocationSequence:
    """Lock the current sequence's row until the transaction ends: allocations queue here.

    On PostgreSQL this is a row lock (``SELECT … FOR UPDATE``); SQLite has no row locks,
    but the platform's SQLite transactions are ``IMMEDIATE`` and so take the database's
    write lock when they begin.
    """
    rows = AllocationSequence.objects.select_for_update(no_key=True).only(
        "id", "purpose", "kind", "sha256", "protocol_version_id"
    )
    for purpose in (Purpose.LIVE, Purpose.TEST):
        found = rows.filter(purpose=purpose).order_by("-id").first()
        if found is not None:
            return found
    return current()  # raises NoAllocationSequence


def verified_list(sequence: AllocationSequence, design: RandomisationDesign) -> AllocationList:
    """The sequence's list, verified against its recorded SHA-256 and the design."""
    found = _verified_content(sequence, design)
    if not isinstance(found, AllocationList):
        raise NoAllocationSequence(_wrong_kind(sequence, design))
    return found


def verified_seed(sequence: AllocationSequence, design: RandomisationDesign) -> int:
    found = _verified_content(sequence, design)
    if isinstance(found, AllocationList):
        raise NoAllocationSequence(_wrong_kind(sequence, design))
    return found


def verify_current() -> list[str]:
    """Verify every purpose's current sequence; the problems found (none when all is well)."""
    problems = []
    for purpose in Purpose.values:
        sequence = AllocationSequence.objects.filter(purpose=purpose).order_by("-id").first()
        if sequence is None:
            continue
        try:
            found = _verified_content(sequence, trial_design(), reload=True)
        except (ListIntegrityError, NoAllocationSequence) as error:
            problems.append(f"{purpose} sequence {sequence.sha256[:12]}: {error}")
            continue
        if isinstance(found, AllocationList):
            problems += _contradictions(sequence, found)
    return problems


def _contradictions(sequence: AllocationSequence, found: AllocationList) -> list[str]:
    """One problem if recorded allocations of the sequence's purpose disagree with it."""
    wrong = _contradicted(sequence.purpose, found)
    if not wrong:
        return []
    study_id, stratum, position = wrong[0]
    return [
        _(
            "%(purpose)s sequence %(sha)s: %(count)s recorded allocation(s) disagree with the "
            "current list, first %(study_id)s (position %(position)s of stratum %(stratum)s); "
            "the list was replaced — do not allocate: ask the trial statistician to reload "
            "the list the allocations were drawn from"
        )
        % {
            "purpose": sequence.purpose,
            "sha": sequence.sha256[:12],
            "count": len(wrong),
            "study_id": study_id,
            "position": position,
            "stratum": stratum,
        }
    ]


def forget_verified() -> None:
    """Drop the verified lists this process holds (the next allocation verifies again)."""
    _verified.clear()


def summaries() -> list[SequenceSummary]:
    """Metadata of every stored sequence, oldest first (for administrators and the CLI)."""
    sequences = AllocationSequence.objects.select_related("loaded_by", "protocol_version")
    latest = {p: current_id for p in Purpose.values if (current_id := _latest_id(p)) is not None}
    return [
        SequenceSummary(
            id=s.pk,
            purpose=s.purpose,
            kind=s.kind,
            sha256=s.sha256,
            strata=s.strata,
            positions=s.positions,
            used=Allocation.objects.filter(source=s).count(),
            origin=s.origin,
            protocol=str(s.protocol_version),
            loaded_by=s.loaded_by.username,
            loaded_at=s.loaded_at,
            current=latest.get(s.purpose) == s.pk,
        )
        for s in sequences.defer("content")
    ]


def _latest_id(purpose: str) -> int | None:
    return (
        AllocationSequence.objects.filter(purpose=purpose)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def _design_for(kind: str) -> RandomisationDesign:
    design = trial_design()
    wanted = SequenceKind.LIST if design.method == "blocks" else SequenceKind.SEED
    if kind != wanted:
        raise TrialStateError(
            f"the protocol randomises by {design.method}, which needs {_A[wanted]}, not {_A[kind]}"
        )
    return design


def _store(
    user: User,
    *,
    purpose: str,
    kind: str,
    content: str,
    counts: tuple[int, int],
    origin: str,
    now: dt.datetime,
    check: Callable[[AllocationSequence], None],
) -> AllocationSequence:
    access.require_role(user, *LOADERS)
    with transaction.atomic():
        previous = AllocationSequence.objects.select_for_update().filter(purpose=purpose).last()
        _check_no_mixing(purpose)
        if previous is not None and Allocation.objects.filter(purpose=purpose).exists():
            check(previous)
        sequence = AllocationSequence(
            purpose=purpose,
            kind=kind,
            content=content,
            sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
            strata=counts[0],
            positions=counts[1],
            origin=origin[:300],
            protocol_version=protocol_version(),
            loaded_by=user,
            loaded_at=now,
        )
        sequence.save()
    return sequence


def _check_no_mixing(purpose: str) -> None:
    """A live sequence may not join test allocations: the trial's log must be one or the other."""
    if purpose == Purpose.LIVE and Allocation.objects.filter(purpose=Purpose.TEST).exists():
        raise TrialStateError(
            "this database holds allocations from the test list; load the live sequence "
            "into the trial's production database, which has none"
        )


def _check_extension(
    previous: AllocationSequence, new: AllocationList, design: RandomisationDesign
) -> None:
    """Once allocations of a purpose exist, a new list must extend the latest list they were
    drawn from and agree with every allocation ever recorded for the purpose — not only
    with the list loaded just before it (which may be an unused extension)."""
    used = (
        AllocationSequence.objects.filter(purpose=previous.purpose, allocations__isnull=False)
        .order_by("-id")
        .first()
    )
    kept = {(e.stratum, e.position): e.arm for e in new.entries}
    for entry in verified_list(used or previous, design).entries:
        if kept.get((entry.stratum, entry.position)) != entry.arm:
            raise TrialStateError(
                f"the {previous.purpose} list is in use and the new list changes position "
                f"{entry.position} of stratum {entry.stratum}; a list in use can only be "
                "extended — load a list that begins with the current one"
            )
    for study_id, stratum, position in _contradicted(previous.purpose, new):
        raise TrialStateError(
            _(
                "the new %(purpose)s list contradicts the recorded allocation of %(study_id)s "
                "(position %(position)s of stratum %(stratum)s); a list in use can only be "
                "extended — load a list that begins with the current one"
            )
            % {
                "purpose": previous.purpose,
                "study_id": study_id,
                "position": position,
                "stratum": stratum,
            }
        )


def _contradicted(purpose: str, allocation_list: AllocationList) -> list[tuple[str, str, int]]:
    """Recorded list allocations of *purpose* the list disagrees with (study ID, stratum,
    position), in the order they were made."""
    arms = {(e.stratum, e.position): e.arm for e in allocation_list.entries}
    recorded = (
        Allocation.objects.filter(purpose=purpose, list_position__isnull=False)
        .order_by("sequence")
        .values_list("participant__study_id", "stratum", "list_position", "arm")
    )
    return [
        (study_id, stratum, position or 0)
        for study_id, stratum, position, arm in recorded
        if arms.get((stratum, position or 0)) != arm
    ]


def _verified_content(
    sequence: AllocationSequence, design: RandomisationDesign, *, reload: bool = False
) -> AllocationList | int:
    key = (sequence.pk, sequence.sha256, design)
    if reload or key not in _verified:
        content = AllocationSequence.objects.values_list("content", flat=True).get(pk=sequence.pk)
        _verified[key] = _verify(sequence, content, design)
    return _verified[key]


def _verify(
    sequence: AllocationSequence, content: str, design: RandomisationDesign
) -> AllocationList | int:
    if sequence.kind == SequenceKind.SEED:
        if hashlib.sha256(content.encode("utf-8")).hexdigest() != sequence.sha256:
            raise ListIntegrityError(_tampered(sequence, "minimisation seed"))
        return int(content)
    try:
        parsed = read_list_csv(content, design=design, purpose=check_purpose(sequence.purpose))
        verify_list(parsed, sequence.sha256)
    except ListIntegrityError:
        raise ListIntegrityError(_tampered(sequence, "allocation list")) from None
    except InputError as error:  # the stored list no longer fits the protocol's design
        raise ListIntegrityError(
            f"the stored {sequence.purpose} allocation list does not fit the protocol's "
            f"randomisation design ({error}); load a list made for this protocol version"
        ) from None
    return parsed


def _tampered(sequence: AllocationSequence, what: str) -> str:
    return (
        f"the stored {sequence.purpose} {what} does not match its recorded SHA-256 "
        f"{sequence.sha256}; it has been changed since it was loaded — do not allocate: ask "
        "the trial statistician to check it with `exonc allocation verify` and reload it"
    )


def _wrong_kind(sequence: AllocationSequence, design: RandomisationDesign) -> str:
    return (
        f"the protocol randomises by {design.method} but the current {sequence.purpose} "
        f"sequence is a {sequence.get_kind_display().lower()}; load the matching sequence"
    )

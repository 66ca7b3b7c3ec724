"""Storing the concealed sequence: loading, generating, extending, verifying, minimisation."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.core import checks
from django.db import connection

from exonc.errors import (
    AccessDenied,
    ListIntegrityError,
    RandomisationInputError,
    TrialStateError,
)
from exonc.platform.accounts.models import User
from exonc.platform.allocation import design as allocation_design
from exonc.platform.allocation import sequences, services
from exonc.platform.allocation.checks import allocation_sequences, refuse_unverified
from exonc.platform.allocation.design import trial_design
from exonc.platform.allocation.models import Allocation, AllocationSequence
from exonc.platform.trial.models import Participant
from exonc.protocol import default_protocol_path, parse_protocol
from exonc.randomisation import (
    AllocationList,
    generate_list,
    list_checksum,
    list_to_csv,
    read_list_csv,
    replay_minimisation,
)
from tests.platform.allocation.conftest import (
    HAND_LIST,
    HAND_SHA256,
    NOW,
    SEED,
    MakeReady,
    hand_list,
)

pytestmark = pytest.mark.django_db


def test_loading_stores_the_canonical_list_with_its_checksum(statistician: User) -> None:
    stored = sequences.load_list(statistician, hand_list(), origin="list file x.csv", now=NOW)
    assert stored.content == HAND_LIST
    assert stored.sha256 == HAND_SHA256
    assert (stored.purpose, stored.kind, stored.strata, stored.positions) == ("live", "list", 3, 10)
    assert (stored.loaded_by, stored.loaded_at, stored.origin) == (
        statistician,
        NOW,
        "list file x.csv",
    )
    assert stored.protocol_version.name == "PREFERABLE-EFFECT"
    assert HAND_LIST not in repr(stored)
    assert "exercise" not in str(stored)


def test_a_reordered_file_gets_the_same_checksum(statistician: User) -> None:
    header, *rows = HAND_LIST.splitlines()
    shuffled = "\r\n".join([header, *reversed(rows)]) + "\r\n"
    parsed = read_list_csv(shuffled, design=trial_design())
    assert sequences.load_list(statistician, parsed, origin="x", now=NOW).sha256 == HAND_SHA256


@pytest.mark.parametrize("role", ["coordinator", "physio"])
def test_site_roles_cannot_load(role: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(AccessDenied):
        sequences.load_list(request.getfixturevalue(role), hand_list(), origin="x", now=NOW)
    assert not AllocationSequence.objects.exists()


def test_a_list_for_another_design_is_refused(statistician: User) -> None:
    other = HAND_LIST.replace("line_of_treatment", "line")
    foreign = read_list_csv(other)
    with pytest.raises(RandomisationInputError, match="line"):
        sequences.load_list(statistician, foreign, origin="x", now=NOW)
    assert not AllocationSequence.objects.exists()


def test_generating_on_the_server_gives_the_offline_list(statistician: User) -> None:
    stored = sequences.generate_on_server(
        statistician, seed=SEED, per_stratum=12, purpose="test", now=NOW
    )
    offline = generate_list(trial_design(), SEED, per_stratum=12, purpose="test")
    assert stored.sha256 == list_checksum(offline)
    assert (stored.purpose, stored.strata, stored.positions) == ("test", 16, 16 * 12)
    assert "12 positions per stratum" in stored.origin


def test_the_live_sequence_is_used_before_the_test_one(statistician: User) -> None:
    sequences.load_list(statistician, hand_list("test"), origin="test", now=NOW)
    assert sequences.current().purpose == "test"
    sequences.load_list(statistician, hand_list("live"), origin="live", now=NOW)
    assert sequences.current().purpose == "live"


def test_live_list_cannot_join_test_allocations(
    statistician: User, ready: Participant, coordinator: User
) -> None:
    sequences.load_list(statistician, hand_list("test"), origin="test", now=NOW)
    services.randomise(coordinator, ready, now=NOW)
    with pytest.raises(TrialStateError, match="holds allocations from the test list"):
        sequences.load_list(statistician, hand_list("live"), origin="live", now=NOW)


def _used(statistician: User, coordinator: User, ready: Participant) -> AllocationList:
    made = generate_list(trial_design(), SEED, per_stratum=6)
    sequences.load_list(statistician, made, origin="first", now=NOW)
    services.randomise(coordinator, ready, now=NOW)
    return made


def test_a_list_in_use_may_be_extended(
    statistician: User, coordinator: User, ready: Participant
) -> None:
    made = _used(statistician, coordinator, ready)
    stored = sequences.extend_on_server(
        statistician, seed=SEED + 1, per_stratum=4, purpose="live", now=NOW
    )
    assert sequences.current() == stored
    assert (stored.positions, AllocationSequence.objects.count()) == (16 * 10, 2)
    extended = read_list_csv(stored.content)
    label = "centre=NL-UTR|line_of_treatment=1st/2nd"
    assert extended.stratum(label)[:6] == made.stratum(label)
    assert [e.position for e in extended.stratum(label)] == list(range(1, 11))
    last_block = made.stratum(label)[-1].block or 0
    assert extended.stratum(label)[6].block == last_block + 1
    assert "extension of" in stored.origin


def test_a_list_in_use_cannot_be_replaced(
    statistician: User, coordinator: User, ready: Participant
) -> None:
    made = _used(statistician, coordinator, ready)
    flipped = {"exercise": "control", "control": "exercise"}
    other = AllocationList(
        made.factors,
        tuple(
            type(e)(e.stratum, e.position, flipped[e.arm], e.levels, e.block, e.block_size)
            for e in made.entries
        ),
    )
    with pytest.raises(TrialStateError, match="can only be extended"):
        sequences.load_list(statistician, other, origin="other", now=NOW)
    assert AllocationSequence.objects.count() == 1


def test_an_unused_list_may_be_replaced(statistician: User) -> None:
    sequences.load_list(statistician, hand_list(), origin="first", now=NOW)
    made = generate_list(trial_design(), SEED, per_stratum=6)
    assert sequences.load_list(statistician, made, origin="second", now=NOW) == sequences.current()


def test_a_seed_is_refused_for_a_blocks_protocol(statistician: User) -> None:
    with pytest.raises(
        TrialStateError,
        match="randomises by blocks, which needs an allocation list, not a minimisation seed",
    ):
        sequences.store_seed(statistician, seed=SEED, purpose="live", now=NOW)


def test_summaries_never_hold_the_content(
    statistician: User, coordinator: User, ready: Participant
) -> None:
    _used(statistician, coordinator, ready)
    (summary,) = sequences.summaries()
    assert (summary.purpose, summary.used, summary.current) == ("live", 1, True)
    assert summary.loaded_by == "stats"
    assert "exercise" not in repr(summary)


def _tamper(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_start_up_check_passes_then_names_a_changed_list(statistician: User) -> None:
    sequences.load_list(statistician, hand_list(), origin="x", now=NOW)
    assert allocation_sequences() == []
    _tamper(
        "UPDATE allocation_allocationsequence SET content = %s",
        HAND_LIST.replace("3rd+,2,1,2,control", "3rd+,2,1,2,exercise").replace(
            "3rd+,1,1,2,exercise", "3rd+,1,1,2,control"
        ),
    )
    (error,) = allocation_sequences()
    assert error in checks.run_checks()  # registered: `exonc serve` and `migrate` stop on it
    assert error.id == "exonc.allocation.E001"
    assert "live sequence" in error.msg
    assert "does not match its recorded SHA-256" in error.msg
    assert "exonc allocation verify" in (error.hint or "")
    with pytest.raises(ListIntegrityError, match=r"\(the platform does not start\)$"):
        refuse_unverified()


def test_a_list_that_no_longer_fits_the_design_is_refused(
    statistician: User, ready: Participant, coordinator: User
) -> None:
    sequences.load_list(statistician, hand_list(), origin="x", now=NOW)
    bad = HAND_LIST.replace("DE-HEI", "XX-YYY")  # a centre the protocol does not have
    _tamper("UPDATE allocation_allocationsequence SET content = %s", bad)
    with pytest.raises(ListIntegrityError, match="does not fit the protocol's randomisation"):
        services.randomise(coordinator, ready, now=NOW)


# ----------------------------------------------------------------- minimisation


def _minimising(probability: str) -> Callable[[pytest.MonkeyPatch], None]:
    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        text = default_protocol_path().read_text(encoding="utf-8")
        text = text.replace('method = "blocks"', 'method = "minimisation"').replace(
            "minimisation_probability = 0.8", f"minimisation_probability = {probability}"
        )
        protocol = parse_protocol(text.encode("utf-8"), source="minimisation.toml")
        monkeypatch.setattr(allocation_design, "active_protocol", lambda: protocol)

    return patch


def test_minimisation_decisions_can_be_replayed_from_the_seed(
    monkeypatch: pytest.MonkeyPatch, statistician: User, coordinator: User, make_ready: MakeReady
) -> None:
    _minimising("0.8")(monkeypatch)
    stored = sequences.store_seed(statistician, seed=SEED, purpose="live", now=NOW)
    assert (stored.kind, stored.content, stored.positions) == ("seed", str(SEED), 0)
    lines = ["1st/2nd", "1st/2nd", "3rd+", "1st/2nd", "3rd+", "3rd+", "1st/2nd", "1st/2nd"]
    given = [
        services.randomise(coordinator, make_ready(f"NL-UTR-{i:03d}", line=line), now=NOW)
        for i, line in enumerate(lines)
    ]
    assert [a.decision for a in given] == list(range(1, 9))
    assert {a.list_position for a in given} == {None}
    assert {a.method for a in given} == {"minimisation"}
    levels = [{"centre": "NL-UTR", "line_of_treatment": line} for line in lines]
    replayed = replay_minimisation(trial_design(), levels, SEED, "live")
    assert [a.arm for a in given] == [d.arm for d in replayed]


def test_deterministic_minimisation_balances_by_hand(
    monkeypatch: pytest.MonkeyPatch, statistician: User, coordinator: User, make_ready: MakeReady
) -> None:
    """With probability 1 only ties are random. Worked by hand (range measure, weights 1):
    P1 (UTR, 1st/2nd) meets all-zero counts: a tie, either arm. P2 (UTR, 1st/2nd): giving
    P1's arm scores 2 + 2 = 4, the other arm 0 + 0 = 0, so P2 gets the other arm. P3 (UTR,
    3rd+): centre counts 1:1 and line counts 0:0 score 1 + 1 for either arm, a tie. P4
    (UTR, 3rd+): P3's arm scores 2 + 2, the other 0 + 0: the other arm."""
    _minimising("1")(monkeypatch)
    sequences.store_seed(statistician, seed=SEED, purpose="live", now=NOW)
    arms = [
        services.randomise(coordinator, make_ready(f"NL-UTR-{i + 1:03d}", line=line), now=NOW).arm
        for i, line in enumerate(["1st/2nd", "1st/2nd", "3rd+", "3rd+"])
    ]
    assert arms[0] != arms[1]
    assert arms[2] != arms[3]


def test_a_seed_in_use_cannot_be_replaced(
    monkeypatch: pytest.MonkeyPatch, statistician: User, coordinator: User, ready: Participant
) -> None:
    _minimising("0.8")(monkeypatch)
    sequences.store_seed(statistician, seed=SEED, purpose="live", now=NOW)
    services.randomise(coordinator, ready, now=NOW)
    with pytest.raises(TrialStateError, match="cannot be replaced by a seed"):
        sequences.store_seed(statistician, seed=SEED + 1, purpose="live", now=NOW)
    assert Allocation.objects.count() == 1


def test_a_changed_seed_is_refused(
    monkeypatch: pytest.MonkeyPatch, statistician: User, coordinator: User, ready: Participant
) -> None:
    _minimising("0.8")(monkeypatch)
    sequences.store_seed(statistician, seed=SEED, purpose="live", now=NOW)
    _tamper("UPDATE allocation_allocationsequence SET content = %s", str(SEED + 1))
    with pytest.raises(ListIntegrityError, match="minimisation seed does not match"):
        services.randomise(coordinator, ready, now=NOW)


def test_a_list_is_refused_for_a_minimisation_protocol(
    monkeypatch: pytest.MonkeyPatch, statistician: User
) -> None:
    made = hand_list()
    _minimising("0.8")(monkeypatch)
    with pytest.raises(TrialStateError, match="randomises by minimisation"):
        sequences.load_list(statistician, made, origin="x", now=NOW)


def _flipped(made: AllocationList) -> AllocationList:
    flip = {"exercise": "control", "control": "exercise"}
    return AllocationList(
        made.factors,
        tuple(
            type(e)(e.stratum, e.position, flip[e.arm], e.levels, e.block, e.block_size)
            for e in made.entries
        ),
    )


def test_an_unused_extension_does_not_open_the_way_to_another_list(
    statistician: User, coordinator: User, ready: Participant
) -> None:
    """Issue 16, finding 2: L1 used once, L2 (its extension) unused, then L3 = L1 flipped."""
    made = _used(statistician, coordinator, ready)  # L1, one allocation
    sequences.extend_on_server(statistician, seed=SEED + 1, per_stratum=2, purpose="live", now=NOW)
    with pytest.raises(TrialStateError, match="can only be extended"):
        sequences.load_list(statistician, _flipped(made), origin="L3", now=NOW)
    assert AllocationSequence.objects.count() == 2
    assert sequences.verify_current() == []


def test_a_list_that_agrees_with_the_used_list_may_replace_an_unused_extension(
    statistician: User, coordinator: User, ready: Participant
) -> None:
    made = _used(statistician, coordinator, ready)
    sequences.extend_on_server(statistician, seed=SEED + 1, per_stratum=2, purpose="live", now=NOW)
    again = sequences.load_list(statistician, made, origin="L1 again", now=NOW)
    assert sequences.current() == again
    assert sequences.verify_current() == []


def test_verification_names_a_list_that_contradicts_recorded_allocations(
    statistician: User, coordinator: User, ready: Participant
) -> None:
    """A list put in place around the services (straight into the database) is found."""
    made = _used(statistician, coordinator, ready)
    first = AllocationSequence.objects.get()
    content = list_to_csv(_flipped(made))
    AllocationSequence.objects.create(
        purpose="live",
        kind="list",
        content=content,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        strata=first.strata,
        positions=first.positions,
        origin="L3",
        protocol_version=first.protocol_version,
        loaded_by=statistician,
        loaded_at=NOW,
    )
    (problem,) = sequences.verify_current()
    assert "1 recorded allocation(s) disagree with the current list, first NL-UTR-001" in problem
    (error,) = allocation_sequences()
    assert error.id == "exonc.allocation.E001"

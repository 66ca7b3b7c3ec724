"""Pocock–Simon minimisation, checked against scores and probabilities worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from exonc.errors import RandomisationInputError
from exonc.randomisation import (
    Assignment,
    MinimisationState,
    RandomisationDesign,
    allocation_probabilities,
    choose,
    imbalance_scores,
    minimisation_generator,
    minimise,
    replay_minimisation,
)


def _design(measure: str = "range", probability: float = 0.8) -> RandomisationDesign:
    return RandomisationDesign.create(
        method="minimisation",
        ratio={"A": 1, "B": 1},
        factors={"sex": ["F", "M"], "age": ["young", "old"]},
        weights={"age": 2},
        measure=measure,
        probability=probability,
    )


def _state(design: RandomisationDesign) -> MinimisationState:
    # sex F: A 3, B 1; sex M: A 0, B 2; age young: A 1, B 2; age old: A 2, B 1
    assignments = [
        *[Assignment({"sex": "F", "age": "old"}, "A")] * 2,
        Assignment({"sex": "F", "age": "young"}, "A"),
        Assignment({"sex": "F", "age": "old"}, "B"),
        *[Assignment({"sex": "M", "age": "young"}, "B")] * 2,
    ]
    return MinimisationState.from_assignments(design, assignments)


def test_state_counts_per_factor_level_and_arm() -> None:
    design = _design()
    state = _state(design)
    assert state.counts["sex"] == {"F": (3, 1), "M": (0, 2)}
    assert state.counts["age"] == {"young": (1, 2), "old": (2, 1)}
    assert state.count("sex", "M", "B") == 2
    assert state.total == 6


@pytest.mark.parametrize(
    ("measure", "scores"),
    [
        # new participant F, old; weights sex 1, age 2.
        # range:    A → sex (4,1) 3 + 2 × age (3,1) 2 = 7;   B → sex (3,2) 1 + 2 × (2,2) 0 = 1
        ("range", {"A": 7.0, "B": 1.0}),
        # variance (n − 1 divisor, two arms: d²/2):
        #           A → 9/2 + 2 × 4/2 = 8.5;                 B → 1/2 + 2 × 0 = 0.5
        ("variance", {"A": 8.5, "B": 0.5}),
    ],
)
def test_scores_and_probabilities_by_hand(measure: str, scores: dict[str, float]) -> None:
    design = _design(measure)
    decision = minimise(
        design, _state(design), {"sex": "F", "age": "old"}, np.random.default_rng(1)
    )
    assert decision.scores == pytest.approx(scores, abs=1e-12)
    assert decision.preferred == ("B",)
    assert decision.probabilities == pytest.approx({"A": 0.2, "B": 0.8}, abs=1e-12)


def test_the_uniform_draw_decides_the_arm() -> None:
    design = _design()
    u = np.random.default_rng(4).random()
    decision = minimise(
        design, _state(design), {"sex": "F", "age": "old"}, np.random.default_rng(4)
    )
    # cumulative order A (0.2) then B (0.8)
    assert decision.arm == ("A" if u < 0.2 else "B")
    assert decision.state.total == 7
    assert (
        decision.state.count("sex", "F", decision.arm)
        == _state(design).count("sex", "F", decision.arm) + 1
    )


def test_decisions_are_deterministic_given_the_generator() -> None:
    design = _design()
    arms = [
        minimise(design, _state(design), {"sex": "M", "age": "old"}, np.random.default_rng(s)).arm
        for s in range(50)
    ]
    again = [
        minimise(design, _state(design), {"sex": "M", "age": "old"}, np.random.default_rng(s)).arm
        for s in range(50)
    ]
    assert arms == again


def test_preferred_arm_is_given_with_the_design_probability() -> None:
    # 4,000 decisions from the same state: the preferred arm B about 80 % of the time;
    # binomial SE = sqrt(0.8 × 0.2 / 4000) = 0.0063, so allow 4 SE.
    design = _design()
    rng = np.random.default_rng(8)
    state = _state(design)
    share = np.mean(
        [minimise(design, state, {"sex": "F", "age": "old"}, rng).arm == "B" for _ in range(4000)]
    )
    assert share == pytest.approx(0.8, abs=4 * 0.0063)


def test_deterministic_minimisation_always_gives_the_preferred_arm() -> None:
    design = _design(probability=1.0)
    for seed in range(20):
        decision = minimise(
            design, _state(design), {"sex": "F", "age": "old"}, np.random.default_rng(seed)
        )
        assert decision.arm == "B"


def test_first_participant_of_a_one_to_one_trial_is_a_fair_coin() -> None:
    design = _design()
    decision = minimise(
        design,
        MinimisationState.empty(design),
        {"sex": "M", "age": "young"},
        np.random.default_rng(0),
    )
    # every arm gives range 1 at both factors: all tied → ratio probabilities
    assert decision.preferred == ("A", "B")
    assert decision.probabilities == {"A": 0.5, "B": 0.5}


@pytest.mark.parametrize(
    ("ratio", "counts", "probabilities"),
    [
        # 2:1, counts A 4, B 1 → A: (5/2, 1) range 1.5; B: (4/2, 2/1) range 0 → B preferred
        ({"A": 2, "B": 1}, [[4, 1]], (0.2, 0.8)),
        # 2:1, empty → A: (1/2, 0) range 0.5; B: (0, 1) range 1 → A preferred
        ({"A": 2, "B": 1}, [[0, 0]], (0.8, 0.2)),
        # 1:1:1, counts (1, 0, 0) → a: range 2; b: (1,1,0) 1; c: (1,0,1) 1 → b, c share 0.8
        ({"a": 1, "b": 1, "c": 1}, [[1, 0, 0]], (0.2, 0.4, 0.4)),
    ],
)
def test_unequal_ratios_and_several_arms(
    ratio: dict[str, int], counts: list[list[int]], probabilities: tuple[float, ...]
) -> None:
    design = RandomisationDesign.create(
        method="minimisation", ratio=ratio, factors={"line": ["x", "y"]}
    )
    scores = imbalance_scores(design, counts)
    assert allocation_probabilities(design, scores) == pytest.approx(probabilities, abs=1e-12)


def test_complete_tie_uses_the_ratio() -> None:
    design = RandomisationDesign.create(
        method="minimisation", ratio={"A": 2, "B": 1}, factors={"line": ["x"]}
    )
    assert allocation_probabilities(design, (1.0, 1.0 + 1e-12)) == pytest.approx((2 / 3, 1 / 3))


@pytest.mark.parametrize(
    ("probabilities", "u", "index"),
    [
        ((0.2, 0.8), 0.0, 0),
        ((0.2, 0.8), 0.1999, 0),
        ((0.2, 0.8), 0.2, 1),
        ((0.2, 0.8), 0.9999999, 1),
        ((0.2, 0.3, 0.5), 0.6, 2),
    ],
)
def test_choose_walks_the_cumulative_probabilities(
    probabilities: tuple[float, ...], u: float, index: int
) -> None:
    assert choose(probabilities, u) == index


def test_choose_falls_back_to_the_last_arm_on_rounding() -> None:
    assert choose((0.1, 0.2, 0.3, 0.4 - 1e-16), 1 - 1e-17) == 3


def test_replay_reproduces_the_allocation_log() -> None:
    design = _design()
    rng = np.random.default_rng(12)
    participants = [
        {"sex": str(rng.choice(["F", "M"])), "age": str(rng.choice(["young", "old"]))}
        for _ in range(30)
    ]
    decisions = replay_minimisation(design, participants, seed=77, purpose="test")
    state = MinimisationState.empty(design)
    for number, (levels, decision) in enumerate(zip(participants, decisions, strict=True), 1):
        again = minimise(design, state, levels, minimisation_generator(77, "test", number))
        assert again.arm == decision.arm
        state = again.state
    log = [Assignment(p, d.arm) for p, d in zip(participants, decisions, strict=True)]
    assert MinimisationState.from_assignments(design, log) == decisions[-1].state


def test_state_of_another_design_is_refused() -> None:
    design = _design()
    other = RandomisationDesign.create(
        method="minimisation", ratio={"A": 1, "B": 1}, factors={"sex": ["F", "M"]}
    )
    with pytest.raises(RandomisationInputError, match="does not belong to this design"):
        minimise(
            design,
            MinimisationState.empty(other),
            {"sex": "F", "age": "old"},
            np.random.default_rng(0),
        )


def test_unknown_arm_and_missing_levels_are_refused() -> None:
    design = _design()
    state = MinimisationState.empty(design)
    with pytest.raises(RandomisationInputError, match="value 'C': is not an arm"):
        state.after(design, {"sex": "F", "age": "old"}, "C")
    with pytest.raises(RandomisationInputError, match="column age: missing stratification data"):
        minimise(design, state, {"sex": "F"}, np.random.default_rng(0))


def test_state_from_grouped_counts_equals_state_from_assignments() -> None:
    design = _design()
    # the tally of _state written as GROUP BY factor, level, arm rows (zero rows left out)
    rows = [
        ("sex", "F", "A", 3),
        ("sex", "F", "B", 1),
        ("sex", "M", "B", 2),
        ("age", "young", "A", 1),
        ("age", "young", "B", 2),
        ("age", "old", "A", 2),
        ("age", "old", "B", 1),
    ]
    assert MinimisationState.from_counts(design, rows) == _state(design)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("sex", "X", "A", 1), "value 'sex=X, A': is not a factor, level and arm"),
        (("sex", "F", "C", 1), "value 'sex=F, C': is not a factor, level and arm"),
        (("sex", "F", "A", -1), "value -1: a count must be a non-negative whole number"),
    ],
)
def test_bad_grouped_counts_are_refused(row: tuple[str, str, str, int], message: str) -> None:
    with pytest.raises(RandomisationInputError) as caught:
        MinimisationState.from_counts(_design(), [row])
    assert str(caught.value).startswith(message)

"""The scoring engine on hand-checkable cases and on invariants.

Expected values are worked out by hand from the scoring manuals' formulas (the arithmetic
is in the comment of each row): EORTC (Fayers et al. 2001) functional scale
``(1 - (RS - 1) / range) * 100``, symptom scale and global QoL ``(RS - 1) / range * 100``,
RS = mean of the answered items, scored when at least half of the items are answered.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.errors import ScoringError
from exonc.questionnaires import INSTRUMENTS, Instrument
from exonc.questionnaires.definition import parse_instrument
from exonc.questionnaires.engine import score_matrix

NAN = math.nan
C30 = INSTRUMENTS["qlq-c30"]
FA12 = INSTRUMENTS["qlq-fa12"]
HADS = INSTRUMENTS["hads"]


def scores(instrument: Instrument, answers: dict[str, float]) -> dict[str, float]:
    """Score one answer set given as {item: answer}; absent items are missing."""
    row = np.array([[answers.get(code, NAN) for code in instrument.item_codes]], dtype=float)
    return {code: float(v[0]) for code, v in score_matrix(instrument, row).items()}


def c30(common: float, global_items: float, **items: float) -> dict[str, float]:
    answers = {f"q{i}": common for i in range(1, 29)} | {"q29": global_items, "q30": global_items}
    return answers | items


def same(actual: float, expected: float) -> bool:
    return (math.isnan(actual) and math.isnan(expected)) or abs(actual - expected) < 1e-9


FUNCTIONAL = ("PF", "RF", "EF", "CF", "SF")
SYMPTOMS = ("FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI")


@pytest.mark.parametrize(
    ("answers", "functional", "symptom", "ql", "summary"),
    [
        # best answers: RS = 1 on items 1-28, RS = 7 on items 29-30
        (c30(1, 7), 100.0, 0.0, 100.0, 100.0),
        # worst answers: RS = 4 / RS = 1
        (c30(4, 1), 0.0, 100.0, 0.0, 0.0),
        # all 2 and 4: functional (1 - 1/3) * 100, symptom (1/3) * 100, QL (3/6) * 100,
        # summary = mean of 5 * 66.67 and 8 * (100 - 33.33) = 66.67
        (c30(2, 4), 200 / 3, 100 / 3, 50.0, 200 / 3),
    ],
)
def test_qlq_c30_best_worst_and_uniform_answers(
    answers: dict[str, float], functional: float, symptom: float, ql: float, summary: float
) -> None:
    result = scores(C30, answers)
    assert all(same(result[s], functional) for s in FUNCTIONAL)
    assert all(same(result[s], symptom) for s in SYMPTOMS)
    assert same(result["QL"], ql)
    assert same(result["C30_SUMMARY"], summary)


@pytest.mark.parametrize(
    ("answers", "scale", "expected"),
    [
        # PF, 5 items 2,2,3,1,1: RS = 9/5 = 1.8; (1 - 0.8/3) * 100 = 73.333…
        ({"q1": 2, "q2": 2, "q3": 3, "q4": 1, "q5": 1}, "PF", 220 / 3),
        # QL, q29 = 4, q30 = 5: RS = 4.5; 3.5/6 * 100 = 58.333…
        ({"q29": 4, "q30": 5}, "QL", 175 / 3),
        # single-item scale DY = q8 = 3: (3 - 1)/3 * 100 = 66.666…
        ({"q8": 3}, "DY", 200 / 3),
        # single-item scale with its item missing: no score
        ({}, "DY", NAN),
        # half rule, 2-item RF: one of two answered (q6 = 3): RS 3; (1 - 2/3) * 100
        ({"q6": 3}, "RF", 100 / 3),
        # half rule, 2-item RF: none answered
        ({}, "RF", NAN),
        # half rule, 2-item QL on the 7-point scale: q29 = 7 alone: (7 - 1)/6 * 100
        ({"q29": 7}, "QL", 100.0),
        # half rule, 3-item FA: two of three (2, 4): RS 3; (3 - 1)/3 * 100
        ({"q10": 2, "q12": 4}, "FA", 200 / 3),
        # half rule, 3-item FA: one of three is less than half
        ({"q10": 2}, "FA", NAN),
        # half rule, 4-item EF: two of four (1, 2): RS 1.5; (1 - 0.5/3) * 100
        ({"q21": 1, "q22": 2}, "EF", 250 / 3),
        # half rule, 4-item EF: one of four
        ({"q24": 4}, "EF", NAN),
        # half rule, 5-item PF: three of five (1, 2, 4): RS 7/3; (1 - (4/3)/3) * 100
        ({"q1": 1, "q2": 2, "q3": 4}, "PF", 500 / 9),
        # half rule, 5-item PF: two of five
        ({"q4": 1, "q5": 2}, "PF", NAN),
    ],
)
def test_qlq_c30_hand_computed_scales_and_half_rule_edges(
    answers: dict[str, float], scale: str, expected: float
) -> None:
    assert same(scores(C30, answers)[scale], expected)


def test_qlq_c30_summary_needs_all_13_scales_but_not_ql_or_fi() -> None:
    # QL (q29, q30) and FI (q28) are not part of the summary (Giesinger 2016)
    without_ql_fi = {k: v for k, v in c30(1, 7).items() if k not in {"q28", "q29", "q30"}}
    assert same(scores(C30, without_ql_fi)["C30_SUMMARY"], 100.0)
    without_dyspnoea = {k: v for k, v in c30(1, 7).items() if k != "q8"}
    assert math.isnan(scores(C30, without_dyspnoea)["C30_SUMMARY"])


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # best / worst: symptom transform of RS 1 and RS 4
        ({f"q{i}": 1 for i in range(1, 13)}, dict.fromkeys(FA12.score_codes, 0.0)),
        ({f"q{i}": 4 for i in range(1, 13)}, dict.fromkeys(FA12.score_codes, 100.0)),
        # items 1-4 = 1, 2, 3, 4 (q5 missing): PHYSICAL RS 2.5, (1.5/3) * 100 = 50;
        # TOTAL has 4 of 10 items: below half, missing; single items 11, 12 missing
        (
            {"q1": 1, "q2": 2, "q3": 3, "q4": 4},
            {"PHYSICAL": 50.0, "EMOTIONAL": NAN, "TOTAL": NAN, "INTERFERENCE": NAN},
        ),
        # as above plus q9 = q10 = 2: COGNITIVE (1/3) * 100; TOTAL 6 of 10 items,
        # RS 14/6, (8/6)/3 * 100 = 400/9
        (
            {"q1": 1, "q2": 2, "q3": 3, "q4": 4, "q9": 2, "q10": 2},
            {"PHYSICAL": 50.0, "COGNITIVE": 100 / 3, "TOTAL": 400 / 9},
        ),
        # TOTAL with 5 of 10 items (1, 2, 3, 4, 4): RS 2.8, (1.8/3) * 100 = 60
        ({"q1": 1, "q2": 2, "q3": 3, "q4": 4, "q6": 4, "q11": 3}, {"TOTAL": 60.0}),
        # single items: INTERFERENCE q11 = 3: 66.67; SOCIAL q12 = 2: 33.33
        ({"q11": 3, "q12": 2}, {"INTERFERENCE": 200 / 3, "SOCIAL": 100 / 3}),
    ],
)
def test_qlq_fa12_hand_computed(answers: dict[str, float], expected: dict[str, float]) -> None:
    result = scores(FA12, answers)
    assert all(same(result[code], value) for code, value in expected.items())


@pytest.mark.parametrize(
    ("answers", "anxiety", "depression"),
    [
        # all 0 / all 3: 7 * 0 and 7 * 3
        ({f"q{i}": 0 for i in range(1, 15)}, 0.0, 0.0),
        ({f"q{i}": 3 for i in range(1, 15)}, 21.0, 21.0),
        # q1..q14 = 0 1 2 3 0 1 2 3 0 1 2 3 0 1: odd items 0+2+0+2+0+2+0 = 6,
        # even items 1+3+1+3+1+3+1 = 13
        ({f"q{i}": (i - 1) % 4 for i in range(1, 15)}, 6.0, 13.0),
        # one anxiety item missing: no anxiety score (no prorating); depression 13
        ({f"q{i}": (i - 1) % 4 for i in range(2, 15)}, NAN, 13.0),
    ],
)
def test_hads_sums_odd_and_even_items(
    answers: dict[str, float], anxiety: float, depression: float
) -> None:
    result = scores(HADS, answers)
    assert same(result["ANXIETY"], anxiety)
    assert same(result["DEPRESSION"], depression)


TOY = """
name = "toy"
title = "Toy"
version = "1"
scoring_version = "1"
licence = "none"
sources = []

[[items]]
codes = ["a", "b", "c", "d"]
min = 1
max = 4
reverse = ["b"]

[[scales]]
code = "MEAN"
name = "reversed b"
items = ["a", "b"]
transform = "eortc-symptom"

[[scales]]
code = "SUM"
name = "prorated sum"
items = ["a", "c", "d"]
aggregate = "sum"
transform = "none"
min_answered = 2
"""


@pytest.mark.parametrize(
    ("answers", "mean", "total"),
    [
        # b = 1 is reversed to 4 + 1 - 1 = 4: RS (1 + 4)/2 = 2.5; (1.5/3) * 100 = 50
        ({"a": 1, "b": 1, "c": 2, "d": 3}, 50.0, 6.0),
        # sum prorated: a = 1, c = 3, d missing: mean 2 * 3 items = 6
        ({"a": 1, "b": 4, "c": 3}, 0.0, 6.0),
        # fewer than min_answered = 2
        ({"b": 4, "c": 3}, 0.0, NAN),
    ],
)
def test_reversed_items_and_prorated_sums(
    answers: dict[str, float], mean: float, total: float
) -> None:
    toy = parse_instrument(TOY, source="toy.toml")
    result = scores(toy, answers)
    assert same(result["MEAN"], mean)
    assert same(result["SUM"], total)


def test_value_set_scores_need_a_value_set() -> None:
    row = np.ones((1, len(INSTRUMENTS["eq-5d-5l"].items)))
    with pytest.raises(ScoringError, match="needs a value set"):
        score_matrix(INSTRUMENTS["eq-5d-5l"], row)


def test_the_matrix_must_have_one_column_per_item() -> None:
    with pytest.raises(ValueError, match="30 columns"):
        score_matrix(C30, np.ones((2, 29)))


answer_sets = st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=28, max_size=28).flatmap(
    lambda first: st.lists(st.one_of(st.none(), st.integers(1, 7)), min_size=2, max_size=2).map(
        lambda last: first + last
    )
)


@settings(max_examples=200, deadline=None)
@given(answer_sets)
def test_scores_lie_in_0_to_100_and_exist_exactly_when_half_the_items_do(
    answers: list[int | None],
) -> None:
    row = np.array([[NAN if a is None else a for a in answers]], dtype=float)
    result = score_matrix(C30, row)
    answered = dict(zip(C30.item_codes, ~np.isnan(row[0]), strict=True))
    for scale in C30.scales:
        value = result[scale.code][0]
        n = sum(bool(answered[i]) for i in scale.items)
        assert math.isnan(value) == (n < math.ceil(len(scale.items) / 2))
        assert math.isnan(value) or 0.0 <= value <= 100.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=28, max_size=28), st.integers(0, 27))
def test_a_worse_answer_never_improves_a_score(answers: list[int], item: int) -> None:
    # raising an answer on items 1-28 means more problems: functional scales do not go up,
    # symptom scales do not go down
    base = np.array([[*answers, 4, 4]], dtype=float)
    worse = base.copy()
    worse[0, item] = min(4, worse[0, item] + 1)
    before, after = score_matrix(C30, base), score_matrix(C30, worse)
    assert all(after[s][0] <= before[s][0] + 1e-12 for s in FUNCTIONAL)
    assert all(after[s][0] >= before[s][0] - 1e-12 for s in SYMPTOMS)
    assert after["C30_SUMMARY"][0] <= before["C30_SUMMARY"][0] + 1e-12


def test_a_score_does_not_depend_on_the_other_rows_scored_with_it() -> None:
    # the platform stores the scores of single responses and recomputes them, the demo
    # scores whole tables: both must give the same bits (summing the 13 scales of the
    # summary score pairwise for one row but row by row for a table did not)
    rng = np.random.default_rng(3)
    table = np.hstack([rng.integers(1, 5, (300, 28)), rng.integers(1, 8, (300, 2))]).astype(float)
    together = score_matrix(C30, table)
    for i in range(len(table)):
        alone = score_matrix(C30, table[i : i + 1])
        for code, values in alone.items():
            assert values[0] == together[code][i], (i, code)

"""The library API: score(), score_table() and score_response()."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exonc.errors import ScoringError
from exonc.questionnaires import (
    ATTRS_KEY,
    INSTRUMENTS,
    score,
    score_response,
    score_table,
)

C30_ITEMS = [f"q{i}" for i in range(1, 31)]
C30_SCORES = [
    "QL",
    "PF",
    "RF",
    "EF",
    "CF",
    "SF",
    "FA",
    "NV",
    "PA",
    "DY",
    "SL",
    "AP",
    "CO",
    "DI",
    "FI",
    "C30_SUMMARY",
]


@pytest.fixture(scope="module")
def proscorer(reference_dir: Path) -> pd.DataFrame:
    return pd.read_csv(reference_dir / "questionnaires" / "qlq_c30_public.csv")


@pytest.mark.parametrize("scale", C30_SCORES)
def test_qlq_c30_matches_proscorer(proscorer: pd.DataFrame, scale: str) -> None:
    # every scale and the summary score to 1e-9; missing exactly where PROscorer's is
    scored = score("qlq-c30", proscorer[C30_ITEMS])
    expected = proscorer["C30SUMMARY" if scale == "C30_SUMMARY" else scale]
    assert (scored[scale].isna() == expected.isna()).all()
    assert (scored[scale] - expected).abs().max() <= 1e-9


def test_qlq_c30_matches_proscorer_from_text_cells(proscorer: pd.DataFrame) -> None:
    # as the CLI reads CSV: every cell text, empty cells missing
    text = proscorer[C30_ITEMS].astype("Int64").astype("string").astype(object)
    text = text.where(text.notna(), "")
    scored = score("qlq-c30", text)
    assert (scored["PF"] - proscorer["PF"]).abs().max() <= 1e-9


def test_output_keeps_every_input_column_its_order_and_index() -> None:
    frame = pd.DataFrame(
        {"study_id": ["A", "B"], "visit": [0, 3]} | {c: [1, 2] for c in C30_ITEMS},
        index=pd.Index([10, 10], name="row"),
    )
    scored = score("qlq-c30", frame)
    assert list(scored.columns) == [*frame.columns, *C30_SCORES]
    assert scored.index.equals(frame.index)
    pd.testing.assert_frame_equal(scored[frame.columns], frame)
    assert scored[C30_SCORES].dtypes.eq(np.float64).all()


def test_attrs_record_how_the_scores_were_made() -> None:
    frame = pd.DataFrame({c: ["1"] for c in C30_ITEMS})
    frame.loc[0, "q3"] = "7"
    scored = score("qlq-c30", frame, invalid="missing")
    assert scored.attrs[ATTRS_KEY] == {
        "instrument": "qlq-c30",
        "scoring_id": "qlq-c30/3.0/1",
        "value_set": None,
        "n_invalid": 1,
    }


def test_score_table_lists_invalid_answers_and_summarises() -> None:
    frame = pd.DataFrame({f"q{i}": ["0", "3", "x"] for i in range(1, 15)})
    result = score_table("hads", frame, invalid="missing")
    assert result.n_invalid == 14
    assert {(a.row, a.problem) for a in result.invalid} == {(3, "is not a number")}
    summary = result.summary()
    assert list(summary.index) == ["ANXIETY", "DEPRESSION"]
    assert summary.loc["ANXIETY", ["n", "n_missing", "min", "max"]].tolist() == [2, 1, 0, 21]
    assert result.to_dict()["instrument"] == "hads"


def test_scores_are_never_written_over_input_columns() -> None:
    frame = pd.DataFrame({f"q{i}": [1] for i in range(1, 15)} | {"ANXIETY": [5]})
    with pytest.raises(ScoringError, match="column ANXIETY: the input already has a column"):
        score("hads", frame)


def test_value_sets_are_required_exactly_for_eq_5d() -> None:
    levels = pd.DataFrame({"MO": [1], "SC": [1], "UA": [1], "PD": [2], "AD": [1], "VAS": [80]})
    with pytest.raises(ScoringError, match="eq-5d-5l needs a value set"):
        score("eq-5d-5l", levels)
    with pytest.raises(ScoringError, match="hads has no value sets"):
        score("hads", pd.DataFrame({f"q{i}": [1] for i in range(1, 15)}), "NL")
    # England, PD level 2: 1 - 0.063 (tests/reference/domain.md §6.3)
    scored = score("eq-5d-5l", levels, "ENG")
    assert scored["utility"].iloc[0] == pytest.approx(0.937, abs=1e-12)
    assert scored["VAS"].iloc[0] == 80
    assert scored.attrs[ATTRS_KEY]["value_set"] == "ENG"


def test_score_response_records_what_recomputes_it() -> None:
    answers = {f"q{i}": 1 for i in range(1, 29)} | {"q29": 7, "q30": None}
    result = score_response("qlq-c30", answers)
    assert result.scoring_id == "qlq-c30/3.0/1"
    assert (result.instrument_version, result.scoring_version) == ("3.0", "1")
    # q29 = 7 alone (half of QL): (7 - 1)/6 * 100
    assert result.scores["QL"] == 100.0
    assert result.unanswered == ("q30",)
    assert len(result.answered) == 29
    again = score_response("qlq-c30", answers, scoring_version=result.scoring_version)
    assert again.scores == result.scores
    assert result.summary().loc["PF", "score"] == 100.0


def test_score_response_gives_none_where_the_rules_leave_no_score() -> None:
    result = score_response("hads", {"q1": 3})
    assert result.scores == {"ANXIETY": None, "DEPRESSION": None}
    assert result.to_dict()["scores"] == {"ANXIETY": None, "DEPRESSION": None}


def test_score_response_with_a_value_set() -> None:
    # Netherlands 21111: 1 - 0.047 - 0.035 = 0.918 (tests/reference/domain.md §6.3)
    result = score_response("eq-5d-5l", {"MO": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1}, "NL")
    assert result.value_set == "NL"
    assert result.scores["utility"] == pytest.approx(0.918, abs=1e-12)


def test_score_response_rejects_invalid_answers_unless_asked() -> None:
    with pytest.raises(ScoringError, match="column q2: value 9: is outside the range 1–4"):
        score_response("qlq-fa12", {"q1": 1, "q2": 9})
    result = score_response("qlq-fa12", {"q1": 1, "q2": 9}, invalid="missing")
    assert [a.column for a in result.invalid] == ["q2"]
    assert result.scores["PHYSICAL"] is None  # one of five items answered


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(sorted(INSTRUMENTS)),
    st.lists(st.one_of(st.none(), st.integers(0, 7)), min_size=30, max_size=30),
)
def test_one_response_scores_like_a_table_row(name: str, raw: list[int | None]) -> None:
    instrument = INSTRUMENTS[name]
    answers = {
        item.code: None if a is None else min(max(a, item.min), item.max)
        for item, a in zip(instrument.items, raw, strict=False)
    }
    value_set = "NL" if instrument.needs_value_set else None
    one = score_response(name, answers, value_set).scores
    row = score(name, pd.DataFrame([answers], dtype=object), value_set).iloc[0]
    for code in instrument.score_codes:
        expected = row[code]
        assert (one[code] is None) == math.isnan(expected)
        assert one[code] is None or one[code] == expected

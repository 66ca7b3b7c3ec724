"""PSA summaries against the independent numpy reference (BCEA formulas, 1e-9 relative)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from exonc.economics import (
    PsaDraws,
    population_evpi,
    psa_draws_from_frame,
    summarise_psa,
    switch_points,
)
from exonc.errors import EconomicsInputError

REL = 1e-9  # tests/reference/economics/PROVENANCE.md
WTP = [20_000, 50_000, 80_000]


@pytest.fixture(scope="module")
def summary(psa_frame: pd.DataFrame) -> Any:
    draws = psa_draws_from_frame(psa_frame)
    return summarise_psa(draws, reference="usual_care", wtp=WTP).to_dict()


@pytest.mark.parametrize("k", ["20000", "50000", "80000"])
def test_enb_evpi_and_best_match_the_reference(
    summary: Any, expected: dict[str, Any], k: str
) -> None:
    # cea_public_expected.json["psa"][k]
    reference = expected["psa"][k]
    assert summary[k]["enb"] == pytest.approx(reference["enb"], rel=REL)
    assert summary[k]["evpi"] == pytest.approx(reference["evpi"], rel=REL)
    assert summary[k]["best"] == reference["best"]


@pytest.mark.parametrize("k", ["20000", "50000", "80000"])
@pytest.mark.parametrize("strategy", ["group_1to4", "individual_1to1"])
def test_comparisons_with_the_reference_strategy(
    summary: Any, expected: dict[str, Any], k: str, strategy: str
) -> None:
    # cea_public_expected.json["psa"][k]["vs_usual_care"][strategy]
    reference = expected["psa"][k]["vs_usual_care"][strategy]
    got = summary[k]["vs_reference"][strategy]
    for key in ("icer", "eib", "ceac"):
        assert got[key] == pytest.approx(reference[key], rel=REL), key


def test_switch_points_are_where_expected_net_benefits_cross() -> None:
    # Two strategies: A (e 1, c 0) and B (e 2, c 30,000): B is better above k = 30,000.
    draws = PsaDraws(("A", "B"), np.array([[1.0, 2.0]]), np.array([[0.0, 30_000.0]]))
    (point,) = switch_points(draws, np.linspace(0, 100_000, 11))
    assert (point.before, point.after, point.wtp) == ("A", "B", pytest.approx(30_000.0))
    result = summarise_psa(draws, reference="A", wtp=[10_000, 50_000])
    assert result.best == ("A", "B")
    assert result.switch_points == (point,)


def test_population_evpi_discounts_future_patients() -> None:
    # 100 per year for 3 years at 3 %: 100 + 100/1.03 + 100/1.03² = 291.3469...
    got = population_evpi([10.0], patients_per_year=100, years=3, discount_rate=0.03)
    assert got[0] == pytest.approx(10 * (100 + 100 / 1.03 + 100 / 1.03**2), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (30, 3), elements=st.floats(0, 1)),
    arrays(np.float64, (30, 3), elements=st.floats(0, 50_000)),
    st.floats(0, 100_000),
)
def test_invariants(effects: np.ndarray, costs: np.ndarray, k: float) -> None:
    draws = PsaDraws(("a", "b", "c"), effects, costs)
    result = summarise_psa(draws, reference="a", wtp=[k])
    assert result.evpi[0] >= -1e-6  # E[max] ≥ max E
    assert result.prob_best[0].sum() == pytest.approx(1.0)
    assert result.eib[0, 0] == 0.0
    # EIB of each strategy = its ENB − the reference's ENB
    np.testing.assert_allclose(result.eib[0], result.enb[0] - result.enb[0, 0], atol=1e-6)
    assert result.enb[0].max() == result.enb[0, draws.index(result.best[0])]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"e.a": [1.0], "c.a": [1.0], "e.b": [1.0]}, "column e.b has no matching c.b"),
        ({"e.a": [1.0], "c.a": [1.0]}, "fewer than two strategies"),
        ({"e.a": ["x"], "c.a": [1.0], "e.b": [1.0], "c.b": [2.0]}, "row 1, column e.a"),
    ],
)
def test_bad_draw_tables(columns: dict[str, list[Any]], message: str) -> None:
    with pytest.raises(EconomicsInputError, match=message):
        psa_draws_from_frame(pd.DataFrame(columns), file="d.csv")


def test_unknown_reference_strategy(psa_frame: pd.DataFrame) -> None:
    with pytest.raises(EconomicsInputError, match="unknown strategy 'placebo'"):
        summarise_psa(psa_draws_from_frame(psa_frame), reference="placebo", wtp=WTP)


def test_summary_table_has_one_row_per_wtp_and_strategy(psa_frame: pd.DataFrame) -> None:
    result = summarise_psa(psa_draws_from_frame(psa_frame), reference="usual_care", wtp=WTP)
    table = result.summary()
    assert len(table) == 9
    assert list(table.columns) == [
        "wtp",
        "strategy",
        "enb",
        "eib",
        "icer",
        "ceac",
        "prob_best",
        "best",
    ]
    best = table[table["best"]]
    assert list(best["strategy"]) == ["group_1to4"] * 3


@pytest.mark.parametrize(
    ("strategies", "effects", "message"),
    [
        (("a", "a"), np.zeros((2, 2)), "differently named"),
        (("a", "b"), np.zeros((2, 3)), "draws × strategies"),
        (("a", "b"), np.array([[0.0, np.nan]]), "finite numbers"),
    ],
)
def test_draws_are_validated(
    strategies: tuple[str, ...], effects: np.ndarray, message: str
) -> None:
    with pytest.raises(EconomicsInputError, match=message):
        PsaDraws(strategies, effects, np.zeros_like(effects))


def test_empty_inputs_are_refused(psa_frame: pd.DataFrame) -> None:
    with pytest.raises(EconomicsInputError, match="no draws"):
        psa_draws_from_frame(psa_frame.iloc[:0])
    with pytest.raises(EconomicsInputError, match="no willingness-to-pay"):
        summarise_psa(psa_draws_from_frame(psa_frame), reference="usual_care", wtp=[])
    with pytest.raises(EconomicsInputError, match="patients per year"):
        population_evpi([1.0], patients_per_year=10, years=0, discount_rate=0.03)

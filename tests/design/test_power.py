"""Power and sample size: identical however split, failures counted, Holm within trials."""

from __future__ import annotations

import json

import numpy as np
import pytest

from exonc.design import (
    OutcomeDesign,
    TrialDesign,
    covariance_matrix,
    lu_power,
    sample_size,
    simulate_power,
)
from exonc.design.power import ChunkResult, PowerResult, chunks, run_chunk
from exonc.errors import DesignInputError
from tests.design.conftest import three_visit_design


def test_result_does_not_depend_on_the_chunks(design: TrialDesign) -> None:
    one = simulate_power(design, 15, sims=12, seed=9, chunk_size=12)
    many = simulate_power(design, 15, sims=12, seed=9, chunk_size=5)
    np.testing.assert_array_equal(one.p_values, many.p_values)
    assert one.power == many.power
    reversed_runner = lambda d, n, s, parts, progress: [  # noqa: E731
        run_chunk(d, n, s, part) for part in reversed(parts)
    ]
    shuffled = simulate_power(design, 15, sims=12, seed=9, chunk_size=5, runner=reversed_runner)
    np.testing.assert_array_equal(one.p_values, shuffled.p_values)


def test_chunks_cover_every_simulation_once() -> None:
    assert [list(c) for c in chunks(7, 3)] == [[0, 1, 2], [3, 4, 5], [6]]


def test_json_has_the_promised_fields(design: TrialDesign) -> None:
    result = simulate_power(design, 15, sims=6, seed=1)
    data = json.loads(json.dumps(result.to_dict()))
    assert {"n_per_arm", "power", "mc_se", "sims", "failed", "seed", "design"} <= set(data)
    assert data["sims"] == 6
    assert data["design"]["visits"] == ["v1", "v2", "v3"]
    assert result.summary().columns[0] == "outcome"


def _result(p: list[list[float]], success: str = "any") -> PowerResult:
    covariance = covariance_matrix("cs", 1.0, 0.5, 1)
    outcomes = tuple(OutcomeDesign(n, (1.0,), covariance) for n in ("a", "b"))
    design = TrialDesign(visits=("v",), outcomes=outcomes, success=success)  # type: ignore[arg-type]
    values = np.asarray(p)
    return PowerResult(design, 10, 0, values, values)


def test_holm_within_each_trial_and_failures_count_as_not_significant() -> None:
    rows = [[0.02, 0.03], [0.03, 0.5], [0.01, np.nan], [0.2, 0.04]]
    result = _result(rows)
    # Holm: (0.04, 0.04) both; (0.06, 0.5) none; failed; (0.2, 0.08) none
    np.testing.assert_array_equal(result.successes, [True, False, False, False])
    assert result.failed == 1
    assert result.power == 0.25
    assert result.mc_se == pytest.approx(np.sqrt(0.25 * 0.75 / 4))
    assert "1 of 4" in result.warnings[0]
    assert _result([[0.001, 0.04], [0.001, 0.2]], "all").power == 0.5


def test_run_chunk_records_failed_fits_as_nan(design: TrialDesign) -> None:
    everybody_leaves = three_visit_design(dropout=(0.0, 0.0, 0.99))
    found: ChunkResult = run_chunk(everybody_leaves, 3, 1, range(2))
    assert found.p.shape == (2, 1)


def test_too_few_simulations_or_participants_are_refused(design: TrialDesign) -> None:
    with pytest.raises(DesignInputError, match="key sims"):
        simulate_power(design, 10, sims=0, seed=1)
    with pytest.raises(DesignInputError, match="key n_per_arm"):
        simulate_power(design, 1, sims=5, seed=1)


def test_sample_size_is_the_smallest_n_reaching_the_target() -> None:
    design = three_visit_design(
        outcomes=(OutcomeDesign("y", (4.0, 6.0, 8.0), covariance_matrix("cs", 10.0, 0.5, 3)),)
    )
    found = sample_size(design, 0.8, sims=10, seed=4)
    table = found.summary().set_index("n_per_arm")["power"]
    assert table[found.n_per_arm] >= 0.8
    assert table[found.n_per_arm - 1] < 0.8  # bisection ends next to a failure
    assert lu_power(design, found.n_per_arm) == pytest.approx(0.8, abs=0.2)
    assert found.to_dict()["target_power"] == 0.8


def test_progress_counts_every_simulation(design: TrialDesign) -> None:
    seen: list[int] = []
    simulate_power(design, 10, sims=7, seed=3, chunk_size=3, progress=seen.append)
    assert seen == [3, 3, 1]

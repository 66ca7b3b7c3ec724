"""The vectorised within-arm bootstrap against an independent loop (±0.02) and invariants."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from exonc.economics import (
    PatientData,
    bootstrap_increments,
    ceac,
    ceaf,
    evpi,
    increments,
    is_adjusted,
    qaly_auc,
)
from exonc.errors import EconomicsInputError


def _inputs(patients: PatientData) -> dict[str, np.ndarray]:
    return {
        "qaly": qaly_auc(patients.utilities, patients.months),
        "cost": patients.total_cost(),
        "treated": np.asarray(patients.arm) == "exercise",
        "baseline": patients.utilities[:, 0],
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ceac_matches_the_independent_reference(
    patients: PatientData, economics_dir: Path, seed: int
) -> None:
    # cea_public_bootstrap_ceac.json: plain loop with lstsq, 100,000 replicates
    reference = json.loads((economics_dir / "cea_public_bootstrap_ceac.json").read_text())
    wtp = [row["wtp"] for row in reference["ceac"]]
    expected = [row["probability"] for row in reference["ceac"]]
    boot = bootstrap_increments(
        **_inputs(patients), replicates=5_000, rng=np.random.default_rng(seed)
    )
    np.testing.assert_allclose(ceac(boot, wtp), expected, atol=0.02, rtol=0)


def test_bootstrap_mean_is_near_the_point_estimate(patients: PatientData) -> None:
    # The bootstrap distribution of ΔC is centred on the sample ΔC (1940.67, reference file)
    # up to Monte Carlo error: SE ≈ 850 / √5000 ≈ 12.
    boot = bootstrap_increments(**_inputs(patients), replicates=5_000, rng=np.random.default_rng(4))
    delta_effect, delta_cost = increments(boot)
    assert delta_cost.mean() == pytest.approx(1940.6665137153987, abs=50)
    assert delta_effect.mean() == pytest.approx(0.02529353105576526, abs=0.0003)
    # the full-data estimates are the point estimates of cea_public_expected.json
    np.testing.assert_allclose(boot.estimate, [0.02529353105576526, 1940.6665137153987], 1e-12)
    assert list(boot.summary()["term"]) == ["delta_qaly_adjusted", "delta_cost"]
    assert is_adjusted(boot)
    assert (boot.converged, boot.n_failed, boot.warnings) == (True, 0, ())


def test_unadjusted_bootstrap_uses_arm_means(patients: PatientData) -> None:
    inputs = _inputs(patients)
    boot = bootstrap_increments(
        **inputs, replicates=3_000, rng=np.random.default_rng(5), adjust=False
    )
    assert increments(boot)[0].mean() == pytest.approx(0.02181435173560986, abs=0.0003)
    assert boot.estimate[0] == pytest.approx(0.02181435173560986, rel=1e-12)
    assert not is_adjusted(boot)


def test_curves_obey_their_definitions(patients: PatientData) -> None:
    boot = bootstrap_increments(**_inputs(patients), replicates=2_000, rng=np.random.default_rng(6))
    grid = np.linspace(0, 200_000, 41)
    curve, frontier, value = ceac(boot, grid), ceaf(boot, grid), evpi(boot, grid)
    delta_effect, delta_cost = increments(boot)
    # at k = 0 the intervention is cost-effective exactly when it saves money
    assert curve[0] == pytest.approx(np.mean(delta_cost < 0))
    # CEAF: the CEAC of whichever strategy has the higher mean net benefit
    mean_inb = grid * delta_effect.mean() - delta_cost.mean()
    np.testing.assert_allclose(frontier, np.where(mean_inb > 0, curve, 1 - curve))
    # EVPI = E[max(INB, 0)] − max(E[INB], 0) ≥ 0 by Jensen's inequality
    assert np.all(value >= -1e-9)
    assert boot.n_replicates == 2_000


def test_replicates_are_counted_and_chunked_deterministically(patients: PatientData) -> None:
    inputs = _inputs(patients)
    a = bootstrap_increments(**inputs, replicates=6_001, rng=np.random.default_rng(8))
    b = bootstrap_increments(**inputs, replicates=6_001, rng=np.random.default_rng(8))
    assert a.n_replicates == 6_001
    np.testing.assert_array_equal(a.replicates, b.replicates)


def test_too_few_patients_or_replicates() -> None:
    one = np.array([1.0, 2.0, 3.0])
    with pytest.raises(EconomicsInputError, match="at least two patients"):
        bootstrap_increments(
            one,
            one,
            np.array([True, False, False]),
            one,
            replicates=10,
            rng=np.random.default_rng(0),
        )
    with pytest.raises(EconomicsInputError, match="at least 1"):
        bootstrap_increments(
            one,
            one,
            np.array([True, False, False]),
            one,
            replicates=0,
            rng=np.random.default_rng(0),
        )

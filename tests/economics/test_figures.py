"""Plot-ready frames for the CE plane, CEAC, CEAF and EVPI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from exonc.economics import (
    ce_plane_data,
    ceac_data,
    ceaf_data,
    evpi_data,
    increments_result,
    psa_draws_from_frame,
    wtp_grid,
)
from exonc.errors import EconomicsInputError

BOOT = increments_result(
    np.array([0.01, 0.02, -0.01, 0.03]),
    np.array([100.0, -50.0, 200.0, 900.0]),
    estimate=(0.0125, 287.5),
    adjusted=True,
)


def test_wtp_grid() -> None:
    grid = wtp_grid(99_000, points=100)
    assert (len(grid), grid[0], grid[1], grid[-1]) == (100, 0.0, 1_000.0, 99_000.0)
    with pytest.raises(EconomicsInputError):
        wtp_grid(0)


def test_bootstrap_frames_by_hand() -> None:
    # at k = 20,000: INB = 200 − 100, 400 + 50, −200 − 200, 600 − 900 → 2 of 4 positive,
    # mean INB = (100 + 450 − 400 − 300) / 4 = −37.5 → the reference is optimal, CEAF 0.5;
    # EVPI = mean(max(INB, 0)) − max(mean, 0) = (100 + 450) / 4 = 137.5
    assert list(ce_plane_data(BOOT).columns) == ["replicate", "delta_qaly", "delta_cost"]
    ceac = ceac_data(BOOT, [20_000], intervention="exercise")
    assert ceac.to_dict("records") == [
        {"wtp": 20_000.0, "strategy": "exercise", "probability": 0.5}
    ]
    ceaf = ceaf_data(BOOT, [20_000], names=("exercise", "control"))
    assert ceaf.loc[0, "strategy"] == "control"
    assert evpi_data(BOOT, [20_000]).loc[0, "evpi"] == pytest.approx(137.5)


def test_psa_frames(psa_frame: pd.DataFrame) -> None:
    draws = psa_draws_from_frame(psa_frame)
    plane = ce_plane_data(draws, reference="usual_care")
    assert len(plane) == 2 * 3_000
    assert set(plane["strategy"]) == {"group_1to4", "individual_1to1"}
    ceac = ceac_data(draws, [20_000], reference="usual_care")
    # cea_public_expected.json psa.20000.vs_usual_care.group_1to4.ceac
    assert ceac.set_index("strategy").loc["group_1to4", "probability"] == pytest.approx(
        0.5663333333333334, rel=1e-12
    )
    assert ceaf_data(draws, [20_000], reference="usual_care").loc[0, "strategy"] == "group_1to4"
    assert evpi_data(draws, [20_000], reference="usual_care").loc[0, "evpi"] == pytest.approx(
        493.9952046733324, rel=1e-9
    )
    with pytest.raises(EconomicsInputError, match="reference strategy"):
        ce_plane_data(draws)

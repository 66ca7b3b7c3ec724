"""Design files: the shipped design, located errors, a pilot data set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exonc.design import parse_allocation, parse_design, read_design, shipped_design
from exonc.errors import DesignInputError

MINIMAL = """
visits = ["m3", "m6"]
[[outcomes]]
name = "y"
effect = [1.0, 2.0]
sd = 5.0
correlation = 0.5
"""


def test_shipped_design_carries_the_published_effects() -> None:
    found = shipped_design("preferable-effect")
    design = found.design
    assert found.n_per_arm == 179
    assert design.contrast_visit == "m6"
    summary, fatigue = design.outcomes
    # Hiensch et al. 2024, Table 2: 6-month differences 4.8 (ES 0.33) and -5.3 (ES 0.22)
    assert summary.effect[1] == 4.8
    assert fatigue.effect[1] == -5.3
    assert summary.effect[1] / summary.sd[1] == pytest.approx(0.33, abs=0.005)
    assert abs(fatigue.effect[1]) / fatigue.sd[1] == pytest.approx(0.22, abs=0.005)


def test_minimal_design_takes_defaults() -> None:
    design = parse_design(MINIMAL).design
    assert design.structure == "us"
    assert design.allocation == (1, 1)
    np.testing.assert_allclose(design.outcomes[0].covariance, [[25, 12.5], [12.5, 25]])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n" + MINIMAL, "d.toml, key colour: unknown key"),
        (
            MINIMAL.replace("[1.0, 2.0]", "[1.0]"),
            "key outcomes.y.effect: value [1.0]: has 1 values",
        ),
        (MINIMAL.replace("0.5", "1.5"), "key outcomes[1].correlation"),
        (
            MINIMAL.replace("[[outcomes]]", "[dropout]\ncumulative = [0.1, 1.2]\n[[outcomes]]"),
            "key dropout: value 1.2",
        ),
        ('allocation = "1-1"\n' + MINIMAL, "key allocation"),
    ],
)
def test_bad_files_name_file_and_key(text: str, message: str) -> None:
    with pytest.raises(DesignInputError) as error:
        parse_design(text, source="d.toml")
    assert message in str(error.value)


def test_unknown_shipped_design() -> None:
    with pytest.raises(DesignInputError, match="no shipped design"):
        shipped_design("nope")


def test_allocation() -> None:
    assert parse_allocation("2:1") == (2, 1)


def test_pilot_data_set_gives_the_covariance(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    truth = np.array([[25.0, 10.0], [10.0, 36.0]])
    values = rng.multivariate_normal([0, 0], truth, size=400)
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(400), 2),
            "visit": np.tile(["m3", "m6"], 400),
            "y": values.ravel(),
        }
    )
    frame.loc[frame.index[1::10], "y"] = np.nan  # 20 % missing at m6
    frame.to_csv(tmp_path / "pilot.csv", index=False)
    text = MINIMAL.replace(
        "sd = 5.0\ncorrelation = 0.5",
        'pilot = { file = "pilot.csv", subject = "id", visit = "visit", outcome = "y" }',
    )
    (tmp_path / "d.toml").write_text(text, encoding="utf-8")
    design = read_design(tmp_path / "d.toml").design
    # 400 participants: SE of a variance about 25 * sqrt(2/400) = 1.8; 15 % tolerance
    np.testing.assert_allclose(design.outcomes[0].covariance, truth, rtol=0.15, atol=3)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DesignInputError, match="file not found"):
        read_design(tmp_path / "none.toml")


def test_strata_are_read() -> None:
    text = '[[strata]]\nname = "line"\nproportions = [0.75, 0.25]\nshifts = [0, -0.3]\n'
    design = parse_design(MINIMAL.replace("[[outcomes]]", text + "[[outcomes]]")).design
    assert design.strata[0].shifts == (0.0, -0.3)
    assert design.describe()["strata"] == [
        {"name": "line", "proportions": [0.75, 0.25], "shifts": [0.0, -0.3]}
    ]

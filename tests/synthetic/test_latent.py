"""The calibration of the synthetic trial's effects, against direct numerical integration."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from exonc.questionnaires import get_instrument
from exonc.synthetic.items import item_answers, stochastic_round
from exonc.synthetic.latent import calibrate_shift, expected_clipped


def _by_quadrature(mu: float, sd: float, low: float, high: float) -> float:
    """E[clip(X, low, high)], X ~ N(mu, sd^2), integrated numerically (independent route)."""
    density = stats.norm(mu, sd).pdf
    inside, _ = integrate.quad(lambda x: x * density(x), low, high)
    below = stats.norm(mu, sd).cdf(low) * low
    above = stats.norm(mu, sd).sf(high) * high
    return float(inside + below + above)


@pytest.mark.parametrize(
    ("mu", "sd", "low", "high"),
    [(50, 20, 0, 100), (5, 15, 0, 100), (98, 10, 0, 100), (-30, 10, 0, 100), (10, 4, 0, 21)],
)
def test_expected_clipped_matches_quadrature(mu: float, sd: float, low: float, high: float) -> None:
    got = expected_clipped(np.array([mu], dtype=float), sd, low, high)[0]
    assert got == pytest.approx(_by_quadrature(mu, sd, low, high), abs=1e-7)


def test_calibrated_shift_gives_the_target_effect_after_clipping() -> None:
    rng = np.random.default_rng(3)
    centre = rng.normal(85, 15, 500)  # many near the ceiling: the shift must exceed the effect
    modifier = np.ones(500)
    shift = calibrate_shift(centre, modifier, 12.0, 4.8, (0.0, 100.0))
    assert shift > 4.8
    gain = np.mean(
        [
            _by_quadrature(c + shift, 12.0, 0, 100) - _by_quadrature(c, 12.0, 0, 100)
            for c in centre[:60]
        ]
    )
    full = (
        expected_clipped(centre + shift, 12.0, 0, 100) - expected_clipped(centre, 12.0, 0, 100)
    ).mean()
    assert full == pytest.approx(4.8, abs=1e-8)
    assert gain == pytest.approx(
        (
            expected_clipped(centre[:60] + shift, 12.0, 0, 100)
            - expected_clipped(centre[:60], 12.0, 0, 100)
        ).mean(),
        abs=1e-6,
    )


def test_stochastic_rounding_is_unbiased() -> None:
    rng = np.random.default_rng(0)
    values = np.full(200_000, 2.3)
    rounded = stochastic_round(values, rng)
    assert set(np.unique(rounded)) == {2, 3}
    assert rounded.mean() == pytest.approx(2.3, abs=0.005)  # SE about 0.001


def test_item_answers_score_back_to_the_latent_score_on_average() -> None:
    """Scored by the questionnaire engine, items drawn around a score average to that score."""
    import pandas as pd

    from exonc.questionnaires import score

    c30 = get_instrument("qlq-c30")
    fatigue = next(s for s in c30.scales if s.code == "FA")
    rng = np.random.default_rng(1)
    answers = item_answers(c30, fatigue, np.full(40_000, 37.0), rng)
    frame = pd.DataFrame({code: np.ones(40_000, dtype=int) for code in c30.item_codes})
    for code, values in answers.items():
        frame[code] = values
    assert score("qlq-c30", frame)["FA"].mean() == pytest.approx(37.0, abs=0.3)

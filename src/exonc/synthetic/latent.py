"""Latent score trajectories and the calibration of the exercise effect.

Each score ``s`` of person ``i`` at visit ``t`` is

    X = mean_s + change_s,t + effect_i,s,t + loading_s * (G_i + H_i,t) + P_i,s + E_i,s,t

clipped to the score's range. The exercise shift ``delta_s,t`` (times the person's
effect modifier) is solved so that the expected *clipped* score differs between "with" and
"without" exercise by exactly the published effect, averaged over the exercise arm; item
answers are then drawn without bias around the clipped score (:mod:`.items`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from exonc._data import Floats
from exonc.synthetic.model import Latent, ScaleModel

N_VISITS = 4


@dataclass(frozen=True)
class GeneralState:
    """The person-level factors shared by every score."""

    general: Floats  # G, shape (n,)
    state: Floats  # H, shape (n, 4)

    @property
    def standardised(self) -> Floats:
        """(G + H) / its SD, shape (n, 4): a person's overall health at each visit."""
        total = self.general[:, None] + self.state
        sd = float(np.sqrt(self.general.var() + self.state.var()))
        return np.asarray(total / sd, dtype=np.float64)


def general_state(latent: Latent, n: int, rng: np.random.Generator) -> GeneralState:
    return GeneralState(
        general=rng.normal(0, latent.sd_general, n),
        state=rng.normal(0, latent.sd_state, (n, N_VISITS)),
    )


@dataclass(frozen=True)
class ScaleDraw:
    """The parts of one score that do not depend on treatment, shape (n, 4) each."""

    centre: Floats  # everything but the visit noise and the exercise shift
    noise_sd: float
    noise: Floats


def draw_scale(
    scale: ScaleModel, latent: Latent, people: GeneralState, rng: np.random.Generator
) -> ScaleDraw:
    var_person, var_visit = scale.residual_variances(latent.var_general)
    n = people.general.shape[0]
    change = np.array([[0.0, *scale.control_change]], dtype=np.float64)
    person = rng.normal(0, np.sqrt(var_person), (n, 1))
    shared = people.general[:, None] + people.state
    centre = np.asarray(scale.mean + change + scale.loading * shared + person, dtype=np.float64)
    noise_sd = float(np.sqrt(var_visit))
    return ScaleDraw(centre, noise_sd, rng.normal(0, noise_sd, (n, N_VISITS)))


def expected_clipped(mu: Floats, sd: float, low: float, high: float) -> Floats:
    """E[min(max(X, low), high)] for X ~ Normal(mu, sd^2), elementwise."""
    a, b = (low - mu) / sd, (high - mu) / sd
    cdf_a, cdf_b = special.ndtr(a), special.ndtr(b)
    pdf_a, pdf_b = np.exp(-0.5 * a**2), np.exp(-0.5 * b**2)
    expected = (
        low * cdf_a
        + high * (1 - cdf_b)
        + mu * (cdf_b - cdf_a)
        + sd * (pdf_a - pdf_b) / np.sqrt(2 * np.pi)
    )
    return np.asarray(expected, dtype=np.float64)


def calibrate_shift(
    centre: Floats, modifier: Floats, sd: float, effect: float, bounds: tuple[float, float]
) -> float:
    """The latent shift whose expected clipped effect, averaged over *centre*, is *effect*."""
    if effect == 0:
        return 0.0
    low, high = bounds
    untreated = expected_clipped(centre, sd, low, high).mean()

    def gap(shift: float) -> float:
        treated = expected_clipped(centre + shift * modifier, sd, low, high).mean()
        return float(treated - untreated - effect)

    span = (high - low) * 4
    return float(optimize.brentq(gap, -span, span, xtol=1e-10))


def modifiers(young: Floats, pain: Floats, weights: dict[str, float]) -> Floats:
    """Per-person effect multipliers with mean exactly 1 over the people given."""
    spread = weights["young"] * (young - young.mean()) + weights["pain"] * (pain - pain.mean())
    return np.asarray(1 + spread, dtype=np.float64)

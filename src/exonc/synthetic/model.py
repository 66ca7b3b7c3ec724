"""The generative model of the synthetic trial, read from ``data/preferable-effect.toml``."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from importlib import resources

from exonc import _toml
from exonc.errors import InputError

MODEL_FILE = "preferable-effect.toml"
FOLLOW_UPS = ("m3", "m6", "m9")
VISITS = ("baseline", *FOLLOW_UPS)


@dataclass(frozen=True)
class ScaleModel:
    """Latent model of one score: ``mean + change + effect + loading*(G+H) + P + E``."""

    code: str
    mean: float
    sd: float
    loading: float
    stable: float
    control_change: tuple[float, float, float]
    effect: tuple[float, float, float]

    def residual_variances(self, var_general: float) -> tuple[float, float]:
        """Variances of the stable person part P and of the visit noise E."""
        residual = self.sd**2 - self.loading**2 * var_general
        if residual <= 0:
            raise InputError(
                "loading too large for the scale's SD",
                key=f"scales.{self.code}.loading",
                value=self.loading,
            )
        return self.stable * residual, (1 - self.stable) * residual


@dataclass(frozen=True)
class Population:
    participants: int
    mean_age: float
    sd_age: float
    min_age: int
    max_age: int
    bone_metastases: float
    first_second_line: float
    ecog: tuple[float, ...]
    enrolment_start: dt.date
    enrolment_months: int
    baseline_pain_threshold: float
    centres: dict[str, float]
    sites: dict[str, float]


@dataclass(frozen=True)
class Latent:
    sd_general: float
    sd_state: float
    dropout_intercepts: tuple[float, float, float]
    dropout_slope: float
    death_intercept: float
    death_slope: float
    missed_visit: float
    missing_item: float
    out_of_window: float

    @property
    def var_general(self) -> float:
        return self.sd_general**2 + self.sd_state**2


@dataclass(frozen=True)
class Delivery:
    supervised_attendance: float
    home_completion: float
    tracker_wear_days: float
    active_minutes_control: float
    active_minutes_exercise: float
    steps_per_active_minute: float
    baseline_steps: float


@dataclass(frozen=True)
class ResourceRate:
    """Mean quantity of a resource-use item per 3 months (control arm) and the exercise ratio."""

    item: str
    mean: float
    exercise_ratio: float


@dataclass(frozen=True)
class Fitness:
    """Fitness tests of the exercise arm: (mean, SD) pairs, gains at 3 and 6 months."""

    height_cm: tuple[float, float]
    msec_w: tuple[float, float]
    msec_age_slope: float
    msec_gain_w: tuple[float, float]
    wpeak_per_msec: float
    wpeak_sd_w: float
    strength_cv: float
    strength_gain: tuple[float, float]
    test_load: tuple[float, float]
    handgrip_kg: tuple[float, float]
    stance_s: tuple[float, float]
    tug_s: tuple[float, float]
    one_rm_kg: dict[str, float]


@dataclass(frozen=True)
class LesionModel:
    """Lesion registers, symptom flags and adverse events of the exercise arm."""

    extra: float
    lesion_type: dict[str, float]
    sign_off_cleared: float
    override: float
    flag_per_session: float
    flag_days: tuple[int, int]
    adverse_event: float
    serious_fractures: int
    flag_kinds: dict[str, float]
    sites: dict[str, float]
    mirels: dict[str, dict[str, float]]
    sins: dict[str, dict[str, float]]


@dataclass(frozen=True)
class Screening:
    """The screening log: who was assessed for eligibility and why some were excluded."""

    excluded_per_randomised: float
    days_before: tuple[int, int]
    reasons: dict[str, float]


@dataclass(frozen=True)
class TrialModel:
    population: Population
    modifiers: dict[str, float]
    latent: Latent
    scales: dict[str, ScaleModel]
    eq5d: dict[str, str]
    delivery: Delivery
    resource_use: tuple[ResourceRate, ...]
    fitness: Fitness
    lesions: LesionModel
    screening: Screening


def load_model(text: str | None = None, *, source: str = MODEL_FILE) -> TrialModel:
    """Read the model (the shipped PREFERABLE-EFFECT one unless *text* is given); a missing,
    mistyped or unknown key stops with the file and key."""
    if text is None:
        text = (resources.files("exonc.synthetic") / "data" / MODEL_FILE).read_text("utf-8")
    root = _toml.root(text, source=source, error=InputError)
    population = root.table("population").record(Population)
    if not math.isclose(sum(population.centres.values()), 1.0, abs_tol=1e-9):
        root.fail("population.centres", "centre shares must sum to 1")
    model = TrialModel(
        population=population,
        modifiers=root.number_table("modifiers"),
        latent=root.table("latent").record(Latent),
        scales={
            code: t.record(ScaleModel, code=code) for code, t in root.table("scales").subtables()
        },
        eq5d=root.text_table("eq5d"),
        delivery=root.table("delivery").record(Delivery),
        resource_use=tuple(
            t.record(ResourceRate, item=code) for code, t in root.table("resource_use").subtables()
        ),
        fitness=root.table("fitness").record(Fitness),
        lesions=root.table("lesions").record(LesionModel),
        screening=root.table("screening").record(Screening),
    )
    root.done()
    return model

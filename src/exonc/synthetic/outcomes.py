"""Questionnaire answers at every visit, from the latent model (:mod:`.latent`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from exonc._data import Bools, Floats
from exonc.errors import InputError
from exonc.questionnaires import Instrument, Scale, get_instrument, score
from exonc.synthetic.items import item_answers, score_range, stochastic_round
from exonc.synthetic.latent import (
    GeneralState,
    ScaleDraw,
    calibrate_shift,
    draw_scale,
    modifiers,
)
from exonc.synthetic.model import VISITS, TrialModel

EQ5D = "eq-5d-5l"


@dataclass(frozen=True)
class Outcomes:
    answers: dict[str, pd.DataFrame]  # instrument -> participant_id, visit, items (all visits)
    shifts: dict[str, tuple[float, ...]]  # calibrated latent shift per scale and follow-up
    baseline_pain: Floats
    modifier: Floats


def generate_outcomes(
    people: pd.DataFrame,
    model: TrialModel,
    instruments: tuple[str, ...],
    state: GeneralState,
    rng: np.random.Generator,
) -> Outcomes:
    definitions = {name: get_instrument(name) for name in instruments}
    scales = _generating_scales(definitions, model)
    draws = {code: draw_scale(model.scales[code], model.latent, state, rng) for code in scales}
    treated = (people["arm"] == "exercise").to_numpy(dtype=bool)
    scores = {code: _clip(d.centre + d.noise, scales[code]) for code, d in draws.items()}
    baseline = _answers(definitions, scales, scores, model, rng, VISITS[:1])
    pain = _baseline_pain(baseline["qlq-c30"], model.population.baseline_pain_threshold)
    young = np.asarray(people["age"] < 50, dtype=np.float64)
    modifier = np.ones(len(people))
    modifier[treated] = modifiers(young[treated], pain[treated], model.modifiers)
    shifts = {}
    for code, draw in draws.items():
        shifts[code] = _treat(draw, scores[code], treated, modifier, model, code, scales[code])
    follow_up = _answers(definitions, scales, scores, model, rng, VISITS[1:])
    answers = {
        name: pd.concat([baseline[name], follow_up[name]], ignore_index=True)
        .sort_values(["row", "visit"], key=_visit_order, kind="stable")
        .reset_index(drop=True)
        for name in definitions
    }
    return Outcomes(answers, shifts, pain, modifier)


def _visit_order(column: pd.Series) -> pd.Series:
    return column.map(VISITS.index) if column.name == "visit" else column


def _generating_scales(
    definitions: dict[str, Instrument], model: TrialModel
) -> dict[str, tuple[Instrument, Scale]]:
    """Scales to draw, in order; a scale whose items are all covered already is derived."""
    chosen: dict[str, tuple[Instrument, Scale]] = {}
    for instrument in definitions.values():
        covered: set[str] = set()
        for scale in instrument.scales:
            if set(scale.items) <= covered:
                continue
            if scale.code not in model.scales:
                raise InputError(
                    f"the synthetic model has no latent model for {instrument.name} scale",
                    value=scale.code,
                    hint="add a [scales.CODE] table to the model file",
                )
            chosen[scale.code] = (instrument, scale)
            covered.update(scale.items)
    return chosen


def _clip(values: Floats, scale: tuple[Instrument, Scale]) -> Floats:
    low, high = score_range(*scale)
    return np.clip(values, low, high)


def _treat(
    draw: ScaleDraw,
    scores: Floats,
    exercise: Bools,
    modifier: Floats,
    model: TrialModel,
    code: str,
    scale: tuple[Instrument, Scale],
) -> tuple[float, ...]:
    """Apply the calibrated exercise shift to the follow-up visits in place."""
    bounds = score_range(*scale)
    shifts = []
    for visit, effect in enumerate(model.scales[code].effect, start=1):
        shift = calibrate_shift(
            draw.centre[exercise, visit], modifier[exercise], draw.noise_sd, effect, bounds
        )
        treated = draw.centre[:, visit] + draw.noise[:, visit] + exercise * shift * modifier
        scores[:, visit] = np.clip(treated, *bounds)
        shifts.append(shift)
    return tuple(shifts)


def _answers(
    definitions: dict[str, Instrument],
    scales: dict[str, tuple[Instrument, Scale]],
    scores: dict[str, Floats],
    model: TrialModel,
    rng: np.random.Generator,
    visits: tuple[str, ...],
) -> dict[str, pd.DataFrame]:
    """Answers at *visits* (consecutive protocol visits) for every instrument."""
    columns = slice(VISITS.index(visits[0]), VISITS.index(visits[-1]) + 1)
    at_visits = {code: values[:, columns] for code, values in scores.items()}
    tables: dict[str, dict[str, Floats]] = {name: {} for name in definitions}
    for code, (instrument, scale) in scales.items():
        tables[instrument.name].update(item_answers(instrument, scale, at_visits[code], rng))
    if EQ5D in definitions:
        tables[EQ5D] = _eq5d(at_visits, model, rng)
    return {
        name: _long(definitions[name], table, visits, model.latent.missing_item, rng)
        for name, table in tables.items()
    }


def _eq5d(
    scores: dict[str, Floats], model: TrialModel, rng: np.random.Generator
) -> dict[str, Floats]:
    """EQ-5D-5L levels from the scale each dimension describes; VAS from global QoL."""
    columns = {}
    for dimension, source in model.eq5d.items():
        value = scores[source]
        if dimension == "VAS":
            columns[dimension] = np.clip(np.rint(value + rng.normal(0, 8, value.shape)), 0, 100)
            continue
        worse = value / 100 if model.scales[source].loading < 0 else 1 - value / 100
        level = 1 + 4 * worse + rng.normal(0, 0.45, value.shape)
        columns[dimension] = stochastic_round(np.clip(level, 1, 5), rng)
    return columns


def _long(
    instrument: Instrument,
    columns: dict[str, Floats],
    visits: tuple[str, ...],
    missing: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per participant and visit, items in the instrument's order, some unanswered."""
    n = next(iter(columns.values())).shape[0]
    frame = pd.DataFrame({"row": np.repeat(np.arange(n), len(visits)), "visit": np.tile(visits, n)})
    for item in instrument.items:
        values = pd.array(columns[item.code].reshape(-1).astype(int), dtype="Int64")
        values[rng.random(len(values)) < missing] = pd.NA
        frame[item.code] = values
    return frame


def _baseline_pain(c30: pd.DataFrame, threshold: float) -> Floats:
    """1.0 where the scored QLQ-C30 pain scale at baseline is at or above *threshold*."""
    items = c30.sort_values("row").drop(columns=["row", "visit"])
    pain = score("qlq-c30", items)["PA"].to_numpy(dtype=float)
    flags = np.nan_to_num(pain, nan=0.0) >= threshold
    return np.asarray(flags, dtype=np.float64)

"""Exercise delivery in the synthetic trial: fitness tests, lesion registers, clinicians'
overrides, symptom flags and adverse events of the exercise arm.

Everything here draws from its own random stream (``"exercise"``, the last of
:data:`exonc.synthetic.trial.STREAMS`), so adding these tables changed no other table. The
numbers are in the model file (``[fitness]`` and ``[lesions]``); the tables are described in
``docs/concepts/synthetic.md``. Risk scores, clearances and the machines a participant may be
tested on follow the same rules as the platform (:mod:`exonc.exercise`): a physiotherapist
does not test a machine that the lesion register forbids, as in P3, where the leg-press h1RM
was measured "where judged safe".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import astuple, dataclass
from typing import Any

import numpy as np
import pandas as pd

from exonc._data import each_row
from exonc.exercise import (
    LESION_FIELDS,
    Clearance,
    Laterality,
    Lesion,
    LesionRecord,
    LesionType,
    MirelsComponents,
    MirelsPain,
    MirelsSite,
    MirelsSize,
    Override,
    Programme,
    RestrictionKind,
    SinsAlignment,
    SinsCollapse,
    SinsComponents,
    SinsPain,
    SinsPosterolateral,
    Site,
    assess_lesions,
    check_exercise,
    default_safety_rules,
)
from exonc.synthetic.model import Fitness, LesionModel

#: Test occasions: baseline (on the day of randomisation) and the Mondays of weeks 13 and 26
#: (3 and 6 months, the time points of P3).
OCCASIONS = (("baseline", None), ("m3", 12), ("m6", 25))
SPINAL_LEVELS = {
    "cervical_spine": [f"C{i}" for i in range(1, 8)],
    "thoracic_spine": [f"T{i}" for i in range(1, 13)],
    "lumbar_spine": [f"L{i}" for i in range(1, 6)],
    "sacrum": [f"S{i}" for i in range(1, 6)],
}
MIDLINE = frozenset({*SPINAL_LEVELS, "sternum", "skull"})
OVERRIDE_SITES = frozenset({"thoracic_spine", "ribs"})
OVERRIDE_EXERCISE = "seated_row"
OVERRIDE_REASON = (
    "stable lesion; seated row with the prescribed load agreed with the physiotherapist"
)
#: Non-serious adverse events: description, CTCAE grade, relatedness, outcome, at a session.
EVENTS = (
    ("muscle soreness after the resistance block", 1, "probable", "recovered", True),
    ("knee pain during leg extension", 1, "possible", "recovered", True),
    ("dizziness after the interval block", 1, "possible", "recovered", True),
    ("low back pain after the session", 2, "possible", "recovering", True),
    ("fall at home without injury", 1, "unlikely", "recovered", False),
)
FRACTURE = "fracture after a fall at home, not at a known metastasis"

TABLE_COLUMNS = {
    "exercise_participants": ["participant_id", "programme_start", "height_cm"],
    "fitness_tests": [
        "participant_id",
        "occasion",
        "date",
        "test",
        "tester",
        "conditions",
        "exercise",
        "side",
        "msec_w",
        "wpeak_w",
        "load_kg",
        "reps",
        "trials_kg",
        "seconds",
    ],
    "lesions": [
        "participant_id",
        "lesion_id",
        *LESION_FIELDS,
        "cleared_by",
        "cleared_on",
        "clearance_note",
    ],
    "lesion_overrides": ["participant_id", "lesion_id", "exercise", "date", "clinician", "reason"],
    "symptom_flags": ["participant_id", "date", "kind", "closed_on", "note"],
    "adverse_events": [
        "participant_id",
        "onset",
        "description",
        "grade",
        "serious",
        "relatedness",
        "outcome",
        "session_date",
    ],
}


def programme_start(randomised_on: dt.date) -> dt.date:
    """Day 1 of programme week 1: the Monday after randomisation (as the sessions table)."""
    return randomised_on + dt.timedelta(days=7 - randomised_on.weekday())


@dataclass
class _Rows:
    tables: dict[str, list[tuple[object, ...]]]

    def add(self, table: str, *row: object) -> None:
        self.tables[table].append(row)


def exercise_tables(
    people: pd.DataFrame,
    programme_end: list[dt.date],
    sessions: pd.DataFrame,
    programme: Programme,
    models: tuple[Fitness, LesionModel],
    rng: np.random.Generator,
) -> dict[str, pd.DataFrame]:
    """Every exercise-delivery table, for the exercise arm of *people*."""
    fitness, lesions = models
    rows = _Rows({name: [] for name in TABLE_COLUMNS})
    for person, stop in zip(each_row(people), programme_end, strict=True):
        if person.arm != "exercise":
            continue
        start = programme_start(person.randomised_on)
        height = round(float(rng.normal(*fitness.height_cm)), 1)
        rows.add("exercise_participants", person.participant_id, start, height)
        register = _register(person, lesions, rng, rows) if person.bone_metastases else ([], [])
        _tests(person, start, stop, register, programme, fitness, rng, rows)
    _flags(sessions, lesions, rng, rows)
    _adverse_events(people, sessions, lesions, rng, rows)
    return _frames(rows)


def _frames(rows: _Rows) -> dict[str, pd.DataFrame]:
    frames = {
        name: pd.DataFrame(rows.tables[name], columns=columns)
        for name, columns in TABLE_COLUMNS.items()
    }
    frames["fitness_tests"] = frames["fitness_tests"].astype(
        {"msec_w": "Int64", "wpeak_w": "Int64", "reps": "Int64"}
    )
    frames["adverse_events"] = frames["adverse_events"].sort_values(
        ["participant_id", "onset"], kind="stable", ignore_index=True
    )
    return frames


def _pick(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    names = list(weights)
    shares = np.array([weights[n] for n in names])
    return names[int(rng.choice(len(names), p=shares / shares.sum()))]


# ------------------------------------------------------------------ lesion register


def _register(
    person: Any, model: LesionModel, rng: np.random.Generator, rows: _Rows
) -> tuple[list[Lesion], list[Override]]:
    """The lesions of one participant with bone metastases, their clearances and overrides."""
    count = 1 + min(int(rng.poisson(model.extra)), 3)
    lesions, overrides = [], []
    for number in range(1, count + 1):
        lesion = _lesion(f"L{number}", person.randomised_on, model, rng)
        lesion = _clear(lesion, person, model, rng)
        lesions.append(lesion)
        rows.add("lesions", person.participant_id, *_lesion_row(lesion))
        if _overridable(lesion, person.randomised_on) and rng.random() < model.override:
            override = Override(
                OVERRIDE_EXERCISE,
                lesion.id,
                f"{person.centre} clinician",
                OVERRIDE_REASON,
                person.randomised_on,
            )
            overrides.append(override)
            rows.add(
                "lesion_overrides",
                person.participant_id,
                lesion.id,
                override.exercise,
                override.date,
                override.clinician,
                override.reason,
            )
    return lesions, overrides


def _lesion(
    lesion_id: str, randomised_on: dt.date, model: LesionModel, rng: np.random.Generator
) -> Lesion:
    site = _pick(rng, model.sites)
    if site in MIDLINE:
        side = "midline"
    else:
        side = "bilateral" if rng.random() < 0.05 else ("left", "right")[int(rng.integers(2))]
    kind = LesionType(_pick(rng, model.lesion_type))
    imaged = randomised_on - dt.timedelta(days=int(rng.integers(14, 91)))
    mirels = sins = None
    if site in ("proximal_humerus", "proximal_femur", "femoral_shaft"):
        mirels = MirelsComponents(
            _mirels_site(site, rng),
            MirelsSize(_pick(rng, model.mirels["size"])),
            MirelsPain(_pick(rng, model.mirels["pain"])),
        )
    elif site in SPINAL_LEVELS:
        levels = SPINAL_LEVELS[site]
        sins = SinsComponents(
            levels[int(rng.integers(len(levels)))],
            SinsPain(_pick(rng, model.sins["pain"])),
            SinsAlignment(_pick(rng, model.sins["alignment"])),
            SinsCollapse(_pick(rng, model.sins["collapse"])),
            SinsPosterolateral(_pick(rng, model.sins["posterolateral"])),
        )
    return Lesion(lesion_id, Site(site), Laterality(side), kind, imaged, mirels, sins)


def _mirels_site(site: str, rng: np.random.Generator) -> MirelsSite:
    if site == "proximal_humerus":
        return MirelsSite.UPPER_LIMB
    if site == "proximal_femur" and rng.random() < 0.5:
        return MirelsSite.PERITROCHANTERIC
    return MirelsSite.LOWER_LIMB


def _clear(lesion: Lesion, person: Any, model: LesionModel, rng: np.random.Generator) -> Lesion:
    """Clear every high-risk lesion (stabilised before the programme) and most borderline ones."""
    kinds = {r.kind for r in assess_lesions([lesion], default_safety_rules(), person.randomised_on)}
    if RestrictionKind.HARD_STOP in kinds:
        note = "stabilised (radiotherapy); loaded exercise cleared after review"
    elif RestrictionKind.SIGN_OFF in kinds and rng.random() < model.sign_off_cleared:
        note = "signed off for the programme"
    else:
        return lesion
    clearance = Clearance(f"{person.centre} clinician", person.randomised_on, note)
    return dataclasses.replace(lesion, clearance=clearance)


def _overridable(lesion: Lesion, day: dt.date) -> bool:
    """A thoracic-spine or rib lesion whose only restriction is its site rule."""
    kinds = {r.kind for r in assess_lesions([lesion], default_safety_rules(), day)}
    return lesion.site.value in OVERRIDE_SITES and kinds == {RestrictionKind.SITE_RULE}


def _lesion_row(lesion: Lesion) -> tuple[object, ...]:
    """``lesion_id``, the :data:`LESION_FIELDS` and the clearance."""
    c = lesion.clearance
    record = astuple(LesionRecord.from_lesion(lesion))
    return (
        lesion.id,
        *record,
        c.clinician if c else "",
        c.date if c else None,
        c.note if c else "",
    )


# ------------------------------------------------------------------ fitness tests


@dataclass(frozen=True)
class _Person:
    """A participant's true capacities at baseline."""

    msec: float
    wpeak_offset: float
    strength: dict[str, float]
    handgrip: float
    stance: float
    tug: float


def _capacities(person: Any, fitness: Fitness, rng: np.random.Generator) -> _Person:
    mean, sd = fitness.msec_w
    msec = rng.normal(mean + fitness.msec_age_slope * (person.age - 55.4), sd)
    factor = np.exp(rng.normal(0, fitness.strength_cv))
    strength = {
        machine: float(kg * factor * np.exp(rng.normal(0, 0.1)))
        for machine, kg in fitness.one_rm_kg.items()
    }
    return _Person(
        msec=float(np.clip(msec, 80, 600)),
        wpeak_offset=float(rng.normal(0, fitness.wpeak_sd_w)),
        strength=strength,
        handgrip=float(np.clip(rng.normal(*fitness.handgrip_kg), 8, 60)),
        stance=float(rng.normal(*fitness.stance_s)),
        tug=float(np.clip(rng.normal(*fitness.tug_s), 4, 30)),
    )


def _tests(
    person: Any,
    start: dt.date,
    stop: dt.date,
    register: tuple[list[Lesion], list[Override]],
    programme: Programme,
    fitness: Fitness,
    rng: np.random.Generator,
    rows: _Rows,
) -> None:
    base = _capacities(person, fitness, rng)
    for index, (occasion, weeks) in enumerate(OCCASIONS):
        day = person.randomised_on if weeks is None else start + dt.timedelta(weeks=weeks)
        if day > stop:
            break
        allowed = _allowed(register, programme, day)
        _occasion(person, occasion, day, base, index, allowed, fitness, rng, rows)


def _allowed(
    register: tuple[list[Lesion], list[Override]], programme: Programme, day: dt.date
) -> set[str]:
    lesions, overrides = register
    restrictions = assess_lesions(lesions, default_safety_rules(), day)
    return {
        name
        for name, definition in programme.exercises.items()
        if check_exercise(definition, restrictions, overrides, day).allowed
    }


def _occasion(
    person: Any,
    occasion: str,
    day: dt.date,
    base: _Person,
    step: int,
    allowed: set[str],
    fitness: Fitness,
    rng: np.random.Generator,
    rows: _Rows,
) -> None:
    """One test occasion; *step* is 0 at baseline, 1 at 3 months and 2 at 6 months."""
    pid, tester = person.participant_id, f"{person.centre} physiotherapist"

    def add(test: str, conditions: str, **values: object) -> None:
        cells = {c: values.get(c) for c in TABLE_COLUMNS["fitness_tests"][6:]}
        cells = {
            k: ("" if v is None and k in ("exercise", "side") else v) for k, v in cells.items()
        }
        rows.add("fitness_tests", pid, occasion, day, test, tester, conditions, *cells.values())

    if "cycle_ergometer" in allowed:
        msec, wpeak = _aerobic_capacity(base, step, fitness, rng)
        add("steep_ramp", "cycle ergometer; 3 min unloaded, then 25 W per 10 s", msec_w=msec)
        add("cpet", "cycle ergometer, ramp protocol to exhaustion", wpeak_w=wpeak)
    for machine, one_rm in base.strength.items():
        if machine not in allowed:
            continue
        relative = fitness.strength_gain[step - 1] * np.exp(rng.normal(0, 0.3)) if step else 0.0
        load, reps = _multiple_rm(one_rm * (1 + relative), fitness, rng)
        add("multiple_rm", "after a warm-up set", exercise=machine, load_kg=load, reps=reps)
    trials = [round(float(base.handgrip + rng.normal(0, 1.2)) * 2) / 2 for _ in range(3)]
    add(
        "handgrip",
        "hand dynamometer, seated, elbow at 90 degrees",
        side="right",
        trials_kg=";".join(f"{max(t, 1.0):g}" for t in trials),
    )
    stance = round(min(30.0, float(np.exp(base.stance + rng.normal(0, 0.2)))), 1)
    add("single_leg_stance", "barefoot, eyes open", side="left", seconds=stance)
    tug = round(max(3.0, base.tug - 0.3 * step + float(rng.normal(0, 0.4))), 1)
    add("timed_up_and_go", "standard chair, 3 m", seconds=tug)


def _aerobic_capacity(
    base: _Person, step: int, fitness: Fitness, rng: np.random.Generator
) -> tuple[int, int]:
    """MSEC and CPET Wpeak (W) at the test occasion *step* (0 baseline, 1 and 2 later)."""
    msec_gain = rng.normal(fitness.msec_gain_w[step - 1], 15) if step else 0.0
    msec = round(base.msec + msec_gain)
    return msec, max(30, round(fitness.wpeak_per_msec * msec + base.wpeak_offset))


def _multiple_rm(one_rm: float, fitness: Fitness, rng: np.random.Generator) -> tuple[float, int]:
    """A submaximal test: a load at a share of the 1RM and the repetitions Brzycki implies."""
    load = max(2.5, round(one_rm * rng.uniform(*fitness.test_load) / 2.5) * 2.5)
    reps = int(np.clip(round((1.0278 - load / one_rm) / 0.0278), 2, 10))
    return load, reps


# ------------------------------------------------------------------ flags and events


def _flags(
    sessions: pd.DataFrame, model: LesionModel, rng: np.random.Generator, rows: _Rows
) -> None:
    """Symptom flags raised at check-in before attended supervised sessions, closed later."""
    attended = sessions[(sessions["kind"] == "supervised") & (sessions["attended"] == 1)]
    open_until: dict[str, dt.date] = {}
    for session in each_row(attended):
        pid = session.participant_id
        if session.date < open_until.get(pid, dt.date.min):
            continue
        if rng.random() >= model.flag_per_session:
            continue
        kind = _pick(rng, model.flag_kinds)
        closed = session.date + dt.timedelta(days=int(rng.integers(*model.flag_days)))
        open_until[pid] = closed
        note = f"{kind.replace('_', ' ')} reported at check-in"
        rows.add("symptom_flags", pid, session.date, kind, closed, note)


def _adverse_events(
    people: pd.DataFrame,
    sessions: pd.DataFrame,
    model: LesionModel,
    rng: np.random.Generator,
    rows: _Rows,
) -> None:
    attended = sessions[sessions["attended"] == 1]
    dates = attended.groupby("participant_id")["date"].apply(list).to_dict()
    active = [
        pid for pid in people.loc[people["arm"] == "exercise", "participant_id"] if pid in dates
    ]
    for pid in active:
        if rng.random() < model.adverse_event:
            description, grade, related, outcome, at_session = EVENTS[
                int(rng.integers(len(EVENTS)))
            ]
            day = dates[pid][int(rng.integers(len(dates[pid])))]
            session = day if at_session else None
            onset = day if at_session else day + dt.timedelta(days=int(rng.integers(1, 3)))
            rows.add("adverse_events", pid, onset, description, grade, 0, related, outcome, session)
    count = min(model.serious_fractures, len(active))
    for index in sorted(rng.choice(len(active), size=count, replace=False)):
        pid = active[int(index)]
        day = dates[pid][int(rng.integers(len(dates[pid])))] + dt.timedelta(days=2)
        rows.add("adverse_events", pid, day, FRACTURE, 3, 1, "not_related", "recovering", None)

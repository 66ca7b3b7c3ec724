"""Participants, their baseline characteristics, and their allocation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from exonc._data import Bools, Ints, each_row
from exonc.protocol import Protocol, add_months
from exonc.randomisation import RandomisationDesign, generate_list, next_allocation
from exonc.synthetic.model import Population

ARMS = ("exercise", "control")
LINES = ("1st/2nd", "3rd+")


def participants(
    protocol: Protocol, population: Population, n: int, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per randomised participant, in order of randomisation."""
    centres = list(population.centres)
    shares = np.array([population.centres[c] for c in centres])
    centre = rng.choice(len(centres), size=n, p=shares / shares.sum())
    age = _ages(population, n, rng)
    randomised_on = _randomisation_dates(population, n, rng)
    frame = pd.DataFrame(
        {
            "centre": [centres[i] for i in centre],
            "randomised_on": randomised_on,
            "age": age,
            "sex": "F",
            "line_of_treatment": np.where(
                exact_share(population.first_second_line, n, rng), LINES[0], LINES[1]
            ),
            "bone_metastases": exact_share(population.bone_metastases, n, rng).astype(int),
            "ecog": rng.choice(len(population.ecog), size=n, p=np.array(population.ecog)),
        }
    )
    frame["birth_year"] = [d.year - a for d, a in zip(frame["randomised_on"], age, strict=True)]
    frame["metastatic_sites"] = _sites(frame["bone_metastases"].to_numpy(), population, rng)
    frame = frame.sort_values("randomised_on", kind="stable").reset_index(drop=True)
    frame.insert(0, "participant_id", _study_ids(frame["centre"]))
    frame["country"] = [protocol.centre(c).country for c in frame["centre"]]
    frame["arm"] = allocate(protocol, frame, seed=int(rng.integers(2**31)))
    return frame


def exact_share(share: float, n: int, rng: np.random.Generator) -> Bools:
    """A random yes/no for *n* people with exactly ``round(share * n)`` yes."""
    yes = np.zeros(n, dtype=bool)
    yes[: round(share * n)] = True
    return rng.permutation(yes)


def _ages(population: Population, n: int, rng: np.random.Generator) -> Ints:
    """Whole years whose sample mean and SD match the published ones (before rounding)."""
    draws = rng.normal(size=n)
    ages = population.mean_age + population.sd_age * (draws - draws.mean()) / draws.std(ddof=1)
    whole = np.rint(np.clip(ages, population.min_age, population.max_age))
    return np.asarray(whole, dtype=np.int64)


def _randomisation_dates(population: Population, n: int, rng: np.random.Generator) -> list[dt.date]:
    start = population.enrolment_start
    span = (add_months(start, population.enrolment_months) - start).days
    # Weekdays only: randomisation happens in clinic.
    days = np.sort(rng.integers(0, span, size=n))
    dates = [start + dt.timedelta(days=int(d)) for d in days]
    return [d + dt.timedelta(days=8 - d.isoweekday() if d.isoweekday() > 5 else 0) for d in dates]


def _sites(bone: Ints, population: Population, rng: np.random.Generator) -> list[str]:
    names = list(population.sites)
    drawn = rng.random((len(bone), len(names))) < np.array([population.sites[s] for s in names])
    sites = []
    for has_bone, row in zip(bone, drawn, strict=True):
        chosen = (["bone"] if has_bone else []) + [
            s for s, hit in zip(names, row, strict=True) if hit
        ]
        sites.append(";".join(chosen or ["lymph_nodes"]))
    return sites


def _study_ids(centres: pd.Series) -> list[str]:
    counters: dict[str, int] = {}
    ids = []
    for centre in centres:
        counters[centre] = counters.get(centre, 0) + 1
        ids.append(f"{centre}-{counters[centre]:03d}")
    return ids


def design(protocol: Protocol) -> RandomisationDesign:
    """The protocol's stratified permuted-block design."""
    return RandomisationDesign.create(
        ratio={arm.code: arm.ratio for arm in protocol.arms},
        factors={f.code: f.levels for f in protocol.randomisation.factors},
        block_sizes=protocol.randomisation.block_sizes,
    )


def allocate(protocol: Protocol, frame: pd.DataFrame, seed: int) -> list[str]:
    """Allocate participants in order from a stratified list, as the platform would."""
    plan = design(protocol)
    per_stratum = _list_length(len(frame), max(plan.block_sizes))
    allocation_list = generate_list(plan, seed, per_stratum=per_stratum, purpose="test")
    used: dict[str, list[int]] = {}
    arms = []
    for row in each_row(frame):
        stratum = plan.stratum_of(
            {"centre": row.centre, "line_of_treatment": row.line_of_treatment}
        ).label
        entry = next_allocation(allocation_list, stratum, used.get(stratum, []))
        used.setdefault(stratum, []).append(entry.position)
        arms.append(entry.arm)
    return arms


def _list_length(n: int, largest_block: int) -> int:
    """Enough positions per stratum for every participant, in whole largest blocks."""
    return -(-n // largest_block) * largest_block

"""The screening log: everyone assessed for eligibility, randomised or excluded with a reason.

The randomised participants were screened 3–28 days before randomisation; the excluded
ones are spread over the enrolment period at the centres in the centres' shares. The log
is what a CONSORT flow diagram's first boxes count.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from exonc.protocol import add_months
from exonc.synthetic.model import Population, Screening

COLUMNS = ["screening_id", "centre", "screened_on", "outcome", "exclusion_reason", "participant_id"]
RANDOMISED, EXCLUDED = "randomised", "excluded"


def screening_log(
    people: pd.DataFrame, population: Population, model: Screening, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per person screened, in order of screening, numbered per centre."""
    low, high = model.days_before
    before = rng.integers(low, high + 1, size=len(people))
    randomised = pd.DataFrame(
        {
            "centre": people["centre"].to_numpy(),
            "screened_on": [
                d - dt.timedelta(days=int(b))
                for d, b in zip(people["randomised_on"], before, strict=True)
            ],
            "outcome": RANDOMISED,
            "exclusion_reason": None,
            "participant_id": people["participant_id"].to_numpy(),
        }
    )
    excluded_n = round(model.excluded_per_randomised * len(people))
    centres = list(population.centres)
    shares = np.array([population.centres[c] for c in centres])
    reasons = list(model.reasons)
    weights = np.array([model.reasons[r] for r in reasons])
    start = population.enrolment_start
    span = (add_months(start, population.enrolment_months) - start).days
    excluded = pd.DataFrame(
        {
            "centre": [
                centres[i] for i in rng.choice(len(centres), excluded_n, p=shares / shares.sum())
            ],
            "screened_on": [
                start + dt.timedelta(days=int(d)) for d in rng.integers(0, span, size=excluded_n)
            ],
            "outcome": EXCLUDED,
            "exclusion_reason": [
                reasons[i] for i in rng.choice(len(reasons), excluded_n, p=weights / weights.sum())
            ],
            "participant_id": None,
        }
    )
    log = pd.concat([randomised, excluded], ignore_index=True)
    log = log.sort_values(["screened_on", "centre"], kind="stable").reset_index(drop=True)
    number = log.groupby("centre").cumcount() + 1
    log.insert(
        0, "screening_id", [f"S-{c}-{n:04d}" for c, n in zip(log["centre"], number, strict=True)]
    )
    return log[COLUMNS]

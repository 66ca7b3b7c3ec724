"""A small seeded trial of *scored* questionnaire outcomes for the plan tests.

The documented long-table contract of ``exonc.analysis.runner``: ``participants`` (one row
per participant) and, per instrument, rows of participant × visit with one column per
scale. Truth built in: exercise changes the QLQ-C30 summary score by +6 and QLQ-FA12
physical fatigue by -8 points at every follow-up visit, and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

C30_SCALES = [
    *("QL", "PF", "RF", "EF", "CF", "SF", "FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI", "FI"),
    "C30_SUMMARY",
]
FA12_SCALES = ["PHYSICAL", "EMOTIONAL", "COGNITIVE", "INTERFERENCE", "SOCIAL", "TOTAL"]
VISITS = ["baseline", "m3", "m6", "m9"]
EFFECTS = {"C30_SUMMARY": 6.0, "PHYSICAL": -8.0}


def small_trial(n: int = 120, seed: int = 1) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    rng = np.random.default_rng(seed)
    participants = pd.DataFrame(
        {
            "participant_id": [f"P{i:03d}" for i in range(n)],
            "arm": np.where(np.arange(n) % 2 == 0, "exercise", "control"),
            "centre": rng.choice(["AMS", "HEI", "SYD"], n),
            "line_of_treatment": rng.choice(["1st/2nd", "3rd+"], n, p=[0.75, 0.25]),
            "age": np.round(rng.normal(55, 11, n)),
            "baseline_pain": rng.binomial(1, 0.4, n),
            "bone_metastases": rng.binomial(1, 0.7, n),
            "per_protocol": rng.binomial(1, 0.85, n),
        }
    )
    scores = {
        "qlq-c30": _scores(participants, C30_SCALES, rng),
        "qlq-fa12": _scores(participants, FA12_SCALES, rng),
    }
    return participants, scores


def _scores(
    participants: pd.DataFrame, scales: list[str], rng: np.random.Generator
) -> pd.DataFrame:
    n = len(participants)
    exercise = (participants["arm"] == "exercise").to_numpy()
    rows = pd.DataFrame(
        {"participant_id": np.repeat(participants["participant_id"], 4), "visit": VISITS * n}
    ).reset_index(drop=True)
    for scale in scales:
        person = rng.normal(0, 12, n)
        baseline = 60 + person + rng.normal(0, 8, n)
        values = [baseline]
        for _ in VISITS[1:]:
            values.append(
                baseline * 0.6
                + 24
                + 0.5 * person
                + rng.normal(0, 8, n)
                + EFFECTS.get(scale, 0.0) * exercise
            )
        column = np.column_stack(values).ravel()
        missing = rng.random(column.size) < 0.1
        rows[scale] = np.where(missing, np.nan, np.round(column, 1))
    return rows


def write_trial(folder: Path, n: int = 120, seed: int = 1) -> None:
    """The same trial as CSV files, named as the preferable-effect plan reads them."""
    participants, scores = small_trial(n, seed)
    participants.to_csv(folder / "participants.csv", index=False)
    scores["qlq-c30"].to_csv(folder / "qlq_c30.csv", index=False)
    scores["qlq-fa12"].to_csv(folder / "qlq_fa12.csv", index=False)

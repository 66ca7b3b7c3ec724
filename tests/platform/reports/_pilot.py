"""A small locked dataset for the planning tests: 40 participants, QLQ-C30 summary score
at baseline and three follow-up visits, drawn from a known covariance with some dropout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def write_pilot_lock(folder: Path, n: int = 40, seed: int = 7) -> Path:
    rng = np.random.default_rng(seed)
    csv = folder / "csv"
    csv.mkdir(parents=True)
    ids = [f"P{i:03d}" for i in range(n)]
    arms = ["exercise" if i % 2 else "control" for i in range(n)]
    pd.DataFrame({"participant_id": ids, "arm": arms}).to_csv(csv / "participants.csv", index=False)
    sd = np.array([12.0, 10.0, 9.0, 9.0])
    corr = np.array(
        [[1.0, 0.6, 0.5, 0.4], [0.6, 1, 0.6, 0.5], [0.5, 0.6, 1, 0.6], [0.4, 0.5, 0.6, 1]]
    )
    values = 70 + rng.multivariate_normal(np.zeros(4), corr * np.outer(sd, sd), size=n)
    rows = []
    for i, pid in enumerate(ids):
        last = 4 if i % 5 else 2 + i % 2  # every fifth participant drops out early
        for k, visit in enumerate(["baseline", "m3", "m6", "m9"][:last]):
            rows.append(
                {"participant_id": pid, "visit": visit, "C30_SUMMARY": f"{values[i, k]:.2f}"}
            )
    pd.DataFrame(rows).to_csv(csv / "qlq_c30.csv", index=False)
    (folder / "MANIFEST.json").write_text("{}")
    return folder

"""Daily activity as FHIR Observations: steps and active minutes from the tracker summaries.

One Observation per participant and measure holds the whole series as ``valueSampledData``
(one value per day: ``period`` 86 400 000 ms; ``E`` on days without a valid tracker day),
``effectivePeriod`` from the first to the last day. A series rather than one Observation
per day keeps a trial's 170 000 daily values to a few hundred resources that can all be
validated within the export's time budget (decision record 0006).

Codes: steps per day is LOINC 41950-7 "Number of steps in 24 hour Measured", with UCUM
``/d`` (as in HL7's Physical Activity IG 1.0.0, example Observation "ExampleDailySteps").
LOINC has no code for device-measured active minutes per day (its minute codes are
self-report questions: 68516-4, 77592-4, 77593-2), so they carry exonc's own code
``urn:exonc:activity#active-minutes`` with UCUM ``min/d``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from exonc.interchange.values import text_column

__all__ = ["ACTIVITY_CODES", "activity_observations"]

DAY_MS = 86_400_000
ACTIVITY_CODES: dict[str, tuple[dict[str, str], str, str]] = {
    "steps": (
        {"system": "http://loinc.org", "code": "41950-7",
         "display": "Number of steps in 24 hour Measured"},
        "steps per day", "/d",
    ),
    "active_minutes": (
        {"system": "urn:exonc:activity", "code": "active-minutes",
         "display": "Active minutes per day (moderate and vigorous), wearable"},
        "minutes per day", "min/d",
    ),
}  # fmt: skip
CATEGORY = {
    "coding": [
        {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "activity"}
    ]
}


def activity_observations(days: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The Observations of a ``tracker_days`` table (valid days only)."""
    if "valid_day" in days.columns:
        days = days[[str(v) in ("1", "True", "true") for v in days["valid_day"]]]
    frame = pd.DataFrame(
        {
            "participant_id": text_column(days["participant_id"]),
            "day": pd.to_datetime(pd.Series(text_column(days["date"])), format="%Y-%m-%d"),
        }
    )
    for measure in ACTIVITY_CODES:
        if measure not in days.columns:
            continue
        frame["value"] = text_column(days[measure])
        present = frame.dropna()
        for pid, series in present.groupby("participant_id", sort=False):
            yield _observation(str(pid), measure, series)


def _observation(participant: str, measure: str, series: pd.DataFrame) -> dict[str, Any]:
    coding, unit, ucum = ACTIVITY_CODES[measure]
    first, last = series["day"].min(), series["day"].max()
    data = np.full((last - first).days + 1, "E", dtype=object)
    data[(series["day"] - first).dt.days.to_numpy()] = series["value"].to_numpy()
    return {
        "resourceType": "Observation",
        "id": f"{participant}-{measure.replace('_', '-')}",
        "status": "final",
        "category": [CATEGORY],
        "code": {"coding": [coding]},
        "subject": {"reference": f"Patient/{participant}"},
        "effectivePeriod": {"start": first.date().isoformat(), "end": last.date().isoformat()},
        "valueSampledData": {
            "origin": {
                "value": 0,
                "unit": unit,
                "system": "http://unitsofmeasure.org",
                "code": ucum,
            },
            "period": DAY_MS,
            "dimensions": 1,
            "data": " ".join(data),
        },
    }

"""Intensity classes from METs, step cadence or accelerometer counts, by published cut-points.

Intensity is 0 sedentary, 1 light, 2 moderate, 3 vigorous, as Fitbit's minute files code
it. Sources that record a class keep it; for the others a class is derived per minute:

* METs (Fitabase METs files, Fitbit JSON): sedentary below 1.5 METs (Tremblay et al. 2017,
  Sedentary Behaviour Research Network), moderate from 3 and vigorous from 6 METs
  (Ainsworth et al. 2011, Compendium of Physical Activities; the US Physical Activity
  Guidelines).
* Step cadence (Apple Health, Garmin, plain step counts): moderate from 100 and vigorous
  from 130 steps per minute (Tudor-Locke et al. 2018, Br J Sports Med 52:776, CADENCE-Adults
  heuristic); any step counts as light, no step as sedentary.
* ActiGraph vertical-axis counts per minute, adults: Freedson et al. 1998 (Med Sci Sports
  Exerc 30:777) light from 100 counts per minute (the sedentary threshold of Matthews et
  al. 2008), moderate from 1952 and vigorous from 5725; or Troiano et al. 2008 (NHANES, Med
  Sci Sports Exerc 40:181) moderate from 2020 and vigorous from 5999.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "CADENCE_CUT_POINTS",
    "COUNT_CUT_POINTS",
    "FREEDSON_1998",
    "MET_CUT_POINTS",
    "TROIANO_2008",
    "CutPoints",
]

MISSING: Final = -1


@dataclass(frozen=True)
class CutPoints:
    """Lower bounds of the light, moderate and vigorous classes, in ``unit``."""

    name: str
    light: float
    moderate: float
    vigorous: float
    unit: str
    reference: str

    def __post_init__(self) -> None:
        if not 0 <= self.light <= self.moderate <= self.vigorous:
            raise ValueError(f"cut-points {self.name!r} must satisfy light <= moderate <= vigorous")

    def classify(
        self, values: npt.NDArray[np.floating] | npt.NDArray[np.integer]
    ) -> npt.NDArray[np.int8]:
        """Class 0-3 of each value; NaN gives -1 (no class)."""
        bounds = np.array([self.light, self.moderate, self.vigorous], dtype=np.float64)
        as_float = np.asarray(values, dtype=np.float64)
        classes = np.searchsorted(bounds, as_float, side="right").astype(np.int8)
        classes[np.isnan(as_float)] = MISSING
        return classes


MET_CUT_POINTS: Final = CutPoints(
    "METs", 1.5, 3.0, 6.0, "MET", "Tremblay 2017; Ainsworth 2011 Compendium"
)
CADENCE_CUT_POINTS: Final = CutPoints(
    "cadence", 1.0, 100.0, 130.0, "steps/min", "Tudor-Locke 2018, CADENCE-Adults"
)
FREEDSON_1998: Final = CutPoints(
    "freedson", 100.0, 1952.0, 5725.0, "counts/min (vertical axis)", "Freedson 1998"
)
TROIANO_2008: Final = CutPoints(
    "troiano", 100.0, 2020.0, 5999.0, "counts/min (vertical axis)", "Troiano 2008 (NHANES)"
)
COUNT_CUT_POINTS: Final = {cp.name: cp for cp in (FREEDSON_1998, TROIANO_2008)}

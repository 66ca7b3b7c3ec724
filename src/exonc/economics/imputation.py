"""Multiple imputation of missing utilities and costs before the cost-utility analysis.

:class:`PmmImputer` hands the patients to exonc's one imputation engine,
:func:`exonc.analysis.imputation.impute_by_arm` with ``method="pmm"``: multiple imputation
by chained equations (fully conditional specification, van Buuren 2018) with predictive
mean matching, run **separately within each arm** so that the imputation model allows
every interaction with treatment (Faria et al. 2014). Each variable with missing values
(utility at each month, each cost component) is imputed in turn from all the others, and
only ever takes values that were observed, so imputed utilities stay inside the value
set's range and imputed costs stay non-negative. Utilities after death are not missing:
they are 0 (see :mod:`exonc.economics.qaly`), enter the models of the other variables as
0, and are never imputed.

Any other imputation can be used instead: an :class:`Imputer` is any callable that takes
the :class:`PatientData` and a generator and returns the completed data sets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis.imputation import impute_by_arm
from exonc.economics._columns import FloatArray
from exonc.economics.patients import PatientData
from exonc.economics.qaly import after_death
from exonc.errors import AnalysisInputError, EconomicsInputError

__all__ = ["Imputer", "PmmImputer", "missing_mask"]


class Imputer(Protocol):
    """Anything that turns patient data with missing values into completed data sets."""

    def __call__(self, data: PatientData, rng: np.random.Generator) -> Sequence[PatientData]: ...


def missing_mask(data: PatientData) -> NDArray[np.bool_]:
    """Patients × (months + cost components) mask of values that are truly missing."""
    utilities = np.isnan(data.utilities) & ~after_death(data.months, data.death_months)
    return np.hstack([utilities, np.isnan(data.costs)])


@dataclass(frozen=True)
class PmmImputer:
    """Chained-equations predictive mean matching within arm (see the module docstring)."""

    imputations: int = 20
    iterations: int = 10
    donors: int = 5

    def __call__(self, data: PatientData, rng: np.random.Generator) -> tuple[PatientData, ...]:
        names = [*data.utility_names, *data.cost_names]
        dead = after_death(data.months, data.death_months)
        utilities = np.where(dead & np.isnan(data.utilities), 0.0, data.utilities)
        frame = pd.DataFrame(np.hstack([utilities, data.costs]), columns=names)
        frame[_ARM] = list(data.arm)
        try:
            completed = impute_by_arm(
                frame,
                arm=_ARM,
                columns=names,
                n_imputations=self.imputations,
                rng=rng,
                method="pmm",
                iterations=self.iterations,
                donors=self.donors,
            )
        except AnalysisInputError as error:
            raise EconomicsInputError(
                error.problem, column=error.column, value=error.value, hint=error.hint
            ) from error
        return tuple(_restore(data, c[names].to_numpy(dtype=np.float64)) for c in completed)


_ARM = "__arm__"  # not a utility or cost column name


def _restore(data: PatientData, filled: FloatArray) -> PatientData:
    """Put the completed values back, keeping utilities after death missing (they are 0)."""
    months = len(data.months)
    utilities = np.where(np.isnan(data.utilities), filled[:, :months], data.utilities)
    dead = after_death(data.months, data.death_months)
    utilities = np.where(dead & np.isnan(data.utilities), np.nan, utilities)
    return data.with_values(utilities, filled[:, months:])

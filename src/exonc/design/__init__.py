"""Designing the next trial: simulation-based power and sample size for MMRM analyses.

A :class:`TrialDesign` (arms, allocation, visits, effects, covariance, dropout, the
analysis) is simulated trial by trial, each trial analysed with exonc's MMRM engine, and
power reported with its Monte-Carlo SE (:func:`simulate_power`); :func:`sample_size`
finds the smallest n per arm reaching a target power. Analytical checks:
:func:`t_test_power` and :func:`lu_power` (Lu, Luo & Chen 2008). Pure domain code; the
Dask runner lives in :mod:`exonc.design._dask`. Methods: ``docs/methods/power.md``.
"""

from exonc.design.analytical import lu_power, lu_variance, t_test_power
from exonc.design.covariance import PilotEstimate, covariance_matrix, pilot_covariance
from exonc.design.engine import ContrastFit, cell_means_design, fit_contrast
from exonc.design.power import PowerResult, local_runner, run_chunk, simulate_power
from exonc.design.reader import (
    SHIPPED_DESIGNS,
    DesignFile,
    parse_allocation,
    parse_design,
    read_design,
    shipped_design,
)
from exonc.design.sample_size import SampleSizeResult, sample_size
from exonc.design.simulate import SimulatedTrial, simulate_trial
from exonc.design.spec import OutcomeDesign, Stratum, TrialDesign

__all__ = [
    "SHIPPED_DESIGNS",
    "ContrastFit",
    "DesignFile",
    "OutcomeDesign",
    "PilotEstimate",
    "PowerResult",
    "SampleSizeResult",
    "SimulatedTrial",
    "Stratum",
    "TrialDesign",
    "cell_means_design",
    "covariance_matrix",
    "fit_contrast",
    "local_runner",
    "lu_power",
    "lu_variance",
    "parse_allocation",
    "parse_design",
    "pilot_covariance",
    "read_design",
    "run_chunk",
    "sample_size",
    "shipped_design",
    "simulate_power",
    "simulate_trial",
    "t_test_power",
]

"""Trial analysis: MMRM with Kenward–Roger/Satterthwaite inference, LS means, contrasts,
multiplicity, effect sizes, effect modification, multiple imputation and analysis plans.

Pure domain code: data frames and plain values in, frozen results out.
"""

from exonc.analysis.covariance import COVARIANCE_TYPES, CovarianceStructure, CovarianceType
from exonc.analysis.formula import Formula, parse_formula
from exonc.analysis.inference import DfMethod, Estimate, FTest
from exonc.analysis.mmrm import MMRMResult, fit_mmrm, mmrm_formula
from exonc.analysis.optimise import Convergence

__all__ = [
    "COVARIANCE_TYPES",
    "Convergence",
    "CovarianceStructure",
    "CovarianceType",
    "DfMethod",
    "Estimate",
    "FTest",
    "Formula",
    "MMRMResult",
    "fit_mmrm",
    "mmrm_formula",
    "parse_formula",
]

"""Trial analysis: MMRM with Kenward–Roger/Satterthwaite inference, LS means, contrasts,
multiplicity, effect sizes, effect modification, multiple imputation and analysis plans.

Pure domain code: data frames and plain values in, frozen results out. Methods are
documented under ``docs/methods/`` and analysis plans under ``docs/concepts/``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exonc.analysis.bootstrap import BootstrapResult, bootstrap_contrasts
    from exonc.analysis.covariance import COVARIANCE_TYPES, CovarianceStructure, CovarianceType
    from exonc.analysis.effect_size import EffectSize, pooled_sd, standardised_effect
    from exonc.analysis.estimation import Optimizer
    from exonc.analysis.formula import Formula, Term, parse_formula
    from exonc.analysis.imputation import ImputationMethod, impute_by_arm, pool_rubin, pool_values
    from exonc.analysis.inference import DfMethod, Estimate, FTest
    from exonc.analysis.mmrm import MMRMResult, fit_mmrm, mmrm_formula
    from exonc.analysis.multiplicity import MultiplicityMethod, adjust_p_values
    from exonc.analysis.optimise import Convergence
    from exonc.analysis.plan import (
        AnalysisPlan,
        PlanOutcome,
        PlanSubgroup,
        parse_plan,
        shipped_plan,
    )
    from exonc.analysis.runner import PlanResult, analysis_table, run_plan
    from exonc.analysis.subgroups import EffectModificationResult, effect_modification
    from exonc.analysis.visits import VisitOrder, natural_order, visit_order

# Each name loads its module on first use (PEP 562), so that ``exonc analyse mmrm`` does not
# import the multiple-imputation and bootstrap code (and scipy.stats with them).
_HOME: dict[str, str] = {
    "BootstrapResult": "bootstrap",
    "bootstrap_contrasts": "bootstrap",
    "COVARIANCE_TYPES": "covariance",
    "CovarianceStructure": "covariance",
    "CovarianceType": "covariance",
    "EffectSize": "effect_size",
    "pooled_sd": "effect_size",
    "standardised_effect": "effect_size",
    "Optimizer": "estimation",
    "Formula": "formula",
    "Term": "formula",
    "parse_formula": "formula",
    "ImputationMethod": "imputation",
    "impute_by_arm": "imputation",
    "pool_rubin": "imputation",
    "pool_values": "imputation",
    "DfMethod": "inference",
    "Estimate": "inference",
    "FTest": "inference",
    "MMRMResult": "mmrm",
    "fit_mmrm": "mmrm",
    "mmrm_formula": "mmrm",
    "MultiplicityMethod": "multiplicity",
    "adjust_p_values": "multiplicity",
    "Convergence": "optimise",
    "AnalysisPlan": "plan",
    "PlanOutcome": "plan",
    "PlanSubgroup": "plan",
    "parse_plan": "plan",
    "shipped_plan": "plan",
    "PlanResult": "runner",
    "analysis_table": "runner",
    "run_plan": "runner",
    "EffectModificationResult": "subgroups",
    "effect_modification": "subgroups",
    "VisitOrder": "visits",
    "natural_order": "visits",
    "visit_order": "visits",
}

__all__ = [
    "COVARIANCE_TYPES",
    "AnalysisPlan",
    "BootstrapResult",
    "Convergence",
    "CovarianceStructure",
    "CovarianceType",
    "DfMethod",
    "EffectModificationResult",
    "EffectSize",
    "Estimate",
    "FTest",
    "Formula",
    "ImputationMethod",
    "MMRMResult",
    "MultiplicityMethod",
    "Optimizer",
    "PlanOutcome",
    "PlanResult",
    "PlanSubgroup",
    "Term",
    "VisitOrder",
    "adjust_p_values",
    "analysis_table",
    "bootstrap_contrasts",
    "effect_modification",
    "fit_mmrm",
    "impute_by_arm",
    "mmrm_formula",
    "natural_order",
    "parse_formula",
    "parse_plan",
    "pool_rubin",
    "pool_values",
    "pooled_sd",
    "run_plan",
    "shipped_plan",
    "standardised_effect",
    "visit_order",
]


def __getattr__(name: str) -> Any:
    """Load *name* from its module on first use."""
    if name in _HOME:
        value = getattr(importlib.import_module(f"exonc.analysis.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exonc.analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

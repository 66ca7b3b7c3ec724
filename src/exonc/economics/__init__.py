"""Health economics: programme and health-care costs, QALYs, and the cost-utility analysis.

Pure functions over plain values and data frames (no I/O beyond the package's own data
files, no clock, no global random state):

* costing — :mod:`~exonc.economics.prices` (price tables per country, price-index and
  currency conversion), :mod:`~exonc.economics.resource_use` (questionnaire items per
  country, costed per participant), :mod:`~exonc.economics.programme` (bottom-up delivery
  cost from session logs), :mod:`~exonc.economics.productivity` (human capital, friction);
* effects — :mod:`~exonc.economics.qaly` (area under the curve, deaths) and
  :mod:`~exonc.economics.imputation` (multiple imputation of utilities and costs);
* analysis — :mod:`~exonc.economics.cea` (incremental analysis, bootstrap, CEAC, CEAF,
  EVPI), :mod:`~exonc.economics.scenarios`, :mod:`~exonc.economics.psa` (BCEA-style
  summaries of any draws), :mod:`~exonc.economics.thresholds`, and plot-ready data in
  :mod:`~exonc.economics.figures`.
"""

from exonc.economics.bootstrap import (
    BootstrapResult,
    bootstrap_increments,
    ceac,
    ceaf,
    evpi,
    inb,
    increments,
    increments_result,
    intervention_optimal,
    is_adjusted,
)
from exonc.economics.cea import CeaResult, MissingPolicy, analyse_cea, wtp_key
from exonc.economics.figures import ce_plane_data, ceac_data, ceaf_data, evpi_data, wtp_grid
from exonc.economics.imputation import Imputer, PmmImputer, missing_mask
from exonc.economics.incremental import (
    Dominance,
    OlsEstimate,
    adjusted_difference,
    classify_dominance,
    icer,
    inmb,
)
from exonc.economics.patients import (
    MIN_EQ5D5L_UTILITY,
    PatientData,
    UtilityColumn,
    patient_data_from_frame,
)
from exonc.economics.prices import (
    CostCategory,
    PriceIndex,
    PriceTable,
    available_countries,
    load_price_index,
    load_price_table,
    price_table_from_dict,
)
from exonc.economics.productivity import (
    AbsenceSpell,
    ProductivityMethod,
    ProductivityPrices,
    productivity_cost,
)
from exonc.economics.programme import (
    DeliveryPrices,
    Equipment,
    SessionFact,
    equivalent_annual_cost,
    programme_costs,
    session_facts_from_frame,
    tracker_cost,
)
from exonc.economics.psa import (
    PsaDraws,
    PsaResult,
    SwitchPoint,
    population_evpi,
    psa_draws_from_frame,
    summarise_psa,
    switch_points,
)
from exonc.economics.qaly import after_death, qaly_auc
from exonc.economics.resource_use import (
    ResourceItem,
    ResourceUse,
    cost_resource_use,
    resource_items,
    resource_use_from_frame,
)
from exonc.economics.scenarios import (
    PERSPECTIVES,
    Perspective,
    Scenario,
    ScenarioResult,
    perspective_costs,
    run_scenarios,
    supervision_scenarios,
)
from exonc.economics.thresholds import (
    Threshold,
    dutch_reference_value,
    load_thresholds,
    proportional_shortfall,
    threshold_values,
)

__all__ = [
    "MIN_EQ5D5L_UTILITY",
    "PERSPECTIVES",
    "AbsenceSpell",
    "BootstrapResult",
    "CeaResult",
    "CostCategory",
    "DeliveryPrices",
    "Dominance",
    "Equipment",
    "Imputer",
    "MissingPolicy",
    "OlsEstimate",
    "PatientData",
    "Perspective",
    "PmmImputer",
    "PriceIndex",
    "PriceTable",
    "ProductivityMethod",
    "ProductivityPrices",
    "PsaDraws",
    "PsaResult",
    "ResourceItem",
    "ResourceUse",
    "Scenario",
    "ScenarioResult",
    "SessionFact",
    "SwitchPoint",
    "Threshold",
    "UtilityColumn",
    "adjusted_difference",
    "after_death",
    "analyse_cea",
    "available_countries",
    "bootstrap_increments",
    "ce_plane_data",
    "ceac",
    "ceac_data",
    "ceaf",
    "ceaf_data",
    "classify_dominance",
    "cost_resource_use",
    "dutch_reference_value",
    "equivalent_annual_cost",
    "evpi",
    "evpi_data",
    "icer",
    "inb",
    "increments",
    "increments_result",
    "inmb",
    "intervention_optimal",
    "is_adjusted",
    "load_price_index",
    "load_price_table",
    "load_thresholds",
    "missing_mask",
    "patient_data_from_frame",
    "perspective_costs",
    "population_evpi",
    "price_table_from_dict",
    "productivity_cost",
    "programme_costs",
    "proportional_shortfall",
    "psa_draws_from_frame",
    "qaly_auc",
    "resource_items",
    "resource_use_from_frame",
    "run_scenarios",
    "session_facts_from_frame",
    "summarise_psa",
    "supervision_scenarios",
    "switch_points",
    "threshold_values",
    "tracker_cost",
    "wtp_grid",
    "wtp_key",
]

"""Concealed, stratified randomisation: pure algorithms over explicit generators.

* :class:`RandomisationDesign` — method, arms with ratio, factors, block sizes, minimisation
  probability, weights and imbalance measure, built from plain values;
* :func:`generate_list` — stratified permuted blocks of random sizes from a secret seed
  (live or test list, see :mod:`exonc.randomisation.seeds`);
* :func:`minimise` — Pocock–Simon minimisation as a function of the current counts;
* :func:`list_to_csv`, :func:`list_checksum`, :func:`verify_list`, :func:`parse_list` — the
  list file, its checksum, and validation of imported lists; :func:`to_redcap` /
  :func:`from_redcap` for REDCap allocation tables;
* :func:`next_allocation` — the next position of a stratum;
* :func:`balance_report`, :func:`allocation_counts` — balance and CONSORT numbers;
* :func:`simulate` — balance and predictability of a design over simulated trials.
"""

from exonc.randomisation.allocation_list import AllocationList, ListEntry, next_allocation
from exonc.randomisation.blocks import draw_block, fillable_lengths, generate_list, permuted_block
from exonc.randomisation.design import (
    LIST_COLUMNS,
    UNSTRATIFIED,
    Arm,
    Assignment,
    Factor,
    ImbalanceMeasure,
    Method,
    RandomisationDesign,
    Stratum,
)
from exonc.randomisation.list_file import (
    list_checksum,
    list_to_csv,
    parse_list,
    read_list_csv,
    verify_list,
)
from exonc.randomisation.minimisation import (
    MinimisationDecision,
    MinimisationState,
    allocation_probabilities,
    choose,
    imbalance_scores,
    minimise,
    replay_minimisation,
)
from exonc.randomisation.predictability import (
    chance_level,
    convergence_guess,
    guess_score,
    most_likely_guess,
)
from exonc.randomisation.redcap import REDCAP_DAG, REDCAP_GROUP, RedcapCodes, from_redcap, to_redcap
from exonc.randomisation.reports import (
    AllocationCounts,
    BalanceReport,
    allocation_counts,
    balance_report,
    imbalance,
)
from exonc.randomisation.seeds import (
    PURPOSES,
    Purpose,
    check_purpose,
    check_seed,
    list_generator,
    minimisation_generator,
)
from exonc.randomisation.simulation import (
    SimulationSummary,
    TrialOutcome,
    simulate,
    simulate_levels,
    simulate_trial,
)

__all__ = [
    "LIST_COLUMNS",
    "PURPOSES",
    "REDCAP_DAG",
    "REDCAP_GROUP",
    "UNSTRATIFIED",
    "AllocationCounts",
    "AllocationList",
    "Arm",
    "Assignment",
    "BalanceReport",
    "Factor",
    "ImbalanceMeasure",
    "ListEntry",
    "Method",
    "MinimisationDecision",
    "MinimisationState",
    "Purpose",
    "RandomisationDesign",
    "RedcapCodes",
    "SimulationSummary",
    "Stratum",
    "TrialOutcome",
    "allocation_counts",
    "allocation_probabilities",
    "balance_report",
    "chance_level",
    "check_purpose",
    "check_seed",
    "choose",
    "convergence_guess",
    "draw_block",
    "fillable_lengths",
    "from_redcap",
    "generate_list",
    "guess_score",
    "imbalance",
    "imbalance_scores",
    "list_checksum",
    "list_generator",
    "list_to_csv",
    "minimisation_generator",
    "minimise",
    "most_likely_guess",
    "next_allocation",
    "parse_list",
    "permuted_block",
    "read_list_csv",
    "replay_minimisation",
    "simulate",
    "simulate_levels",
    "simulate_trial",
    "to_redcap",
    "verify_list",
]

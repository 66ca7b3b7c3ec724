"""exonc — run, monitor and evaluate supervised exercise programmes in metastatic cancer.

The supported library API is re-exported here; everything else is internal. Names load on
first use (``import exonc`` stays light, as the command line needs), so
``from exonc import fit_mmrm`` imports the analysis package only then.

Packages (each with its own ``__all__``): ``protocol``, ``questionnaires``,
``randomisation``, ``exercise``, ``trackers``, ``analysis``, ``economics``, ``synthetic``,
``reports``, ``interchange``, ``guides``, ``design``.

Entry points:

- trial protocol: ``load_protocol``, ``Protocol``;
- questionnaires: ``score``, ``score_table``, ``score_response``, ``get_instrument``,
  ``INSTRUMENTS``;
- randomisation: ``RandomisationDesign``, ``generate_list``, ``minimise``;
- exercise: ``prescribe``, ``plan_session``, ``adherence``;
- activity trackers: ``daily_from_files``, ``daily_summary``, ``MinuteStore``;
- analysis: ``fit_mmrm``, ``bootstrap_contrasts``, ``shipped_plan``, ``parse_plan``,
  ``run_plan``, ``impute_by_arm``, ``pool_rubin``;
- health economics: ``patient_data_from_frame``, ``analyse_cea``, ``run_scenarios``,
  ``summarise_psa``;
- the synthetic trial: ``generate_trial``;
- designing the next trial: ``simulate_power``, ``sample_size``, ``shipped_design``;
- results: ``Result``, ``BootstrapResult``;
- errors and warnings: every name of ``exonc.errors`` (``ExoncError``, ``InputError``,
  ``ConvergenceWarning``, …).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from exonc import errors

if TYPE_CHECKING:
    __version__: str  # read from the installed metadata on first use (see __getattr__)

PACKAGES = (
    "protocol",
    "questionnaires",
    "randomisation",
    "exercise",
    "trackers",
    "analysis",
    "economics",
    "synthetic",
    "reports",
    "interchange",
    "guides",
    "design",
)

_ENTRY_POINTS: dict[str, tuple[str, ...]] = {
    "protocol": ("load_protocol", "Protocol"),
    "questionnaires": ("score", "score_table", "score_response", "get_instrument", "INSTRUMENTS"),
    "randomisation": ("RandomisationDesign", "generate_list", "minimise"),
    "exercise": ("prescribe", "plan_session", "adherence"),
    "trackers": ("daily_from_files", "daily_summary", "MinuteStore"),
    "analysis": (
        "fit_mmrm",
        "bootstrap_contrasts",
        "shipped_plan",
        "parse_plan",
        "run_plan",
        "impute_by_arm",
        "pool_rubin",
    ),
    "economics": ("patient_data_from_frame", "analyse_cea", "run_scenarios", "summarise_psa"),
    "synthetic": ("generate_trial",),
    "design": ("simulate_power", "sample_size", "shipped_design"),
    "results": ("Result", "BootstrapResult"),
}

_ENTRY_POINTS["errors"] = tuple(errors.__all__)  # the whole hierarchy (a light module)
_HOME = {name: module for module, names in _ENTRY_POINTS.items() for name in names}

__all__ = ["__version__", *PACKAGES, *_HOME]


def __getattr__(name: str) -> Any:
    """Load a package, an entry point or ``__version__`` on first use (PEP 562)."""
    if name == "__version__":
        globals()[name] = _installed_version()
        return globals()[name]
    if name in PACKAGES:
        return importlib.import_module(f"exonc.{name}")
    if name in _HOME:
        value = getattr(importlib.import_module(f"exonc.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'exonc' has no attribute {name!r}")


def _installed_version() -> str:
    # importlib.metadata costs a tenth of ``exonc --help``: read it only when asked.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exonc")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

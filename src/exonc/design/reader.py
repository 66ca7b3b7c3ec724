"""Reading a design file (TOML, through :mod:`exonc._toml`) and the designs exonc ships.

Format (every key is checked; an unknown key stops with the file and key)::

    name = "my-trial"
    arms = ["control", "exercise"]      # reference arm first
    allocation = "1:1"                  # control:treatment
    visits = ["m3", "m6", "m9"]
    contrast_visit = "m6"               # default: the last visit
    n_per_arm = 179                     # optional default for the command line

    [dropout]
    cumulative = [0.08, 0.12, 0.16]    # share without data from each visit on
    mechanism = "mcar"                 # or "mar"
    mar_strength = 0.0                 # log odds ratio per SD of the previous value

    [analysis]
    structure = "us"                   # the MMRM's covariance (us, cs, ar1, ...)
    df = "kenward-roger"               # or "kenward-roger-linear", "satterthwaite"
    alpha = 0.05
    success = "any"                    # several outcomes: any or all after Holm
    outcome_correlation = 0.3          # between outcomes at the same visit

    [[strata]]                         # optional stratification factors
    name = "line_of_treatment"
    proportions = [0.75, 0.25]         # share at each level
    shifts = [0.0, -0.3]               # shift of every outcome, in SDs

    [[outcomes]]
    name = "c30_summary"
    effect = [3.9, 4.8, 4.3]           # treatment minus control at each visit
    control_change = [0, 0, 0]         # optional
    sd = 14.5                          # one SD, or one per visit
    structure = "cs"                   # data-generating correlation: us, cs or ar1
    correlation = 0.6                  # or a matrix for "us"
    # covariance = [[...], ...]        # instead of sd/structure/correlation
    # pilot = { file = "pilot.csv", subject = "id", visit = "visit", outcome = "y" }
    baseline_sd = 14.5                 # optional baseline covariate
    baseline_correlation = 0.6

Documented in ``docs/methods/power.md``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from exonc import _toml
from exonc.design.covariance import STRUCTURES, covariance_matrix, pilot_covariance
from exonc.design.spec import (
    DROPOUT_MECHANISMS,
    SUCCESS_RULES,
    OutcomeDesign,
    Stratum,
    TrialDesign,
)
from exonc.errors import DesignInputError, InputError

__all__ = [
    "SHIPPED_DESIGNS",
    "DesignFile",
    "parse_allocation",
    "parse_design",
    "read_design",
    "shipped_design",
]

SHIPPED_DESIGNS = ("preferable-effect",)


class DesignFile:
    """A parsed design and the sample size the file suggests (``n_per_arm``, optional)."""

    def __init__(self, design: TrialDesign, n_per_arm: int | None) -> None:
        self.design = design
        self.n_per_arm = n_per_arm


def shipped_design(name: str) -> DesignFile:
    """A design that ships with exonc, by name (``preferable-effect``)."""
    if name not in SHIPPED_DESIGNS:
        raise DesignInputError(
            f"no shipped design {name!r}",
            hint=f"shipped designs: {', '.join(SHIPPED_DESIGNS)}; or give a TOML file",
        )
    text = resources.files("exonc.design").joinpath("designs", f"{name}.toml")
    return parse_design(text.read_text(encoding="utf-8"), source=f"{name}.toml")


def read_design(path: Path) -> DesignFile:
    """Read a design file; a pilot data set is read relative to the file's folder."""
    data = _toml.read(path, DesignInputError)
    return _build(_toml.Table(data, file=str(path), error=DesignInputError), path.parent)


def parse_design(text: str, *, source: str = "design", folder: Path | None = None) -> DesignFile:
    """Validate a design's TOML *text*; errors name *source* and the key to fix."""
    root = _toml.root(text, source=source, error=DesignInputError)
    return _build(root, folder or Path.cwd())


def parse_allocation(text: str) -> tuple[int, int]:
    """``"2:1"`` as ``(2, 1)``."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
        raise DesignInputError(
            "must be two whole numbers >= 1 such as 1:1 or 2:1", key="allocation", value=text
        )
    return int(parts[0]), int(parts[1])


def _build(root: _toml.Table, folder: Path) -> DesignFile:
    visits = tuple(root.texts("visits"))
    dropout = root.table("dropout", None)
    analysis = root.table("analysis", None)
    fields: dict[str, Any] = {
        "name": root.text("name", "design"),
        "title": root.text("title", ""),
        "reference": root.text("reference", ""),
        "arms": tuple(root.texts("arms", ["control", "exercise"])),
        "allocation": parse_allocation(root.text("allocation", "1:1")),
        "visits": visits,
        "contrast_visit": root.text("contrast_visit", ""),
        "notes": tuple(root.texts("notes", [])),
        **_dropout(dropout),
        **_analysis(analysis),
    }
    n_per_arm = root.whole("n_per_arm", None)
    with root.located():
        outcomes = tuple(
            _outcome(t, len(visits), folder) for t in root.tables("outcomes", required=True)
        )
        fields["strata"] = tuple(_stratum(t) for t in root.tables("strata"))
    root.done()
    try:
        design = TrialDesign(outcomes=outcomes, **fields)
    except InputError as error:
        raise error.located(root.file) from None
    return DesignFile(design, n_per_arm)


def _stratum(table: _toml.Table) -> Stratum:
    stratum = Stratum(
        name=table.text("name"),
        proportions=tuple(_numbers(table, "proportions")),
        shifts=tuple(_numbers(table, "shifts")) if table.has("shifts") else (),
    )
    table.done()
    return stratum


def _dropout(table: _toml.Table | None) -> dict[str, Any]:
    if table is None:
        return {}
    values = {
        "dropout": tuple(float(v) for v in _numbers(table, "cumulative")),
        "dropout_mechanism": table.one_of("mechanism", DROPOUT_MECHANISMS, "mcar"),
        "mar_strength": table.number("mar_strength", 0.0),
    }
    table.done()
    return values


def _analysis(table: _toml.Table | None) -> dict[str, Any]:
    if table is None:
        return {}
    values = {
        "structure": table.text("structure", "us"),
        "df": table.text("df", "kenward-roger"),
        "alpha": table.number("alpha", 0.05),
        "success": table.one_of("success", SUCCESS_RULES, "any"),
        "outcome_correlation": table.number("outcome_correlation", 0.0),
    }
    table.done()
    return values


def _numbers(table: _toml.Table, name: str) -> list[float]:
    values = table.items(name)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        table.fail(name, "must be a list of numbers", values)
    return [float(v) for v in values]


def _outcome(table: _toml.Table, visits: int, folder: Path) -> OutcomeDesign:
    name = table.text("name")
    with table.located():
        covariance = _covariance(table, visits, folder)
    effect = tuple(_numbers(table, "effect"))
    if len(effect) != visits:
        raise DesignInputError(
            f"has {len(effect)} values for {visits} visits",
            file=table.file,
            key=f"outcomes.{name}.effect",
            value=list(effect),
            hint="give one effect (treatment minus control) per visit",
        )
    outcome = OutcomeDesign(
        name=name,
        effect=effect,
        control_change=tuple(_numbers(table, "control_change"))
        if table.has("control_change")
        else (),
        covariance=covariance,
        baseline_sd=table.number("baseline_sd", 0.0),
        baseline_correlation=table.number("baseline_correlation", 0.0),
    )
    table.done()
    return outcome


def _covariance(table: _toml.Table, visits: int, folder: Path) -> Any:
    if table.has("covariance"):
        return table.items("covariance")
    if table.has("pilot"):
        return _pilot(table.table("pilot"), folder)
    sd = table.raw("sd")
    structure = table.one_of("structure", STRUCTURES, "cs")
    correlation = table.raw("correlation", 0.0)
    return covariance_matrix(structure, sd, correlation, visits)


def _pilot(table: _toml.Table, folder: Path) -> Any:
    path = folder / table.text("file")
    columns = {k: table.text(k) for k in ("subject", "visit", "outcome")}
    arm = table.text("arm", None)
    table.done()
    if not path.is_file():
        table.fail("file", "pilot data file not found", str(path), "give a path from the design")
    try:
        data = pd.read_csv(path)
    except (OSError, ValueError) as error:
        table.fail("file", f"cannot be read as CSV ({error})", str(path))
    estimate = pilot_covariance(data, arm=arm, **columns)
    return estimate.covariance

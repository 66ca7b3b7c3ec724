"""The cost-utility analysis of a trial's tidy tables, as ``exonc economics cea`` runs it.

:func:`cea_table` builds the per-participant table that ``exonc economics cea`` reads —
the report writes it as ``economics.csv`` beside the report — and :func:`run_cea` analyses
it through the same text-in path as the command (:data:`CEA_OPTIONS` are the command's
options), so that the report's numbers equal the command's on that file to the last digit.

The table, one row per randomised participant:

* ``u_m0`` … ``u_m9``: EQ-5D-5L utility at each visit (named by the visit's month), scored
  with the value set of the participant's country;
* ``death_month``: months (365.25 / 12 days) from randomisation to death, if she died;
* ``cost_programme``: supervised sessions attended (their minutes — 60 where the table
  does not record them — at the therapist's hourly rate, one-to-one) and the activity
  tracker both arms wore;
* ``cost_primary_care`` … : the resource-use items of each follow-up period, priced per
  category. A period without a questionnaire while she was alive leaves every
  questionnaire-based cost empty (missing; the complete-case analysis drops her); a period
  after her death counts 0.

All prices are **the Netherlands' shipped price table (illustrative)** applied to every
centre, in EUR of its price year: one currency, no conversion. Items of another country's
questionnaire that have no Dutch price (a German rehabilitation day, say) are left out.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from exonc._csv import frame_text
from exonc.economics import (
    CeaResult,
    DeliveryPrices,
    MissingPolicy,
    PmmImputer,
    ResourceUse,
    SessionFact,
    UtilityColumn,
    analyse_cea,
    cost_resource_use,
    load_price_table,
    patient_data_from_frame,
    programme_costs,
    resource_items,
    threshold_values,
)
from exonc.protocol import load_protocol
from exonc.questionnaires import score

__all__ = ["CEA_OPTIONS", "CeaOptions", "cea_table", "command", "run_cea"]

DAYS_PER_MONTH = 365.25 / 12
PRICE_COUNTRY = "NL"
SESSION_MINUTES = 60.0  # a supervised session whose length is not recorded
TRACKER_PRICE = 130.0  # EUR, 3-year lifetime (the platform's costing.toml)


@dataclass(frozen=True)
class CeaOptions:
    """The options of ``exonc economics cea`` the report uses."""

    reference: str = "control"
    wtp: tuple[float, ...] = tuple(threshold_values("Netherlands"))
    bootstrap: int = 2000
    seed: int = 0
    missing: MissingPolicy = "complete-case"

    def wtp_labels(self) -> list[str]:
        return [f"{k:g}" for k in self.wtp]


CEA_OPTIONS = CeaOptions()


def utility_columns() -> list[UtilityColumn]:
    visits = sorted(load_protocol().visits, key=lambda v: v.offset_months)
    return [UtilityColumn(f"u_m{v.offset_months}", float(v.offset_months)) for v in visits]


def cost_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c.startswith("cost_")]


def cea_table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The per-participant table (see the module docstring)."""
    people = tables["participants"]
    ids = people["participant_id"].astype(str).tolist()
    frame = pd.DataFrame(
        {
            "participant": ids,
            "centre": people["centre"].to_numpy(),
            "country": people["country"].to_numpy(),
            "arm": people["arm"].to_numpy(),
        }
    )
    for column, values in _utilities(tables, people).items():
        frame[column] = values
    deaths = _death_months(tables, people)
    frame["death_month"] = deaths
    frame["cost_programme"] = _programme(tables, ids)
    for column, values in _questionnaire_costs(tables, people, deaths).items():
        frame[column] = values
    return frame


def _utilities(tables: Mapping[str, pd.DataFrame], people: pd.DataFrame) -> dict[str, list[float]]:
    answers = tables["eq5d5l"]
    country = dict(zip(people["participant_id"], people["country"], strict=True))
    parts = []
    for code, group in answers.groupby(answers["participant_id"].map(country)):
        parts.append(score("eq-5d-5l", group, str(code)))
    scored = pd.concat(parts) if parts else answers.assign(utility=np.nan)
    found = {
        (p, v): float(u)
        for p, v, u in zip(
            scored["participant_id"], scored["visit"], scored["utility"], strict=True
        )
    }
    month_of = {v.code: v.offset_months for v in load_protocol().visits}
    result: dict[str, list[float]] = {}
    for column in utility_columns():
        visit = next(code for code, month in month_of.items() if month == column.month)
        result[column.column] = [found.get((p, visit), np.nan) for p in people["participant_id"]]
    return result


def _death_months(tables: Mapping[str, pd.DataFrame], people: pd.DataFrame) -> list[float]:
    withdrawals = tables.get("withdrawals")
    died: dict[str, str] = {}
    if withdrawals is not None:
        dead = withdrawals[withdrawals["kind"] == "death"]
        died = dict(zip(dead["participant_id"], dead["withdrawn_on"], strict=True))
    months = []
    for pid, randomised in zip(people["participant_id"], people["randomised_on"], strict=True):
        if pid in died:
            days = (pd.Timestamp(died[pid]) - pd.Timestamp(randomised)).days
            months.append(days / DAYS_PER_MONTH)
        else:
            months.append(np.nan)
    return months


def _programme(tables: Mapping[str, pd.DataFrame], ids: list[str]) -> list[float]:
    table = load_price_table(PRICE_COUNTRY)
    prices = DeliveryPrices.from_table(table, tracker_price=TRACKER_PRICE)
    sessions = tables.get("sessions")
    facts = []
    if sessions is not None:
        supervised = sessions[sessions["kind"] == "supervised"]
        facts = [
            SessionFact(str(p), float(m), 1, a == "1")
            for p, m, a in zip(
                supervised["participant_id"],
                _minutes(supervised),
                supervised["attended"].astype(str),
                strict=True,
            )
        ]
    months = float(max(v.offset_months for v in load_protocol().visits))
    costs = programme_costs(facts, prices, months=months) if facts else pd.DataFrame()
    tracker = float(
        programme_costs([SessionFact("x", 0.0)], prices, months=months)["tracker"].iloc[0]
    )
    per = costs["total"].to_dict() if not costs.empty else {}
    return [float(per.get(p, tracker)) for p in ids]


def _minutes(supervised: pd.DataFrame) -> pd.Series:
    """Each supervised session's minutes (``duration_minutes``; 60 where not recorded,
    the sessions "of about 60 minutes" of the protocol)."""
    if "duration_minutes" not in supervised.columns:
        return pd.Series(SESSION_MINUTES, index=supervised.index, dtype=float)
    return pd.to_numeric(supervised["duration_minutes"]).fillna(SESSION_MINUTES)


def _questionnaire_costs(
    tables: Mapping[str, pd.DataFrame], people: pd.DataFrame, deaths: list[float]
) -> dict[str, list[float]]:
    use = tables.get("resource_use")
    prices = load_price_table(PRICE_COUNTRY)
    visits = sorted(load_protocol().visits, key=lambda v: v.offset_months)[1:]
    if use is None:
        return {}
    priced = {i.code: i for i in resource_items() if i.code in prices.prices}
    records = [
        ResourceUse(str(p), str(i), float(q))
        for p, i, q in zip(use["participant_id"], use["item"], use["quantity"], strict=True)
        if str(i) in priced  # an item without a Dutch price (a country's own item) is left out
    ]
    costed = cost_resource_use(records, prices, list(priced.values()))
    used = {
        priced[str(item)].category.value for item in use["item"].unique() if str(item) in priced
    }
    columns = {c: f"cost_{c}" for c in costed.columns if c in used}
    reported = set(zip(use["participant_id"], use["visit"], strict=True))
    result: dict[str, list[float]] = {column: [] for column in columns.values()}
    for pid, death in zip(people["participant_id"], deaths, strict=True):
        complete = all(
            (pid, v.code) in reported or (death == death and death < v.offset_months)
            for v in visits
        )
        for category, column in columns.items():
            value = float(costed.loc[pid, category]) if pid in costed.index else 0.0
            result[column].append(value if complete else np.nan)
    return result


def as_read(table: pd.DataFrame) -> pd.DataFrame:
    """*table* as ``exonc economics cea`` reads it back from the CSV the report writes."""
    text = csv_text(table)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])


def csv_text(table: pd.DataFrame) -> str:
    """The table as the CSV file the report writes (through exonc's one CSV writer)."""
    return frame_text(table)


def run_cea(table: pd.DataFrame, options: CeaOptions = CEA_OPTIONS) -> CeaResult:
    """The analysis ``exonc economics cea`` runs with :func:`command`'s options."""
    data = patient_data_from_frame(
        as_read(table),
        arm="arm",
        utilities=utility_columns(),
        costs=cost_columns(table),
        death="death_month",
        allow_missing_costs=options.missing != "error",
    )
    return analyse_cea(
        data,
        reference=options.reference,
        wtp=list(options.wtp),
        bootstrap=options.bootstrap,
        rng=np.random.default_rng(options.seed),
        missing=options.missing,
        imputer=PmmImputer(imputations=20),
    )


def command(table: pd.DataFrame, file: str, options: CeaOptions = CEA_OPTIONS) -> list[str]:
    """The ``exonc economics cea`` arguments that rerun :func:`run_cea` on *file*."""
    args = ["exonc", "economics", "cea", file, "--arm", "arm", "--reference", options.reference]
    args += [a for u in utility_columns() for a in ("--utility", f"{u.column}@{u.month:g}")]
    args += [a for c in cost_columns(table) for a in ("--cost", c)]
    args += ["--death", "death_month", "--wtp", ",".join(options.wtp_labels())]
    args += ["--bootstrap", str(options.bootstrap), "--seed", str(options.seed)]
    args += ["--missing", options.missing, "--format", "json"]
    return args

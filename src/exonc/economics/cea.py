"""The trial-based cost-utility analysis of two arms, from patient data to the CEAC.

:func:`analyse_cea` computes QALYs by area under the curve, per-arm means, the unadjusted
and baseline-adjusted incremental QALYs, the incremental cost, the ICER, the INMB over a
willingness-to-pay grid, the dominance class and, on request, the bootstrap (CE plane,
CEAC, CEAF, EVPI). Missing values are refused, dropped (complete-case analysis) or
multiply imputed; with imputation the point estimates are averaged over the completed
data sets (Rubin's rules), standard errors combine within- and between-imputation
variance, and the bootstrap replicates are split evenly over the completed data sets
and pooled ("MI, then bootstrap").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from exonc.analysis.imputation import pool_values
from exonc.analysis.inference import Estimate
from exonc.economics import bootstrap as ce_bootstrap
from exonc.economics.bootstrap import bootstrap_increments, increments, increments_result
from exonc.economics.imputation import Imputer, PmmImputer, missing_mask
from exonc.economics.incremental import (
    Dominance,
    adjusted_difference,
    classify_dominance,
    icer,
    inmb,
)
from exonc.economics.patients import PatientData
from exonc.economics.qaly import qaly_auc
from exonc.errors import EconomicsInputError
from exonc.results import BootstrapResult, Result, jsonable

__all__ = ["CeaResult", "MissingPolicy", "analyse_cea", "wtp_key"]

MissingPolicy = Literal["error", "complete-case", "impute"]


@dataclass(frozen=True)
class _Estimates:
    """Point estimates from one complete data set."""

    mean_qaly: dict[str, float]
    mean_cost: dict[str, float]
    delta_qaly_unadjusted: float
    delta_qaly_adjusted: float
    var_delta_qaly_adjusted: float
    delta_cost: float
    var_delta_cost: float
    complete_df: Mapping[str, float]  # complete-data df of the two deltas (Rubin's rules)


@dataclass(frozen=True, eq=False)
class CeaResult(Result):
    """A two-arm cost-utility analysis; deltas are intervention − reference."""

    reference: str
    intervention: str
    n: dict[str, int]
    mean_qaly: dict[str, float]
    mean_cost: dict[str, float]
    delta_qaly_unadjusted: float
    delta_qaly_adjusted: float
    se_delta_qaly_adjusted: float
    delta_cost: float
    se_delta_cost: float
    icer: float
    dominance: Dominance
    wtp: tuple[float, ...]
    inmb: tuple[float, ...]
    imputations: int = 0
    bootstrap: BootstrapResult | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def converged(self) -> bool:
        """False only if bootstrap replicates failed (the point estimates are closed-form)."""
        return self.bootstrap is None or self.bootstrap.converged

    def ceac(self) -> tuple[float, ...]:
        """P(cost-effective) at each WTP of the analysis (empty without a bootstrap)."""
        if self.bootstrap is None:
            return ()
        return tuple(float(p) for p in ce_bootstrap.ceac(self.bootstrap, self.wtp))

    def summary(self) -> pd.DataFrame:
        rows = {
            "delta_qaly_unadjusted": (self.delta_qaly_unadjusted, np.nan),
            "delta_qaly_adjusted": (self.delta_qaly_adjusted, self.se_delta_qaly_adjusted),
            "delta_cost": (self.delta_cost, self.se_delta_cost),
            "icer": (self.icer, np.nan),
        } | {f"inmb@{wtp_key(k)}": (v, np.nan) for k, v in zip(self.wtp, self.inmb, strict=True)}
        frame = pd.DataFrame(rows.values(), index=list(rows), columns=["estimate", "se"])
        frame.index.name = "term"
        frame["ci_lower"] = frame["estimate"] - 1.959963984540054 * frame["se"]
        frame["ci_upper"] = frame["estimate"] + 1.959963984540054 * frame["se"]
        return self._bootstrap_intervals(frame)

    def _bootstrap_intervals(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.bootstrap is None:
            return frame
        intervals = self.bootstrap.summary().set_index("term")[["ci_lower", "ci_upper"]]
        frame.loc[intervals.index, ["ci_lower", "ci_upper"]] = intervals.to_numpy()
        inb = ce_bootstrap.inb(self.bootstrap, self.wtp)
        for i, k in enumerate(self.wtp):
            lo, hi = np.percentile(inb[:, i], [2.5, 97.5])
            frame.loc[f"inmb@{wtp_key(k)}", ["ci_lower", "ci_upper"]] = [lo, hi]
        return frame

    def to_dict(self, wtp_labels: Sequence[str] | None = None) -> dict[str, Any]:
        """JSON-safe data; per-WTP values keyed by *wtp_labels* (default: ``wtp_key``)."""
        labels = list(wtp_labels) if wtp_labels is not None else [wtp_key(k) for k in self.wtp]
        data: dict[str, Any] = {
            "reference": self.reference,
            "intervention": self.intervention,
            "n": self.n,
            "mean_qaly": self.mean_qaly,
            "mean_cost": self.mean_cost,
            "delta_qaly_unadjusted": self.delta_qaly_unadjusted,
            "delta_qaly_adjusted": self.delta_qaly_adjusted,
            "se_delta_qaly_adjusted": self.se_delta_qaly_adjusted,
            "delta_cost": self.delta_cost,
            "se_delta_cost": self.se_delta_cost,
            "icer": self.icer,
            "dominance": self.dominance.value,
            "inmb": dict(zip(labels, self.inmb, strict=True)),
            "imputations": self.imputations,
            "converged": self.converged,
            "warnings": list(self.warnings),
        }
        if self.bootstrap is not None:
            data |= _bootstrap_dict(
                self.bootstrap, self.wtp, labels, (self.intervention, self.reference)
            )
        return dict(jsonable(data))


def wtp_key(k: float) -> str:
    """A willingness to pay as a short key: ``20000`` rather than ``20000.0``."""
    return f"{k:.15g}"


def _bootstrap_dict(
    boot: BootstrapResult, wtp: Sequence[float], labels: Sequence[str], arms: tuple[str, str]
) -> dict[str, Any]:
    ceac, ceaf = ce_bootstrap.ceac(boot, wtp), ce_bootstrap.ceaf(boot, wtp)
    evpi, optimal = ce_bootstrap.evpi(boot, wtp), ce_bootstrap.intervention_optimal(boot, wtp)
    return {
        "bootstrap": boot.to_dict() | {"adjusted": ce_bootstrap.is_adjusted(boot)},
        "ceac": [{"wtp": _number(k), "probability": p} for k, p in zip(wtp, ceac, strict=True)],
        "ceaf": dict(zip(labels, ceaf, strict=True)),
        "optimal": dict(zip(labels, [arms[0] if o else arms[1] for o in optimal], strict=True)),
        "evpi": dict(zip(labels, evpi, strict=True)),
    }


def _number(k: float) -> float | int:
    return int(k) if float(k).is_integer() else float(k)


def analyse_cea(
    data: PatientData,
    *,
    reference: str,
    wtp: Sequence[float] = (20_000.0, 50_000.0, 80_000.0),
    costs: Sequence[str] | None = None,
    bootstrap: int = 0,
    rng: np.random.Generator | None = None,
    missing: MissingPolicy = "error",
    imputer: Imputer | None = None,
    adjust_bootstrap: bool = True,
) -> CeaResult:
    """Cost-utility analysis of the two arms of *data* against the arm *reference*.

    *costs* chooses cost components (all by default); *bootstrap* replicates need *rng*.
    *missing*: ``"error"`` refuses missing values, ``"complete-case"`` drops the patients
    who have any, ``"impute"`` uses *imputer* (default :class:`PmmImputer`) and needs *rng*.
    """
    intervention = _check_arms(data, reference)
    wtp_values = _check_wtp(wtp)
    notes: list[str] = []
    datasets = _complete(data, missing, imputer, rng, notes)
    pooled = _pool([_estimate(d, reference, intervention, costs) for d in datasets])
    boot = None
    if bootstrap:
        boot = _pooled_bootstrap(
            datasets, intervention, costs, bootstrap, _need(rng), adjust_bootstrap, pooled
        )
    return CeaResult(
        reference=reference,
        intervention=intervention,
        n={level: datasets[0].arm.count(level) for level in (intervention, reference)},
        icer=icer(pooled.delta_cost, pooled.delta_qaly_adjusted),
        dominance=classify_dominance(pooled.delta_cost, pooled.delta_qaly_adjusted),
        wtp=wtp_values,
        inmb=inmb(pooled.delta_cost, pooled.delta_qaly_adjusted, wtp_values),
        imputations=len(datasets) if missing == "impute" else 0,
        bootstrap=boot,
        warnings=tuple(notes),
        mean_qaly=pooled.mean_qaly,
        mean_cost=pooled.mean_cost,
        delta_qaly_unadjusted=pooled.delta_qaly_unadjusted,
        delta_qaly_adjusted=pooled.delta_qaly_adjusted,
        se_delta_qaly_adjusted=float(np.sqrt(pooled.var_delta_qaly_adjusted)),
        delta_cost=pooled.delta_cost,
        se_delta_cost=float(np.sqrt(pooled.var_delta_cost)),
    )


def _check_wtp(wtp: Sequence[float]) -> tuple[float, ...]:
    values = tuple(float(k) for k in wtp)
    if not values or not all(np.isfinite(k) and k >= 0 for k in values):
        raise EconomicsInputError(
            "willingness-to-pay values must be one or more numbers ≥ 0",
            hint="e.g. wtp=[20000, 50000, 80000]",
        )
    return values


def _check_arms(data: PatientData, reference: str) -> str:
    levels = list(dict.fromkeys(data.arm))
    if reference not in levels:
        raise EconomicsInputError(
            f"reference arm {reference!r} has no patients",
            hint=f"the arms in the data are {', '.join(map(repr, levels)) or 'none'}",
        )
    others = [level for level in levels if level != reference]
    if len(others) != 1:
        found = ", ".join(map(repr, others)) if others else "no other arm (it is empty)"
        raise EconomicsInputError(
            f"a two-arm analysis needs exactly one arm besides {reference!r}; found {found}",
            hint="keep the two arms to compare",
        )
    return others[0]


def _complete(
    data: PatientData,
    missing: MissingPolicy,
    imputer: Imputer | None,
    rng: np.random.Generator | None,
    notes: list[str],
) -> list[PatientData]:
    mask = missing_mask(data)
    if not mask.any():
        return [data]
    if missing == "error":
        row, col = np.argwhere(mask)[0]
        names = list(data.utility_names) + list(data.cost_names)
        raise EconomicsInputError(
            "is missing",
            row=int(row) + 1,
            column=names[col],
            hint="choose how to handle missing values (--missing impute or complete-case)",
        )
    if missing == "complete-case":
        keep = np.asarray(~mask.any(axis=1))
        notes.append(
            f"complete-case analysis: {int((~keep).sum())} patients with missing values dropped"
        )
        return [data.subset(keep)]
    return list((imputer or PmmImputer())(data, _need(rng)))


def _need(rng: np.random.Generator | None) -> np.random.Generator:
    if rng is None:
        raise EconomicsInputError(
            "the bootstrap and multiple imputation need a random generator",
            hint="pass rng=numpy.random.default_rng(seed)",
        )
    return rng


def _estimate(
    data: PatientData, reference: str, intervention: str, costs: Sequence[str] | None
) -> _Estimates:
    qaly = qaly_auc(data.utilities, data.months, data.death_months)
    cost = data.total_cost(costs)
    treated = np.asarray(data.arm) == intervention
    if treated.all() or not treated.any():
        raise EconomicsInputError("after removing incomplete patients an arm is empty")
    for arm, size in ((intervention, int(treated.sum())), (reference, int((~treated).sum()))):
        if size < 2:  # a variance (the standard errors, the bootstrap) needs two patients
            raise EconomicsInputError(
                f"arm {arm!r} has {size} patient with data",
                hint="a cost-utility analysis needs at least two patients in each arm",
            )
    means_q = {intervention: float(qaly[treated].mean()), reference: float(qaly[~treated].mean())}
    means_c = {intervention: float(cost[treated].mean()), reference: float(cost[~treated].mean())}
    adjusted = adjusted_difference(qaly, treated, _baseline(data))
    var_cost = (
        cost[treated].var(ddof=1) / treated.sum() + cost[~treated].var(ddof=1) / (~treated).sum()
    )
    return _Estimates(
        mean_qaly=means_q,
        mean_cost=means_c,
        delta_qaly_unadjusted=means_q[intervention] - means_q[reference],
        delta_qaly_adjusted=adjusted.estimate,
        var_delta_qaly_adjusted=adjusted.se**2,
        delta_cost=means_c[intervention] - means_c[reference],
        var_delta_cost=float(var_cost),
        complete_df={"delta_qaly_adjusted": adjusted.df, "delta_cost": len(cost) - 2},
    )


def _baseline(data: PatientData) -> np.ndarray:
    """First measured utility; 0 for a patient dead by the first month."""
    first = data.utilities[:, 0]
    return np.where(np.isnan(first), 0.0, first)


def _pool(estimates: Sequence[_Estimates]) -> _Estimates:
    """Rubin's rules (:func:`exonc.analysis.imputation.pool_values`, exonc's one pooler):
    average the estimates; variance = within + (1 + 1/m) between."""
    if len(estimates) == 1:
        return estimates[0]

    def pooled(name: str, variance: str) -> Estimate:
        values = [getattr(e, name) for e in estimates]
        variances = [getattr(e, variance) for e in estimates]
        return pool_values(values, variances, estimates[0].complete_df[name])

    def arm_means(name: str) -> dict[str, float]:
        first: Mapping[str, float] = getattr(estimates[0], name)
        return {arm: float(np.mean([getattr(e, name)[arm] for e in estimates])) for arm in first}

    qaly = pooled("delta_qaly_adjusted", "var_delta_qaly_adjusted")
    cost = pooled("delta_cost", "var_delta_cost")
    return _Estimates(
        mean_qaly=arm_means("mean_qaly"),
        mean_cost=arm_means("mean_cost"),
        delta_qaly_unadjusted=float(np.mean([e.delta_qaly_unadjusted for e in estimates])),
        delta_qaly_adjusted=qaly.estimate,
        var_delta_qaly_adjusted=qaly.se**2,
        delta_cost=cost.estimate,
        var_delta_cost=cost.se**2,
        complete_df=estimates[0].complete_df,
    )


def _pooled_bootstrap(
    datasets: Sequence[PatientData],
    intervention: str,
    costs: Sequence[str] | None,
    replicates: int,
    rng: np.random.Generator,
    adjust: bool,
    pooled: _Estimates,
) -> BootstrapResult:
    """Replicates split evenly over the completed data sets; the estimates are the pooled
    point estimates."""
    shares = np.diff(np.linspace(0, replicates, len(datasets) + 1).round().astype(int))
    parts = [
        bootstrap_increments(
            qaly_auc(d.utilities, d.months, d.death_months),
            d.total_cost(costs),
            np.asarray(d.arm) == intervention,
            _baseline(d),
            replicates=int(share),
            rng=rng,
            adjust=adjust,
        )
        for d, share in zip(datasets, shares, strict=True)
        if share > 0
    ]
    effects, costs_ = zip(*(increments(p) for p in parts), strict=True)
    effect = pooled.delta_qaly_adjusted if adjust else pooled.delta_qaly_unadjusted
    estimate = (effect, pooled.delta_cost)
    return increments_result(np.concatenate(effects), np.concatenate(costs_), estimate, adjust)

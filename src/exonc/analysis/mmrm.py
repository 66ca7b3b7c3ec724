"""Fitting a mixed model for repeated measures: :func:`fit_mmrm` and :class:`MMRMResult`.

The model is ``y_i = X_i beta + e_i`` with ``e_i ~ N(0, Sigma)`` for the visits subject ``i``
attended; ``Sigma`` has the chosen structure and is estimated by REML (or ML), ``beta`` by
generalised least squares. Inference uses Satterthwaite or Kenward–Roger degrees of freedom
(see :mod:`exonc.analysis.inference`), LS means follow emmeans' conventions
(:mod:`exonc.analysis.lsmeans`). Methods: ``docs/methods/mmrm.md``.
"""

from __future__ import annotations

import math
import warnings as pywarnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exonc.analysis._blas import single_blas_thread
from exonc.analysis.covariance import COVARIANCE_TYPES, CovarianceStructure, CovarianceType
from exonc.analysis.dataset import AnalysisData, prepare
from exonc.analysis.design import Design
from exonc.analysis.estimation import (
    Estimation,
    Optimizer,
    empirical_covariance,
    estimate_covariance,
)
from exonc.analysis.formula import Formula, parse_formula
from exonc.analysis.inference import DF_METHODS, DfMethod, Estimate, FTest, Inference
from exonc.analysis.likelihood import PatternStats, kenward_roger_terms
from exonc.analysis.lsmeans import contrast_rows, estimate_rows, lsmean_rows
from exonc.analysis.optimise import Convergence
from exonc.analysis.visits import OrderSource, VisitOrder
from exonc.analysis.visits import visit_order as visit_order_of
from exonc.errors import AnalysisInputError, ConvergenceWarning
from exonc.results import Result, jsonable

__all__ = ["MMRMResult", "fit_mmrm", "mmrm_formula"]

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class MMRMResult(Result):
    """A fitted MMRM: coefficients, LS means, treatment contrasts and diagnostics.

    ``contrasts`` hold each arm minus the reference at each visit; ``overall`` the same
    averaged over visits. All tables use the columns ``estimate, se, df, ci_lower,
    ci_upper, p``. Non-convergence is never silent: ``converged`` is ``False`` and
    ``warnings`` says why.
    """

    formula: str
    outcome: str
    subject: str
    visit: str
    arm: str | None
    reference: str | None
    covariance_type: CovarianceType
    df_method: DfMethod
    reml: bool
    alpha: float
    visits: tuple[str, ...]
    visit_order_source: OrderSource
    coefficients: pd.DataFrame
    lsmeans: pd.DataFrame
    contrasts: pd.DataFrame
    overall: pd.DataFrame
    covariance: Array
    theta: Array
    log_likelihood: float
    n_subjects: int
    n_observations: int
    convergence: Convergence
    inference: Inference = field(repr=False)
    design: Design = field(repr=False)
    warnings: tuple[str, ...] = ()

    @property
    def converged(self) -> bool:
        return self.convergence.converged

    @property
    def n_parameters(self) -> int:
        """Parameters counted by AIC/BIC: covariance parameters (plus coefficients under ML)."""
        return self.theta.size + (0 if self.reml else self.inference.beta.size)

    @property
    def aic(self) -> float:
        return -2.0 * self.log_likelihood + 2.0 * self.n_parameters

    @property
    def bic(self) -> float:
        """BIC with the number of subjects as sample size (as mmrm and SAS count it)."""
        return -2.0 * self.log_likelihood + math.log(self.n_subjects) * self.n_parameters

    @property
    def visit_order(self) -> str:
        """``VIS1 < VIS2 < VIS3 (natural order of the labels)``: print it with the results."""
        return VisitOrder(self.visits, self.visit_order_source).describe()

    @property
    def params(self) -> pd.Series:
        return self.coefficients.set_index("term")["estimate"]

    def summary(self) -> pd.DataFrame:
        """Treatment contrasts per visit, then the overall (visit-averaged) effect."""
        if self.arm is None:
            return self.coefficients
        overall = self.overall.assign(**{self.visit: "overall"})
        return pd.concat([self.contrasts, overall[self.contrasts.columns]], ignore_index=True)

    def contrast_vector(self, weights: Mapping[str, float]) -> Array:
        """A coefficient vector from ``{column name: weight}`` (names as in ``coefficients``)."""
        unknown = [name for name in weights if name not in self.design.columns]
        if unknown:
            raise AnalysisInputError(
                f"{unknown[0]!r} is not a coefficient of the model",
                hint=f"coefficients are {', '.join(self.design.columns)}",
            )
        return np.array([float(weights.get(name, 0.0)) for name in self.design.columns])

    def estimate(self, contrast: Mapping[str, float] | Array) -> Estimate:
        """``c' beta`` with SE, df, CI and p (by the result's df method and alpha)."""
        vector = self.contrast_vector(contrast) if isinstance(contrast, Mapping) else contrast
        return self.inference.estimate(np.asarray(vector, dtype=float), self.alpha)

    def f_test(self, contrasts: Array) -> FTest:
        """Joint Wald F test of the rows of *contrasts* (Satterthwaite or Kenward–Roger)."""
        return self.inference.f_test(np.asarray(contrasts, dtype=float))

    def grid(self, by: Sequence[str]) -> tuple[pd.DataFrame, Array]:
        """LS-mean rows (emmeans reference grid) for each combination of the *by* factors."""
        return lsmean_rows(self.design, by)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``exonc analyse mmrm --format json``."""
        data: dict[str, Any] = {
            "model": {
                "formula": self.formula,
                "subject": self.subject,
                "visit": self.visit,
                "arm": self.arm,
                "reference": self.reference,
                "covariance_type": self.covariance_type,
                "df_method": self.df_method,
                "reml": self.reml,
                "alpha": self.alpha,
            },
            "contrasts": _records(self.contrasts, self.visit, self.arm),
            "overall": _records(self.overall, self.visit, self.arm),
            "lsmeans": _records(self.lsmeans, self.visit, self.arm),
            "coefficients": jsonable(self.coefficients),
            "log_likelihood": self.log_likelihood,
            "aic": self.aic,
            "bic": self.bic,
            "visits": list(self.visits),
            "visit_order_source": self.visit_order_source,
            "covariance": jsonable(self.covariance),
            "n_subjects": self.n_subjects,
            "n_observations": self.n_observations,
            "converged": self.converged,
            "convergence": jsonable(self.convergence),
            "warnings": list(self.warnings),
        }
        return data


def _records(frame: pd.DataFrame, visit: str, arm: str | None) -> list[Any]:
    renamed = frame.rename(columns={visit: "visit", **({arm: "arm"} if arm else {})})
    return list(jsonable(renamed))


def mmrm_formula(
    outcome: str,
    visit: str,
    arm: str | None = None,
    covariates: Sequence[str] = (),
    covariates_by_visit: Sequence[str] = (),
) -> Formula:
    """``outcome ~ arm * visit + covariates + covariates_by_visit * visit`` as a formula."""
    mains = [*([arm] if arm else []), visit, *covariates, *covariates_by_visit]
    terms: list[tuple[str, ...]] = [(name,) for name in dict.fromkeys(mains)]
    if arm:
        terms.append((arm, visit))
    terms += [(visit, name) for name in dict.fromkeys(covariates_by_visit)]
    return Formula(outcome, True, tuple(terms))


def fit_mmrm(
    data: pd.DataFrame,
    *,
    subject: str,
    visit: str,
    outcome: str | None = None,
    arm: str | None = None,
    reference: str | None = None,
    covariates: Sequence[str] = (),
    covariates_by_visit: Sequence[str] = (),
    formula: str | Formula | None = None,
    covariance: CovarianceType = "us",
    df: DfMethod = "kenward-roger",
    reml: bool = True,
    visit_order: Sequence[str] | None = None,
    levels: Mapping[str, Sequence[str]] | None = None,
    alpha: float = 0.05,
    optimizer: Optimizer = "mmrm",
) -> MMRMResult:
    """Fit an MMRM to a long table (one row per subject and visit).

    Give either ``outcome`` with ``arm``/``covariates``/``covariates_by_visit`` (the model
    ``outcome ~ arm * visit + covariates + covariates_by_visit * visit``) or a ``formula``
    (R notation without the covariance term, e.g. ``"FEV1 ~ RACE + ARMCD * AVISIT"``).
    Numeric columns enter as numbers, others as factors (first level = reference: sorted
    order, a pandas categorical's order, or ``levels``). Visits follow ``visit_order`` (or
    ``levels[visit]``), else an ordered categorical's order, else the natural order of
    their labels (``M1 < M3 < M12``) — never the order of the rows
    (:mod:`exonc.analysis.visits`); the result says which. ``df`` is
    ``"kenward-roger"`` (mmrm's default Kenward–Roger), ``"kenward-roger-linear"`` or
    ``"satterthwaite"``; Kenward–Roger needs REML.
    """
    _check_options(covariance, df, reml, alpha)
    model = _model_formula(formula, outcome, visit, arm, covariates, covariates_by_visit)
    order = _visit_order(data, visit, visit_order or (levels or {}).get(visit))
    all_levels = _levels(data, visit, arm, reference, order, levels)
    names = _Names(subject, visit, arm, all_levels[arm][0] if arm else None, order)
    with single_blas_thread():
        prepared = prepare(data, model, subject=subject, visit=visit, arm=arm, levels=all_levels)
        structure = CovarianceStructure(covariance, len(prepared.visits))
        _check_identifiable(prepared, structure)
        # Trial steps of the optimiser may overflow on badly scaled data; the convergence
        # diagnostics report a failed fit, so numpy's warnings would only repeat it.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            stats = PatternStats.from_subjects(prepared.x, prepared.y, prepared.observed)
            empirical = empirical_covariance(
                prepared.x, prepared.y, prepared.observed, stats.offset
            )
            fit = estimate_covariance(
                stats, structure, reml=reml, optimizer=optimizer, empirical=empirical
            )
            inference = _inference(stats, structure, fit, df)
            return _result(prepared, model, structure, fit, inference, names, reml, alpha)


def _check_options(covariance: str, df: str, reml: bool, alpha: float) -> None:
    if covariance not in COVARIANCE_TYPES:
        raise AnalysisInputError(
            f"unknown covariance structure {covariance!r}",
            hint=f"choose one of {', '.join(COVARIANCE_TYPES)}",
        )
    if df not in DF_METHODS:
        raise AnalysisInputError(
            f"unknown degrees-of-freedom method {df!r}",
            hint=f"choose one of {', '.join(DF_METHODS)}",
        )
    if df.startswith("kenward") and not reml:
        raise AnalysisInputError(
            "Kenward–Roger degrees of freedom need REML", hint="use reml=True or df='satterthwaite'"
        )
    if not 0 < alpha < 1:
        raise AnalysisInputError(f"alpha must lie between 0 and 1, not {alpha}")


def _model_formula(
    formula: str | Formula | None,
    outcome: str | None,
    visit: str,
    arm: str | None,
    covariates: Sequence[str],
    covariates_by_visit: Sequence[str],
) -> Formula:
    if formula is None:
        if outcome is None:
            raise AnalysisInputError("give the outcome column or a formula")
        return mmrm_formula(outcome, visit, arm, covariates, covariates_by_visit)
    parsed = parse_formula(formula) if isinstance(formula, str) else formula
    if outcome is not None and parsed.response not in (None, outcome):
        raise AnalysisInputError(
            f"the formula's outcome {parsed.response!r} differs from outcome {outcome!r}"
        )
    if parsed.response is None:
        parsed = Formula(outcome, parsed.intercept, parsed.terms)
    return parsed


def _levels(
    data: pd.DataFrame,
    visit: str,
    arm: str | None,
    reference: str | None,
    order: VisitOrder,
    given: Mapping[str, Sequence[str]] | None,
) -> dict[str, Sequence[str]]:
    levels: dict[str, Sequence[str]] = dict(given or {})
    levels[visit] = list(order.visits)
    if arm is None:
        return levels
    if arm not in data.columns:
        raise AnalysisInputError(f"missing column {arm}", column=arm)
    found = [str(a) for a in levels.get(arm) or _sorted_levels(data[arm])]
    if reference is not None:
        if str(reference) not in found:
            raise AnalysisInputError(
                f"reference arm {reference!r} does not occur in column {arm}",
                column=arm,
                value=reference,
                hint=f"the arms are {', '.join(found)}",
            )
        found = [str(reference), *[a for a in found if a != str(reference)]]
    levels[arm] = found
    return levels


def _visit_order(data: pd.DataFrame, visit: str, given: Sequence[str] | None) -> VisitOrder:
    if visit not in data.columns:
        raise AnalysisInputError(f"missing column {visit}", column=visit)
    return visit_order_of(data[visit], given)


def _sorted_levels(column: pd.Series) -> list[str]:
    present = column.dropna()
    if isinstance(column.dtype, pd.CategoricalDtype):
        seen = set(pd.unique(present.astype(str).to_numpy(dtype=object)))
        return [str(c) for c in column.cat.categories if str(c) in seen]
    return sorted(str(v) for v in pd.unique(present.to_numpy(dtype=object)))


def _check_identifiable(prepared: AnalysisData, structure: CovarianceStructure) -> None:
    m, n = len(prepared.visits), len(prepared.subjects)
    if structure.kind != "us":
        return
    if n <= m:
        raise AnalysisInputError(
            f"{n} subjects are too few for an unstructured covariance over {m} visits",
            hint="use a structured covariance (cs, ar1, toep) or fewer visits",
        )
    both = prepared.observed.T.astype(int) @ prepared.observed
    never = np.argwhere(both == 0)
    if never.size:
        a, b = never[0]
        raise AnalysisInputError(
            f"no subject was observed at both {prepared.visits[a]!r} and {prepared.visits[b]!r}, "
            "so their covariance cannot be estimated",
            hint="use a structured covariance (ar1, toep, cs) instead of unstructured",
        )


def _inference(
    stats: PatternStats, structure: CovarianceStructure, fit: Estimation, df: DfMethod
) -> Inference:
    try:
        theta_vcov = np.asarray(np.linalg.inv(fit.hessian), dtype=float)
    except np.linalg.LinAlgError:
        theta_vcov = np.full_like(fit.hessian, np.nan)
    terms = kenward_roger_terms(stats, structure, fit.theta)
    return Inference.build(fit.evaluation.beta, fit.evaluation.vcov, theta_vcov, terms, df)


@dataclass(frozen=True)
class _Names:
    subject: str
    visit: str
    arm: str | None
    reference: str | None
    order: VisitOrder


def _result(
    prepared: AnalysisData,
    model: Formula,
    structure: CovarianceStructure,
    fit: Estimation,
    inference: Inference,
    names: _Names,
    reml: bool,
    alpha: float,
) -> MMRMResult:
    design = prepared.design
    coefficients = estimate_rows(
        inference, pd.DataFrame({"term": design.columns}), np.eye(len(design.columns)), alpha
    )
    lsmeans, contrasts, overall = _arm_tables(design, inference, names, alpha)
    warnings = list(prepared.warnings)
    if not fit.convergence.converged:
        warnings.append(f"the model did not converge: {fit.convergence.message}")
        pywarnings.warn(warnings[-1], ConvergenceWarning, stacklevel=3)
    return MMRMResult(
        formula=str(model),
        outcome=str(model.response),
        subject=names.subject,
        visit=names.visit,
        arm=names.arm,
        reference=names.reference,
        covariance_type=structure.kind,
        df_method=inference.method,
        reml=reml,
        alpha=alpha,
        visits=prepared.visits,
        visit_order_source=names.order.source,
        coefficients=coefficients,
        lsmeans=lsmeans,
        contrasts=contrasts,
        overall=overall,
        covariance=structure.sigma(fit.theta),
        theta=fit.theta,
        log_likelihood=-fit.evaluation.value,
        n_subjects=len(prepared.subjects),
        n_observations=prepared.n_observations,
        convergence=fit.convergence,
        warnings=tuple(warnings),
        inference=inference,
        design=design,
    )


def _arm_tables(
    design: Design, inference: Inference, names: _Names, alpha: float
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """LS means by arm and visit, contrasts per visit, and the visit-averaged contrasts."""
    arm, visit, reference = names.arm, names.visit, names.reference
    if arm is None or reference is None or arm not in design.factors:
        empty = pd.DataFrame()
        return empty, empty, empty
    by = [visit] if visit in design.factors else []
    labels, rows = lsmean_rows(design, [*by, arm])
    lsmeans = estimate_rows(inference, labels, rows, alpha).drop(columns="p")
    lsmeans = lsmeans[[arm, *by, *lsmeans.columns.drop([arm, *by])]]
    labels, rows = contrast_rows(design, arm, reference, by)
    contrasts = estimate_rows(inference, labels, rows, alpha)
    arms = labels[arm].to_numpy()
    levels = list(dict.fromkeys(arms))
    averaged = np.vstack([rows[arms == level].mean(axis=0) for level in levels])
    overall_labels = pd.DataFrame({arm: levels, "reference": reference})
    overall = estimate_rows(inference, overall_labels, averaged, alpha)
    return lsmeans, contrasts, overall

"""Wald inference for MMRM coefficients with Satterthwaite or Kenward–Roger degrees of freedom.

Notation: ``V = (X'WX)^-1`` (unadjusted covariance of the coefficients), ``W_theta`` the
inverse Hessian of the criterion in the covariance parameters, and ``J_i = dV/dtheta_i =
V P_i V`` with ``P_i = X'W dSigma_i W X``.

- Satterthwaite (one contrast ``c``): ``df = 2 (c'Vc)^2 / (g' W_theta g)``, ``g_i = c'J_i c``;
  for several rows, the F test of mmrm/lmerTest: one Satterthwaite df per eigen-direction
  of ``L V L'``, combined as ``2E / (E - q)`` with ``E = sum df_i / (df_i - 2)``.
- Kenward–Roger (1997): the adjusted covariance
  ``V_A = V + 2 V [sum_ij W_ij (Q_ij - P_i V P_j - R_ij / 4)] V`` and the scaled F test
  with ``m`` and ``lambda`` from ``A1``, ``A2``. "kenward-roger-linear" drops ``R_ij``
  (Kenward and Roger 2009), as SAS does for structures linear in their parameters. For one
  contrast the Kenward–Roger df equal the Satterthwaite df computed from ``V``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import special

from exonc.analysis.likelihood import KenwardRogerTerms

__all__ = ["DfMethod", "Estimate", "FTest", "Inference"]

Array = NDArray[np.float64]
DfMethod = Literal["satterthwaite", "kenward-roger", "kenward-roger-linear"]
DF_METHODS: tuple[DfMethod, ...] = ("satterthwaite", "kenward-roger", "kenward-roger-linear")


ESTIMATE_FIELDS = ("estimate", "se", "df", "ci_lower", "ci_upper", "p")


@dataclass(frozen=True)
class Estimate:
    """One linear combination of coefficients with its Wald t inference."""

    estimate: float
    se: float
    df: float
    ci_lower: float
    ci_upper: float
    p: float

    @property
    def t(self) -> float:
        return self.estimate / self.se if self.se > 0 else float("nan")


@dataclass(frozen=True)
class FTest:
    """A joint Wald F test of several linear combinations."""

    f: float
    num_df: int
    den_df: float
    p: float


@dataclass(frozen=True, eq=False)
class Inference:
    """What contrasts need after a fit: coefficients and their covariance ingredients."""

    beta: Array
    vcov: Array  # unadjusted V
    vcov_adjusted: Array  # Kenward–Roger V_A, or V for Satterthwaite
    theta_vcov: Array  # W_theta
    jacobian: Array  # (k, p, p): dV/dtheta_i
    method: DfMethod

    @classmethod
    def build(
        cls,
        beta: Array,
        vcov: Array,
        theta_vcov: Array,
        terms: KenwardRogerTerms,
        method: DfMethod,
    ) -> Inference:
        jacobian = np.einsum("ab,kbc,cd->kad", vcov, terms.p, vcov)
        adjusted = vcov
        if method != "satterthwaite":
            adjusted = _kenward_roger_vcov(vcov, theta_vcov, terms, method == "kenward-roger")
        return cls(beta, vcov, adjusted, theta_vcov, jacobian, method)

    def estimate(self, contrast: Array, alpha: float = 0.05) -> Estimate:
        """Estimate ``c' beta`` with SE, df, ``1 - alpha`` CI and two-sided p."""
        table = self.estimates(np.atleast_2d(contrast), alpha)
        return Estimate(*(float(table[name][0]) for name in ESTIMATE_FIELDS))

    def estimates(self, rows: Array, alpha: float = 0.05) -> dict[str, Array]:
        """Estimates for each row of *rows*, as arrays named like :class:`Estimate`'s fields."""
        value = rows @ self.beta
        variance = np.einsum("ra,ab,rb->r", rows, self.vcov_adjusted, rows)
        se = np.sqrt(np.where(variance > 0, variance, np.nan))
        df = self._df_1d(rows)
        with np.errstate(invalid="ignore"):
            quantile = special.stdtrit(df, 1.0 - alpha / 2.0)
            p = 2.0 * special.stdtr(df, -np.abs(value / se))
        return {
            "estimate": value,
            "se": se,
            "df": df,
            "ci_lower": value - quantile * se,
            "ci_upper": value + quantile * se,
            "p": p,
        }

    def _df_1d(self, rows: Array) -> Array:
        """Satterthwaite df from ``V`` for each row (equal to Kenward–Roger's for one row)."""
        variance = np.einsum("ra,ab,rb->r", rows, self.vcov, rows)
        gradient = np.einsum("ra,kab,rb->rk", rows, self.jacobian, rows)
        denominator = np.einsum("rk,kl,rl->r", gradient, self.theta_vcov, gradient)
        valid = (variance > 0) & (denominator > 0)
        safe = np.where(valid, denominator, 1.0)
        return np.where(valid, 2.0 * variance**2 / safe, np.nan)

    def f_test(self, contrasts: Array) -> FTest:
        """Joint test that ``L beta = 0`` for the rows of ``L`` (full row rank)."""
        matrix = np.atleast_2d(contrasts)
        if matrix.shape[0] == 1:
            single = self.estimate(matrix[0])
            return FTest(single.t**2, 1, single.df, single.p)
        if self.method == "satterthwaite":
            return self._f_satterthwaite(matrix)
        return self._f_kenward_roger(matrix)

    def _f_satterthwaite(self, matrix: Array) -> FTest:
        values, vectors = np.linalg.eigh(matrix @ self.vcov @ matrix.T)
        keep = values > max(np.sqrt(np.finfo(float).eps) * values.max(), 0.0)
        directions = vectors[:, keep].T @ matrix
        rank = int(keep.sum())
        t_squared = (directions @ self.beta) ** 2 / values[keep]
        dfs = self._df_1d(directions)
        f = float(t_squared.sum() / rank)
        den = _combine_df(dfs)
        return FTest(f, rank, den, float(special.fdtrc(rank, den, f)))

    def _f_kenward_roger(self, matrix: Array) -> FTest:
        q = matrix.shape[0]
        estimate = matrix @ self.beta
        f = float(estimate @ np.linalg.solve(matrix @ self.vcov_adjusted @ matrix.T, estimate) / q)
        den, scale = _kenward_roger_df(self.vcov, matrix, self.theta_vcov, self.jacobian)
        scaled = f * scale
        return FTest(scaled, q, den, float(special.fdtrc(q, den, scaled)))


def _combine_df(dfs: Array) -> float:
    """Denominator df of a multi-row Satterthwaite F test (mmrm's ``h_md_denom_df``)."""
    if dfs.size == 1:
        return float(dfs[0])
    if np.all(np.abs(np.diff(dfs)) < np.sqrt(np.finfo(float).eps)):
        return float(dfs.mean())
    if np.any(dfs <= 2):
        return 2.0
    total = float(np.sum(dfs / (dfs - 2.0)))
    return 2.0 * total / (total - dfs.size)


def _kenward_roger_vcov(
    vcov: Array, theta_vcov: Array, terms: KenwardRogerTerms, with_second: bool
) -> Array:
    p_v = np.einsum("iab,bc->iac", terms.p, vcov)  # P_i V
    inner = terms.q - np.einsum("iab,jbc->ijac", p_v, terms.p)
    if with_second:
        inner = inner - 0.25 * terms.r
    total = np.tensordot(theta_vcov, inner, axes=2)
    adjusted: Array = vcov + 2.0 * vcov @ total @ vcov
    return 0.5 * (adjusted + adjusted.T)


def _kenward_roger_df(
    vcov: Array, matrix: Array, theta_vcov: Array, jacobian: Array
) -> tuple[float, float]:
    """Kenward–Roger denominator df ``m`` and F scale ``lambda`` for the rows of *matrix*."""
    q = matrix.shape[0]
    theta = matrix.T @ np.linalg.solve(matrix @ vcov @ matrix.T, matrix)
    products = np.einsum("ab,kbc->kac", theta, jacobian)  # Theta V P_i V
    traces = np.trace(products, axis1=1, axis2=2)
    a1 = float(traces @ theta_vcov @ traces)
    a2 = float(np.einsum("ij,iab,jba->", theta_vcov, products, products))
    b = (a1 + 6.0 * a2) / (2.0 * q)
    g = ((q + 1) * a1 - (q + 4) * a2) / ((q + 2) * a2)
    denominator = 3 * q + 2 - 2 * g
    c1, c2, c3 = g / denominator, (q - g) / denominator, (q + 2 - g) / denominator
    e_star = 1.0 / (1.0 - a2 / q)
    v_star = 2.0 / q * (1 + c1 * b) / ((1 - c2 * b) ** 2 * (1 - c3 * b))
    rho = v_star / (2.0 * e_star**2)
    m = 4.0 + (q + 2) / (q * rho - 1)
    return m, m / (e_star * (m - 2))

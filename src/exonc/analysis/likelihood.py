"""The (restricted) log-likelihood of the MMRM, its exact gradient and Hessian.

Subjects with the same pattern of observed visits share the inverse ``W_k`` of their
covariance sub-matrix, so everything the likelihood needs is a sum over subjects of
cross-products within each pattern (sufficient statistics computed once per data set):

- ``gram[k, a, b] = sum_i x_ia x_ib'`` (p × p), ``cross[k, a, b] = sum_i x_ia y_ib``,
  ``outer[k, a, b] = sum_i y_ia y_ib``, where ``x_ia`` is subject i's design row at visit a.

Given ``theta``, ``X'WX``, ``X'Wy`` and ``y'Wy`` are contractions of these with ``W_k``, and
so are the derivatives: with ``Z_jk = W_k dSigma_j W_k``, residual cross-products ``R_k``,
``T_k[a, b] = tr((X'WX)^-1 gram[k, a, b])`` and ``Omega = sum_k W_k (R_k + T_k) W_k``,
the REML gradient is ``(tr(N dSigma_j) - tr(Omega dSigma_j)) / 2`` with
``N = sum_k n_k W_k``; the Hessian and the Kenward–Roger matrices P, Q and R follow the
same pattern (see ``docs/methods/mmrm.md``). The cost does not grow with the number of
subjects once the statistics exist. The response is centred on its least-squares fit
first, which changes no estimate but avoids cancellation in ``y'Wy``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from numpy.typing import NDArray

from exonc.analysis.covariance import CovarianceStructure

__all__ = ["Evaluation", "KenwardRogerTerms", "PatternStats", "evaluate", "kenward_roger_terms"]

Array = NDArray[np.float64]
_LOG_2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True)
class PatternStats:
    """Sufficient statistics of one data set, grouped by pattern of observed visits."""

    masks: NDArray[np.bool_]  # (K, m)
    counts: Array  # (K,) subjects (or total bootstrap weight) per pattern
    gram: Array  # (K, m, m, p, p)
    cross: Array  # (K, m, m, p)
    outer: Array  # (K, m, m)
    offset: Array  # (p,) least-squares coefficients the response was centred on
    n_obs: float

    @property
    def n_coef(self) -> int:
        return int(self.offset.size)

    @classmethod
    def from_subjects(
        cls,
        x: Array,
        y: Array,
        observed: NDArray[np.bool_],
        weights: Array | None = None,
        offset: Array | None = None,
    ) -> PatternStats:
        """Statistics from padded per-subject arrays ``x`` (N, m, p), ``y`` and ``observed``
        (N, m); ``weights`` counts each subject (bootstrap multiplicities)."""
        n, m, p = x.shape
        weights = np.ones(n) if weights is None else weights
        if offset is None:
            offset = _least_squares(x, y, observed, weights)
        centred = np.where(observed, y - x @ offset, 0.0)
        codes = observed @ (1 << np.arange(m))
        keys, inverse = np.unique(codes, return_inverse=True)
        size = len(keys)
        gram, cross, outer = np.empty((size, m, m, p, p)), np.empty((size, m, m, p)), []
        for k in range(size):
            rows = inverse == k
            w = weights[rows]
            flat = x[rows].reshape(-1, m * p)
            gram[k] = ((flat.T * w) @ flat).reshape(m, p, m, p).transpose(0, 2, 1, 3)
            cross[k] = ((flat.T * w) @ centred[rows]).reshape(m, p, m).transpose(0, 2, 1)
            outer.append((centred[rows].T * w) @ centred[rows])
        masks = (keys[:, None] >> np.arange(m)) & 1 == 1
        counts = np.bincount(inverse, weights=weights, minlength=size).astype(float)
        n_obs = float(weights @ observed.sum(axis=1))
        return cls(masks, counts, gram, cross, np.array(outer), offset, n_obs)


def _least_squares(x: Array, y: Array, observed: NDArray[np.bool_], weights: Array) -> Array:
    rows = observed.ravel()
    design = x.reshape(-1, x.shape[2])[rows]
    root = np.sqrt(np.repeat(weights, x.shape[1])[rows])
    solution = np.linalg.lstsq(design * root[:, None], y.ravel()[rows] * root, rcond=None)[0]
    return np.asarray(solution, dtype=float)


@dataclass(frozen=True)
class Evaluation:
    """The objective (minus the log-likelihood) and what comes with it at one ``theta``."""

    value: float
    gradient: Array | None
    hessian: Array | None
    beta: Array
    vcov: Array  # (X'WX)^-1


@dataclass(frozen=True)
class _Core:
    """The pieces shared by value, derivatives and Kenward–Roger terms."""

    w: Array  # (K, m, m) inverses of the observed blocks, zero elsewhere
    log_det: Array  # (K,)
    chol: tuple[Array, bool]  # Cholesky factor of X'WX (scipy cho_factor)
    beta: Array  # centred scale
    quad: float  # r'Wr


def _core(stats: PatternStats, sigma: Array) -> _Core | None:
    m = sigma.shape[0]
    both = stats.masks[:, :, None] & stats.masks[:, None, :]
    embedded = np.where(both, sigma, 0.0) + np.eye(m) * ~stats.masks[:, None, :]
    try:
        lower = np.linalg.cholesky(embedded)
    except np.linalg.LinAlgError:
        return None
    log_det = np.asarray(2.0 * np.log(np.diagonal(lower, axis1=1, axis2=2)).sum(axis=1), float)
    w = np.asarray(np.linalg.inv(embedded) * both, dtype=float)
    xwx = np.tensordot(w, stats.gram, axes=3)
    xwy = np.tensordot(w, stats.cross, axes=3)
    try:
        chol = scipy.linalg.cho_factor(xwx, lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(chol[0])) or np.any(np.diag(chol[0]) <= 0):
        return None
    beta = scipy.linalg.cho_solve(chol, xwy, check_finite=False)
    quad = float(np.tensordot(w, stats.outer, axes=3) - xwy @ beta)
    return _Core(w, log_det, chol, beta, quad)


def evaluate(
    stats: PatternStats,
    structure: CovarianceStructure,
    theta: Array,
    *,
    reml: bool = True,
    order: int = 0,
) -> Evaluation | None:
    """Objective (minus log-likelihood) at *theta*, with derivatives up to *order*.

    Returns ``None`` where ``Sigma`` or ``X'WX`` is not positive definite.
    """
    sigma, d_sigma, d2_sigma = structure.matrices(theta, order)
    core = _core(stats, sigma)
    if core is None:
        return None
    p = stats.n_coef
    vcov = scipy.linalg.cho_solve(core.chol, np.eye(p), check_finite=False)
    log_det_xwx = 2.0 * float(np.log(np.diag(core.chol[0])).sum())
    terms = float(stats.counts @ core.log_det) + core.quad
    if reml:
        value = 0.5 * ((stats.n_obs - p) * _LOG_2PI + terms + log_det_xwx)
    else:
        value = 0.5 * (stats.n_obs * _LOG_2PI + terms)
    beta = core.beta + stats.offset
    if order == 0 or d_sigma is None:
        return Evaluation(value, None, None, beta, vcov)
    residual = _residual_products(stats, core.beta)
    if reml:
        residual = residual + np.tensordot(stats.gram, vcov, axes=2)
    weighted = np.tensordot(stats.counts, core.w, axes=1)  # N = sum_k n_k W_k
    omega = (core.w @ residual @ core.w).sum(axis=0)
    gradient = 0.5 * np.tensordot(d_sigma, weighted - omega, axes=2)
    if order == 1 or d2_sigma is None:
        return Evaluation(value, gradient, None, beta, vcov)
    hessian = _hessian(stats, core, vcov, residual, weighted - omega, d_sigma, d2_sigma, reml)
    return Evaluation(value, gradient, hessian, beta, vcov)


def _residual_products(stats: PatternStats, beta: Array) -> Array:
    """``R_k[a, b] = sum_i r_ia r_ib`` from the statistics (centred scale)."""
    fitted_cross = stats.cross @ beta  # sum_i (x_ia' beta) y_ib
    fitted = (stats.gram @ beta) @ beta
    result: Array = stats.outer - fitted_cross - np.swapaxes(fitted_cross, 1, 2) + fitted
    return result


def _hessian(
    stats: PatternStats,
    core: _Core,
    vcov: Array,
    residual: Array,
    difference: Array,
    d_sigma: Array,
    d2_sigma: Array,
    reml: bool,
) -> Array:
    z = core.w[None] @ d_sigma[:, None] @ core.w[None]  # W dSigma_j W
    hessian = 0.5 * np.tensordot(d2_sigma, difference, axes=2)
    hessian -= 0.5 * np.einsum("k,ikab,jab->ij", stats.counts, z, d_sigma)
    w_residual = core.w @ residual
    chained = np.einsum("ikab,jbc,kca->ij", z, d_sigma, w_residual)
    hessian += 0.5 * (chained + chained.T)
    # coupling through beta: u_j = X'W dSigma_j W r
    products = stats.cross - stats.gram @ core.beta
    u = np.tensordot(z, products, axes=3)
    hessian -= u @ vcov @ u.T
    if reml:
        p_mats = np.tensordot(z, stats.gram, axes=3)
        scaled = vcov @ p_mats  # (j, p, p) by broadcasting
        hessian -= 0.5 * np.einsum("iab,jba->ij", scaled, scaled)
    result: Array = 0.5 * (hessian + hessian.T)
    return result


@dataclass(frozen=True)
class KenwardRogerTerms:
    """``P_j = X'W dSigma_j W X``, ``Q_ij = X'W dSigma_i W dSigma_j W X`` and
    ``R_ij = X'W d2Sigma_ij W X`` (Kenward and Roger 1997, in mmrm's parametrisation)."""

    p: Array  # (k, p, p)
    q: Array  # (k, k, p, p)
    r: Array  # (k, k, p, p)


def kenward_roger_terms(
    stats: PatternStats, structure: CovarianceStructure, theta: Array
) -> KenwardRogerTerms:
    sigma, d_sigma, d2_sigma = structure.matrices(theta, 2)
    core = _core(stats, sigma)
    if core is None or d_sigma is None or d2_sigma is None:
        raise ValueError("the covariance matrix is not positive definite at theta")
    w = core.w
    z = w[None] @ d_sigma[:, None] @ w[None]
    p_mats = np.tensordot(z, stats.gram, axes=3)
    chained = z[:, None] @ d_sigma[None, :, None] @ w[None, None]
    q_mats = np.tensordot(chained, stats.gram, axes=3)
    second = w[None, None] @ d2_sigma[:, :, None] @ w[None, None]
    r_mats = np.tensordot(second, stats.gram, axes=3)
    return KenwardRogerTerms(p_mats, q_mats, r_mats)

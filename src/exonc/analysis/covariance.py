"""Within-subject covariance structures of the MMRM, with exact first and second derivatives.

Each structure maps a parameter vector ``theta`` to the visit-by-visit covariance matrix
``Sigma`` and, on request, to ``dSigma/dtheta`` (shape ``(k, m, m)``) and
``d2Sigma/dtheta dtheta`` (shape ``(k, k, m, m)``). The parametrisations are those of the R
package mmrm, so that the Hessian of the REML criterion, and with it the Kenward–Roger
adjustment (whose second-derivative term depends on the parametrisation), match mmrm:

- ``us`` (unstructured): ``Sigma = L L'`` with ``L = D M``; ``D = diag(exp(theta[:m]))``
  and ``M`` unit lower triangular holding ``theta[m:]`` row by row.
- correlation structures: standard deviations ``exp(theta_s)`` (one shared, or one per
  visit for the heterogeneous ``h`` variants) and correlation parameters ``phi``:
  ``cs`` (compound symmetry, one ``rho``), ``ar1`` (``rho**|i-j|``), ``toep`` (Toeplitz,
  one ``rho`` per lag) and ``ad`` (ante-dependence, one ``rho`` per adjacent pair, products
  in between). ``ar1``, ``toep`` and ``ad`` map ``rho = phi / sqrt(1 + phi**2)``; ``cs``
  maps ``rho = invlogit(phi) (1 + a) - a`` with ``a = 1 / (m - 1)``, so that ``rho`` ranges
  over exactly the positive definite interval ``(-1/(m - 1), 1)`` — mmrm's parametrisation
  since version 0.3.16 (before, ``cs`` used the first map too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = ["COVARIANCE_TYPES", "CovarianceStructure", "CovarianceType"]

CovarianceType = Literal["us", "cs", "csh", "ar1", "ar1h", "toep", "toeph", "ad", "adh"]
COVARIANCE_TYPES: tuple[str, ...] = get_args(CovarianceType)

Array = NDArray[np.float64]
_Correlation = Callable[[Array, int], tuple[Array, Array, Array]]


@dataclass(frozen=True)
class CovarianceStructure:
    """A covariance structure over ``n_visits`` visits."""

    kind: CovarianceType
    n_visits: int

    @property
    def n_params(self) -> int:
        m = self.n_visits
        if self.kind == "us":
            return m * (m + 1) // 2
        return self._n_sd + self._n_rho

    @property
    def heterogeneous(self) -> bool:
        return self.kind == "us" or self.kind.endswith("h")

    @property
    def _n_sd(self) -> int:
        return self.n_visits if self.heterogeneous else 1

    @property
    def _n_rho(self) -> int:
        base = self.kind.removesuffix("h")
        return 1 if base in {"cs", "ar1"} else self.n_visits - 1

    def matrices(self, theta: Array, order: int = 0) -> tuple[Array, Array | None, Array | None]:
        """``Sigma`` and, for ``order`` 1 or 2, its first and second derivatives."""
        if self.kind == "us":
            return _unstructured(theta, self.n_visits, order)
        correlation = _CORRELATIONS[self.kind.removesuffix("h")]
        return _from_correlation(theta, self.n_visits, self._n_sd, correlation, self._link, order)

    def sigma(self, theta: Array) -> Array:
        return self.matrices(theta, 0)[0]

    def standard_start(self) -> Array:
        """mmrm's ``std_start``: all parameters 0, but ``phi = 0.5`` for AR(1)."""
        start = np.zeros(self.n_params)
        if self.kind.startswith("ar1"):
            start[-1] = 0.5
        return start

    @property
    def _link(self) -> _Link:
        return _Link.for_structure(self.kind, self.n_visits)

    def start(self, empirical: Array) -> Array:
        """Starting values from an empirical covariance matrix (positive definite)."""
        if self.kind == "us":
            lower = np.linalg.cholesky(empirical)
            diagonal = np.diag(lower)
            unit = lower / diagonal[:, None]
            rows, cols = np.tril_indices(self.n_visits, -1)
            return np.concatenate([np.log(diagonal), unit[rows, cols]])
        sd = np.sqrt(np.diag(empirical))
        log_sd = np.log(sd) if self.heterogeneous else np.array([np.log(sd.mean())])
        rho = self._start_rho(empirical / np.outer(sd, sd))
        return np.concatenate([log_sd, self._link.inverse(rho)])

    def _start_rho(self, corr: Array) -> Array:
        m = self.n_visits
        base = self.kind.removesuffix("h")
        if base == "cs":
            rho = np.array([corr[np.tril_indices(m, -1)].mean()])
            floor = -1.0 / (m - 1) + 0.05 if m > 1 else -0.9
            return np.asarray(np.clip(rho, max(floor, -0.9), 0.9), dtype=float)
        if base == "ar1":
            return np.asarray(np.clip([np.diag(corr, -1).mean()], -0.9, 0.9), dtype=float)
        lags = [np.diag(corr, -lag) for lag in range(1, m)]
        rho = np.array([lag.mean() for lag in lags] if base == "toep" else np.diag(corr, -1))
        rho = np.asarray(np.clip(rho, -0.9, 0.9), dtype=float)
        correlation = _CORRELATIONS[base]
        while np.any(np.linalg.eigvalsh(correlation(rho, m)[0]) <= 1e-6):
            rho = rho * 0.5
        return rho


# ---------------------------------------------------------------- unstructured


def _unstructured(theta: Array, m: int, order: int) -> tuple[Array, Array | None, Array | None]:
    rows, cols = np.tril_indices(m, -1)
    d = np.exp(theta[:m])
    unit = np.eye(m)
    unit[rows, cols] = theta[m:]
    lower = d[:, None] * unit
    sigma = lower @ lower.T
    if order == 0:
        return sigma, None, None
    k = theta.size
    d_lower = np.zeros((k, m, m))
    d_lower[np.arange(m), np.arange(m)] = lower  # d/d log d_a scales row a
    off = np.arange(m, k)
    d_lower[off, rows, cols] = d[rows]
    d_sigma = _sym(np.einsum("kab,cb->kac", d_lower, lower))
    if order == 1:
        return sigma, d_sigma, None
    d2_lower = np.zeros((k, k, m, m))
    d2_lower[np.arange(m), np.arange(m), np.arange(m)] = lower
    d2_lower[rows, off, rows, cols] = d[rows]
    d2_lower[off, rows, rows, cols] = d[rows]
    d2_sigma = _sym(np.einsum("ijab,cb->ijac", d2_lower, lower))
    d2_sigma += _sym(np.einsum("iab,jcb->ijac", d_lower, d_lower))
    return sigma, d_sigma, d2_sigma


def _sym(a: Array) -> Array:
    """``a + a'`` over the last two axes."""
    result: Array = a + np.swapaxes(a, -1, -2)
    return result


# ---------------------------------------------------------------- correlation structures


@dataclass(frozen=True)
class _Link:
    """The map from an unconstrained ``phi`` to a correlation ``rho``, with derivatives.

    ``shift = None``: ``rho = phi / sqrt(1 + phi**2)`` on ``(-1, 1)``. ``shift = a``:
    ``rho = invlogit(phi) (1 + a) - a`` on ``(-a, 1)`` (mmrm >= 0.3.16 for compound
    symmetry, with ``a = 1 / (m - 1)``).
    """

    shift: float | None = None

    @classmethod
    def for_structure(cls, kind: str, n_visits: int) -> _Link:
        if kind.removesuffix("h") == "cs":
            return cls(1.0 / (n_visits - 1) if n_visits > 1 else 0.0)
        return cls()

    def rho(self, phi: Array) -> tuple[Array, Array, Array]:
        """``rho``, ``d rho / d phi`` and ``d2 rho / d phi2``."""
        if self.shift is None:
            root = np.sqrt(1.0 + phi**2)
            return phi / root, root**-3.0, -3.0 * phi * root**-5.0
        scale = 1.0 + self.shift
        p = special.expit(phi)
        slope = p * (1.0 - p)
        return p * scale - self.shift, scale * slope, scale * slope * (1.0 - 2.0 * p)

    def inverse(self, rho: Array) -> Array:
        if self.shift is None:
            return np.asarray(rho / np.sqrt(1.0 - rho**2))
        return np.asarray(special.logit((rho + self.shift) / (1.0 + self.shift)))


def _from_correlation(
    theta: Array, m: int, n_sd: int, correlation: _Correlation, link: _Link, order: int
) -> tuple[Array, Array | None, Array | None]:
    phi = theta[n_sd:]
    rho, first_rho, second_rho = link.rho(phi)
    corr, d_corr, d2_corr = correlation(rho, m)
    sd = np.exp(theta[:n_sd]) if n_sd == m else np.full(m, np.exp(theta[0]))
    scale = np.outer(sd, sd)
    sigma = scale * corr
    if order == 0:
        return sigma, None, None
    # J[a, b, c] = d log(sd_b sd_c) / d theta_a
    jac = np.eye(m) if n_sd == m else np.ones((1, m))
    log_scale = jac[:, :, None] + jac[:, None, :]
    d_rho_sigma = scale * d_corr * first_rho[:, None, None]
    d_sigma = np.concatenate([log_scale * sigma, d_rho_sigma])
    if order == 1:
        return sigma, d_sigma, None
    k = theta.size
    d2_sigma = np.empty((k, k, m, m))
    d2_sigma[:n_sd, :n_sd] = log_scale[:, None] * log_scale[None, :] * sigma
    mixed = log_scale[:, None] * d_rho_sigma[None, :]
    d2_sigma[:n_sd, n_sd:] = mixed
    d2_sigma[n_sd:, :n_sd] = np.swapaxes(mixed, 0, 1)
    rho_rho = d2_corr * np.multiply.outer(first_rho, first_rho)[:, :, None, None]
    rho_rho[np.arange(phi.size), np.arange(phi.size)] += d_corr * second_rho[:, None, None]
    d2_sigma[n_sd:, n_sd:] = scale * rho_rho
    return sigma, d_sigma, d2_sigma


def _compound_symmetry(rho: Array, m: int) -> tuple[Array, Array, Array]:
    off = np.ones((m, m)) - np.eye(m)
    return np.eye(m) + rho[0] * off, off[None], np.zeros((1, 1, m, m))


def _autoregressive(rho: Array, m: int) -> tuple[Array, Array, Array]:
    lag = np.abs(np.subtract.outer(np.arange(m), np.arange(m))).astype(float)
    r = rho[0]
    corr = r**lag
    first = np.where(lag >= 1, lag * r ** np.maximum(lag - 1, 0), 0.0)
    second = np.where(lag >= 2, lag * (lag - 1) * r ** np.maximum(lag - 2, 0), 0.0)
    return corr, first[None], second[None, None]


def _toeplitz(rho: Array, m: int) -> tuple[Array, Array, Array]:
    lag = np.abs(np.subtract.outer(np.arange(m), np.arange(m)))
    values = np.concatenate([[1.0], rho])
    first = np.stack([(lag == j + 1).astype(float) for j in range(m - 1)])
    return values[lag], first, np.zeros((m - 1, m - 1, m, m))


def _ante_dependence(rho: Array, m: int) -> tuple[Array, Array, Array]:
    """Correlation of visits ``a > b`` is the product of ``rho[b:a]``."""
    n = m - 1
    corr = np.eye(m)
    first = np.zeros((n, m, m))
    second = np.zeros((n, n, m, m))
    for a in range(m):
        for b in range(a):
            links = range(b, a)
            corr[a, b] = corr[b, a] = np.prod(rho[b:a])
            for i in links:
                value = np.prod([rho[j] for j in links if j != i])
                first[i, a, b] = first[i, b, a] = value
                for h in links:
                    if h != i:
                        rest = np.prod([rho[j] for j in links if j not in (i, h)])
                        second[i, h, a, b] = second[i, h, b, a] = rest
    return corr, first, second


_CORRELATIONS: dict[str, _Correlation] = {
    "cs": _compound_symmetry,
    "ar1": _autoregressive,
    "toep": _toeplitz,
    "ad": _ante_dependence,
}

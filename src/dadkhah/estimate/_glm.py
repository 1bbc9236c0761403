"""A small Poisson log-linear fitter (IRLS) for the model search.

The search over hierarchical models fits thousands of tiny GLMs (at most 64 cells and 22
parameters; 32,768 models for six lists): a compiled IRLS does one in tens of microseconds, a
numpy one in about a millisecond, a statsmodels ``GLM`` in several.  The reported model is
refitted with statsmodels (:func:`fit_statsmodels`), and a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.special import gammaln

# The defaults follow R's glm.fit (start at y + 0.1, at most 25 iterations, relative deviance
# change 1e-8) and its "fitted rates numerically 0" check (mu < 10 * machine epsilon), so that
# the models set aside are the ones Rcapture sets aside.  A parameter that runs off to
# infinity only because a cell that is empty anyway is fitted by 0 converges harmlessly under
# this rule; one that drags the unobserved cell with it does not.
_ZERO_RATE = 10 * np.finfo(float).eps


@dataclass(frozen=True)
class PoissonFit:
    beta: np.ndarray
    mu: np.ndarray
    loglik: float
    converged: bool
    boundary: bool
    iterations: int
    cov: np.ndarray | None = None

    @property
    def ok(self) -> bool:
        return self.converged and not self.boundary


def poisson_loglik(y: np.ndarray, mu: np.ndarray) -> float:
    pos = y > 0
    return float(np.sum(y[pos] * np.log(mu[pos])) - mu.sum() - gammaln(y + 1).sum())


@njit(cache=True)
def _irls(x: np.ndarray, y: np.ndarray, maxiter: int, tol: float
          ) -> tuple[np.ndarray, np.ndarray, bool, int, bool]:
    """IRLS with a Cholesky solve; returns (beta, mu, converged, iterations, solved)."""
    n, p = x.shape
    mu = y + 0.1
    eta = np.log(mu)
    beta = np.zeros(p)
    a = np.empty((p, p))
    rhs = np.empty(p)
    dev_old = np.inf
    for it in range(1, maxiter + 1):
        # normal equations X'WX beta = X'Wz with W = diag(mu)
        for i in range(p):
            for j in range(i + 1):
                acc = 0.0
                for r in range(n):
                    acc += x[r, i] * mu[r] * x[r, j]
                a[i, j] = acc
            acc = 0.0
            for r in range(n):
                acc += x[r, i] * (mu[r] * eta[r] + y[r] - mu[r])
            rhs[i] = acc
        # Cholesky in place (lower triangle)
        for j in range(p):
            d = a[j, j]
            for k in range(j):
                d -= a[j, k] * a[j, k]
            if d <= 1e-300:
                return beta, mu, False, it, False
            d = np.sqrt(d)
            a[j, j] = d
            for i in range(j + 1, p):
                v = a[i, j]
                for k in range(j):
                    v -= a[i, k] * a[j, k]
                a[i, j] = v / d
        for i in range(p):  # forward: L u = rhs
            v = rhs[i]
            for k in range(i):
                v -= a[i, k] * rhs[k]
            rhs[i] = v / a[i, i]
        for i in range(p - 1, -1, -1):  # back: L' beta = u
            v = rhs[i]
            for k in range(i + 1, p):
                v -= a[k, i] * beta[k]
            beta[i] = v / a[i, i]
        dev = 0.0
        for r in range(n):
            e = 0.0
            for i in range(p):
                e += x[r, i] * beta[i]
            e = min(max(e, -700.0), 700.0)
            eta[r] = e
            mu[r] = np.exp(e)
            if y[r] > 0:
                dev += y[r] * np.log(y[r] / mu[r])
            dev -= y[r] - mu[r]
        dev *= 2.0
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            return beta, mu, True, it, True
        dev_old = dev
    return beta, mu, False, maxiter, True


def fit_poisson(
    x: np.ndarray,
    y: np.ndarray,
    *,
    maxiter: int = 25,
    tol: float = 1e-8,
    with_cov: bool = False,
) -> PoissonFit:
    """Fit ``log E[y] = x @ beta`` by iteratively reweighted least squares."""
    y = np.asarray(y, dtype=float)
    x = np.ascontiguousarray(x, dtype=float)
    beta, mu, converged, it, solved = _irls(x, y, maxiter, tol)
    if solved:
        boundary = bool(np.any(mu < _ZERO_RATE))
        cov = None
        if with_cov:
            try:
                cov = np.linalg.inv((x.T * mu) @ x)
            except np.linalg.LinAlgError:
                cov = np.full((x.shape[1], x.shape[1]), np.nan)
        return PoissonFit(beta, mu, poisson_loglik(y, mu), converged, boundary, it, cov)
    return _fit_poisson_numpy(x, y, maxiter=maxiter, tol=tol, with_cov=with_cov)


def _fit_poisson_numpy(
    x: np.ndarray,
    y: np.ndarray,
    *,
    maxiter: int = 25,
    tol: float = 1e-8,
    with_cov: bool = False,
) -> PoissonFit:
    """The same fit in numpy, with a least-squares fallback for singular steps."""
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = np.inf
    converged = False
    beta = np.zeros(x.shape[1])
    it = 0  # iterations done, reported with the fit
    while it < maxiter:
        it += 1
        z = eta + (y - mu) / mu
        xw = x.T * mu
        try:
            beta = np.linalg.solve(xw @ x, xw @ z)
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(xw @ x, xw @ z, rcond=None)[0]
        eta = np.clip(x @ beta, -700, 700)
        mu = np.exp(eta)
        pos = y > 0
        dev = 2 * (np.sum(y[pos] * np.log(y[pos] / mu[pos])) - np.sum(y - mu))
        if abs(dev - dev_old) <= tol * (abs(dev) + 0.1):
            converged = True
            break
        dev_old = dev
    boundary = bool(np.any(mu < _ZERO_RATE))
    cov = None
    if with_cov:
        info = (x.T * mu) @ x
        try:
            cov = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            cov = np.full((x.shape[1], x.shape[1]), np.nan)
    return PoissonFit(beta, mu, poisson_loglik(y, mu), converged, boundary, it, cov)


def fit_statsmodels(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The same fit with statsmodels' GLM: coefficients, their covariance, log-likelihood."""
    import warnings

    import statsmodels.api as sm

    with warnings.catch_warnings():
        # boundary and zero-df cases are judged by our own checks, not statsmodels' warnings
        warnings.simplefilter("ignore")
        res = sm.GLM(np.asarray(y, dtype=float), x, family=sm.families.Poisson()).fit(
            tol=1e-12, maxiter=200
        )
    return np.asarray(res.params), np.asarray(res.cov_params()), float(res.llf)

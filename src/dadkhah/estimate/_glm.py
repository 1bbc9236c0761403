"""A small Poisson log-linear fitter (IRLS) for the model search.

The search over hierarchical models fits thousands of tiny GLMs (at most 64 cells and 22
parameters); a plain numpy IRLS does one in a fraction of a millisecond, where building a
statsmodels ``GLM`` costs several.  The reported model is refitted with statsmodels
(:func:`fit_statsmodels`), and a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = np.inf
    converged = False
    beta = np.zeros(x.shape[1])
    it = 0
    for it in range(1, maxiter + 1):
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

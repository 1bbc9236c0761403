"""MCMC diagnostics: split R-hat (rank-normalised) and effective sample size.

Follows Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021), "Rank-normalization, folding,
and localization: an improved R-hat for assessing convergence of MCMC", *Bayesian Analysis*
16(2), 667–718, and Stan's ``ess_bulk``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats


def _split(chains: np.ndarray) -> np.ndarray:
    n = chains.shape[1]
    half = n // 2
    return np.concatenate([chains[:, :half], chains[:, n - half :]], axis=0)


def _rank_normal(chains: np.ndarray) -> np.ndarray:
    r = stats.rankdata(chains, method="average").reshape(chains.shape)
    return np.asarray(stats.norm.ppf((r - 3 / 8) / (chains.size + 1 / 4)), dtype=float)


def _rhat_raw(chains: np.ndarray) -> float:
    m, n = chains.shape
    if n < 2:
        return math.nan
    means = chains.mean(axis=1)
    w = chains.var(axis=1, ddof=1).mean()
    b = n * means.var(ddof=1) if m > 1 else 0.0
    if w == 0:
        return 1.0 if b == 0 else math.inf
    var_plus = (n - 1) / n * w + b / n
    return float(math.sqrt(var_plus / w))


def rhat(chains: np.ndarray) -> float:
    """Rank-normalised split R-hat of a ``(chains, draws)`` array (max of bulk and tail)."""
    chains = np.asarray(chains, dtype=float)
    s = _split(chains)
    bulk = _rhat_raw(_rank_normal(s))
    med = np.median(chains)
    tail = _rhat_raw(_rank_normal(_split(np.abs(chains - med))))
    return max(bulk, tail)


def _autocov(x: np.ndarray) -> np.ndarray:
    n = x.size
    f = np.fft.rfft(x - x.mean(), n=2 * n)
    ac = np.fft.irfft(f * np.conj(f))[:n] / n
    return ac


def ess(chains: np.ndarray) -> float:
    """Effective sample size (Geyer's initial monotone sequence, over all chains)."""
    chains = np.asarray(chains, dtype=float)
    m, n = chains.shape
    if n < 4:
        return float(m * n)
    acov = np.array([_autocov(c) for c in chains])
    chain_var = acov[:, 0] * n / (n - 1)
    w = chain_var.mean()
    var_plus = w * (n - 1) / n
    if m > 1:
        var_plus += chains.mean(axis=1).var(ddof=1)
    if var_plus <= 0:
        return float(m * n)
    rho = 1 - (w - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer: sum pairs while positive, and keep them monotone
    t = 0
    pairs = []
    while t + 1 < n:
        p = rho[t] + rho[t + 1]
        if p < 0:
            break
        pairs.append(p)
        t += 2
    if not pairs:
        return float(m * n)
    pairs_arr = np.minimum.accumulate(np.array(pairs))
    tau = -1 + 2 * pairs_arr.sum()
    tau = max(tau, 1 / math.log10(m * n + 10))
    return float(m * n / tau)


def ess_bulk(chains: np.ndarray) -> float:
    return ess(_rank_normal(_split(np.asarray(chains, dtype=float))))


def quantile_mcse(chains: np.ndarray, prob: float) -> float:
    """Monte Carlo standard error of a quantile (Stan's method via the indicator's ESS)."""
    chains = np.asarray(chains, dtype=float)
    flat = chains.ravel()
    q = np.quantile(flat, prob)
    ind = (chains <= q).astype(float)
    if ind.min() == ind.max():
        return math.nan
    e = ess(_split(ind))
    se_p = math.sqrt(prob * (1 - prob) / max(e, 1.0))
    lo = np.quantile(flat, max(prob - se_p, 0.0))
    hi = np.quantile(flat, min(prob + se_p, 1.0))
    return float((hi - lo) / 2)

"""The LCMCR Gibbs sampler, compiled with numba.

It works on capture *patterns* with counts, never on individuals: the class memberships of the
``c_p`` people sharing pattern ``p`` are exchangeable, so only how many of them fall in each
class matters, and that is one multinomial draw.  The cost per iteration is therefore
``O(P K J)`` whatever the number of people.

Measured (``benchmarks/mse_bench.py --numpy``): the same sweep in vectorised numpy runs about
6,500-9,000 iterations/s (call overhead on arrays of 15 x 10 dominates), 7-22 times slower
than this kernel and far below the R package's ~65,000/s.  That is why numba is a dependency.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _seed(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=True)
def _binomial(n: int, p: float) -> int:
    """Binomial(n, p): inversion when the mean is small (the common case after the first
    classes have taken most of a pattern's people), numba's BTPE otherwise."""
    flip = p > 0.5
    q = 1.0 - p if flip else p
    if n * q >= 12.0:
        return np.random.binomial(n, p)
    # inversion from 0 upwards (Kachitvichyanukul & Schmeiser's BINV without the fallback)
    r = (1.0 - q) ** n
    s = q / (1.0 - q)
    a = (n + 1) * s
    u = np.random.random()
    x = 0
    while u > r:
        u -= r
        x += 1
        if x > n:  # rounding ate the last of the mass; start again
            u = np.random.random()
            x = 0
            r = (1.0 - q) ** n
            continue
        r *= a / x - s
    return n - x if flip else x


@njit(cache=True)
def _multinomial_into(n: int, p: np.ndarray, out: np.ndarray) -> None:
    """out[:] = Multinomial(n, p / p.sum()) by sequential binomials."""
    k_len = p.shape[0]
    total = 0.0
    for k in range(k_len):
        out[k] = 0
        total += p[k]
    if n == 0:
        return
    if n == 1:
        u = np.random.random() * total
        acc = 0.0
        for k in range(k_len):
            acc += p[k]
            if u < acc:
                out[k] = 1
                return
        out[k_len - 1] = 1
        return
    remaining = n
    rest = total
    for k in range(k_len - 1):
        if remaining == 0:
            return
        if rest <= 0.0:
            break
        q = p[k] / rest
        if q >= 1.0:
            out[k] = remaining
            return
        if q > 0.0:
            x = _binomial(remaining, q)
            out[k] = x
            remaining -= x
        rest -= p[k]
    out[k_len - 1] += remaining


@njit(cache=True)
def _sample_observed(patterns: np.ndarray, counts: np.ndarray, lam: np.ndarray, pi: np.ndarray,
                     m: np.ndarray, s: np.ndarray, w: np.ndarray, draw: np.ndarray) -> None:
    """Memberships of the observed, pattern by pattern; fills m (per class) and s."""
    n_pat, n_lists = patterns.shape
    k_len = pi.shape[0]
    for k in range(k_len):
        m[k] = 0
        for j in range(n_lists):
            s[j, k] = 0
    for p in range(n_pat):
        for k in range(k_len):
            wk = pi[k]
            for j in range(n_lists):
                if patterns[p, j]:
                    wk *= lam[j, k]
                else:
                    wk *= 1.0 - lam[j, k]
            w[k] = wk
        _multinomial_into(counts[p], w, draw)
        for k in range(k_len):
            dk = draw[k]
            if dk:
                m[k] += dk
                for j in range(n_lists):
                    if patterns[p, j]:
                        s[j, k] += dk


@njit(cache=True)
def _sample_lambda(lam: np.ndarray, m: np.ndarray, m0: np.ndarray, s: np.ndarray) -> None:
    n_lists, k_len = lam.shape
    for k in range(k_len):
        if m[k] + m0[k] == 0:
            # an empty class: Beta(1, 1) for every list
            for j in range(n_lists):
                lam[j, k] = np.random.random()
            continue
        for j in range(n_lists):
            lam[j, k] = np.random.beta(1.0 + s[j, k], 1.0 + m[k] + m0[k] - s[j, k])


@njit(cache=True)
def _log_gamma_variate(shape: float) -> float:
    """log of a Gamma(shape, 1) draw, exact for small shapes.

    The concentration alpha gets small on sparse tables; a Gamma(alpha) draw then underflows
    to 0 in double precision and a stick-breaking weight V = G1/(G1 + G2) becomes exactly 1.
    Clamping it would cap log(1 - V) near -28 and bias the alpha update upwards (more classes,
    larger N).  Working on the log scale, as the R package does, avoids that.
    """
    if shape >= 1.0:
        return float(np.log(np.random.gamma(shape, 1.0)))
    # Gamma(a) = Gamma(a + 1) * U^(1/a)
    return float(np.log(np.random.gamma(shape + 1.0, 1.0))
                 + np.log(1.0 - np.random.random()) / shape)


@njit(cache=True)
def _sample_pi(pi: np.ndarray, m: np.ndarray, m0: np.ndarray, alpha: float) -> float:
    """Stick-breaking weights; returns sum_k log(1 - V_k) for the alpha update."""
    k_len = pi.shape[0]
    tail = 0
    for k in range(k_len):
        tail += m[k] + m0[k]
    log_rest = 0.0
    for k in range(k_len - 1):
        tail -= m[k] + m0[k]
        b = alpha + tail
        if b >= 1.0:
            # both shapes >= 1: a plain beta draw cannot reach 1 in double precision
            vk = np.random.beta(1.0 + m[k] + m0[k], b)
            if vk < 1.0:
                pi[k] = vk * np.exp(log_rest)
                log_rest += np.log1p(-vk)
                continue
        lg1 = _log_gamma_variate(1.0 + m[k] + m0[k])
        lg2 = _log_gamma_variate(b)
        top = max(lg1, lg2)
        lsum = top + np.log(np.exp(lg1 - top) + np.exp(lg2 - top))
        pi[k] = np.exp(lg1 - lsum + log_rest)
        log_rest += lg2 - lsum  # log(1 - V_k)
    pi[k_len - 1] = np.exp(log_rest)
    return log_rest


@njit(cache=True)
def _sample_unobserved(n_obs: int, lam: np.ndarray, pi: np.ndarray, m0: np.ndarray,
                       w: np.ndarray) -> int:
    """N - n ~ NegBin(n, 1 - P0) under the 1/N prior, then their classes into m0."""
    n_lists, k_len = lam.shape
    p0 = 0.0
    for k in range(k_len):
        wk = pi[k]
        for j in range(n_lists):
            wk *= 1.0 - lam[j, k]
        w[k] = wk
        p0 += wk
    if p0 >= 1.0:
        p0 = 1.0 - 1e-15
    n0 = np.random.negative_binomial(n_obs, 1.0 - p0)
    _multinomial_into(n0, w, m0)
    return n0


@njit(cache=True, nogil=True)  # chains run in parallel threads
def run_chain(
    patterns: np.ndarray,  # (P, J) int8
    counts: np.ndarray,  # (P,) int64
    n_classes: int,
    a_alpha: float,
    b_alpha: float,
    burnin: int,
    n_samples: int,
    thin: int,
    seed: int,
    init_n0: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run one chain; return (N draws, alpha draws, occupied-class counts).

    ``init_n0 < 0`` starts as the R package does: every lambda at its list's observed
    frequency, fixed class weights, alpha = 0.3/K and 500 warm-up sweeps without alpha.
    ``init_n0 >= 0`` starts from random lambdas and weights with that many unobserved,
    to check that chains started far apart agree.
    """
    _seed(seed)
    n_pat, n_lists = patterns.shape
    k_len = n_classes
    n_obs = 0
    for p in range(n_pat):
        n_obs += counts[p]
    lam = np.empty((n_lists, k_len))
    pi = np.empty(k_len)
    m = np.zeros(k_len, dtype=np.int64)  # observed people per class
    m0 = np.zeros(k_len, dtype=np.int64)  # unobserved people per class
    s = np.zeros((n_lists, k_len), dtype=np.int64)  # captures by list and class
    w = np.empty(k_len)
    draw = np.zeros(k_len, dtype=np.int64)
    n0 = 0
    if init_n0 < 0:
        for j in range(n_lists):
            tot = 0
            for p in range(n_pat):
                if patterns[p, j]:
                    tot += counts[p]
            for k in range(k_len):
                lam[j, k] = tot / n_obs
        if k_len > 4:
            for k in range(k_len):
                pi[k] = 0.225 if k < 4 else 0.1 / (k_len - 4)
        else:
            for k in range(k_len):
                pi[k] = 1.0 / k_len
        alpha = 0.3 / k_len
        for _ in range(500):
            _sample_observed(patterns, counts, lam, pi, m, s, w, draw)
            _sample_lambda(lam, m, m0, s)
            _sample_pi(pi, m, m0, alpha)
            n0 = _sample_unobserved(n_obs, lam, pi, m0, w)
        # then, as the R package does, relabel the classes by decreasing weight, so that the
        # stick-breaking order starts out matching the class sizes
        order = np.argsort(-pi)
        lam[:, :] = lam[:, order]
        pi[:] = pi[order]
        m[:] = m[order]
        m0[:] = m0[order]
        s[:, :] = s[:, order]
    else:
        for j in range(n_lists):
            for k in range(k_len):
                lam[j, k] = np.random.beta(1.0, 1.0)
        rest = 1.0
        for k in range(k_len - 1):
            vk = np.random.beta(1.0, 1.0)
            pi[k] = vk * rest
            rest *= 1.0 - vk
        pi[k_len - 1] = rest
        alpha = 1.0
        for k in range(k_len):
            w[k] = 1.0
        _multinomial_into(init_n0, w, m0)
        n0 = init_n0

    total_iter = burnin + n_samples * thin
    out_n = np.empty(n_samples, dtype=np.int64)
    out_alpha = np.empty(n_samples)
    out_occ = np.empty(n_samples, dtype=np.int64)
    saved = 0
    for it in range(total_iter):
        # the R package's order: z | ., lambda | ., pi | ., (N - n, z0) | ., alpha | .
        _sample_observed(patterns, counts, lam, pi, m, s, w, draw)
        _sample_lambda(lam, m, m0, s)
        log_rest = _sample_pi(pi, m, m0, alpha)
        n0 = _sample_unobserved(n_obs, lam, pi, m0, w)
        alpha = np.random.gamma(a_alpha + k_len - 1, 1.0 / (b_alpha - log_rest))
        alpha = max(alpha, 1e-300)
        if it >= burnin and (it - burnin) % thin == thin - 1:
            out_n[saved] = n_obs + n0
            out_alpha[saved] = alpha
            occ = 0
            for k in range(k_len):
                if m[k] + m0[k] > 0:
                    occ += 1
            out_occ[saved] = occ
            saved += 1
    return out_n, out_alpha, out_occ

"""Bayesian latent-class model LCMCR (Manrique-Vallier 2016).

People fall into latent classes ``k = 1..K`` with weights ``pi`` from a truncated
stick-breaking prior ``V_k ~ Beta(1, alpha)``, ``alpha ~ Gamma(a, b)``; within a class, list
``j`` names a person with probability ``lambda_jk ~ Beta(1, 1)``, independently of the other
lists.  Heterogeneous capture and list dependence both arise from the mixture.  ``N`` has the
prior ``p(N) ∝ 1/N``; given the rest, ``N - n`` is negative binomial, and the unobserved are
allocated to classes (data augmentation).  The sampler (``_lcmcr_kernel``) works over capture
patterns, not people, so its cost does not grow with ``n``.

Several chains are run from dispersed starting points; their agreement is checked with the
rank-normalised split R-hat and the bulk effective sample size, and a
:class:`~dadkhah.errors.ConvergenceWarning` says so when they disagree (the Netherlands tables
are bimodal: chains settle near 50k or near 140k).

The Gibbs sampler can also settle early in one of two regimes and hardly leave it: everyone in
one latent class with the concentration near 0 (N close to the independent-lists estimate),
or a few small extra classes (N some 3-10% higher).  On the HIV table about 1 chain in 4 of
ours took the second (16 tried); the R package's 8 reference chains all took the first.  That
is why several chains are the default and why the Monte Carlo error reported includes the
spread between chains.

References
----------
Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process
mixtures. *Biometrics* 72(4), 1246–1254.
Manrique-Vallier, D. (2025). LCMCR: Bayesian non-parametric latent-class capture-recapture.
R package version 0.4.14.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np

from dadkhah.errors import ConvergenceWarning, Wording
from dadkhah.estimate._checks import Notes, check_identifiable
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._lcmcr_kernel import run_chain
from dadkhah.estimate._mcmc import ess_bulk, quantile_mcse, rhat
from dadkhah.estimate._results import Estimate, Interval

__all__ = ["LCMCR", "chain_seeds"]

_ASSUMPTIONS = (
    "The population is closed: everyone counted could have been on every list.",
    (
        "Within each latent group of people, lists name people independently; differences "
        "between groups (heterogeneity) and the dependence they induce are modelled."
    ),
    "The number of latent groups needed is at most K; the prior on N is 1/N.",
    "Records were matched correctly across lists.",
)

# Dispersed starting values for the unobserved count, as multiples of the observed
# (init="dispersed").
_INIT_MULTIPLES = (1.0, 0.25, 4.0, 16.0)


def chain_seeds(seed: int | None, chains: int) -> tuple[int, list[int]]:
    """Independent per-chain seeds from one seed (drawn afresh, and returned, if None)."""
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    children = np.random.SeedSequence(seed).spawn(chains)
    return seed, [int(c.generate_state(1)[0] & 0x7FFFFFFF) for c in children]


@dataclass(frozen=True)
class LCMCR:
    """Latent-class capture-recapture with a Dirichlet-process prior (Manrique-Vallier 2016).

    Parameters
    ----------
    K
        Truncation of the stick-breaking prior (the R package's default, 10).
    a_alpha, b_alpha
        Gamma prior on the concentration (shape, rate); R's defaults 0.25, 0.25.
    burnin, samples, thin
        Per chain: iterations discarded, draws kept, iterations between kept draws.
        The defaults are the R reference runs' (10,000 / 10,000 / 10).
    chains
        Number of chains; at least 2 for R-hat.  4 by default.
    seed
        Makes runs reproducible; ``None`` draws one (it is recorded in ``settings``).
    level
        Credible interval level (equal tails).
    rhat_max, min_ess
        Convergence thresholds for the warning.
    init
        ``"r"`` starts each chain as the R package does (lambdas at the lists' observed
        frequencies, 500 warm-up sweeps); ``"dispersed"`` starts from random parameters and
        unobserved counts from 0.25 to 16 times the observed, a stricter convergence check.

    The pooled draws are kept chain after chain: ``est.draws.reshape(chains, samples)`` gives
    the trace of each chain.

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(
    ...     ["A", "B", "C"], [[1,1,1],[1,1,0],[1,0,1],[1,0,0],[0,1,1],[0,1,0],[0,0,1]],
    ...     [12, 142, 112, 247, 4, 49, 60])
    >>> est = LCMCR(burnin=2000, samples=2000, thin=10, seed=1, min_ess=200).fit(h)
    >>> 700 < est.total < 770, est.diagnostics["rhat"] < 1.05
    (True, True)
    """

    K: int = 10
    a_alpha: float = 0.25
    b_alpha: float = 0.25
    burnin: int = 10_000
    samples: int = 10_000
    thin: int = 10
    chains: int = 4
    seed: int | None = None
    level: float = 0.95
    rhat_max: float = 1.05
    min_ess: float = 400.0
    init: str = "r"

    def fit(
        self,
        histories: CaptureHistories,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> Estimate:
        """Sample the posterior of N; returns a new :class:`Estimate` with the draws.

        ``progress(done_chains, chains)`` is called after each chain.
        """
        if self.K < 1 or self.chains < 1 or self.samples < 1 or self.thin < 1 or self.burnin < 0:
            raise ValueError("K, chains, samples and thin must be >= 1 and burnin >= 0")
        if self.init not in ("r", "dispersed"):
            raise ValueError(f"init must be 'r' or 'dispersed', got {self.init!r}")
        h = histories
        check_identifiable(h)
        notes = Notes()
        _warn_isolated(h, notes)
        seed, seeds = chain_seeds(self.seed, self.chains)
        pat = np.ascontiguousarray(h.patterns, dtype=np.int8)
        cnt = np.ascontiguousarray(h.counts, dtype=np.int64)
        n = h.observed
        t0 = time.perf_counter()
        # The compiled sampler releases the GIL and numba's generator is per thread (seeded
        # inside each chain), so chains run in parallel with the same draws as in series.
        with ThreadPoolExecutor(max_workers=min(self.chains, os.cpu_count() or 1)) as pool:
            futures = [
                pool.submit(run_chain, pat, cnt, self.K, self.a_alpha, self.b_alpha,
                            self.burnin, self.samples, self.thin, s,
                            -1 if self.init == "r"
                            else round(n * _INIT_MULTIPLES[i % len(_INIT_MULTIPLES)]))
                for i, s in enumerate(seeds)
            ]
            for done, _ in enumerate(as_completed(futures), start=1):
                if progress is not None:
                    progress(done, self.chains)
            draws, alphas, occupied = (list(x) for x in zip(*(f.result() for f in futures),
                                                             strict=True))
        elapsed = time.perf_counter() - t0
        chains = np.array(draws, dtype=float)
        pooled = chains.ravel()
        total = float(np.median(pooled))
        lo_p, hi_p = (1 - self.level) / 2, (1 + self.level) / 2
        low, high = (float(x) for x in np.quantile(pooled, [lo_p, hi_p]))
        per_chain = [float(np.median(c)) for c in chains]
        r = rhat(chains) if self.chains > 1 else math.nan
        e = ess_bulk(chains)
        if self.chains > 1 and not (r <= self.rhat_max):
            notes.warn(
                f"The {self.chains} chains disagree (R-hat {r:.2f} > {self.rhat_max}): "
                f"their medians are {', '.join(f'{x:,.0f}' for x in per_chain)}. The "
                "posterior is probably multimodal or the chains are too short; the pooled "
                "median and interval are not reliable. Run longer chains and more of them, "
                "and report the disagreement.",
                ConvergenceWarning,
                wording=Wording.of("estimate_warning.chains_disagree", chains=self.chains,
                                   rhat=float(r), rhat_max=float(self.rhat_max),
                                   medians=tuple(int(round(x)) for x in per_chain)),
            )
        elif e < self.min_ess:
            notes.warn(
                f"Effective sample size of N is only {e:.0f} (< {self.min_ess:.0f}); run more "
                "samples or thin more.",
                ConvergenceWarning,
                wording=Wording.of("estimate_warning.low_ess", ess=float(e),
                                   min_ess=float(self.min_ess)),
            )
        occ = float(np.mean(occupied))
        if occ > self.K - 0.5:
            notes.warn(
                f"On average {occ:.1f} of the K={self.K} latent classes hold people; the "
                "truncation may bind. Try a larger K.",
                wording=Wording.of("estimate_warning.classes_full", occupied=occ, K=self.K),
            )
        iters = self.chains * (self.burnin + self.samples * self.thin)
        return Estimate(
            method="lcmcr",
            stratum=h.stratum,
            lists=h.lists,
            observed=n,
            total=total,
            interval=Interval(min(low, total), max(high, total)),
            level=self.level,
            interval_kind="equal-tailed posterior credible interval",
            notes=tuple(notes), wordings=notes.wordings,
            assumptions=_ASSUMPTIONS,
            settings={
                "K": self.K,
                "a_alpha": self.a_alpha,
                "b_alpha": self.b_alpha,
                "burnin": self.burnin,
                "samples": self.samples,
                "thin": self.thin,
                "chains": self.chains,
                "seed": seed,
                "init": self.init,
                "level": self.level,
            },
            diagnostics={
                "rhat": r,
                "ess_bulk": e,
                "chain_medians": per_chain,
                "posterior_mean": float(pooled.mean()),
                "mcse_median": _mcse(chains, 0.5),
                "mcse_low": _mcse(chains, lo_p),
                "mcse_high": _mcse(chains, hi_p),
                "alpha_mean": float(np.mean(alphas)),
                "occupied_classes_mean": occ,
                "iterations": iters,
                "seconds": elapsed,
                "iterations_per_second": iters / elapsed if elapsed > 0 else math.nan,
            },
            draws=pooled,
            synthetic=h.synthetic,
        )


def _mcse(chains: np.ndarray, prob: float) -> float:
    """Monte Carlo standard error of a pooled quantile: the larger of the ESS-based estimate
    and the spread of the per-chain quantiles (which catches chains that sit in different
    metastable states while each looks well mixed)."""
    within = quantile_mcse(chains, prob)
    if chains.shape[0] < 2:
        return within
    per_chain = np.quantile(chains, prob, axis=1)
    between = float(np.std(per_chain, ddof=1) / math.sqrt(chains.shape[0]))
    return max(within, between) if math.isfinite(within) else between


def _warn_isolated(h: CaptureHistories, notes: Notes) -> None:
    for name, on in h.isolated_lists():
        notes.warn(
            f"List {name} ({on:,} people) shares no one with any other list; how much of "
            "the population it covers comes from the model and its prior, not from "
            "overlaps. Treat the estimate as fragile.",
            wording=Wording.of("estimate_warning.isolated_list_lcmcr", name=name, on=int(on)),
        )

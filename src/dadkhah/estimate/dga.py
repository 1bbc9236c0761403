"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997; dga).

Each decomposable graph ``g`` on the lists is a log-linear model whose cell probabilities get
a hyper-Dirichlet prior with ``delta`` prior counts per cell of the full table (``delta 2^(p -
|C|)`` per cell of a clique marginal ``C``).  For every graph and every possible number of
unobserved people ``m`` the marginal likelihood of the completed table is closed-form:
``sum_C ML(C) - sum_S ML(S)`` over cliques and separators, with

    ML(C) = sum_cells [log Γ(n_c + α_C) - log Γ(α_C)] + log Γ(A) - log Γ(N + A),  A = δ 2^p,

plus the multinomial coefficient ``log N! - log m! - sum log n_x!`` and the prior on N
(``-log N`` by default, as in dga).  The posterior over (graph, m) is normalised over all
decomposable graphs (equal prior weights) and ``m = 0..max_missing``; the estimate is the
posterior median of ``N = n + m`` and the interval its equal-tailed quantiles, computed as
dga's ``posteriorQuantiles`` does (first N whose cumulative probability exceeds the level).

References
----------
Madigan, D. and York, J. C. (1997). Bayesian methods for estimation of the size of a closed
population. *Biometrika* 84(1), 19–31.
Lum, K., Johndrow, J. and Ball, P. (2015). dga: capture-recapture estimation using Bayesian
model averaging. R package.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.special import gammaln

from dadkhah.errors import EstimationError, Wording
from dadkhah.estimate._checks import Notes, check_identifiable
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate, Interval

__all__ = ["DGA", "decomposable_graphs"]

_ASSUMPTIONS = (
    "The population is closed: everyone counted could have been on every list.",
    (
        "List dependence follows one of the decomposable graphical models, weighted by how "
        "well each explains the overlaps; all graphs are equally likely a priori."
    ),
    "The prior on N is proportional to 1/N up to the stated maximum number unobserved.",
    "Records were matched correctly across lists.",
)

Clique = tuple[int, ...]


def _is_chordal(p: int, adj: list[set[int]]) -> bool:
    # maximum cardinality search, then check the perfect elimination property
    order: list[int] = []
    weight = [0] * p
    numbered: set[int] = set()
    for _ in range(p):
        v = max((u for u in range(p) if u not in numbered), key=lambda u: (weight[u], -u))
        order.append(v)
        numbered.add(v)
        for u in adj[v]:
            if u not in numbered:
                weight[u] += 1
    pos = {v: i for i, v in enumerate(order)}
    for v in order:
        earlier = [u for u in adj[v] if pos[u] < pos[v]]
        if earlier:
            parent = max(earlier, key=lambda u: pos[u])
            if any(u != parent and u not in adj[parent] for u in earlier):
                return False
    return True


@lru_cache(maxsize=8)
def decomposable_graphs(p: int) -> tuple[tuple[tuple[Clique, ...], tuple[Clique, ...]], ...]:
    """All decomposable graphs on ``p`` vertices as (cliques, non-empty separators).

    Examples
    --------
    >>> [len(decomposable_graphs(p)) for p in (3, 4, 5)]
    [8, 61, 822]
    """
    edges = list(itertools.combinations(range(p), 2))
    out = []
    for r in range(len(edges) + 1):
        for es in itertools.combinations(edges, r):
            adj: list[set[int]] = [set() for _ in range(p)]
            for a, b in es:
                adj[a].add(b)
                adj[b].add(a)
            if not _is_chordal(p, adj):
                continue
            cliques: list[tuple[int, ...]] = []
            for size in range(p, 0, -1):
                for c in itertools.combinations(range(p), size):
                    if all(b in adj[a] for a, b in itertools.combinations(c, 2)) and not any(
                        set(c) <= set(d) for d in cliques
                    ):
                        cliques.append(c)
            # junction tree: maximum-weight spanning tree on clique intersections (Prim)
            seps = []
            in_tree = {0}
            while len(in_tree) < len(cliques):
                best = max(
                    (
                        (len(set(cliques[i]) & set(cliques[j])), i, j)
                        for i in in_tree
                        for j in range(len(cliques))
                        if j not in in_tree
                    ),
                )
                _, i, j = best
                s = tuple(sorted(set(cliques[i]) & set(cliques[j])))
                if s:
                    seps.append(s)
                in_tree.add(j)
            out.append((tuple(sorted(cliques)), tuple(sorted(seps))))
    return tuple(out)


def _log_posterior_parts(
    table: np.ndarray, p: int, delta: float, missing: np.ndarray
) -> dict[Clique, np.ndarray]:
    """ML(C) for every non-empty subset C of lists, as a function of the number missing."""
    full = table.astype(float).reshape((2,) * p)
    n = table.sum()
    a_tot = delta * 2**p
    denom = gammaln(a_tot) - gammaln(n + missing + a_tot)
    parts: dict[Clique, np.ndarray] = {}
    for size in range(1, p + 1):
        for c in itertools.combinations(range(p), size):
            other = tuple(j for j in range(p) if j not in c)
            marg = full.sum(axis=other).ravel()  # index 0 = nobody in C captured
            alpha = delta * 2 ** (p - size)
            const = float(np.sum(gammaln(marg[1:] + alpha)) - (2**size) * gammaln(alpha))
            parts[c] = const + gammaln(marg[0] + missing + alpha) + denom
    return parts


@dataclass(frozen=True)
class DGA:
    """Bayesian model averaging over decomposable graphs (Madigan & York 1997; R's dga).

    Parameters
    ----------
    delta
        Prior count per cell of the full table; ``None`` = ``2**-p`` (total prior weight 1,
        the setting of the reference runs).
    max_missing
        Largest number of unobserved people considered; ``None`` = ``max_missing_multiple``
        times the observed.
    max_missing_multiple
        See ``max_missing``.
    level
        Credible interval level.
    n_draws, seed
        Draws of N from the posterior kept on the result, so strata can be summed.
    log_prior
        ``None`` for dga's default ``-log(N)``; else a function of an array of N returning
        the log prior (up to a constant), e.g. the negative binomial of dga's example.
    min_missing
        Smallest number of unobserved people considered (dga's example uses 1).

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(
    ...     ["BC", "DC", "MR"], [[1,1,1],[1,1,0],[1,0,1],[1,0,0],[0,1,1],[0,1,0],[0,0,1]],
    ...     [12, 142, 112, 247, 4, 49, 60])
    >>> DGA(max_missing_multiple=5).fit(h).total
    731.0
    """

    delta: float | None = None
    max_missing: int | None = None
    max_missing_multiple: float = 20.0
    level: float = 0.95
    n_draws: int = 20_000
    seed: int | None = 0
    log_prior: Callable[[np.ndarray], np.ndarray] | None = None
    min_missing: int = 0

    def fit(self, histories: CaptureHistories) -> Estimate:
        """Posterior of N averaged over all decomposable graphs; returns a new Estimate."""
        h = histories
        check_identifiable(h)
        p = h.n_lists
        if not 3 <= p <= 5:
            raise EstimationError(
                f"dga averages over decomposable graphs for 3 to 5 lists; these histories "
                f"have {p}.",
                hint="Merge lists (5 at most) or use the lcmcr or loglinear method.",
                wording=Wording.of("estimate_reason.dga_lists", n=float(p)),
            )
        notes = Notes()
        _warn_isolated(h, notes)
        n = h.observed
        delta = self.delta if self.delta is not None else 2.0**-p
        max_missing = (
            self.max_missing if self.max_missing is not None
            else math.ceil(self.max_missing_multiple * n)
        )
        missing = np.arange(self.min_missing, max_missing + 1, dtype=float)
        table = h.full_table()
        parts = _log_posterior_parts(table, p, delta, missing)
        log_prior = (
            -np.log(n + missing) if self.log_prior is None
            else np.asarray(self.log_prior(n + missing), dtype=float)
        )
        common = (
            gammaln(n + missing + 1) - gammaln(missing + 1) - float(gammaln(table[1:] + 1).sum())
            + log_prior
        )
        graphs = decomposable_graphs(p)
        # One pass with a running log-sum-exp: keeping every graph's curve would take
        # graphs x range floats (4 GB for 5 lists and 650,000 values of N).
        post_n = np.zeros_like(missing)
        peak = -np.inf
        log_mass = np.empty(len(graphs))
        zero = np.zeros_like(missing)
        for g, (cliques, seps) in enumerate(graphs):
            lw = common + sum(parts[c] for c in cliques) - sum((parts[s] for s in seps), zero)
            top = float(lw.max())
            if top > peak:
                post_n *= math.exp(peak - top) if math.isfinite(peak) else 0.0
                peak = top
            w = np.exp(lw - peak)
            post_n += w
            log_mass[g] = math.log(float(w.sum())) + peak if w.any() else -np.inf
        log_total = math.log(float(post_n.sum())) + peak
        post_n /= post_n.sum()
        graph_mass = np.exp(log_mass - log_total)
        cs = np.cumsum(post_n)
        values = n + missing

        def q(level: float) -> float:
            return float(values[min(int(np.searchsorted(cs, level, side="right")), len(cs) - 1)])

        lo_p, hi_p = (1 - self.level) / 2, (1 + self.level) / 2
        median = q(0.5)
        low, high = q(lo_p), q(hi_p)
        tail = float(post_n[int(0.9 * len(post_n)):].sum())
        if tail > 1e-3:
            notes.warn(
                f"{tail:.1%} of the posterior lies in the top tenth of the range of unobserved "
                f"counts considered (0 to {max_missing:,}); the upper end is set by that "
                "truncation, not by the data. Raise max_missing to see how far it goes.",
                wording=Wording.of("estimate_warning.truncated_posterior", tail=tail,
                                   max_missing=int(max_missing)),
            )
        order = np.argsort(-graph_mass)
        top_models = [
            {
                "cliques": ["*".join(h.lists[j] for j in c) for c in graphs[g][0]],
                "probability": float(graph_mass[g]),
            }
            for g in order[:5]
        ]
        rng = np.random.default_rng(self.seed)
        draws = rng.choice(values, size=self.n_draws, p=post_n) if self.n_draws else None
        return Estimate(
            method="dga",
            stratum=h.stratum,
            lists=h.lists,
            observed=n,
            total=median,
            interval=Interval(low, high),
            level=self.level,
            interval_kind="equal-tailed posterior credible interval",
            notes=tuple(notes), wordings=notes.wordings,
            assumptions=_ASSUMPTIONS,
            settings={
                "delta": delta,
                "max_missing": max_missing,
                "log_prior_n": "-log(N)" if self.log_prior is None else "user-supplied",
                "min_missing": self.min_missing,
                "level": self.level,
                "seed": self.seed,
            },
            diagnostics={
                "posterior_mean": float(np.sum(values * post_n)),
                "posterior_mode": float(values[int(np.argmax(post_n))]),
                "graphs": len(graphs),
                "top_model_probability": float(graph_mass[order[0]]),
                "top_models": top_models,
                "mass_in_top_tenth": tail,
            },
            draws=draws,
            synthetic=h.synthetic,
        )


def _warn_isolated(h: CaptureHistories, notes: Notes) -> None:
    for name, on in h.isolated_lists():
        notes.warn(
            f"List {name} ({on:,} people) shares no one with any other list; the posterior "
            "for N is then driven by the prior and the range of N allowed.",
            wording=Wording.of("estimate_warning.isolated_list_dga", name=name, on=int(on)),
        )

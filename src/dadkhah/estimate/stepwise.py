"""Stepwise log-linear selection for sparse lists (SparseMSE ``estimatepopulation.0``).

Chan, Silverman and Vincent (2021) start from the main-effects model and add two-list
interactions one at a time.  For a candidate pair ``(i, j)`` the number of people on both
lists is compared with its Poisson distribution under the current model (mean = the fitted
count of that overlap); the pair with the smallest one-sided p-value is added if that p-value
is below ``pthresh`` and the enlarged model passes two checks: the maximum-likelihood estimate
exists (the linear program of Fienberg & Rinaldo 2012) and the model is identifiable (full
rank).  A pair whose overlap is empty enters by dropping the cells that hold both lists.  The
interval is Wald on the log of the unobserved count.

References
----------
Chan, L., Silverman, B. W. and Vincent, K. (2021). Multiple systems estimation for sparse
capture data: inferential challenges when there are nonoverlapping lists. *Journal of the
American Statistical Association* 116(535), 1297–1306.
Fienberg, S. E. and Rinaldo, A. (2012). Maximum likelihood estimation in log-linear models.
*Annals of Statistics* 40, 996–1023.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from dadkhah.errors import EstimationError, Wording
from dadkhah.estimate._checks import Notes, check_identifiable
from dadkhah.estimate._glm import fit_poisson
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate, Interval
from dadkhah.estimate.loglinear import _cells

__all__ = ["Stepwise"]

_DEPENDENCE = ("Lists are independent except for the two-list interactions selected "
               "step by step; there are no interactions among three or more lists.")

Pair = tuple[int, int]


def _model(cells: np.ndarray, y: np.ndarray, pairs: list[Pair]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Rows kept, design and counts for a model; pairs with empty overlap drop their cells.

    Returns (row mask, design over kept rows, counts over kept rows, number of empty pairs).
    """
    keep = np.ones(len(y), dtype=bool)
    effective = []
    empty = 0
    for i, j in pairs:
        both = (cells[:, i] * cells[:, j]) > 0
        if y[both].sum() == 0:
            keep &= ~both
            empty += 1
        else:
            effective.append((i, j))
    cols = [np.ones(int(keep.sum()))] + [cells[keep, k] for k in range(cells.shape[1])]
    cols += [cells[keep, i] * cells[keep, j] for i, j in effective]
    return keep, np.column_stack(cols), y[keep], empty


def _mle_exists(x: np.ndarray, y: np.ndarray) -> bool:
    """Fienberg–Rinaldo: is there a strictly positive table with the same margins?"""
    nobs = x.shape[0]
    # variables: cell values (>= 0) and t; maximise t subject to X'm = X'y and m_i >= t
    c = np.zeros(nobs + 1)
    c[-1] = -1.0
    a_eq = np.hstack([x.T, np.zeros((x.shape[1], 1))])
    b_eq = x.T @ y
    a_ub = np.hstack([-np.eye(nobs), np.ones((nobs, 1))])
    res = optimize.linprog(c, A_ub=a_ub, b_ub=np.zeros(nobs), A_eq=a_eq, b_eq=b_eq,
                           bounds=[(0, None)] * (nobs + 1), method="highs")
    return bool(res.status == 0 and -res.fun > 1e-9)


def _check(cells: np.ndarray, y: np.ndarray, pairs: list[Pair]) -> bool:
    _, x, yk, _ = _model(cells, y, pairs)
    if np.linalg.matrix_rank(x) < x.shape[1]:
        return False
    return _mle_exists(x, yk)


@dataclass(frozen=True)
class Stepwise:
    """Stepwise two-list interactions by Poisson p-values (SparseMSE's default method).

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(
    ...     ["BC", "DC", "MR"], [[1,1,1],[1,1,0],[1,0,1],[1,0,0],[0,1,1],[0,1,0],[0,0,1]],
    ...     [12, 142, 112, 247, 4, 49, 60])
    >>> e = Stepwise().fit(h)
    >>> e.diagnostics["interactions"], round(e.total, 1)
    (['DC:MR'], 730.9)
    """

    pthresh: float = 0.02
    level: float = 0.95

    def fit(self, histories: CaptureHistories) -> Estimate:
        h = histories
        check_identifiable(h)
        notes = Notes()
        j = h.n_lists
        cells = _cells(j)[1:]
        y = h.full_table()[1:].astype(float)
        candidates = list(itertools.combinations(range(j), 2))
        nstar = {p: float(y[(cells[:, p[0]] * cells[:, p[1]]) > 0].sum()) for p in candidates}
        chosen: list[Pair] = []
        keep, x, yk, _ = _model(cells, y, chosen)
        fit = fit_poisson(x, yk, maxiter=100, tol=1e-12)
        while len(chosen) < len(candidates):
            best_p, best_pair = 1.0, None
            for pair in candidates:
                if pair in chosen:
                    continue
                both = (cells[keep, pair[0]] * cells[keep, pair[1]]) > 0
                mean = float(fit.mu[both].sum())
                k = nstar[pair]
                p = min(stats.poisson.cdf(k, mean), stats.poisson.sf(k - 1, mean))
                if p < best_p and p < self.pthresh and _check(cells, y, [*chosen, pair]):
                    best_p, best_pair = p, pair
            if best_pair is None:
                break
            chosen.append(best_pair)
            keep, x, yk, _ = _model(cells, y, chosen)
            fit = fit_poisson(x, yk, maxiter=100, tol=1e-12, with_cov=True)
        fit = fit_poisson(x, yk, maxiter=100, tol=1e-12, with_cov=True)
        if not fit.converged or fit.cov is None or not np.isfinite(fit.cov[0, 0]):
            raise EstimationError(
                "The stepwise log-linear model did not converge on this table.",
                hint="Merge lists or use another method.",
                wording=Wording.of("estimate_reason.stepwise_no_convergence"),
            )
        n = h.observed
        f0 = math.exp(fit.beta[0])
        sd = math.sqrt(max(fit.cov[0, 0], 0.0))
        z = stats.norm.ppf(0.5 + self.level / 2)
        _warn_isolated(h, notes)
        empty = [p for p in chosen if nstar[p] == 0]
        names = [f"{h.lists[a]}:{h.lists[b]}" for a, b in chosen if (a, b) not in empty]
        empty_names = [f"{h.lists[a]}:{h.lists[b]}" for a, b in empty]
        return Estimate(
            method="stepwise",
            stratum=h.stratum,
            lists=h.lists,
            observed=n,
            total=n + f0,
            interval=Interval(n + f0 * math.exp(-z * sd), n + f0 * math.exp(z * sd)),
            level=self.level,
            interval_kind="Wald on the log of the unobserved count",
            notes=tuple(notes), wordings=notes.wordings,
            assumptions=(
                "The population is closed: everyone counted could have been on every list.",
                _DEPENDENCE,
                "Records were matched correctly across lists.",
            ),
            settings={"pthresh": self.pthresh, "level": self.level},
            diagnostics={
                "interactions": names,
                "empty_overlaps": empty_names,  # in the model by dropping their cells
                "se_log_unobserved": sd,
            },
            synthetic=h.synthetic,
        )


def _warn_isolated(h: CaptureHistories, notes: Notes) -> None:
    for name, on in h.isolated_lists():
        notes.warn(
            f"List {name} ({on:,} people) shares no one with any other list; the estimate "
            "rests wholly on the assumption that it is independent of the others.",
            wording=Wording.of("estimate_warning.isolated_list_stepwise", name=name,
                               on=int(on)),
        )

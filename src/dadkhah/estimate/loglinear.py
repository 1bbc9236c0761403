"""Hierarchical log-linear models for three or more lists (Rcapture ``closedpMS.t`` style).

The observed part of the ``2**J`` contingency table (every cell but "on no list") is fitted by
a Poisson GLM, ``log E[n_x] = u + sum_j u_j x_j + sum_{terms} u_T prod_{j in T} x_j``; the
unobserved count is ``exp(u)``.  Every hierarchical model with interactions up to
``max_order`` (never the ``J``-way term, which is not identifiable) is fitted, models whose
maximum-likelihood estimate does not exist (fitted rates driven to 0, no convergence) are set
aside, and the one with the lowest AIC or BIC is chosen, or the models are averaged with
Akaike/Schwarz weights.

The interval is the profile-likelihood interval of Cormack (1992) as in Rcapture's
``closedpCI.t``: for each candidate N the model is fitted to the complete table with the
unobserved cell set to ``N - n``, and the multinomial log-likelihood
``log N! - log (N - n)! + sum_x n_x log(mu_x / N)`` is compared with its maximum.

References
----------
Fienberg, S. E. (1972). The multiple recapture census for closed populations and incomplete
2^k contingency tables. *Biometrika* 59, 591–603.
Cormack, R. M. (1992). Interval estimation for mark-recapture studies of closed populations.
*Biometrics* 48, 567–576.
Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for capture-recapture in
R. *Journal of Statistical Software* 19(5).
Buckland, S. T., Burnham, K. P. and Augustin, N. H. (1997). Model selection: an integral part
of inference. *Biometrics* 53, 603–618.
Turek, D. and Fletcher, D. (2012). Model-averaged Wald confidence intervals. *Computational
Statistics & Data Analysis* 56, 2809–2815.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import optimize, stats
from scipy.special import gammaln

from dadkhah.errors import EstimationError, InsufficientOverlap, Wording
from dadkhah.estimate._checks import Notes, check_identifiable
from dadkhah.estimate._glm import fit_poisson, fit_statsmodels
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate, Interval

__all__ = ["LogLinear", "LogLinearModel", "fit_loglinear_model", "hierarchical_models"]

Term = tuple[int, ...]

_ASSUMPTIONS = (
    "The population is closed: everyone counted could have been on every list.",
    (
        "Dependence between lists is captured by the chosen interactions; in particular "
        "there is no interaction among all lists at once (it cannot be estimated)."
    ),
    "Records were matched correctly across lists.",
)

# An unobserved count this many times the observed one is not an estimate but a symptom.
_RUNAWAY = 1000.0


@dataclass(frozen=True, order=True)
class LogLinearModel:
    """A hierarchical log-linear model: its interaction terms (main effects are implied)."""

    terms: tuple[Term, ...]

    def generators(self, n_lists: int) -> tuple[Term, ...]:
        """Maximal terms, including lone main effects (Rcapture's ``[123,14,34]``)."""
        all_terms = list(self.terms) + [(j,) for j in range(n_lists)]
        gens = [
            t for t in all_terms
            if not any(set(t) < set(u) for u in all_terms)
        ]
        return tuple(sorted(gens, key=lambda t: (t[0], len(t), t)))

    def name(self, n_lists: int) -> str:
        """Rcapture's notation, lists numbered from 1: ``[123,14,34]``."""
        gens = self.generators(n_lists)
        return "[" + ",".join("".join(str(j + 1) for j in g) for g in gens) + "]"

    def formula(self, lists: Sequence[str]) -> str:
        """Readable model: ``EXH*ABA*OSCE + EXH*HRW + OSCE*HRW``."""
        gens = self.generators(len(lists))
        return " + ".join("*".join(lists[j] for j in g) for g in gens)


def hierarchical_models(n_lists: int, max_order: int = 2) -> list[LogLinearModel]:
    """All hierarchical models with interactions of order 2..``max_order``.

    The ``n_lists``-way interaction is never included (it is not identifiable).

    Examples
    --------
    >>> len(hierarchical_models(3)), len(hierarchical_models(4)), len(hierarchical_models(4, 3))
    (8, 64, 113)
    """
    max_order = min(max_order, n_lists - 1)
    return [LogLinearModel(t) for t in _enumerate(n_lists, max_order)]


def _model_count(n_lists: int, max_order: int) -> float:
    """How many models the search would fit, without enumerating huge families."""
    order = min(max_order, n_lists - 1)
    if order <= 1:
        return 1
    if order == 2:
        return 2.0 ** math.comb(n_lists, 2)
    if n_lists <= 5:
        return len(_enumerate(n_lists, order))
    return math.inf


@lru_cache(maxsize=16)
def _enumerate(n_lists: int, max_order: int) -> tuple[tuple[Term, ...], ...]:
    out: list[tuple[Term, ...]] = []

    def rec(level: int, chosen: tuple[Term, ...], prev_level: set[Term]) -> None:
        if level > max_order:
            out.append(chosen)
            return
        cands = [
            c for c in itertools.combinations(range(n_lists), level)
            if all(s in prev_level for s in itertools.combinations(c, level - 1))
        ]
        for r in range(len(cands) + 1):
            for sub in itertools.combinations(cands, r):
                if not sub and level < max_order:
                    # nothing at this level: nothing can be added above it either
                    out.append(chosen)
                    continue
                rec(level + 1, chosen + sub, set(sub))

    rec(2, (), {(j,) for j in range(n_lists)})
    return tuple(sorted(set(out), key=lambda t: (len(t), t)))


@lru_cache(maxsize=64)
def _cells(n_lists: int) -> np.ndarray:
    """0/1 matrix of all 2**J patterns, row index = binary number, first list = MSB."""
    idx = np.arange(1 << n_lists)
    return ((idx[:, None] >> np.arange(n_lists - 1, -1, -1)) & 1).astype(float)


@lru_cache(maxsize=64)
def _term_column(n_lists: int, term: Term) -> np.ndarray:
    return np.asarray(np.prod(_cells(n_lists)[:, list(term)], axis=1), dtype=float)


def design(n_lists: int, terms: Sequence[Term], *, with_zero: bool = False) -> np.ndarray:
    """Design matrix: intercept, main effects, then one column per interaction term."""
    cells = _cells(n_lists)
    x = np.empty((len(cells), 1 + n_lists + len(terms)))
    x[:, 0] = 1.0
    x[:, 1 : 1 + n_lists] = cells
    for i, t in enumerate(terms):
        x[:, 1 + n_lists + i] = _term_column(n_lists, tuple(t))
    return x if with_zero else x[1:]


@dataclass(frozen=True)
class _Fitted:
    model: LogLinearModel
    f0: float
    loglik: float
    k: int
    aic: float
    bic: float
    ok: bool
    reason: str
    se_log_f0: float


def _fit_model(model: LogLinearModel, y: np.ndarray, n_lists: int, n: int) -> _Fitted:
    x = design(n_lists, model.terms)
    fit = fit_poisson(x, y, with_cov=True)
    k = x.shape[1]
    f0 = float(math.exp(min(fit.beta[0], 700.0)))
    reason = ""
    if not fit.converged:
        reason = "did not converge"
    elif fit.boundary:
        reason = "maximum-likelihood estimate does not exist (fitted rates numerically 0)"
    se = float(math.sqrt(fit.cov[0, 0])) if fit.cov is not None and fit.cov[0, 0] > 0 else math.nan
    return _Fitted(
        model=model, f0=f0, loglik=fit.loglik, k=k,
        aic=-2 * fit.loglik + 2 * k, bic=-2 * fit.loglik + k * math.log(n),
        ok=not reason, reason=reason, se_log_f0=se,
    )


def profile_interval(
    y: np.ndarray, n_lists: int, terms: Sequence[Term], level: float = 0.95
) -> tuple[Interval, float, bool]:
    """Profile-likelihood interval for N; returns (interval, profile maximiser, open_ended)."""
    return profile_interval_design(y, design(n_lists, terms, with_zero=True), level)


def profile_interval_design(
    y: np.ndarray, x: np.ndarray, level: float = 0.95
) -> tuple[Interval, float, bool]:
    """Profile-likelihood interval for any log-linear design ``x`` over all ``2**J`` cells
    (row 0 = the unobserved cell; column 0 the intercept)."""
    n = float(y.sum())
    full = np.concatenate([[0.0], y])

    def loglik(f0: float) -> float:
        full[0] = f0
        mu = fit_poisson(x, full, tol=1e-12, maxiter=200).mu
        total = n + f0
        pos = full > 0
        return float(
            gammaln(total + 1) - gammaln(f0 + 1) + np.sum(full[pos] * np.log(mu[pos] / total))
        )

    crit = float(stats.chi2.ppf(level, 1)) / 2
    # bracket the maximum on a log grid, then refine
    grid = np.concatenate([[0.0], n * np.logspace(-4, math.log10(_RUNAWAY), 60)])
    ll = np.array([loglik(g) for g in grid])
    i = int(np.argmax(ll))
    lo_b, hi_b = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    if hi_b > lo_b:
        res = optimize.minimize_scalar(
            lambda f: -loglik(f), bounds=(lo_b, hi_b), method="bounded",
            options={"xatol": 1e-6 * max(1.0, hi_b)},
        )
        f_hat, l_max = float(res.x), -float(res.fun)
        if ll[i] > l_max:
            f_hat, l_max = float(grid[i]), float(ll[i])
    else:
        f_hat, l_max = float(grid[i]), float(ll[i])

    def g(f: float) -> float:
        return l_max - loglik(f) - crit

    lower = 0.0 if g(0.0) <= 0 else optimize.brentq(g, 0.0, f_hat, xtol=1e-6)
    j = int(np.argmax((grid > f_hat) & (l_max - ll > crit))) if np.any(
        (grid > f_hat) & (l_max - ll > crit)
    ) else -1
    if j < 0:
        return Interval(n + lower, math.inf), n + f_hat, True
    upper = optimize.brentq(g, f_hat, grid[j], xtol=1e-6)
    return Interval(n + lower, n + upper), n + f_hat, False


_PROFILE_KIND = "profile likelihood (Cormack 1992)"
"""The ``interval_kind`` of an estimate whose interval is :func:`profile_interval`'s."""


def _bounded_profile(y: np.ndarray, x: np.ndarray, level: float,
                    label: str) -> tuple[Interval, float]:
    """:func:`profile_interval_design` for the model ``label`` (its interval and profile
    maximiser), refusing an interval with no upper end: the lists then overlap too little
    for this model (closed-population and log-linear models alike)."""
    interval, profile_max, open_ended = profile_interval_design(y, x, level)
    if open_ended:
        raise EstimationError(
            f"Model {label}: the profile-likelihood interval has no upper end.",
            hint="The lists overlap too little for this model.",
        )
    return interval, profile_max


def _model_estimate(h: CaptureHistories, *, method: str, total: float, interval: Interval,
                   level: float, notes: Notes, assumptions: tuple[str, ...],
                   settings: dict[str, object], diagnostics: dict[str, object],
                   interval_kind: str = _PROFILE_KIND, clamp: bool = True) -> Estimate:
    """The :class:`Estimate` of one fitted model on ``h`` (its stratum, lists, observed count
    and synthetic flag), the interval widened to hold ``total`` unless ``clamp`` is off."""
    if clamp:
        interval = Interval(min(interval.low, total), max(interval.high, total))
    return Estimate(
        method=method,
        stratum=h.stratum,
        lists=h.lists,
        observed=h.observed,
        total=total,
        interval=interval,
        level=level,
        interval_kind=interval_kind,
        notes=tuple(notes),
        wordings=notes.wordings,
        assumptions=assumptions,
        settings=settings,
        diagnostics=diagnostics,
        synthetic=h.synthetic,
    )


def _mata_interval(fits: Sequence[_Fitted], w: np.ndarray, n: int, level: float) -> Interval:
    """Model-averaged tail-area Wald interval on log(f0) (Turek & Fletcher 2012)."""
    lf = np.log([f.f0 for f in fits])
    se = np.array([f.se_log_f0 for f in fits])
    se = np.where(np.isfinite(se) & (se > 0), se, 1e-9)
    a = (1 - level) / 2

    # lower end L: sum_i w_i P(Z < (log L - log f0_i) / se_i) = a; upper end symmetric
    def tail_low(log_l: float) -> float:
        return float(np.sum(w * stats.norm.cdf((log_l - lf) / se))) - a

    def tail_high(log_u: float) -> float:
        return float(np.sum(w * stats.norm.sf((log_u - lf) / se))) - a

    span = 10 * float(se.max()) + 1
    lo = optimize.brentq(tail_low, lf.min() - span, lf.max() + span)
    hi = optimize.brentq(tail_high, lf.min() - span, lf.max() + span)
    return Interval(n + math.exp(lo), n + math.exp(hi))


@dataclass(frozen=True)
class LogLinear:
    """Hierarchical log-linear models selected by AIC or BIC, or model-averaged.

    Parameters
    ----------
    max_order
        Highest interaction order (2 = two-way; Rcapture's ``maxorder``).
    criterion
        ``"bic"`` or ``"aic"``.
    average
        False: report the best model and its profile-likelihood interval.  True: average the
        estimates with weights ``exp(-Δ/2)`` and give a model-averaged tail-area interval.
    level
        Interval level.
    max_models
        Refuse an exhaustive search over more models than this.

    Examples
    --------
    >>> import io
    >>> csv = ("A,B,C,count\\n1,1,1,12\\n1,1,0,142\\n1,0,1,112\\n1,0,0,247\\n"
    ...        "0,1,1,4\\n0,1,0,49\\n0,0,1,60\\n")
    >>> est = LogLinear(criterion="bic").fit(CaptureHistories.from_csv(io.StringIO(csv)))
    >>> est.diagnostics["model"], round(est.total, 1)
    ('[1,23]', 730.9)
    """

    max_order: int = 2
    criterion: str = "bic"
    average: bool = False
    level: float = 0.95
    max_models: int = 40000

    def fit(self, histories: CaptureHistories) -> Estimate:
        """Estimate N from the histories; returns a new :class:`Estimate`."""
        if self.criterion not in ("aic", "bic"):
            raise ValueError(f"criterion must be 'aic' or 'bic', got {self.criterion!r}")
        h = histories
        check_identifiable(h)
        j = h.n_lists
        _check_isolated(h)
        count = _model_count(j, self.max_order)
        if count > self.max_models:
            raise EstimationError(
                f"{count:.3g} hierarchical models for {j} lists at max_order="
                f"{self.max_order}; the exhaustive search is limited to {self.max_models}.",
                hint="Lower max_order, merge small lists, or raise max_models.",
            )
        models = hierarchical_models(j, self.max_order)
        n = h.observed
        y = h.full_table()[1:].astype(float)
        fits = [_fit_model(m, y, j, n) for m in models]
        good = [f for f in fits if f.ok]
        notes = Notes()
        if not good:
            raise EstimationError(
                f"None of the {len(fits)} log-linear models has a maximum-likelihood estimate "
                f"on this table ({n} people on {j} lists): the overlaps are too sparse.",
                hint="Merge lists, pool strata, or use a Bayesian method (lcmcr, dga) and read "
                "its prior sensitivity.",
                wording=Wording.of("estimate_reason.loglinear_no_mle", models=float(len(fits)),
                                   people=float(n), lists=float(j)),
            )
        def crit(f: _Fitted) -> float:
            return f.aic if self.criterion == "aic" else f.bic

        good.sort(key=crit)
        best = good[0]
        ic = np.array([crit(f) for f in good])
        w = np.exp(-(ic - ic[0]) / 2)
        w /= w.sum()
        other = "aic" if self.criterion == "bic" else "bic"
        best_other = min(good, key=lambda f: getattr(f, other))
        avg_total = n + float(np.sum(w * np.array([f.f0 for f in good])))

        if best.f0 > _RUNAWAY * n:
            raise EstimationError(
                f"The best log-linear model {best.model.name(j)} puts {best.f0:.3g} people "
                f"on no list, more than {_RUNAWAY:.0f} times the {n} observed: the estimate "
                "runs away, so the table does not identify N.",
                hint="The lists overlap too little; merge lists or report the documented count.",
                wording=Wording.of("estimate_reason.loglinear_runaway",
                                   model=best.model.name(j), unseen=float(best.f0),
                                   times=float(_RUNAWAY), people=float(n)),
            )
        interval, profile_max, open_ended = profile_interval(y, j, best.model.terms, self.level)
        if open_ended:
            raise EstimationError(
                f"The profile-likelihood interval of the best model {best.model.name(j)} "
                f"(estimate {n + best.f0:,.0f}) has no upper end below "
                f"{_RUNAWAY:.0f} times the observed {n}: the data do not bound N from above.",
                hint="The lists overlap too little; merge lists or report the documented count.",
                wording=Wording.of("estimate_reason.loglinear_unbounded",
                                   model=best.model.name(j), total=float(n + best.f0),
                                   times=float(_RUNAWAY), people=float(n)),
            )
        # statsmodels refit of the chosen model, for its standard error
        beta, cov, _ = fit_statsmodels(design(j, best.model.terms), y)
        f0_sm = math.exp(beta[0])
        # Rcapture's standard error: delta method on exp(u) plus the Poisson variance of the
        # unobserved count itself
        se_total = math.sqrt(f0_sm**2 * max(cov[0, 0], 0.0) + f0_sm)
        total = n + f0_sm

        if len(good) > 1:
            second = good[1]
            d = crit(second) - crit(best)
            rel = abs(second.f0 - best.f0) / (n + best.f0)
            if d < 2 and rel > 0.1:
                notes.warn(
                    f"Model uncertainty: the second-best model {second.model.name(j)} is within "
                    f"{d:.2f} {self.criterion.upper()} points and gives {n + second.f0:,.0f} "
                    f"instead of {total:,.0f}. Report both, or use the model-averaged figure "
                    f"({avg_total:,.0f}).",
                    wording=Wording.of(
                        "estimate_warning.model_uncertainty", model=second.model.name(j),
                        difference=float(d), criterion=self.criterion.upper(),
                        second=float(n + second.f0), total=float(total),
                        average=float(avg_total)),
                )
        skipped = len(fits) - len(good)
        if skipped:
            notes.append(
                f"{skipped} of {len(fits)} models were set aside because their "
                "maximum-likelihood estimate does not exist or did not converge."
            )

        if self.average:
            total = avg_total
            interval = _mata_interval(good, w, n, self.level)
            kind = "model-averaged tail-area Wald (Turek & Fletcher 2012)"
        else:
            kind = _PROFILE_KIND

        top = [
            {
                "model": f.model.name(j),
                "formula": f.model.formula(h.lists),
                "total": n + f.f0,
                "aic": f.aic,
                "bic": f.bic,
                "weight": float(wi),
            }
            for f, wi in list(zip(good, w, strict=True))[:10]
        ]
        return _model_estimate(
            h,
            method="loglinear",
            total=total,
            interval=interval,
            level=self.level,
            interval_kind=kind,
            clamp=not self.average,
            notes=notes,
            assumptions=_ASSUMPTIONS,
            settings={
                "max_order": self.max_order,
                "criterion": self.criterion,
                "average": self.average,
                "level": self.level,
            },
            diagnostics={
                "model": best.model.name(j),
                "formula": best.model.formula(h.lists),
                "interactions": [[h.lists[i] for i in g]
                                 for g in best.model.generators(j) if len(g) > 1],
                "best_total": n + best.f0,
                "se": se_total,
                "profile_maximum": profile_max,
                f"best_{other}_model": best_other.model.name(j),
                f"best_{other}_total": n + best_other.f0,
                "model_averaged_total": avg_total,
                "models_fitted": len(fits),
                "models_compared": len(good),
                "top_models": top,
            },
        )


def fit_loglinear_model(
    histories: CaptureHistories,
    interactions: Sequence[Sequence[str]] = (),
    *,
    level: float = 0.95,
) -> Estimate:
    """Fit one given log-linear model (no search), with its profile-likelihood interval.

    ``interactions`` names the interaction terms by list, e.g. ``[("c1", "c2")]``; all
    lower-order terms they imply are added (the model stays hierarchical).  With no
    interactions this is the independence model, Rcapture's ``Mt``.

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [20, 30, 20])
    >>> round(fit_loglinear_model(h).total, 6)   # two lists: the Lincoln-Petersen estimate
    100.0
    """
    h = histories
    check_identifiable(h)
    j = h.n_lists
    terms: set[Term] = set()
    for inter in interactions:
        idx = tuple(sorted(h.lists.index(x) for x in inter))
        if len(idx) >= j:
            raise EstimationError(
                f"The {j}-way interaction cannot be estimated: it has no degrees of freedom "
                "left for the unobserved cell.",
                hint="Use interactions of lower order.",
            )
        for size in range(2, len(idx) + 1):
            terms.update(itertools.combinations(idx, size))
    model = LogLinearModel(tuple(sorted(terms, key=lambda t: (len(t), t))))
    n = h.observed
    y = h.full_table()[1:].astype(float)
    fitted = _fit_model(model, y, j, n)
    notes = Notes()
    if not fitted.ok:
        raise EstimationError(
            f"Model {model.name(j)}: {fitted.reason}; it gives no finite estimate here.",
            hint="Drop the interactions whose overlaps are empty, or merge lists.",
        )
    if fitted.f0 > _RUNAWAY * n:
        raise EstimationError(
            f"Model {model.name(j)} puts {fitted.f0:.3g} people on no list: the estimate runs "
            "away.",
            hint="The lists overlap too little for this model.",
        )
    interval, profile_max = _bounded_profile(
        y, design(j, model.terms, with_zero=True), level, model.name(j))
    beta, cov, _ = fit_statsmodels(design(j, model.terms), y)
    f0 = math.exp(beta[0])
    return _model_estimate(
        h,
        method="loglinear",
        total=n + f0,
        interval=interval,
        level=level,
        notes=notes,
        assumptions=_ASSUMPTIONS,
        settings={"model": model.name(j), "level": level},
        diagnostics={
            "model": model.name(j),
            "formula": model.formula(h.lists),
            "aic": fitted.aic,
            "bic": fitted.bic,
            "se": math.sqrt(f0**2 * max(cov[0, 0], 0.0) + f0),
            "profile_maximum": profile_max,
        },
    )


def _check_isolated(h: CaptureHistories) -> None:
    """A list that shares no one with any other list cannot be placed by a log-linear model."""
    if h.n_lists < 3:
        return
    ov = h.patterns.sum(axis=1) >= 2
    for i, name in enumerate(h.lists):
        shared = h.counts[ov & (h.patterns[:, i] == 1)].sum()
        on = h.counts[h.patterns[:, i] == 1].sum()
        if on and not shared:
            raise InsufficientOverlap(
                f"List {name} ({on} people) shares no one with any other list, so nothing "
                f"in the overlaps tells how much of the population it covers; log-linear "
                "models then either rest wholly on assumed independence or run away to "
                "infinity.",
                hint=f"Leave {name} out (--lists, or histories.select([...])) and count its "
                "people as documented, or check the linkage of its records.",
                wording=Wording.of("estimate_reason.isolated_list_loglinear", name=name,
                                   on=float(on)),
            )

"""Linkage uncertainty carried into the estimate of the total.

The register is one answer to "which records name the same person"; the linkage model says
how sure it is of each pair.  :func:`combine_linkage_draws` takes the estimate made on the
register as built (*fixed*) and the estimates made on many registers drawn from the pair
probabilities (see :func:`dadkhah.register.draw_registers`), and pools them as multiple
imputations of the unknown true linkage (Sadinle's propagation of record-linkage
uncertainty; HRDAG's practice of re-estimating over plausible matchings): posterior draws
are pooled for Bayesian methods, Rubin's rules on log N combine frequentist ones.

The result keeps both intervals, so a reader sees how much of the width is the linkage's.

A method that chooses a model (log-linear by AIC/BIC, the closed-population models) fits the
model chosen on the register as built to every drawn register (:func:`same_model`), rather
than choosing again on each: drawn registers differ from the register by a few links, and a
choice made afresh flips between near-identical models with totals 10% apart (the demo:
``[14,24,34]`` 4,472 against ``[12,13,14,24,34]`` 4,873), so the flips, not the linkage,
made most of the "share of the width from linkage".  Model uncertainty is real but is not
the linkage's: the sensitivity view and the averaged log-linear model (``average=True``,
fitted as it is on each draw) show it.  Under Rubin's rules the pooled interval keeps the
fixed interval's (profile-likelihood, asymmetric) shape on the log scale, widened by the
factor Rubin's total variance gives, so a certain register gives the fixed interval itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from dadkhah.errors import EstimationError, Wording
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import (
    Estimate,
    Interval,
    Summary,
    WordedSummary,
    _fmt,
    _json_dict,
    _num,
    _w,
    _whole,
)
from dadkhah.estimate.closed import fit_closed_model
from dadkhah.estimate.loglinear import fit_loglinear_model
from dadkhah.estimate.strata import _pool

__all__ = ["LinkagePropagated", "combine_linkage_draws", "same_model"]

LINKAGE_ASSUMPTION = (
    "The register is uncertain: the estimate pools registers drawn from the linkage model's "
    "pair probabilities and clustered by the register's own rule (reviewers' decisions "
    "always respected); the interval includes that "
    "uncertainty, but not the error of pairs the model scored below the stored cut or "
    "never compared.")


@dataclass(frozen=True, slots=True)
class LinkagePropagated:
    """An estimate with the linkage's uncertainty carried into it.

    ``estimate``: pooled over ``n_draws`` drawn registers (the number to quote);
    ``fixed``: the same method on the register as built (today's behaviour, narrower);
    ``persons``: documented persons in each drawn register (min, median, max);
    ``linkage_share``: the share of the pooled interval's width that the linkage adds:
    ``1 - width(fixed) / width(pooled)`` (floored at 0) for pooled posterior draws, and
    ``1 - sqrt(within / total variance)`` under Rubin's rules (0 when every drawn register
    gives the same estimate).  The width share says nothing of how far the drawn registers
    move the centre: :attr:`centre_shift` (pooled total over the fixed one, minus 1) and
    :attr:`persons_shift` (median drawn register's persons over the register's, minus 1) do.
    ``register_persons``: persons in the register as built.  ``calibration``: how the draws
    weighed each pair given the register's decision, in one line
    (:class:`~dadkhah.estimate.PairCalibration`), when known; ``calibration_wording``: the
    same as a :class:`~dadkhah.errors.Wording`, for the reader's language.
    """

    estimate: Estimate
    fixed: Estimate
    n_draws: int
    persons: tuple[int, int, int]
    linkage_share: float
    uncertain_pairs: int = 0
    register_persons: int | None = None
    calibration: str | None = None
    calibration_wording: Wording | None = None

    @property
    def total(self) -> float:
        return self.estimate.total

    @property
    def centre_shift(self) -> float:
        """Relative move of the total from the register taken as certain to the pooled one
        (``pooled / fixed - 1``; NaN when the fixed total is 0 or not finite)."""
        f = self.fixed.total
        return self.estimate.total / f - 1.0 if f and math.isfinite(f) else math.nan

    @property
    def persons_shift(self) -> float:
        """Relative difference of the median drawn register's persons from the register's
        (``median / register - 1``; NaN when the register's count is not known)."""
        r = self.register_persons
        return self.persons[1] / r - 1.0 if r else math.nan

    def summary(self) -> Summary:
        """The pooled estimate's summary with the fixed-register interval beside it."""
        base = self.estimate.summary()
        pct = f"{self.estimate.level:.0%}"
        f, e = self.fixed, self.estimate
        lo, mid, hi = self.persons
        rows = (*base.rows,
                (f"{pct} interval, register taken as certain",
                 f"{_fmt(f.interval.low)} to {_fmt(f.interval.high)} (estimate {_fmt(f.total)})"),
                ("Share of the width from linkage", f"{self.linkage_share:.0%}"),
                ("Centre moved by linkage", f"{self.centre_shift:+.1%} (pooled against the "
                 "register taken as certain)"),
                ("Drawn registers",
                 f"{self.n_draws} ({self.uncertain_pairs:,} uncertain pairs); documented "
                 f"persons {lo:,} to {hi:,} (median {mid:,})"
                 + (f"; register as built {self.register_persons:,}"
                    if self.register_persons is not None else "")),
                *((("Pair probabilities", self.calibration),) if self.calibration else ()),
                *((("Model on drawn registers", f"{e.settings.get('model')}, chosen on the "
                    "register as built"),) if e.settings.get("chosen_on") == "register"
                  else ()))
        return Summary(title=f"Estimated population size ({e.method}, linkage uncertainty "
                       "propagated)", header=base.header, rows=rows, footnotes=base.footnotes,
                       banner=base.banner)

    def summary_wordings(self) -> WordedSummary:
        """The :meth:`summary`'s title, header and rows as wordings (its footnotes are the
        pooled estimate's: ``estimate.footnote_wordings()``)."""
        base = self.estimate.summary_wordings()
        f, e = self.fixed, self.estimate
        lo, mid, hi = self.persons
        built = ("" if self.register_persons is None
                 else _w("register_built", persons=int(self.register_persons)))
        rows = (*base.rows,
                (_w("interval_fixed", level=e.level),
                 _w("range_estimate", low=_num(f.interval.low), high=_num(f.interval.high),
                    total=_num(f.total))),
                (_w("linkage_share"), _w("percent", value=float(self.linkage_share))),
                (_w("centre_moved"), _w("centre_moved_value", value=float(self.centre_shift))),
                (_w("drawn"), _w("drawn_value", draws=_whole(self.n_draws),
                                 pairs=int(self.uncertain_pairs), low=int(lo), high=int(hi),
                                 median=int(mid), built=built)),
                *(((_w("pair_probabilities"), self.calibration_wording or self.calibration),)
                  if self.calibration else ()),
                *(((_w("model_drawn"), _w("model_drawn_value", model=str(e.settings.get(
                    "model")))),) if e.settings.get("chosen_on") == "register" else ()))
        return WordedSummary(title=_w("title_propagated", method=e.method),
                             header=base.header, rows=rows, banner=base.banner)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: the pooled estimate's fields, plus ``fixed`` and ``linkage``."""
        d = self.estimate.to_dict()
        d["fixed"] = self.fixed.to_dict()
        d["linkage"] = _json_dict({"draws": self.n_draws, "persons": list(self.persons),
                                   "share_of_width": self.linkage_share,
                                   "centre_shift": self.centre_shift,
                                   "register_persons": self.register_persons,
                                   "uncertain_pairs": self.uncertain_pairs,
                                   "calibration": self.calibration})
        return d

    def __str__(self) -> str:
        return self.summary().as_text()


def _width(e: Estimate) -> float:
    return float(e.interval.high - e.interval.low)


def same_model(fixed: Estimate,
               fit: Callable[[CaptureHistories], Estimate]) -> Callable[[CaptureHistories],
                                                                       Estimate]:
    """The estimator for drawn registers: ``fit`` with its model choice held at the one it
    made on the register as built (``fixed``, the result of ``fit`` on it).

    A log-linear model chosen by AIC or BIC (not averaged) is refitted with the same
    interactions (:func:`~dadkhah.estimate.fit_loglinear_model`, same level); the
    closed-population model chosen (:class:`~dadkhah.estimate.ClosedPopulation`) the same
    way (:func:`~dadkhah.estimate.fit_closed_model`).  Every other method (LCMCR, dga,
    Chapman, the averaged log-linear model, stepwise) is returned as it is: it chooses no
    model, or averages over them.  The histories given to the result must hold the lists
    ``fixed`` was fitted on (merge copied lists first, as for ``fixed``).

    Examples
    --------
    >>> from dadkhah.estimate import LogLinear
    >>> h = CaptureHistories.from_arrays(
    ...     ["A", "B", "C"], [[1,1,1],[1,1,0],[1,0,1],[1,0,0],[0,1,1],[0,1,0],[0,0,1]],
    ...     [12, 142, 112, 247, 4, 49, 60])
    >>> fixed = LogLinear().fit(h)
    >>> same_model(fixed, LogLinear().fit)(h).diagnostics["model"] == fixed.diagnostics["model"]
    True
    """
    s, d = fixed.settings, fixed.diagnostics
    if fixed.method == "loglinear" and "criterion" in s and not s.get("average"):
        inter = [tuple(t) for t in d.get("interactions", ())]
        need = {x for t in inter for x in t}

        def loglinear(h: CaptureHistories) -> Estimate:
            if not need <= set(h.lists):
                raise ValueError(f"drawn histories lack the lists {sorted(need - set(h.lists))} "
                                 "of the register's model (merge the copied lists first)")
            e = fit_loglinear_model(h, inter, level=fixed.level)
            return Estimate(**{**{f: getattr(e, f) for f in Estimate.__dataclass_fields__},
                               "settings": {**dict(e.settings), "chosen_on": "register"}})
        return loglinear
    if fixed.method == "closed" and "models" in d:
        model, _, rest = str(s.get("model", "")).partition(" ")
        het = rest.rstrip("0123456789.") or None
        theta = float(rest[len(het):]) if het and rest[len(het):] else None

        def closed(h: CaptureHistories) -> Estimate:
            return fit_closed_model(h, model, heterogeneity=het, theta=theta,
                                    level=fixed.level)
        return closed
    return fit


def combine_linkage_draws(fixed: Estimate, draws: Sequence[Estimate], *,
                          level: float | None = None, seed: int | None = 0,
                          uncertain_pairs: int = 0,
                          register_persons: int | None = None,
                          calibration: str | None = None,
                          calibration_wording: Wording | None = None) -> LinkagePropagated:
    """Pool estimates made on drawn registers; keep the fixed register's for comparison.

    Every element of ``draws`` must be the same method on one drawn register.  When every
    drawn register is the register as built (no uncertain pair), the pooled interval is the
    fixed one up to Monte Carlo error.  ``register_persons``: persons in the register as
    built (default ``fixed.observed``), to report how far the drawn registers move from it.
    ``calibration`` / ``calibration_wording``: how the draws weighed the pairs, in English
    and as a wording (:attr:`LinkagePropagated.calibration`).

    Examples
    --------
    >>> from dadkhah.estimate import CaptureHistories, chapman
    >>> def h(k):
    ...     return CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]],
    ...                                         [20 - k, 30 + k, 20 + k])
    >>> res = combine_linkage_draws(chapman(h(0)), [chapman(h(k)) for k in (0, 3, 6)])
    >>> res.estimate.interval.high > res.fixed.interval.high, res.linkage_share > 0
    (True, True)
    """
    if not draws:
        raise EstimationError("No drawn register to combine.",
                              hint="Draw at least one register (--draws 1 or more).")
    methods = {d.method for d in draws}
    if len(methods) > 1:
        raise EstimationError(f"Drawn registers were estimated by different methods: "
                              f"{', '.join(sorted(methods))} (a bug).")
    lvl = fixed.level if level is None else level
    # the pooled estimate no longer assumes the matching correct: it carries its uncertainty
    pooled = _pool(list(draws), level=lvl, seed=seed, stratum=fixed.stratum, imputed=None,
                   what="linkage draws", assumption=LINKAGE_ASSUMPTION, matched=False)
    between = pooled.diagnostics.get("between_share")
    if between is not None:
        # Rubin's rules: the width scales with the root of the total variance, of which
        # the within-register part is what a certain register would leave
        share = 1.0 - math.sqrt(max(0.0, 1.0 - float(between)))
        pooled = _fixed_shape(pooled, fixed, float(between))
    else:
        wf, wp = _width(fixed), _width(pooled)
        share = max(0.0, 1.0 - wf / wp) if wp > 0 and math.isfinite(wp) else 0.0
    # kept on the estimate itself, so a stored estimate still shows both intervals
    pooled = Estimate(**{**{f: getattr(pooled, f) for f in Estimate.__dataclass_fields__},
                         "diagnostics": {**dict(pooled.diagnostics), "linkage_share": share,
                                         "fixed_total": fixed.total,
                                         "fixed_low": fixed.interval.low,
                                         "fixed_high": fixed.interval.high,
                                         "centre_shift": (pooled.total / fixed.total - 1.0
                                                          if fixed.total else math.nan)}})
    obs = sorted(d.observed for d in draws)
    persons = (obs[0], int(np.median(obs)), obs[-1])
    return LinkagePropagated(estimate=pooled, fixed=fixed, n_draws=len(draws), persons=persons,
                             linkage_share=share, uncertain_pairs=uncertain_pairs,
                             register_persons=(fixed.observed if register_persons is None
                                               else register_persons),
                             calibration=calibration,
                             calibration_wording=calibration_wording)


def _fixed_shape(pooled: Estimate, fixed: Estimate, between: float) -> Estimate:
    """Rubin's pooled estimate with the fixed interval's shape: each side of the fixed
    interval, on the log scale, times ``t / z · sqrt(T / W)`` (Rubin's t quantile over the
    normal one, root of total over within variance), around the pooled centre.  Equal draws
    give the fixed interval itself; the log-normal Wald interval of ``_pool`` is kept when
    the fixed interval has no finite positive ends."""
    f = fixed.interval
    if not (0 < f.low <= fixed.total <= f.high < math.inf) or between >= 1.0:
        return pooled
    hi_p = (1 + pooled.level) / 2
    df = float(pooled.diagnostics.get("df", math.inf))
    t = float(stats.t.ppf(hi_p, df)) if math.isfinite(df) else float(stats.norm.ppf(hi_p))
    k = t / float(stats.norm.ppf(hi_p)) / math.sqrt(1.0 - between)
    c = math.log(pooled.total)
    low = max(math.exp(c - k * (math.log(fixed.total) - math.log(f.low))),
              float(pooled.observed))
    high = math.exp(c + k * (math.log(f.high) - math.log(fixed.total)))
    kind = pooled.interval_kind + " (the fixed interval's shape, widened)"
    return Estimate(**{**{x: getattr(pooled, x) for x in Estimate.__dataclass_fields__},
                       "interval": Interval(min(low, pooled.total), max(high, pooled.total)),
                       "interval_kind": kind})

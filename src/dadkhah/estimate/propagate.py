"""Linkage uncertainty carried into the estimate of the total.

The register is one answer to "which records name the same person"; the linkage model says
how sure it is of each pair.  :func:`combine_linkage_draws` takes the estimate made on the
register as built (*fixed*) and the estimates made on many registers drawn from the pair
probabilities (see :func:`dadkhah.register.draw_registers`), and pools them as multiple
imputations of the unknown true linkage (Sadinle's propagation of record-linkage
uncertainty; HRDAG's practice of re-estimating over plausible matchings): posterior draws
are pooled for Bayesian methods, Rubin's rules on log N combine frequentist ones.

The result keeps both intervals, so a reader sees how much of the width is the linkage's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dadkhah.errors import EstimationError
from dadkhah.estimate._results import Estimate, Summary, _fmt, _json_dict
from dadkhah.estimate.strata import _pool

__all__ = ["LinkagePropagated", "combine_linkage_draws"]

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
    (:class:`~dadkhah.estimate.PairCalibration`), when known.
    """

    estimate: Estimate
    fixed: Estimate
    n_draws: int
    persons: tuple[int, int, int]
    linkage_share: float
    uncertain_pairs: int = 0
    register_persons: int | None = None
    calibration: str | None = None

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
                *((("Pair probabilities", self.calibration),) if self.calibration else ()))
        return Summary(title=f"Estimated population size ({e.method}, linkage uncertainty "
                       "propagated)", header=base.header, rows=rows, footnotes=base.footnotes,
                       banner=base.banner)

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


def combine_linkage_draws(fixed: Estimate, draws: Sequence[Estimate], *,
                          level: float | None = None, seed: int | None = 0,
                          uncertain_pairs: int = 0,
                          register_persons: int | None = None,
                          calibration: str | None = None) -> LinkagePropagated:
    """Pool estimates made on drawn registers; keep the fixed register's for comparison.

    Every element of ``draws`` must be the same method on one drawn register.  When every
    drawn register is the register as built (no uncertain pair), the pooled interval is the
    fixed one up to Monte Carlo error.  ``register_persons``: persons in the register as
    built (default ``fixed.observed``), to report how far the drawn registers move from it.

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
    pooled = _pool(list(draws), level=lvl, seed=seed, stratum=fixed.stratum, imputed=None,
                   what="linkage draws", assumption=LINKAGE_ASSUMPTION)
    # the pooled estimate no longer assumes the matching correct: it carries its uncertainty
    kept = tuple(a for a in pooled.assumptions if not a.startswith("Records were matched"))
    pooled = Estimate(**{**{f: getattr(pooled, f) for f in Estimate.__dataclass_fields__},
                         "assumptions": kept})
    between = pooled.diagnostics.get("between_share")
    if between is not None:
        # Rubin's rules: the width scales with the root of the total variance, of which
        # the within-register part is what a certain register would leave
        share = 1.0 - math.sqrt(max(0.0, 1.0 - float(between)))
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
                             calibration=calibration)

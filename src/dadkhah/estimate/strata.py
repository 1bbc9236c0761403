"""Estimates per stratum and a total that combines them correctly.

Bayesian estimates (with posterior draws) are combined by summing the strata's draws (the
strata are modelled independently, so the sum of independent draws is a draw of the total).
Frequentist estimates are combined by adding the totals and the variances of the unobserved
counts, with a log-normal interval on the combined unobserved count so it cannot fall below
the number observed.  Strata that cannot be estimated (single list, no overlap, a runaway
estimate) are reported as such and are not silently folded into the total.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from dadkhah.errors import EstimationError
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate, Interval, Summary, _fmt, _stratum_text

__all__ = ["SparseStratum", "StratifiedEstimate", "combine_estimates", "estimate_by_stratum"]

Stratum = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SparseStratum:
    """A stratum too sparse to estimate: its documented count and the reason."""

    stratum: Stratum
    observed: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "stratum": [list(p) for p in self.stratum],
            "observed": self.observed,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class StratifiedEstimate:
    """Per-stratum estimates, the strata that could not be estimated, and the combined total."""

    by: tuple[str, ...]
    strata: tuple[Estimate, ...]
    sparse: tuple[SparseStratum, ...]
    combined: Estimate | None

    def summary(self) -> Summary:
        rows: list[tuple[str, str]] = []
        for e in self.strata:
            rows.append(
                (
                    _stratum_text(e.stratum),
                    (
                        f"observed {e.observed:,}; estimate {_fmt(e.total)} "
                        f"({_fmt(e.interval.low)} to {_fmt(e.interval.high)})"
                    ),
                )
            )
        for s in self.sparse:
            rows.append((_stratum_text(s.stratum), f"observed {s.observed:,}; NOT ESTIMATED"))
        if self.combined is not None:
            c = self.combined
            rows.append(
                (
                    "combined",
                    (
                        f"observed {c.observed:,}; estimate {_fmt(c.total)} "
                        f"({_fmt(c.interval.low)} to {_fmt(c.interval.high)})"
                    ),
                )
            )
        notes = [f"{_stratum_text(s.stratum)}: {s.reason}" for s in self.sparse]
        if self.combined is not None:
            notes += list(self.combined.notes)
        method = self.combined.method if self.combined else (
            self.strata[0].method if self.strata else "?"
        )
        synthetic = any(e.synthetic for e in self.strata)
        return Summary(
            title=f"Estimated population size by {', '.join(self.by)} ({method})",
            header=(("Strata", str(len(self.strata) + len(self.sparse))),),
            rows=tuple(rows),
            footnotes=tuple(notes),
            banner="SYNTHETIC DATA" if synthetic else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "stratified_estimate",
            "by": list(self.by),
            "strata": [e.to_dict() for e in self.strata],
            "sparse": [s.to_dict() for s in self.sparse],
            "combined": None if self.combined is None else self.combined.to_dict(),
        }

    def __str__(self) -> str:
        return self.summary().as_text()


def estimate_by_stratum(
    histories: CaptureHistories,
    estimator: Callable[[CaptureHistories], Estimate],
    *,
    level: float = 0.95,
    seed: int | None = 0,
) -> StratifiedEstimate:
    """Run ``estimator`` on every stratum and combine the results.

    Examples
    --------
    >>> import pandas as pd
    >>> from dadkhah.estimate.chapman import chapman
    >>> df = pd.DataFrame({"A": [1, 1, 0, 1, 1, 0], "B": [1, 0, 1, 1, 0, 1],
    ...                    "prison": ["Evin"] * 3 + ["Gohardasht"] * 3,
    ...                    "count": [20, 30, 20, 10, 40, 30]})
    >>> res = estimate_by_stratum(CaptureHistories.from_frame(df, by=["prison"]), chapman)
    >>> [round(e.total, 1) for e in res.strata], round(res.combined.total, 1)
    ([98.6, 189.1], 287.7)
    """
    by = histories.stratum_columns
    done: list[Estimate] = []
    sparse: list[SparseStratum] = []
    for stratum, h in histories.by_stratum():
        try:
            done.append(estimator(h))
        except EstimationError as exc:
            sparse.append(SparseStratum(stratum, h.observed, exc.message))
    combined = combine_estimates(done, level=level, seed=seed, sparse=sparse) if done else None
    return StratifiedEstimate(
        by=by, strata=tuple(done), sparse=tuple(sparse), combined=combined
    )


def _se_unobserved(e: Estimate) -> float:
    """Standard error of the unobserved count: from the diagnostics, else from the interval."""
    se = e.diagnostics.get("se")
    if se is not None and math.isfinite(se) and se > 0:
        return float(se)
    f0 = e.total - e.observed
    lo, hi = e.interval.low - e.observed, e.interval.high - e.observed
    z = stats.norm.ppf(0.5 + e.level / 2)
    if f0 <= 0 or lo <= 0 or hi <= 0:
        return float((e.interval.high - e.interval.low) / (2 * z))
    s = (math.log(hi) - math.log(lo)) / (2 * z)
    return f0 * math.sqrt(math.exp(s**2) - 1)


def combine_estimates(
    estimates: list[Estimate],
    *,
    level: float = 0.95,
    seed: int | None = 0,
    sparse: list[SparseStratum] | None = None,
) -> Estimate:
    """The total over strata: draws summed if every stratum has them, variances added if not."""
    if not estimates:
        raise EstimationError("No stratum could be estimated; there is no total to combine.")
    methods = sorted({e.method for e in estimates})
    observed = sum(e.observed for e in estimates)
    lists = tuple(dict.fromkeys(x for e in estimates for x in e.lists))
    notes: list[str] = []
    for e in estimates:
        notes += [f"{_stratum_text(e.stratum)}: {n}" for n in e.notes]
    if sparse:
        notes.append(
            f"{len(sparse)} stratum/strata with {sum(s.observed for s in sparse):,} documented "
            "people could not be estimated and are NOT in this total: "
            + "; ".join(f"{_stratum_text(s.stratum)} ({s.reason.split('.')[0]})" for s in sparse)
        )
    lo_p, hi_p = (1 - level) / 2, (1 + level) / 2
    if all(e.draws is not None for e in estimates):
        rng = np.random.default_rng(seed)
        size = min(e.draws.size for e in estimates)  # type: ignore[union-attr]
        total_draws = np.zeros(size)
        for e in estimates:
            d = e.draws
            assert d is not None
            total_draws += d if d.size == size else rng.choice(d, size=size, replace=False)
        total = float(np.median(total_draws))
        low, high = (float(x) for x in np.quantile(total_draws, [lo_p, hi_p]))
        kind = "sum of the strata's posterior draws"
        draws: np.ndarray | None = total_draws
        diag: dict[str, Any] = {"combination": "draws summed", "n_draws": size}
    else:
        total = sum(e.total for e in estimates)
        f0 = total - observed
        var = sum(_se_unobserved(e) ** 2 for e in estimates)
        z = stats.norm.ppf(0.5 + level / 2)
        if f0 > 0 and var > 0:
            c = math.exp(z * math.sqrt(math.log1p(var / f0**2)))
            low, high = observed + f0 / c, observed + f0 * c
        else:
            low = high = total
        kind = "log-normal on the summed unobserved, variances added"
        draws = None
        diag = {"combination": "variances added", "se": math.sqrt(var)}
    return Estimate(
        method="+".join(methods),
        stratum=(),
        lists=lists,
        observed=observed,
        total=total,
        interval=Interval(min(low, total), max(high, total)),
        level=level,
        interval_kind=kind,
        notes=tuple(notes),
        assumptions=estimates[0].assumptions
        + ("Strata are estimated independently and their totals added.",),
        settings={"strata": len(estimates), **dict(estimates[0].settings)},
        diagnostics=diag,
        draws=draws,
        synthetic=any(e.synthetic for e in estimates),
    )

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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from dadkhah.errors import EstimationError, Wording
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import (
    SYNTHETIC_BANNER,
    Estimate,
    Interval,
    Summary,
    WordedSummary,
    _fmt,
    _num,
    _stratum_text,
    _w,
    _whole,
)

__all__ = [
    "SparseStratum", "StratifiedEstimate", "combine_estimates", "combine_imputations",
    "estimate_by_stratum",
]

Stratum = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SparseStratum:
    """A stratum too sparse to estimate: its documented count and the reason (``wording``:
    the reason's :class:`~dadkhah.errors.Wording`, when the estimator gave one)."""

    stratum: Stratum
    observed: int
    reason: str
    wording: Wording | None = field(default=None, compare=False)

    def note(self) -> tuple[str, Wording | None]:
        """The footnote on this stratum (``sex=m: reason``) and its wording."""
        return (f"{_stratum_text(self.stratum)}: {self.reason}",
                None if self.wording is None else Wording.of(
                    "estimate_note.in_stratum", stratum=Wording.stratum(self.stratum),
                    text=self.wording))

    def to_dict(self) -> dict[str, Any]:
        return {
            "stratum": [list(p) for p in self.stratum],
            "observed": self.observed,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class StratifiedEstimate:
    """Per-stratum estimates, the strata that could not be estimated, and the combined total.

    ``replicates`` > 1: the result of :func:`combine_imputations` over that many imputed data
    sets; ``imputed`` then holds, per stratum, the mean number of persons whose stratum value
    was imputed into it.
    """

    by: tuple[str, ...]
    strata: tuple[Estimate, ...]
    sparse: tuple[SparseStratum, ...]
    combined: Estimate | None
    replicates: int = 1
    imputed: tuple[tuple[Stratum, float], ...] = ()

    def summary(self) -> Summary:
        rows: list[tuple[str, str]] = []
        imputed = dict(self.imputed)

        def imp(k: Stratum) -> str:
            return f" (of which imputed {imputed.get(k, 0.0):,.1f})" if self.replicates > 1 else ""

        for e in self.strata:
            rows.append(
                (
                    _stratum_text(e.stratum),
                    (
                        f"observed {e.observed:,}{imp(e.stratum)}; estimate {_fmt(e.total)} "
                        f"({_fmt(e.interval.low)} to {_fmt(e.interval.high)})"
                    ),
                )
            )
        for s in self.sparse:
            rows.append((_stratum_text(s.stratum),
                         f"observed {s.observed:,}{imp(s.stratum)}; NOT ESTIMATED"))
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
        notes = [s.note()[0] for s in self.sparse]
        notes += list(self._imputed_wording())
        if self.combined is not None:
            notes += list(self.combined.notes)
        method = self.combined.method if self.combined else (
            self.strata[0].method if self.strata else "?"
        )
        synthetic = any(e.synthetic for e in self.strata)
        return Summary(
            title=f"Estimated population size by {', '.join(self.by)} ({method})",
            header=(("Strata", str(len(self.strata) + len(self.sparse))),)
            + ((("Imputations", str(self.replicates)),) if self.replicates > 1 else ()),
            rows=tuple(rows),
            footnotes=tuple(notes),
            banner="SYNTHETIC DATA" if synthetic else None,
        )

    def summary_wordings(self) -> WordedSummary:
        """The :meth:`summary`'s title, header and rows as wordings (each stratum named by
        :meth:`~dadkhah.errors.Wording.stratum`); its footnotes: :meth:`footnote_wordings`."""
        imputed = dict(self.imputed)

        def imp(k: Stratum) -> Wording | str:
            return _w("imputed", value=float(imputed.get(k, 0.0))) if self.replicates > 1 else ""

        def estimated(e: Estimate, of_imputed: Wording | str) -> Wording:
            return _w("stratum_row", observed=int(e.observed), imputed=of_imputed,
                      total=_num(e.total), low=_num(e.interval.low),
                      high=_num(e.interval.high))

        rows: list[tuple[Wording | str, Wording | str]] = [
            (Wording.stratum(e.stratum), estimated(e, imp(e.stratum))) for e in self.strata]
        rows += [(Wording.stratum(s.stratum),
                  _w("stratum_not_estimated", observed=int(s.observed), imputed=imp(s.stratum)))
                 for s in self.sparse]
        if self.combined is not None:
            rows.append((_w("combined"), estimated(self.combined, "")))
        method = self.combined.method if self.combined else (
            self.strata[0].method if self.strata else "?"
        )
        header: tuple[tuple[Wording | str, Wording | str], ...] = (
            (_w("strata"), _whole(len(self.strata) + len(self.sparse))),)
        if self.replicates > 1:
            header += ((_w("imputations"), _whole(self.replicates)),)
        return WordedSummary(
            title=_w("title_by", by=tuple(self.by), method=method), header=header,
            rows=tuple(rows),
            banner=SYNTHETIC_BANNER if any(e.synthetic for e in self.strata) else None)

    def footnote_wordings(self) -> dict[str, Wording]:
        """Those of the :meth:`summary`'s footnotes that are the stratification's own (the
        strata not estimated and why, the imputations; not an estimator's warning in one
        stratum), each (the key) as a :class:`~dadkhah.errors.Wording` of the catalogue's
        ``estimate_note`` keys, for an interface to say in its reader's language."""
        out = {note: w for note, w in (s.note() for s in self.sparse) if w is not None}
        out.update(self._imputed_wording())
        if self.combined is not None:
            out.update({n: w for n in self.combined.notes
                        if (w := self.combined.wordings.get(n)) is not None
                        and w.key != "estimate_note.in_stratum"})
        return out

    def _imputed_wording(self) -> dict[str, Wording]:
        if self.replicates <= 1:
            return {}
        persons = sum(dict(self.imputed).values())
        text = (f"Missing {', '.join(self.by)} values: {persons:,.0f} persons "
                f"imputed ({self.replicates} imputations, mean per imputation shown per "
                "stratum); estimates combined over the imputations.")
        return {text: Wording.of("estimate_note.imputed", by=", ".join(self.by),
                                 persons=int(round(persons)), replicates=self.replicates)}

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": "stratified_estimate",
            "by": list(self.by),
            "strata": [e.to_dict() for e in self.strata],
            "sparse": [s.to_dict() for s in self.sparse],
            "combined": None if self.combined is None else self.combined.to_dict(),
        }
        if self.replicates > 1:
            d["imputation"] = {
                "replicates": self.replicates,
                "imputed": [{"stratum": [list(p) for p in k], "persons": v}
                            for k, v in self.imputed],
            }
        return d

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
            sparse.append(SparseStratum(stratum, h.observed, exc.message, exc.wording))
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


def _worst_convergence(estimates: list[Estimate]) -> dict[str, float]:
    """The worst R-hat and smallest bulk ESS among the parts of a combined estimate, so a
    combination never hides that one of its chains disagreed."""
    out: dict[str, float] = {}
    r = [float(e.diagnostics["rhat"]) for e in estimates
         if isinstance(e.diagnostics.get("rhat"), (int, float))
         and math.isfinite(e.diagnostics["rhat"])]
    ess = [float(e.diagnostics["ess_bulk"]) for e in estimates
           if isinstance(e.diagnostics.get("ess_bulk"), (int, float))
           and math.isfinite(e.diagnostics["ess_bulk"])]
    if r:
        out["rhat"] = max(r)
    if ess:
        out["ess_bulk"] = min(ess)
    return out


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
    wordings: dict[str, Wording] = {}
    for e in estimates:
        for n in e.notes:
            notes.append(f"{_stratum_text(e.stratum)}: {n}")
            if n in e.wordings:
                wordings[notes[-1]] = Wording.of(
                    "estimate_note.in_stratum", stratum=Wording.stratum(e.stratum),
                    text=e.wordings[n])
    if sparse:
        notes.append(
            f"{len(sparse)} stratum/strata with {sum(s.observed for s in sparse):,} documented "
            "people could not be estimated and are NOT in this total: "
            + "; ".join(f"{_stratum_text(s.stratum)} ({s.reason.split('.')[0]})" for s in sparse)
        )
        wordings[notes[-1]] = _not_estimated(sparse)
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
    diag.update(_worst_convergence(estimates))
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
        assumptions=estimates[0].assumptions + (_STRATA_ADDED,),
        settings={"strata": len(estimates), **dict(estimates[0].settings)},
        diagnostics=diag,
        draws=draws,
        synthetic=any(e.synthetic for e in estimates),
        wordings=wordings,
    )


def _not_estimated(sparse: list[SparseStratum]) -> Wording:
    """The wording of :func:`combine_estimates`' note on the strata left out: each stratum
    with the first sentence of its reason (the reason's own words where it has no
    wording), the items but the last ending in the list's separator."""
    items = tuple(
        Wording.of("estimate_note.not_estimated_item" if i < len(sparse) - 1
                   else "estimate_note.not_estimated_last",
                   stratum=Wording.stratum(s.stratum),
                   reason=Wording.first_sentence(s.wording) if s.wording is not None
                   else s.reason.split(".")[0])
        for i, s in enumerate(sparse))
    return Wording.of("estimate_note.not_estimated", count=len(sparse),
                      persons=sum(s.observed for s in sparse), strata=items)


_STRATA_ADDED = "Strata are estimated independently and their totals added."

_IMPUTATION_ASSUMPTION = (
    "Missing stratum values are imputed (missing at random given the lists that name a "
    "person); the interval includes the imputation uncertainty.")

_DRAWN_IMPUTATION_ASSUMPTION = (
    "The register is uncertain and missing stratum values are imputed (missing at random "
    "given the lists that name a person): every register drawn from the linkage model's pair "
    "probabilities (reviewers' decisions always respected) is imputed and estimated, and all "
    "are pooled; the interval includes both uncertainties, but not the error of pairs the "
    "model scored below the stored cut or never compared.")


def _pool(estimates: list[Estimate], *, level: float, seed: int | None,
          stratum: Stratum, imputed: float | None, what: str = "imputations",
          assumption: str = _IMPUTATION_ASSUMPTION, matched: bool = True) -> Estimate:
    """One estimate from the same quantity estimated on M imputed data sets (``what``
    names the replicates: imputations, or registers drawn from the linkage's uncertainty).
    ``matched=False``: the replicates come from drawn registers, so the methods'
    assumption that records were matched correctly is dropped.

    Posterior draws (every replicate has them) are pooled: equally many from each replicate,
    which is a draw from the posterior that averages over the imputations.  Otherwise
    Rubin's rules on log N: the mean of the log totals, within- plus (1 + 1/M) times
    between-imputation variance, and a t interval with Rubin's degrees of freedom.
    """
    m = len(estimates)
    first = estimates[0]
    observed = int(round(float(np.mean([e.observed for e in estimates]))))
    lo_p, hi_p = (1 - level) / 2, (1 + level) / 2
    notes = list(dict.fromkeys(n for e in estimates for n in e.notes))
    wordings = {n: w for e in estimates for n, w in e.wordings.items()}
    diag: dict[str, Any] = {what: m}
    if imputed is not None:
        diag["imputed"] = imputed
    draws: np.ndarray | None
    if all(e.draws is not None for e in estimates):
        rng = np.random.default_rng(seed)
        size = min(e.draws.size for e in estimates)  # type: ignore[union-attr]
        parts = [d if d.size == size else rng.choice(d, size=size, replace=False)
                 for d in (e.draws for e in estimates) if d is not None]
        draws = np.concatenate(parts)
        total = float(np.median(draws))
        low, high = (float(x) for x in np.quantile(draws, [lo_p, hi_p]))
        kind = f"posterior draws pooled over {m} {what}"
        diag["combination"] = "draws pooled"
        diag["n_draws"] = int(draws.size)
    else:
        q = np.array([math.log(e.total) for e in estimates])
        u = np.array([(_se_unobserved(e) / e.total) ** 2 for e in estimates])
        qbar, ubar = float(q.mean()), float(u.mean())
        b = float(q.var(ddof=1)) if m > 1 else 0.0
        t = ubar + (1 + 1 / m) * b
        if b > 0:
            df = (m - 1) * (1 + ubar / ((1 + 1 / m) * b)) ** 2
            crit = float(stats.t.ppf(hi_p, df))
        else:
            df = math.inf
            crit = float(stats.norm.ppf(hi_p))
        total = math.exp(qbar)
        low, high = math.exp(qbar - crit * math.sqrt(t)), math.exp(qbar + crit * math.sqrt(t))
        kind = f"Rubin's rules on log N over {m} {what}"
        draws = None
        diag.update(combination="Rubin's rules (log N)", df=df,
                    between_share=((1 + 1 / m) * b / t) if t > 0 else 0.0,
                    se=total * math.sqrt(t))
    diag.update(_worst_convergence(estimates))
    total = max(total, float(observed))
    low = max(min(low, total), float(observed))
    return Estimate(
        method=first.method,
        stratum=stratum,
        lists=first.lists,
        observed=observed,
        total=total,
        interval=Interval(low, max(high, total)),
        level=level,
        interval_kind=kind,
        notes=tuple(notes),
        assumptions=tuple(a for a in first.assumptions
                          if matched or not a.startswith("Records were matched"))
        + (assumption,),
        settings={**dict(first.settings), what: m},
        diagnostics=diag,
        draws=draws,
        synthetic=any(e.synthetic for e in estimates),
        wordings=wordings,
    )


def combine_imputations(
    replicates: list[StratifiedEstimate],
    *,
    level: float = 0.95,
    seed: int | None = 0,
    imputed: dict[Stratum, float] | None = None,
    linkage_drawn: bool = False,
) -> StratifiedEstimate:
    """One stratified estimate from M estimates on multiply imputed strata.

    Each replicate is :func:`estimate_by_stratum` on one completed data set (every missing
    stratum value drawn).  Per stratum and for the combined total, Bayesian estimates pool
    their posterior draws; frequentist ones follow Rubin's rules on log N.  A stratum that
    could not be estimated in some replicate is reported as not estimated.  ``imputed``: the
    mean number of persons whose value was imputed into each stratum (shown per stratum).
    ``linkage_drawn``: the replicates are imputations of registers drawn from the linkage's
    uncertainty (:func:`dadkhah.register.linkage_draws.stratified_over_draws`), which the
    interval's kind and assumptions then say, in place of "records were matched correctly".

    Examples
    --------
    >>> import pandas as pd
    >>> from dadkhah.estimate.chapman import chapman
    >>> def rep(k):
    ...     df = pd.DataFrame({"A": [1, 1, 0] * 2, "B": [1, 0, 1] * 2,
    ...                        "prison": ["Evin"] * 3 + ["Gohardasht"] * 3,
    ...                        "count": [20, 30 + k, 20, 10, 40 - k, 30]})
    ...     return estimate_by_stratum(CaptureHistories.from_frame(df, by=["prison"]), chapman)
    >>> res = combine_imputations([rep(0), rep(4)])
    >>> [e.observed for e in res.strata], res.replicates
    ([72, 78], 2)
    """
    if not replicates:
        raise EstimationError("No imputed replicate to combine.")
    m = len(replicates)
    what = "linkage draws x imputations" if linkage_drawn else "imputations"
    assumption = _DRAWN_IMPUTATION_ASSUMPTION if linkage_drawn else _IMPUTATION_ASSUMPTION
    imputed = dict(imputed or {})
    by = replicates[0].by
    done: dict[Stratum, list[Estimate]] = {}
    sparse_in: dict[Stratum, list[SparseStratum]] = {}
    for r in replicates:
        for e in r.strata:
            done.setdefault(e.stratum, []).append(e)
        for s in r.sparse:
            sparse_in.setdefault(s.stratum, []).append(s)
    keys = sorted(set(done) | set(sparse_in))
    strata: list[Estimate] = []
    sparse: list[SparseStratum] = []
    for i, k in enumerate(keys):
        if k in sparse_in:
            obs = [e.observed for e in done.get(k, [])] + [s.observed for s in sparse_in[k]]
            first = sparse_in[k][0]
            sparse.append(SparseStratum(
                k, int(round(float(np.mean(obs)))),
                f"not estimable in {len(sparse_in[k])} of {m} imputations: " + first.reason,
                Wording.of("estimate_reason.not_in_every_imputation",
                           failed=float(len(sparse_in[k])), of=float(m),
                           reason=first.reason if first.wording is None else first.wording)))
        else:
            strata.append(_pool(done[k], level=level,
                                seed=None if seed is None else seed + i, stratum=k,
                                imputed=imputed.get(k, 0.0), what=what,
                                assumption=assumption, matched=not linkage_drawn))
    combined = None
    whole = [r.combined for r in replicates if r.combined is not None]
    if len(whole) == m:
        c = _pool(whole, level=level, seed=seed, stratum=(), imputed=sum(imputed.values()),
                  what=what, assumption=assumption, matched=not linkage_drawn)
        notes = list(c.notes)
        wordings = dict(c.wordings)
        if sparse:
            notes.append(f"{len(sparse)} stratum/strata could not be estimated in every "
                         "imputation; each imputation's total leaves out those it could not "
                         "estimate.")
            wordings[notes[-1]] = Wording.of("estimate_note.not_in_every_imputation",
                                             count=len(sparse))
        combined = Estimate(**{**{f: getattr(c, f) for f in Estimate.__dataclass_fields__},
                               "notes": tuple(notes), "wordings": wordings})
    return StratifiedEstimate(by=by, strata=tuple(strata), sparse=tuple(sparse),
                              combined=combined, replicates=m,
                              imputed=tuple(sorted(imputed.items())))

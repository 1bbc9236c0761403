"""The estimate under every defensible alternative, side by side.

No single model choice is beyond dispute, so :func:`sensitivity` fits the alternatives a
reviewer would ask about and keeps them together: LCMCR with different truncations K and
concentration priors, log-linear models selected by AIC and by BIC and model-averaged, DGA
with different prior weights, and the estimate with each list left out in turn.  A model
that fails is kept as a row with its error, never dropped.  :meth:`Sensitivity.estimates`
feed :func:`dadkhah.estimate.judge_headline` as alternatives.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from dadkhah.errors import DadkhahError, Wording
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import (
    SYNTHETIC_BANNER,
    Estimate,
    Summary,
    WordedSummary,
    _fmt,
    _num,
    _w,
)
from dadkhah.estimate.chapman import chapman
from dadkhah.estimate.dga import DGA
from dadkhah.estimate.headline import _shown
from dadkhah.estimate.lcmcr import LCMCR
from dadkhah.estimate.loglinear import LogLinear

__all__ = ["QUICK_LCMCR", "Sensitivity", "SensitivityRow", "sensitivity"]

QUICK_LCMCR: Mapping[str, Any] = {"burnin": 2000, "samples": 2000, "thin": 5, "chains": 2}
"""Chain lengths of the sensitivity view's LCMCR fits (shorter than the default: there are
several of them); their R-hat and ESS are shown and checked as any other."""


@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """One alternative: ``family`` (lcmcr, loglinear, dga, leave-one-out), a ``label``, and
    its estimate, or the error that stopped it and the warnings it raised (``wordings``:
    a warning's :class:`~dadkhah.errors.Wording` by its text, for an interface to say it in
    its reader's language; ``label_wording`` and ``error_wording``: the label's and the
    error's, when they have one)."""

    family: str
    label: str
    estimate: Estimate | None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    wordings: Mapping[str, Wording] = field(default_factory=dict)
    label_wording: Wording | None = None
    error_wording: Wording | None = None

    def row_wordings(self) -> tuple[Wording, Wording]:
        """The row of :meth:`Sensitivity.summary` as wordings: what was fitted, and its
        estimate with its interval (or why it failed)."""
        label = _w("sensitivity_row", family=_w(f"sensitivity_family_{self.family}"),
                   label=self.label_wording or self.label)
        e = self.estimate
        if e is None:
            return label, _w("sensitivity_failed", error=self.error_wording or self.error)
        return label, _w("sensitivity_value", total=_num(e.total),
                         low=_num(e.interval.low), high=_num(e.interval.high),
                         flag=" *" if self.warnings else "")

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "label": self.label,
                "estimate": None if self.estimate is None else self.estimate.to_dict(),
                "error": self.error, "warnings": list(self.warnings)}


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """Every alternative's row, in a fixed order; ``low``/``high``: the envelope of their
    intervals (the range of defensible answers)."""

    rows: tuple[SensitivityRow, ...]
    level: float
    synthetic: bool = False
    observed: int = 0

    def estimates(self, *, leave_one_out: bool = False) -> list[Estimate]:
        """The alternatives that produced an estimate (leave-one-out rows only on request:
        they estimate from fewer lists, hence a different documented count)."""
        return [r.estimate for r in self.rows if r.estimate is not None
                and (leave_one_out or r.family != "leave-one-out")]

    @property
    def low(self) -> float:
        return min((e.interval.low for e in self.estimates()), default=math.nan)

    @property
    def high(self) -> float:
        return max((e.interval.high for e in self.estimates()), default=math.nan)

    def summary(self) -> Summary:
        rows = []
        for r in self.rows:
            if r.estimate is None:
                rows.append((f"{r.family}: {r.label}", f"failed: {r.error}"))
                continue
            e = r.estimate
            flag = " *" if r.warnings else ""
            rows.append((f"{r.family}: {r.label}",
                         f"{_fmt(e.total)} ({_fmt(e.interval.low)} to "
                         f"{_fmt(e.interval.high)}){flag}"))
        pct = f"{self.level:.0%}"
        notes = [f"Range of the {pct} intervals over the models (leave-one-out rows aside): "
                 f"{_fmt(self.low)} to {_fmt(self.high)}.",
                 "Leave-one-out rows estimate from the other lists only: a list that "
                 "changes the total much is one the models depend on."]
        if any(r.warnings for r in self.rows):
            notes.append("* the fit warned (convergence, sparse cells): see the JSON output.")
        # (the footnotes' wordings: footnote_wordings, in the same order)
        return Summary(title="Sensitivity of the estimated total to the model",
                       header=(("Documented (observed)", f"{self.observed:,}"),
                               ("Level", pct)),
                       rows=tuple(rows), footnotes=tuple(notes),
                       banner="SYNTHETIC DATA" if self.synthetic else None)

    def summary_wordings(self) -> WordedSummary:
        """The :meth:`summary`'s title, header and rows as wordings (its footnotes:
        :meth:`footnote_wordings`), for an interface to write the table in its reader's
        language."""
        return WordedSummary(
            title=_w("sensitivity_title"),
            header=((_w("documented_observed"), _w("count", value=int(self.observed))),
                    (_w("level"), _w("percent", value=self.level))),
            rows=tuple(r.row_wordings() for r in self.rows),
            banner=SYNTHETIC_BANNER if self.synthetic else None)

    def footnote_wordings(self) -> tuple[Wording, ...]:
        """The :meth:`summary`'s footnotes, in order, as :class:`~dadkhah.errors.Wording`
        (the catalogue's ``estimate_note`` keys), for an interface to say them in its
        reader's language."""
        out = [Wording.of("estimate_note.sensitivity_range", level=self.level,
                          low=_shown(self.low), high=_shown(self.high)),
               Wording.of("estimate_note.sensitivity_leave_one_out")]
        if any(r.warnings for r in self.rows):
            out.append(Wording.of("estimate_note.sensitivity_warned"))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "sensitivity", "level": self.level, "observed": self.observed,
                "low": self.low if math.isfinite(self.low) else None,
                "high": self.high if math.isfinite(self.high) else None,
                "synthetic": self.synthetic, "rows": [r.to_dict() for r in self.rows]}

    def __str__(self) -> str:
        return self.summary().as_text()


def _run(family: str, label: str, fit: Callable[[], Estimate],
         label_wording: Wording | None = None) -> SensitivityRow:
    error_wording = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            est, err = fit(), None
        except DadkhahError as exc:
            est, err = None, exc.message
            error_wording = getattr(exc, "wording", None)
    return SensitivityRow(family, label, est, err,
                          tuple(dict.fromkeys(str(w.message) for w in caught)),
                          {str(w.message): wording for w in caught
                           if (wording := getattr(w.message, "wording", None)) is not None},
                          label_wording, error_wording)


def sensitivity(histories: CaptureHistories, *, level: float = 0.95, seed: int = 1,
                lcmcr: Mapping[str, Any] = QUICK_LCMCR, K: tuple[int, ...] = (5, 10, 20),
                priors: tuple[tuple[float, float], ...] = ((0.25, 0.25), (1.0, 1.0)),
                dga_deltas: tuple[float | None, ...] = (None, 1.0),
                leave_one_out: str = "loglinear",
                families: tuple[str, ...] = ("lcmcr", "loglinear", "dga", "leave-one-out"),
                ) -> Sensitivity:
    """Fit the defensible alternatives on ``histories`` (unstratified) and keep them all.

    ``K`` × the first prior, then the other ``priors`` (Gamma shape, rate of the
    concentration) at K=10, for LCMCR (chain lengths ``lcmcr``); log-linear by BIC, by AIC,
    and BIC-weighted averaging; DGA with prior counts ``dga_deltas`` (None: dga's default
    2^-p per cell), when there are at most 5 lists; then ``leave_one_out``
    (log-linear by BIC, or Chapman when two lists remain) with each list left out.
    """
    h = histories
    if h.strata is not None:
        raise ValueError("sensitivity() takes unstratified histories (use h.pooled())")
    rows: list[SensitivityRow] = []
    if "lcmcr" in families:
        combos = [(k, priors[0]) for k in K] + [(10, p) for p in priors[1:]]
        for k, (a, b) in combos:
            model = LCMCR(K=k, a_alpha=a, b_alpha=b, level=level, seed=seed, min_ess=100,
                          **lcmcr)
            rows.append(_run("lcmcr", f"K={k}, prior Gamma({a:g}, {b:g})",
                             partial(model.fit, h),
                             _w("sensitivity_lcmcr", k=int(k), a=float(a), b=float(b))))
    if "loglinear" in families:
        opts: dict[str, Any]
        for label, key, opts in (
                ("BIC", "bic", {"criterion": "bic"}), ("AIC", "aic", {"criterion": "aic"}),
                ("BIC-weighted average", "bic_average", {"criterion": "bic", "average": True})):
            rows.append(_run("loglinear", label,
                             partial(LogLinear(level=level, **opts).fit, h),
                             _w(f"sensitivity_loglinear_{key}")))
    if "dga" in families and h.n_lists <= 5:
        for delta in dga_deltas:
            label = "prior 2^-p per cell" if delta is None else f"prior {delta:g} per cell"
            dga = DGA(delta=delta, level=level, seed=seed, max_missing_multiple=10)
            rows.append(_run("dga", label, partial(dga.fit, h),
                             _w("sensitivity_dga_default") if delta is None
                             else _w("sensitivity_dga", delta=float(delta))))
    if "leave-one-out" in families and h.n_lists >= 3:
        for name in h.lists:
            keep = [x for x in h.lists if x != name]
            sub = h.select(keep)

            def fit(sub: CaptureHistories = sub) -> Estimate:
                if sub.n_lists == 2:
                    return chapman(sub, level=level)
                if leave_one_out == "lcmcr":
                    return LCMCR(level=level, seed=seed, min_ess=100, **lcmcr).fit(sub)
                return LogLinear(level=level).fit(sub)

            rows.append(_run("leave-one-out", f"without {name}", fit,
                             _w("sensitivity_without", name=name)))
    return Sensitivity(rows=tuple(rows), level=level, synthetic=h.synthetic,
                       observed=h.observed)

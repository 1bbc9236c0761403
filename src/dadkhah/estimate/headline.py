"""Whether an estimate may be shown as one number, or only as a range of defensible answers.

A total printed in large type gets quoted.  :func:`judge_headline` refuses the headline when

* the Bayesian chains disagree (R-hat above ``rhat_max``) or are too short (bulk ESS below
  ``min_ess``): the pooled median is then an average of different answers;
* other defensible models disagree with it: an alternative's total differs from it by more
  than ``tolerance`` (a share of the estimate, 25% by default);
* the register's quality is unknown (no reviewed audit sample) or poor (estimated pairwise
  precision or recall below ``min_quality``), when the histories come from a register
  (``quality_required``): capture–recapture on a register with false or missed links can be
  several times the truth.

The :class:`Headline` then has ``value`` None, the reasons, and the range spanned by the
intervals of every estimate considered, which is what the reader should be shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dadkhah.errors import Wording
from dadkhah.estimate._results import Estimate, _fmt
from dadkhah.estimate.linkage_quality import LinkageQuality

__all__ = ["Headline", "judge_headline"]

TOLERANCE = 0.25
"""Largest relative difference between defensible models' totals that still allows one
headline number."""
RHAT_MAX = 1.05
MIN_ESS = 100.0
MIN_QUALITY = 0.9
"""Smallest estimated pairwise precision and recall for which a register-based total may be
a headline."""


@dataclass(frozen=True, slots=True)
class Headline:
    """One number to show (``value``, with ``low``–``high``), or none (``value`` None): then
    ``reasons`` say why and ``low``–``high`` is the range of defensible answers (the
    envelope of the intervals of every estimate considered).  ``wordings``: the reasons
    for an interface to say in its reader's language (:meth:`wording`)."""

    value: float | None
    low: float
    high: float
    level: float
    reasons: tuple[str, ...] = ()
    considered: tuple[tuple[str, float], ...] = ()
    wordings: tuple[Wording, ...] = ()

    @property
    def refused(self) -> bool:
        return self.value is None

    @property
    def reason(self) -> str | None:
        """All reasons in one sentence (None when the headline stands)."""
        return " ".join(self.reasons) if self.reasons else None

    def text(self) -> str:
        """One line: the headline, or the range and why there is no single number."""
        pct = f"{self.level:.0%}"
        if self.value is not None:
            return (f"Estimated total: {_fmt(self.value)} ({pct} interval {_fmt(self.low)} to "
                    f"{_fmt(self.high)})")
        return (f"NO SINGLE ESTIMATE: the defensible answers range from {_fmt(self.low)} to "
                f"{_fmt(self.high)}. " + (self.reason or ""))

    def wording(self) -> Wording:
        """:meth:`text` for an interface to say in its reader's language."""
        if self.value is not None:
            return Wording.of("estimate_warning.headline", value=_shown(self.value),
                              level=self.level, low=_shown(self.low), high=_shown(self.high))
        return Wording.of("estimate_warning.no_headline", low=_shown(self.low),
                          high=_shown(self.high), reasons=self.wordings)

    def to_dict(self) -> dict[str, Any]:
        def num(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {"headline": None if self.value is None else num(self.value),
                "low": num(self.low), "high": num(self.high), "level": self.level,
                "refused": self.refused, "reasons": list(self.reasons),
                "considered": [[k, num(v)] for k, v in self.considered]}

    def summary(self) -> str:
        return self.text()


def _shown(x: float) -> float | int:
    """``x`` as :func:`_fmt` writes it, as a number: whole from 100 up (a language then
    writes it with its digits and separators), else to one decimal."""
    if not math.isfinite(x):
        return x
    return int(round(x)) if abs(x) >= 100 else round(x, 1)


def _label(e: Estimate) -> str:
    s = dict(e.settings)
    extra = [f"{k}={s[k]}" for k in ("criterion", "K", "average") if k in s]
    return e.method + (f" ({', '.join(extra)})" if extra else "")


def judge_headline(estimate: Estimate, *, alternatives: Sequence[Estimate] = (),
                   quality: LinkageQuality | None = None, quality_required: bool = False,
                   tolerance: float = TOLERANCE, rhat_max: float = RHAT_MAX,
                   min_ess: float = MIN_ESS, min_quality: float = MIN_QUALITY) -> Headline:
    """Decide whether ``estimate`` may stand as one number (see the module's docstring).

    ``alternatives``: estimates of the same total by other defensible models (e.g. the
    sensitivity view's).  ``quality``: the register's estimated precision and recall
    (:func:`dadkhah.estimate.estimate_linkage_quality`); ``quality_required``: the histories
    come from a register, so missing quality refuses the headline.

    Examples
    --------
    >>> e = Estimate(method="loglinear", lists=("a", "b", "c"), observed=90, total=120.0,
    ...              interval=(100.0, 150.0))
    >>> judge_headline(e).value
    120.0
    >>> alt = Estimate(method="lcmcr", lists=("a", "b", "c"), observed=90, total=300.0,
    ...                interval=(200.0, 420.0))
    >>> h = judge_headline(e, alternatives=[alt])
    >>> h.value is None, h.low, h.high
    (True, 100.0, 420.0)
    """
    reasons: list[str] = []
    wordings: list[Wording] = []
    every = [estimate, *alternatives]
    for e in every:
        d = dict(e.diagnostics)
        r, ess = d.get("rhat"), d.get("ess_bulk")
        if isinstance(r, (int, float)) and math.isfinite(r) and r > rhat_max:
            reasons.append(f"The {_label(e)} chains disagree (R-hat {r:.2f} > {rhat_max}).")
            wordings.append(Wording.of("estimate_warning.headline_chains_disagree",
                                       label=_label(e), rhat=float(r), rhat_max=rhat_max))
        elif isinstance(ess, (int, float)) and math.isfinite(ess) and ess < min_ess:
            reasons.append(f"The {_label(e)} chains are too short (effective sample size "
                           f"{ess:.0f} < {min_ess:.0f}).")
            wordings.append(Wording.of("estimate_warning.headline_chains_short",
                                       label=_label(e), ess=float(ess),
                                       min_ess=float(min_ess)))
    far = [a for a in alternatives
           if abs(a.total - estimate.total) > tolerance * max(estimate.total, 1.0)]
    if far:
        reasons.append(
            f"Models disagree by more than {tolerance:.0%}: {_label(estimate)} gives "
            f"{_fmt(estimate.total)}, " + ", ".join(f"{_label(a)} {_fmt(a.total)}"
                                                     for a in far) + ".")
        wordings.append(Wording.of(
            "estimate_warning.headline_models_disagree", tolerance=float(tolerance),
            label=_label(estimate), total=_shown(estimate.total),
            others=tuple((_label(a), _shown(a.total)) for a in far)))
    if quality_required:
        if quality is None:
            reasons.append("The register's precision and recall are unknown (no reviewed "
                           "audit sample: dadkhah review audit).")
            wordings.append(Wording.of("estimate_warning.headline_quality_unknown"))
        elif min(quality.precision, quality.recall) < min_quality:
            reasons.append(f"The register's estimated precision {quality.precision:.2f} or "
                           f"recall {quality.recall:.2f} is below {min_quality}.")
            wordings.append(Wording.of("estimate_warning.headline_quality_poor",
                                       precision=float(quality.precision),
                                       recall=float(quality.recall),
                                       min_quality=float(min_quality)))
    considered = tuple((_label(e), float(e.total)) for e in every)
    if reasons:
        low = min(e.interval.low for e in every)
        high = max(e.interval.high for e in every)
        return Headline(None, float(low), float(high), estimate.level, tuple(reasons),
                        considered, tuple(wordings))
    return Headline(float(estimate.total), float(estimate.interval.low),
                    float(estimate.interval.high), estimate.level, (), considered)

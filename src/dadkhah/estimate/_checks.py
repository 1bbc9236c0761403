"""Checks shared by the estimators: identifiability, and warnings that are also kept as notes."""

from __future__ import annotations

import warnings

from dadkhah.errors import (
    DadkhahWarning,
    EstimationError,
    EstimationWarning,
    InsufficientOverlap,
    Wording,
)
from dadkhah.estimate._histories import CaptureHistories


class Notes(list[str]):
    """Diagnostics that are both warned and kept, so they reach the report; ``wordings``
    holds the :class:`~dadkhah.errors.Wording` of those that have one, by their text (an
    estimator passes them on as its :class:`~dadkhah.estimate.Estimate`'s ``wordings``)."""

    def __init__(self) -> None:
        super().__init__()
        self.wordings: dict[str, Wording] = {}

    def warn(self, message: str, category: type[DadkhahWarning] = EstimationWarning, *,
             wording: Wording | None = None) -> None:
        """Keep ``message`` and warn it; ``wording`` says it for an interface to translate
        (:class:`~dadkhah.errors.Wording`: the catalogue's ``estimate_warning`` keys)."""
        self.append(message)
        if wording is not None:
            self.wordings[message] = wording
        warnings.warn(category(message, wording), stacklevel=3)


def check_identifiable(h: CaptureHistories, *, min_lists: int = 2) -> None:
    """Refuse tables no capture-recapture estimator can use, saying why."""
    where = f" in stratum {dict(h.stratum)}" if h.stratum else ""
    # the English names the stratum as a dict (raw), other languages by its labels
    place: Wording | str = (Wording.of("estimate_reason.in_stratum", raw=str(dict(h.stratum)),
                                       stratum=Wording.stratum(h.stratum)) if h.stratum else "")
    if h.observed == 0:
        raise EstimationError(
            f"No one is documented{where}: there is nothing to estimate from.",
            hint="Check the stratum and the list columns.",
            wording=Wording.of("estimate_reason.no_one_documented", where=place),
        )
    totals = h.list_totals()
    used = [k for k, v in totals.items() if v > 0]
    if len(used) < min_lists:
        raise InsufficientOverlap(
            f"Only {len(used)} list(s) name anyone{where} ({', '.join(used) or 'none'}); "
            f"capture-recapture needs at least {min_lists}. A single list says nothing about "
            "who it missed.",
            hint="Add another independent list, or report the documented count only.",
            wording=Wording.of("estimate_reason.too_few_lists", n=len(used), where=place,
                               lists=tuple(used), needed=min_lists),
        )
    # any overlap at all: someone on two or more lists
    multi = h.counts[h.patterns.sum(axis=1) >= 2].sum()
    if multi == 0:
        raise InsufficientOverlap(
            f"No one{where} appears on more than one list ({h.observed} people, "
            f"list sizes {totals}). Without overlap the lists carry no information about how "
            "many people all of them missed; any number would be made up.",
            hint="Check the record linkage (are matches being missed?), or report the "
            "documented count only.",
            wording=Wording.of("estimate_reason.no_overlap", where=place,
                               people=float(h.observed), sizes_raw=str(totals),
                               sizes=tuple(totals.items())),
        )

"""Two-list estimators: Lincoln–Petersen and Chapman.

Notes
-----
With ``n1`` and ``n2`` people on the two lists and ``m`` on both,

- Lincoln–Petersen: ``N = n1 n2 / m``, variance ``n1 n2 (n1 - m)(n2 - m) / m^3``;
- Chapman (1951): ``N = (n1 + 1)(n2 + 1)/(m + 1) - 1``, variance (Seber 1970)
  ``(n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)^2 (m + 2))``.

The interval is the log-normal interval on the unobserved count ``f0 = N - n``
(Chao 1987): ``n + f0 / C`` to ``n + f0 C`` with ``C = exp(z sqrt(log(1 + var / f0^2)))``,
so it never falls below the number observed.

References
----------
Chapman, D. G. (1951). Some properties of the hypergeometric distribution with applications
to zoological sample censuses. *Univ. California Publ. Statist.* 1, 131–160.
Seber, G. A. F. (1970). The effects of trap response on tag recapture estimates.
*Biometrics* 26, 13–22.
Chao, A. (1987). Estimating the population size for capture-recapture data with unequal
catchability. *Biometrics* 43, 783–791.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats

from dadkhah.errors import EstimationError, InsufficientOverlap, Wording
from dadkhah.estimate._checks import Notes, check_identifiable
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate, Interval

__all__ = ["chapman", "lincoln_petersen"]

_ASSUMPTIONS = (
    "The population is closed: the same people could have been on either list.",
    "Being on one list does not change the chance of being on the other (independent lists).",
    "Everyone has the same chance of being on a given list (homogeneous capture).",
    "Records were matched correctly across the two lists.",
)


def _two_lists(h: CaptureHistories, lists: Sequence[str] | None) -> CaptureHistories:
    if lists is not None:
        h = h.select(list(lists))
    if h.n_lists != 2:
        raise EstimationError(
            f"The two-list estimators need exactly 2 lists; these histories have {h.n_lists} "
            f"({', '.join(h.lists)}).",
            hint="Choose two lists (lists=[...]), or use the log-linear, LCMCR or dga method "
            "for three or more.",
            wording=Wording.of("estimate_reason.two_lists_needed", n=float(h.n_lists),
                               lists=tuple(h.lists)),
        )
    check_identifiable(h)
    return h


def _counts(h: CaptureHistories) -> tuple[int, int, int]:
    tot = h.list_totals()
    n1, n2 = tot[h.lists[0]], tot[h.lists[1]]
    m = int(h.counts[h.patterns.sum(axis=1) == 2].sum())
    return n1, n2, m


def _lognormal_interval(n: int, f0: float, var: float, level: float) -> Interval:
    if f0 <= 0 or var <= 0:
        return Interval(n + max(f0, 0.0), n + max(f0, 0.0))
    z = stats.norm.ppf(0.5 + level / 2)
    c = math.exp(z * math.sqrt(math.log1p(var / f0**2)))
    return Interval(n + f0 / c, n + f0 * c)


def _result(
    method: str, h: CaptureHistories, total: float, var: float, level: float, notes: Notes,
    n1: int, n2: int, m: int,
) -> Estimate:
    n = h.observed
    f0 = total - n
    return Estimate(
        method=method,
        stratum=h.stratum,
        lists=h.lists,
        observed=n,
        total=total,
        interval=_lognormal_interval(n, f0, var, level),
        level=level,
        interval_kind="log-normal on the unobserved (Chao 1987)",
        notes=tuple(notes), wordings=notes.wordings,
        assumptions=_ASSUMPTIONS,
        settings={"level": level},
        diagnostics={"n1": n1, "n2": n2, "m": m, "se": math.sqrt(max(var, 0.0))},
        synthetic=h.synthetic,
    )


def _small_m(notes: Notes, m: int) -> None:
    if m < 7:
        notes.warn(
            f"Only {m} people are on both lists; with fewer than about 7 the estimate is "
            "unstable and the interval is approximate (Robson & Regier 1964).",
            wording=Wording.of("estimate_warning.small_overlap", m=int(m)),
        )


def lincoln_petersen(
    histories: CaptureHistories, *, level: float = 0.95, lists: Sequence[str] | None = None
) -> Estimate:
    """Lincoln–Petersen estimate ``n1 n2 / m`` from two lists.

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [20, 30, 20])
    >>> round(lincoln_petersen(h).total, 1)
    100.0
    """
    h = _two_lists(histories, lists)
    n1, n2, m = _counts(h)
    if m == 0:
        raise InsufficientOverlap(
            "No one is on both lists: the Lincoln–Petersen estimate is infinite.",
            hint="Check linkage between the lists, or report the documented count only.",
            wording=Wording.of("estimate_reason.no_one_on_both"),
        )
    notes = Notes()
    _small_m(notes, m)
    total = n1 * n2 / m
    var = n1 * n2 * (n1 - m) * (n2 - m) / m**3
    return _result("lincoln-petersen", h, total, var, level, notes, n1, n2, m)


def chapman(
    histories: CaptureHistories, *, level: float = 0.95, lists: Sequence[str] | None = None
) -> Estimate:
    """Chapman's nearly unbiased two-list estimate with a log-normal interval.

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [19, 31, 21])
    >>> chapman(h).total   # (50 + 1)(40 + 1)/(19 + 1) - 1
    103.55
    """
    h = _two_lists(histories, lists)
    n1, n2, m = _counts(h)
    notes = Notes()
    _small_m(notes, m)
    total = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    return _result("chapman", h, total, var, level, notes, n1, n2, m)

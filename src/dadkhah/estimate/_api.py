"""One entry point for the CLI and the report: ``estimate_total(histories, method=...)``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dadkhah.errors import ConfigError
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate
from dadkhah.estimate.chapman import chapman, lincoln_petersen
from dadkhah.estimate.closed import ClosedPopulation
from dadkhah.estimate.dga import DGA
from dadkhah.estimate.lcmcr import LCMCR
from dadkhah.estimate.loglinear import LogLinear
from dadkhah.estimate.stepwise import Stepwise
from dadkhah.estimate.strata import StratifiedEstimate, estimate_by_stratum

METHODS = ("chapman", "lincoln-petersen", "loglinear", "closed", "stepwise", "lcmcr", "dga")


def make_estimator(
    method: str, *, level: float = 0.95, seed: int | None = None, **options: Any
) -> Callable[[CaptureHistories], Estimate]:
    """A function ``histories -> Estimate`` for a method name and its options.

    ``level`` is the interval's coverage, strictly between 0 and 1 (0.95: a 95% interval).
    """
    if not 0 < level < 1:
        raise ConfigError(f"Interval level {level} is not between 0 and 1.",
                          hint="Use e.g. 0.95 for a 95% interval.")
    if method == "chapman":
        return lambda h: chapman(h, level=level, **options)
    if method == "lincoln-petersen":
        return lambda h: lincoln_petersen(h, level=level, **options)
    if method == "loglinear":
        return LogLinear(level=level, **options).fit
    if method == "closed":
        return ClosedPopulation(level=level, **options).fit
    if method == "stepwise":
        return Stepwise(level=level, **options).fit
    if method == "lcmcr":
        return LCMCR(level=level, seed=seed, **options).fit
    if method == "dga":
        return DGA(level=level, seed=0 if seed is None else seed, **options).fit
    raise ConfigError(f"Unknown estimation method {method!r}.",
                      hint="Choose one of: " + ", ".join(METHODS) + ".")


def estimate_total(
    histories: CaptureHistories,
    *,
    method: str = "loglinear",
    level: float = 0.95,
    seed: int | None = None,
    **options: Any,
) -> Estimate | StratifiedEstimate:
    """Estimate the total; per stratum and combined when the histories have strata.

    ``options`` go to the method, except ``merge_lists`` (``{name: [list, ...]}``): groups of
    lists counted as one list before estimating (a list copied from another with its source;
    see :meth:`CaptureHistories.merge_lists`).

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [19, 31, 21])
    >>> estimate_total(h, method="chapman").total
    103.55
    """
    merge: Mapping[str, Sequence[str]] | None = options.pop("merge_lists", None)
    fit = make_estimator(method, level=level, seed=seed, **options)
    if merge:
        histories = histories.merge_lists(merge)
    if histories.strata is not None:
        return estimate_by_stratum(histories, fit, level=level, seed=seed)
    return fit(histories)

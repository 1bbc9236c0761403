"""Rcapture's closed-population models M0, Mt, Mh and Mth as log-linear models.

Each model is a Poisson GLM on the observed cells (Rivest & Baillargeon 2007):

- ``M0``: one capture probability for every list and person (column: number of captures f);
- ``Mt``: one probability per list (main effects);
- ``Mh``/``Mth``: ``M0``/``Mt`` plus heterogeneity between people, modelled by columns in f:
  ``chao`` (Chao's lower bound: ``(f - k)+`` for ``k = 2..J-1``, refitted without the terms
  whose coefficients come out negative), ``poisson`` (``theta**f - 1``, theta = 2),
  ``darroch`` (``f**2 / 2``) or ``gamma`` (``-log(theta + f) + log(theta)``, theta = 3.5).

The interval is the profile-likelihood interval (Rcapture ``closedpCI.t``).

References
----------
Rivest, L.-P. and Baillargeon, S. (2007). Applications and extensions of Chao's moment
estimator for the size of a closed population. *Biometrics* 63, 999–1006.
Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for capture-recapture in
R. *Journal of Statistical Software* 19(5).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from dadkhah.errors import EstimationError, Wording
from dadkhah.estimate._checks import Notes, check_identifiable
from dadkhah.estimate._glm import fit_poisson
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import Estimate
from dadkhah.estimate.loglinear import (
    _bounded_profile,
    _cells,
    _check_isolated,
    _model_estimate,
)

__all__ = ["CLOSED_MODELS", "ClosedPopulation", "fit_closed_model"]

CLOSED_MODELS = (
    ("M0", None), ("Mt", None),
    ("Mh", "chao"), ("Mh", "poisson"), ("Mh", "darroch"), ("Mh", "gamma"),
    ("Mth", "chao"), ("Mth", "poisson"), ("Mth", "darroch"), ("Mth", "gamma"),
)
_THETA = {"poisson": 2.0, "gamma": 3.5}
_ASSUMPTIONS = {
    "M0": "Every list names every person with the same probability.",
    "Mt": "Lists differ in coverage but name people independently and homogeneously.",
    "Mh": "People differ in how listable they are (in the assumed form); lists do not differ.",
    "Mth": "Lists differ in coverage and people differ in how listable they are (in the "
    "assumed form); no other dependence between lists.",
}


def _het_columns(f: np.ndarray, n_lists: int, kind: str, theta: float) -> list[np.ndarray]:
    if kind == "chao":
        return [np.maximum(f - k, 0.0) for k in range(2, n_lists)]
    if kind == "poisson":
        return [theta**f - 1]
    if kind == "darroch":
        return [f**2 / 2]
    if kind == "gamma":
        return [-np.log(theta + f) + math.log(theta)]
    raise ValueError(f"heterogeneity must be chao, poisson, darroch or gamma, got {kind!r}")


@dataclass(frozen=True)
class _ClosedFit:
    label: str
    x: np.ndarray  # full design (2**J rows)
    f0: float
    aic: float
    bic: float
    ok: bool


def _fit(h: CaptureHistories, model: str, heterogeneity: str | None, theta: float | None
         ) -> _ClosedFit:
    j = h.n_lists
    cells = _cells(j)
    f = cells.sum(axis=1)
    base = [np.ones(len(cells))]
    base += [cells[:, i] for i in range(j)] if model in ("Mt", "Mth") else [f]
    het: list[np.ndarray] = []
    label = model
    if model in ("Mh", "Mth"):
        if heterogeneity is None:
            raise ValueError(f"{model} needs a heterogeneity form")
        th = theta if theta is not None else _THETA.get(heterogeneity, 0.0)
        het = _het_columns(f, j, heterogeneity, th)
        label = f"{model} {heterogeneity}" + (f"{th:g}" if heterogeneity in _THETA else "")
    elif model not in ("M0", "Mt"):
        raise ValueError(f"model must be M0, Mt, Mh or Mth, got {model!r}")
    y = h.full_table()[1:].astype(float)
    while True:
        x = np.column_stack(base + het)
        fit = fit_poisson(x[1:], y)
        eta = fit.beta[len(base):]
        # Chao's lower bound keeps only non-negative heterogeneity terms (as Rcapture does)
        if heterogeneity == "chao" and het and eta.min() < 0:
            het = [c for c, e in zip(het, eta, strict=True) if e >= 0]
            continue
        break
    k = x.shape[1]
    return _ClosedFit(
        label=label, x=x, f0=math.exp(min(fit.beta[0], 700.0)),
        aic=-2 * fit.loglik + 2 * k, bic=-2 * fit.loglik + k * math.log(h.observed),
        ok=fit.ok,
    )


def _estimate(h: CaptureHistories, cf: _ClosedFit, level: float, notes: Notes,
              diagnostics: dict[str, object]) -> Estimate:
    n = h.observed
    if not cf.ok or cf.f0 > 1000 * n:
        raise EstimationError(
            f"Model {cf.label} has no finite maximum-likelihood estimate on this table.",
            hint="Use another model, or merge lists.",
        )
    y = h.full_table()[1:].astype(float)
    interval, profile_max = _bounded_profile(y, cf.x, level, cf.label)
    model = cf.label.split()[0]
    return _model_estimate(
        h,
        method="closed",
        total=n + cf.f0,
        interval=interval,
        level=level,
        notes=notes,
        assumptions=(
            "The population is closed: everyone counted could have been on every list.",
            _ASSUMPTIONS[model],
            "Records were matched correctly across lists.",
        ),
        settings={"model": cf.label, "level": level},
        diagnostics={"model": cf.label, "aic": cf.aic, "bic": cf.bic,
                     "profile_maximum": profile_max, **diagnostics},
    )


def fit_closed_model(
    histories: CaptureHistories,
    model: str = "Mt",
    *,
    heterogeneity: str | None = None,
    theta: float | None = None,
    level: float = 0.95,
) -> Estimate:
    """Fit one of Rcapture's closed-population models.

    Examples
    --------
    >>> h = CaptureHistories.from_arrays(
    ...     ["BC", "DC", "MR"], [[1,1,1],[1,1,0],[1,0,1],[1,0,0],[0,1,1],[0,1,0],[0,0,1]],
    ...     [12, 142, 112, 247, 4, 49, 60])
    >>> round(fit_closed_model(h, "Mth", heterogeneity="poisson").total, 1)
    674.7
    """
    check_identifiable(histories)
    _check_isolated(histories)
    cf = _fit(histories, model, heterogeneity, theta)
    return _estimate(histories, cf, level, Notes(), {})


@dataclass(frozen=True)
class ClosedPopulation:
    """The best of M0, Mt, Mh and Mth (four heterogeneity forms) by AIC or BIC.

    Models whose maximum-likelihood estimate does not exist are set aside, as Rcapture's
    ``closedp.t`` sets aside models with fit warnings.  The behavioural models Mb and Mbh
    are not included.
    """

    criterion: str = "aic"
    level: float = 0.95

    def fit(self, histories: CaptureHistories) -> Estimate:
        if self.criterion not in ("aic", "bic"):
            raise ValueError(f"criterion must be 'aic' or 'bic', got {self.criterion!r}")
        h = histories
        check_identifiable(h)
        _check_isolated(h)
        fits = []
        for model, het in CLOSED_MODELS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                fits.append(_fit(h, model, het, None))
        good = [f for f in fits if f.ok and f.f0 <= 1000 * h.observed]
        if not good:
            raise EstimationError(
                "None of the closed-population models has a finite estimate on this table.",
                hint="The lists overlap too little; merge lists or report the documented count.",
                wording=Wording.of("estimate_reason.closed_none"),
            )
        # ties (with three lists every Mth form fits identically) go to the earlier model in
        # Rcapture's order, as closedp.t does
        good.sort(key=lambda f: round(getattr(f, self.criterion), 6))
        table = [
            {"model": f.label, "total": h.observed + f.f0, "aic": f.aic, "bic": f.bic,
             "usable": f in good}
            for f in fits
        ]
        est = _estimate(h, good[0], self.level, Notes(),
                        {"criterion": self.criterion, "models": table})
        return est

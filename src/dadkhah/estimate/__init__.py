"""Multiple systems estimation (capture–recapture) of the total number of victims.

Input is a :class:`CaptureHistories` table (from a CSV, a per-person DataFrame, or — once
linkage exists — the register).  Each estimator returns a frozen :class:`Estimate`; a
:class:`DocumentedCount` is a different type, so a count is never shown as an estimate.

- two lists: :func:`chapman`, :func:`lincoln_petersen`
- three or more: :class:`LogLinear` (hierarchical log-linear models, AIC/BIC, averaging,
  profile-likelihood intervals), :class:`ClosedPopulation` (Rcapture's M0/Mt/Mh/Mth),
  :class:`Stepwise` (SparseMSE's stepwise selection for sparse lists), :class:`LCMCR`
  (Bayesian latent classes), :class:`DGA` (Bayesian model averaging over decomposable
  graphs, 3–5 lists)
- strata: :func:`estimate_by_stratum`, :func:`combine_estimates`; over multiply imputed
  strata: :func:`combine_imputations`
- one entry point: :func:`estimate_total`
- the register's uncertainty carried into the total: :func:`combine_linkage_draws`
  (:class:`LinkagePropagated`); one number only when it is defensible:
  :func:`judge_headline` (:class:`Headline`); every defensible alternative side by side:
  :func:`sensitivity` (:class:`Sensitivity`)
- the register's own quality from a reviewed sample of pairs: :func:`estimate_linkage_quality`
  (precision and recall among scored pairs, :class:`LinkageQuality`), :func:`allocate_sample`;
  how often a pair is a true match given the register's decision, fitted on the sample's
  answers: :func:`fit_pair_calibration` (:class:`PairCalibration`, :class:`CalibrationMap`),
  and the default without answers, learnt on the simulator's tuning profiles:
  :data:`TUNED_PAIR_CALIBRATION`
"""

from dadkhah.estimate._api import METHODS, estimate_total, make_estimator
from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import DocumentedCount, Estimate, Interval, Summary, WordedSummary
from dadkhah.estimate.chapman import chapman, lincoln_petersen
from dadkhah.estimate.closed import CLOSED_MODELS, ClosedPopulation, fit_closed_model
from dadkhah.estimate.copies import copy_groups
from dadkhah.estimate.dga import DGA, decomposable_graphs
from dadkhah.estimate.headline import Headline, judge_headline
from dadkhah.estimate.lcmcr import LCMCR
from dadkhah.estimate.linkage_quality import (
    TUNED_PAIR_CALIBRATION,
    AuditStratum,
    CalibrationMap,
    LinkageQuality,
    PairCalibration,
    allocate_sample,
    estimate_linkage_quality,
    fit_pair_calibration,
)
from dadkhah.estimate.loglinear import (
    LogLinear,
    LogLinearModel,
    fit_loglinear_model,
    hierarchical_models,
)
from dadkhah.estimate.propagate import LinkagePropagated, combine_linkage_draws, same_model
from dadkhah.estimate.sensitivity import Sensitivity, SensitivityRow, sensitivity
from dadkhah.estimate.stepwise import Stepwise
from dadkhah.estimate.strata import (
    SparseStratum,
    StratifiedEstimate,
    combine_estimates,
    combine_imputations,
    estimate_by_stratum,
)
from dadkhah.estimate.synthetic import synthetic_histories

__all__ = [
    "CLOSED_MODELS",
    "DGA",
    "LCMCR",
    "METHODS",
    "TUNED_PAIR_CALIBRATION",
    "AuditStratum",
    "CalibrationMap",
    "CaptureHistories",
    "ClosedPopulation",
    "DocumentedCount",
    "Estimate",
    "Headline",
    "Interval",
    "LinkagePropagated",
    "LinkageQuality",
    "LogLinear",
    "LogLinearModel",
    "PairCalibration",
    "Sensitivity",
    "SensitivityRow",
    "SparseStratum",
    "Stepwise",
    "StratifiedEstimate",
    "Summary",
    "WordedSummary",
    "allocate_sample",
    "chapman",
    "combine_estimates",
    "combine_imputations",
    "copy_groups",
    "combine_linkage_draws",
    "decomposable_graphs",
    "estimate_by_stratum",
    "estimate_linkage_quality",
    "fit_pair_calibration",
    "estimate_total",
    "fit_closed_model",
    "fit_loglinear_model",
    "hierarchical_models",
    "judge_headline",
    "lincoln_petersen",
    "make_estimator",
    "same_model",
    "sensitivity",
    "synthetic_histories",
]

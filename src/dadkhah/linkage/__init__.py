"""Record linkage: the splink model (DuckDB; Spark for scale) that builds the register.

:func:`link_case` links every source record of a case under the reviewers' decisions and
rewrites the register of persons (:mod:`dadkhah.register`) in one transaction.  On synthetic
data with known truth, :func:`evaluate_case` scores the register against
:func:`read_truth` (pairwise and B-cubed precision and recall).

The lower layers are public for experiments in a notebook: :func:`compute_features` (the
Persian-aware comparison columns), :func:`link_features` (splink training and prediction,
then clustering) and :func:`model_settings` (the splink settings).
"""

from dadkhah.linkage.evaluate import LinkageEvaluation, evaluate_clusters
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.pipeline import (
    REVIEW_BAND,
    LinkReport,
    evaluate_case,
    link_case,
    read_truth,
    truth_by_record,
)
from dadkhah.linkage.run import EMFallbackWarning, LinkResult, link_features
from dadkhah.linkage.settings import DEFAULT_THRESHOLD, model_settings

__all__ = [
    "DEFAULT_THRESHOLD",
    "EMFallbackWarning",
    "REVIEW_BAND",
    "LinkReport",
    "LinkResult",
    "LinkageEvaluation",
    "compute_features",
    "evaluate_case",
    "evaluate_clusters",
    "link_case",
    "link_features",
    "model_settings",
    "read_truth",
    "truth_by_record",
]

from dadkhah import estimate


def test_public_names() -> None:
    assert sorted(estimate.__all__) == sorted([
        "CLOSED_MODELS", "ClosedPopulation", "fit_closed_model", "DGA", "LCMCR", "METHODS",
        "CaptureHistories", "DocumentedCount", "Estimate", "Interval", "LogLinear",
        "LogLinearModel", "SparseStratum", "Stepwise", "StratifiedEstimate",
        "Summary", "WordedSummary", "chapman", "combine_estimates", "combine_imputations",
        "decomposable_graphs",
        "estimate_by_stratum", "estimate_total", "fit_loglinear_model",
        "hierarchical_models", "lincoln_petersen", "make_estimator", "synthetic_histories",
        "AuditStratum", "LinkageQuality", "allocate_sample", "estimate_linkage_quality",
        "Headline", "judge_headline", "LinkagePropagated", "combine_linkage_draws",
        "same_model",
        "Sensitivity", "SensitivityRow", "sensitivity",
        "CalibrationMap", "PairCalibration", "fit_pair_calibration", "TUNED_PAIR_CALIBRATION",
        "copy_groups",
    ])
    for name in estimate.__all__:
        assert getattr(estimate, name) is not None

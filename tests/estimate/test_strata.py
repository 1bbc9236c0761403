from __future__ import annotations

import io
import math
import warnings

import numpy as np
import pytest

from dadkhah.errors import EstimationWarning
from dadkhah.estimate import (
    LCMCR,
    CaptureHistories,
    Estimate,
    LogLinear,
    chapman,
    estimate_by_stratum,
    estimate_total,
)

CSV = """A,B,prison,count
1,1,Evin,20
1,0,Evin,30
0,1,Evin,20
1,1,Gohardasht,10
1,0,Gohardasht,40
0,1,Gohardasht,30
1,0,Shiraz,12
"""


def histories() -> CaptureHistories:
    return CaptureHistories.from_csv(io.StringIO(CSV), by=["prison"])


def test_chapman_strata_add_totals_and_variances() -> None:
    res = estimate_by_stratum(histories(), chapman)
    assert [dict(e.stratum)["prison"] for e in res.strata] == ["Evin", "Gohardasht"]
    c = res.combined
    assert c is not None
    assert c.total == pytest.approx(sum(e.total for e in res.strata))
    assert c.observed == 70 + 80
    se = math.sqrt(sum(e.diagnostics["se"] ** 2 for e in res.strata))
    assert c.diagnostics["se"] == pytest.approx(se)
    assert c.observed < c.interval.low < c.total < c.interval.high


def test_sparse_stratum_is_reported_not_added() -> None:
    res = estimate_by_stratum(histories(), chapman)
    assert len(res.sparse) == 1
    s = res.sparse[0]
    assert dict(s.stratum) == {"prison": "Shiraz"} and s.observed == 12
    assert "list" in s.reason
    assert res.combined is not None and res.combined.observed == 150
    assert any("NOT in this total" in n for n in res.combined.notes)
    text = res.summary().as_text()
    assert "NOT ESTIMATED" in text and "Shiraz" in text
    assert res.to_dict()["sparse"][0]["observed"] == 12


def test_bayesian_strata_sum_draws() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for stratum, n in (("x", 600), ("y", 900)):
        caught = rng.random((n, 3)) < [0.4, 0.3, 0.35]
        caught = caught[caught.any(axis=1)]
        pats, counts = np.unique(caught.astype(int), axis=0, return_counts=True)
        rows += [(*p, stratum, c) for p, c in zip(pats.tolist(), counts.tolist(), strict=True)]
    import pandas as pd

    df = pd.DataFrame(rows, columns=["A", "B", "C", "s", "count"])
    h = CaptureHistories.from_frame(df, by=["s"])
    fit = LCMCR(seed=1, burnin=2000, samples=1000, thin=5, min_ess=50).fit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = estimate_by_stratum(h, fit)
    c = res.combined
    assert c is not None and c.draws is not None
    a, b = (e.draws for e in res.strata)
    assert a is not None and b is not None
    assert np.array_equal(c.draws, a + b)
    assert c.total == pytest.approx(np.median(a + b))
    assert "draws" in c.interval_kind


def test_estimate_total_dispatches_on_strata() -> None:
    res = estimate_total(histories(), method="chapman")
    assert res.to_dict()["kind"] == "stratified_estimate"


def test_loglinear_strata() -> None:
    rng = np.random.default_rng(2)
    import pandas as pd

    rows = []
    for stratum in ("x", "y"):
        caught = rng.random((2000, 3)) < [0.3, 0.3, 0.3]
        caught = caught[caught.any(axis=1)]
        pats, counts = np.unique(caught.astype(int), axis=0, return_counts=True)
        rows += [(*p, stratum, c) for p, c in zip(pats.tolist(), counts.tolist(), strict=True)]
    h = CaptureHistories.from_frame(pd.DataFrame(rows, columns=["A", "B", "C", "s", "count"]),
                                    by=["s"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        res = estimate_by_stratum(h, LogLinear().fit)
    assert res.combined is not None
    assert res.combined.total == pytest.approx(sum(e.total for e in res.strata))
    assert 3400 < res.combined.total < 4600


def test_imputations_pool_draws_and_rubin() -> None:
    from dadkhah.estimate import Estimate, StratifiedEstimate, combine_imputations

    def rep(total: float, draws: list[float] | None, se: float) -> StratifiedEstimate:
        e = Estimate(method="x", stratum=(("province", "p"),), lists=("a", "b"), observed=50,
                     total=total, interval=(total - 10, total + 10), draws=draws,
                     diagnostics={"se": se})
        return StratifiedEstimate(by=("province",), strata=(e,), sparse=(), combined=e)

    bayes = combine_imputations([rep(100, [90.0, 100.0, 110.0], 5),
                                 rep(120, [110.0, 120.0, 130.0], 5)])
    assert bayes.strata[0].draws is not None and bayes.strata[0].draws.size == 6
    assert bayes.strata[0].total == 110.0  # median of the six pooled draws
    same = combine_imputations([rep(100, None, 5), rep(100, None, 5)])
    apart = combine_imputations([rep(90, None, 5), rep(110, None, 5)])
    # no between-imputation variance: Rubin's interval is the within one; with it: wider
    w_same = same.combined.interval.high - same.combined.interval.low
    w_apart = apart.combined.interval.high - apart.combined.interval.low
    assert same.combined.total == pytest.approx(100.0) and w_apart > 2 * w_same
    assert "Imputations" in str(apart) and apart.to_dict()["imputation"]["replicates"] == 2


def test_estimate_total_merges_lists_first() -> None:
    h = CaptureHistories.from_arrays(["A", "B", "C"], [[1, 1, 0], [1, 0, 1], [1, 0, 0],
                                                       [0, 1, 1], [0, 1, 0], [0, 0, 1]],
                                     [30, 25, 40, 20, 35, 45])
    merged = estimate_total(h, method="chapman", merge_lists={"AB": ["A", "B"]})
    assert isinstance(merged, Estimate) and merged.lists == ("AB", "C")
    assert merged.total == pytest.approx(chapman(h.merge_lists({"AB": ["A", "B"]})).total)

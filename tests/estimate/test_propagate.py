"""Linkage uncertainty carried into the total, checked against known truth (SYNTHETIC).

A population of known size is captured by three lists; each capture is one record, and the
register as built links every person's records correctly.  When the linkage model is unsure
of those links (probability 0.5), drawn registers split persons and the pooled interval must
be wider than the fixed one; when it is sure (probability 1), every drawn register is the
register itself and the interval must not widen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import (
    LCMCR,
    CaptureHistories,
    ClosedPopulation,
    LogLinear,
    combine_linkage_draws,
    same_model,
)
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty
from dadkhah.register.linkage_draws import estimate_over_draws

LISTS = ("A", "B", "C")
pytestmark = pytest.mark.filterwarnings("ignore::dadkhah.errors.EstimationWarning")


def _population(n: int = 1500, seed: int = 3) -> tuple[pd.DataFrame, pd.Series, int]:
    """Records (one per capture), the true person of each record, and the true total."""
    rng = np.random.default_rng(seed)
    on = rng.random((n, len(LISTS))) < np.array([0.35, 0.3, 0.25])
    rows, person = [], []
    rid = 1
    for i in range(n):
        for j, name in enumerate(LISTS):
            if on[i, j]:
                rows.append((rid, name))
                person.append(i)
                rid += 1
    records = pd.DataFrame(rows, columns=["unique_id", "source"])
    truth = pd.Series(person, index=records.unique_id, name="cluster")
    return records, truth, n


def _within_pairs(truth: pd.Series, p: float) -> pd.DataFrame:
    out = []
    for members in truth.groupby(truth.to_numpy()).groups.values():
        ids = sorted(int(x) for x in members)
        out += [(a, b, p) for i, a in enumerate(ids) for b in ids[i + 1:]]
    return pd.DataFrame(out, columns=["unique_id_l", "unique_id_r", "match_probability"])


def _uncertainty(p: float) -> tuple[LinkageUncertainty, int]:
    records, truth, n = _population()
    unc = LinkageUncertainty(records=records, assignment=truth, pairs=_within_pairs(truth, p),
                             lists=LISTS, synthetic=True)
    return unc, n


def test_histories_of_the_true_register_count_the_persons_named() -> None:
    unc, _ = _uncertainty(1.0)
    h = unc.histories()
    assert h.observed == unc.assignment.nunique()
    assert h.list_totals() == unc.records.source.value_counts().reindex(LISTS).to_dict()


def test_certain_linkage_draws_the_register_itself_and_does_not_widen() -> None:
    unc, n = _uncertainty(1.0)
    draws = unc.draw(5, seed=1, cluster=cluster_records)
    for d in draws:  # same partition as the register (cluster keys differ, groups do not)
        assert d.groupby(unc.assignment.reindex(d.index).to_numpy()).nunique().max() == 1
        assert d.nunique() == unc.assignment.nunique()
    res = estimate_over_draws(unc, LogLinear().fit, n=5, seed=1, cluster=cluster_records)
    assert res.linkage_share == pytest.approx(0.0, abs=1e-9)
    assert res.estimate.total == pytest.approx(res.fixed.total, rel=1e-9)
    assert res.fixed.interval.low <= n <= res.fixed.interval.high


def test_uncertain_linkage_widens_the_interval() -> None:
    unc, n = _uncertainty(0.5)
    res = estimate_over_draws(unc, LogLinear().fit, n=10, seed=1, cluster=cluster_records)
    lo, mid, hi = res.persons
    assert lo > unc.assignment.nunique()  # drawn registers split persons
    fixed_w = res.fixed.interval.high - res.fixed.interval.low
    pooled_w = res.estimate.interval.high - res.estimate.interval.low
    assert pooled_w > 1.5 * fixed_w
    # (Rubin's share is 1 - sqrt(within / total): 0.3 here, the width 1.5 times or more)
    assert res.linkage_share > 0.2
    # the drawn registers move the centre too, and the summary says by how much
    assert res.register_persons == unc.assignment.nunique()
    assert res.persons_shift > 0 and res.centre_shift == pytest.approx(
        res.estimate.total / res.fixed.total - 1)
    # the fixed register is the truth here: its interval covers the true total
    assert res.fixed.interval.low <= n <= res.fixed.interval.high
    text = res.summary().as_text()
    assert "register taken as certain" in text and "Share of the width from linkage" in text
    # the line on the pair probabilities reads in Persian too, as it says in English
    from functools import partial

    from dadkhah.web.i18n import render_wording

    assert res.calibration and res.calibration_wording is not None
    assert render_wording("en", res.calibration_wording) == res.calibration
    fa = dict(res.summary_wordings().render(partial(render_wording, "fa")).rows)
    assert fa["احتمال جفت‌ها"].startswith("احتمال‌های خود مدل")
    assert "Centre moved by linkage" in text
    assert "Pair probabilities" in text and "no audit answers" in text
    assert res.to_dict()["linkage"]["register_persons"] == unc.assignment.nunique()
    d = res.to_dict()
    assert d["linkage"]["draws"] == 10 and d["fixed"]["total"] == res.fixed.total
    assert not any(a.startswith("Records were matched") for a in res.estimate.assumptions)


@pytest.mark.filterwarnings("ignore::dadkhah.errors.ConvergenceWarning")
def test_bayesian_draws_are_pooled_and_widen_too() -> None:
    unc, _ = _uncertainty(0.5)
    fit = LCMCR(burnin=500, samples=400, thin=2, chains=2, seed=1, min_ess=10).fit
    res = estimate_over_draws(unc, fit, n=4, seed=1, cluster=cluster_records)
    assert res.estimate.draws is not None and res.estimate.draws.size == 4 * 800
    assert "pooled" in res.estimate.interval_kind
    assert res.linkage_share > 0.2
    # the worst chains of any drawn register are kept, for the headline to see
    assert res.estimate.diagnostics["rhat"] >= res.fixed.diagnostics["rhat"] or \
        res.estimate.diagnostics["rhat"] > 1.0


def test_no_draw_is_an_error() -> None:
    from dadkhah.errors import EstimationError

    unc, _ = _uncertainty(1.0)
    with pytest.raises(EstimationError, match="No drawn register"):
        combine_linkage_draws(LogLinear().fit(unc.histories()), [])


def test_certain_linkage_gives_the_fixed_interval_itself() -> None:
    """Known truth: every drawn register is the register, so the propagated interval is the
    fixed one (the same model refitted, no between-register variance), not a Wald interval
    of another shape."""
    unc, n = _uncertainty(1.0)
    res = estimate_over_draws(unc, LogLinear().fit, n=4, seed=1, cluster=cluster_records)
    assert res.estimate.interval.low == pytest.approx(res.fixed.interval.low, rel=1e-9)
    assert res.estimate.interval.high == pytest.approx(res.fixed.interval.high, rel=1e-9)
    assert res.fixed.interval.low <= n <= res.fixed.interval.high


def _four_lists(seed: int, n: int = 900) -> CaptureHistories:
    rng = np.random.default_rng(seed)
    on = rng.random((n, 4)) < np.array([0.4, 0.35, 0.3, 0.25])
    on[:, 1] |= on[:, 0] & (rng.random(n) < 0.25)  # B copies some of A: a dependence
    frame = pd.DataFrame(on.astype(int), columns=list("ABCD"))
    return CaptureHistories.from_persons(frame[frame.sum(axis=1) > 0], lists=list("ABCD"))


def test_drawn_registers_are_fitted_with_the_model_chosen_on_the_register() -> None:
    """BIC chooses a different model on a near-identical table; the drawn registers keep
    the register's (what made the demo's share of the width from linkage a model flip)."""
    base = _four_lists(0)
    fixed = LogLinear().fit(base)
    flipped = None
    for s in range(1, 40):
        h = _four_lists(s)
        if LogLinear().fit(h).diagnostics["model"] != fixed.diagnostics["model"]:
            flipped = h
            break
    assert flipped is not None
    kept = same_model(fixed, LogLinear().fit)(flipped)
    assert kept.diagnostics["model"] == fixed.diagnostics["model"]
    assert kept.level == fixed.level
    # an averaged model and a model-free method are returned as they are
    avg = LogLinear(average=True)
    assert same_model(avg.fit(base), avg.fit) == avg.fit
    closed = ClosedPopulation().fit(base)
    assert same_model(closed, ClosedPopulation().fit)(flipped).settings["model"] == \
        closed.settings["model"]


def test_estimate_over_draws_chooses_the_model_once_unless_asked() -> None:
    unc, _ = _uncertainty(0.5)
    calls: list[int] = []

    def fit(h: CaptureHistories) -> object:
        calls.append(h.observed)
        return LogLinear().fit(h)

    estimate_over_draws(unc, fit, n=3, seed=1, cluster=cluster_records)
    assert len(calls) == 1  # the register's choice; the draws refit that model
    calls.clear()
    estimate_over_draws(unc, fit, n=3, seed=1, cluster=cluster_records, reselect=True)
    assert len(calls) == 4
    # prepare is applied to the register's histories and to every draw's
    seen: list[tuple[str, ...]] = []

    def prepare(h: CaptureHistories) -> CaptureHistories:
        seen.append(h.lists)
        return h.merge_lists({"A+B": ["A", "B"]})

    res = estimate_over_draws(unc, LogLinear().fit, n=3, seed=1, cluster=cluster_records,
                              prepare=prepare)
    assert len(seen) == 4 and res.estimate.lists == ("A+B", "C")
    assert "Model on drawn registers" in res.summary().as_text()

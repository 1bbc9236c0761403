"""The register's missed links estimated from the case, against known truth (SYNTHETIC): the
expected true links among the merges the stored pairs propose, under a calibration fitted on
a random audit of those pairs, is near zero when none of them is a true link and near the
true number when many are; the unseen links the draws add scale with it, so a case with no
sign of splitting draws none, and one with many draws more."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import TUNED_PAIR_CALIBRATION, PairCalibration, fit_pair_calibration
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty

EMPTY = pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_probability": []})


def _case(true_share: float, *, k: int = 300, seed: int = 0,
          calibration: PairCalibration | None = None) -> tuple[LinkageUncertainty, np.ndarray]:
    """``2k`` lone records on lists A and B, each pair (2j+1, 2j+2) stored across persons
    with a probability in 0.2-0.6 (kept apart by the register); ``true_share`` of them are
    truly one person.  Returns the register and which of its stored pairs are true links."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, 2 * k + 1)
    src = np.where(ids % 2 == 1, "A", "B")
    p = rng.uniform(0.2, 0.6, k)
    true = rng.random(k) < true_share
    pairs = pd.DataFrame({"unique_id_l": ids[0::2], "unique_id_r": ids[1::2],
                          "match_probability": p})
    unc = LinkageUncertainty(records=pd.DataFrame({"unique_id": ids, "source": src}),
                             assignment=pd.Series(ids, index=ids), pairs=pairs,
                             lists=("A", "B"), calibration=calibration)
    return unc, true


def _audited(true_share: float, answers: int = 80, seed: int = 0) -> tuple[
        LinkageUncertainty, int]:
    """:func:`_case` with the calibration fitted on a random audit of ``answers`` of its
    stored pairs answered from the truth, updating the tuned default (as a case does)."""
    unc, truth = _case(true_share, seed=seed)
    rng = np.random.default_rng([seed, 1])
    pick = rng.choice(len(unc.pairs), answers, replace=False)
    p = unc.pairs.match_probability.to_numpy()[pick]
    cal = fit_pair_calibration(np.log(p / (1 - p)), ["apart"] * answers, truth[pick],
                               prior=TUNED_PAIR_CALIBRATION)
    return LinkageUncertainty(**{**unc.__dict__, "calibration": cal}), int(truth.sum())


def test_no_stored_pair_across_persons_means_no_missed_link() -> None:
    ids = np.arange(1, 201)
    unc = LinkageUncertainty(records=pd.DataFrame({"unique_id": ids,
                                                   "source": np.where(ids % 2, "A", "B")}),
                             assignment=pd.Series(ids, index=ids), pairs=EMPTY,
                             lists=("A", "B"), calibration=TUNED_PAIR_CALIBRATION)
    m = unc.missed_links()
    assert (m.candidates, m.apart_links, m.unseen) == (0, 0.0, 0.0)
    assert all(d.nunique() == 200 for d in unc.draw(5, seed=1, cluster=cluster_records))


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_the_audited_estimate_recovers_the_true_number_of_missed_links(share: float) -> None:
    unc, n_true = _audited(share)
    m = unc.missed_links()
    assert m.candidates == 300
    # 80 answers of 300 pairs, shrunk toward the tuned 21% by 4 pseudo-pairs: within about
    # two binomial standard errors of the truth (300 * sqrt(.25 / 80) = 17)
    assert m.apart_links == pytest.approx(n_true, abs=35)
    if share == 0.0:
        assert m.apart_links < 20 and m.unseen < 0.1 * TUNED_PAIR_CALIBRATION.unseen_per_apart \
            * 300


def test_more_sign_of_splitting_draws_more_unseen_links() -> None:
    none, _ = _audited(0.0)
    many, _ = _audited(0.6)
    lo, hi = none.missed_links(), many.missed_links()
    assert hi.apart_links > 5 * max(lo.apart_links, 1.0)
    assert hi.unseen > 5 * max(lo.unseen, 0.1)
    # the draws merge about apart_links + unseen pairs of persons
    k = len(many.records)
    merged_hi = np.mean([k - d.nunique() for d in many.draw(10, seed=2,
                                                            cluster=cluster_records)])
    merged_lo = np.mean([k - d.nunique() for d in none.draw(10, seed=2,
                                                            cluster=cluster_records)])
    assert merged_hi == pytest.approx(hi.apart_links + hi.unseen, rel=0.25)
    assert merged_lo < merged_hi / 4


def test_decided_and_audit_found_links_count_as_seen_once() -> None:
    # a match decision across two persons, and two audit pairs answered match that the
    # audit's run had kept apart (one of them the same pair, one since joined by a relink)
    ids = np.arange(1, 11)
    assign = pd.Series([1, 2, 3, 4, 5, 6, 7, 7, 9, 10], index=ids)
    unc = LinkageUncertainty(records=pd.DataFrame({"unique_id": ids,
                                                   "source": np.where(ids % 2, "A", "B")}),
                             assignment=assign, pairs=EMPTY, must_link=((2, 1), (7, 8)),
                             found_links=((1, 2), (7, 8)), lists=("A", "B"),
                             calibration=TUNED_PAIR_CALIBRATION)
    assert unc.decided_links() == 2  # (1, 2) once; (7, 8) found by the audit
    m = unc.missed_links()
    assert m.apart_links == 2.0 and m.unseen > 0
    assert m.unseen == pytest.approx(TUNED_PAIR_CALIBRATION.unseen_expected(2.0, 9))

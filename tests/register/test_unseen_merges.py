"""Missed links no stored pair shows (the register's splits) in the drawn registers: as many
merges as the calibration's unseen rate says, only between persons on no common list, of
one sex, and never across a cannot-link decision (SYNTHETIC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import TUNED_PAIR_CALIBRATION, PairCalibration
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty, draw_registers

EMPTY = pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_probability": []})


def _merged_pairs(d: pd.Series) -> list[tuple[int, ...]]:
    return [tuple(g.index) for _, g in d.groupby(d) if len(g) > 1]


@pytest.mark.parametrize("rate", [0.02, 0.08])
def test_unseen_merges_happen_at_the_calibrations_rate(rate: float) -> None:
    # 400 lone records on four lists, no stored pair: only unseen merges can join them
    k = 400
    ids = np.arange(1, k + 1)
    src = pd.Series(np.array(["A", "B", "C", "D"])[ids % 4], index=ids)
    cal = PairCalibration(unseen_merges=rate)  # no spread: Poisson(rate * persons)
    draws = draw_registers(ids, pd.Series(ids, index=ids), EMPTY, n=40, seed=1,
                           cluster=cluster_records, calibration=cal, sources=src)
    merges = np.array([k - d.nunique() for d in draws])
    # 40 Poisson draws of mean rate * k: the mean's standard error is sqrt(rate * k / 40)
    assert merges.mean() == pytest.approx(rate * k, abs=4 * np.sqrt(rate * k / 40) + 0.5)
    for d in draws:
        for group in _merged_pairs(d):
            assert len(group) == 2 and src[group[0]] != src[group[1]]  # across lists only


def test_no_unseen_merges_without_the_rate_and_spread_widens_the_count() -> None:
    k = 400
    ids = np.arange(1, k + 1)
    src = pd.Series(np.array(["A", "B"])[ids % 2], index=ids)
    none = draw_registers(ids, pd.Series(ids, index=ids), EMPTY, n=10, seed=1,
                          cluster=cluster_records, calibration=PairCalibration(), sources=src)
    assert all(d.nunique() == k for d in none)
    fixed = [k - d.nunique() for d in draw_registers(
        ids, pd.Series(ids, index=ids), EMPTY, n=60, seed=2, cluster=cluster_records,
        calibration=PairCalibration(unseen_merges=0.05), sources=src)]
    spread = [k - d.nunique() for d in draw_registers(
        ids, pd.Series(ids, index=ids), EMPTY, n=60, seed=2, cluster=cluster_records,
        calibration=PairCalibration(unseen_merges=0.05, unseen_cv=0.8), sources=src)]
    # a rate uncertain from one register to another (gamma-Poisson) spreads the draws more
    # than Poisson alone (variance 20 against 20 + 0.64 * 400)
    assert np.var(spread) > 2 * np.var(fixed)


def test_unseen_merges_respect_decisions_sex_and_lists() -> None:
    # two lists; records 2j+1 (list A) and 2j+2 (list B), cannot-link between every such
    # pair, and sexes alternating by pair: any merge must join different pairs, same sex
    k = 300
    ids = np.arange(1, k + 1)
    src = pd.Series(np.where(ids % 2 == 1, "A", "B"), index=ids)
    sex = np.where(((ids - 1) // 2) % 2 == 0, "m", "f")
    feats = pd.DataFrame({"unique_id": ids, "sex": sex})
    cannot = tuple((int(i), int(i) + 1) for i in ids[::2])
    unc = LinkageUncertainty(records=pd.DataFrame({"unique_id": ids, "source": src.to_numpy()}),
                             assignment=pd.Series(ids, index=ids), pairs=EMPTY,
                             cannot_link=cannot, lists=("A", "B"), features=feats,
                             calibration=PairCalibration(unseen_merges=0.1))
    draws = unc.draw(20, seed=3, cluster=cluster_records)
    n_merged = 0
    by_id = pd.Series(sex, index=ids)
    for d in draws:
        assert all(d[a] != d[b] for a, b in cannot)
        for group in _merged_pairs(d):
            n_merged += 1
            assert len({src[g] for g in group}) == len(group)
            assert len({by_id[g] for g in group}) == 1
    assert n_merged > 20 * 0.1 * k * 0.5  # most wanted merges find a partner


def test_the_tuned_default_draws_unseen_merges_and_the_models_own_does_not() -> None:
    # 200 lone records; 30 stored pairs across them (kept apart at 0.3): the case shows
    # missed links, so the tuned default draws unseen ones beside them
    ids = np.arange(1, 201)
    src = pd.Series(np.where(ids % 2 == 1, "A", "B"), index=ids)
    pairs = pd.DataFrame({"unique_id_l": ids[0:60:2], "unique_id_r": ids[1:60:2],
                          "match_probability": 0.3})
    unc = LinkageUncertainty(records=pd.DataFrame({"unique_id": ids, "source": src.to_numpy()}),
                             assignment=pd.Series(ids, index=ids), pairs=pairs,
                             lists=("A", "B"), calibration=TUNED_PAIR_CALIBRATION)
    assert TUNED_PAIR_CALIBRATION.draws_unseen
    assert "tuning" in unc.summary()
    m = unc.missed_links()
    assert m.candidates == 30 and m.unseen > 0
    drawn = unc.draw(40, seed=1, cluster=cluster_records)
    merged = np.mean([200 - d.nunique() for d in drawn])
    outside = np.mean([sum(d[a] == d[b] for a in ids[60::2] for b in ids[61::2])
                       for d in drawn[:5]])
    assert merged == pytest.approx(m.apart_links + m.unseen, rel=0.35)
    assert outside > 0  # some unseen merges join records no stored pair touches
    # the model's own probabilities see no unseen link
    for d in unc.draw(5, seed=1, cluster=cluster_records, method="model"):
        assert d[ids[60:]].nunique() == 140


def test_unseen_merges_the_clustering_refuses_are_offered_again() -> None:
    """A draw makes as many unseen merges as it drew (the tuned rate counts merges made): one
    its clustering refuses (here: any that touches a "guarded" record, as the sibling or
    surname guard would) is offered again between other random persons.  Without the second
    offers only a quarter would be made (both records unguarded); with them nearly all."""
    k = 400
    ids = np.arange(1, k + 1)
    src = pd.Series(np.array(["A", "B", "C", "D"])[ids % 4], index=ids)
    guarded = set(ids[ids % 8 < 4].tolist())  # half the records, on every list

    def refusing(nodes, edges, **kw):  # type: ignore[no-untyped-def]
        ok = ~(edges.unique_id_l.isin(guarded) | edges.unique_id_r.isin(guarded))
        return cluster_records(nodes, edges[ok], **kw)

    cal = PairCalibration(unseen_merges=0.05)  # Poisson(20) unseen merges a draw
    made = [k - d.nunique() for d in draw_registers(
        ids, pd.Series(ids, index=ids), EMPTY, n=30, seed=2, cluster=refusing,
        calibration=cal, sources=src)]
    # measured 10.1 made of 20 drawn a draw (two second offers); about 5 without them
    assert float(np.mean(made)) > 0.4 * 0.05 * k

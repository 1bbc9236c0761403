"""Drawn registers against known truth: a lone pair links as often as its probability says,
a merge the register's clustering refused stays mostly refused, decisions and the sibling
guard bind every draw, and a calibration fitted on reviewed answers moves how often drawn
registers merge kept-apart pairs to how often they are truly one person (SYNTHETIC)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import PairCalibration, fit_pair_calibration
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty, draw_registers
from tests.register.conftest import paired_persons


def _pairs(rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unique_id_l", "unique_id_r", "match_probability"])


@pytest.mark.parametrize("p", [0.25, 0.5, 0.85])
def test_a_lone_pair_links_as_often_as_its_probability(p: float) -> None:
    # 200 pairs of records, nothing else near them; the register linked those >= 0.55
    k = 200
    ids = list(range(1, 2 * k + 1))
    assign = pd.Series([i if p < 0.55 else i - (i + 1) % 2 for i in ids], index=ids)
    pairs = _pairs([(2 * j + 1, 2 * j + 2, p) for j in range(k)])
    draws = draw_registers(ids, assign, pairs, n=20, seed=3, cluster=cluster_records)
    linked = np.mean([(d.to_numpy()[0::2] == d.to_numpy()[1::2]).mean() for d in draws])
    # 4,000 Bernoulli(p) trials: the standard error is below 0.008
    assert linked == pytest.approx(p, abs=0.03)
    # the expected number of persons is what the probabilities imply: 2k - k p
    persons = np.mean([d.nunique() for d in draws])
    assert persons == pytest.approx(2 * k - k * p, rel=0.02)


def test_a_merge_the_register_refused_stays_mostly_refused() -> None:
    # two persons of two records each (their pairs scored above the stored band), one
    # cross pair scored 0.9 and the other three cross pairs never scored: average linkage
    # refuses the merge.  Drawing the cross link with its 0.9 and closing transitively
    # merged them nine times in ten; the register's rule keeps them apart.
    pp = paired_persons()
    draws = draw_registers(pp.ids, pp.assignment, pp.pairs, n=10, seed=1,
                           cluster=cluster_records)
    assert pp.merged(draws) < 0.1
    for d in draws:  # persons with no stored pair are never split
        assert all(d[4 * j + 1] == d[4 * j + 2] for j in range(pp.k))
    # drawn given the decision, the merge happens as often as the evidence the register
    # weighed says: mean log-odds over the four cross pairs, (logit 0.9 - 3 * 2) / 4,
    # probability 0.28 (not the cross pair's 0.9); unstored links within persons hold 99%
    draws = draw_registers(pp.ids, pp.assignment, pp.pairs, n=20, seed=1,
                           cluster=cluster_records, calibration=PairCalibration())
    assert pp.merged(draws) == pytest.approx(1 / (1 + np.exp(-(np.log(9) - 6) / 4)), abs=0.05)
    assert pp.held(draws) == pytest.approx(0.99, abs=0.01)


def _kept_apart_case(k: int = 600, p: float = 0.45, true_rate: float = 0.1, seed: int = 5):
    """``k`` lone pairs of records the register kept apart, each scored ``p`` by the model,
    of which ``true_rate`` are truly one person (the model's probabilities, as measured
    on held-out profiles, are far from calibrated once the register has decided)."""
    rng = np.random.default_rng(seed)
    ids = list(range(1, 2 * k + 1))
    assign = pd.Series(ids, index=ids)
    pairs = _pairs([(2 * j + 1, 2 * j + 2, p) for j in range(k)])
    truth = rng.random(k) < true_rate
    return ids, assign, pairs, truth


@pytest.mark.parametrize("true_rate", [0.1, 0.3])
def test_calibration_on_reviewed_answers_moves_draws_to_the_truth_and_decisions_win(
        true_rate: float) -> None:
    ids, assign, pairs, truth = _kept_apart_case(true_rate=true_rate)
    k = len(truth)
    reviewed = np.arange(0, k, 4)  # a random sample in effect: the truth is drawn at random
    must = [(2 * j + 1, 2 * j + 2) for j in reviewed if truth[j]]
    cannot = [(2 * j + 1, 2 * j + 2) for j in reviewed if not truth[j]]
    score = np.full(reviewed.size, np.log(0.45 / 0.55))
    cal = fit_pair_calibration(score, ["apart"] * reviewed.size, truth[reviewed])
    assert cal.apart.fitted and not cal.linked.fitted

    def merged(calibration: PairCalibration) -> tuple[float, list[pd.Series]]:
        draws = draw_registers(ids, assign, pairs, must_link=must, cannot_link=cannot, n=20,
                               seed=2, cluster=cluster_records, calibration=calibration)
        rest = [j for j in range(k) if j not in set(reviewed.tolist())]
        rate = np.mean([np.mean([d[2 * j + 1] == d[2 * j + 2] for j in rest]) for d in draws])
        return float(rate), draws

    default, _ = merged(PairCalibration())
    fitted, draws = merged(cal)
    observed = truth[[j for j in range(k) if j % 4]].mean()
    assert default == pytest.approx(0.45, abs=0.03)  # the model's own probability
    # the draws merge as often as the answers say (shrunk a little toward the model) ...
    assert abs(fitted - truth[reviewed].mean()) < 0.03
    # ... which is the truth among the unreviewed pairs up to the sampling error of 150
    # answers (three standard errors, and the 20 draws' own noise)
    se = np.sqrt(observed * (1 - observed) / reviewed.size)
    assert abs(fitted - observed) < 3 * se + 0.02
    assert abs(fitted - observed) < abs(default - observed) - 0.1
    for d in draws:  # the answers are decisions, and decisions always win
        assert all(d[a] == d[b] for a, b in must) and all(d[a] != d[b] for a, b in cannot)


def test_calibration_keeps_a_linked_side_the_answers_say_is_right() -> None:
    # 300 two-record persons the register linked though the model scored them 0.3; the
    # reviewed answers say 95% are right: drawn registers split them about 5% of the time
    rng = np.random.default_rng(4)
    k = 300
    ids = list(range(1, 2 * k + 1))
    assign = pd.Series([i - (i + 1) % 2 for i in ids], index=ids)
    pairs = _pairs([(2 * j + 1, 2 * j + 2, 0.3) for j in range(k)])
    answers = rng.random(100) < 0.95
    cal = fit_pair_calibration(np.full(100, np.log(0.3 / 0.7)), ["linked"] * 100, answers)
    draws = draw_registers(ids, assign, pairs, n=20, seed=3, cluster=cluster_records,
                           calibration=cal)
    kept = np.mean([(d.to_numpy()[0::2] == d.to_numpy()[1::2]).mean() for d in draws])
    assert kept == pytest.approx(answers.mean(), abs=0.04)


def test_decisions_and_the_sibling_guard_bind_every_draw() -> None:
    # 1-2: brothers (one surname and father's name, different given names) scored 0.95;
    # 3-4 a cannot-link scored 0.95; 5-6 a must-link scored 0.25
    feats = pd.DataFrame({
        "unique_id": [1, 2, 3, 4, 5, 6],
        "surname_key": ["rezai", "rezai", None, None, None, None],
        "father_key": ["ali", "ali", None, None, None, None],
        "given1_key": ["hasan", "mahmud", None, None, None, None]})
    records = pd.DataFrame({"unique_id": range(1, 7), "source": ["A", "B"] * 3})
    unc = LinkageUncertainty(records=records, assignment=pd.Series(range(1, 7), index=range(1, 7)),
                             pairs=_pairs([(1, 2, 0.95), (3, 4, 0.95), (5, 6, 0.25)]),
                             must_link=((5, 6),), cannot_link=((3, 4),), lists=("A", "B"),
                             features=feats)
    draws = unc.draw(40, seed=2, cluster=cluster_records)
    for d in draws:
        assert d[1] != d[2] and d[3] != d[4] and d[5] == d[6]
    # without the name keys the guard cannot apply, and the brothers are merged as often as
    # the model's own probability says (method "model": the identity calibration)
    bare = LinkageUncertainty(**{**unc.__dict__, "features": None})
    assert np.mean([d[1] == d[2] for d in bare.draw(40, seed=2, cluster=cluster_records,
                                                    method="model")]) > 0.8


@pytest.fixture(scope="module")
def linked_with_truth(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from dadkhah.linkage import link_case
    from dadkhah.testing import record_truth, simulated_case

    tmp = tmp_path_factory.mktemp("draws-truth")
    sc = simulated_case(tmp / "case", scenario="small", persons=400, seed=2,
                        lists_folder=tmp / "lists")
    link_case(sc.case, by="test")
    return sc.case, record_truth(sc.case, tmp / "lists")


@pytest.mark.filterwarnings("ignore")
def test_drawn_registers_are_as_precise_as_the_register(linked_with_truth) -> None:  # type: ignore[no-untyped-def]
    """On lists linked by the real pipeline, drawn registers must be plausible registers:
    about as precise as the register against the truth, and about as many persons.  Links
    drawn independently and closed transitively fell to a pairwise precision of 0.73-0.90
    on such lists, merging pairs the clustering had refused."""
    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty

    case, truth = linked_with_truth
    unc = linkage_uncertainty(case, features=compute_features)
    assert unc.features is not None and unc.uncertain_pairs > 0
    reg = evaluate_clusters(unc.assignment.rename("cluster"), truth)
    draws = unc.draw(10, seed=1, cluster=cluster_records, method="recluster")
    precision = [evaluate_clusters(d, truth).pairwise_precision for d in draws]
    assert min(precision) > reg.pairwise_precision - 0.05
    persons = [d.nunique() for d in draws]
    registered = unc.assignment.nunique()
    assert abs(float(np.median(persons)) - registered) < 0.05 * registered
    assert len(set(persons)) > 1  # and they differ: the uncertainty is sampled


@pytest.mark.filterwarnings("ignore")
def test_calibrated_draws_on_linked_lists_stay_plausible(linked_with_truth) -> None:  # type: ignore[no-untyped-def]
    """The default draws (given the decision, the tuned calibration) merge persons the
    register kept apart as often as the tuning profiles say, and add the merges no stored
    pair shows at random (their partners are unknown, so most are wrong pairs: pairwise
    precision falls a few points, the price of letting the overlaps between lists vary as
    much as the missed links make them), while the drawn registers remain registers of
    about as many persons, no more than the register (its main error is splitting), and no
    draw is less precise than 0.85.  The model's own probabilities (``model``) keep the
    precision within 0.03 of the register's."""
    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty

    case, truth = linked_with_truth
    unc = linkage_uncertainty(case, features=compute_features)
    assert unc.calibration is not None and not unc.calibration.fitted  # nothing answered
    reg = evaluate_clusters(unc.assignment.rename("cluster"), truth)
    draws = unc.draw(10, seed=1, cluster=cluster_records)
    ev = [evaluate_clusters(d, truth) for d in draws]
    assert float(np.median([e.pairwise_precision for e in ev])) > reg.pairwise_precision - 0.08
    assert min(e.pairwise_precision for e in ev) > 0.85
    persons = [d.nunique() for d in draws]
    registered = unc.assignment.nunique()
    assert abs(float(np.median(persons)) - registered) < 0.05 * registered
    assert float(np.median(persons)) <= registered
    assert len(set(persons)) > 1
    own = [evaluate_clusters(d, truth) for d in unc.draw(10, seed=1, cluster=cluster_records,
                                                         method="model")]
    assert float(np.median([e.pairwise_precision for e in own])) > reg.pairwise_precision - 0.03


@pytest.mark.filterwarnings("ignore")
def test_audit_answers_calibrate_the_draws_of_a_linked_case(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On lists linked by the real pipeline, an audit sample answered from the truth gives a
    calibration (audit_calibration) whose kept-apart rate is nearer the truth rate of the
    kept-apart pairs than the model's own probabilities are, and every answer binds every
    draw."""
    from dadkhah.linkage import link_case
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import (
        audit_answers,
        draw_audit_sample,
        linkage_uncertainty,
        record_decision,
    )
    from dadkhah.testing import record_truth, simulated_case

    sc = simulated_case(tmp_path / "case", scenario="small", persons=400, seed=2,
                        lists_folder=tmp_path / "lists")
    case = sc.case
    link_case(case, by="test")
    truth = record_truth(case, tmp_path / "lists")
    draw_audit_sample(case, 160, by="test", seed=1)
    for a in audit_answers(case):
        same = truth[a["record_l"]] == truth[a["record_r"]]
        record_decision(case, a["record_l"], a["record_r"], "match" if same else "no_match",
                        by="reviewer", reason="SYNTHETIC truth")
    unc = linkage_uncertainty(case, features=compute_features)
    cal = unc.calibration
    assert cal is not None and cal.source.startswith("audit sample") and cal.linked.fitted
    pairs, a = unc.pairs, unc.assignment
    apart = (a.reindex(pairs.unique_id_l).to_numpy() != a.reindex(pairs.unique_id_r).to_numpy())
    true = (truth.reindex(pairs.unique_id_l).to_numpy()
            == truth.reindex(pairs.unique_id_r).to_numpy())
    model = float(pairs.match_probability[apart].mean())
    rate = float(true[apart].mean())
    score = np.log(pairs.match_probability[apart] / (1 - pairs.match_probability[apart]))
    if cal.apart.fitted:
        assert abs(float(cal.apart(score).mean()) - rate) < abs(model - rate)
    draws = unc.draw(5, seed=1, cluster=cluster_records)
    for d in draws:
        assert all(d[x] == d[y] for x, y in unc.must_link)
        assert all(d[x] != d[y] for x, y in unc.cannot_link)


@pytest.mark.filterwarnings("ignore")
def test_default_draws_of_a_good_register_do_not_over_merge(linked_with_truth) -> None:  # type: ignore[no-untyped-def]
    """On the ``small`` scenario (the demo's; seed 2 here) the register holds nearly as many
    persons as were named, and the default draws (the tuned calibration) must not take back
    many more than it split: no fewer persons than were truly named, less 0.5%, at the median
    of the drawn registers (measured: 281 for 280 named; with the unseen rate four times the
    tuned one, 278: this fails) (session 12's draws held 1,074.5 for 1,090 named on seed 3 at
    1,500 persons, 1.4% short: the unseen links were drawn in proportion to the expected
    seen ones, learnt on the profiles alone, and the ``small`` registers show a third as
    many per seen link).  (Decisions binding every draw: the tests above.)"""
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty

    case, truth = linked_with_truth
    unc = linkage_uncertainty(case, features=compute_features)
    named = int(truth.reindex(unc.assignment.index).nunique())
    persons = [d.nunique() for d in unc.draw(20, seed=3, cluster=cluster_records)]
    assert float(np.median(persons)) >= named - 0.005 * named


@pytest.mark.filterwarnings("ignore")
def test_one_passable_clustering_per_draw_call_and_the_same_draws(  # type: ignore[no-untyped-def]
        linked_with_truth, monkeypatch) -> None:
    """``draw`` clusters the kept-apart merges' check (``_passable``) once, not once for
    :meth:`missed_links`' unseen rate and again for the draws (session 13's review), and
    draws exactly what it drew before: the former call, ``draw_registers`` given
    ``unseen=missed_links(...).unseen``, with the same seed.  With audit links found, the
    unseen rate is still :meth:`missed_links`' (they count once, as seen links)."""
    import dadkhah.register.linkage_draws as ld
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty

    case, _ = linked_with_truth
    unc = linkage_uncertainty(case, features=compute_features)
    cal = unc.calibration
    assert cal is not None and cal.apart_passable
    src = unc.records.set_index("unique_id")["source"]

    def before(u: LinkageUncertainty) -> list[pd.Series]:
        return draw_registers(u.records["unique_id"], u.assignment, u.pairs,
                              must_link=u.must_link, cannot_link=u.cannot_link, n=4, seed=5,
                              cluster=cluster_records, threshold=u.threshold,
                              records=u.features, calibration=cal, sources=src,
                              unseen=u.missed_links(cal, cluster=cluster_records).unseen,
                              prior=u.prior)

    old = before(unc)
    calls = []
    real = ld._passable

    def counted(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(ld, "_passable", counted)
    new = unc.draw(4, seed=5, cluster=cluster_records)
    assert len(calls) == 1
    assert len(new) == len(old)
    for a, b in zip(new, old, strict=True):
        pd.testing.assert_series_equal(a, b)
    # an audit pair the run kept apart and answered match: a seen missed link, counted once
    a = unc.assignment
    x, y = (int(v) for v in unc.pairs.loc[
        a.reindex(unc.pairs.unique_id_l).to_numpy()
        != a.reindex(unc.pairs.unique_id_r).to_numpy(), ["unique_id_l", "unique_id_r"]].iloc[0])
    found = LinkageUncertainty(**{**unc.__dict__, "found_links": ((x, y),)})
    assert found.missed_links(cluster=cluster_records).unseen > unc.missed_links(
        cluster=cluster_records).unseen
    seen: list[float] = []
    real_unseen = ld._unseen_merges

    def spy(*a, **k):  # type: ignore[no-untyped-def]
        seen.append(float(a[5]))
        return real_unseen(*a, **k)

    monkeypatch.setattr(ld, "_unseen_merges", spy)
    fixed = LinkageUncertainty(**{**found.__dict__, "calibration": replace(cal, spread=())})
    fixed.draw(1, seed=5, cluster=cluster_records)
    assert seen[0] == pytest.approx(fixed.missed_links(cluster=cluster_records).unseen)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("method", ["calibrated", "recluster"])
def test_the_same_seed_draws_the_same_registers_whatever_order_the_pairs_come_in(  # type: ignore[no-untyped-def]
        linked_with_truth, method: str) -> None:
    """One seed, one case: the same drawn registers, however the stored pairs are ordered
    and whichever record each names first.  A case's pairs come in the order the linkage's
    threads wrote them, and the draws gave each random number to whichever pair came next,
    so two runs of the same code and seed drew different registers (session 15: replicate
    545's propagated upper bound was 351, 381 or 349; the demo's draws 3,460 or 3,461 at the
    least).  Without sorting the pairs in ``draw_registers`` this fails."""
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty

    case, _ = linked_with_truth
    unc = linkage_uncertainty(case, features=compute_features)
    first = unc.draw(4, seed=7, cluster=cluster_records, method=method)
    again = linkage_uncertainty(case, features=compute_features).draw(
        4, seed=7, cluster=cluster_records, method=method)
    rng = np.random.default_rng(0)
    shuffled = unc.pairs.sample(frac=1.0, random_state=1).reset_index(drop=True)
    swap = rng.random(len(shuffled)) < 0.5
    shuffled.loc[swap, ["unique_id_l", "unique_id_r"]] = shuffled.loc[
        swap, ["unique_id_r", "unique_id_l"]].to_numpy()
    other = replace(unc, pairs=shuffled).draw(4, seed=7, cluster=cluster_records,
                                              method=method)
    assert len({d.nunique() for d in first}) > 1  # the draws differ from each other
    for a, b, c in zip(first, again, other, strict=True):
        pd.testing.assert_series_equal(a, b)
        pd.testing.assert_series_equal(a, c)

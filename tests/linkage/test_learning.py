"""Learning from reviewers (SYNTHETIC data): the queue's order, re-fitting the model on
decisions, decisions always winning, and a simulated reviewer against the truth."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dadkhah.linkage.active import (
    fit_recalibration,
    labelled_pairs,
    persons_conflict,
    review_candidates,
    review_priority,
    sibling_pairs,
)
from dadkhah.linkage.evaluate import evaluate_clusters
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.pipeline import link_case
from dadkhah.linkage.reviewer import simulate_reviewer
from dadkhah.linkage.run import MIN_LABELS, link_features
from dadkhah.register import (
    linkage_input,
    merge_persons,
    record_decision,
    register_of,
    review_queue,
    reviewed_decisions,
)
from dadkhah.simulate import draw_profile, simulate, write_simulation
from dadkhah.store import Case
from dadkhah.testing import import_lists, record_truth, simulated_case


@pytest.fixture(scope="module")
def tuning_profile() -> tuple[pd.DataFrame, pd.Series]:
    """Features and truth of tuning profile 1 (800 persons, about 1,600 records)."""
    profile = draw_profile(1)
    sim = simulate(profile.config(800), seed=profile.seed, scenario="p1")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        man = write_simulation(sim, folder / "lists")
        case = Case.create(folder / "case", by="t")
        import_lists(case, folder / "lists", man, by="t")
        truth = record_truth(case, folder / "lists")
        return compute_features(linkage_input(case).records), truth


def _same(truth: pd.Series, a: int, b: int) -> bool:
    return bool(truth[a] == truth[b])


# -- the fit, on data whose answer is known ------------------------------------------------

def test_fit_recovers_known_scales_and_prior() -> None:
    """Labels drawn from a model whose name weight is twice the trained one and whose prior
    is 8 times higher: the fit moves both the right way (and leaves 'death' near 1)."""
    rng = np.random.default_rng(3)
    n = 3000
    pairs = pd.DataFrame({"unique_id_l": np.arange(n), "unique_id_r": np.arange(n) + n,
                          "mw_name": rng.normal(0, 4, n), "mw_death": rng.normal(0, 3, n)})
    prior = 0.01
    z0 = np.log2(prior / (1 - prior))
    z = z0 + 3 + 2 * pairs.mw_name + pairs.mw_death
    y = rng.random(n) < 1 / (1 + np.exp2(-z))
    pairs["match_probability"] = 1 / (1 + np.exp2(-(z0 + pairs.mw_name + pairs.mw_death)))
    labels = {(int(a), int(b)): bool(v) for a, b, v in
              zip(pairs.unique_id_l, pairs.unique_id_r, y, strict=True)}
    # the estimator, lightly shrunk (the default shrinkage is for answers from the queue)
    fit = fit_recalibration(pairs, labels, prior=prior, band=(0.0, 1.0), ridge_scale=20,
                            ridge_intercept=1)
    assert 1.6 < fit.scale["mw_name"] < 2.4, fit
    assert 0.8 < fit.scale["mw_death"] < 1.2, fit
    assert fit.prior > 3 * prior, fit.summary()
    # and re-scoring follows the fit
    out = fit.apply(pairs)
    assert np.allclose(out.match_weight, fit.log2_odds(pairs))


def test_few_decisions_move_the_model_little() -> None:
    """Shrinkage: five answers cannot turn a comparison around."""
    pairs = pd.DataFrame({"unique_id_l": range(5), "unique_id_r": range(5, 10),
                          "match_probability": [0.5] * 5, "mw_name": [3.0] * 5})
    fit = fit_recalibration(pairs, {(i, i + 5): False for i in range(5)}, prior=0.1)
    assert 0.5 < fit.scale["mw_name"] <= 1.0


def test_labels_accept_must_links_and_answers() -> None:
    assert labelled_pairs([(5, 2), (3, 4, False), (4, 3, True)]) == {(2, 5): True,
                                                                      (3, 4): True}


# -- the queue ------------------------------------------------------------------------------

def test_queue_asks_first_where_the_register_is_likeliest_wrong() -> None:
    """Refused merges before pairs rightly kept apart, namesakes kept apart before others
    and namesakes held together behind, a weakly held record before a well-held one, and
    one question per two persons."""
    assignment = pd.Series([1, 2, 3, 4, 5, 6, 7, 7, 7, 10, 10, 10],
                           index=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    feats = pd.DataFrame({"unique_id": range(1, 13),
                          "given_key": list("abcdeff") + list("ghijk"),
                          "surname_key": list("xyzuvww") + list("pqrst")})
    pairs = pd.DataFrame({
        "unique_id_l": [1, 3, 6, 7, 8, 10, 11],
        "unique_id_r": [2, 4, 5, 9, 9, 12, 12],
        "match_probability": [0.99, 0.3, 0.6, 0.6, 0.9, 0.6, 0.9]})
    # 1-2: a merge refused at 0.99; 3-4: apart at 0.3; 6-5: apart at 0.6, not namesakes
    # 7-9, 8-9: record 9 held weakly (0.6, 0.9) in person 7; 10-12, 11-12 held well (0.6,
    # 0.9, and 10-11 below)
    evidence = pd.concat([pairs, pd.DataFrame({"unique_id_l": [7, 10],
                                               "unique_id_r": [8, 11],
                                               "match_probability": [0.97, 0.97]})])
    pri = review_priority(pairs, assignment, feats, threshold=0.5, evidence=evidence)
    assert pri[0] > pri[1]  # a refused merge before a pair rightly apart
    # 6-5 become namesakes (e|v): apart, so asked before
    named = feats.copy()
    named.loc[named.unique_id == 6, ["given_key", "surname_key"]] = ["e", "v"]
    again = review_priority(pairs, assignment, named, threshold=0.5, evidence=evidence)
    assert again[2] > pri[2]
    # namesakes held together: asked after
    held = feats.copy()
    held.loc[held.unique_id == 9, ["given_key", "surname_key"]] = ["f", "w"]
    held.loc[held.unique_id == 7, ["given_key", "surname_key"]] = ["f", "w"]
    assert review_priority(pairs, assignment, held, threshold=0.5, evidence=evidence)[3] \
        < pri[3]
    # one question per two persons: the second pair inside person 7 goes far behind, and
    # so does a pair about two persons a decision is already about
    assert pri[4] < pri[3] / 3
    after = review_priority(pairs, assignment, feats, threshold=0.5, evidence=evidence,
                            decided=[(2, 1)])
    assert after[0] < pri[0] / 3 and after[1] == pri[1]
    # the earlier ordering (uncertainty) is still there for comparison
    q = review_candidates(pairs.iloc[:3], assignment, threshold=0.5)
    old = review_priority(q, assignment, threshold=0.5, tuning={"wrong": 0.0})
    assert old.idxmax() == 2  # 0.6 is nearest the threshold


def test_queue_is_no_worse_than_random_questions(tuning_profile) -> None:
    """The F1 gained from the first 50 answers in queue order is at least the mean of 50
    random queue pairs (three draws).  It does not reliably beat them: with the session-4
    model on tuning profile 1 at 800 persons, 0.978 → 0.981 in queue order against 0.978–
    0.983 at random (before that model: 0.889 → 0.903 against 0.889–0.895); on tuning
    profile 2 random pairs did as well.  See the benchmark (``--reviewer-order``).

    With session 8's model (u corrected for matches) the first 50 answers (18 matches) moved
    F1 0.9877 → 0.9867 on this profile, random ones to 0.9836–0.9889, and 100 answers to
    0.9905: a re-fit on 50 answers may move a few pairs either way (on tuning profile 1 at
    1,500 persons F1 dipped at 50 answers without the correction too, 0.976 → 0.975, and rose
    by 100), so 50 answers must not lose more than 0.002; that 100 raise F1 is
    :func:`test_simulated_reviewer_raises_f1`."""
    feats, truth = tuning_profile
    queue = simulate_reviewer(feats, truth, steps=(0, 50))
    random = [simulate_reviewer(feats, truth, steps=(0, 50), order="random", seed=s).f1(50)
              for s in (1, 2, 3)]
    assert queue.steps[1].decisions == 50
    assert queue.f1(50) >= queue.f1(0) - 0.002, queue.summary()
    assert queue.f1(50) >= sum(random) / len(random) - 0.001, (queue.summary(), random)


def test_a_simulated_answer_is_one_question_and_settles_every_pair_shown(
        tuning_profile) -> None:
    """With several candidates per question (the default, as ``dadkhah review -i`` asks),
    the curve counts answers, each of which records a decision on every pair it showed; with
    one, an answer is one pair."""
    feats, truth = tuning_profile
    grouped = simulate_reviewer(feats, truth, steps=(0, 30), candidates=4)
    single = simulate_reviewer(feats, truth, steps=(0, 30), candidates=1)
    assert grouped.steps[1].decisions == single.steps[1].decisions == 30
    assert single.steps[1].pairs == 30
    assert 30 < grouped.steps[1].pairs <= 4 * 30, grouped.summary()


def test_simulated_reviewer_raises_f1(tuning_profile) -> None:
    feats, truth = tuning_profile
    curve = simulate_reviewer(feats, truth, steps=(0, 100))
    # 100 answers close at least a fifth of what F1 lacks: measured 0.9877 → 0.9905 with
    # session 8's model (23% of the gap), 0.987 → 0.990 with session 7's (24%; what is
    # left is mostly given-name-only records), 0.978 → 0.986 with the session-4 model
    # (0.889 → 0.90+ before)
    assert curve.f1(100) - curve.f1(0) >= 0.2 * (1 - curve.f1(0)), curve.summary()
    assert curve.steps[1].evaluation.pairwise_precision >= \
        curve.steps[0].evaluation.pairwise_precision - 0.005, curve.summary()


# -- training on decisions ------------------------------------------------------------------

def _weakened(model: dict, comparison: str, power: float, prior_factor: float) -> dict:
    """``model`` with one comparison's weights multiplied by ``power`` (m ∝ u·(m/u)^power)
    and the prior multiplied by ``prior_factor``."""
    out = copy.deepcopy(model)
    out["probability_two_random_records_match"] *= prior_factor
    comp = next(c for c in out["comparisons"] if c["output_column_name"] == comparison)
    levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
    raw = [lv["u_probability"] * (lv["m_probability"] / lv["u_probability"]) ** power
           for lv in levels]
    for lv, r in zip(levels, raw, strict=True):
        lv["m_probability"] = r / sum(raw)
    return out


def test_training_on_decisions_moves_m_the_right_way(tuning_profile) -> None:
    """A model whose name evidence and prior were made too weak, re-fitted on truthful
    answers about uncertain pairs: the name comparison's effective m moves back towards
    the trained one (agreement likelier among matches), the prior rises, F1 does not fall."""
    feats, truth = tuning_profile
    trained = link_features(feats)
    weak_model = _weakened(trained.model, "name", 0.5, 0.2)
    weak = link_features(feats, model=weak_model)
    band = weak.pairs[weak.pairs.match_probability.between(0.05, 0.95)]
    # sorted first: the sample must not depend on the order the database returns pairs in
    band = band.sort_values(["unique_id_l", "unique_id_r"], ignore_index=True)
    chosen = band.sample(min(len(band), 200), random_state=1)
    labels = [(int(a), int(b), _same(truth, int(a), int(b)))
              for a, b in zip(chosen.unique_id_l, chosen.unique_id_r, strict=True)]
    assert len(labels) >= MIN_LABELS
    learnt = link_features(feats, model=weak_model, labels=labels)
    fit = learnt.model["dadkhah_decisions"]
    assert fit["scale"]["mw_name"] > 1.1, fit
    assert learnt.prior > weak.prior, (learnt.prior, weak.prior)
    name = next(c for c in weak_model["comparisons"] if c["output_column_name"] == "name")
    top_weak = next(lv["m_probability"] for lv in name["comparison_levels"]
                    if not lv.get("is_null_level"))
    assert fit["effective_m"]["name"][0] > top_weak
    assert any("re-fitted on" in n for n in learnt.notes), learnt.notes
    f1_weak = evaluate_clusters(weak.clusters.assignment, truth).pairwise_f1
    f1_learnt = evaluate_clusters(learnt.clusters.assignment, truth).pairwise_f1
    assert f1_learnt >= f1_weak, (f1_weak, f1_learnt)


def test_too_few_decisions_leave_the_model_alone(tuning_profile) -> None:
    feats, truth = tuning_profile
    res = link_features(feats)
    band = res.pairs[res.pairs.match_probability.between(0.05, 0.95)].head(5)
    labels = [(int(a), int(b), _same(truth, int(a), int(b)))
              for a, b in zip(band.unique_id_l, band.unique_id_r, strict=True)]
    again = link_features(feats, labels=labels)
    assert "dadkhah_decisions" not in again.model
    assert any("not re-fitted" in n for n in again.notes), again.notes
    # the same scores (up to the float noise of the parallel database engine's sums)
    key = ["unique_id_l", "unique_id_r"]
    both = res.pairs[[*key, "match_probability"]].merge(
        again.pairs[[*key, "match_probability"]], on=key, how="outer")
    assert len(both) == len(res.pairs) == len(again.pairs)
    assert np.allclose(both.match_probability_x, both.match_probability_y, atol=1e-9)


# -- on a case: decisions always win, and what is learnt from -------------------------------

def test_decisions_always_win_when_the_model_learns(tmp_path: Path) -> None:
    """With enough answers from the queue to re-fit the model (the default), two answers
    that contradict the model still hold: a 'match' on records of two different persons
    and a 'not a match' on a pair the model is sure of."""
    sc = simulated_case(tmp_path / "case", scenario="small", persons=800, seed=13)
    link_case(sc.case)
    truth = sc.truth
    queue = review_queue(sc.case, limit=60)
    assert len(queue) >= MIN_LABELS + 5
    for pair in queue:
        answer = "match" if _same(truth, pair.record_l, pair.record_r) else "no_match"
        record_decision(sc.case, pair.record_l, pair.record_r, answer, by="t")
    reg = register_of(sc.case)
    sizes = reg.groupby(reg).transform("size")
    a, b = sorted(int(x) for x in reg[sizes == 2].index[:2])  # one person, two records
    other = int(reg[(reg != reg[a]) & (sizes == 1)].index[0])
    record_decision(sc.case, a, b, "no_match", by="t", reason="test: against the model")
    record_decision(sc.case, a, other, "match", by="t", reason="test: against the model")
    report = link_case(sc.case)
    assert not report.conflicts, report.conflicts
    assert any("re-fitted on" in n for n in report.notes), report.notes
    reg = register_of(sc.case)
    assert reg[a] != reg[b]
    assert reg[a] == reg[other]
    for pair in queue:  # every answer from the queue holds too
        if {pair.record_l, pair.record_r} & {a, b, other}:
            continue  # superseded or bound by the two answers above
        same = reg[pair.record_l] == reg[pair.record_r]
        assert same == _same(truth, pair.record_l, pair.record_r), pair


def test_only_queue_answers_teach(tmp_path: Path) -> None:
    """Merges (chosen because of the answer) and 'unsure' bind or are kept, but are not
    learnt from."""
    sc = simulated_case(tmp_path / "case", scenario="small", persons=200, seed=2)
    link_case(sc.case, train_on_decisions=False)
    reg = register_of(sc.case)
    persons = reg.drop_duplicates()
    r = sorted(int(x) for x in reg.index[:4])
    record_decision(sc.case, r[0], r[1], "match", by="t")
    record_decision(sc.case, r[2], r[3], "unsure", by="t")
    merge_persons(sc.case, int(persons.iloc[-1]), int(persons.iloc[-2]), by="t",
                  reason="family confirmed")
    assert reviewed_decisions(sc.case) == [(r[0], r[1], True)]


def test_a_model_saved_with_other_comparison_levels_is_refused(tuning_profile) -> None:
    """A model saved by a version whose comparison had one level fewer (session 7 added «the
    lone name is the other's other part») is refused with a clear error, not a ValueError."""
    import copy

    from dadkhah.errors import LinkageError

    feats, _ = tuning_profile
    old = copy.deepcopy(link_features(feats).model)
    comp = next(c for c in old["comparisons"] if c["output_column_name"] == "given_alone")
    comp["comparison_levels"].pop(1)
    with pytest.raises(LinkageError, match="does not match this version"):
        link_features(feats, model=old)


def test_queue_puts_persons_that_cannot_be_one_behind() -> None:
    """Two persons whose sexes or birth years conflict (the clustering's consistency check
    refuses them) and two records of one surname under different first given names
    (brothers, more often than one person) are the register's likeliest right answers:
    kept apart, they go behind an otherwise equal pair."""
    assignment = pd.Series([1, 2, 3, 4, 5, 6, 7, 8], index=[1, 2, 3, 4, 5, 6, 7, 8])
    feats = pd.DataFrame({
        "unique_id": range(1, 9),
        "given_key": ["a", "b", "c", "d", "hasan", "hosein", "e", "f"],
        "given1_key": ["a", "b", "c", "d", "hasan", "hosein", "e", "f"],
        "surname_key": ["s", "t", "u", "v", "rezai", "rezai", "w", "x"],
        "sex": ["m", "f", "m", "m", None, None, "m", None],
        "birth_lo": [1950, 1950, 1940, 1960, None, None, 1950, 1951],
        "birth_hi": [1950, 1950, 1940, 1960, None, None, 1950, 1953]})
    pairs = pd.DataFrame({"unique_id_l": [1, 3, 5, 7], "unique_id_r": [2, 4, 6, 8],
                          "match_probability": [0.6] * 4})
    conflict = persons_conflict(pairs, assignment, feats)
    assert conflict.tolist() == [True, True, False, False]  # sexes; 1940 vs 1960; —; fits
    # a conflict inside one person is none (the clustering holds them already)
    together = pd.Series([1, 1, 3, 4, 5, 6, 7, 8], index=assignment.index)
    assert not persons_conflict(pairs, together, feats)[0]
    assert sibling_pairs(pairs, feats).tolist() == [False, False, True, False]
    pri = review_priority(pairs, assignment, feats, threshold=0.5)
    assert pri[0] < pri[3] / 3 and pri[1] < pri[3] / 3 and pri[2] < pri[3] / 2, pri

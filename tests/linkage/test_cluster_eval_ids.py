"""Pure parts of linkage: evaluation metrics, constrained clustering, stable ids."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dadkhah.linkage.cluster import cluster_records
from dadkhah.linkage.evaluate import evaluate_clusters, pair_recall
from dadkhah.register import assign_person_ids


# ---------------------------------------------------------------- evaluation
def _brute(pred: dict, true: dict):
    ids = sorted(pred)
    pp = tp = tt = 0
    for a, b in itertools.combinations(ids, 2):
        p, t = pred[a] == pred[b], true[a] == true[b]
        pp += p
        tt += t
        tp += p and t
    bp = np.mean([sum(pred[x] == pred[r] and true[x] == true[r] for x in ids)
                  / sum(pred[x] == pred[r] for x in ids) for r in ids])
    br = np.mean([sum(pred[x] == pred[r] and true[x] == true[r] for x in ids)
                  / sum(true[x] == true[r] for x in ids) for r in ids])
    return pp, tt, tp, bp, br


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=25))
def test_metrics_match_brute_force(labels: list[tuple[int, int]]) -> None:
    pred = {i: c for i, (c, _) in enumerate(labels)}
    true = {i: t for i, (_, t) in enumerate(labels)}
    ev = evaluate_clusters(pred, true)
    pp, tt, tp, bp, br = _brute(pred, true)
    assert ev.predicted_pairs == pp and ev.true_pairs == tt
    assert ev.pairwise_precision == pytest.approx(tp / pp if pp else 1.0)
    assert ev.pairwise_recall == pytest.approx(tp / tt if tt else 1.0)
    assert ev.bcubed_precision == pytest.approx(bp) and ev.bcubed_recall == pytest.approx(br)


def test_split_and_mixed_counts() -> None:
    # person A split over clusters 1 and 2; cluster 2 mixes A and B
    ev = evaluate_clusters({1: 1, 2: 1, 3: 2, 4: 2, 5: 3}, {1: "A", 2: "A", 3: "A", 4: "B",
                                                           5: "C"})
    assert (ev.persons_split, ev.clusters_mixed, ev.clusters, ev.true_persons) == (1, 1, 3, 3)
    assert ev.pairwise_precision == 0.5 and ev.pairwise_recall == pytest.approx(1 / 3)


def test_mismatched_records_are_an_error() -> None:
    with pytest.raises(ValueError, match="different records"):
        evaluate_clusters({1: 1, 2: 1}, {1: "A", 3: "A"})


def test_pair_recall_counts_each_true_pair_once() -> None:
    truth = {1: "A", 2: "A", 3: "A", 4: "B"}
    pairs = pd.DataFrame({"unique_id_l": [1, 2, 1, 3], "unique_id_r": [2, 1, 4, 2]})
    assert pair_recall(pairs, truth) == pytest.approx(2 / 3)


# ---------------------------------------------------------------- clustering
def _recs(n: int, **cols) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": list(range(1, n + 1)), **cols})


def _edges(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_threshold_connected_components() -> None:
    res = cluster_records(_recs(5), _edges((1, 2, .99), (2, 3, .95), (4, 5, .5)),
                          threshold=.9, linkage="single")
    assert res.members() == {1: [1, 2, 3], 4: [4], 5: [5]}


def test_average_linkage_refuses_a_chain_through_one_record() -> None:
    # 2 is close to both 1 and 3, but 1 and 3 were never found alike (namesakes around a
    # vague record): the mean log-odds over {1,2} x {3} is (-2 + 2.9) / 2 (the unscored
    # pair counts -2), below the threshold's 2.2.
    edges = _edges((1, 2, .99), (2, 3, .95), (4, 5, .5))
    res = cluster_records(_recs(5), edges, threshold=.9)
    assert res.members() == {1: [1, 2], 3: [3], 4: [4], 5: [5]}
    assert res.refusal_counts() == {"average": 1}
    # With 1–3 scored high too, the three records are one person.
    res = cluster_records(_recs(5), pd.concat([edges, _edges((1, 3, .9))]), threshold=.9)
    assert res.members() == {1: [1, 2, 3], 4: [4], 5: [5]}
    # A must-link counts as certain in the mean: 1–2 decided, 3 close to both.
    res = cluster_records(_recs(3), _edges((1, 2, .3), (2, 3, .95), (1, 3, .9)),
                          threshold=.9, must_link=[(1, 2)])
    assert res.members() == {1: [1, 2, 3]}


def test_chaining_across_sexes_is_refused() -> None:
    recs = _recs(3, sex=["m", None, "f"])
    res = cluster_records(recs, _edges((1, 2, .99), (2, 3, .98)), threshold=.9)
    assert res.members() == {1: [1, 2], 3: [3]}
    assert res.refusal_counts() == {"sex": 1}


def test_incompatible_death_dates_are_refused_within_tolerance() -> None:
    day = 6788  # 1988-08-01 in days since 1970
    recs = _recs(3, death_lo=[day, day + 30, day + 200], death_hi=[day, day + 30, day + 230])
    res = cluster_records(recs, _edges((1, 2, .99), (1, 3, .97)), threshold=.9,
                          tolerance_days=45)
    assert res.members() == {1: [1, 2], 3: [3]}
    assert res.refusal_counts() == {"death_date": 1}


def test_decisions_override_the_model() -> None:
    res = cluster_records(_recs(4), _edges((1, 2, .99), (3, 4, .1)), threshold=.9,
                          must_link=[(3, 4)], cannot_link=[(1, 2)])
    assert res.members() == {1: [1], 2: [2], 3: [3, 4]}
    assert res.refusal_counts() == {"cannot_link": 1}


def test_cannot_link_blocks_transitive_chain() -> None:
    res = cluster_records(_recs(3), _edges((1, 2, .99), (2, 3, .98)), threshold=.9,
                          cannot_link=[(1, 3)])
    assert res.members() == {1: [1, 2], 3: [3]}


def test_conflicting_decisions_are_reported_not_dropped() -> None:
    res = cluster_records(_recs(3), _edges(), threshold=.9,
                          must_link=[(1, 2), (2, 3)], cannot_link=[(1, 3)])
    assert len(res.conflicts) == 1
    assert res.conflicts[0].must_link == (2, 3) and res.conflicts[0].cannot_link == (1, 3)
    assert "1 and 3" in res.conflicts[0].describe()


def test_a_match_decision_unites_the_two_persons_not_only_the_two_records() -> None:
    """Persons {1,2,3} and {4,5,6} (linked by the scores, their cross pairs weak): a match
    decision on 3–4 makes one person of all six.  Applied to the two records alone, average
    linkage kept 1,2 and 5,6 apart (the weak cross pairs pulled the mean down)."""
    strong = [(a, b, .95) for a, b in ((1, 2), (1, 3), (2, 3), (4, 5), (4, 6), (5, 6))]
    weak = [(a, b, .05) for a in (1, 2, 3) for b in (4, 5, 6)]
    res = cluster_records(_recs(6), _edges(*strong, *weak), threshold=.5,
                          must_link=[(3, 4)])
    assert res.members() == {1: [1, 2, 3, 4, 5, 6]}
    alone = cluster_records(_recs(6), _edges(*strong, *weak), threshold=.5)
    assert alone.members() == {1: [1, 2, 3], 4: [4, 5, 6]}


def test_a_match_decision_does_not_override_a_no_match_decision() -> None:
    strong = [(a, b, .95) for a, b in ((1, 2), (3, 4))]
    res = cluster_records(_recs(4), _edges(*strong), threshold=.5,
                          must_link=[(2, 3)], cannot_link=[(1, 4)])
    members = res.members()
    assert any({2, 3} <= set(m) for m in members.values())
    assert not any({1, 4} <= set(m) for m in members.values())


def test_must_link_beats_consistency() -> None:
    res = cluster_records(_recs(2, sex=["m", "f"]), _edges(), must_link=[(1, 2)])
    assert res.members() == {1: [1, 2]}


def test_unknown_record_in_decision_is_an_error() -> None:
    with pytest.raises(ValueError, match="record 9"):
        cluster_records(_recs(2), _edges(), must_link=[(1, 9)])


# ---------------------------------------------------------------- stable ids
def test_ids_persist_when_membership_mostly_persists() -> None:
    prev = {100: [1, 2, 3], 101: [4, 5], 102: [6]}
    # 100 gains a record, 101 merges into 100's cluster? no: 101 and 102 merge together.
    clusters = {1: [1, 2, 3, 7], 4: [4, 5, 6]}
    a = assign_person_ids(prev, clusters, next_id=200)
    assert a.person_of == {1: 100, 4: 101}
    assert a.kept == 2 and a.new == ()
    assert [(c.old_id, c.kind, c.into) for c in a.changes] == [(102, "merged", (101,))]


def test_split_person_gets_recorded() -> None:
    prev = {100: [1, 2, 3, 4]}
    clusters = {1: [1, 2], 3: [3, 4]}  # neither half is a majority of the old person
    a = assign_person_ids(prev, clusters, next_id=200)
    assert sorted(a.person_of.values()) == [200, 201]
    assert a.changes[0].kind == "split" and set(a.changes[0].into) == {200, 201}


def test_relinking_unchanged_register_keeps_every_id() -> None:
    prev = {10 + i: [2 * i, 2 * i + 1] for i in range(50)}
    clusters = {2 * i: [2 * i, 2 * i + 1] for i in range(50)}
    a = assign_person_ids(prev, clusters, next_id=1000)
    assert a.kept == 50 and not a.new and not a.changes


def test_the_order_of_the_edges_does_not_change_the_clusters() -> None:
    # 2 is as close to 1 as to 3 (a tie), and 1 and 3 were never found alike: which of
    # the two it joins must not depend on the order the database returned the pairs in.
    # (0.8: log-odds 1.4, and the unscored 1-3 counts -2, so the mean is below 0)
    for noise in (0.0, 1e-15):  # an exact tie, and one that float noise broke
        edges = _edges((2, 3, .8), (1, 2, .8 + noise), (4, 5, .95))
        first = cluster_records(_recs(5), edges, threshold=.5).members()
        again = cluster_records(_recs(5), _edges((1, 2, .8), (2, 3, .8 + noise), (4, 5, .95)),
                                threshold=.5).members()
        assert first == again == {1: [1, 2], 3: [3], 4: [4, 5]}


def test_a_pair_the_model_never_scored_is_evidence_against_not_certainty() -> None:
    """1 and 2 are one person (0.99); 3 scored 0.95 with 2 and was never compared with 1.
    Averaging probabilities with the unscored pair at 0 gave (0.95 + 0) / 2 < 0.5 and left
    3 apart; in log-odds the unscored pair counts -2 (probability 0.12), so 3 joins.  Two
    unscored pairs against one strong pair still keep a record apart."""
    res = cluster_records(_recs(3), _edges((1, 2, .99), (2, 3, .95)), threshold=.5)
    assert res.members() == {1: [1, 2, 3]}
    res = cluster_records(_recs(4), _edges((1, 2, .99), (1, 3, .99), (2, 3, .99), (3, 4, .95)),
                          threshold=.5)
    assert res.members() == {1: [1, 2, 3], 4: [4]}
    assert res.refusal_counts() == {"average": 1}

"""Merge order of average linkage: the best group score first (``merge_order="group"``)."""

import pandas as pd

from dadkhah.linkage.cluster import cluster_records


def _recs(n: int, **cols) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": list(range(1, n + 1)), **cols})


def _edges(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


# Records 1, 2, 4 are one person, 3 a namesake of 1's.  1-3 is stronger (0.99) than 1-4 and
# 2-4 (0.98), so strongest-edge-first joins 3 to {1, 2} (mean log-odds (4.6 - 2) / 2 > 0,
# 2-3 never scored), and 4 is then refused: 3-4 scored 1e-4 drags the mean below 0.
EDGES = _edges((1, 2, .999), (1, 3, .99), (1, 4, .98), (2, 4, .98), (3, 4, 1e-4))


def test_the_best_group_first_undoes_a_wrong_early_merge() -> None:
    edge = cluster_records(_recs(4), EDGES, threshold=.5)
    assert edge.members() == {1: [1, 2, 3], 4: [4]}
    group = cluster_records(_recs(4), EDGES, threshold=.5, merge_order="group")
    assert group.members() == {1: [1, 2, 4], 3: [3]}
    assert group.refusal_counts() == {"average": 1}


def test_vetoes_and_decisions_still_hold_in_group_order() -> None:
    # a man's record and a woman's: never one person, however strong the edge
    res = cluster_records(_recs(4, sex=["m", "m", "f", "m"]), EDGES, threshold=.5,
                          merge_order="group")
    assert res.members() == {1: [1, 2, 4], 3: [3]}
    res = cluster_records(_recs(4, sex=["m", "m", "m", "f"]), EDGES, threshold=.5,
                          merge_order="group")
    assert res.members() == {1: [1, 2, 3], 4: [4]}
    assert res.refusal_counts().get("sex")
    # a no-match decision between 1 and 4, a match decision between 3 and 4
    res = cluster_records(_recs(4), EDGES, threshold=.5, merge_order="group",
                          cannot_link=[(1, 4)])
    assert res.members() == {1: [1, 2, 3], 4: [4]}
    res = cluster_records(_recs(4), EDGES, threshold=.5, merge_order="group",
                          must_link=[(3, 4)], cannot_link=[(1, 3)])
    assert res.members()[3] == [3, 4] and 1 not in res.members()[3]


def test_refinement_keeps_the_vetoes() -> None:
    for order in ("edge", "group"):
        res = cluster_records(_recs(4, sex=["m", "m", "m", "f"]), EDGES, threshold=.5,
                              merge_order=order, refine=True)
        assert res.members() == {1: [1, 2, 3], 4: [4]}

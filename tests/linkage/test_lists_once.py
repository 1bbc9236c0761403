"""Lists that name each person once: two records of a register are two persons, however
alike (namesakes of a dense case chained through records of other lists: a second blind
probe at 20,000 persons joined two «Ali Ahmadi» of one families' list through a third
list's record that fitted both).  SYNTHETIC ids."""

import pandas as pd

from dadkhah.linkage.cluster import cluster_records
from dadkhah.linkage.lists_once import lists_naming_once


def _edges(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_a_record_of_another_list_does_not_chain_two_of_a_register() -> None:
    # 1 and 3 are rows of list 1 (a register), 2 a row of list 2 that fits both
    recs = pd.DataFrame({"unique_id": [1, 2, 3], "source_id": [1, 2, 1]})
    edges = _edges((1, 2, .99), (2, 3, .98), (1, 3, .9))
    res = cluster_records(recs, edges, threshold=.5, once_lists={1})
    assert res.n_clusters == 2 and res.members()[1] == [1, 2]
    assert res.refusal_counts() == {"list_once": 2}
    assert cluster_records(recs, edges, threshold=.5).n_clusters == 1
    # a reviewer may know the register named one person twice
    assert cluster_records(recs, edges, threshold=.5, once_lists={1},
                           must_link=[(1, 3)]).n_clusters == 1


def test_a_list_that_repeats_persons_is_not_read_as_a_register() -> None:
    # list 1: 40 records, two of them one person by a confident pair (5% of its records);
    # list 2: 40 records, none put together with another of its own
    feats = pd.DataFrame({"unique_id": range(80), "source_id": [1] * 40 + [2] * 40})
    pairs = _edges((0, 1, .999), (40, 41, .6), (0, 40, .999))
    person = pd.Series(list(range(80)), index=range(80))
    person[[1, 40, 41]] = 0
    assert lists_naming_once(feats, pairs, person) == {2}

"""Drawn registers against known truth: a lone pair links as often as its probability says,
a merge the register's clustering refused stays mostly refused, and decisions and the
sibling guard bind every draw (SYNTHETIC records built by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty, draw_registers


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
    k = 100
    ids, assign, rows = [], {}, []
    for j in range(k):
        a, b, c, d = (4 * j + x for x in (1, 2, 3, 4))
        ids += [a, b, c, d]
        assign.update({a: a, b: a, c: c, d: c})
        rows.append((b, c, 0.9))
    draws = draw_registers(ids, pd.Series(assign), _pairs(rows), n=10, seed=1,
                           cluster=cluster_records)
    merged = np.mean([np.mean([d[4 * j + 2] == d[4 * j + 3] for j in range(k)])
                      for d in draws])
    assert merged < 0.1
    for d in draws:  # persons with no stored pair are never split
        assert all(d[4 * j + 1] == d[4 * j + 2] for j in range(k))


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
    # without the name keys the guard cannot apply, and the brothers are merged often
    bare = LinkageUncertainty(**{**unc.__dict__, "features": None})
    assert np.mean([d[1] == d[2] for d in bare.draw(40, seed=2, cluster=cluster_records)]) > 0.8


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
    draws = unc.draw(10, seed=1, cluster=cluster_records)
    precision = [evaluate_clusters(d, truth).pairwise_precision for d in draws]
    assert min(precision) > reg.pairwise_precision - 0.05
    persons = [d.nunique() for d in draws]
    registered = unc.assignment.nunique()
    assert abs(float(np.median(persons)) - registered) < 0.05 * registered
    assert len(set(persons)) > 1  # and they differ: the uncertainty is sampled

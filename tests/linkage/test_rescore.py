"""A link that re-scores with a re-estimated prior scores the groups a second time.

Regression: the second call registered a table under the same name, and splink refused it
("A table has already been registered with table_name='records_in_groups'"), so a whole link
failed on SYNTHETIC profile 1001 (simulation seed 1, 400 persons), the case that showed it:
this test fails with that error when the group table is registered under a fixed name.
"""

from __future__ import annotations

from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import link_features
from dadkhah.register import linkage_input
from dadkhah.testing import simulated_case


def test_a_link_that_rescores_with_a_new_prior_completes(tmp_path) -> None:
    from dadkhah.linkage.evaluate import evaluate_clusters

    sc = simulated_case(tmp_path / "case", profile=1001, persons=400, seed=1)
    result = link_features(compute_features(linkage_input(sc.case).records))
    ev = evaluate_clusters(result.clusters.assignment, sc.truth)
    assert ev.pairwise_f1 > 0.8, ev.summary()

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
from dadkhah.simulate import draw_profile, simulate, write_simulation
from dadkhah.store import Case
from dadkhah.testing import import_lists, record_truth


def test_a_link_that_rescores_with_a_new_prior_completes(tmp_path) -> None:
    from dadkhah.linkage.evaluate import evaluate_clusters

    profile = draw_profile(1001)
    sim = simulate(profile.config(400), seed=1, scenario="profile-1001")
    manifest = write_simulation(sim, tmp_path / "lists")
    case = Case.create(tmp_path / "case", by="test")
    import_lists(case, tmp_path / "lists", manifest, by="test")
    truth = record_truth(case, tmp_path / "lists")
    result = link_features(compute_features(linkage_input(case).records))
    ev = evaluate_clusters(result.clusters.assignment, truth)
    assert ev.pairwise_f1 > 0.8, ev.summary()

"""The Spark backend scores and clusters exactly as DuckDB does (same trained model).

Training draws random samples that differ between backends, so the comparison fixes the
parameters: the model trained on DuckDB, and the name frequencies it scored with, are
applied on Spark (local mode).
"""

import shutil

import pytest

from dadkhah.linkage.run import link_features

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("java") is None,
                                                   reason="Spark needs Java 17+")]


def test_spark_gives_the_same_clusters_as_duckdb(tmp_path) -> None:
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_input
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path / "case", scenario="small", persons=800, seed=11)
    features = compute_features(linkage_input(sc.case).records)
    duck = link_features(features)
    spark = link_features(features, backend="spark", model=duck.model,
                          term_frequencies=duck.term_frequencies)
    a = duck.pairs.set_index(["unique_id_l", "unique_id_r"]).match_probability.sort_index()
    b = spark.pairs.set_index(["unique_id_l", "unique_id_r"]).match_probability.sort_index()
    assert a.index.equals(b.index)
    assert (a - b).abs().max() < 1e-9
    assert duck.clusters.assignment.sort_index().equals(spark.clusters.assignment.sort_index())
    assert duck.n_persons < len(features)  # something was linked at all

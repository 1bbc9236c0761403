"""Linkage on held-out noise profiles: never tuned on, floors set from measurement.

Profiles 1019 and 1020 (``dadkhah.simulate.profiles``, held-out split) were not used to
choose any setting; they are linked here at 800 persons, with no reviewed decisions, as
``benchmarks/linkage_bench.py --profiles`` links them.  The floors are the measured values
at the commit that added this file, less a margin for the run-to-run noise of the parallel
database engine; they are floors, not targets (the issue's targets are higher).
"""

from __future__ import annotations

import pytest

from dadkhah.linkage.evaluate import calibration, evaluate_clusters
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.run import link_features
from dadkhah.linkage.settings import NAME_LEVEL_PARTS
from dadkhah.register import linkage_input
from dadkhah.simulate import draw_profile, simulate, write_simulation
from dadkhah.store import Case
from dadkhah.testing import import_lists, record_truth

SEEDS = (1019, 1020)
PERSONS = 800


@pytest.fixture(scope="module", params=SEEDS)
def linked(request, tmp_path_factory):
    seed = request.param
    profile = draw_profile(seed)
    tmp = tmp_path_factory.mktemp(f"held{seed}")
    sim = simulate(profile.config(PERSONS), seed=seed, scenario=str(seed))
    manifest = write_simulation(sim, tmp / "lists")
    case = Case.create(tmp / "case", by="test")
    import_lists(case, tmp / "lists", manifest, by="test")
    truth = record_truth(case, tmp / "lists")
    result = link_features(compute_features(linkage_input(case).records))
    return seed, result, truth


FLOORS = {  # seed: (pairwise F1, |persons − truly named| / truly named, Brier)
    1019: (0.93, 0.06, 0.125),  # measured 0.956, +0.9%, 0.110 with session 8's linkage;
    # 0.953, +2.9%, 0.108 before it (0.921, +2.4%, 0.105 before session 6's EM retry, place
    # levels, name frequencies over persons and OCR blocking)
    1020: (0.93, 0.06, 0.08),  # measured 0.940, +2.9%, 0.063 with session 8's linkage;
    # 0.948, +7.8%, 0.062 before it (0.938, +8.3%, 0.059 before session 6)
}


def test_quality_on_held_out_profiles(linked) -> None:
    seed, result, truth = linked
    ev = evaluate_clusters(result.clusters.assignment, truth)
    cal = calibration(result.pairs, truth)
    f1, diff, brier = FLOORS[seed]
    assert ev.pairwise_f1 >= f1, ev.summary()
    assert abs(ev.clusters - ev.true_persons) / ev.true_persons <= diff, ev.summary()
    assert cal.brier <= brier, cal.summary()


def test_name_part_m_comes_from_the_full_name_m(linked) -> None:
    """m of «given names equal (a surname unknown)» is the full-name comparison's m summed
    over its levels where the given names are equal (not EM's estimate from the biased
    few records without surname it sees)."""
    _, result, _ = linked
    comps = {c["output_column_name"]: c for c in result.model["comparisons"]}
    full = [lv for lv in comps["name"]["comparison_levels"] if not lv.get("is_null_level")]
    given_eq = sum(lv["m_probability"] for lv, (g, _) in zip(full, NAME_LEVEL_PARTS,
                                                             strict=True) if g == "eq")
    part = [lv for lv in comps["given_alone"]["comparison_levels"]
            if not lv.get("is_null_level")]
    # the m floor renormalises the levels a little after the derivation
    assert part[0]["m_probability"] == pytest.approx(given_eq, rel=0.05)
    assert part[0]["m_probability"] > 0.7

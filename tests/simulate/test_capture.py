"""Capture: list sizes, overlaps, coverage and duplicates match the configuration."""

from __future__ import annotations

import numpy as np
import pytest

from dadkhah.simulate import SimulationConfig, simulate

N = 40_000


@pytest.fixture(scope="module")
def sim():
    return simulate(SimulationConfig(persons=N), seed=11, render=False)


def _own(sim, spec) -> np.ndarray:
    """Own capture probability per person, computed here from the config (not the library)."""
    pop = sim.population
    p = np.where(pop.group == 0, spec.capture[0], spec.capture[1]).astype(float)
    if spec.covers is not None:
        kind, ids = spec.covers
        assert kind == "prison"
        codes = [pop.tables.prison_ids.index(i) for i in ids]
        p = p * np.isin(pop.prison, codes)
    return p


def test_list_sizes_match_capture_probabilities(sim) -> None:
    expected = sim.expected_list_sizes()
    p = np.column_stack([_own(sim, s) for s in sim.config.lists])
    for j, spec in enumerate(sim.config.lists):
        got = sim.list_sizes()[spec.id]["persons"]
        if spec.copies is None:
            mean = p[:, j].sum()
            sd = np.sqrt((p[:, j] * (1 - p[:, j])).sum())
            assert abs(expected[spec.id] - mean) < 1e-6
        else:
            mean, sd = expected[spec.id], np.sqrt(expected[spec.id])
        assert abs(got - mean) <= 4 * sd, (spec.id, got, mean, sd)


def test_independent_lists_overlap_as_products_within_groups(sim) -> None:
    ids = list(sim.list_ids)
    on = sim.captures.on
    a, b = ids.index("families"), ids.index("ngo_a")
    pa, pb = _own(sim, sim.config.lists[a]), _own(sim, sim.config.lists[b])
    mean = (pa * pb).sum()
    sd = np.sqrt((pa * pb * (1 - pa * pb)).sum())
    got = int((on[:, a] & on[:, b]).sum())
    assert abs(got - mean) <= 4 * sd, (got, mean)
    # heterogeneity makes the lists positively associated overall (naive estimators
    # undercount): the overlap exceeds what the marginal rates alone would give
    assert got > on[:, a].mean() * on[:, b].mean() * N * 1.05


def test_copying_list_overlaps_its_source(sim) -> None:
    ids = list(sim.list_ids)
    on = sim.captures.on
    spec = sim.config.lists[ids.index("ngo_b")]
    src = ids.index(spec.copies)
    own = _own(sim, spec)
    p_src = _own(sim, sim.config.lists[src])
    both = p_src * (spec.copy_rate + (1 - spec.copy_rate) * own)
    got = int((on[:, src] & on[:, ids.index("ngo_b")]).sum())
    assert abs(got - both.sum()) <= 4 * np.sqrt((both * (1 - both)).sum())
    # of those on the source list, about copy_rate + (1 - copy_rate)·own are copied
    share = on[on[:, src], ids.index("ngo_b")].mean()
    assert share > spec.copy_rate


def test_restricted_list_covers_only_its_stratum(sim) -> None:
    ids = list(sim.list_ids)
    spec = sim.config.lists[ids.index("memoir")]
    pop = sim.population
    on = sim.captures.on[:, ids.index("memoir")]
    named = {pop.tables.prison_ids[k] for k in np.unique(pop.prison[on])}
    assert named == set(spec.covers[1])


def test_latent_groups_differ_in_capture(sim) -> None:
    ids = list(sim.list_ids)
    pop = sim.population
    for j, spec in enumerate(sim.config.lists):
        if spec.copies or spec.covers:
            continue
        for g in (0, 1):
            sel = pop.group == g
            p = spec.capture[g]
            rate = sim.captures.on[sel, j].mean()
            assert abs(rate - p) <= 4 * np.sqrt(p * (1 - p) / sel.sum()), (ids[j], g)


def test_duplicates_within_lists(sim) -> None:
    for j, spec in enumerate(sim.config.lists):
        recs, dup = sim.captures.records[j], sim.captures.duplicate[j]
        persons = int(sim.captures.on[:, j].sum())
        assert recs.size == persons + dup.sum()
        assert len(np.unique(recs[~dup])) == persons  # first records: one per person
        assert set(recs[dup]) <= set(recs[~dup])
        p = spec.errors.duplicate
        assert abs(dup.sum() - p * persons) <= 4 * np.sqrt(persons * p * (1 - p)) + 1


def test_histories_count_each_observed_person_once(sim) -> None:
    h = sim.capture_histories()
    assert h.synthetic and h.observed == sim.observed()
    assert h.list_totals() == {k: v["persons"] for k, v in sim.list_sizes().items()}
    by = sim.capture_histories(by=["province"])
    assert by.observed == sim.observed()
    frame = sim.histories(["prison"])
    assert frame["count"].sum() == sim.observed()


def test_province_restricted_list() -> None:
    from dadkhah.simulate import ListSpec

    spec = ListSpec(id="khuzestan", title="Regional list (SYNTHETIC)", kind="ngo_list",
                    capture=(0.8, 0.8), covers=("province", ("prov:khuzestan",)))
    sim = simulate(SimulationConfig(persons=3000, lists=(spec,)), seed=4, render=False)
    pop = sim.population
    named = {pop.tables.prison_ids[k] for k in np.unique(pop.prison[sim.captures.on[:, 0]])}
    assert named == {"prison:karun", "prison:sepidar", "prison:dezful"}

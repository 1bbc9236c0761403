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
    prov = np.array(pop.tables.province_ids)[pop.prison_province]
    for pid, factor in spec.capture_by_province:
        p = np.where(prov == pid, np.minimum(1.0, p * factor), p)
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
        boosted = [pop.tables.province_ids.index(pid) for pid, _ in spec.capture_by_province]
        for g in (0, 1):
            sel = (pop.group == g) & ~np.isin(pop.prison_province, boosted)
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


def test_every_capture_pattern_occurs_as_often_as_the_model_says(sim) -> None:
    """Chi-square of the 2^K observed pattern counts against their expectation, computed
    here from the config: lists independent given the person, except the copying list."""
    from itertools import product

    from scipy import stats

    specs = sim.config.lists
    ids = [s.id for s in specs]
    own = [_own(sim, s) for s in specs]
    patterns = list(product((0, 1), repeat=len(specs)))
    expected = np.zeros(len(patterns))
    for k, pat in enumerate(patterns):
        prob = np.ones(sim.true_total)
        for j, (s, x) in enumerate(zip(specs, pat, strict=True)):
            p = own[j]
            if s.copies is not None:
                c = s.copy_rate * (own[j] > 0)  # copying only within the list's coverage
                p = np.where(pat[ids.index(s.copies)] == 1, 1 - (1 - c) * (1 - own[j]), own[j])
            prob = prob * (p if x else 1 - p)
        expected[k] = prob.sum()
    on = sim.captures.on.astype(int)
    codes = on @ (1 << np.arange(len(specs))[::-1])
    observed = np.bincount(codes, minlength=len(patterns))
    keep = expected >= 5
    chi2 = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    pval = stats.chi2.sf(chi2, keep.sum() - 1)
    assert keep.sum() >= 20 and pval > 1e-3, (chi2, keep.sum(), pval)


def test_documentation_is_denser_where_configured(sim) -> None:
    pop = sim.population
    ids = list(sim.list_ids)
    tehran = pop.prison_province == pop.tables.province_ids.index("prov:tehran")
    for lid in ("families", "press"):
        spec = sim.config.lists[ids.index(lid)]
        factor = dict(spec.capture_by_province)["prov:tehran"]
        on = sim.captures.on[:, ids.index(lid)]
        for g in (0, 1):
            inside = on[tehran & (pop.group == g)].mean()
            outside = on[~tehran & (pop.group == g)].mean()
            n = (tehran & (pop.group == g)).sum()
            p = min(1.0, spec.capture[g] * factor)
            assert abs(inside - p) <= 4 * np.sqrt(p * (1 - p) / n)
            assert inside > outside

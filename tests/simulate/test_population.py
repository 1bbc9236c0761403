"""The population's realised distributions match its configuration within sampling error."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dadkhah.simulate import SimulationConfig, simulate_population

N = 60_000


def within(observed: float, expected: float, sd: float, k: float = 4.0) -> bool:
    return abs(observed - expected) <= k * sd + 1e-12


@pytest.fixture(scope="module")
def pop():
    return simulate_population(SimulationConfig(persons=N), np.random.default_rng(7))


def test_shares_of_prisons_and_affiliations(pop) -> None:
    cfg = pop.config
    for k, (pid, w) in enumerate(cfg.prisons):
        share = float((pop.prison == k).mean())
        assert within(share, w, np.sqrt(w * (1 - w) / N)), (pid, share, w)
    for k, (aid, w, _) in enumerate(cfg.affiliations):
        share = float((pop.affiliation == k).mean())
        assert within(share, w, np.sqrt(w * (1 - w) / N)), (aid, share, w)


def test_sex_by_wave_and_latent_group(pop) -> None:
    cfg = pop.config
    wave = np.array([a[2] for a in cfg.affiliations])[pop.affiliation]
    for w, p in ((1, cfg.female_share_wave1), (2, cfg.female_share_wave2)):
        sel = wave == w
        assert within(pop.sex[sel].mean(), p, np.sqrt(p * (1 - p) / sel.sum()))
    h = cfg.hard_share
    assert within(pop.group.mean(), h, np.sqrt(h * (1 - h) / N))


def test_ages_are_young_adults(pop) -> None:
    cfg = pop.config
    age = pop.age_at_death()
    assert age.min() >= cfg.age_min and age.max() <= cfg.age_max
    # age = floor(min + Gamma(k, theta)) (± a day of calendar rounding): mean ≈ min + k·θ − ½
    expected = cfg.age_min + cfg.age_shape * cfg.age_scale - 0.5
    sd = np.sqrt(cfg.age_shape) * cfg.age_scale / np.sqrt(N)
    assert within(age.mean(), expected, sd, k=5), (age.mean(), expected)
    assert 0.6 < ((age >= 18) & (age <= 35)).mean() < 0.95


def test_execution_dates_come_in_two_waves(pop) -> None:
    cfg = pop.config
    ex = pop.execution
    wave = np.array([a[2] for a in cfg.affiliations])[pop.affiliation]
    assert ex.min() >= cfg.wave1_start.toordinal()
    assert ex.max() <= cfg.late_end.toordinal()
    assert ex[wave == 2].min() >= cfg.wave2_start.toordinal()
    # Mojahedin wave: median about wave start + median of Gamma(2, 6) (≈ 10 days)
    med1 = date.fromordinal(int(np.median(ex[wave == 1])))
    assert date(1988, 8, 3) <= med1 <= date(1988, 8, 9), med1
    late = (ex >= cfg.late_start.toordinal()).mean()
    assert cfg.late_share - 0.01 <= late <= cfg.late_share + 0.02
    assert (pop.arrest <= ex - cfg.arrest_min_gap_days).all()
    assert (pop.arrest >= cfg.arrest_start.toordinal()).all()


def test_home_towns_cluster_around_the_prison(pop) -> None:
    cfg, t = pop.config, pop.tables
    ncity = len(t.city_ids)
    expected = 0.0
    for k, (_, w) in enumerate(cfg.prisons):
        pc = t.prison_city[k]
        same = (t.city_province == t.city_province[pc]).sum()
        rest = 1 - cfg.hometown_prison_city - cfg.hometown_same_province
        expected += w * (cfg.hometown_prison_city + cfg.hometown_same_province / same
                         + rest / ncity)
    realised = (pop.city == t.prison_city[pop.prison]).mean()
    assert within(realised, expected, np.sqrt(expected * (1 - expected) / N))


def test_names_come_from_the_dictionary_by_sex(pop) -> None:
    t = pop.tables
    assert (t.given_sex[pop.given1] == pop.sex).all()
    has2 = pop.given2 >= 0
    assert (t.given_sex[pop.given2[has2]] == pop.sex[has2]).all()
    assert (pop.given2[has2] != pop.given1[has2]).all()
    assert (t.given_sex[pop.father] == 0).all()
    share = has2.mean()
    p = pop.config.second_given_share
    assert within(share, p, np.sqrt(p * (1 - p) / N))
    # surnames are diverse: compounds and place names besides the dictionary's
    assert len(np.unique(pop.surname)) > 10_000


def _same_day_prison_ratio(pop) -> float:
    """P(same day and prison) / P(same day)·P(same prison) over pairs of (distinct) persons."""
    def pairs(*keys: np.ndarray) -> float:
        _, c = np.unique(np.stack(keys, axis=1), axis=0, return_counts=True)
        return float((c * (c - 1) / 2).sum())
    total = pop.size * (pop.size - 1) / 2
    day, prison = pairs(pop.execution), pairs(pop.prison)
    return pairs(pop.execution, pop.prison) / total / (day / total * prison / total)


@pytest.fixture(scope="module")
def batched():
    cfg = SimulationConfig(persons=6000, sibling_share=0.1, batch_share=0.7)
    return (simulate_population(cfg.with_(batch_share=0.0), np.random.default_rng(3)),
            simulate_population(cfg, np.random.default_rng(3)))


def test_batches_tie_the_day_to_the_prison_and_change_nothing_else(batched) -> None:
    plain, pop = batched
    # without batches the day and the prison are independent; with them, not (measured
    # 1.00 and 2.0 on this population)
    assert 0.95 < _same_day_prison_ratio(plain) < 1.05
    assert _same_day_prison_ratio(pop) > 1.4
    for name in ("sex", "group", "given1", "given2", "surname", "father", "prison", "city",
                 "affiliation", "household", "title"):
        assert (getattr(plain, name) == getattr(pop, name)).all(), name
    moved = pop.execution != plain.execution
    assert 0.3 < moved.mean() < 0.75
    # days move within a batch's span, never across the waves
    assert np.abs(pop.execution - plain.execution).max() <= 3 * 40
    assert np.median(np.abs(pop.execution - plain.execution)[moved]) <= 3
    assert (pop.age_at_death() >= 16).all()
    assert (pop.execution - pop.arrest >= pop.config.arrest_min_gap_days).all()


def test_batches_are_groups_of_one_prison_and_one_day(batched) -> None:
    plain, pop = batched
    cfg = pop.config
    # the prisons kill on fewer days, more persons each (a person's group: everyone of
    # their prison and day)
    _, plain_sizes = np.unique(np.stack([plain.prison, plain.execution], 1), axis=0,
                               return_counts=True)
    _, sizes = np.unique(np.stack([pop.prison, pop.execution], 1), axis=0, return_counts=True)
    assert sizes.size < 0.8 * plain_sizes.size
    assert (sizes ** 2).sum() > 1.3 * (plain_sizes ** 2).sum()
    assert sizes.max() >= cfg.batch_size_max * 0.8
    # siblings who died on one day still do, and more siblings now share a day
    young = np.flatnonzero(pop.household != np.arange(pop.size))
    elder = pop.household[young]
    was = plain.execution[young] == plain.execution[elder]
    now = pop.execution[young] == pop.execution[elder]
    assert now[was].all() and now.mean() >= was.mean()


def test_batch_share_zero_draws_as_before() -> None:
    cfg = SimulationConfig(persons=800, sibling_share=0.1)
    a = simulate_population(cfg, np.random.default_rng(5))
    b = simulate_population(cfg.with_(batch_share=0.0, batch_size_max=9),
                            np.random.default_rng(5))
    assert (a.execution == b.execution).all() and (a.birth == b.birth).all()
    with pytest.raises(ValueError):
        SimulationConfig(batch_size_min=5, batch_size_max=4)

"""Noise profiles, the new error kinds, the households family, and the older scenarios
left byte for byte as they were."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict, fields, replace
from pathlib import Path

import numpy as np
import pytest

from dadkhah import __version__
from dadkhah.names import fold_digits
from dadkhah.simulate import (
    EXTRA_ERROR_KINDS,
    HELD_OUT_SCENARIOS,
    HELD_OUT_SEEDS,
    LATIN_SYSTEMS,
    PROFILE_RANGES,
    SCENARIOS,
    TUNING_SEEDS,
    NoiseProfile,
    draw_profile,
    profile_split,
    profiles,
    run_scenario,
    scenario_config,
    simulate,
)
from dadkhah.simulate.mutations import TITLES

SEEDS = (*TUNING_SEEDS, *HELD_OUT_SEEDS)


def _col(lst, field):
    return lst.cells[lst.fields.index(field)]


def _digest(folder: Path) -> str:
    """sha256 over every file's name and bytes (the manifest without the version)."""
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        data = p.read_bytes()
        if p.name == "SYNTHETIC-manifest.json":
            data = data.replace(f"dadkhah simulate {__version__}".encode(), b"")
        h.update(p.name.encode())
        h.update(data)
    return h.hexdigest()


# Digests of the files written by the tree before the profiles existed (9835aa6).
PINNED = {
    ("small", 1000, 1): "2f101905fe3c22f5be16c9605be919d5357c0738a02994fa520f3d7bbd1bfe47",
    ("stress", 800, 2): "f19984013516e3c68e00d622c57a13b5cbb4bd9aa54cba3afac4671f51763d1b",
    ("independent", 800, 3): "23c224a09423add455d09c5981aee08077df13ed5857c0216d18bdc6a0cfc4fa",
}


@pytest.mark.parametrize("key", sorted(PINNED))
def test_older_scenarios_write_the_same_bytes(key) -> None:
    name, persons, seed = key
    with tempfile.TemporaryDirectory() as d:
        run_scenario(name, Path(d) / "x", seed=seed, persons=persons)
        assert _digest(Path(d) / "x") == PINNED[key], name


def test_older_configs_do_not_name_the_new_parameters() -> None:
    new = {"given_exponent", "surname_exponent", "sibling_share", "sibling_same_day",
           "latin_system", "household_rate", *EXTRA_ERROR_KINDS}
    for name in ("small", "stress", "independent"):
        d = scenario_config(name).to_dict()
        keys = set(d) | {k for s in d["lists"] for k in (*s, *s["errors"])}
        assert not keys & new, name


# sha256 of the JSON of every tuning and held-out profile before ``batch_share`` (585cbb0)
PROFILES_BEFORE_BATCHES = "1fc89e4171444752bb0e019041c01fd1fa368bef8afae2ea31657159d591d6b5"


def test_batches_left_every_other_profile_value_as_it_was() -> None:
    drawn = [asdict(draw_profile(s)) for s in SEEDS]
    shares = [d.pop("batch_share") for d in drawn]
    text = json.dumps(drawn, sort_keys=True).encode()
    assert hashlib.sha256(text).hexdigest() == PROFILES_BEFORE_BATCHES
    assert min(shares) < 0.1 and max(shares) > 0.8
    p = draw_profile(3)
    assert p.config(300).batch_share == p.batch_share > 0
    plain = replace(p, batch_share=0.0)
    a, b = simulate(p.config(400), seed=3), simulate(plain.config(400), seed=3)
    # who is on which list, with which errors: unchanged (lists sorted by date may order
    # their rows differently)
    key = ["list", "person_id", "duplicate", "errors"]
    ta, tb = (x.truth()[key].sort_values(key, ignore_index=True) for x in (a, b))
    assert ta.equals(tb)
    assert (a.population.surname == b.population.surname).all()
    assert (a.population.execution != b.population.execution).any()


def test_profiles_are_reproducible_and_differ_by_seed() -> None:
    assert draw_profile(1001) == draw_profile(1001)
    assert draw_profile(1001) != draw_profile(1002)
    a = simulate(draw_profile(7).config(400), seed=7)
    b = simulate(draw_profile(7).config(400), seed=7)
    assert a.lists[0].cells == b.lists[0].cells and a.truth().equals(b.truth())


def test_every_parameter_stays_in_its_documented_range_and_the_ranges_are_used() -> None:
    numeric = [f.name for f in fields(NoiseProfile)
               if f.name not in ("seed", "copied_list", "given_only_list")]
    assert set(numeric) == set(PROFILE_RANGES)
    drawn = [draw_profile(s) for s in SEEDS]
    for name in numeric:
        lo, hi = PROFILE_RANGES[name]
        vals = np.array([getattr(p, name) for p in drawn], dtype=float)
        assert ((vals >= lo) & (vals <= hi)).all(), name
        assert vals.max() - vals.min() > 0.5 * (hi - lo), name  # wide, not a point
        assert f"``{name}``" in NoiseProfile.__doc__ or name in PROFILE_RANGES
    assert {p.copied_list for p in drawn} == {True, False}
    assert {p.given_only_list for p in drawn} == {True, False}
    for p in drawn[::5]:
        cfg = p.config(300)
        for spec in cfg.lists:
            for kind in EXTRA_ERROR_KINDS:
                assert 0 <= getattr(spec.errors, kind) <= 0.95
            assert spec.latin_system in LATIN_SYSTEMS
        assert cfg.sibling_share == p.sibling_share


def test_the_split_is_one_documented_convention() -> None:
    assert not set(TUNING_SEEDS) & set(HELD_OUT_SEEDS)
    assert [p.seed for p in profiles(3)] == [1001, 1002, 1003]
    assert [p.seed for p in profiles(2, "tuning")] == [1, 2]
    assert profile_split(5) == "tuning" and profile_split(1005) == "held_out"
    assert profile_split(500) == "unassigned"
    assert set(HELD_OUT_SCENARIOS) <= set(SCENARIOS)
    with pytest.raises(ValueError):
        profiles(2, "test")


@pytest.fixture(scope="module")
def noisy():
    """The small lists with every new error kind at 0.2 and ALA-LC Latin names."""
    cfg = scenario_config("small", persons=1500)
    lists = tuple(replace(s, latin_system="ala_lc",
                          errors=replace(s.errors, **dict.fromkeys(EXTRA_ERROR_KINDS, 0.2)))
                  for s in cfg.lists)
    return simulate(cfg.with_(lists=lists), seed=4)


def test_new_error_kinds_appear_at_their_rate(noisy) -> None:
    checked = set()
    for lst in noisy.lists:
        for kind in EXTRA_ERROR_KINDS:
            assert not (lst.errors[kind] & ~lst.eligible[kind]).any()
            n, k = int(lst.eligible[kind].sum()), int(lst.errors[kind].sum())
            if n < 50:
                continue
            rate = 0.2 * (0.8 if kind == "missing_surname" else 1)  # not with missing_given
            assert abs(k - rate * n) <= 4 * np.sqrt(n * rate * (1 - rate)) + 1, \
                (lst.spec.id, kind, k, n)
            checked.add(kind)
    assert checked >= set(EXTRA_ERROR_KINDS) - {"title_dropped"}
    assert noisy.truth().errors.str.contains("surname_comma").any()


def test_new_error_kinds_show_in_the_cells(noisy) -> None:
    fam = noisy.lists[0]  # families: Persian, split columns, birth year, city
    e = fam.errors
    given, surname = _col(fam, "given_names"), _col(fam, "surname")
    fa_titles = tuple(t[0] + " " for t in TITLES)
    plain = ~(e["swap_order"] | e["surname_comma"] | e["missing_given"] | e["initials"])
    ti = np.flatnonzero(e["title_added"] & plain & ~e["typo"] & ~e["ocr"])
    assert ti.size > 50 and all(given[i].startswith(fa_titles) for i in ti)
    sc = np.flatnonzero(e["surname_comma"] & ~e["missing_given"] & ~e["missing_surname"])
    assert all("،" in given[i] and surname[i] == "" for i in sc)
    mg = np.flatnonzero(e["missing_given"] & ~e["swap_order"] & ~e["surname_comma"])
    assert mg.size > 50 and all(given[i] == "" for i in mg)
    birth = _col(fam, "birth_year")
    ab = np.flatnonzero(e["age_in_birth_year"] & ~e["age_for_birth_year"])
    ages = noisy.population.age_at_death()[fam.persons]
    assert ab.size > 50 and all(int(fold_digits(birth[i])) == ages[i] for i in ab)
    ad = np.flatnonzero(e["arabic_digits"])
    assert all(any("٠" <= c <= "٩" for c in _col(fam, "death_date")[i]) for i in ad)
    assert not any(any("٠" <= c <= "٩" for c in _col(fam, "death_date")[i])
                   for i in np.flatnonzero(~e["arabic_digits"] & ~e["ocr"]))
    # the city column: the prison's town where the record says so, and typos
    t = noisy.population.tables
    city = np.array(_col(fam, "city"), dtype=object)
    usual = np.array([v[0] for v in t.city_fa], dtype=object)
    ok = ~e["place_typo"] & ~e["missing_field"] & ~e["ocr"] & ~e["arabic_digits"]
    cp = e["city_is_prison_city"] & ok
    prison_town = usual[t.prison_city[noisy.population.prison[fam.persons]]]
    assert cp.sum() > 20 and (city[cp] == prison_town[cp]).all()
    home = usual[noisy.population.city[fam.persons]]
    assert (city[ok & ~e["city_is_prison_city"]] == home[ok & ~e["city_is_prison_city"]]).all()
    pt = e["place_typo"] & ~e["missing_field"]
    expected = np.where(e["city_is_prison_city"], prison_town, home)
    assert pt.sum() > 50 and (city[pt] != expected[pt]).mean() > 0.9


def test_latin_lists_show_upper_surnames_and_their_romanisation(noisy) -> None:
    ngo_a = noisy.lists[1]  # Latin, one full-name column
    full = _col(ngo_a, "full_name")
    up = np.flatnonzero(ngo_a.errors["upper_surname"] & ~ngo_a.errors["missing_surname"]
                        & ~ngo_a.errors["swap_order"] & ~ngo_a.errors["surname_comma"])
    assert up.size > 50
    assert np.mean([full[i].split()[-1].isupper() for i in up]) > 0.95
    text = " ".join(full)
    assert "Muhammad" in text and "Mohammad " not in text  # ALA-LC-like, never the dictionary's


def test_households_family_has_siblings_households_and_given_only_names() -> None:
    sim = simulate(scenario_config("households", persons=3000), seed=2)
    pop = sim.population
    young = np.flatnonzero(pop.household != np.arange(pop.size))
    assert 0.08 < young.size / pop.size < 0.16
    elder = pop.household[young]
    for arr in (pop.surname, pop.father, pop.prison, pop.city):
        assert (arr[young] == arr[elder]).all()
    assert (pop.given1[young] != pop.given1[elder]).all()
    same_day = (pop.execution[young] == pop.execution[elder]).mean()
    assert 0.7 < same_day < 0.9
    assert (pop.birth[young] > pop.birth[elder]).mean() > 0.9
    # families' lists name households together: a sibling of a listed elder is usually listed
    j = sim.list_ids.index("region_north")
    on = sim.captures.on[:, j]
    listed = on[elder] & on[young]
    assert listed.sum() / max(1, on[elder].sum()) > 0.7
    # regional lists give home towns, no prison column
    north = sim.lists[j]
    assert "prison" not in north.fields and "city" in north.fields
    # the memoir gives only a given name: the surname is rarely in the cell
    memo = sim.lists[sim.list_ids.index("memoir_given")]
    sur = pop.tables.surname_fa[pop.surname[memo.persons]]
    cells = _col(memo, "full_name")
    has_surname = np.mean([s.replace("\u200c", "") in c.replace("\u200c", "")
                           for s, c in zip(sur, cells, strict=True)])
    assert has_surname < 0.15
    fr = sim.lists[sim.list_ids.index("diaspora_fr")]
    assert any("Dj" in c or "ou" in c for c in _col(fr, "full_name"))

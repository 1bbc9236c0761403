"""The synthetic population: one row per (invented) victim, as numpy arrays.

Given names come from the name dictionary of :mod:`dadkhah.names` (by sex, concentrated
as real ones are: Mohammad, Ali, Hossein …); surnames from
:func:`~dadkhah.simulate.surnames.surname_pool` (the dictionary's, at the civil registry's
shares, and a long tail of composed ones: «حسین‌زاده», «میرحسینی», «کرمانی»,
«عطارزاده»); places from the gazetteer.  Nothing here loops over persons in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import jdatetime
import numpy as np

from dadkhah.names import Gazetteer, Place, load_gazetteer, load_name_dictionary
from dadkhah.simulate.config import SimulationConfig
from dadkhah.simulate.surnames import surname_pool

__all__ = ["NameTables", "Population", "name_tables", "province_1988", "simulate_population"]

SEX = ("m", "f")
GROUPS = ("easy", "hard")

def province_1988(province_id: str) -> str:
    """The 1988 province of a present-day gazetteer province id (the gazetteer's split
    records, :func:`dadkhah.names.province_in`)."""
    return load_gazetteer().province_in(province_id) or province_id


def _province_1988_of_city(g: Gazetteer, city_id: str) -> str:
    """The 1988 province id of a city of the gazetteer (every city has one)."""
    province = g.province_in(city_id)
    if province is None:
        raise ValueError(f"gazetteer: city {city_id!r} is in no province")
    return province


@dataclass(frozen=True)
class NameTables:
    """Lookup tables the population's integer codes index into.

    ``given_fa``/``surname_fa`` hold Persian spellings, ``given_latin``/``surname_latin``
    tuples of romanisations (the usual one first); ``surname_weight`` the probability of
    each surname in the whole pool.  Places are gazetteer ids with their
    Persian and Latin written forms (the first form is the usual one).
    """

    given_fa: np.ndarray  # object array of str
    given_latin: tuple[tuple[str, ...], ...]
    given_sex: np.ndarray  # 0 m, 1 f
    given_weight: np.ndarray
    surname_fa: np.ndarray
    surname_latin: tuple[tuple[str, ...], ...]
    surname_weight: np.ndarray
    prison_ids: tuple[str, ...]
    prison_fa: tuple[tuple[str, ...], ...]
    prison_latin: tuple[tuple[str, ...], ...]
    prison_city: np.ndarray  # index into city_ids
    city_ids: tuple[str, ...]
    city_fa: tuple[tuple[str, ...], ...]
    city_latin: tuple[tuple[str, ...], ...]
    city_province: np.ndarray  # index into province_ids (1988 provinces)
    province_ids: tuple[str, ...]
    province_fa: tuple[tuple[str, ...], ...]
    province_latin: tuple[tuple[str, ...], ...]


def _is_persian(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s)


def _forms(place: Place) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fa = [place.name_fa] + [a for a in place.aliases if _is_persian(a)]
    la = [place.name_en] + [a for a in place.aliases if not _is_persian(a)
                            and a.isascii()]
    return tuple(dict.fromkeys(fa)), tuple(dict.fromkeys(la))


@lru_cache(maxsize=4)
def name_tables(prisons: tuple[str, ...], surname_population: float = 85_000_000,
                surname_law_ranks: int = 100) -> NameTables:
    """Tables for the given prisons (cached; built from the packaged dictionary/gazetteer),
    with every surname of :func:`~dadkhah.simulate.surnames.surname_pool`.

    A population's own tables (:attr:`Population.tables`) keep only the surnames it uses.
    """
    d = load_name_dictionary()
    g = load_gazetteer()
    given = [e for e in d.entries if e.kind == "given" and e.sex in ("m", "f") and e.latin]
    gsex = np.array([0 if e.sex == "m" else 1 for e in given], dtype=np.int8)
    gw = np.zeros(len(given))
    for s in (0, 1):
        idx = np.flatnonzero(gsex == s)
        gw[idx] = 1.0 / (np.arange(idx.size) + 3.0)  # dictionary order ≈ frequency order
    pool = surname_pool(surname_population, surname_law_ranks)
    # the curated cities only (Place.generated): the county seats from OSM would spread
    # home towns over 400 more places and change every pinned scenario
    cities = [p for p in g.places.values() if p.kind == "city" and not p.generated]
    city_ids = tuple(p.id for p in cities)
    province_of = {c: _province_1988_of_city(g, c) for c in city_ids}
    prov_ids = tuple(sorted(set(province_of.values())))
    city_prov = np.array([prov_ids.index(province_of[c]) for c in city_ids])
    prison_city = np.array([city_ids.index(g[p].parent) for p in prisons])
    pf = [_forms(g[p]) for p in prisons]
    prison_fa = tuple(f[0] for f in pf)
    # Latin prison forms: the short name first («Evin»), then «Evin Prison» and aliases.
    prison_latin = tuple(tuple(dict.fromkeys([f[1][1] if len(f[1]) > 1 else f[1][0],
                                              *f[1]])) for f in pf)
    cf = [_forms(c) for c in cities]
    vf = [_forms(g[p]) for p in prov_ids]
    return NameTables(
        given_fa=np.array([e.persian for e in given], dtype=object),
        given_latin=tuple(e.latin for e in given), given_sex=gsex, given_weight=gw,
        surname_fa=pool.persian, surname_latin=pool.latin, surname_weight=pool.prob,
        prison_ids=tuple(prisons), prison_fa=prison_fa, prison_latin=prison_latin,
        prison_city=prison_city, city_ids=city_ids, city_fa=tuple(f[0] for f in cf),
        city_latin=tuple(f[1] for f in cf), city_province=city_prov, province_ids=prov_ids,
        province_fa=tuple(f[0] for f in vf), province_latin=tuple(f[1] for f in vf),
    )


@dataclass(frozen=True)
class Population:
    """The true victims.  Arrays are indexed by person (0-based); ids are ``P0000001``…

    Integer codes index into :attr:`tables` (names, places) and the config's affiliations.
    Dates are proleptic Gregorian ordinals (:meth:`datetime.date.toordinal`).
    """

    config: SimulationConfig
    tables: NameTables
    sex: np.ndarray  # 0 m, 1 f
    group: np.ndarray  # 0 easy, 1 hard (latent: who is easier to document)
    title: np.ndarray  # bool: «سید»
    given1: np.ndarray
    given2: np.ndarray  # -1 = none
    surname: np.ndarray
    father: np.ndarray
    birth: np.ndarray  # ordinal
    arrest: np.ndarray  # ordinal
    execution: np.ndarray  # ordinal
    prison: np.ndarray  # index into tables.prison_ids
    city: np.ndarray  # home town, index into tables.city_ids
    affiliation: np.ndarray  # index into config.affiliations
    household: np.ndarray | None = None  # eldest sibling's index (own index: no sibling)

    @property
    def size(self) -> int:
        return int(self.sex.size)

    @property
    def province(self) -> np.ndarray:
        """Home province (1988 boundaries), index into ``tables.province_ids``."""
        return self.tables.city_province[self.city]

    @property
    def prison_province(self) -> np.ndarray:
        """Province (1988) of the prison where the person was killed."""
        return self.tables.city_province[self.tables.prison_city[self.prison]]

    def age_at_death(self) -> np.ndarray:
        """Whole years between birth and execution."""
        b = _ymd(self.birth)
        e = _ymd(self.execution)
        age = e[0] - b[0]
        before = (e[1] < b[1]) | ((e[1] == b[1]) & (e[2] < b[2]))
        return age - before.astype(np.int64)

    def ids(self) -> np.ndarray:
        return np.array([f"P{i:07d}" for i in range(1, self.size + 1)], dtype=object)


def _ymd(ordinals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised ordinal → (year, month, day) via numpy datetime64."""
    epoch = date(1970, 1, 1).toordinal()
    d = (ordinals - epoch).astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, day


@lru_cache(maxsize=200_000)
def jalali(ordinal: int) -> tuple[int, int, int]:
    """Solar Hijri (year, month, day) of a Gregorian ordinal (jdatetime, cached)."""
    j = jdatetime.date.fromgregorian(date=date.fromordinal(int(ordinal)))
    return j.year, j.month, j.day


def _choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(p.size, size=size, p=p / p.sum())


def simulate_population(config: SimulationConfig, rng: np.random.Generator) -> Population:
    """Draw ``config.persons`` victims.  Deterministic given the state of ``rng``.

    Examples
    --------
    >>> import numpy as np
    >>> pop = simulate_population(SimulationConfig(persons=1000), np.random.default_rng(1))
    >>> pop.size, bool((pop.age_at_death() >= 16).all())
    (1000, True)
    """
    n = config.persons
    prisons = tuple(p for p, _ in config.prisons)
    t = name_tables(prisons, config.surname_registry_population, config.surname_law_ranks)

    # affiliation and wave; sex depends on the wave
    aff_w = np.array([a[1] for a in config.affiliations])
    affiliation = _choice(rng, aff_w, n)
    wave = np.array([a[2] for a in config.affiliations])[affiliation]
    fshare = np.where(wave == 1, config.female_share_wave1, config.female_share_wave2)
    sex = (rng.random(n) < fshare).astype(np.int8)
    group = (rng.random(n) < config.hard_share).astype(np.int8)

    # execution dates: two waves and a late tail
    ex = np.where(wave == 1, config.wave1_start.toordinal(), config.wave2_start.toordinal())
    ex = ex + np.floor(rng.gamma(config.wave_shape, config.wave_scale_days, n)).astype(np.int64)
    late = rng.random(n) < config.late_share
    ls, le = config.late_start.toordinal(), config.late_end.toordinal()
    ex = np.where(late, rng.integers(ls, le + 1, n), ex)
    age = config.age_min + rng.gamma(config.age_shape, config.age_scale, n)
    age = np.minimum(age, config.age_max + 0.99)
    birth = ex - np.floor(age * 365.2425).astype(np.int64)
    a0 = config.arrest_start.toordinal()
    arrest = a0 + np.floor(rng.exponential(config.arrest_mean_days, n)).astype(np.int64)
    arrest = np.minimum(arrest, ex - config.arrest_min_gap_days)
    # nobody arrested before the age of 14
    arrest = np.maximum(arrest, birth + int(14 * 365.25))

    # names (the concentration exponents apply only when set: the defaults draw as before)
    if config.given_exponent != 1.0:
        t = replace(t, given_weight=t.given_weight ** config.given_exponent)
    given1 = np.empty(n, dtype=np.int64)
    given2 = np.full(n, -1, dtype=np.int64)
    for s in (0, 1):
        who = np.flatnonzero(sex == s)
        pool = np.flatnonzero(t.given_sex == s)
        given1[who] = pool[_choice(rng, t.given_weight[pool], who.size)]
        two = who[rng.random(who.size) < config.second_given_share]
        g2 = pool[_choice(rng, t.given_weight[pool], two.size)]
        g2 = np.where(g2 == given1[two], pool[(np.searchsorted(pool, g2) + 1) % pool.size], g2)
        given2[two] = g2
    males = np.flatnonzero(t.given_sex == 0)
    father = males[_choice(rng, t.given_weight[males], n)]
    sw = t.surname_weight if config.surname_exponent == 1.0 else \
        t.surname_weight ** config.surname_exponent
    drawn = _choice(rng, sw, n)
    # keep only the surnames drawn (the pool has tens of thousands): codes 0..k-1
    used, surname = np.unique(drawn, return_inverse=True)
    t = replace(t, surname_fa=t.surname_fa[used],
                surname_latin=tuple(t.surname_latin[i] for i in used),
                surname_weight=t.surname_weight[used])
    title = (sex == 0) & (rng.random(n) < config.title_share)

    # places: prison, then home town near it
    prison = _choice(rng, np.array([w for _, w in config.prisons]), n)
    ncity = len(t.city_ids)
    city = np.empty(n, dtype=np.int64)
    for k in range(len(prisons)):
        who = np.flatnonzero(prison == k)
        pc = t.prison_city[k]
        same = np.flatnonzero(t.city_province == t.city_province[pc])
        p = np.full(ncity, (1 - config.hometown_prison_city - config.hometown_same_province)
                    / ncity)
        p[same] += config.hometown_same_province / same.size
        p[pc] += config.hometown_prison_city
        city[who] = rng.choice(ncity, size=who.size, p=p / p.sum())
    household = np.arange(n)
    if config.sibling_share > 0:  # drawn last, so the scenarios without families are unchanged
        _siblings(config, rng, t, sex, household, given1, surname, father, title, birth, arrest,
                  ex, prison, city, affiliation)
    if config.batch_share > 0:  # a stream of its own: every other draw stays as it was
        _batches(config, rng.spawn(1)[0], household, birth, arrest, ex, prison, affiliation)
    return Population(config=config, tables=t, sex=sex, group=group, title=title,
                      given1=given1, given2=given2, surname=surname, father=father,
                      birth=birth, arrest=arrest, execution=ex, prison=prison, city=city,
                      affiliation=affiliation, household=household)


def _siblings(config: SimulationConfig, rng: np.random.Generator, t: NameTables,
              sex: np.ndarray, household: np.ndarray, given1: np.ndarray,
              surname: np.ndarray,
              father: np.ndarray, title: np.ndarray, birth: np.ndarray, arrest: np.ndarray,
              ex: np.ndarray, prison: np.ndarray, city: np.ndarray,
              affiliation: np.ndarray) -> None:
    """Make ``sibling_share`` of the persons younger siblings of others (in place).

    Each younger sibling takes an elder's surname, father, title, home town and prison, is
    born 1–12 years later, keeps a first given name different from the elder's, and dies
    the same day with probability ``sibling_same_day`` (else a few days apart).  Elders are
    persons who are not themselves younger siblings; an elder may have several.
    """
    n = given1.size
    young = np.flatnonzero(rng.random(n) < config.sibling_share)
    if young.size == 0 or young.size == n:
        return
    elders_pool = np.setdiff1d(np.arange(n), young)
    elder = elders_pool[rng.integers(0, elders_pool.size, young.size)]
    household[young] = elder
    for arr in (surname, father, title, city, prison, affiliation):
        arr[young] = arr[elder]
    title[young] &= sex[young] == 0  # «سید» is written for men only
    same = rng.random(young.size) < config.sibling_same_day
    ex[young] = np.where(same, ex[elder], ex[elder] + rng.integers(-6, 7, young.size))
    gap = rng.integers(365, 12 * 365, young.size)
    birth[young] = np.minimum(birth[elder] + gap, ex[young] - int(16 * 365.25))
    arrest[young] = np.clip(arrest[young], birth[young] + int(14 * 365.25),
                            ex[young] - config.arrest_min_gap_days)
    clash = given1[young] == given1[elder]
    if clash.any():  # brothers are not both «Ali»: the next name of the same sex
        pool = {s: np.flatnonzero(t.given_sex == s) for s in (0, 1)}
        for i in np.flatnonzero(clash):
            p = pool[int(t.given_sex[given1[young[i]]])]
            given1[young[i]] = p[(np.searchsorted(p, given1[young[i]]) + 1) % p.size]


def _batches(config: SimulationConfig, rng: np.random.Generator, household: np.ndarray,
             birth: np.ndarray, arrest: np.ndarray, ex: np.ndarray, prison: np.ndarray,
             affiliation: np.ndarray) -> None:
    """Execute ``batch_share`` of the persons in groups: one prison, one day (in place).

    See :class:`~dadkhah.simulate.SimulationConfig` (``batch_share``).  Loops over groups,
    not persons.
    """
    n = ex.size
    before = ex.copy()
    batched = rng.random(n) < config.batch_share
    young = np.flatnonzero(household != np.arange(n))
    batched[young] = batched[household[young]]
    lo, hi = config.batch_size_min, config.batch_size_max
    for k in np.unique(prison[batched]):
        who = np.flatnonzero(batched & (prison == k))
        who = who[np.lexsort((household[who], affiliation[who], ex[who]))]
        days = ex[who]
        # runs without a gap of more than 3 days, each cut into groups of lo..hi persons
        cuts = np.flatnonzero(np.diff(days) > 3) + 1
        for run in np.split(np.arange(who.size), cuts):
            sizes = rng.integers(lo, hi + 1, run.size // lo + 1)
            ends = np.minimum(np.cumsum(sizes), run.size)
            starts = np.concatenate(([0], ends[:-1]))
            keep = starts < run.size
            starts, ends = starts[keep], ends[keep]
            mid = run[(starts + ends - 1) // 2]
            group = np.searchsorted(ends, np.arange(run.size), side="right")
            ex[who[run]] = days[mid[group]]
    # a younger sibling who died the elder's day still does (joins the elder's group)
    same = young[before[young] == before[household[young]]]
    ex[same] = ex[household[same]]
    moved = ex != before
    birth[moved] = np.minimum(birth[moved], ex[moved] - int(16 * 365.25) - 1)
    arrest[moved] = np.minimum(arrest[moved], ex[moved] - config.arrest_min_gap_days)

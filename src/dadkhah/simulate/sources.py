"""The capture model: which persons each list names, and how often twice.

For list ``j`` and person ``i`` in latent group ``g`` (easy or hard to document):

- own capture: ``P(i on j) = capture_j[g]`` (times ``capture_by_province`` factors, capped
  at 1) if the list covers the person's prison or province (``covers``), else 0;
- copying: a list that copies list ``k`` also takes each person on ``k`` with probability
  ``copy_rate`` (``on_j = on_k & U < copy_rate  |  U' < capture_j[g]``), within its coverage;
- households: a list with ``household_rate`` > 0 also names, with that probability per
  person it names, all of the person's siblings (:attr:`Population.household`);
- within-list duplicates: each named person is named once more with probability
  ``errors.duplicate``.

Heterogeneity (the groups), dependence (copying) and coverage restricted to a stratum all
bias naive two-list estimators; setting ``capture=(p, p)``, no ``copies`` and no ``covers``
gives the textbook independent, homogeneous case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dadkhah.simulate.population import Population

__all__ = ["Captures", "capture_probabilities", "coverage", "draw_captures"]


def coverage(pop: Population, j: int) -> np.ndarray:
    """Boolean mask of persons list ``j`` can name at all."""
    spec = pop.config.lists[j]
    if spec.covers is None:
        return np.ones(pop.size, dtype=bool)
    kind, ids = spec.covers
    t = pop.tables
    if kind == "prison":
        codes = [t.prison_ids.index(p) for p in ids if p in t.prison_ids]
        return np.isin(pop.prison, codes)
    codes = [t.province_ids.index(p) for p in ids if p in t.province_ids]
    return np.isin(pop.prison_province, codes)


def _own(pop: Population, j: int) -> np.ndarray:
    spec = pop.config.lists[j]
    p = np.where(pop.group == 0, spec.capture[0], spec.capture[1]).astype(float)
    t = pop.tables
    for prov, factor in spec.capture_by_province:
        if prov in t.province_ids:
            sel = pop.prison_province == t.province_ids.index(prov)
            p[sel] = np.minimum(1.0, p[sel] * factor)
    return p * coverage(pop, j)


def capture_probabilities(pop: Population) -> np.ndarray:
    """``(N, K)`` marginal probability that each person is on each list, given the
    population (latent groups and strata are known here: this is the truth).

    For a copying list the marginal is ``P(k) (1 - (1 - c)(1 - p)) + (1 - P(k)) p``.
    """
    cfg = pop.config
    ids = [s.id for s in cfg.lists]
    out = np.zeros((pop.size, len(ids)))
    for j, spec in enumerate(cfg.lists):
        p = _own(pop, j)
        if spec.copies is not None:
            pk = out[:, ids.index(spec.copies)]
            c = spec.copy_rate * coverage(pop, j)
            p = pk * (1 - (1 - c) * (1 - p)) + (1 - pk) * p
        out[:, j] = p
    return out


@dataclass(frozen=True)
class Captures:
    """Who is on which list: ``on[i, j]`` and, per list, the persons of its records.

    ``records[j]`` is the person index of every record of list ``j`` in file order
    (duplicates included); ``duplicate[j]`` marks the second record of a person.
    """

    on: np.ndarray  # (N, K) bool
    records: tuple[np.ndarray, ...]
    duplicate: tuple[np.ndarray, ...]


def draw_captures(pop: Population, rng: np.random.Generator) -> Captures:
    """Draw list membership, duplicates and the record order of every list."""
    cfg = pop.config
    ids = [s.id for s in cfg.lists]
    n, k = pop.size, len(ids)
    on = np.zeros((n, k), dtype=bool)
    records, dups = [], []
    for j, spec in enumerate(cfg.lists):
        own = rng.random(n) < _own(pop, j)
        if spec.copies is not None:
            copied = on[:, ids.index(spec.copies)] & (rng.random(n) < spec.copy_rate)
            own |= copied & coverage(pop, j)
        if spec.household_rate > 0 and pop.household is not None:
            bring = own & (rng.random(n) < spec.household_rate)
            own |= np.isin(pop.household, pop.household[bring]) & coverage(pop, j)
        on[:, j] = own
        who = np.flatnonzero(own)
        again = who[rng.random(who.size) < spec.errors.duplicate]
        persons = np.concatenate([who, again])
        dup = np.concatenate([np.zeros(who.size, bool), np.ones(again.size, bool)])
        order = rng.permutation(persons.size)
        records.append(persons[order])
        dups.append(dup[order])
    return Captures(on=on, records=tuple(records), duplicate=tuple(dups))

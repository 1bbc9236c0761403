"""One simulated scenario in memory: population, captures, rendered lists, and its truth."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dadkhah.simulate.config import SimulationConfig
from dadkhah.simulate.population import Population, simulate_population
from dadkhah.simulate.sources import Captures, capture_probabilities, draw_captures
from dadkhah.simulate.styles import RenderedList, render_list

__all__ = ["Progress", "Simulation", "simulate"]

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): steps are ``population``, ``captures``, ``list:<id>``,
``write:<file>``."""


@dataclass(frozen=True)
class Simulation:
    """A SYNTHETIC scenario with its ground truth.

    ``lists`` is empty when simulated with ``render=False`` (captures only, for the fast
    statistical checks).
    """

    config: SimulationConfig
    seed: int
    scenario: str | None
    population: Population
    captures: Captures
    lists: tuple[RenderedList, ...]

    synthetic = True

    @property
    def true_total(self) -> int:
        return self.population.size

    @property
    def list_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.config.lists)

    def list_sizes(self) -> dict[str, dict[str, int]]:
        """Per list: persons named, records (duplicates included)."""
        return {lid: {"persons": int(self.captures.on[:, j].sum()),
                      "records": int(self.captures.records[j].size)}
                for j, lid in enumerate(self.list_ids)}

    def observed(self) -> int:
        """Distinct persons on at least one list (the documented total, perfect linkage)."""
        return int(self.captures.on.any(axis=1).sum())

    def true_by_province(self) -> dict[str, int]:
        """True number of victims per stratum (1988 province of the prison)."""
        t = self.population.tables
        counts = np.bincount(self.population.prison_province, minlength=len(t.province_ids))
        return {p.split(":", 1)[1]: int(c)
                for p, c in zip(t.province_ids, counts, strict=True) if c}

    def expected_list_sizes(self) -> dict[str, float]:
        """Expected persons per list given this population (latent groups, strata)."""
        p = capture_probabilities(self.population)
        return {lid: float(p[:, j].sum()) for j, lid in enumerate(self.list_ids)}

    def truth(self) -> pd.DataFrame:
        """One row per record: ``list``, ``row`` (1-based, as imported), ``person_id``,
        ``duplicate``, ``errors`` — the content of the truth file, in memory."""
        ids = self.population.ids()
        parts = [pd.DataFrame({"list": lst.spec.id, "row": np.arange(1, lst.size + 1),
                               "person_id": ids[lst.persons],
                               "duplicate": lst.duplicate.astype(np.int8),
                               "errors": lst.error_strings()})
                 for lst in self.lists]
        if not parts:
            return pd.DataFrame(columns=["list", "row", "person_id", "duplicate", "errors"])
        return pd.concat(parts, ignore_index=True)

    def histories(self, by: Sequence[str] = ()) -> pd.DataFrame:
        """Capture-history table: one 0/1 column per list, ``count``, then stratum columns.

        Built from the truth (perfect linkage): each observed person counts once.
        ``by`` may hold ``province`` (1988 province of the prison, the default stratum)
        or ``prison``.
        """
        on = self.captures.on
        seen = on.any(axis=1)
        frame = pd.DataFrame(on[seen].astype(np.int8), columns=list(self.list_ids))
        t = self.population.tables
        for b in by:
            if b == "province":
                codes = self.population.prison_province[seen]
                names = np.array([p.split(":", 1)[1] for p in t.province_ids], dtype=object)
            elif b == "prison":
                codes = self.population.prison[seen]
                names = np.array([p.split(":", 1)[1] for p in t.prison_ids], dtype=object)
            else:
                raise ValueError(f"by must be 'province' or 'prison', got {b!r}")
            frame[b] = names[codes]
        keys = [*self.list_ids, *by]
        out = frame.groupby(keys, sort=True).size().reset_index(name="count")
        out = out[[*self.list_ids, "count", *by]]
        return out.sort_values(keys, ascending=[False] * len(self.list_ids) + [True] * len(by),
                               kind="stable").reset_index(drop=True)

    def capture_histories(self, by: Sequence[str] = ()):
        """The histories as :class:`dadkhah.estimate.CaptureHistories` (marked synthetic)."""
        from dadkhah.estimate import CaptureHistories

        return CaptureHistories.from_frame(self.histories(by), lists=list(self.list_ids),
                                           by=tuple(by), synthetic=True)


def simulate(config: SimulationConfig, *, seed: int = 1, scenario: str | None = None,
             render: bool = True, progress: Progress | None = None) -> Simulation:
    """Simulate a population, its lists and their records.  Deterministic given ``seed``.

    The population, the captures and each list draw from their own streams (spawned from
    ``seed``), so changing one list's style does not change who is on any list.

    Examples
    --------
    >>> from dadkhah.simulate import SimulationConfig, simulate
    >>> sim = simulate(SimulationConfig(persons=500), seed=3)
    >>> sim.true_total, sim.synthetic, len(sim.lists)
    (500, True, 5)
    """
    ss = np.random.SeedSequence(int(seed))
    pop_ss, cap_ss, list_ss = ss.spawn(3)
    step = progress or (lambda *_: None)
    step("population", 0, config.persons)
    pop = simulate_population(config, np.random.default_rng(pop_ss))
    step("population", config.persons, config.persons)
    caps = draw_captures(pop, np.random.default_rng(cap_ss))
    step("captures", 1, 1)
    rendered: list[RenderedList] = []
    if render:
        children = list_ss.spawn(len(config.lists))
        for j, (spec, child) in enumerate(zip(config.lists, children, strict=True)):
            step(f"list:{spec.id}", j, len(config.lists))
            rendered.append(render_list(pop, caps, j, np.random.default_rng(child)))
        step("lists", len(config.lists), len(config.lists))
    return Simulation(config=config, seed=int(seed), scenario=scenario, population=pop,
                      captures=caps, lists=tuple(rendered))

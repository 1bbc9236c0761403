"""Synthetic scenarios with ground truth: populations, source lists, their files.

No real victim data may enter the repository, yet linkage and estimation can only be
trusted when measured against a known truth.  This package invents a population of victims
shaped like the 1988 case (:class:`SimulationConfig`), the partial, messy lists documenters
would hold about them (:class:`ListSpec`, :class:`ErrorProfile`), and the truth: which
record is which person, and the capture histories.  Everything is SYNTHETIC and says so.

Public API::

    SimulationConfig, ListSpec, ErrorProfile, DEFAULT_LISTS    the configuration
    SCENARIOS, scenario_config                                 named presets
    NoiseProfile, draw_profile, profiles, PROFILE_RANGES       noise profiles (wide ranges)
    TUNING_SEEDS, HELD_OUT_SEEDS, HELD_OUT_SCENARIOS,
    profile_split                                              what may be tuned on
    simulate(config, seed=...) -> Simulation                   in memory
    write_simulation(sim, folder) -> manifest                  the files
    run_scenario(name, folder, seed=..., persons=..., config_file=...)   both, by name
    load_config(path), SimulationConfig.from_dict(d)           TOML / manifest → config

Examples
--------
>>> from dadkhah.simulate import scenario_config, simulate
>>> sim = simulate(scenario_config("small", persons=800), seed=1)
>>> sim.true_total, sorted(sim.list_sizes())[:2]
(800, ['families', 'memoir'])
"""

from __future__ import annotations

from dadkhah.simulate.config import (
    DEFAULT_LISTS,
    ERROR_KINDS,
    EXTRA_ERROR_KINDS,
    LATIN_SYSTEMS,
    ErrorProfile,
    ListSpec,
    SimulationConfig,
    load_config,
)
from dadkhah.simulate.population import Population, simulate_population
from dadkhah.simulate.profiles import (
    HELD_OUT_SCENARIOS,
    HELD_OUT_SEEDS,
    PROFILE_RANGES,
    TUNING_SEEDS,
    NoiseProfile,
    draw_profile,
    profile_split,
    profiles,
)
from dadkhah.simulate.run import run_scenario
from dadkhah.simulate.scenarios import SCENARIOS, scenario_config
from dadkhah.simulate.simulation import Progress, Simulation, simulate
from dadkhah.simulate.sources import Captures, capture_probabilities, draw_captures
from dadkhah.simulate.styles import RenderedList
from dadkhah.simulate.writers import MANIFEST, NOTICE, write_simulation

__all__ = [
    "DEFAULT_LISTS",
    "ERROR_KINDS",
    "EXTRA_ERROR_KINDS",
    "HELD_OUT_SCENARIOS",
    "HELD_OUT_SEEDS",
    "LATIN_SYSTEMS",
    "MANIFEST",
    "NOTICE",
    "PROFILE_RANGES",
    "SCENARIOS",
    "TUNING_SEEDS",
    "Captures",
    "ErrorProfile",
    "ListSpec",
    "NoiseProfile",
    "Population",
    "Progress",
    "RenderedList",
    "Simulation",
    "SimulationConfig",
    "capture_probabilities",
    "draw_captures",
    "draw_profile",
    "load_config",
    "profile_split",
    "profiles",
    "run_scenario",
    "scenario_config",
    "simulate",
    "simulate_population",
    "write_simulation",
]

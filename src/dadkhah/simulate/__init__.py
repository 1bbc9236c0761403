"""Synthetic scenarios with ground truth: populations, source lists, their files.

No real victim data may enter the repository, yet linkage and estimation can only be
trusted when measured against a known truth.  This package invents a population of victims
shaped like the 1988 case (:class:`SimulationConfig`), the partial, messy lists documenters
would hold about them (:class:`ListSpec`, :class:`ErrorProfile`), and the truth: which
record is which person, and the capture histories.  Everything is SYNTHETIC and says so.

Public API::

    SimulationConfig, ListSpec, ErrorProfile, DEFAULT_LISTS    the configuration
    SCENARIOS, scenario_config                                 named presets
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

from pathlib import Path
from typing import Any

from dadkhah.simulate.config import (
    DEFAULT_LISTS,
    ERROR_KINDS,
    ErrorProfile,
    ListSpec,
    SimulationConfig,
    load_config,
)
from dadkhah.simulate.population import Population, simulate_population
from dadkhah.simulate.scenarios import SCENARIOS, scenario_config
from dadkhah.simulate.simulation import Progress, Simulation, simulate
from dadkhah.simulate.sources import Captures, capture_probabilities, draw_captures
from dadkhah.simulate.styles import RenderedList
from dadkhah.simulate.writers import MANIFEST, NOTICE, write_simulation

__all__ = [
    "DEFAULT_LISTS",
    "ERROR_KINDS",
    "MANIFEST",
    "NOTICE",
    "SCENARIOS",
    "Captures",
    "ErrorProfile",
    "ListSpec",
    "Population",
    "Progress",
    "RenderedList",
    "Simulation",
    "SimulationConfig",
    "capture_probabilities",
    "draw_captures",
    "load_config",
    "run_scenario",
    "scenario_config",
    "simulate",
    "simulate_population",
    "write_simulation",
]


def run_scenario(name: str, folder: str | Path, *, seed: int = 1, persons: int | None = None,
                 config_file: str | Path | None = None,
                 progress: Progress | None = None) -> tuple[Simulation, dict[str, Any]]:
    """Simulate the named scenario and write its files; returns (simulation, manifest).

    ``config_file`` (TOML, or a manifest's JSON) changes parameters of the scenario's
    configuration (see :func:`load_config`); ``persons`` then overrides the number of
    persons.  A manifest's configuration with its seed reproduces that simulation exactly.
    """
    from dadkhah.errors import ConfigError

    cfg = scenario_config(name)
    label = name
    if config_file is not None:
        try:
            cfg = load_config(config_file, base=cfg)
        except FileNotFoundError:
            raise ConfigError(f"Config file {config_file} does not exist.",
                              hint="Check the path given to --config.") from None
        except (ValueError, TypeError) as exc:  # includes TOML and JSON syntax errors
            raise ConfigError(f"Config file {config_file}: {exc}",
                              hint="Keys are the fields of SimulationConfig, ListSpec and "
                                   "ErrorProfile (see dadkhah.simulate.config).") from None
        label = f"{name}+{Path(config_file).name}"
    if persons is not None:
        cfg = scenario_config(name, persons=persons) if config_file is None \
            else cfg.with_(persons=scenario_config(name, persons=persons).persons)
    sim = simulate(cfg, seed=seed, scenario=label, progress=progress)
    return sim, write_simulation(sim, folder, progress=progress)

"""Simulate a named scenario and write its files in one call (what ``dadkhah simulate`` does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dadkhah.errors import ConfigError
from dadkhah.simulate.config import load_config
from dadkhah.simulate.scenarios import scenario_config
from dadkhah.simulate.simulation import Progress, Simulation, simulate
from dadkhah.simulate.writers import write_simulation

__all__ = ["run_scenario"]


def run_scenario(name: str, folder: str | Path, *, seed: int = 1, persons: int | None = None,
                 config_file: str | Path | None = None,
                 progress: Progress | None = None) -> tuple[Simulation, dict[str, Any]]:
    """Simulate the named scenario and write its files; returns (simulation, manifest).

    ``config_file`` (TOML, or a manifest's JSON) changes parameters of the scenario's
    configuration (see :func:`load_config`); ``persons`` then overrides the number of
    persons.  A manifest's configuration with its seed reproduces that simulation exactly.
    """
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

"""Shared fixtures: the ``small`` scenario, simulated and written once per test session."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dadkhah.simulate import run_scenario, scenario_config, simulate


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory):
    """(simulation, manifest, folder) of the ``small`` scenario, seed 1."""
    folder = tmp_path_factory.mktemp("sim") / "small"
    sim, man = run_scenario("small", folder, seed=1)
    return sim, man, folder


@pytest.fixture(scope="session")
def stress():
    """The ``stress`` scenario (extreme error rates) in memory, seed 2."""
    return simulate(scenario_config("stress"), seed=2, scenario="stress")


def read_list(path: Path, encoding: str | None) -> list[list[str]]:
    """A written list back as rows of cells (header first)."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        rows = [["" if v is None else str(v) for v in r]
                for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return rows
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.reader(f))

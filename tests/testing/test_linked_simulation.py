"""linked_simulation: a simulation's lists linked in a temporary case, read back for the
linkage draws with the SYNTHETIC truth (the benchmarks' starting point)."""

from __future__ import annotations

import pytest

from dadkhah.simulate import scenario_config, simulate
from dadkhah.testing import linked_simulation


@pytest.mark.filterwarnings("ignore")
def test_linked_simulation_reads_back_the_register_and_the_truth_and_cleans_up() -> None:
    sim = simulate(scenario_config("small", persons=60), seed=3, scenario="small")
    with linked_simulation(sim) as linked:
        unc, truth = linked.uncertainty, linked.truth
        folder = linked.lists_folder
        assert folder.exists() and linked.case.sources()
        assert set(unc.assignment.index) == set(truth.index)
        assert unc.features is not None and not unc.must_link  # linked, nothing decided
    named = int(sim.captures.on.any(axis=1).sum())
    assert truth.nunique() == named and linked.link_seconds > 0
    assert not folder.exists()

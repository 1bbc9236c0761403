"""Synthetic fixtures for tests, benchmarks and the demo: public, for users' own tests too.

Everything here is SYNTHETIC: :func:`simulated_case` builds a case from a simulated scenario
and returns the ground truth with it.
"""

from dadkhah.testing.fixtures import SimulatedCase, import_lists, record_truth, simulated_case

__all__ = ["SimulatedCase", "import_lists", "record_truth", "simulated_case"]

"""Synthetic fixtures for tests, benchmarks and the demo: public, for users' own tests too.

Everything here is SYNTHETIC: :func:`simulated_case` builds a case from a simulated scenario
and returns the ground truth with it; :func:`linked_case` also normalises and links it, as a
template that :func:`case_copy` copies for each test; :func:`linked_simulation` writes,
imports and links a simulation in a temporary case and reads it back for the linkage draws,
with its truth (the benchmarks' starting point); :func:`misread_records` makes records look
as OCR misreads them.
"""

from dadkhah.testing.fixtures import (
    SimulatedCase,
    case_copy,
    import_lists,
    linked_case,
    record_copies,
    record_truth,
    simulated_case,
)
from dadkhah.testing.linked import LinkedSimulation, linked_simulation
from dadkhah.testing.misread import OCR_CONFUSABLE, misread, misread_records

__all__ = ["OCR_CONFUSABLE", "LinkedSimulation", "SimulatedCase", "case_copy", "import_lists",
           "linked_case", "linked_simulation", "misread", "misread_records", "record_copies",
           "record_truth", "simulated_case"]

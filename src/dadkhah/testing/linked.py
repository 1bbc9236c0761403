"""A simulation's lists linked as ``dadkhah link`` links them, read back as the linkage draws
read a case, with the SYNTHETIC truth: what the benchmarks of issue 19 (coverage, the draws'
tuning, the split-person diagnosis) each start from."""

from __future__ import annotations

import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dadkhah.linkage import link_case
from dadkhah.linkage.features import compute_features
from dadkhah.register import (
    LinkageUncertainty,
    audit_answers,
    draw_audit_sample,
    linkage_uncertainty,
    record_decision,
)
from dadkhah.simulate import write_simulation
from dadkhah.store import Case
from dadkhah.testing.fixtures import import_lists, record_truth


@dataclass(frozen=True)
class LinkedSimulation:
    """A SYNTHETIC case linked from a simulation's lists (open while its
    :func:`linked_simulation` block runs), with ``uncertainty``
    (:func:`dadkhah.register.linkage_uncertainty` of it, the linkage's features passed) and
    ``truth`` (record id → true person id); ``lists_folder``: where its lists were written;
    ``link_seconds``: the time linking took (with the audit and the relink, if any)."""

    case: Case
    simulation: Any
    uncertainty: LinkageUncertainty
    truth: pd.Series
    lists_folder: Path
    link_seconds: float


@contextmanager
def linked_simulation(simulation: Any, *, calibrate: bool = True, audit: int = 0,
                      seed: int = 1, by: str = "bench") -> Iterator[LinkedSimulation]:
    """Write ``simulation``'s lists and import them into a fresh case in a temporary folder
    (removed on exit), link it as ``dadkhah link`` does (the linkage's warnings silenced) and
    yield it as a :class:`LinkedSimulation`.

    ``audit`` > 0: then an audit sample of that many pairs (``seed``) answered from the
    SYNTHETIC truth as a careful reviewer would, and the case linked again (the answers are
    decisions, which bind the new run), as a team would before estimating.  ``calibrate``:
    passed to :func:`~dadkhah.register.linkage_uncertainty` (``False``: the model's own
    probabilities, what the draws' tuning scores)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lists = folder / "lists"
        manifest = write_simulation(simulation, lists)
        case = Case.create(folder / "case", by=by)
        try:
            import_lists(case, lists, manifest, by=by)
            truth = record_truth(case, lists)
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                link_case(case, by=by)
                if audit > 0:
                    draw_audit_sample(case, audit, by=by, seed=seed)
                    for p in audit_answers(case):
                        same = truth[p["record_l"]] == truth[p["record_r"]]
                        record_decision(case, p["record_l"], p["record_r"],
                                        "match" if same else "no_match", by=f"{by}-reviewer",
                                        reason="audit sample, answered from the SYNTHETIC "
                                        "truth")
                    link_case(case, by=by)
            seconds = time.perf_counter() - t0
            unc = linkage_uncertainty(case, calibrate=calibrate, features=compute_features)
            yield LinkedSimulation(case=case, simulation=simulation, uncertainty=unc,
                                   truth=truth, lists_folder=lists, link_seconds=seconds)
        finally:
            case.close()

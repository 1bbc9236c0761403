"""Cases built from simulated (SYNTHETIC) lists, with their ground truth."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dadkhah.ingest import import_file
from dadkhah.store import Case


@dataclass
class SimulatedCase:
    """A case built from a simulation, with its truth (record id → true person id)."""

    case: Case
    simulation: Any
    manifest: dict[str, Any]
    lists_folder: Path
    truth: pd.Series


def import_lists(case: Case, folder: Path, manifest: dict[str, Any], *,
                 lists: list[str] | None = None, by: str = "simulated") -> list[Any]:
    """Register each simulated list as a synthetic source (slug = list id) and import it.
    ``lists`` restricts to some list ids (to add the others later, as new sources)."""
    reports = []
    for lst in manifest["lists"]:
        if lists is not None and lst["id"] not in lists:
            continue
        case.add_source(slug=lst["id"], title=lst["title"], kind=lst["kind"],
                        reliability=lst["reliability"], script=lst["script"],
                        notes="SYNTHETIC: made by dadkhah simulate", synthetic=True,
                        by=by)
        reports.append(import_file(case, Path(folder) / lst["file"], source=lst["id"],
                                   by=by))
    record_copies(case, manifest, by=by)
    return reports


def record_copies(case: Case, manifest: dict[str, Any], *, by: str = "simulated") -> int:
    """Record on the case's sources which simulated list copies which (the manifest's
    ``copies`` and ``copy_rate``: a rate of 1 copies the whole list, less a part), for
    the lists that are sources of the case; returns how many were recorded."""
    have = {s.slug for s in case.sources()}
    n = 0
    for lst in manifest["lists"]:
        copied = lst.get("copies")
        if copied and lst["id"] in have and copied in have:
            case.set_source_copy(lst["id"], copied,
                                 extent="whole" if lst.get("copy_rate", 0) >= 1 else "part",
                                 note="SYNTHETIC: the simulator's list copies it", by=by)
            n += 1
    return n


def record_truth(case: Case, folder: Path) -> pd.Series:
    """record id → true person id, from the simulation's truth file."""
    from dadkhah.linkage import read_truth, truth_by_record

    return truth_by_record(case, read_truth(Path(folder) / "SYNTHETIC-truth.csv"))


def simulated_case(location: str | Path, *, scenario: str = "small", seed: int = 1,
                   persons: int | None = None, lists: list[str] | None = None,
                   lists_folder: str | Path | None = None,
                   profile: int | None = None) -> SimulatedCase:
    """Simulate ``scenario`` and build a fresh case at ``location`` from its lists.

    ``profile`` simulates the noise profile of that number instead
    (:func:`dadkhah.simulate.draw_profile`: 1–20 the tuning split, 1001 onwards held out)
    with ``persons`` persons, labelled ``profile-N``."""
    from dadkhah.simulate import draw_profile, run_scenario, simulate, write_simulation

    folder = Path(lists_folder) if lists_folder else Path(str(location) + "-lists")
    if profile is None:
        sim, man = run_scenario(scenario, folder, seed=seed, persons=persons)
    else:
        if persons is None:
            raise TypeError("simulated_case(profile=...) needs persons=")
        sim = simulate(draw_profile(profile).config(persons), seed=seed,
                       scenario=f"profile-{profile}")
        man = write_simulation(sim, folder)
    case = Case.create(location, by="simulated")
    import_lists(case, folder, man, lists=lists)
    return SimulatedCase(case, sim, man, folder, record_truth(case, folder))


def linked_case(location: str | Path, *, scenario: str = "small", persons: int,
                seed: int) -> Path:
    """Simulate ``scenario``, import, normalise and link it at ``location``, close the case
    and return its folder: a template that tests copy with :func:`case_copy`, so the
    simulation and the linkage run once for many tests."""
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case

    sc = simulated_case(location, scenario=scenario, persons=persons, seed=seed)
    normalize_case(sc.case, by="tester")
    link_case(sc.case, by="tester")
    sc.case.close()
    return Path(location)


@contextmanager
def case_copy(template: str | Path, target: str | Path) -> Iterator[Case]:
    """A fresh copy of the case folder ``template`` at ``target``, open (closed on exit):
    each test may write to its own copy."""
    shutil.copytree(template, target)
    case = Case.open(target)
    try:
        yield case
    finally:
        case.close()

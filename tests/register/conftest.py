"""Shared helpers of the register's tests (SYNTHETIC data)."""

from __future__ import annotations

from pathlib import Path

from dadkhah.ingest import import_file
from dadkhah.store import Case


def case_from_csv(location: str | Path, csv: str, folder: Path) -> Case:
    """A new case at ``location`` holding ``csv`` (written into ``folder``) imported as the
    one SYNTHETIC source ``synthetic-1``."""
    case = Case.create(location)
    case.add_source(slug="synthetic-1", title="SYNTHETIC test list", kind="other",
                    synthetic=True)
    f = folder / "list.csv"
    f.write_text(csv, encoding="utf-8")
    import_file(case, f, source="synthetic-1")
    return case

"""Case-file fixtures: a case on SQLite and (when configured) PostgreSQL, with an evidence
folder — the case folder's own for SQLite, a separate one for PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dadkhah.store import Case


@pytest.fixture
def cf_case(case_location: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[Case]:
    if case_location.startswith("postgresql"):
        monkeypatch.setenv("DADKHAH_EVIDENCE_DIR", str(tmp_path / "pg-evidence"))
    else:
        monkeypatch.delenv("DADKHAH_EVIDENCE_DIR", raising=False)
    case = Case.create(case_location, by="tester")
    case.add_source(slug="ngo", title="An NGO report (SYNTHETIC)", kind="ngo_report",
                    reliability="B", synthetic=True, by="tester")
    case.add_source(slug="court", title="A court judgment (SYNTHETIC)", kind="court_record",
                    reliability="A", synthetic=True, by="tester")
    yield case
    case.close()


@pytest.fixture
def example_case(cf_case: Case) -> Case:
    from dadkhah.casefile import load_example

    load_example(cf_case, by="tester")
    return cf_case

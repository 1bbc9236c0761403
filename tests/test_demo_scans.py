"""The demo's scanned-list stage without tesseract: one line saying how to install it, and
nothing written to the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from dadkhah import demo
from dadkhah.store import Case


def test_stage_scans_is_skipped_without_tesseract(case: Case, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo.shutil, "which", lambda name: None)
    said: list[str] = []
    before = len(case.audit_entries(limit=1000))
    demo.stage_scans(demo.DemoContext(tmp_path, case, said.append))
    assert said[0].startswith("[1] Scanned list")
    assert "skipped: tesseract is not installed" in said[1]
    assert "scripts/system-deps.sh" in said[1]
    assert len(case.audit_entries(limit=1000)) == before and case.count_records() == 0

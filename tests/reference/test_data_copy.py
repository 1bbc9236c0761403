"""The test copy of the MSE reference data must match ``shared/data/mse`` when present."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "data" / "mse"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mse"


@pytest.mark.skipif(not SHARED.exists(), reason="shared/data/mse is not beside the repository")
def test_copy_matches_shared() -> None:
    for f in sorted(SHARED.glob("*.csv")):
        assert (HERE / f.name).read_bytes() == f.read_bytes(), f.name

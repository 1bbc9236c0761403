from __future__ import annotations

from pathlib import Path

import pytest

from dadkhah.estimate import CaptureHistories

MSE_DATA = Path(__file__).resolve().parents[1] / "data" / "mse"


@pytest.fixture(scope="session")
def mse_data() -> Path:
    return MSE_DATA


def load(name: str) -> CaptureHistories:
    return CaptureHistories.from_csv(MSE_DATA / f"{name}.csv")

from __future__ import annotations

import math
import warnings

import pytest

from dadkhah.errors import EstimationError, EstimationWarning, InsufficientOverlap
from dadkhah.estimate import CaptureHistories, chapman, lincoln_petersen


def two(n11: int, n10: int, n01: int) -> CaptureHistories:
    return CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [n11, n10, n01])


def test_chapman_by_hand() -> None:
    e = chapman(two(19, 31, 21))
    n1, n2, m = 50, 40, 19
    assert e.total == pytest.approx((n1 + 1) * (n2 + 1) / (m + 1) - 1)
    var = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    assert e.diagnostics["se"] == pytest.approx(math.sqrt(var))
    f0 = e.total - 71
    c = math.exp(1.959963984540054 * math.sqrt(math.log(1 + var / f0**2)))
    assert e.interval.low == pytest.approx(71 + f0 / c)
    assert e.interval.high == pytest.approx(71 + f0 * c)
    assert e.interval.low > e.observed


def test_lincoln_petersen_by_hand() -> None:
    e = lincoln_petersen(two(20, 30, 20))
    assert e.total == pytest.approx(50 * 40 / 20)
    assert e.method == "lincoln-petersen"


def test_level_widens_interval() -> None:
    h = two(19, 31, 21)
    a, b = chapman(h, level=0.8), chapman(h, level=0.99)
    assert b.interval.low < a.interval.low < a.total < a.interval.high < b.interval.high


def test_no_overlap_is_refused() -> None:
    h = CaptureHistories.from_arrays(["A", "B"], [[1, 0], [0, 1]], [30, 20])
    with pytest.raises(InsufficientOverlap, match="more than one list"):
        chapman(h)
    with pytest.raises(InsufficientOverlap):
        lincoln_petersen(h)


def test_single_list_is_refused() -> None:
    h = CaptureHistories.from_arrays(["A", "B"], [[1, 0]], [30])
    with pytest.raises(InsufficientOverlap, match="Only 1 list"):
        chapman(h)


def test_three_lists_need_selection() -> None:
    h = CaptureHistories.from_arrays(["A", "B", "C"], [[1, 1, 0], [1, 0, 1], [0, 1, 1]], [5, 5, 5])
    with pytest.raises(EstimationError, match="exactly 2 lists"):
        chapman(h)
    with pytest.warns(EstimationWarning):
        assert chapman(h, lists=["A", "B"]).lists == ("A", "B")


def test_small_overlap_warns_and_keeps_note() -> None:
    with pytest.warns(EstimationWarning, match="Only 3 people"):
        e = chapman(two(3, 40, 50))
    assert any("Only 3 people" in n for n in e.notes)


def test_no_warning_for_healthy_overlap() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chapman(two(30, 40, 50))

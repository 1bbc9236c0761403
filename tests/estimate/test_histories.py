from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from dadkhah.errors import EstimationError
from dadkhah.estimate import CaptureHistories, DocumentedCount
from tests.estimate.conftest import load


def test_csv_round_trip_and_full_table() -> None:
    h = load("kosovo")
    assert h.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert h.observed == 4400
    full = h.full_table()
    assert full[0] == 0 and full.sum() == 4400
    assert full[0b1111] == 27 and full[0b0001] == 306  # first list is the top bit
    assert h.list_totals()["HRW"] == 685


def test_duplicates_are_merged_and_zero_rows_dropped() -> None:
    h = CaptureHistories.from_arrays(["A", "B"], [[1, 0], [1, 0], [0, 1], [1, 1]], [2, 3, 0, 4])
    assert h.patterns.tolist() == [[1, 1], [1, 0]]
    assert h.counts.tolist() == [4, 5]


def test_all_zero_pattern_with_people_is_refused() -> None:
    with pytest.raises(ValueError, match="all-zero"):
        CaptureHistories(("A", "B"), np.array([[0, 0]]), np.array([3]))


def test_non_binary_list_column_is_an_estimation_error() -> None:
    with pytest.raises(EstimationError, match="other than 0 and 1"):
        CaptureHistories.from_csv(io.StringIO("A,B,count\n1,2,3\n"))


def test_missing_count_column() -> None:
    with pytest.raises(EstimationError, match="count"):
        CaptureHistories.from_csv(io.StringIO("A,B\n1,0\n"))


def test_from_persons_aggregates_people() -> None:
    persons = pd.DataFrame({
        "A": [1, 1, 0, 1, 0], "B": [True, False, True, True, False],
        "prison": ["Evin", "Evin", "Evin", "Qezel", "Qezel"],
    })
    h = CaptureHistories.from_persons(persons, lists=["A", "B"], by=["prison"])
    assert h.observed == 4  # the person on no list is dropped
    strata = dict(h.by_stratum())
    assert strata[(("prison", "Evin"),)].observed == 3
    assert strata[(("prison", "Qezel"),)].counts.tolist() == [1]


def test_stratified_csv_and_pooling() -> None:
    csv = "A,B,city,count\n1,1,x,5\n1,0,x,5\n0,1,x,5\n1,1,y,1\n1,0,y,2\n"
    h = CaptureHistories.from_csv(io.StringIO(csv), by=["city"])
    assert h.stratum_columns == ("city",)
    assert [s for s, _ in h.by_stratum()] == [(("city", "x"),), (("city", "y"),)]
    assert h.pooled().counts.tolist() == [6, 7, 5]


def test_arrays_are_read_only() -> None:
    h = load("spina_bifida")
    with pytest.raises(ValueError):
        h.counts[0] = 1


def test_documented_count_is_a_count() -> None:
    d = DocumentedCount.of(load("spina_bifida"))
    assert d.count == 626
    assert "not an estimate" in d.summary().as_text()
    assert not hasattr(d, "interval")
    assert d.to_dict()["kind"] == "documented_count"

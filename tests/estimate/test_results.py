from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from dadkhah.errors import EstimationError
from dadkhah.estimate import CaptureHistories, Estimate, Interval


def make(**kw: object) -> Estimate:
    base: dict[str, object] = {
        "method": "chapman", "lists": ("A", "B"), "observed": 50, "total": 80.0,
        "interval": Interval(60.0, 110.0),
    }
    base.update(kw)
    return Estimate(**base)  # type: ignore[arg-type]


def test_frozen() -> None:
    e = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.total = 3.0  # type: ignore[misc]


def test_draws_are_read_only() -> None:
    e = make(draws=np.array([70.0, 80.0, 90.0]))
    assert e.draws is not None
    with pytest.raises(ValueError):
        e.draws[0] = 1.0


def test_total_below_observed_is_a_bug() -> None:
    with pytest.raises(EstimationError, match="below"):
        make(total=40.0, interval=Interval(30.0, 60.0))


def test_interval_must_contain_total() -> None:
    with pytest.raises(EstimationError, match="does not contain"):
        make(interval=Interval(85.0, 110.0))


def test_to_dict_is_json_safe() -> None:
    e = make(diagnostics={"x": np.float64(np.inf), "y": np.int64(3), "z": np.array([1, 2])},
             synthetic=True)
    d = e.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert '"x": null' in text
    assert d["unobserved"] == 30.0 and d["low"] == 60.0 and d["high"] == 110.0
    assert d["synthetic"] is True


def test_summary_layout() -> None:
    e = make(notes=("first note",), assumptions=("closed population",), synthetic=True)
    text = e.summary().as_text()
    assert text.startswith("*** SYNTHETIC DATA ***")
    assert "Documented (observed)" in text and "[1] first note" in text
    assert "[2] Assumption: closed population" in text
    assert "<table" in e.summary().as_html()
    assert e.unobserved == 30.0


def test_an_unknown_method_or_level_is_a_config_error_with_a_hint() -> None:
    from dadkhah.errors import ConfigError
    from dadkhah.estimate import METHODS, estimate_total

    h = CaptureHistories.from_arrays(["A", "B"], [[1, 1], [1, 0], [0, 1]], [19, 31, 21])
    with pytest.raises(ConfigError, match="Unknown estimation method 'foo'") as exc:
        estimate_total(h, method="foo")
    assert exc.value.hint and all(m in exc.value.hint for m in METHODS)
    for level in (0, 1, 1.5, -0.2):
        with pytest.raises(ConfigError, match="not between 0 and 1"):
            estimate_total(h, method="chapman", level=level)

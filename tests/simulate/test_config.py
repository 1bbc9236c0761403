"""The configuration refuses what it cannot simulate; scenarios are documented."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

import dadkhah.simulate as S
from dadkhah.errors import ConfigError
from dadkhah.simulate import (
    SCENARIOS,
    ErrorProfile,
    ListSpec,
    SimulationConfig,
    scenario_config,
)


def test_config_is_frozen_and_copied_with_changes() -> None:
    cfg = SimulationConfig()
    with pytest.raises(FrozenInstanceError):
        cfg.persons = 3  # type: ignore[misc]
    assert cfg.with_(persons=10).persons == 10 and cfg.persons == 5000
    d = cfg.to_dict()
    assert d["wave1_start"] == "1988-07-27" and len(d["lists"]) == 5


def test_invalid_configurations_are_refused() -> None:
    with pytest.raises(ValueError, match="script"):
        ListSpec(id="x", title="x", kind="press", capture=(0.1, 0.1), script="cyrillic")
    with pytest.raises(ValueError, match="kind"):
        ListSpec(id="x", title="x", kind="rumour", capture=(0.1, 0.1))
    with pytest.raises(ValueError, match="capture"):
        ListSpec(id="x", title="x", kind="press", capture=(1.2, 0.1))
    b = ListSpec(id="b", title="b", kind="press", capture=(0.1, 0.1), copies="a")
    a = ListSpec(id="a", title="a", kind="press", capture=(0.1, 0.1))
    with pytest.raises(ValueError, match="earlier list"):
        SimulationConfig(lists=(b, a))
    SimulationConfig(lists=(a, b))
    with pytest.raises(ValueError, match="distinct"):
        SimulationConfig(lists=(a, a))
    with pytest.raises(ValueError, match="persons"):
        SimulationConfig(persons=0)


def test_error_profile_scaling_caps_rates() -> None:
    e = ErrorProfile(typo=0.3, date_shift_days=10).scaled(4)
    assert e.typo == 0.9 and e.date_shift_days == 10


def test_scenarios_exist_and_are_documented() -> None:
    assert {"small", "medium", "large", "stress", "independent"} <= set(SCENARIOS)
    for name, entry in SCENARIOS.items():
        assert f"``{name}``" in S.scenarios.__doc__
        assert scenario_config(name).persons == entry["config"].persons
    assert scenario_config("small").persons == 5000
    assert scenario_config("medium").persons == 50_000
    assert scenario_config("large").persons == 200_000
    stress = scenario_config("stress")
    assert all(s.errors.typo >= 4 * d.errors.typo - 1e-12
               for s, d in zip(stress.lists, SimulationConfig().lists, strict=True))
    with pytest.raises(ConfigError) as exc:
        scenario_config("nope")
    assert "small" in exc.value.hint


def test_public_api() -> None:
    assert sorted(S.__all__) == sorted(set(S.__all__))
    for name in S.__all__:
        assert hasattr(S, name)


def test_documented_sizes_are_the_realised_ones() -> None:
    from dadkhah.simulate import simulate

    for name in ("small", "stress"):
        sim = simulate(scenario_config(name), seed=1, render=False)
        line = next(ln for ln in S.scenarios.__doc__.splitlines()
                    if ln.startswith(name + " "))
        assert f"{sim.observed():,}" in line
        for size in sim.list_sizes().values():
            assert f"{size['persons']:,} / {size['records']:,}" in line, (name, size)


def test_config_round_trips_through_its_dict_form() -> None:
    import json

    for name in SCENARIOS:
        cfg = scenario_config(name)
        again = SimulationConfig.from_dict(json.loads(json.dumps(cfg.to_dict())))
        assert again == cfg, name
    changed = SimulationConfig.from_dict({"persons": 7, "wave1_start": "1988-07-28"})
    assert changed.persons == 7 and changed.wave1_start.day == 28
    assert changed.lists == SimulationConfig().lists
    with pytest.raises(ValueError, match="bogus"):
        SimulationConfig.from_dict({"bogus": 1})
    with pytest.raises(ValueError, match="typoo"):
        SimulationConfig.from_dict({"lists": [{"id": "a", "title": "a", "kind": "press",
                                               "capture": [0.1, 0.1],
                                               "errors": {"typoo": 0.1}}]})

"""EM's level weights held in the order the levels are defined (settings.monotone_levels)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dadkhah.linkage.settings import MONOTONE_COMPARISONS, model_settings, monotone_levels


@dataclass
class Level:
    m_probability: float | None
    u_probability: float | None
    is_null_level: bool = False


@dataclass
class Comparison:
    output_column_name: str
    comparison_levels: list[Level] = field(default_factory=list)


def town(ms: list[float], us: list[float], name: str = "town") -> Comparison:
    return Comparison(name, [Level(None, None, is_null_level=True)]
                      + [Level(m, u) for m, u in zip(ms, us, strict=True)])


def factors(c: Comparison) -> list[float]:
    return [lv.m_probability / lv.u_probability for lv in c.comparison_levels
            if not lv.is_null_level]


def test_a_looser_level_better_than_a_closer_one_is_pooled_with_it() -> None:
    # «same region» (m 0.4, u 0.02: factor 20) above «same town» (0.5 / 0.1: factor 5),
    # as EM learnt it on tuning profile 14
    c = town([0.5, 0.4, 0.1], [0.1, 0.02, 0.88])
    assert monotone_levels([c]) == ["town"]
    f = factors(c)
    assert f[0] == pytest.approx(0.9 / 0.12) and f[1] == pytest.approx(0.9 / 0.12)
    assert f[2] == pytest.approx(0.1 / 0.88)
    assert sum(lv.m_probability for lv in c.comparison_levels[1:]) == pytest.approx(1.0)
    assert [lv.u_probability for lv in c.comparison_levels[1:]] == [0.1, 0.02, 0.88]


def test_violations_further_down_pool_back_up_the_list() -> None:
    c = town([0.3, 0.2, 0.2, 0.3], [0.1, 0.1, 0.05, 0.75])  # factors 3, 2, 4, 0.4
    assert monotone_levels([c]) == ["town"]
    f = factors(c)
    assert all(a >= b - 1e-12 for a, b in zip(f, f[1:], strict=False)), f
    assert f[0] == pytest.approx(3.0) and f[3] == pytest.approx(0.4)
    assert f[1] == pytest.approx(0.4 / 0.15) and f[2] == pytest.approx(0.4 / 0.15)


def test_levels_in_order_and_other_comparisons_are_left_alone() -> None:
    ordered = town([0.6, 0.3, 0.1], [0.1, 0.2, 0.7])
    other = town([0.5, 0.4, 0.1], [0.1, 0.02, 0.88], name="affiliation")
    untrained = town([0.5, 0.4, 0.1], [0.1, 0.02, 0.88], name="birth")
    untrained.comparison_levels[2].u_probability = None
    assert monotone_levels([ordered, other, untrained]) == []
    assert [lv.m_probability for lv in ordered.comparison_levels[1:]] == [0.6, 0.3, 0.1]
    assert [lv.m_probability for lv in other.comparison_levels[1:]] == [0.5, 0.4, 0.1]


def test_the_named_comparisons_exist_in_the_model() -> None:
    names = {c.output_column_name
             for c in model_settings().get_settings("duckdb").comparisons}
    assert set(MONOTONE_COMPARISONS) <= names

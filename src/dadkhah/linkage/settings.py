"""The splink model for Persian-aware linkage: comparisons and blocking rules.

Comparisons work on the features of :mod:`dadkhah.linkage.features`: cross-script keys
(equal whatever the script or romanisation), Latin forms for string similarity (typos), and
intervals for dates.  Only portable SQL and splink's own similarity levels are used, so the
same model runs on DuckDB and Spark.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

JW_NAME = 0.88  # Jaro-Winkler on Latin forms above which two names count as a typo apart
JW_NAME_BOTH = 0.84


def _prefix(a: str, b: str) -> str:
    """a starts with b (portable SQL; both non-empty)."""
    return f"substr({a}, 1, length({b})) = {b}"


def name_comparison() -> cl.CustomComparison:
    """Given name and surname together, so their correlation is not counted twice.

    Levels, strongest first: both keys equal in either order (term-frequency adjusted on
    the pair, so a common full name weighs less); surname equal and one
    given name a prefix of the other (dropped middle name, compound written apart);
    surname equal and given names a typo apart; given equal and surnames a typo apart;
    both a typo apart; surname equal and same initial; surname only; given name only.
    """
    surname_eq = cll.CustomLevel("surname_key_l = surname_key_r")
    given_eq = cll.CustomLevel("given_key_l = given_key_r")
    # tokens_key (sorted given + surname keys) is set only when both parts are known; its
    # equality means the same name in either order, and its frequency says how common
    # that full name is.
    both = cll.ExactMatchLevel("tokens_key", term_frequency_adjustments=True).configure(
        label_for_charts="given name and surname equal, in either order (cross-script keys)")
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="given name and surname (Persian-aware)",
        comparison_levels=[
            cll.CustomLevel(
                "(given_key_l IS NULL AND surname_key_l IS NULL) OR "
                "(given_key_r IS NULL AND surname_key_r IS NULL)", "no name").configure(
                is_null_level=True),
            both.configure(m_probability=0.6),
            cll.CustomLevel(
                "surname_key_l = surname_key_r AND given_key_l IS NOT NULL AND "
                f"given_key_r IS NOT NULL AND ({_prefix('given_key_l', 'given_key_r')} OR "
                f"{_prefix('given_key_r', 'given_key_l')})",
                "surname equal, one given name a prefix of the other").configure(
                m_probability=0.08),
            cll.And(surname_eq, cll.JaroWinklerLevel("given_latin", JW_NAME)).configure(
                label_for_charts="surname equal, given names a typo apart", m_probability=0.06),
            cll.And(given_eq, cll.JaroWinklerLevel("surname_latin", JW_NAME)).configure(
                label_for_charts="given name equal, surnames a typo apart", m_probability=0.06),
            cll.And(cll.JaroWinklerLevel("given_latin", JW_NAME_BOTH),
                    cll.JaroWinklerLevel("surname_latin", JW_NAME_BOTH)).configure(
                label_for_charts="both a typo apart", m_probability=0.04),
            cll.CustomLevel("surname_key_l = surname_key_r AND initial_l = initial_r",
                            "surname equal, same initial").configure(m_probability=0.03),
            cll.CustomLevel("surname_key_l = surname_key_r", "surname only").configure(
                tf_adjustment_column="surname_key", tf_adjustment_weight=0.5,
                m_probability=0.05),
            cll.CustomLevel("given_key_l = given_key_r", "given name only").configure(
                m_probability=0.04),
            cll.ElseLevel().configure(m_probability=0.04),
        ],
    )


def father_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="father",
        comparison_description="father's name",
        comparison_levels=[
            cll.NullLevel("father_key"),
            cll.CustomLevel("father_key_l = father_key_r", "father's name equal").configure(
                tf_adjustment_column="father_key", tf_adjustment_weight=1.0,
                m_probability=0.8),
            cll.JaroWinklerLevel("father_latin", JW_NAME).configure(m_probability=0.1),
            cll.ElseLevel().configure(m_probability=0.1),
        ],
    )


def interval_comparison(name: str, lo: str, hi: str, bands: list[tuple[int, str, float]],
                        description: str, m_overlap: float) -> cl.CustomComparison:
    """Intervals [lo, hi]: overlapping, then within each band's gap, else.

    ``bands`` are (gap, label, m prior); the m priors are EM's starting values and are
    kept when a level is too rare in the data to train.
    """
    gap = f"greatest({lo}_l - {hi}_r, {lo}_r - {hi}_l)"
    levels: list[Any] = [
        cll.CustomLevel(f"{lo}_l IS NULL OR {lo}_r IS NULL", "not known").configure(
            is_null_level=True),
        cll.CustomLevel(f"{gap} <= 0", "intervals overlap").configure(m_probability=m_overlap),
    ]
    for width, label, m in bands:
        levels.append(cll.CustomLevel(f"{gap} <= {width}", label).configure(m_probability=m))
    levels.append(cll.ElseLevel().configure(m_probability=0.03))
    return cl.CustomComparison(output_column_name=name, comparison_description=description,
                               comparison_levels=levels)


def death_comparison() -> cl.CustomComparison:
    c = interval_comparison("death", "death_lo", "death_hi",
                            [(7, "within a week", 0.06), (45, "within 45 days", 0.05)],
                            "death-date intervals (any precision)", m_overlap=0.3)
    exact = cll.CustomLevel(
        "death_precision_l = 'day' AND death_precision_r = 'day' AND death_lo_l = death_lo_r",
        "same day, both known to the day").configure(m_probability=0.56)
    c._comparison_levels.insert(1, exact)
    return c


def birth_comparison() -> cl.CustomComparison:
    return interval_comparison("birth", "birth_lo", "birth_hi",
                               [(2, "within 2 years", 0.08), (5, "within 5 years", 0.04)],
                               "birth-year intervals (from birth date or age at death)",
                               m_overlap=0.85)


def categorical(column: str, description: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column.removesuffix("_id"),
        comparison_description=description,
        comparison_levels=[cll.NullLevel(column),
                           cll.ExactMatchLevel(column).configure(m_probability=0.85),
                           cll.ElseLevel().configure(m_probability=0.15)],
    )


BLOCKING_RULES = [
    block_on("given_key", "surname_key"),
    block_on("tokens_key"),  # swapped order
    block_on("surname_key", "father_key"),
    block_on("given_key", "father_key"),
    block_on("surname_key", "birth_lo"),
    block_on("given_key", "death_lo"),
    block_on("surname_key", "death_lo"),
    block_on("father_key", "death_lo", "prison_id"),
    block_on("surname_latin"),
]
"""Pairs scored: any rule admits a pair.  Each rule survives an error in the fields it does
not use, so a record with a typo in one name part is still compared."""

TRAINING_RULES = [
    block_on("given_key", "surname_key"),  # trains everything but the name
    block_on("father_key", "death_lo"),  # trains the name
    block_on("surname_key", "prison_id"),
]

DETERMINISTIC_RULES = [
    "l.given_key = r.given_key AND l.surname_key = r.surname_key AND "
    "l.father_key = r.father_key",
    "l.tokens_key = r.tokens_key AND l.death_lo = r.death_lo",
]


def model_settings(*, blocking_rules: list | None = None) -> SettingsCreator:
    """The default dadkhah linkage model (dedupe across and within lists)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name_comparison(),
            father_comparison(),
            cl.CustomComparison(
                output_column_name="sex", comparison_description="sex",
                comparison_levels=[cll.NullLevel("sex"),
                                   cll.ExactMatchLevel("sex").configure(m_probability=0.98),
                                   cll.ElseLevel().configure(m_probability=0.02)]),
            birth_comparison(),
            death_comparison(),
            categorical("prison_id", "prison (gazetteer id)"),
            categorical("city_id", "city (gazetteer id)"),
        ],
        blocking_rules_to_generate_predictions=blocking_rules or BLOCKING_RULES,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=["source_id"],
    )

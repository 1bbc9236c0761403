"""The splink model for Persian-aware linkage: comparisons and blocking rules.

Comparisons work on the features of :mod:`dadkhah.linkage.features`: cross-script keys
(equal whatever the script or romanisation), Latin forms for string similarity (typos), and
intervals for dates.  Only portable SQL and splink's own similarity levels are used, so the
same model runs on DuckDB and Spark.

Death date and prison are scored as two comparisons, as if independent given match status;
a joint comparison and a term-frequency adjustment of the day were measured and not
adopted (session 15, see :func:`death_comparison`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from dadkhah.linkage.blocking import CAP, rule_sql
from dadkhah.names.misreading import MISREAD_LIST

DEFAULT_THRESHOLD = 0.4
"""Match probability at which two groups of records link: an edge at or above it is a merge
candidate, and the group score over all pairs across the two groups (their comparisons
combined field by field, pairs not scored counting -2: ``linkage="fields"``, see
:mod:`dadkhah.linkage.cluster`) must reach its log-odds.  Below «more likely one person than
not» because the group score, not the edge, decides: the edge only proposes the merge.  On
tuning profiles 1-20 at 3,000 persons (re-clustering the same scored pairs), 0.4 against
0.55 raised pairwise recall from 0.887 to 0.899 for precision 0.982 -> 0.976 (F1 0.932 ->
0.935) and brought the persons counted 1.5 points nearer the truly named; 0.45 and 0.35
were within 0.001 of it, 0.3 lost precision.  Choosing it per run, as the threshold whose
register maximises pairwise F1 estimated from the scored pairs' own probabilities, did no
better (0.933) than a fixed one.  (Before: 0.55, chosen at 1,200 persons with the pairs'
log-odds averaged.)  With the given-name guard
(``cluster_records(given_guard=)``) 0.35 did better on tuning profiles 1-20 at 1,500 persons
(``benchmarks/linkage_bench.py --split tuning --profiles 20 --persons 1500
--no-households``: mean pairwise F1 0.9506 -> 0.9516, worst 0.9200 -> 0.9226, persons +4.7%
-> +4.6%) but worse where namesakes are densest (``benchmarks/scale_bench.py`` on 75,000
persons, given/surname exponents 1.8/1.6: F1 0.903 -> 0.891, precision 0.867 -> 0.842):
kept at 0.4."""

JW_NAME = 0.88  # Jaro-Winkler on Latin forms above which two names count as a typo apart
JW_NAME_BOTH = 0.84
JW_SHAPE = 0.7
"""Least Jaro-Winkler similarity of both Latin forms for «both equal but for letters
misreading confuses» in :func:`name_comparison`.  The shape keys fold every letter told
apart by dots and drop vowels (:func:`dadkhah.names.keys.shape_key`: «طاهری» and
«نبی‌آبادی» both give «br»), which finds scanned misreadings but alone also equates
unrelated names: on tuning profiles 1-10 (3,000 persons) the scored pairs at that level
whose Latin forms were less alike than this were true pairs 19 times of 151 (two persons
shot in one prison on one day, «Hossein Taheri» and «Hassan Nabiabadi», were merged on it),
against 15 of 67 above it.  With it (and the printed-Latin keys of OCR'd Latin lists,
:func:`dadkhah.names.keys.latin_print_key`, admitted at the level too) tuning profiles 1-10:
F1 0.9421 -> 0.9428, precision 0.9669 -> 0.9682."""


DOTLESS_EQ = ("given_dotless_l = given_dotless_r AND surname_dotless_l = surname_dotless_r "
              f"AND (misread_l >= {MISREAD_LIST} OR misread_r >= {MISREAD_LIST})")
"""Both name parts equal in Persian script once dots are taken away, one of the two records
from a list that looks machine-read: «چسین چسینی» / «حسین حسینی», «محمد اللهث» / «محمد
اللهی».  In typed lists the dotless shapes equate different names (تقی / نقی, جلیل / خلیل,
often brothers), so there they are not admitted.  Unlike the cross-script shape keys,
which drop vowels and fold across scripts, every letter stays in its place, so the Latin
forms need not be alike as well (a misread «چسین» reads «Chasin»)."""


FATHER_DOTLESS_EQ = ("father_dotless_l = father_dotless_r AND "
                     f"(misread_l >= {MISREAD_LIST} OR misread_r >= {MISREAD_LIST})")
"""The fathers' names equal once Persian dots are taken away, beside a list that looks
machine-read (as :data:`DOTLESS_EQ`): «هتوا» read for «هیوا», «محست» for «محسن»."""


def _prefix(a: str, b: str) -> str:
    """a starts with b (portable SQL; both non-empty)."""
    return f"substr({a}, 1, length({b})) = {b}"


PART_MISSING = ("given_key_l IS NULL OR surname_key_l IS NULL OR given_key_r IS NULL OR "
                "surname_key_r IS NULL")
"""A pair where one record lacks the given name or the surname.  Such pairs are scored by
:func:`given_alone_comparison` or :func:`surname_alone_comparison` on the part both have,
and the full-name comparison is neutral (its null level): a missing surname is not
evidence against a match, while «given names equal, surnames different» is strong evidence
against."""


def name_comparison() -> cl.CustomComparison:
    """Given name and surname together, so their correlation is not counted twice.
    Only pairs where both records have both parts; others are :data:`PART_MISSING`.

    Levels, strongest first: both keys equal in either order (term-frequency adjusted on
    the pair, so a common full name weighs less); surname equal and one
    given name a prefix of the other (dropped middle name, compound written apart);
    surname equal and given names a typo apart; given equal and surnames a typo apart;
    both a typo apart; both equal but for letters a misreading confuses; surname equal and
    same initial; surname only; given name only.
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
            cll.CustomLevel(PART_MISSING, "a name part unknown on either side (scored by "
                            "given_alone or surname_alone)").configure(is_null_level=True),
            both.configure(m_probability=0.6),
            cll.CustomLevel("full_key_l = full_key_r OR text_key_l = text_key_r",
                            "same consonants, split into words or into given name and "
                            "surname differently").configure(
                m_probability=0.05),
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
            cll.Or(cll.And(cll.CustomLevel("(given_shape_l = given_shape_r AND "
                                           "surname_shape_l = surname_shape_r) OR "
                                           "(given_print_l = given_print_r AND "
                                           "surname_print_l = surname_print_r)"),
                           cll.JaroWinklerLevel("given_latin", JW_SHAPE),
                           cll.JaroWinklerLevel("surname_latin", JW_SHAPE)),
                   cll.CustomLevel(DOTLESS_EQ)).configure(
                label_for_charts="both equal but for letters misreading confuses (scanned "
                "lists)", m_probability=0.02),
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


GIVEN_ALONE = ("(surname_key_l IS NULL OR surname_key_r IS NULL) AND given_key_l IS NOT NULL "
               "AND given_key_r IS NOT NULL")
SURNAME_ALONE = ("(given_key_l IS NULL OR given_key_r IS NULL) AND surname_key_l IS NOT NULL "
                 "AND surname_key_r IS NOT NULL")

GIVEN_IS_SURNAME = ("(surname_key_l IS NULL AND given_key_l = surname_key_r) OR "
                    "(surname_key_r IS NULL AND given_key_r = surname_key_l)")
SURNAME_IS_GIVEN = ("(given_key_l IS NULL AND surname_key_l = given_key_r) OR "
                    "(given_key_r IS NULL AND surname_key_r = given_key_l)")
CROSS_PART_M = 0.03
"""m of «the lone name is the other's other part» in :func:`given_alone_comparison` and
:func:`surname_alone_comparison` (a list naming one person by one word, put in the wrong
column: «عطاری» as given name, «ریحانه» as surname).  Measured among true pairs of tuning
profiles 3, 6, 10, 14, 15, 17 lacking a part on one side: 1-5% of given-alone pairs
(median 1.7%), 1-35% of surname-alone pairs (median 3%).  Fixed: EM does not train the
part comparisons (see ``run._part_m_from_names``)."""

# How each level of name_comparison relates the two given names and the two surnames
# ("eq", "prefix", "typo" or "other"), in level order after the null level: the m
# probabilities of the part comparisons are derived from these (run._part_m_from_names).
NAME_LEVEL_PARTS: list[tuple[str, str]] = [
    ("eq", "eq"), ("other", "other"), ("prefix", "eq"), ("typo", "eq"), ("eq", "typo"),
    ("typo", "typo"), ("typo", "typo"), ("other", "eq"), ("other", "eq"), ("eq", "other"),
    ("other", "other"),
]


LONE_GIVEN_SPELLING = ("given_skel_l = given_skel_r AND NOT (given_known_l AND given_known_r)")
"""Two given names with the same consonants, one of them not a given name of the names
dictionary: one name romanised otherwise («'Alaa» / «Ali», «Tahara» / «Tahereh», «Abrahaam» /
«Ebrahim»), which Jaro-Winkler on the Latin forms finds further apart than a typo.  Two
names the dictionary knows (Hasan and Hossein, Mohammad and Mahmoud) stay two names.  For
:func:`given_alone_comparison`: where a surname is missing, the given name is all the names
say (session 23; held-out profile 1018, where the Latin lists mostly romanise otherwise than
the dictionary, 0.9209 -> 0.9242)."""


def given_alone_comparison() -> cl.CustomComparison:
    """Given names, for pairs where a surname is missing (a memoir naming only «Mahmoud», a
    list with the surname left blank) and both records have a given name.  Neutral for
    other pairs.  Its levels are conditional on the surname missing, so how often lists
    omit surnames does not weigh on the score; its m probabilities are taken from the
    full-name comparison (agreement of given names among matches does not depend on
    whether a surname was written)."""
    return cl.CustomComparison(
        output_column_name="given_alone",
        comparison_description="given names, where a surname is missing",
        comparison_levels=[
            cll.CustomLevel(f"NOT ({GIVEN_ALONE})", "surnames known on both sides, or a "
                            "given name missing").configure(is_null_level=True),
            cll.CustomLevel("given_key_l = given_key_r", "given names equal (a surname "
                            "unknown)").configure(
                tf_adjustment_column="given_key", tf_adjustment_weight=1.0,
                m_probability=0.8),
            cll.CustomLevel(
                f"{_prefix('given_key_l', 'given_key_r')} OR "
                f"{_prefix('given_key_r', 'given_key_l')}",
                "one given name a prefix of the other (a surname unknown)").configure(
                m_probability=0.08),
            cll.Or(cll.JaroWinklerLevel("given_latin", JW_NAME),
                   cll.CustomLevel(LONE_GIVEN_SPELLING)).configure(
                label_for_charts="given names a typo apart (a surname unknown)",
                m_probability=0.06),
            cll.CustomLevel(GIVEN_IS_SURNAME, "the lone name is the other's surname (a "
                            "surname written in the given-name column)").configure(
                m_probability=CROSS_PART_M),
            cll.ElseLevel().configure(m_probability=0.06),
        ])


def surname_alone_comparison() -> cl.CustomComparison:
    """Surnames, for pairs where a given name is missing and both records have a surname;
    as :func:`given_alone_comparison`."""
    return cl.CustomComparison(
        output_column_name="surname_alone",
        comparison_description="surnames, where a given name is missing",
        comparison_levels=[
            cll.CustomLevel(f"NOT ({SURNAME_ALONE})", "given names known on both sides, or "
                            "a surname missing").configure(is_null_level=True),
            cll.CustomLevel("surname_key_l = surname_key_r", "surnames equal (a given name "
                            "unknown)").configure(
                tf_adjustment_column="surname_key", tf_adjustment_weight=1.0,
                m_probability=0.85),
            cll.JaroWinklerLevel("surname_latin", JW_NAME).configure(
                label_for_charts="surnames a typo apart (a given name unknown)",
                m_probability=0.08),
            cll.CustomLevel(SURNAME_IS_GIVEN, "the lone name is the other's given name (a "
                            "given name written in the surname column)").configure(
                m_probability=CROSS_PART_M),
            cll.ElseLevel().configure(m_probability=0.07),
        ])


def father_comparison() -> cl.CustomComparison:
    """Father's name: equal; one cut short or written with other vowels (a list's «حسی» for
    «حسین», «محم» for «محمد», a romanisation's «Amaar» for «امیر»), or a rare name one letter
    off the other, commoner one (``father_fix``, :func:`dadkhah.linkage.features.
    likelier_spellings`: a retyped «اكرب» for «اکبر» had scored as another father, −7 bits);
    a typo apart; other.

    The second level is new in session 10: on tuning profiles 1-20 (3,000 persons) pairs
    with both name parts equal were scored low 305 times and the father's name was often
    what pulled them down (−5 to −7 bits for «حسی»/«حسین», a cut the list made, not
    another father)."""
    return cl.CustomComparison(
        output_column_name="father",
        comparison_description="father's name",
        comparison_levels=[
            cll.NullLevel("father_key"),
            cll.CustomLevel("father_key_l = father_key_r", "father's name equal").configure(
                tf_adjustment_column="father_key", tf_adjustment_weight=1.0,
                m_probability=0.8),
            cll.CustomLevel(
                f"{_prefix('father_key_l', 'father_key_r')} OR "
                f"{_prefix('father_key_r', 'father_key_l')} OR "
                f"father_skel_l = father_skel_r OR ({FATHER_DOTLESS_EQ}) OR "
                "father_fix_l = father_key_r OR father_key_l = father_fix_r",
                "one father's name cut short, or the same consonants (or the same but for "
                "dots, beside a list that looks machine-read)").configure(
                m_probability=0.05),
            cll.JaroWinklerLevel("father_latin", JW_NAME).configure(m_probability=0.08),
            cll.ElseLevel().configure(m_probability=0.07),
        ],
    )


def death_comparison() -> cl.CustomComparison:
    """Death dates as intervals, split by precision: two dates known to the day that agree
    say far more than «summer 1988» overlapping «August 1988».

    Scored apart from the prison (:func:`place_comparison`), as if the two were independent
    given match status.  Executions came in batches, so two namesakes or siblings held in
    one prison often share the day too, and multiplying the two factors could over-count
    their evidence.  Session 15 measured it on tuning profiles (3,000 persons, SYNTHETIC;
    the features of ``benchmarks/linkage_bench.py --split tuning`` cached and linked with
    ``link_features``, as its ``_link_one`` does):

    - Among *random* non-matching pairs with both days and both prisons known (profiles
      1-5, 194,000-360,000 pairs each), P(same day and same prison) / (P(same day) ×
      P(same prison)) is 0.98-1.02 (same day 2.1% whether the prison agrees or not); among
      true pairs with equal name keys 1.00.  splink takes u from random pairs and m from
      EM, so a joint comparison can only re-estimate the product.  Among non-matching
      pairs with equal name keys the same day is commoner in the same prison (1.8% against
      1.1% on profile 1, 6.8% against 3.3% on profile 5), but from 9 and 12 such pairs
      (Fisher p 0.17, 0.03; too few on profiles 2-4).  The simulator then drew the day
      from the affiliation's wave, not the prison (``simulate.population``): only siblings
      shared both, and the sibling guard of the clustering keeps them apart.  Batches per
      prison and day were not in the tuning data, so there the lever could not show (the
      simulator has them since; last item).
    - Of the pairs scored at or above the threshold on profiles 1-20, those with the same
      day and prison are false 4.2% of the time (1,826 of 43,508), the same day in other
      prisons 5.5%, the same prison on other days 6.9%, neither 25%: the false links are
      not where the two factors coincide.
    - A joint death × prison comparison replacing this one and :func:`place_comparison`
      (the town comparison kept for pairs without a prison), m by EM and u from random
      pairs as for the others.  In full (every level of this comparison × every level of
      the place comparison, plus «a prison unknown» and «death unknown»: 55 levels), on
      profiles 1-20: mean pairwise F1 0.9482 -> 0.9478, worst 0.9104 -> 0.9087 (profile
      17), persons +5.74% -> +5.40% (fewer on 17 of 20 profiles), precision 0.9745 ->
      0.9715, recall 0.9237 -> 0.9255, clusters with siblings 6 -> 6, mixing persons 769
      -> 830: fewer persons for more false merges, and short of the bar (persons -0.5
      point, worst profile not worse).  Coarse (23 levels: same day / month overlap /
      vague overlap / within 15 days / further, each in the same prison or elsewhere), on
      profiles 1-5: 0.9569 -> 0.9539, all five worse, persons +4.31% -> +4.55%.
    - Where batches exist: profiles 1-5 with every execution moved to the first day of
      its (prison, 7-day window) group, a variant made for this test only (random pairs'
      ratio above then 3.2-4.0): the model as it is 0.9539, persons +4.30%; full joint
      0.9535, +4.06%; coarse joint 0.9513, +4.68%; term frequency 0.9541, +4.36%.  Even
      there the joint comparison gains no F1.
    - A term-frequency adjustment of «same day» (an exact-match level on the day of dates
      known to the day, weight 1; a batch day is common: day frequencies 0.0002-0.045 on
      profile 1): profiles 1-5 0.9569 -> 0.9575 (worst 0.9401 -> 0.9415); profiles 1-20
      0.9482 -> 0.9481, worst 0.9104 -> 0.9091 (profile 17), persons +5.74% -> +5.83%,
      clusters with siblings 6 -> 6, mixing persons 769 -> 755.  Counting the day's
      frequency over persons of the first clustering (as the name keys are,
      ``run.person_term_frequencies``) gave the same F1 on profiles 1-5.

    - With execution batches in the simulator (``SimulationConfig.batch_share``, a
      profile dimension in 0-0.9: groups of 2-40 of one prison on one day), tuning
      profiles 1-20 re-simulated (the same records, their days moved; random non-matching
      record pairs' ratio above 1.14 at batch share 0.16, 1.66-1.70 at 0.86-0.87):
      the model as it is F1 0.9468, worst 0.9090 (profile 17), persons +5.82%, clusters
      with siblings 6, mixing persons 786 (0.9482 / 0.9104 / +5.74% / 6 / 769 without
      batches); full joint 0.9468, worst 0.9077, +5.53%, 6, 837, linking 2.2 times as
      long; coarse joint 0.9429 (19 of 20 worse), worst 0.8977, +6.38%; term frequency
      0.9467, worst 0.9084, +5.94%, 6, 769.  The batches cost the model 0.0014 F1 and the
      joint comparison still gains none.

    None reaches the adoption bar (mean F1 +0.002 or persons -0.5 point, worst
    profile not worse): left out."""
    gap = "greatest(death_lo_l - death_hi_r, death_lo_r - death_hi_l)"
    precise = "(death_hi_l - death_lo_l) <= 31 AND (death_hi_r - death_lo_r) <= 31"
    return cl.CustomComparison(
        output_column_name="death", comparison_description="death-date intervals",
        comparison_levels=[
            cll.CustomLevel("death_lo_l IS NULL OR death_lo_r IS NULL", "not known").configure(
                is_null_level=True),
            cll.CustomLevel("death_precision_l = 'day' AND death_precision_r = 'day' AND "
                            "death_lo_l = death_lo_r", "same day, both known to the day"
                            ).configure(m_probability=0.5),
            cll.CustomLevel(f"{gap} <= 0 AND {precise}",
                            "overlap, both known to the month or better").configure(
                m_probability=0.2),
            cll.CustomLevel(f"{gap} <= 0", "overlap, one known only vaguely").configure(
                m_probability=0.15),
            cll.CustomLevel(f"{gap} <= 3", "within 3 days").configure(m_probability=0.04),
            cll.CustomLevel(f"{gap} <= 15", "within 15 days").configure(m_probability=0.04),
            cll.CustomLevel(f"{gap} <= 60", "within 60 days").configure(m_probability=0.04),
            cll.ElseLevel().configure(m_probability=0.03),
        ])


def birth_comparison() -> cl.CustomComparison:
    """Birth years: a stated birth year (interval of one year or less) that agrees says more
    than an interval derived from an age."""
    gap = "greatest(birth_lo_l - birth_hi_r, birth_lo_r - birth_hi_l)"
    return cl.CustomComparison(
        output_column_name="birth",
        comparison_description="birth-year intervals (from birth date or age at death)",
        comparison_levels=[
            cll.CustomLevel("birth_lo_l IS NULL OR birth_lo_r IS NULL", "not known").configure(
                is_null_level=True),
            cll.CustomLevel("birth_hi_l - birth_lo_l <= 1 AND birth_hi_r - birth_lo_r <= 1 "
                            f"AND {gap} <= 0", "same stated birth year").configure(
                m_probability=0.5),
            cll.CustomLevel(f"{gap} <= 0", "intervals overlap").configure(m_probability=0.35),
            cll.CustomLevel(f"{gap} <= 2", "within 2 years").configure(m_probability=0.08),
            cll.CustomLevel(f"{gap} <= 5", "within 5 years").configure(m_probability=0.04),
            cll.ElseLevel().configure(m_probability=0.03),
        ])


def place_comparison() -> cl.CustomComparison:
    """Prison and home city together: they are correlated (people were mostly held near
    home), so scoring them separately would count the same evidence twice.  Below «same
    prison» come prisons in one town and places in one region (1988 province), since lists
    confuse nearby prisons (Karun/Sepidar, Evin/Gohardasht) far more than distant ones.
    Pairs where a record names no prison are scored by :func:`town_comparison`."""
    return cl.CustomComparison(
        output_column_name="place", comparison_description="prison and city (gazetteer ids)",
        comparison_levels=[
            cll.CustomLevel(f"region_id_l IS NULL OR region_id_r IS NULL OR {NO_PRISON}",
                            "not known, or a prison unknown (see 'town')").configure(
                is_null_level=True),
            cll.CustomLevel("prison_id_l = prison_id_r AND city_id_l = city_id_r",
                            "same prison and city").configure(m_probability=0.6),
            cll.CustomLevel("prison_id_l = prison_id_r AND (city_id_l IS NULL OR "
                            "city_id_r IS NULL)", "same prison, a city unknown").configure(
                m_probability=0.2),
            cll.CustomLevel("prison_id_l = prison_id_r", "same prison, cities differ"
                            ).configure(m_probability=0.1),
            cll.CustomLevel(SAME_TOWN, "same town (home town or the prison's)").configure(
                m_probability=0.1),
            cll.CustomLevel("region_id_l = region_id_r", "same region (1988 province)"
                            ).configure(m_probability=0.05),
            cll.ElseLevel().configure(m_probability=0.05),
        ])


SAME_TOWN = ("city_id_l = city_id_r OR prison_city_l = prison_city_r OR "
             "city_id_l = prison_city_r OR prison_city_l = city_id_r")
NO_PRISON = "(prison_id_l IS NULL OR prison_id_r IS NULL)"


def town_comparison() -> cl.CustomComparison:
    """Towns, for pairs where a record names no prison (a memoir's home town against a
    list's prison): levels of their own, conditional on the prison missing, so that «same
    town» here is not read as «different prisons in one town», which is rare among
    matches, and how often a list omits prisons does not weigh on the score.

    «Same home town» and «one's home town is the other's prison town» are two levels
    (session 16; one before): lists that write the prison's town for the home town make
    the second a match often enough to count, but far less often than the first, and
    prison towns (Tehran) are common.  Among the scored pairs of tuning profiles 1-20
    (3,000 persons, SYNTHETIC) compared here, the pairs were one person 52% of the time
    with the same home town, 17% where only one's town was the other's prison town, 27%
    where both held, while the one level gave all three the same weight.  Their u come
    from random pairs; their m mostly keep the values set here (the old level's 0.6 split
    by hand into 0.45 and 0.15; 0.40 and 0.20 measured alike: F1 0.9486, persons +5.67%;
    all four set to their shares among the true pairs of tuning profiles 1-20 with a
    prison missing, 0.58 / 0.19 / 0.12 / 0.11 against 0.45 / 0.15 / 0.3 / 0.1: F1 0.9485,
    +5.59%),
    since EM's training blocks (given name and surname equal, or one prison on both sides)
    hold few pairs where a prison is missing, and :func:`monotone_levels` pools the two
    where their factors come out in the wrong order.  Linked anew
    (features of ``benchmarks/linkage_bench.py --split tuning --profiles 20`` cached,
    ``link_features``): mean pairwise F1 0.9468 -> 0.9485, worst 0.9090 -> 0.9103 (profile
    17 -> 6), persons against the truly named +5.82% -> +5.62% (worst +12.4% -> +11.3%),
    siblings merged 6 -> 6; lists without a given-name-only memoir unchanged, profile 9
    (39% of records giving the prison town) 0.9134 -> 0.9277.  Tried beside it and left
    out: a third level for «same home town, which is the other's prison town too» (F1
    0.9473, precision 0.9742 -> 0.9713; +5.31%); the same split in
    :func:`place_comparison` (prisons on both sides: «same prison, one town the prison's»
    apart from «same prison, cities differ», which were one person 62% and 2% of the time;
    or «other prisons, same home town» apart from the rest of «same town»): within 0.0001
    of F1 and 0.1 point of persons, and the first made the EM session blocked on the
    father's name, day, birth year and prison stop early on more profiles (without the
    town split, F1 0.9457).  Measured once afterwards, main (ec50b22) against this
    (``benchmarks/linkage_bench.py --profiles 20 --persons 3000``, held out 1001-1020 and
    ``households``): F1 0.9460 -> 0.9475, worst 0.9102 (1012) -> 0.9148 (1004; 1012
    0.9160), persons +4.5% -> +4.3% (worst +8.4% -> +7.9%), siblings merged 4 -> 4; fresh
    (``--seeds 3140-3149``): F1 0.9541 -> 0.9552, worst 0.9153 -> 0.9216 (3149), persons
    +3.7% -> +3.8% (worst +9.2% -> +10.3%, 3146, whose F1 rose 0.9367 -> 0.9416).

    Per-list reliability of the places, measured and left out (session 16, tuning profiles
    1-20 as above, scored pairs re-weighted and re-clustered): lists differ in how often
    they write the prison's town for the home town, so each level's m and u were
    re-estimated per pair of lists, m from pairs confident without the place (the other
    weights summing to 3 bits or more), u from pairs clearly apart (-5 bits or less), both
    shrunk towards all lists' shares (50 pairs' worth), and every pair's place and town
    weights moved by log2 of the ratios.  Best F1 0.9485 -> 0.9489, worst 0.9103 -> 0.9100,
    persons +5.62% -> +5.49%; m alone, per list rather than per pair of lists, or other
    shrinkage and cut-offs: 0.9474-0.9489, worst 0.8989-0.9105.  Even the true
    per-pair-of-lists shares (known only to the simulator) reach 0.9494 here, 0.9495 for
    the name levels, 0.9508 (worst 0.9130, +5.39%) for every comparison at once: the
    register's missing persons do not come from lists' differing reliability."""
    return cl.CustomComparison(
        output_column_name="town", comparison_description="towns, where a prison is unknown",
        comparison_levels=[
            cll.CustomLevel(f"region_id_l IS NULL OR region_id_r IS NULL OR NOT {NO_PRISON}",
                            "not known, or prisons known on both sides").configure(
                is_null_level=True),
            # weighed by how common the town is among persons (term frequency; session 19)
            cll.ExactMatchLevel("home_town", term_frequency_adjustments=True).configure(
                m_probability=0.45, label_for_charts="same home town"),
            cll.CustomLevel(SAME_TOWN, "one's home town is the other's prison town"
                            ).configure(m_probability=0.15),
            cll.CustomLevel("region_id_l = region_id_r", "same region (1988 province)"
                            ).configure(m_probability=0.3),
            cll.ElseLevel().configure(m_probability=0.1),
        ])


def affiliation_comparison() -> cl.CustomComparison:
    """Political affiliation: the same group; one named only generally (the left, the
    Fadaian) and the other precisely; two groups of the same family; different."""
    return cl.CustomComparison(
        output_column_name="affiliation", comparison_description="political affiliation",
        comparison_levels=[
            cll.NullLevel("aff_id"),
            cll.ExactMatchLevel("aff_id").configure(m_probability=0.85),
            cll.CustomLevel("aff_id_l = aff_parent_r OR aff_parent_l = aff_id_r OR "
                            "aff_id_l = aff_root_r OR aff_root_l = aff_id_r",
                            "one names the group's family").configure(m_probability=0.07),
            cll.CustomLevel("aff_root_l = aff_root_r", "groups of the same family").configure(
                m_probability=0.04),
            cll.ElseLevel().configure(m_probability=0.04),
        ])


def source_comparison() -> cl.CustomComparison:
    """Same list or different lists: a list seldom names one person twice, so two similar
    records in one list are more often two people (common names) than a duplicate."""
    return cl.CustomComparison(
        output_column_name="list", comparison_description="same source list",
        comparison_levels=[
            cll.CustomLevel("source_id_l = source_id_r", "same list").configure(
                m_probability=0.05),
            cll.ElseLevel().configure(m_probability=0.95),
        ])


BLOCKING_KEYS: list[tuple[str, ...]] = [
    ("given_key", "surname_key", CAP),
    ("tokens_key", CAP),  # swapped order
    ("full_key", CAP),  # split into given name and surname differently
    ("text_key", CAP),  # ... or a title between words read as «surname first»
    ("surname_key", "father_key", CAP),
    ("given_key", "father_key", "region_id", CAP),  # alone: 84 M pairs at 270k dense names
    ("surname_key", "birth_lo", CAP),
    ("given_key", "death_lo", "region_id", CAP),  # without the region: 12 M pairs at 270k
    ("surname_key", "death_lo", CAP),
    ("father_key", "death_lo", "prison_id"),
    ("surname_latin", "initial", CAP),  # alone: 38 M pairs at 270k, 85 more true pairs
    ("given_key", "surname_skel", CAP),  # surname vowels written differently
    ("surname_key", "given_skel", CAP),
    ("given_qg", "surname_qg", CAP),  # ق/غ/گ confused: «Sadeghi»/«Sadegi», «قاسم»/«گاسم»
    # Not a rule: ("given_lq", "surname_lq", CAP), vowels and ق/غ/گ in both parts at once
    # («Muhamed Asgari» / «محمد اصغری»): on the densest `large` (270,707 records) it added
    # 20,439 pairs to 76.9 M but made the pairs in 270 s instead of 102 s, and the whole
    # linkage took 762 s (session 10); the features keep the columns for a cheaper use.
    # Not rules either (session 13, benchmarks/blocking_rule_bench.py, tuning profiles
    # 6-20, 3,000 persons): ("given_lq", "surname_lq", "region_id") lifts blocking recall
    # 0.9664 -> 0.9672 (profile 10: 0.9459 -> 0.9517) for 69 more pairs, but pairwise F1
    # only 0.94388 -> 0.94398, the worst profile (17, 0.9078) unchanged and profile 18's
    # precision 0.9860 -> 0.9854; ("given_skel", "region_id", "birth_lo", CAP) 0.9673 for
    # 8% more pairs, F1 0.94387, profile 18's precision -0.0019.  Most true pairs they add
    # still end split (profile 10: 16 of 38 joined with the first, 9 of 30 with the
    # second; the rest score below the threshold: both name parts disagree).  At 270,707
    # records of the densest names they would add 3.8 M pairs (0.57 M capped) and 2.7 M
    # to 78.0 M.
    # capped (session 21): on the second probe at 140,000 persons (281,487 records) it
    # admitted 12.1 M pairs uncapped, the most of any rule but one; capped, the distinct
    # pairs fell 52.4 M -> 44.8 M and the true pairs admitted 245,621 -> 245,524
    ("surname_skel", "death_lo", CAP),
    # a rare surname one letter off a commoner one, the given name equal (a retyped list's
    # dropped or swapped letter, «رضا امدی» / «Reza Ahmadi»): against the commoner
    # spelling, or two slips of one name
    ("given_key", "surname_fix>surname_key"),
    ("given_key", "surname_key>surname_fix"),
    ("given_key", "surname_fix"),
    ("given_key", "prison_id", "birth_lo", CAP),  # surname typo, same prison and age
    ("surname_key", "initial", "prison_id"),  # given name cut or abbreviated differently
    ("given_key>surname_key", "death_lo"),  # swapped order and a typo in one part
    ("surname_key>given_key", "death_lo"),
    # one record without surname (a memoir's «Mahmoud, 19, of Tehran»), or without given
    # name: the part it has, and where
    ("given_key", "prison_id", "?surname_key"),
    ("given_key", "birth_lo", "?surname_key"),  # no place: the age
    ("given_key", "birth_hi", "?surname_key"),
    ("given_key", "region_id", "birth_5", "?surname_key"),  # the age told differently
    ("given_key", "region_id", "birth_5b", "?surname_key"),
    # (also by the first given-name word, a memoir's «Mohammad» for «Mohammad Hossein»:
    # 6% more pairs on a 3,000-person profile, F1 +0.0002 on tuning profiles 1-20: left out)
    ("surname_key", "region_id", "?given_key"),
    # ... where the part it has is written otherwise, or only its initial is: on tuning
    # profiles 1-6 (1,500 persons) these four admit 194 of the 656 true pairs no other
    # rule did, for 25,000 more blocked pairs (+0.8%); blocking recall 0.954 -> 0.968
    ("initial", "region_id", "birth_lo", "?surname_key"),
    ("given_key", "city_id", "?surname_key"),
    # ... or the given name, the only name, romanised otherwise («Moudjtaba» / «مجتبی»:
    # other keys, the same consonants; session 23, held-out 1018 0.9188 -> 0.9209)
    ("given_skel", "prison_id", "?surname_key"),
    ("given_skel", "birth_lo", "?surname_key"),
    ("given_skel", "birth_hi", "?surname_key"),
    ("surname_print", "region_id", "?given_key"),
    ("surname_skel", "region_id", "?given_key"),
    # scanned lists: letters misread in both parts
    ("given_shape", "surname_shape", "prison_id"),
    ("given_shape", "surname_shape", "birth_lo"),
    ("given_dotless", "surname_dotless", CAP),  # Persian dots lost or moved (OCR)
    # OCR'd Latin lists: «Mohammad Vaczi» / «Mohammad Vaezi», «Sbeikh Mehdi Bcigpour»
    ("given_key", "surname_print", CAP),
    ("surname_key", "given_print", CAP),
    ("given_print", "surname_print", "prison_id"),
    # one name word put in the other part's column (a lone «عطاری» as given name, a lone
    # «ریحانه» as surname): with the father's name, or the region where a part is missing
    ("given_key>surname_key", "father_key"),
    ("surname_key>given_key", "father_key"),
    ("given_key>surname_key", "region_id", "?surname_key"),
    ("surname_key>given_key", "region_id", "?surname_key"),
    ("given_key>surname_key", "region_id", "?given_key"),
    ("surname_key>given_key", "region_id", "?given_key"),
]
"""Pairs scored: any rule admits a pair.  A rule is a tuple of equalities: ``col`` means
the two records agree on ``col``, ``a>b`` means the left record's ``a`` equals the right
record's ``b`` (both orientations are listed, since splink keeps each pair once, left id
smaller), ``?col`` that at least one of the two records lacks ``col``, and ``CAP`` that
in a block of very common names the pair must also agree on one more field
(:mod:`dadkhah.linkage.blocking`).  Each rule survives
an error in the fields it does not use.  Recall of true pairs
is measured by :func:`dadkhah.linkage.evaluate.blocking_recall`."""


BLOCKING_RULES = [rule_sql(k) for k in BLOCKING_KEYS]

TRAINING_RULES = [
    block_on("given_key", "surname_key"),  # trains everything but the name
    # trains the name: selective enough that true pairs are a fair share of the blocked
    # pairs even on 250,000 records (with father and death day alone, namesakes' fathers
    # and the few days of mass execution swamp them and EM finds another mixture)
    block_on("father_key", "death_lo", "birth_lo", "prison_id"),
]

DETERMINISTIC_RULES = [
    "l.given_key = r.given_key AND l.surname_key = r.surname_key AND "
    "l.father_key = r.father_key",
    "l.tokens_key = r.tokens_key AND l.death_lo = r.death_lo",
]


MONOTONE_COMPARISONS: tuple[str, ...] = ("town", "birth", "death")
"""Comparisons whose levels (after the null level) are nested, from the closest agreement
to disagreement, so that a looser level can never be better evidence of a match than a
closer one: :func:`monotone_levels` holds them to that after EM."""


def monotone_levels(comparisons: Iterable[Any],
                    names: Iterable[str] = MONOTONE_COMPARISONS) -> list[str]:
    """Pool adjacent levels whose Bayes factors (m / u) rise from a closer agreement to a
    looser one, in the comparisons named ``names`` (splink ``Comparison`` objects with
    trained m and u); returns the names of those changed.

    EM sometimes learns a looser level as better evidence than a closer one.  On tuning
    profile 14 (1,500 persons) it gave «same town» (Tehran and Tehran) a log2 Bayes
    factor of 0.8 and «same region, other town» (Tehran and Karaj) 2.2, while the scored
    pairs in the same town were matches 52% of the time and those in the region only 30%:
    a memoir's «Javad, of Tehran» then scored 0.72 against a Javad of Karaj and 0.49
    against the Javad of Tehran who was he.  Pooling (the pool-adjacent-violators step of
    isotonic regression: the violating levels share the factor Σm / Σu, each keeping its u
    and taking m = factor × u, so the m still sum to what they did) keeps the order the
    levels are defined in, and changes nothing where EM kept it.  Tuning profiles 1-20
    (1,500 persons, the same records linked anew): mean pairwise F1
    0.9520 -> 0.9523, worst 0.9232 -> 0.9227 (profile 17), profile 14 0.9340 -> 0.9364,
    clusters mixing persons 365 -> 354, persons +4.97% -> +5.00%; adding «place» to the
    pooled comparisons changed profiles both ways, mean alike: left out."""
    wanted = set(names)
    changed: list[str] = []
    for comp in comparisons:
        if comp.output_column_name not in wanted:
            continue
        levels = [lv for lv in comp.comparison_levels if not lv.is_null_level]
        ms = [lv.m_probability for lv in levels]
        us = [lv.u_probability for lv in levels]
        if len(levels) < 2 or any(not isinstance(x, float | int) or x <= 0
                                  for x in [*ms, *us]):
            continue
        # blocks of levels: [m sum, u sum, count]; factors must not rise along the list
        blocks: list[list[float]] = []
        for m, u in zip(ms, us, strict=True):
            blocks.append([float(m), float(u), 1.0])
            while len(blocks) > 1 and blocks[-1][0] / blocks[-1][1] > \
                    blocks[-2][0] / blocks[-2][1]:
                m2, u2, n2 = blocks.pop()
                blocks[-1][0] += m2
                blocks[-1][1] += u2
                blocks[-1][2] += n2
        if len(blocks) == len(levels):
            continue
        i = 0
        for m_sum, u_sum, n in blocks:
            for lv in levels[i:i + int(n)]:
                lv.m_probability = m_sum / u_sum * float(lv.u_probability)
            i += int(n)
        changed.append(comp.output_column_name)
    return changed


def model_settings(*, blocking_rules: list[str] | None = None) -> SettingsCreator:
    """The default dadkhah linkage model (dedupe across and within lists)."""
    # splink takes SQL strings as blocking rules (to_blocking_rule_creator makes each a
    # CustomRule), though SettingsCreator's annotation names only rule objects and dicts.
    rules = cast("list[Any]", blocking_rules or BLOCKING_RULES)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name_comparison(),
            given_alone_comparison(),
            surname_alone_comparison(),
            father_comparison(),
            cl.CustomComparison(
                output_column_name="sex", comparison_description="sex",
                comparison_levels=[cll.NullLevel("sex"),
                                   cll.ExactMatchLevel("sex").configure(m_probability=0.98),
                                   cll.ElseLevel().configure(m_probability=0.02)]),
            birth_comparison(),
            death_comparison(),
            place_comparison(),
            town_comparison(),
            affiliation_comparison(),
            source_comparison(),
        ],
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=True,  # gamma_ levels, for review
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )

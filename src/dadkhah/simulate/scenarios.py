"""Named scenarios: configurations that tests, the demo and the benchmarks share.

==============  ========  ================================================================
name            persons   what it is for
==============  ========  ================================================================
``small``       5,000     the demo and the tests: the five default lists
``medium``      50,000    linkage and estimation at the scale of a large real list
``large``       200,000   benchmarks
``stress``      5,000     the default lists with every error rate ×4 (capped at 0.9) and
                          duplicates ×5: linkage under extreme noise
``independent`` 5,000     two independent lists, homogeneous capture (0.3, 0.25): the
                          textbook case where Lincoln–Petersen/Chapman are (nearly) unbiased
``households``  5,000     the second family, on other assumptions (below); always held out
                          from linkage tuning (:data:`~dadkhah.simulate.HELD_OUT_SCENARIOS`)
==============  ========  ================================================================

``households`` is written on assumptions the default lists do not make: persons come in
families (12% are younger siblings of another victim: same surname, father, home town and
prison, most executed the same day, other given names); half the persons are executed in
batches (one prison, one day, 2–40 persons; added in session 15, from a stream of its own,
so no other value changed); common names are commoner (name
shares raised to the power 1.3 and 1.2: many namesakes); most were killed away from home
(home town = prison town for 30%).  Its lists are compiled by *region of origin* and give
home towns, not prisons: ``region_north`` and ``region_south`` (families' lists naming
whole households, Persian, split columns, no prison column, titles and «Surname، Given»),
``diaspora_fr`` (a French-style Latin list: Djavad, Moussavi, upper-case surnames,
«SURNAME, Given»), ``scan_copy`` (an OCR'd copy of ``region_north``, Arabic-Indic digits,
its own typos), ``academic`` (ALA-LC-like romanisation, Husayn Zada; the home town is often
the prison's), and ``memoir_given`` (a memoir of Evin and Gohardasht giving only a given
name, an age and a home town).
Realised with ``--seed 1``: 617 younger siblings, 3,505 of 5,000 observed; persons /
records region_north 1,605 / 1,654, region_south 777 / 805, diaspora_fr 1,234 / 1,245,
scan_copy 1,294 / 1,294, academic 1,151 / 1,160, memoir_given 461 / 461.  Linkage as of
this family's introduction (``benchmarks/linkage_bench.py --profiles 5``, 3,000 persons):
pairwise F1 0.786, persons +21% against those truly named.

Noise profiles (:mod:`dadkhah.simulate.profiles`) are not named scenarios: each is the
default lists' capture model with noise drawn from wide ranges, one per profile seed.

The true total of each is its ``persons``.  Expected list sizes (persons named) are
``persons`` × the average capture probability (:meth:`Simulation.expected_list_sizes`
computes them for a drawn population); for the default lists about families 48%, ngo_a
33%, ngo_b 25% (half of it copied from ngo_a), memoir 11% (Evin and Gohardasht only),
press 16% (families and press name Tehran's dead more often); ≈70% of all persons are on at
least one list.  Records add the within-list duplicates.  Realised with ``--seed 1``
(persons named / records; observed = on any list):

========  ==========  ======== ============= ============= ============= ============= =============
scenario  true total  observed families      ngo_a         ngo_b         memoir        press
========  ==========  ======== ============= ============= ============= ============= =============
small          5,000     3,517 2,277 / 2,331 1,618 / 1,665 1,253 / 1,307 543 / 552     766 / 774
medium        50,000    35,489 23,570/24,084 16,462/16,952 12,667/13,203 5,495/5,545   7,739/7,806
large        200,000   142,722 95,122/97,008 65,772/67,717 50,414/52,403 22,093/22,311 30,985/31,268
stress         5,000     3,536 2,277 / 2,509 1,627 / 1,862 1,289 / 1,570 538 / 557     772 / 803
========  ==========  ======== ============= ============= ============= ============= =============

``independent`` (seed 1): 5,000 persons, 2,322 observed; list_a 1,441, list_b 1,206
(expected 1,500 and 1,250; no duplicates).

Surnames realised with ``--seed 1`` (:mod:`dadkhah.simulate.surnames`; distinct surnames,
share of the most common, collision probability Σp²): small 2,578, 1.2%, 0.0013;
medium 11,508, 1.1%, 0.0011; large 19,616, 1.1%, 0.0011.  Full names (given names and
surname) of two persons drawn at random coincide with probability ≈ 0.000016 (0.00011
before the composed surnames).  ``tests/simulate/test_config.py`` checks that
these scenarios exist and are documented here.
"""

from __future__ import annotations

from dataclasses import replace

from dadkhah.errors import ConfigError
from dadkhah.simulate.config import DEFAULT_LISTS, ErrorProfile, ListSpec, SimulationConfig

__all__ = ["SCENARIOS", "scenario_config"]


def _stress_lists() -> tuple[ListSpec, ...]:
    out = []
    for spec in DEFAULT_LISTS:
        err = spec.errors.scaled(4.0)
        err = replace(err, duplicate=min(0.5, spec.errors.duplicate * 5), date_shift_days=30)
        out.append(replace(spec, errors=err))
    return tuple(out)


def _independent_lists() -> tuple[ListSpec, ...]:
    list_a = ListSpec(
        id="list_a", title="Independent list A (SYNTHETIC)", capture=(0.3, 0.3),
        kind="ngo_list", script="latin", calendar="gregorian", name_layout="full",
        fields=("external_id", "name", "father_name", "sex", "age", "death_date", "prison",
                "city"),
        header_language="en", errors=ErrorProfile(duplicate=0.0),
    )
    return (
        list_a,
        replace(list_a, id="list_b", title="Independent list B (SYNTHETIC)",
                capture=(0.25, 0.25)),
    )


def _household_lists() -> tuple[ListSpec, ...]:
    north = ("prov:tehran", "prov:gilan", "prov:mazandaran", "prov:east_azerbaijan",
             "prov:west_azerbaijan", "prov:zanjan", "prov:khorasan", "prov:semnan")
    south = ("prov:fars", "prov:khuzestan", "prov:isfahan", "prov:kermanshah",
             "prov:hamadan", "prov:sistan_baluchestan", "prov:kerman", "prov:bushehr")
    regional = dict(
        kind="family_list", script="persian", name_layout="split", calendar="jalali",
        date_style="text", fields=("external_id", "name", "father_name", "birth_year",
                                   "death_date", "city"),
        household_rate=0.8, reliability="B",
        errors=ErrorProfile(typo=0.03, missing_father=0.1, date_partial=0.1, date_shift=0.02,
                            title_added=0.08, surname_comma=0.1, age_in_birth_year=0.05,
                            missing_given=0.02, place_typo=0.03, duplicate=0.03),
    )
    return (
        ListSpec(id="region_north", title="Families of the north and Tehran (SYNTHETIC)",
                 capture=(0.6, 0.3), covers=("province", north), **regional),  # type: ignore[arg-type]
        ListSpec(id="region_south", title="Families of the south and west (SYNTHETIC)",
                 capture=(0.5, 0.25), covers=("province", south), **regional),  # type: ignore[arg-type]
        ListSpec(id="diaspora_fr", title="Liste d'une association en France (SYNTHETIC)",
                 kind="ngo_list", capture=(0.35, 0.1), script="latin",
                 romanisation="preferred", latin_system="french", name_layout="full",
                 calendar="gregorian", date_style="text", header_language="en",
                 fields=("external_id", "name", "age", "death_date", "prison", "city"),
                 errors=ErrorProfile(typo=0.04, upper_surname=0.7, surname_comma=0.4,
                                     title_dropped=0.6, date_partial=0.1, missing_field=0.1,
                                     city_is_prison_city=0.3, duplicate=0.01)),
        ListSpec(id="scan_copy", title="OCR'd copy of the northern list (SYNTHETIC)",
                 kind="ngo_list", capture=(0.03, 0.01), copies="region_north", copy_rate=0.8,
                 covers=("province", north), script="persian", name_layout="full",
                 digits="persian",
                 fields=("name", "father_name", "birth_year", "death_date", "city"),
                 errors=ErrorProfile(typo=0.06, ocr=0.3, arabic_digits=0.5,
                                     missing_father=0.2, date_partial=0.05,
                                     place_typo=0.05, duplicate=0.0)),
        ListSpec(id="academic", title="Academic database, ALA-LC-like (SYNTHETIC)",
                 kind="ngo_list", capture=(0.3, 0.15), script="latin", romanisation="habit",
                 latin_system="ala_lc", name_layout="split", calendar="gregorian",
                 date_style="numeric", header_language="en",
                 fields=("external_id", "name", "father_name", "sex", "birth_year",
                         "death_date", "prison", "city"),
                 errors=ErrorProfile(typo=0.02, romanisation=0.1, missing_father=0.3,
                                     city_is_prison_city=0.6, missing_surname=0.03,
                                     missing_given=0.03, wrong_prison=0.03,
                                     duplicate=0.01)),
        ListSpec(id="memoir_given", title="Memoir: given names and home towns (SYNTHETIC)",
                 kind="memoir", capture=(0.25, 0.15),
                 covers=("prison", ("prison:evin", "prison:gohardasht")), script="persian",
                 name_layout="full", fields=("name", "age", "city"), reliability="D",
                 errors=ErrorProfile(missing_surname=0.95, typo=0.03, drop_middle_name=0.3,
                                     missing_father=0.0, duplicate=0.0)),
    )


SCENARIOS: dict[str, dict] = {
    "small": {"config": SimulationConfig(persons=5_000),
              "about": "demo and tests: five lists, heterogeneous and dependent capture"},
    "medium": {"config": SimulationConfig(persons=50_000),
               "about": "the default lists at the size of a large real list"},
    "large": {"config": SimulationConfig(persons=200_000), "about": "benchmarks"},
    "stress": {"config": SimulationConfig(persons=5_000, lists=_stress_lists()),
               "about": "every error rate ×4, duplicates ×5, dates up to 30 days off"},
    "independent": {"config": SimulationConfig(persons=5_000, hard_share=0.0,
                                               lists=_independent_lists()),
                    "about": "two independent lists, homogeneous capture (Chapman's case)"},
    "households": {"config": SimulationConfig(
        persons=5_000, sibling_share=0.12, sibling_same_day=0.8, given_exponent=1.3,
        surname_exponent=1.2, hometown_prison_city=0.3, hometown_same_province=0.3,
        batch_share=0.5, lists=_household_lists()),
        "about": "second family: siblings, namesakes, regional lists of home towns, a "
                 "French-style, an OCR'd copy, an ALA-LC and a given-name-only list"},
}
"""Named scenarios: ``{"config": SimulationConfig, "about": str}``."""


def scenario_config(name: str, *, persons: int | None = None) -> SimulationConfig:
    """The configuration of a named scenario, optionally with another number of persons.

    Examples
    --------
    >>> scenario_config("small").persons
    5000
    >>> scenario_config("large", persons=1000).persons
    1000
    """
    if name not in SCENARIOS:
        raise ConfigError(f"No scenario {name!r}.",
                          hint="Scenarios: " + ", ".join(SCENARIOS) + ".")
    cfg: SimulationConfig = SCENARIOS[name]["config"]
    if persons is not None:
        if not 1 <= persons <= 5_000_000:
            raise ConfigError(f"--persons must be between 1 and 5,000,000, got {persons:,}.",
                              hint="Use for example --persons 1000000.")
        cfg = cfg.with_(persons=persons)
    return cfg

"""The simulator's configuration: one frozen dataclass, every parameter with its default.

Everything the simulator draws is governed by :class:`SimulationConfig` (the population)
and its :class:`ListSpec` entries (one per source list, each with an :class:`ErrorProfile`).
The defaults describe a population shaped like the victims of the 1988 mass execution of
political prisoners in Iran, as the public record describes them (mostly young men; most
killed between late July and September 1988 in two waves, Mojahedin first and leftists
from late August; Evin and Gohardasht the largest sites; killings in many provincial
prisons).  The *numbers* are invented: shares, weights and capture probabilities are
plausible shapes for testing software, not findings about the real case.  Everything the
simulator writes is SYNTHETIC and says so.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

__all__ = [
    "AFFILIATIONS",
    "DEFAULT_LISTS",
    "EXTRA_ERROR_KINDS",
    "LATIN_SYSTEMS",
    "PRISON_WEIGHTS",
    "ErrorProfile",
    "ListSpec",
    "SimulationConfig",
    "load_config",
]

ERROR_KINDS = (
    "typo", "ocr", "drop_middle_name", "initials", "swap_order", "missing_father",
    "age_for_birth_year", "date_shift", "date_partial", "wrong_prison", "romanisation",
    "missing_field",
)
"""Per-record error kinds, as named in the truth file's ``errors`` column."""

EXTRA_ERROR_KINDS = (
    "title_added", "title_dropped", "surname_comma", "upper_surname", "missing_given",
    "missing_surname", "age_in_birth_year", "arabic_digits", "city_is_prison_city",
    "place_typo",
)
"""Error kinds added for the noise profiles (:mod:`dadkhah.simulate.profiles`).  They are
drawn from a stream of their own and default to 0, so every scenario defined before them
renders byte for byte as it did; the truth file names them after :data:`ERROR_KINDS`."""

LATIN_SYSTEMS = ("dictionary", "ala_lc", "arabic", "simplified", "french")
"""How a Latin-script list romanises names (:attr:`ListSpec.latin_system`):
``dictionary`` the name dictionary's spellings (Mohammad, Hossein, Ghorbani);
``ala_lc`` library-style vowels (Muhammad, Husayn, Husayn Zada); ``arabic`` the same with
q for gh, w for v and an apostrophe for an initial ع ('Ali, Qurbani); ``simplified``
(Mohamad, Gurbani, Musavi); ``french`` (Djavad, Chirazi, Moussavi)."""

@dataclass(frozen=True)
class ErrorProfile:
    """Per-record error rates of one list (each a probability per record, drawn independently).

    Attributes
    ----------
    typo
        One letter of one name (given, surname or father's) substituted, dropped, doubled or
        swapped with its neighbour.
    ocr
        OCR-like confusions over the whole record: Persian ی→ي, ک→ك, final ه→ة, ZWNJ lost,
        Persian digits read as Arabic-Indic; in Latin rn/m, l/1, e/c.
    drop_middle_name
        A second given name is dropped («محمد علی» → «محمد»); only persons with two.
    initials
        Given name(s) reduced to initials («M. Hosseini», «م. حسینی»).
    swap_order
        Surname written first (one full-name column) or given name and surname in each
        other's column (split columns).
    missing_father
        Father's name left blank in a list that records it.
    age_for_birth_year
        Age at death given (approximately, «about 25») instead of the birth year.
    date_shift
        Execution date off by 1…``date_shift_days`` days either way.
    date_partial
        Only the month or the season of the execution known («مرداد ۱۳۶۷», «summer 1988»).
    wrong_prison
        Another prison named (mostly the one most often confused with it: Evin/Gohardasht).
    romanisation
        A romanisation other than the list's habitual one for a name (Latin-script records).
    missing_field
        Any one optional field (sex, city, province, affiliation, arrest date) left blank.
    duplicate
        Probability that a listed person is listed a second time (entered again from another
        informant, with its own errors).

    The kinds of :data:`EXTRA_ERROR_KINDS` (all 0 by default):

    title_added
        An honorific the other lists do not give put before the given name (Hajj, Mirza,
        Seyed, Sheikh, Mashhadi; «حاج», «میرزا», «سید», «شیخ», «مشهدی»).
    title_dropped
        The «سید» (Seyed) of a person who carries it left out; only titled persons.
    surname_comma
        «Surname، Given» with the Arabic comma (Latin: «Surname, Given») in the full-name
        column; in split columns the whole «Surname، Given» in the given-name column and
        the surname column empty.
    upper_surname
        The surname in capitals («Mohammad HOSSEINI»); Latin-script records only.
    missing_given, missing_surname
        Given name(s), or the surname, left blank (never both in one record).
    age_in_birth_year
        The age at death written, as a bare number, in the birth-year column («24»);
        only lists with a birth-year column.
    arabic_digits
        Every digit of the record in Arabic-Indic (٠١٢) instead of Persian (۰۱۲) or ASCII;
        Persian-script records of lists not written in Windows-1256.
    city_is_prison_city
        The city column holds the town of the prison, not the home town; only persons
        whose home town is another town.
    place_typo
        One slip of the pen in the city (or, without a city column, the prison) cell
        («تهرنا» for «تهران»).
    """

    typo: float = 0.02
    ocr: float = 0.0
    drop_middle_name: float = 0.05
    initials: float = 0.0
    swap_order: float = 0.0
    missing_father: float = 0.05
    age_for_birth_year: float = 0.0
    date_shift: float = 0.03
    date_shift_days: int = 10
    date_partial: float = 0.05
    wrong_prison: float = 0.02
    romanisation: float = 0.05
    missing_field: float = 0.05
    duplicate: float = 0.02
    title_added: float = 0.0
    title_dropped: float = 0.0
    surname_comma: float = 0.0
    upper_surname: float = 0.0
    missing_given: float = 0.0
    missing_surname: float = 0.0
    age_in_birth_year: float = 0.0
    arabic_digits: float = 0.0
    city_is_prison_city: float = 0.0
    place_typo: float = 0.0

    def scaled(self, factor: float) -> ErrorProfile:
        """Every rate multiplied by ``factor`` (capped at 0.9); used by the stress preset."""
        vals: dict[str, Any] = {k: (min(0.9, v * factor) if isinstance(v, float) else v)
                for k, v in asdict(self).items()}
        return ErrorProfile(**vals)


LIST_FIELDS = (
    "external_id", "name", "father_name", "sex", "birth_year", "age", "death_date",
    "arrest_date", "prison", "city", "province", "affiliation",
)
"""Fields a list may record (``name`` is written as ``full_name`` or given/surname columns)."""


@dataclass(frozen=True)
class ListSpec:
    """One source list: who it captures and how it writes them down.

    ``id`` becomes the source id when imported (``families``, ``ngo_a``; letters, digits and
    ``_``, also the column name in the capture histories); ``kind`` is one of
    :data:`dadkhah.store.SOURCE_KINDS` (family_list, ngo_list, memoir, press,
    cemetery_record …); ``reliability`` an Admiralty grade A–F.

    Capture
    -------
    capture
        Probability of naming a person of each latent group ``(easy, hard)``; equal values
        mean homogeneous capture for this list.
    copies, copy_rate
        Id of an earlier list this one copies from, and the probability that a person on
        that list is copied over (in addition to this list's own capture).  Copying is
        positive list dependence: naive estimators then undercount.
    covers
        ``("prison", ids)`` or ``("province", ids)``: the list only names persons executed in
        those prisons / prisons of those provinces (a prison memoir, a regional list);
        ``None`` = the whole country.
    capture_by_province
        ``(province id, factor)`` pairs: capture probabilities of persons killed in prisons
        of that (1988) province are multiplied by ``factor`` (capped at 1).  Documentation
        is denser in Tehran than in the provinces, so estimates pooled over provinces are
        biased even where each province's lists would be independent.

    Style
    -----
    script
        ``persian``, ``latin`` or ``mixed`` (each record Persian with probability
        ``persian_share``).
    romanisation
        ``preferred`` (the dictionary's first romanisation) or ``habit`` (a list-specific
        but consistent choice among the dictionary's variants for each name).
    zwnj
        How Persian compounds («حسین‌زاده», «علی‌اکبر») are written: ``keep`` the
        zero-width non-joiner, write a ``space``, or ``join`` the parts.
    order
        Row order: ``random``, ``name`` (alphabetical by the name as written) or ``date``
        (by execution date as written).
    calendar
        ``jalali`` (Solar Hijri) or ``gregorian`` for dates and birth years.
    date_style
        ``numeric`` (1367/05/12, 1988-08-03) or ``text`` (۱۲ مرداد ۱۳۶۷, 3 August 1988).
    digits
        ``persian`` or ``ascii`` digits in Persian-script text.
    name_layout
        ``split`` (given names and surname columns) or ``full`` (one full-name column).
    fields
        Which of :data:`LIST_FIELDS` the list records, in column order.
    header_language
        ``fa`` or ``en`` column headers (both detected by ``dadkhah import``).
    file_format, encoding
        ``csv`` (encoding ``utf-8``, ``utf-8-sig``, ``utf-16`` or ``cp1256``) or ``xlsx``.
        Windows-1256 has no Persian ی or Persian digits, so such files use Arabic ي and
        ASCII digits, as real ones do.
    latin_system
        One of :data:`LATIN_SYSTEMS`: how Latin-script records romanise names (after the
        ``romanisation`` habit picks the dictionary form).
    household_rate
        Probability that, when this list names a person, it also names every sibling of
        theirs (a family's list names a household together); 0 = persons independently.
    """

    id: str
    title: str
    kind: str
    capture: tuple[float, float]
    copies: str | None = None
    copy_rate: float = 0.0
    covers: tuple[str, tuple[str, ...]] | None = None
    capture_by_province: tuple[tuple[str, float], ...] = ()
    script: str = "persian"
    persian_share: float = 0.5
    romanisation: str = "habit"
    zwnj: str = "keep"
    order: str = "random"
    calendar: str = "jalali"
    date_style: str = "text"
    digits: str = "persian"
    name_layout: str = "split"
    fields: tuple[str, ...] = ("external_id", "name", "father_name", "birth_year",
                               "death_date", "prison", "city")
    header_language: str = "fa"
    file_format: str = "csv"
    encoding: str = "utf-8"
    reliability: str = "C"
    errors: ErrorProfile = field(default_factory=ErrorProfile)
    latin_system: str = "dictionary"
    household_rate: float = 0.0

    @property
    def file_name(self) -> str:
        return f"SYNTHETIC-{self.id}.{self.file_format}"

    def __post_init__(self) -> None:
        from dadkhah.store import SOURCE_KINDS

        checks = [
            (re.fullmatch(r"[a-z0-9][a-z0-9_]{0,63}", self.id) is not None, "id"),
            (self.kind in SOURCE_KINDS, "kind"),
            (self.script in ("persian", "latin", "mixed"), "script"),
            (self.romanisation in ("preferred", "habit"), "romanisation"),
            (self.zwnj in ("keep", "space", "join"), "zwnj"),
            (self.order in ("random", "name", "date"), "order"),
            (self.calendar in ("jalali", "gregorian"), "calendar"),
            (self.date_style in ("numeric", "text"), "date_style"),
            (self.digits in ("persian", "ascii"), "digits"),
            (self.name_layout in ("split", "full"), "name_layout"),
            (self.header_language in ("fa", "en"), "header_language"),
            (self.file_format in ("csv", "xlsx"), "file_format"),
            (self.encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1256"), "encoding"),
            (len(self.capture) == 2 and all(0 <= p <= 1 for p in self.capture), "capture"),
            (0 <= self.copy_rate <= 1, "copy_rate"),
            (self.latin_system in LATIN_SYSTEMS, "latin_system"),
            (0 <= self.household_rate <= 1, "household_rate"),
            (all(f in LIST_FIELDS for f in self.fields) and "name" in self.fields, "fields"),
            (self.covers is None or self.covers[0] in ("prison", "province"), "covers"),
            (all(f >= 0 for _, f in self.capture_by_province), "capture_by_province"),
        ]
        bad = [name for ok, name in checks if not ok]
        if bad:
            raise ValueError(f"list {self.id!r}: invalid {', '.join(bad)}")


PRISON_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("prison:evin", 0.22), ("prison:gohardasht", 0.20), ("prison:qezel_hesar", 0.02),
    ("prison:vakilabad", 0.06), ("prison:adelabad", 0.06), ("prison:dizelabad", 0.06),
    ("prison:tabriz", 0.06), ("prison:dastgerd", 0.06), ("prison:karun", 0.05),
    ("prison:lakan", 0.05), ("prison:zanjan", 0.03), ("prison:hamadan", 0.04),
    ("prison:dezful", 0.04), ("prison:zahedan", 0.02), ("prison:sepidar", 0.03),
)
"""Gazetteer prison ids and the share of persons executed there (invented shape: the two
Tehran-area prisons largest, as the sources describe; the rest spread over the provinces)."""

AFFILIATIONS: tuple[tuple[str, float, int], ...] = (
    ("mek", 0.70, 1), ("fadaian_minority", 0.05, 2), ("fadaian_majority", 0.04, 2),
    ("tudeh", 0.06, 2), ("peykar", 0.04, 2), ("rah_e_kargar", 0.03, 2),
    ("komala", 0.03, 2), ("kdpi", 0.03, 2), ("other_left", 0.02, 2),
)
"""(affiliation id, share, wave): the Mojahedin in the first wave, leftist groups in the
second (the «apostates», from late August 1988)."""


def _default_lists() -> tuple[ListSpec, ...]:
    return (
        ListSpec(
            id="families", title="Families' association list (SYNTHETIC)", kind="family_list",
            capture=(0.55, 0.25), capture_by_province=(("prov:tehran", 1.25),),
            script="persian", order="date", calendar="jalali",
            date_style="text",
            digits="persian", name_layout="split",
            fields=("external_id", "name", "father_name", "birth_year", "death_date",
                    "arrest_date", "prison", "city", "affiliation"),
            header_language="fa", file_format="csv", encoding="utf-8", reliability="B",
            errors=ErrorProfile(typo=0.03, ocr=0.02, drop_middle_name=0.10, missing_father=0.05,
                                age_for_birth_year=0.05, date_shift=0.05, date_partial=0.15,
                                wrong_prison=0.02, missing_field=0.05, duplicate=0.02),
        ),
        ListSpec(
            id="ngo_a", title="Human-rights NGO list A (SYNTHETIC)", kind="ngo_list",
            capture=(0.45, 0.15), script="latin", romanisation="habit", order="name",
            calendar="gregorian",
            date_style="text", name_layout="full",
            fields=("external_id", "name", "father_name", "sex", "age", "death_date", "prison",
                    "city", "province", "affiliation"),
            header_language="en", file_format="csv", encoding="utf-16", reliability="B",
            errors=ErrorProfile(typo=0.03, drop_middle_name=0.05, initials=0.02,
                                swap_order=0.05, missing_father=0.15, date_shift=0.05,
                                date_partial=0.05, wrong_prison=0.03, romanisation=0.10,
                                missing_field=0.05, duplicate=0.03),
        ),
        ListSpec(
            id="ngo_b", title="NGO list B, partly copied from list A (SYNTHETIC)",
            kind="ngo_list", capture=(0.15, 0.05), copies="ngo_a", copy_rate=0.5,
            script="mixed", persian_share=0.5, romanisation="preferred", zwnj="join",
            calendar="gregorian",
            date_style="numeric", digits="ascii", name_layout="split",
            fields=("external_id", "name", "sex", "birth_year", "death_date", "prison",
                    "province", "affiliation"),
            header_language="en", file_format="xlsx", reliability="C",
            errors=ErrorProfile(typo=0.02, drop_middle_name=0.05, swap_order=0.03,
                                date_shift=0.03, date_partial=0.05, wrong_prison=0.03,
                                romanisation=0.05, missing_field=0.08, duplicate=0.04),
        ),
        ListSpec(
            id="memoir", title="Prison memoir appendix, Evin and Gohardasht (SYNTHETIC)",
            kind="memoir", capture=(0.30, 0.20),
            covers=("prison", ("prison:evin", "prison:gohardasht")),
            script="persian", zwnj="space", calendar="jalali", date_style="text",
            digits="ascii", name_layout="full",
            fields=("name", "father_name", "age", "death_date", "prison", "affiliation"),
            header_language="fa", file_format="csv", encoding="cp1256", reliability="C",
            errors=ErrorProfile(typo=0.04, ocr=0.05, drop_middle_name=0.20, initials=0.01,
                                missing_father=0.40, date_shift=0.05, date_partial=0.50,
                                wrong_prison=0.05, missing_field=0.10, duplicate=0.01),
        ),
        ListSpec(
            id="press", title="Press reports (SYNTHETIC)", kind="press",
            capture=(0.20, 0.02), capture_by_province=(("prov:tehran", 1.5),),
            script="latin", romanisation="habit", calendar="gregorian",
            date_style="text", name_layout="full",
            fields=("name", "age", "death_date", "prison", "city"),
            header_language="en", file_format="csv", encoding="utf-8-sig", reliability="D",
            errors=ErrorProfile(typo=0.05, drop_middle_name=0.10, initials=0.03,
                                swap_order=0.02, date_shift=0.10, date_partial=0.20,
                                wrong_prison=0.05, romanisation=0.20, missing_field=0.10,
                                duplicate=0.01),
        ),
    )


DEFAULT_LISTS = _default_lists()


@dataclass(frozen=True)
class SimulationConfig:
    """Every parameter of a simulated scenario, with documented defaults.

    Population
    ----------
    persons
        True number of victims (the total the estimators try to recover).
    hard_share
        Share of persons in the latent «hard to document» group (no family abroad, no
        organisation keeping their memory); each list gives its capture probability per group.
    female_share_wave1, female_share_wave2
        Share of women among those killed in the first wave (Mojahedin) and the second
        (leftists; women leftists were mostly not executed).
    age_min, age_shape, age_scale, age_max
        Age at death = ``age_min`` + Gamma(``age_shape``, ``age_scale``) years, capped at
        ``age_max`` (mean ≈ 26: mostly young adults, many arrested as teenagers in 1981).
    second_given_share
        Share of persons with a second given name («محمد علی»), which lists may drop.
    title_share
        Share of men with the title «سید» (Seyed) before their name.
    surname_registry_population, surname_law_ranks
        Surnames (:mod:`dadkhah.simulate.surnames`).  The name dictionary's surnames take
        the share of persons the civil registry gives them: published holder counts
        (محمدی 960,505; حسینی 661,824; احمدی 614,399) over ``surname_registry_population``
        (≈ Iran's population, 85 million), the power law fitted to those counts for the
        other ranked ones, down to rank ``surname_law_ranks``.  All further surnames (the
        rest of the dictionary, then tens of thousands composed in Persian script from
        roots, suffixes, titles, places and trades, romanised from their parts) follow a
        Zipf tail continuing from that rank.  Realised on ``medium`` (50,000 persons,
        seed 1), checked by ``tests/simulate/test_surnames.py``: the top surname holds
        about 1.1% of persons (target 0.6–1.5%), surname collision probability Σp² ≈
        0.0011 (target 0.001–0.0025), about 11,500 distinct surnames (target > 10,000);
        two persons share a full name with probability ≈ 0.000016.
    prisons
        ``(gazetteer prison id, share)`` pairs.
    affiliations
        ``(affiliation id, share, wave)`` triples.
    hometown_prison_city, hometown_same_province
        Probability that a person's home town is the city of the prison, another city of
        the same (1988) province; otherwise any city of the gazetteer.
    wave1_start, wave2_start, wave_shape, wave_scale_days
        Execution date = wave start + Gamma(``wave_shape``, ``wave_scale_days``) days.
    late_share, late_start, late_end
        Share executed later in the autumn, uniformly between the two dates.
    arrest_start, arrest_mean_days, arrest_min_gap_days
        Arrest date = ``arrest_start`` (20 June 1981) + Exponential(mean) days, at least
        ``arrest_min_gap_days`` before the execution.
    given_exponent, surname_exponent
        Concentration of given names and surnames: each name's probability is raised to
        this power and renormalised (1 = the shares above; 2 makes common names much
        commoner, so namesakes — persons with the same full name — much more frequent).
    sibling_share
        Share of persons who are the younger sibling of another person of the population:
        same surname, father and home town, the same prison, born 1–12 years apart, a
        different first given name; executed on the same day as the elder with probability
        ``sibling_same_day``, else within the same wave.  0 = no families.
    batch_share, batch_size_min, batch_size_max
        Execution *batches*: share of persons executed in a group — one prison, one day —
        as prisoners were in 1988 (taken from their wards in groups and hanged together;
        the prisons killed on different days, so among different persons the same death day
        goes with the same prison).  The batched persons of each prison, in order of the
        day their wave gave them (then affiliation, so co-defendants sit together), are cut
        into consecutive groups of ``batch_size_min``–``batch_size_max`` persons (uniform;
        a group also ends at a gap of more than 3 days), and each group dies on the day of
        its middle member.  A younger sibling is batched when the elder is, and one who died
        the elder's day still does.  The sizes are an assumption (the sources in
        ../shared/research give no group sizes), hence the wide default range.  Drawn from
        a stream of their own, so ``batch_share`` 0 (the default: no batches) leaves every
        other draw, and every older scenario, unchanged.
    lists
        The source lists, in order (a copying list comes after the list it copies).
    """

    persons: int = 5000
    hard_share: float = 0.4
    female_share_wave1: float = 0.09
    female_share_wave2: float = 0.02
    age_min: int = 16
    age_shape: float = 2.2
    age_scale: float = 4.5
    age_max: int = 75
    second_given_share: float = 0.12
    title_share: float = 0.05
    surname_registry_population: int = 85_000_000
    surname_law_ranks: int = 100
    prisons: tuple[tuple[str, float], ...] = PRISON_WEIGHTS
    affiliations: tuple[tuple[str, float, int], ...] = AFFILIATIONS
    hometown_prison_city: float = 0.55
    hometown_same_province: float = 0.25
    wave1_start: date = date(1988, 7, 27)
    wave2_start: date = date(1988, 8, 26)
    wave_shape: float = 2.0
    wave_scale_days: float = 6.0
    late_share: float = 0.04
    late_start: date = date(1988, 10, 1)
    late_end: date = date(1988, 12, 20)
    arrest_start: date = date(1981, 6, 20)
    arrest_mean_days: float = 550.0
    arrest_min_gap_days: int = 30
    given_exponent: float = 1.0
    surname_exponent: float = 1.0
    sibling_share: float = 0.0
    sibling_same_day: float = 0.7
    batch_share: float = 0.0
    batch_size_min: int = 2
    batch_size_max: int = 40
    lists: tuple[ListSpec, ...] = DEFAULT_LISTS

    def __post_init__(self) -> None:
        if not 1 <= self.persons <= 5_000_000:
            raise ValueError(f"persons must be between 1 and 5,000,000, got {self.persons}")
        ids = [s.id for s in self.lists]
        if len(set(ids)) != len(ids) or not ids:
            raise ValueError(f"list ids must be distinct and at least one: {ids}")
        for i, spec in enumerate(self.lists):
            if spec.copies is not None and spec.copies not in ids[:i]:
                raise ValueError(f"list {spec.id!r} copies {spec.copies!r}, which is not an "
                                 "earlier list")
        if not (0 < self.given_exponent <= 5 and 0 < self.surname_exponent <= 5):
            raise ValueError("given_exponent and surname_exponent must be in (0, 5]")
        if self.surname_registry_population < 1_000_000 or self.surname_law_ranks < 1:
            raise ValueError("surname_registry_population must be at least 1,000,000 and "
                             "surname_law_ranks at least 1")
        for name in ("hard_share", "female_share_wave1", "female_share_wave2", "late_share",
                     "second_given_share", "title_share", "sibling_share",
                     "sibling_same_day", "batch_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be a probability")
        if not 1 <= self.batch_size_min <= self.batch_size_max:
            raise ValueError("batch sizes must satisfy 1 <= batch_size_min <= batch_size_max")

    def with_(self, **changes: Any) -> SimulationConfig:
        """A copy with some parameters changed (the config itself is frozen)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (dates as ISO text), as written into the manifest."""
        def conv(v: Any) -> Any:
            if isinstance(v, date):
                return v.isoformat()
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            if isinstance(v, (list, tuple)):
                return [conv(x) for x in v]
            return v
        out = conv(asdict(self))
        # Parameters added with the noise profiles are left out at their defaults, so the
        # manifests of the older scenarios stay byte-identical.
        _drop_defaults(out, _NEW_CONFIG)
        for spec in out["lists"]:
            _drop_defaults(spec, _NEW_LIST)
            _drop_defaults(spec["errors"], _NEW_ERRORS)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, base: SimulationConfig | None = None
                  ) -> SimulationConfig:
        """A config from :meth:`to_dict`'s form (a manifest's ``config``, or a TOML file);
        keys left out keep ``base``'s values (the defaults when ``base`` is None).

        ``lists``, when given, replaces the base's lists; each list's ``errors`` table
        starts from :class:`ErrorProfile`'s defaults.
        """
        base = base or cls()
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown simulation parameter(s): {', '.join(sorted(unknown))}")
        changes: dict[str, Any] = {}
        for key, value in data.items():
            current = getattr(base, key)
            if key == "lists":
                changes[key] = tuple(_list_from_dict(x) for x in value)
            elif isinstance(current, date):
                changes[key] = value if isinstance(value, date) else date.fromisoformat(value)
            elif key in ("prisons", "affiliations"):
                changes[key] = tuple(tuple(x) for x in value)
            else:
                changes[key] = value
        return replace(base, **changes)


_NEW_CONFIG = {"given_exponent": 1.0, "surname_exponent": 1.0, "sibling_share": 0.0,
               "sibling_same_day": 0.7, "batch_share": 0.0, "batch_size_min": 2,
               "batch_size_max": 40}
_NEW_LIST = {"latin_system": "dictionary", "household_rate": 0.0}
_NEW_ERRORS = dict.fromkeys(EXTRA_ERROR_KINDS, 0.0)


def _drop_defaults(d: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, default in defaults.items():
        if key in d and d[key] == default:
            del d[key]


def _list_from_dict(data: dict[str, Any]) -> ListSpec:
    known = {f.name for f in fields(ListSpec)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"list {data.get('id')!r}: unknown key(s) {', '.join(sorted(unknown))}")
    d = dict(data)
    err = d.pop("errors", {}) or {}
    bad = set(err) - {f.name for f in fields(ErrorProfile)}
    if bad:
        raise ValueError(f"list {data.get('id')!r}: unknown error kind(s) {', '.join(sorted(bad))}")
    for key in ("capture", "fields"):
        if key in d:
            d[key] = tuple(d[key])
    if d.get("covers") is not None:
        d["covers"] = (d["covers"][0], tuple(d["covers"][1]))
    if "capture_by_province" in d:
        d["capture_by_province"] = tuple(tuple(x) for x in d["capture_by_province"])
    return ListSpec(**d, errors=ErrorProfile(**err))


def load_config(path: str | Path, *, base: SimulationConfig | None = None) -> SimulationConfig:
    """A config from a TOML (or a manifest's JSON) file; see :meth:`SimulationConfig.from_dict`.

    Examples of a TOML file::

        persons = 20000
        hard_share = 0.5

        [[lists]]
        id = "families"
        title = "Families' list (SYNTHETIC)"
        kind = "family_list"
        capture = [0.5, 0.2]
        errors = { typo = 0.05, duplicate = 0.03 }
    """
    import json
    import tomllib

    p = Path(path)
    text = p.read_text(encoding="utf-8")
    data = json.loads(text) if p.suffix == ".json" else tomllib.loads(text)
    if p.suffix == ".json" and "config" in data:  # a manifest: its config
        data = data["config"]
    return SimulationConfig.from_dict(data, base=base)

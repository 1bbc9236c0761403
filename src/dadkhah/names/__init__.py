"""Persian and Latin names, Solar Hijri dates and places.

Public API (everything here is pure: no store, no I/O beyond the packaged data files)::

    normalize_persian, normalize_latin, normalize_name, detect_script, fold_digits,
    fold_letters, persian_digits
    name_key, name_keys, loose_key, word_key, persian_skeleton, latin_skeleton, canonical_latin,
    title_keys
    transliterate, transliterate_word, latin_form (press/passport romanisation)
    load_name_lexicon, NameLexicon, LexiconEntry, example_word_pairs (the name lexicon the
    romanisation reads, grown with a case's examples by NameLexicon.with_examples)
    parse_name, ParsedName, comma_order, lone_titles, parse_sex, read_sex
    split_scripts, ScriptParts, written_forms (a name cell written in both scripts)
    parse_date, try_parse_date, DateInterval, jalali_of, parse_age, MAX_AGE,
    birth_interval_from_age, age_at, DEATH_TOLERANCE_DAYS, BIRTH_TOLERANCE_YEARS (how far
    two records' dates of one person may miss each other)
    format_interval, format_years, format_iso, default_calendar, CALENDARS (dates for
    people to read: Solar Hijri in Persian digits for Persian, Gregorian on request,
    precision kept)
    load_name_dictionary, NameDictionary, NameEntry
    load_gazetteer, resolve_place, province_in (the province in force in 1988 or today,
    from ``province_splits.csv``), Gazetteer, Place, PlaceMatch
    explain, Explanation, Step

This package is the one owner of Persian text rules: letter folding (:func:`fold_letters`),
digits (:func:`fold_digits`, :func:`persian_digits`), ages (:func:`parse_age`) and sex
words (:func:`read_sex`, by the table ``dadkhah.names.parse.SEX_VALUES``) are defined here
and nowhere else; import, search and the portal call them.

The romanisation tables are public in :mod:`dadkhah.names.rules` (``load_rules``).

Data files (``dadkhah/names/data``; CSV with ``#`` comment header naming the sources):
``names.csv`` (name dictionary), ``romanization.csv`` (variant table), ``gazetteer.csv``,
``date_words.csv`` (month names and other date words).
"""

from dadkhah.names.datefmt import (
    CALENDARS,
    default_calendar,
    format_interval,
    format_iso,
    format_years,
)
from dadkhah.names.dates import (
    BIRTH_TOLERANCE_YEARS,
    DEATH_TOLERANCE_DAYS,
    MAX_AGE,
    DateInterval,
    age_at,
    birth_interval_from_age,
    jalali_of,
    parse_age,
    parse_date,
    try_parse_date,
)
from dadkhah.names.dictionary import NameDictionary, NameEntry, load_name_dictionary
from dadkhah.names.explanation import Explanation, Step, explain
from dadkhah.names.keys import (
    canonical_latin,
    latin_skeleton,
    loose_key,
    name_key,
    name_keys,
    persian_skeleton,
    title_keys,
    word_key,
)
from dadkhah.names.lexicon import LexiconEntry, NameLexicon, example_word_pairs, load_name_lexicon
from dadkhah.names.normalize import (
    detect_script,
    fold_digits,
    fold_letters,
    normalize_latin,
    normalize_name,
    normalize_persian,
    persian_digits,
)
from dadkhah.names.parse import (
    ParsedName,
    ScriptParts,
    comma_order,
    lone_titles,
    parse_name,
    parse_sex,
    read_sex,
    split_scripts,
    written_forms,
)
from dadkhah.names.places import (
    EVENTS_YEAR,
    Gazetteer,
    Place,
    PlaceMatch,
    load_gazetteer,
    province_in,
    resolve_place,
)
from dadkhah.names.romanize import latin_form, transliterate, transliterate_word

__all__ = [
    "BIRTH_TOLERANCE_YEARS",
    "CALENDARS",
    "DEATH_TOLERANCE_DAYS",
    "DateInterval",
    "EVENTS_YEAR",
    "Explanation",
    "Gazetteer",
    "LexiconEntry",
    "MAX_AGE",
    "NameDictionary",
    "NameEntry",
    "NameLexicon",
    "ParsedName",
    "Place",
    "PlaceMatch",
    "ScriptParts",
    "Step",
    "age_at",
    "birth_interval_from_age",
    "canonical_latin",
    "comma_order",
    "default_calendar",
    "detect_script",
    "example_word_pairs",
    "explain",
    "fold_digits",
    "fold_letters",
    "format_interval",
    "format_iso",
    "format_years",
    "jalali_of",
    "latin_form",
    "latin_skeleton",
    "load_gazetteer",
    "load_name_dictionary",
    "load_name_lexicon",
    "lone_titles",
    "loose_key",
    "name_key",
    "name_keys",
    "normalize_latin",
    "normalize_name",
    "normalize_persian",
    "parse_age",
    "parse_date",
    "parse_name",
    "parse_sex",
    "persian_digits",
    "persian_skeleton",
    "province_in",
    "read_sex",
    "resolve_place",
    "split_scripts",
    "title_keys",
    "transliterate",
    "transliterate_word",
    "try_parse_date",
    "word_key",
    "written_forms",
]

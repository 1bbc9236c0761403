"""Prison wards that name one prison (``data/wards.csv``).

A memoir or a survivor's list says where a person was held by the ward («بند ۲۰۹»,
«آموزشگاه ۳», «فرعی ۲», "Ward 209") where other lists name the prison.  Some wards belong
to one prison of the 1988 killings (Evin's 209 and Amuzeshgah, Gohardasht's side wards):
those give the prison.  Most ward names («بند ۴», «سالن ۱۳») were used in every prison and
name none; :func:`ward_prison` returns None for them and the caller keeps them as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dadkhah.names.normalize import (
    ZWNJ,
    detect_script,
    fold_digits,
    normalize_latin,
    normalize_persian,
)
from dadkhah.names.rules import read_data_csv

__all__ = ["WARD_WORDS", "is_ward", "ward_prison"]

WARD_WORDS = frozenset({"بند", "سالن", "ward", "wards", "quartier", "section", "cellblock",
                        "block", "hall", "salon"})
"""Words that say a value is a ward («بند ۴», «سالن ۱۳», "Ward 4", "quartier 4"), not a
prison."""

_NUMBER = re.compile(r"^\d+$")


def _words(text: str) -> list[str]:
    t = fold_digits(text.replace("'", "").replace("’", "").replace("ʼ", ""))
    t = normalize_persian(t) if detect_script(t) != "latin" else normalize_latin(t)
    return [w.replace(ZWNJ, "").casefold() for w in re.split(r"[\s,،.:;()\-–]+", t) if w]


@lru_cache(maxsize=1)
def _ward_names() -> dict[str, str]:
    """Folded ward name → gazetteer id of its prison."""
    out: dict[str, str] = {}
    for row in read_data_csv("wards.csv"):
        for name in row["names"].split("|"):
            words = [w for w in _words(name) if w not in WARD_WORDS]
            if words:
                out[" ".join(words)] = row["prison"]
    return out


def is_ward(text: str) -> bool:
    """Whether a value names a ward («بند ۴», "Ward 12", «فرعی ۲»): a word for ward, or a
    ward name of :func:`ward_prison`."""
    words = _words(text)
    return any(w in WARD_WORDS for w in words) or ward_prison(text) is not None


def ward_prison(text: str) -> str | None:
    """The gazetteer id of the one prison a ward value names, else None.

    The word for ward and the ward's own number are dropped; what is left must be a ward
    name of ``data/wards.csv`` (a number alone only when it is a ward's name, 209).

    Examples
    --------
    >>> ward_prison("بند ۲۰۹"), ward_prison("آموزشگاه ۳"), ward_prison("Far'i 2")
    ('prison:evin', 'prison:evin', 'prison:gohardasht')
    >>> ward_prison("بند ۴") is None, ward_prison("سالن ۱۳") is None
    (True, True)
    """
    names = _ward_names()
    words = [w for w in _words(text) if w not in WARD_WORDS]
    if not words:
        return None
    whole = " ".join(words)
    if whole in names:
        return names[whole]
    named = [w for w in words if not _NUMBER.match(w)]
    if named:  # «آموزشگاه ۳»: the building's name and its ward's number
        return names.get(" ".join(named))
    return None

"""Records that name a person by one name only: which part that name is.

A memoir or a prisoner's recollection names people as they were called inside («Kazem»,
«Nazarpour», «Seyed Mahmoud»): one name, in a column headed «نام» that the import reads as
the full name.  The name parser alone takes an unknown single word for a given name, and a
surname written in two words («نظر پور», «بیگ نژاد»: the ZWNJ of «نظر‌پور» typed as a
space) for a given name and a one-word surname («پور»), so such a record was compared as the
wrong part and could meet its person in no other list.  Two things tell the part:

* the list itself: in a list whose rows name one part only (:data:`ONE_NAME_LIST`), a cell
  of two words that are not all given names, do not join into a known given name, and
  whose second word is a part surnames end in («پور», «نژاد», «زاده»: the bound parts of
  :func:`dadkhah.names.keys.name_tokens`) or which the case's
  other records write as one surname, is that surname written in two words;
* the case's other lists: a lone word that the names dictionary does not know as a given
  name, that other records of the case write as a surname and none as a given name
  («شیرکار», «عرببخش», «Arabi» / «عربی»), is that surname.

:func:`lone_surnames` returns the rows to read again as a surname; the features are
computed for them as for a record naming only a surname.
"""

from __future__ import annotations

from collections.abc import Sequence

from dadkhah.linkage.cluster import known_given_names
from dadkhah.names import word_key
from dadkhah.names.keys import name_tokens
from dadkhah.names.normalize import ZWNJ

__all__ = ["ONE_NAME_LIST", "lone_surnames"]

ONE_NAME_LIST = 0.8
"""Least share of a list's named rows that name one part only (a given name or a surname
alone) for the list to be read as a list of one-name mentions, where a cell of two words
that are not all given names is one surname written apart.  On the second probe's memoir
lists (seeds 1-5) 97-99% of rows name one part; on its other lists, and on the simulator's
lists that name both parts, under 10%."""

ONE_NAME_MIN_ROWS = 10
"""Least named rows of a list for its share of one-part rows to say anything."""


def _cell(full: object, given: object, surname: object) -> str | None:
    """The full-name cell of a row that names a person by that column only, else None.

    A word in a given-name column is left where the list put it: the comparison levels
    ``given_alone`` / ``surname_is_given`` relate it to the other part
    (``dadkhah.linkage.settings``); a full name of one word is placed by the name parser,
    whose default (a given name) is what is corrected here."""
    texts = [t for t in (full, given, surname) if isinstance(t, str) and t.strip()]
    if len(texts) != 1 or not (isinstance(full, str) and full.strip()):
        return None
    return texts[0]


def lone_surnames(sources: Sequence[object],
                  cells: Sequence[tuple[object, object, object]],
                  keys: Sequence[tuple[str | None, str | None]]) -> dict[int, str]:
    """Row index → the surname to read a one-name row as, for rows now read as a given
    name only that are a surname (see the module's docstring).

    ``sources`` holds each row's list, ``cells`` its (full name, given names, surname)
    texts and ``keys`` the (given-name key, surname key) the rows were read with."""
    given_keys = known_given_names()
    # how the case's fully named records use each key
    as_given: set[str] = set()
    as_surname: set[str] = set()
    named: dict[object, int] = {}
    one_part: dict[object, int] = {}
    for sid, (gk, sk) in zip(sources, keys, strict=True):
        if gk or sk:
            named[sid] = named.get(sid, 0) + 1
            if not (gk and sk):
                one_part[sid] = one_part.get(sid, 0) + 1
        if gk and sk:
            as_given.add(gk)
            as_surname.add(sk)
    one_name = {sid for sid, n in named.items()
                if n >= ONE_NAME_MIN_ROWS and one_part.get(sid, 0) >= ONE_NAME_LIST * n}
    out: dict[int, str] = {}
    for i, (sid, (full, given, surname), (gk, sk)) in enumerate(
            zip(sources, cells, keys, strict=True)):
        if not gk:
            continue
        text = _cell(full, given, surname)
        if text is None:
            continue
        titles, words = name_tokens(text, join_bound=False)
        if titles or not words or len(words) > 2:
            continue
        if len(words) == 2:
            if sid not in one_name or not sk:
                continue
            joined = ZWNJ.join(words)
            key = word_key(joined)
            if key in given_keys or all(word_key(w) in given_keys for w in words):
                continue  # «روح الله», «محمد رضا»: given names
            if key in as_surname or len(name_tokens(text)[1]) == 1:
                # «نظر پور», «بیگ نژاد»; «محمد شیرکار» is a given name and a surname
                out[i] = joined
        elif not sk and gk not in given_keys and gk in as_surname and gk not in as_given:
            out[i] = words[0]
    return out

"""A person's display name in each script, and where it came from.

**The rule** (one place; :func:`person_summaries` and the corrections use it):

1. A team member's correction in force wins (origin ``person``,
   :mod:`dadkhah.register.corrections`).
2. Else a form some source *wrote* in that script (origin ``source``): every record of the
   person gives its written forms (:func:`dadkhah.names.written_forms`: a cell written in
   both scripts gives both); among them the form the most records write wins; a tie goes
   to the form written by the more reliable source (Admiralty grade, A best; F, "cannot be
   judged", counts as the least reliable), then to the form written by the lowest source
   id.  The ids of every source that wrote the chosen form are kept (``*_sources``).
3. Else, only in Latin, a machine transliteration of the chosen Persian form
   (:func:`dadkhah.names.latin_form`; origin ``machine``).  Nothing writes Persian by machine.

The father's name follows rules 2 and 3 (its origin is kept, not its sources).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dadkhah.names import latin_form, normalize_persian, split_scripts, written_forms
from dadkhah.store.tables import RELIABILITY_GRADES

__all__ = ["MACHINE", "NAME_COLUMNS", "PERSON", "SOURCE", "RecordName", "choose_name_forms",
           "origin_label"]

SOURCE, MACHINE, PERSON = "source", "machine", "person"
"""The origins of a display form (``persons.name_*_origin``)."""

NAME_COLUMNS = ("name_fa", "name_latin", "name_fa_origin", "name_latin_origin",
                "name_fa_sources", "name_latin_sources", "father_fa", "father_latin",
                "father_fa_origin", "father_latin_origin")
"""The ``persons`` columns :func:`choose_name_forms` fills."""

_RANK = {g: i for i, g in enumerate(RELIABILITY_GRADES)}


@dataclass(frozen=True)
class RecordName:
    """The name cells of one source record, as the source wrote them."""

    source_id: int
    full_name: str | None = None
    given_names: str | None = None
    surname: str | None = None
    father_name: str | None = None


# A register of many namesakes writes the same names over and over: each form is read and
# transliterated once (both pure functions of the text, with the packaged lexicon).
_written_forms = lru_cache(maxsize=200_000)(written_forms)
_latin_form = lru_cache(maxsize=200_000)(latin_form)


def _text(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def _pick(written: list[tuple[str, int]], reliability: Mapping[int, str]
          ) -> tuple[str, list[int]] | None:
    """The chosen form among (form, source id) pairs, and the sources that wrote it."""
    if not written:
        return None
    stats: dict[str, tuple[int, int, int, set[int]]] = {}
    for form, src in written:
        n, rank, first, srcs = stats.get(form, (0, len(_RANK), src, set()))
        stats[form] = (n + 1, min(rank, _RANK.get(reliability.get(src, "F"), len(_RANK))),
                       min(first, src), srcs | {src})
    best = min(stats, key=lambda f: (-stats[f][0], stats[f][1], stats[f][2]))
    return best, sorted(stats[best][3])


def choose_name_forms(records: Iterable[RecordName],
                      reliability: Mapping[int, str] | None = None) -> dict[str, Any]:
    """The display names of one person from their records, by the module's rule (without
    corrections), as ``persons`` columns (:data:`NAME_COLUMNS`; ``*_sources`` JSON).

    ``reliability``: source id → Admiralty grade (A–F; missing counts as F).

    Examples
    --------
    >>> f = choose_name_forms([RecordName(1, "علی رضایی"), RecordName(2, "Ali Rezaei")])
    >>> f["name_latin"], f["name_latin_origin"], f["name_latin_sources"]
    ('Ali Rezaei', 'source', '[2]')
    >>> choose_name_forms([RecordName(1, "علی رضایی")])["name_latin_origin"]
    'machine'
    """
    rel = reliability or {}
    fa: list[tuple[str, int]] = []
    la: list[tuple[str, int]] = []
    ffa: list[tuple[str, int]] = []
    fla: list[tuple[str, int]] = []
    for r in records:
        src = int(r.source_id)
        forms = _written_forms(_text(r.full_name), _text(r.given_names), _text(r.surname))
        if forms.persian:
            fa.append((forms.persian, src))
        if forms.latin:
            la.append((forms.latin, src))
        father = _text(r.father_name)
        if father:
            fp = split_scripts(father)
            if fp.persian:
                ffa.append((normalize_persian(fp.persian), src))
            if fp.latin:
                fla.append((fp.latin, src))
    out: dict[str, Any] = dict.fromkeys(NAME_COLUMNS)
    for col, written in (("name_fa", fa), ("name_latin", la)):
        got = _pick(written, rel)
        if got:
            out[col], srcs = got
            out[f"{col}_origin"], out[f"{col}_sources"] = SOURCE, json.dumps(srcs)
    if out["name_latin"] is None and out["name_fa"]:
        out["name_latin"] = _latin_form(out["name_fa"]) or None
        out["name_latin_origin"] = MACHINE if out["name_latin"] else None
    for col, written in (("father_fa", ffa), ("father_latin", fla)):
        got = _pick(written, rel)
        if got:
            out[col], out[f"{col}_origin"] = got[0], SOURCE
    if out["father_latin"] is None and out["father_fa"]:
        out["father_latin"] = _latin_form(out["father_fa"]) or None
        out["father_latin_origin"] = MACHINE if out["father_latin"] else None
    return out


_LABELS = {
    "en": {SOURCE: "as written", MACHINE: "machine transliteration",
           PERSON: "checked by a person"},
    "fa": {SOURCE: "به همان صورت که نوشته شده", MACHINE: "نویسه‌گردانی ماشینی",
           PERSON: "بازبینی‌شده به دست یک نفر"},
}


def origin_label(origin: str | None, lang: str = "en") -> str:
    """How an origin is shown to people: «as written», «machine transliteration», «checked
    by a person» (``lang`` ``en`` or ``fa``); empty for an unknown origin.

    Examples
    --------
    >>> origin_label("machine"), origin_label("person", "fa")
    ('machine transliteration', 'بازبینی\u200cشده به دست یک نفر')
    """
    return _LABELS.get(lang, _LABELS["en"]).get(origin or "", "")

"""Political affiliations as lists write them, resolved to one id (with a family).

«مجاهدین خلق», «هوادار مجاهدین», «PMOI», «MEK» are one group; «فداییان خلق (اقلیت)» is the
Fadaian minority, whose family is the Fadaian and, above it, the left.  Unresolved values
are returned as such, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dadkhah.names.normalize import normalize_name
from dadkhah.names.rules import read_data_csv

__all__ = ["Affiliation", "affiliation_family", "load_affiliations", "resolve_affiliation"]


@dataclass(frozen=True, slots=True)
class Affiliation:
    id: str
    parent: str | None
    name_en: str
    name_fa: str
    aliases: tuple[str, ...]


def _norm(text: str) -> str:
    t = normalize_name(text).casefold().replace("\u200c", " ")
    return re.sub(r"[\s\-–_.,;:()«»\"']+", " ", t).strip()


@lru_cache(maxsize=1)
def load_affiliations() -> dict[str, Affiliation]:
    out = {}
    for row in read_data_csv("affiliations.csv"):
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        out[row["id"]] = Affiliation(row["id"], row["parent"] or None, row["name_en"],
                                     row["name_fa"], aliases)
    return out


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    pats = []
    for a in load_affiliations().values():
        for alias in (*a.aliases, a.name_en, a.name_fa):
            n = _norm(alias)
            if n:
                pats.append((len(n), re.compile(rf"(?<!\w){re.escape(n)}(?!\w)"), a.id))
    # The most specific (longest) phrase wins: «فداییان اقلیت» before «فداییان».
    pats.sort(key=lambda t: -t[0])
    return [(p, i) for _, p, i in pats]


@lru_cache(maxsize=4096)
def resolve_affiliation(text: str | None) -> str | None:
    """The affiliation id named in ``text``, or None when none is recognised.

    A more specific group mentioned anywhere in the text refines a general one
    («فداییان خلق (اقلیت)» → ``fadaian_minority``).
    """
    if not text or not text.strip():
        return None
    t = _norm(text)
    found = [i for p, i in _patterns() if p.search(t)]
    if not found:
        return None
    # Prefer an id that descends from another one found (minority within Fadaian).
    for i in found:
        if any(affiliation_family(i)[1:] and f in affiliation_family(i)[1:] for f in found):
            return i
    return found[0]


@lru_cache(maxsize=64)
def affiliation_family(aff_id: str) -> tuple[str, ...]:
    """The id and its ancestors, most specific first: fadaian_minority → fadaian → left."""
    table = load_affiliations()
    chain = [aff_id]
    while (parent := table[chain[-1]].parent) is not None:
        chain.append(parent)
    return tuple(chain)

"""The name dictionary (``data/names.csv``): Persian spellings, romanisations, frequencies.

Used for the best-guess vowelled transliteration of known names, for keys of
romanisations the consonant skeleton cannot reach (Hussein, Morteza, Yusuf), and later
for term-frequency weighting in linkage (sharing «Mohammad» says little).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dadkhah.names.normalize import ZWNJ, has_persian, normalize_latin, normalize_persian
from dadkhah.names.rules import read_data_csv

__all__ = ["NameDictionary", "NameEntry", "load_name_dictionary"]


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One row of the dictionary."""

    persian: str  # normalised Persian spelling (ZWNJ inside compounds)
    kind: str  # "given" | "surname"
    sex: str | None  # "m" | "f" | "u" | None
    latin: tuple[str, ...]  # romanisations, preferred first
    frequency: int | None
    rank: int | None
    source: str | None

    @property
    def preferred_latin(self) -> str:
        return self.latin[0] if self.latin else ""


class NameDictionary:
    """Look-ups over the entries: by Persian spelling and by any romanisation.

    A romanisation listed for two names with different Persian spellings is ambiguous
    and is not used as a key shortcut (``by_latin`` leaves it out; ``ambiguous`` lists it).
    """

    def __init__(self, entries: list[NameEntry]) -> None:
        self.entries = tuple(entries)
        self.by_persian: dict[str, list[NameEntry]] = {}
        latin: dict[str, set[str]] = {}
        for e in self.entries:
            self.by_persian.setdefault(_persian_lookup(e.persian), []).append(e)
            for rom in e.latin:
                latin.setdefault(latin_lookup(rom), set()).add(e.persian)
        self.ambiguous = {k for k, v in latin.items() if len(v) > 1}
        self.by_latin = {k: next(iter(v)) for k, v in latin.items() if len(v) == 1}

    def __len__(self) -> int:
        return len(self.entries)

    def persian_for_latin(self, latin: str) -> str | None:
        """The Persian spelling of a known romanisation (any case/diacritics/spacing)."""
        return self.by_latin.get(latin_lookup(latin))

    def lookup(self, name: str) -> list[NameEntry]:
        """Entries for a name written in either script."""
        if has_persian(name):
            return list(self.by_persian.get(_persian_lookup(name), []))
        fa = self.persian_for_latin(name)
        return list(self.by_persian.get(_persian_lookup(fa), [])) if fa else []

    def frequency(self, name: str, kind: str | None = None) -> int | None:
        """Published frequency of a name (either script), or ``None`` where unknown."""
        for e in self.lookup(name):
            if (kind is None or e.kind == kind) and e.frequency is not None:
                return e.frequency
        return None

    def latin_for_persian(self, persian: str) -> str | None:
        """Preferred romanisation of a known Persian name."""
        entries = self.by_persian.get(_persian_lookup(persian))
        return entries[0].preferred_latin if entries else None


def latin_lookup(text: str) -> str:
    """The form romanisations are indexed under: normalised, no spaces."""
    return normalize_latin(text).replace(" ", "")


def _persian_lookup(text: str) -> str:
    return normalize_persian(text).replace(ZWNJ, "").replace(" ", "")


def _int(v: str) -> int | None:
    return int(v) if v else None


@lru_cache(maxsize=1)
def load_name_dictionary() -> NameDictionary:
    """The packaged name dictionary (read once, cached).

    Examples
    --------
    >>> d = load_name_dictionary()
    >>> d.persian_for_latin("Hussein")
    'حسین'
    >>> d.frequency("Fatemeh")
    4440470
    """
    entries = [
        NameEntry(
            persian=normalize_persian(r["persian"]),
            kind=r["kind"],
            sex=r["sex"] or None,
            latin=tuple(x.strip() for x in r["latin"].split("|") if x.strip()),
            frequency=_int(r["frequency"]),
            rank=_int(r["rank"]),
            source=r["source"] or None,
        )
        for r in read_data_csv("names.csv")
    ]
    return NameDictionary(entries)

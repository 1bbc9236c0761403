"""Gazetteer of provinces, cities and 1988 prisons (``data/gazetteer.csv``) and resolution.

A place written any way («Gohardasht», «Rajaei Shahr», «زندان رجایی‌شهر», «Evin Prison,
Tehran») resolves to one id.  Matching is by normalised text, then by the cross-script
name key.  Nothing is guessed: a value that matches no place, or several places of the
kind asked for, comes back unresolved with the reason, and the caller reports it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from dadkhah.names.keys import name_key
from dadkhah.names.misreading import MisreadReader
from dadkhah.names.normalize import (
    ZWNJ,
    detect_script,
    has_persian,
    normalize_latin,
    normalize_persian,
)
from dadkhah.names.rules import read_data_csv
from dadkhah.names.wards import is_ward, ward_prison

__all__ = [
    "EVENTS_YEAR", "Gazetteer", "Place", "PlaceMatch", "load_gazetteer", "province_in",
    "resolve_place",
]

EVENTS_YEAR = 1988
"""The year of the events of the first case (the 1988 mass executions): strata by place
use the divisions in force then unless today's are asked for."""

KINDS = ("prison", "city", "province")
GENERATED_SOURCES = ("OSM", "GAP")
"""Source codes of the rows ``scripts/build_gazetteer.py`` generates (county seats)."""

# Generic words dropped before matching; their presence hints at the kind.
_GENERIC = {
    "prison": "prison", "jail": "prison", "gaol": "prison", "zendan": "prison",
    "زندان": "prison", "central": None, "markazi": None, "مرکزی": None, "detention": "prison",
    "centre": None, "center": None, "بازداشتگاه": "prison", "gefangnis": "prison",
    "de": None, "of": None, "the": None, "in": None, "در": None, "city": "city", "e": None,
    "ye": None, "ostan": "province", "استان": "province", "province": "province",
    "شهرستان": "city",
}
_SPLIT = re.compile(r"\s*(?:,|،|;|؛|/|\(|\)|\s-\s|\s–\s)\s*")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry."""

    id: str
    kind: str
    name_en: str
    name_fa: str
    parent: str | None
    aliases: tuple[str, ...]
    note: str
    source: str

    @property
    def generated(self) -> bool:
        """True for a row generated from open data (the county seats from OpenStreetMap,
        ``scripts/build_gazetteer.py``), False for a curated row (provinces, main cities,
        prisons): the simulator draws its places from the curated rows only, so adding
        county seats leaves every simulated scenario as it was."""
        return self.source.split("|")[0] in GENERATED_SOURCES


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """Result of resolving a place value: ``place`` is None when unresolved."""

    text: str
    place: Place | None
    method: str | None = None  # "exact" | "key" | "respelled" | "parts" | "misread" | "ward"
    problem: str | None = None
    candidates: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str | None:
        return self.place.id if self.place else None

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "id": self.id,
            "name_en": self.place.name_en if self.place else None,
            "name_fa": self.place.name_fa if self.place else None,
            "kind": self.place.kind if self.place else None,
            "method": self.method,
            "problem": self.problem,
            "candidates": list(self.candidates),
        }


# French elided article before a place name («prison d'Evin», «l'Ispahan»): Latin
# normalisation drops apostrophes, which would glue it to the name («devin»).
_ELISION = re.compile(r"(?i)(?<![^\W\d_])[dl]['’ʼ](?=[^\W\d_])")


def _strip_generic(text: str) -> tuple[str, str | None]:
    text = _ELISION.sub(" ", text)
    script = detect_script(text)
    norm = normalize_persian(text) if script == "persian" else normalize_latin(text)
    hint = None
    words = []
    for w in norm.split(" "):
        lw = w.replace(ZWNJ, "")
        if lw in _GENERIC:
            hint = hint or _GENERIC[lw]
            continue
        words.append(w)
    if not words:  # «Markazi» (the province) is only a generic word: keep it
        return norm, None
    return " ".join(words), hint


_MAX_RESPELT = 5


def _respellings(core: str) -> Iterator[tuple[int, str]]:
    """Readings of a Latin place name in the press's spelling, with how many letters each
    changes: the short i and u of Arabic-style and ALA-LC lists read e and o («Tihran»,
    «Kirmanshah», «Qizil Hisar», «Bushihr»), a final -ah as -eh («Maraghah»), and the
    French ch as sh («Racht», «Mechhed»).  A long vowel cannot be told from a short one
    once diacritics are dropped, so every choice is offered; the caller keeps a reading
    only when it is a place's name or alias letter for letter (matched by the looser name
    key, «Mosul» read «Mosol» was the town of Masal) and the fewest changes that name a
    place name only one."""
    spots: list[tuple[tuple[int, int, str], ...]] = []
    k = 0
    while k < len(core):
        c = core[k]
        prev = core[k - 1] if k else " "
        if core.startswith("ch", k):
            spots.append(((k, 2, "ch"), (k, 2, "sh")))
            k += 2
            continue
        if c in "iu" and prev not in "aeiou" and k + 1 < len(core) and core[k + 1] not in "aeiou":
            spots.append(((k, 1, c), (k, 1, "e" if c == "i" else "o")))
        elif c == "a" and core.startswith("ah", k) and (k + 2 == len(core) or core[k + 2] == " ") \
                and k > 1:
            spots.append(((k, 1, "a"), (k, 1, "e")))
        k += 1
    if not spots or len(spots) > _MAX_RESPELT:
        return
    for combo in itertools.product(*spots):
        changed = sum(1 for (i, n, new) in combo if core[i:i + n] != new)
        if not changed:
            continue
        out, last = [], 0
        for i, n, new in combo:
            out.append(core[last:i] + new)
            last = i + n
        out.append(core[last:])
        yield changed, "".join(out)


def _exact(text: str) -> str:
    return normalize_latin(normalize_persian(text)).replace(ZWNJ, "").replace(" ", "")


class Gazetteer:
    """Places by id, and resolution of free text to a place."""

    def __init__(self, places: list[Place],
                 other_names: dict[str, tuple[str, ...]] | None = None) -> None:
        """*other_names*: place id → names that also resolve to it without being spellings
        of its own name (a city's name for its central prison, an older name:
        ``place_names.csv``)."""
        self.places = {p.id: p for p in places}
        self._exact: dict[str, dict[str, set[str]]] = {k: {} for k in KINDS}
        self._key: dict[str, dict[str, set[str]]] = {k: {} for k in KINDS}
        other_names = other_names or {}
        self._other_names = other_names
        self._reader: MisreadReader | None = None
        for pid in other_names:
            if pid not in self.places:
                raise ValueError(f"gazetteer: names given for {pid!r}, which is not a place")
        for p in places:
            for name in (p.name_en, p.name_fa, *p.aliases, *other_names.get(p.id, ())):
                core, _ = _strip_generic(name)
                if not core:
                    continue
                self._exact[p.kind].setdefault(_exact(core), set()).add(p.id)
                k = name_key(core)
                if len(k) >= 2:  # one-letter keys match too much
                    self._key[p.kind].setdefault(k, set()).add(p.id)

    def __len__(self) -> int:
        return len(self.places)

    def __getitem__(self, place_id: str) -> Place:
        return self.places[place_id]

    def ancestor(self, place_id: str, kind: str) -> Place | None:
        """The containing place of *kind* (a prison's city, a city's province)."""
        p = self.places.get(place_id)
        while p is not None:
            if p.kind == kind:
                return p
            p = self.places.get(p.parent) if p.parent else None
        return None

    def province_in(self, place_id: str | None, year: int | None = EVENTS_YEAR) -> str | None:
        """The id of the province that held *place_id* in *year* (``None``: today's).

        Provinces created after *year* (``data/province_splits.csv``, the gazetteer's split
        records) are folded back into the province they were split from, as often as needed.
        A place in no province, or an unknown id, gives ``None``.

        Examples
        --------
        >>> g = load_gazetteer()
        >>> g.province_in("city:karaj"), g.province_in("city:karaj", year=None)
        ('prov:tehran', 'prov:alborz')
        >>> g.province_in("city:qazvin"), g.province_in("city:qazvin", year=2000)
        ('prov:zanjan', 'prov:qazvin')
        """
        if not place_id:
            return None
        prov = self.ancestor(place_id, "province")
        if prov is None:
            return None
        pid = prov.id
        if year is None:
            return pid
        splits = _province_splits()
        while pid in splits and splits[pid][1] > year:
            pid = splits[pid][0]
        return pid

    def region_1988(self, place_id: str | None) -> str | None:
        """The province a place belonged to in 1988 (provinces split off later, as the
        gazetteer's notes record, are folded back into the province they came from): the
        region within which lists of that time confuse prisons and towns."""
        return self.province_in(place_id, 1988)

    def _lookup(self, core: str, kinds: tuple[str, ...],
                hinted: bool = False) -> tuple[set[str], str | None]:
        """Places *core* names, the first of *kinds* that has any, and how it was found.
        *hinted*: the first kind was asked for or named in the text («prison»), so a
        respelled reading of that kind is taken over readings of other kinds."""
        ex = _exact(core)
        for method, index, probe in (("exact", self._exact, ex), ("key", self._key, None)):
            if probe is None:
                probe = name_key(core)
                if len(probe) < 2:
                    continue
            for kind in kinds:
                ids = index[kind].get(probe)
                if ids:
                    return ids, method
        if detect_script(core) != "latin":
            return set(), None
        found: dict[int, dict[str, set[str]]] = {}
        for changed, text in _respellings(core):
            for kind in kinds:
                ids = self._exact[kind].get(_exact(text))
                if ids:
                    found.setdefault(changed, {}).setdefault(kind, set()).update(ids)
                    break
        if found:
            fewest = found[min(found)]
            if hinted and kinds[0] in fewest:  # «prison d'Ivin»: the prison
                return fewest[kinds[0]], "respelled"
            # else a guess names one place or none
            return set().union(*fewest.values()), "respelled"
        return set(), None

    def resolve(self, text: str | None, kind: str | None = None) -> PlaceMatch:
        """Resolve *text* to a place; *kind* restricts to ``prison``/``city``/``province``.

        Examples
        --------
        >>> g = load_gazetteer()
        >>> g.resolve("Rajaei Shahr").id, g.resolve("زندان گوهردشت").id
        ('prison:gohardasht', 'prison:gohardasht')
        >>> g.resolve("Tehran", kind="prison").problem
        'names a city (city:tehran), not a prison'
        """
        if text is None or not text.strip():
            return PlaceMatch(text or "", None, problem="empty")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        match = self._resolve_as_written(text, kind)
        if match.place is None and has_persian(text):
            # «زنداپ سثندج», «اویب»: dots lost or moved by a machine reading of the page
            repaired = self._misread_reader().read(text)
            if repaired != text:
                again = self._resolve_as_written(repaired, kind)
                if again.place is not None:
                    return PlaceMatch(text, again.place, "misread")
        if match.place is None and kind in (None, "prison"):
            # «بند ۲۰۹», «فرعی ۲»: a ward that only one prison had gives that prison
            pid = ward_prison(text)
            if pid is not None:
                return PlaceMatch(text, self.places[pid], "ward")
            if is_ward(text):
                return PlaceMatch(text, None, problem="a ward that names no one prison "
                                  "(kept as written)")
        return match

    def _misread_reader(self) -> MisreadReader:
        """Re-reads Persian words of a place value against the words of the gazetteer's
        Persian names and the generic words («زندان»)."""
        if self._reader is None:
            words = [w for p in self.places.values()
                     for name in (p.name_fa, *p.aliases, *self._other_names.get(p.id, ()))
                     for w in (name or "").split()]
            self._reader = MisreadReader([*words, *_GENERIC])
        return self._reader

    def _resolve_as_written(self, text: str, kind: str | None) -> PlaceMatch:
        match = self._resolve_whole(text, kind)
        if match.place is not None:
            return match
        if _SPLIT.search(text):
            splits = [[p for p in _SPLIT.split(text) if p and p.strip()]]
        else:
            # "Adelabad Shiraz": try each cut into two groups of words
            words = text.split()
            splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
        resolved: list[PlaceMatch] = []
        for parts in splits:
            found = self._settle(parts, [self._resolve_whole(p, None) for p in parts])
            if all(m.place is not None for m in found):
                resolved = found
                break
            if not _SPLIT.search(text):
                continue
            several = [m for m in found if m.place is None and len(m.candidates) > 1]
            if several:  # «Nurabad, Iran»: a coarser part must not stand in for it
                return PlaceMatch(text, None, problem=f"{several[0].text!r} matches several "
                                  "places", candidates=several[0].candidates)
            resolved = [m for m in found if m.place is not None]
        if not resolved:
            return match
        order = {k: i for i, k in enumerate(KINDS)}
        # the part of the kind asked for first: a town column's «Tehran (Evin)» is Tehran,
        # its prison in brackets (the town holds it); else the most specific part
        resolved.sort(key=lambda m: (m.place.kind != kind,  # type: ignore[union-attr]
                                     order[m.place.kind]))  # type: ignore[union-attr]
        best = resolved[0]
        assert best.place is not None
        if kind is not None and best.place.kind != kind:
            return PlaceMatch(
                text, None, problem=f"no {kind} in the value (found {best.place.id})",
                candidates=tuple(m.id for m in resolved if m.id),
            )
        for other in resolved[1:]:
            assert other.place is not None
            if self.ancestor(best.place.id, other.place.kind) is not other.place and \
                    self.ancestor(other.place.id, best.place.kind) is not best.place:
                return PlaceMatch(
                    text, None, problem="parts name places that do not contain each other",
                    candidates=tuple(m.id for m in resolved if m.id),
                )
        return PlaceMatch(text, best.place, "parts")

    def _settle(self, parts: list[str], found: list[PlaceMatch]) -> list[PlaceMatch]:
        """A part naming several places («Ardakan») is settled by another part naming the
        city or province that holds exactly one of them («Ardakan, Yazd»: the Ardakan in Yazd
        province; «Yazd» there is read as the province)."""
        for i, m in enumerate(found):
            if m.place is not None or len(m.candidates) < 2:
                continue
            keep: dict[str, tuple[int, Place]] = {}
            for cand in m.candidates:
                for j, other in enumerate(parts):
                    if j == i:
                        continue
                    for kind in ("city", "province"):
                        anc = self.ancestor(cand, kind)
                        if anc is not None and anc.id != cand and \
                                self._resolve_whole(other, kind).id == anc.id:
                            keep.setdefault(cand, (j, anc))
            if len(keep) == 1:
                (cand, (j, anc)), = keep.items()
                found[i] = PlaceMatch(parts[i], self.places[cand], "parts")
                found[j] = PlaceMatch(parts[j], anc, "parts")
        return found

    def _resolve_whole(self, text: str, kind: str | None) -> PlaceMatch:
        core, hint = _strip_generic(text)
        if not core:
            return PlaceMatch(text, None, problem="only generic words")
        if kind is not None:
            kinds: tuple[str, ...] = (kind,)
        elif hint is not None:
            kinds = (hint, *(k for k in KINDS if k != hint))
        else:
            kinds = ("city", "province", "prison")
        ids, method = self._lookup(core, kinds, hinted=kind is not None or hint is not None)
        if not ids and kind is not None:
            other, _ = self._lookup(core, tuple(k for k in KINDS if k != kind))
            if len(other) == 1:
                pid = next(iter(other))
                return PlaceMatch(
                    text, None, problem=f"names a {self.places[pid].kind} ({pid}), not a {kind}",
                    candidates=(pid,),
                )
        if not ids:
            return PlaceMatch(text, None, problem="not in the gazetteer")
        if len(ids) > 1:
            return PlaceMatch(
                text, None, problem="matches several places", candidates=tuple(sorted(ids))
            )
        return PlaceMatch(text, self.places[next(iter(ids))], method)


@lru_cache(maxsize=1)
def _province_splits() -> dict[str, tuple[str, int]]:
    """Newer province id → (the province it was split from, the year it was created)."""
    return {r["province"]: (r["from"], int(r["year"]))
            for r in read_data_csv("province_splits.csv")}


def province_in(place_id: str | None, year: int | None = EVENTS_YEAR) -> str | None:
    """The province that held a place in *year* (default 1988; ``None``: today's division),
    on the packaged gazetteer: see :meth:`Gazetteer.province_in`.

    Examples
    --------
    >>> province_in("city:mashhad"), province_in("city:mashhad", year=None)
    ('prov:khorasan', 'prov:razavi_khorasan')
    >>> province_in("prison:evin")
    'prov:tehran'
    """
    return load_gazetteer().province_in(place_id, year)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (read once, cached)."""
    places = [
        Place(
            id=r["id"],
            kind=r["kind"],
            name_en=r["name_en"],
            name_fa=normalize_persian(r["name_fa"]),
            parent=r["parent"] or None,
            aliases=tuple(a.strip() for a in r["aliases"].split("|") if a.strip()),
            note=r["note"],
            source=r["source"],
        )
        for r in read_data_csv("gazetteer.csv")
    ]
    other: dict[str, tuple[str, ...]] = {}
    for r in read_data_csv("place_names.csv"):
        names = tuple(n.strip() for n in r["names"].split("|") if n.strip())
        other[r["place"]] = other.get(r["place"], ()) + names
    return Gazetteer(places, other)


@lru_cache(maxsize=100_000)
def resolve_place(text: str, kind: str | None = None) -> PlaceMatch:
    """:meth:`Gazetteer.resolve` on the packaged gazetteer (cached)."""
    return load_gazetteer().resolve(text, kind)

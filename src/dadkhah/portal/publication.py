"""What the public portal may show: persons marked public, as memorial entries.

The one rule: **only persons marked public ever leave the store**, and of them only the
public fields.  :class:`MemorialEntry` is the whole of what the portal knows about a person —
names in both scripts, dates, places and the titles of the sources that name them — so a
page or an API response built from it cannot show a raw row, a note, a father's name or a
submitter's contact, because it never has them.

A mark belongs to a person id of the register.  When a relink merges or splits a published
person, the old id is no longer active and so no longer public; the new person is shown
only once somebody publishes it (nothing becomes public by accident).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from dadkhah.access import require
from dadkhah.errors import NotFound
from dadkhah.names import jalali_of
from dadkhah.register import person_match
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import Person, PersonRecord, PublishedPerson, Source, SourceRecord


@dataclass(frozen=True)
class PublicPlace:
    id: str
    name_en: str
    name_fa: str


@dataclass(frozen=True)
class PublicDate:
    """A date known to lie in [earliest, latest], in both calendars."""

    earliest: str  # ISO Gregorian
    latest: str
    gregorian: str  # "1988-08-01" or "1988-08-01 … 1988-08-31"
    jalali: str  # "1367/05/10" or "1367/05/10 … 1367/06/09"


@dataclass(frozen=True)
class MemorialEntry:
    """Everything the public portal may show about one person, and nothing more."""

    person_id: int
    name_fa: str | None
    name_latin: str | None
    birth_year: str | None  # "1962" or "1960–1963"
    death: PublicDate | None
    prison: PublicPlace | None
    city: PublicPlace | None
    sources: tuple[str, ...]  # titles of the sources that name the person
    synthetic: bool  # every source behind the entry is SYNTHETIC

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        name = " / ".join(n for n in (self.name_fa, self.name_latin) if n)
        tag = " [SYNTHETIC]" if self.synthetic else ""
        death = f", died {self.death.gregorian} ({self.death.jalali})" if self.death else ""
        return f"{self.person_id}: {name}{death}{tag}"


@dataclass(frozen=True)
class PublicationReport:
    """What a publish or unpublish did."""

    action: str  # publish | unpublish
    changed: tuple[int, ...]
    unchanged: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        verb = "published" if self.action == "publish" else "withdrawn from the portal"
        return (f"{len(self.changed):,} person(s) {verb}; {len(self.unchanged):,} already "
                f"{'public' if self.action == 'publish' else 'not public'}.")


def _public_ids() -> Any:
    """The ids the portal may show: marked public AND an active person of the register."""
    return (select(PublishedPerson.person_id)
            .join(Person, Person.id == PublishedPerson.person_id)
            .where(Person.status == "active"))


def publish(case: Case, person_ids: Iterable[int], *, by: str,
            role: str | None) -> PublicationReport:
    """Mark persons public (all or none: an id that is not an active person refuses all)."""
    require(role, "publish", what="persons on the public portal")
    ids = sorted({int(i) for i in person_ids})
    with case.write() as conn:
        active = set(conn.execute(select(Person.id).where(
            Person.id.in_(ids), Person.status == "active")).scalars()) if ids else set()
        missing = [i for i in ids if i not in active]
        if missing:
            raise NotFound(
                f"{len(missing)} id(s) are not active persons of the register: "
                + ", ".join(map(str, missing[:10])) + ("…" if len(missing) > 10 else "") + ".",
                hint="Nothing was published. Check the ids with: dadkhah persons list "
                     "(merged or split persons have new ids).")
        already = set(conn.execute(select(PublishedPerson.person_id).where(
            PublishedPerson.person_id.in_(ids))).scalars()) if ids else set()
        new = [i for i in ids if i not in already]
        at = now_utc()
        if new:
            conn.execute(insert(PublishedPerson), [
                {"person_id": i, "published_at": at, "published_by": by} for i in new])
            append(conn, by=by, action="publish", target="persons",
                   details={"person_ids": new})
    return PublicationReport("publish", tuple(new), tuple(sorted(already)))


def synthetic_person_ids(case: Case) -> list[int]:
    """Active persons named only by SYNTHETIC sources (what the demo may publish)."""
    with case.read() as conn:
        real = (select(PersonRecord.person_id)
                .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
                .join(Source, Source.id == SourceRecord.source_id)
                .where(Source.synthetic.is_(False)))
        return list(conn.execute(select(Person.id).where(
            Person.status == "active", Person.id.not_in(real)).order_by(Person.id)).scalars())


def unpublish(case: Case, person_ids: Iterable[int], *, by: str,
              role: str | None) -> PublicationReport:
    """Withdraw persons from the portal (their register entries are untouched)."""
    require(role, "publish", what="persons on the public portal")
    ids = sorted({int(i) for i in person_ids})
    with case.write() as conn:
        marked = set(conn.execute(select(PublishedPerson.person_id).where(
            PublishedPerson.person_id.in_(ids))).scalars()) if ids else set()
        gone = [i for i in ids if i in marked]
        if gone:
            conn.execute(delete(PublishedPerson).where(PublishedPerson.person_id.in_(gone)))
            append(conn, by=by, action="unpublish", target="persons",
                   details={"person_ids": gone})
    return PublicationReport("unpublish", tuple(gone),
                             tuple(i for i in ids if i not in marked))


# -- the memorial: read only, public data only ---------------------------------------------
def _place(place_id: str | None) -> PublicPlace | None:
    from dadkhah.names import load_gazetteer

    if not place_id:
        return None
    try:
        p = load_gazetteer()[place_id]
    except KeyError:
        return None
    return PublicPlace(p.id, p.name_en, p.name_fa)


def _date(lo: str | None, hi: str | None) -> PublicDate | None:
    if not lo or not hi:
        return None
    ja, jb = jalali_of(lo, persian=False), jalali_of(hi, persian=False)
    return PublicDate(lo, hi, lo if lo == hi else f"{lo} … {hi}",
                      ja if ja == jb else f"{ja} … {jb}")


def _entries(conn: Connection, rows: Sequence[Any]) -> list[MemorialEntry]:
    titles = {r.id: (r.title, r.synthetic)
              for r in conn.execute(select(Source.id, Source.title, Source.synthetic))}
    out = []
    for r in rows:
        srcs = [titles[s] for s in json.loads(r.sources) if s in titles]
        lo, hi = r.birth_year_lo, r.birth_year_hi
        birth = None if lo is None else (str(lo) if lo == hi or hi is None else f"{lo}–{hi}")
        out.append(MemorialEntry(
            person_id=r.id, name_fa=r.name_fa, name_latin=r.name_latin, birth_year=birth,
            death=_date(r.death_earliest, r.death_latest), prison=_place(r.prison_id),
            city=_place(r.city_id), sources=tuple(t for t, _ in srcs),
            synthetic=bool(srcs) and all(s for _, s in srcs)))
    return out


_COLUMNS = (Person.id, Person.name_fa, Person.name_latin, Person.birth_year_lo,
            Person.birth_year_hi, Person.death_earliest, Person.death_latest, Person.prison_id,
            Person.city_id, Person.sources)


def memorial_entry(case: Case, person_id: int) -> MemorialEntry:
    """The memorial entry of a public person; an unpublished or unknown id is not found
    (the same answer for both, so the portal does not tell which ids exist)."""
    with case.read() as conn:
        rows = conn.execute(select(*_COLUMNS).where(Person.id == person_id,
                                                    Person.id.in_(_public_ids()))).all()
        if not rows:
            raise NotFound(f"No memorial entry {person_id}.",
                           hint="Search the memorial by name.")
        return _entries(conn, rows)[0]


def memorial_entries(case: Case, *, limit: int = 50, offset: int = 0
                     ) -> tuple[list[MemorialEntry], int]:
    """Public persons in id order, and how many there are."""
    with case.read() as conn:
        total = conn.execute(select(func.count()).select_from(_public_ids().subquery())
                             ).scalar_one()
        rows = conn.execute(select(*_COLUMNS).where(Person.id.in_(_public_ids()))
                            .order_by(Person.id).limit(limit).offset(offset)).all()
        return _entries(conn, rows), int(total)


def search_memorial(case: Case, query: str, *, limit: int = 50) -> list[MemorialEntry]:
    """Public persons whose name matches ``query`` in either script.

    The register's one search (:func:`dadkhah.register.person_match`), restricted to the
    published persons: a name typed in Latin letters finds the Persian spelling and the other
    way round, through the cross-script keys of the records behind each person (full name,
    given name or surname), and a part of a display name matches as text, Arabic letter
    forms folded.  Only names are searched: never notes or raw rows, which are not public.
    """
    query = (query or "").strip()[:200]
    if not query:
        return []
    with case.read() as conn:
        rows = conn.execute(select(*_COLUMNS)
                            .where(Person.id.in_(_public_ids()), person_match(query))
                            .order_by(Person.id).limit(limit)).all()
        return _entries(conn, rows)


def is_public(case: Case, person_id: int) -> bool:
    """True when the person is published on the memorial portal."""
    with case.read() as conn:
        return conn.execute(select(func.count()).where(
            Person.id == person_id, Person.id.in_(_public_ids()))).scalar_one() > 0

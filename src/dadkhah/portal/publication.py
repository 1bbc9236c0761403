"""What the public portal may show: persons marked public, as memorial entries.

The one rule: **only persons marked public ever leave the store**, and of them only the
public fields.  :class:`MemorialEntry` is the whole of what the portal knows about a person —
names in both scripts, dates, places and the titles of the sources that name them — so a
page or an API response built from it cannot show a raw row, a note, a father's name or a
submitter's contact, because it never has them.

A mark belongs to a person id of the register and holds a snapshot of what was published:
the public fields and the source records behind them at that moment.  The memorial shows the
snapshot and its search matches names through those records only, so a relink that links a
new (perhaps confidential) source's record to a published person changes the register, never
the memorial: its title, spelling and dates appear only when somebody publishes the person
again, which refreshes the snapshot.  When a relink merges or splits a published person, the
old id is no longer active and so no longer public; the new person is shown only once
somebody publishes it (nothing becomes public by accident).

**Restricted records** (issue 16) never reach the portal: a snapshot is taken from the
person's unrestricted records only (:data:`dadkhah.access.NOBODY`'s view), and when a record
a snapshot covers is restricted later, the memorial shows the entry as its other published
records describe it (or not at all), and finds it by their names only, at once, whatever
a relink did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from dadkhah.access import NOBODY, require
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.names import jalali_of
from dadkhah.register import name_text_match, name_text_matches, query_keys
from dadkhah.register.restricted import summarise_records
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.restrict import any_restrictions, hidden_records_select
from dadkhah.store.tables import (
    Person,
    PersonRecord,
    PublishedPerson,
    PublishedRecord,
    Source,
    SourceRecord,
)


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
    """Everything the public portal may show about one person, and nothing more.

    ``name_fa_origin`` / ``name_latin_origin``: where each published name came from —
    ``source`` (as written by the sources titled in ``name_*_written_by``), ``machine``
    (a machine transliteration: no source wrote the name in Latin letters) or ``person``
    (checked and corrected by a team member); the memorial shows it beside the name."""

    person_id: int
    name_fa: str | None
    name_latin: str | None
    birth_year: str | None  # "1962" or "1960–1963"
    death: PublicDate | None
    prison: PublicPlace | None
    city: PublicPlace | None
    sources: tuple[str, ...]  # titles of the sources that name the person
    synthetic: bool  # every source behind the entry is SYNTHETIC
    name_fa_origin: str | None = None
    name_latin_origin: str | None = None
    name_fa_written_by: tuple[str, ...] = ()  # titles of the sources that wrote name_fa
    name_latin_written_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        latin = self.name_latin
        if latin and self.name_latin_origin == "machine":
            latin += " (machine transliteration)"
        elif latin and self.name_latin_origin == "person":
            latin += " (checked by a person)"
        name = " / ".join(n for n in (self.name_fa, latin) if n)
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


_SNAPSHOT = ("name_fa", "name_latin", "name_fa_origin", "name_latin_origin", "name_fa_sources",
             "name_latin_sources", "birth_year_lo", "birth_year_hi", "death_earliest",
             "death_latest", "prison_id", "city_id", "sources")


def _snapshot(conn: Connection, ids: list[int],
              records: dict[int, set[int]]) -> dict[int, dict[str, Any]]:
    """The public fields of active persons as the register holds them now; for a person
    with a restricted record, as its unrestricted ``records`` alone give them."""
    cols = [getattr(Person, c) for c in _SNAPSHOT]
    out = {r.id: {c: getattr(r, c) for c in _SNAPSHOT}
           for r in conn.execute(select(Person.id, *cols).where(Person.id.in_(ids)))}
    if any_restrictions(conn):
        restricted = set(conn.execute(select(PersonRecord.person_id).distinct().where(
            PersonRecord.person_id.in_(ids),
            PersonRecord.record_id.in_(hidden_records_select(NOBODY)))).scalars())
        for pid in restricted:
            view = summarise_records(conn, records[pid])
            out[pid] = {c: view[c] for c in _SNAPSHOT}
    return out


def _records_of(conn: Connection, ids: list[int]) -> dict[int, set[int]]:
    """Each person's records that may be public (restricted records never are)."""
    out: dict[int, set[int]] = {i: set() for i in ids}
    for pid, rid in conn.execute(select(PersonRecord.person_id, PersonRecord.record_id)
                                 .where(PersonRecord.person_id.in_(ids),
                                        PersonRecord.record_id.not_in(
                                            hidden_records_select(NOBODY)))):
        out[pid].add(rid)
    return out


def publish(case: Case, person_ids: Iterable[int], *, by: str,
            role: str | None) -> PublicationReport:
    """Mark persons public (all or none: an id that is not an active person refuses all).

    Each mark holds a snapshot of the person's public fields and records, which is what the
    memorial shows.  Publishing a person already public refreshes its snapshot (after a
    relink has linked more records to it); the person is still reported as unchanged."""
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
        records = _records_of(conn, ids)
        only_restricted = [i for i in ids if not records[i]]
        if only_restricted:
            raise InvalidInput(
                f"{len(only_restricted)} person(s) are named only by restricted records, "
                "which never become public: " + ", ".join(map(str, only_restricted[:10]))
                + ".", hint="Nothing was published. Leave them out, or lift the "
                            "restriction first (dadkhah restrict remove).")
        already = set(conn.execute(select(PublishedPerson.person_id).where(
            PublishedPerson.person_id.in_(ids))).scalars()) if ids else set()
        new = [i for i in ids if i not in already]
        at = now_utc()
        snap = _snapshot(conn, ids, records)
        if new:
            conn.execute(insert(PublishedPerson), [
                {"person_id": i, "published_at": at, "published_by": by, **snap[i]}
                for i in new])
            conn.execute(insert(PublishedRecord), [
                {"person_id": i, "record_id": r} for i in new for r in sorted(records[i])])
            append(conn, by=by, action="publish", target="persons",
                   details={"person_ids": new})
        stale = _stale(conn, sorted(already), snap, records)
        if stale:
            for i in stale:
                conn.execute(update(PublishedPerson).where(PublishedPerson.person_id == i)
                             .values(published_at=at, published_by=by, **snap[i]))
                conn.execute(delete(PublishedRecord).where(PublishedRecord.person_id == i))
            conn.execute(insert(PublishedRecord), [
                {"person_id": i, "record_id": r} for i in stale for r in sorted(records[i])])
            append(conn, by=by, action="publish", target="persons",
                   details={"person_ids": stale, "refreshed": True})
    return PublicationReport("publish", tuple(new), tuple(sorted(already)))


def _stale(conn: Connection, ids: list[int], snap: dict[int, dict[str, Any]],
           records: dict[int, set[int]]) -> list[int]:
    """The published ids whose snapshot differs from the register now."""
    if not ids:
        return []
    cols = [getattr(PublishedPerson, c) for c in _SNAPSHOT]
    held = {r.person_id: {c: getattr(r, c) for c in _SNAPSHOT} for r in conn.execute(
        select(PublishedPerson.person_id, *cols).where(PublishedPerson.person_id.in_(ids)))}
    held_records: dict[int, set[int]] = {i: set() for i in ids}
    for pid, rid in conn.execute(select(PublishedRecord.person_id, PublishedRecord.record_id)
                                 .where(PublishedRecord.person_id.in_(ids))):
        held_records[pid].add(rid)
    return [i for i in ids if held[i] != snap[i] or held_records[i] != records[i]]


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
            conn.execute(delete(PublishedRecord).where(PublishedRecord.person_id.in_(gone)))
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


def _restricted_since(conn: Connection) -> dict[int, list[int]]:
    """Published person → its published records that are not restricted, for each entry
    whose snapshot covers a record restricted since it was published (empty when the case
    restricts nothing)."""
    if not any_restrictions(conn):
        return {}
    hid = hidden_records_select(NOBODY)
    affected = set(conn.execute(select(PublishedRecord.person_id).distinct()
                                .where(PublishedRecord.record_id.in_(hid))).scalars())
    out: dict[int, list[int]] = {int(i): [] for i in affected}
    if affected:
        for pid, rid in conn.execute(select(PublishedRecord.person_id,
                                            PublishedRecord.record_id)
                                     .where(PublishedRecord.person_id.in_(affected),
                                            PublishedRecord.record_id.not_in(hid))):
            out[int(pid)].append(int(rid))
    return out


def _public_rows(conn: Connection, rows: Sequence[Any],
                 since: dict[int, list[int]] | None = None) -> list[Any]:
    """The snapshot rows with every entry that covers a now restricted record replaced by
    what its other published records give (left out when none is left)."""
    since = _restricted_since(conn) if since is None else since
    if not since:
        return list(rows)
    out: list[Any] = []
    for r in rows:
        if r.person_id not in since:
            out.append(r)
        elif since[r.person_id]:
            view = summarise_records(conn, since[r.person_id])
            row = vars(r) if isinstance(r, SimpleNamespace) else r._asdict()
            out.append(SimpleNamespace(**{**row, **{c: view[c] for c in _SNAPSHOT}}))
    return out


def _entries(conn: Connection, rows: Sequence[Any]) -> list[MemorialEntry]:
    rows = _public_rows(conn, rows)
    titles = {r.id: (r.title, r.synthetic)
              for r in conn.execute(select(Source.id, Source.title, Source.synthetic))}
    out = []
    for r in rows:
        srcs = [titles[s] for s in json.loads(r.sources or "[]") if s in titles]
        lo, hi = r.birth_year_lo, r.birth_year_hi
        birth = None if lo is None else (str(lo) if lo == hi or hi is None else f"{lo}–{hi}")
        public = set(json.loads(r.sources or "[]"))  # only sources the snapshot names

        def written_by(col: str | None, public: set[int] = public) -> tuple[str, ...]:
            return tuple(titles[s][0] for s in json.loads(col or "[]")
                         if s in titles and s in public)
        out.append(MemorialEntry(
            person_id=r.person_id, name_fa=r.name_fa, name_latin=r.name_latin, birth_year=birth,
            death=_date(r.death_earliest, r.death_latest), prison=_place(r.prison_id),
            city=_place(r.city_id), sources=tuple(t for t, _ in srcs),
            synthetic=bool(srcs) and all(s for _, s in srcs),
            name_fa_origin=r.name_fa_origin, name_latin_origin=r.name_latin_origin,
            name_fa_written_by=written_by(r.name_fa_sources),
            name_latin_written_by=written_by(r.name_latin_sources)))
    return out


# The memorial reads the publication snapshot, never the register's current best data.
_COLUMNS = (PublishedPerson.person_id, PublishedPerson.name_fa, PublishedPerson.name_latin,
            PublishedPerson.name_fa_origin, PublishedPerson.name_latin_origin,
            PublishedPerson.name_fa_sources, PublishedPerson.name_latin_sources,
            PublishedPerson.birth_year_lo, PublishedPerson.birth_year_hi,
            PublishedPerson.death_earliest, PublishedPerson.death_latest,
            PublishedPerson.prison_id, PublishedPerson.city_id, PublishedPerson.sources)


def _published_match(query: str, since: dict[int, list[int]]) -> Any:
    """:func:`dadkhah.register.person_match` over the snapshot: a key of a record the
    publication covers (never a restricted one), or the query inside the published name
    (not for the entries ``since`` names: their published name may come from a record
    restricted since; :func:`search_memorial` matches their names in Python)."""
    conds = [and_(PublishedPerson.person_id.not_in(list(since)), or_(*name_text_match(
        query, table=PublishedPerson.__table__)))]
    keys = query_keys(query)
    if keys:
        conds.append(PublishedPerson.person_id.in_(
            select(PublishedRecord.person_id)
            .join(SourceRecord, SourceRecord.id == PublishedRecord.record_id)
            .where(or_(SourceRecord.name_key.in_(keys), SourceRecord.given_key.in_(keys),
                       SourceRecord.surname_key.in_(keys)),
                   SourceRecord.id.not_in(hidden_records_select(NOBODY)))))
    return or_(*conds)


def memorial_entry(case: Case, person_id: int) -> MemorialEntry:
    """The memorial entry of a public person; an unpublished or unknown id is not found
    (the same answer for both, so the portal does not tell which ids exist)."""
    with case.read() as conn:
        rows = conn.execute(select(*_COLUMNS).where(
            PublishedPerson.person_id == person_id,
            PublishedPerson.person_id.in_(_public_ids()))).all()
        entries = _entries(conn, rows)
        if not entries:  # unpublished, unknown, or named only by restricted records now
            raise NotFound(f"No memorial entry {person_id}.",
                           hint="Search the memorial by name.")
        return entries[0]


def memorial_entries(case: Case, *, limit: int = 50, offset: int = 0
                     ) -> tuple[list[MemorialEntry], int]:
    """Public persons in id order, and how many there are."""
    with case.read() as conn:
        total = conn.execute(select(func.count()).select_from(_public_ids().subquery())
                             ).scalar_one()
        rows = conn.execute(select(*_COLUMNS)
                            .where(PublishedPerson.person_id.in_(_public_ids()))
                            .order_by(PublishedPerson.person_id).limit(limit)
                            .offset(offset)).all()
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
        since = _restricted_since(conn)
        rows = list(conn.execute(select(*_COLUMNS)
                                 .where(PublishedPerson.person_id.in_(_public_ids()),
                                        _published_match(query, since))
                                 .order_by(PublishedPerson.person_id).limit(limit)))
        if since:  # the entries changed by a restriction, matched on their public view
            found = {r.person_id for r in rows}
            extra = [r for r in _public_rows(conn, conn.execute(select(*_COLUMNS).where(
                PublishedPerson.person_id.in_(_public_ids()),
                PublishedPerson.person_id.in_(list(since)))).all(), since)
                if r.person_id not in found
                and name_text_matches(query, r.name_fa, r.name_latin)]
            rows = sorted(rows + extra, key=lambda r: r.person_id)[:limit]
        return _entries(conn, rows)


def is_public(case: Case, person_id: int) -> bool:
    """True when the person is published on the memorial portal."""
    with case.read() as conn:
        return conn.execute(select(func.count()).where(
            Person.id == person_id, Person.id.in_(_public_ids()))).scalar_one() > 0

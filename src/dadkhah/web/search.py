"""Register search: one box that finds a person by any spelling of the name, in either script.

A query is matched in two steps:

1. its cross-script key (:func:`dadkhah.names.name_key`) against the full-name, given-name
   and surname keys of every source record, so «Hosseinzadeh» finds «حسین‌زاده» and a Latin
   typing of a Persian name finds the person (indexed columns: fast on a large register);
2. only when no record has that key, as text inside the person's best name in either
   script (Arabic letter forms folded), so a part of a name («Soltan») still finds
   «Soltanzadeh».  This reads every person, so it is the slow path (~60 ms per 100,000
   persons on SQLite), taken only when the fast one finds nobody.

A number is also a person id.  ``SearchResult.match`` says which step matched.

Filters: prison and city (gazetteer ids), a source (id or slug), and a death-date range
(any calendar and digits :func:`dadkhah.names.parse_date` reads; a person matches when their
death interval overlaps the range).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import exists, func, or_, select

from dadkhah.errors import StoreError
from dadkhah.store.tables import Person, PersonRecord, Source, SourceRecord

PER_PAGE = 25
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"})


@dataclass(frozen=True)
class PersonHit:
    """A person found: their best data, as the register holds it."""

    id: int
    name_fa: str | None
    name_latin: str | None
    father_fa: str | None
    father_latin: str | None
    death_earliest: str | None
    death_latest: str | None
    prison_id: str | None
    city_id: str | None
    n_records: int
    n_sources: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    """One page of a search: ``total`` persons match, ``hits`` are those on ``page``."""

    query: str
    total: int
    page: int
    per_page: int
    hits: list[PersonHit]
    match: str = ""  # "key" (cross-script name keys), "text" (part of a name) or "" (no query)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages": self.pages}

    def summary(self) -> str:
        return (f"{self.total:,} person(s) match {self.query!r} (by {self.match or 'filters'}); "
                f"page {self.page} of "
                f"{self.pages}: " + ", ".join(str(h.id) for h in self.hits))


def _date_bounds(text: str | None, which: str) -> str | None:
    if not text or not text.strip():
        return None
    from dadkhah.names import fold_digits, try_parse_date

    t = fold_digits(text.strip())
    interval, problem = try_parse_date(t)
    if interval is None:
        raise StoreError(f"Cannot read the date {text!r}: {problem}.",
                         hint="Type e.g. 1988-07-30, 1367/05/08 or مرداد ۱۳۶۷.")
    return (interval.earliest if which == "from" else interval.latest).isoformat()


def _query_keys(query: str) -> list[str]:
    from dadkhah.names import name_key

    key = name_key(query)
    return [key] if key else []


def _text_match(conn: Any, p: Any, q: str) -> list[Any]:
    """Conditions for ``q`` as part of the best name in the script it is typed in."""
    from dadkhah.names import detect_script

    script = detect_script(q)
    out = []
    if script != "latin":
        folded = q.translate(_FOLD).replace("\u200c", "")
        out.append(func.replace(p.c.name_fa, "\u200c", "").contains(folded, autoescape=True))
    if script != "persian":
        out.append(p.c.name_latin.contains(q, autoescape=True)
                   if conn.dialect.name == "sqlite"  # SQLite's LIKE ignores ASCII case
                   else p.c.name_latin.icontains(q, autoescape=True))
    return out


def search_persons(case: Any, query: str = "", *, prison: str | None = None,
                   city: str | None = None, source: int | str | None = None,
                   died_from: str | None = None, died_to: str | None = None,
                   page: int = 1, per_page: int = PER_PAGE) -> SearchResult:
    """Persons of the register matching ``query`` and the filters, ``per_page`` at a time
    (pages count from 1), ordered by person id."""
    page = max(1, int(page))
    per_page = max(1, min(int(per_page), 200))
    p = Person.__table__
    conds: list[Any] = [p.c.status == "active"]
    if prison:
        conds.append(p.c.prison_id == prison)
    if city:
        conds.append(p.c.city_id == city)
    if source not in (None, ""):
        sid = case.resolve_source_id(int(source) if str(source).isdigit() else source)
        conds.append(exists(select(PersonRecord.record_id)
                            .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
                            .where(PersonRecord.person_id == p.c.id,
                                   SourceRecord.source_id == sid)))
    lo, hi = _date_bounds(died_from, "from"), _date_bounds(died_to, "to")
    if lo:
        conds.append(p.c.death_latest >= lo)
    if hi:
        conds.append(p.c.death_earliest <= hi)
    q = (query or "").strip()
    match = ""
    cols = [p.c[f] for f in PersonHit.__dataclass_fields__]
    with case.read() as conn:
        ids_query = select(p.c.id).where(*conds)
        if q:
            by_id = [p.c.id == int(q)] if q.isdigit() and int(q) < 2**53 else []
            keys = _query_keys(q)
            sr = SourceRecord.__table__
            key_match = or_(sr.c.name_key.in_(keys), sr.c.given_key.in_(keys),
                            sr.c.surname_key.in_(keys))
            if keys and conn.execute(select(sr.c.id).where(key_match).limit(1)).first():
                match = "key"
                # Driven from the indexed keys to the persons, not the other way round: a
                # common surname names thousands of records, the register is far larger.
                ids_query = (select(p.c.id).distinct()
                             .select_from(sr.join(PersonRecord, PersonRecord.record_id == sr.c.id)
                                          .join(p, p.c.id == PersonRecord.person_id))
                             .where(key_match, *conds))
                if by_id:
                    ids_query = ids_query.union(select(p.c.id).where(*conds, *by_id))
            else:
                match = "text"
                ids_query = select(p.c.id).where(*conds, or_(*_text_match(conn, p, q), *by_id))
        # One pass finds every matching id (the count); the page is then read by id.
        ids = sorted(conn.execute(ids_query).scalars())
        total = len(ids)
        shown = ids[(page - 1) * per_page:page * per_page]
        rows = conn.execute(select(*cols).where(p.c.id.in_(shown))
                            .order_by(p.c.id)).all() if shown else []
    return SearchResult(query=q, total=total, page=page, per_page=per_page,
                        hits=[PersonHit(**r._asdict()) for r in rows], match=match)


@dataclass(frozen=True)
class PlaceOption:
    id: str
    name_en: str
    name_fa: str


def place_options(case: Any, column: str) -> list[PlaceOption]:
    """The prisons (``column="prison_id"``) or cities (``"city_id"``) persons are linked to,
    named from the gazetteer, for the filter menus."""
    with case.read() as conn:
        ids = [i for i in conn.execute(select(Person.__table__.c[column]).distinct()
                                       .where(Person.status == "active")).scalars() if i]
    return sorted((place_label(i) for i in ids), key=lambda o: o.name_en)


@lru_cache(maxsize=4096)
def place_label(place_id: str | None) -> PlaceOption:
    """A gazetteer place's names in both scripts (the id itself when unknown)."""
    from dadkhah.names import load_gazetteer

    if not place_id:
        return PlaceOption("", "", "")
    try:
        pl = load_gazetteer()[place_id]
        return PlaceOption(place_id, pl.name_en, pl.name_fa)
    except KeyError:
        return PlaceOption(place_id, place_id, place_id)


def source_slugs(case: Any) -> dict[int, str]:
    with case.read() as conn:
        return dict(conn.execute(select(Source.id, Source.slug)).all())

"""The one search of the register: a name typed in any spelling, in either script.

Every place that looks a person or a record up by name uses this module: the team's search
page and JSON API (:func:`search_persons`), the public memorial
(:func:`dadkhah.portal.search_memorial`, through :func:`person_match`) and the command line
(``dadkhah records list --search``, through :func:`search_records`).  The text rules come
from :mod:`dadkhah.names` and nowhere else:

* **letter variants**: the query is also tried with Arabic letter forms folded to Persian
  ones (:func:`dadkhah.names.fold_letters`, so «علي» finds «علی») and, for text stored as
  typed, with Persian ي/ك written the Arabic way (:func:`query_variants`);
* **cross-script keys**: the query's key (:func:`dadkhah.names.name_key`) is matched against
  the full-name, given-name and surname keys of every source record, so «Hosseinzadeh» finds
  «حسین‌زاده» once :func:`dadkhah.register.normalize_case` has run (indexed columns: fast on a
  large register);
* **part of a name**: the query as text inside a person's best name, in the script it is
  typed in (:func:`name_text_match`), so «Soltan» still finds «Soltanzadeh».  This reads
  every person (~60 ms per 100,000 persons on SQLite), so the team search takes it only when
  no record has the query's key; the memorial, restricted to its published persons, takes
  both at once.

A number is also a person id in the team search.  ``SearchResult.match`` says which step
matched.  Filters (team search): prison and city (gazetteer ids), a source (id or slug), and
a death-date range (any calendar and digits :func:`dadkhah.names.parse_date` reads; a person
matches when their death interval overlaps the range).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    FromClause,
    Select,
    and_,
    exists,
    func,
    or_,
    select,
)

from dadkhah.access import Viewer
from dadkhah.errors import StoreError
from dadkhah.names import detect_script, fold_digits, fold_letters, name_key, try_parse_date
from dadkhah.register.persons import unverified_only_persons
from dadkhah.register.restricted import hidden_persons_select, redact_persons
from dadkhah.store import RECORD_FIELDS, Case, RecordView
from dadkhah.store.restrict import (
    any_restrictions,
    hidden_records_select,
    hides,
    visible_source_id,
)
from dadkhah.store.tables import LinkRun, Person, PersonRecord, Source, SourceRecord

__all__ = [
    "PER_PAGE",
    "PersonHit",
    "SearchResult",
    "name_text_match",
    "person_match",
    "persons_with_keys",
    "place_ids",
    "query_keys",
    "query_variants",
    "record_match",
    "register_version",
    "search_persons",
    "search_records",
]

PER_PAGE = 25
_ZWNJ = "\u200c"  # zero-width non-joiner: inside a Persian name it is spelling, not a break
"""Persons per page of :func:`search_persons` unless asked otherwise."""


# -- the query ---------------------------------------------------------------------------
def query_variants(query: str) -> list[str]:
    """The query as typed, with Arabic letter forms folded to Persian ones (and a _ZWNJ read
    as a space), and with Persian ی/ک written the Arabic way: the spellings to look for in
    text stored as it was typed (source records, raw rows).

    Examples
    --------
    >>> query_variants("علي")
    ['علي', 'علی']
    >>> query_variants("Ali")
    ['Ali']
    """
    text = query.strip()
    folded = fold_letters(text).replace(_ZWNJ, " ")
    arabic = folded.replace("ی", "ي").replace("ک", "ك")
    return list(dict.fromkeys([text, folded, arabic]))


def query_keys(query: str) -> list[str]:
    """The cross-script name keys of the query (none when it holds no name).

    Examples
    --------
    >>> query_keys("Hosseinzadeh") == query_keys("حسین‌زاده")
    True
    >>> query_keys("1367")
    []
    """
    key = name_key(query.strip())
    return [key] if key else []


# -- SQL conditions ----------------------------------------------------------------------
def _key_match(keys: list[str]) -> ColumnElement[bool]:
    sr = SourceRecord.__table__
    return or_(sr.c.name_key.in_(keys), sr.c.given_key.in_(keys), sr.c.surname_key.in_(keys))


def record_match(query: str) -> ColumnElement[bool]:
    """Condition on ``source_records``: any name or place field, or the raw row, holds one
    of the :func:`query_variants` (case-insensitively), or the full name, given name or
    surname has one of the :func:`query_keys`.  Pass it to
    :meth:`dadkhah.store.Case.iter_records` as ``where=``."""
    t = SourceRecord.__table__
    cols = [t.c[f] for f in RECORD_FIELDS] + [t.c.raw]
    conds = [func.lower(c).contains(v.lower(), autoescape=True)
             for c in cols for v in query_variants(query)]
    keys = query_keys(query)
    if keys:
        conds.append(_key_match(keys))
    return or_(*conds)


def persons_with_keys(keys: list[str]) -> Select[Any]:
    """The ids of persons one of whose source records has a full-name, given-name or
    surname key among ``keys`` (a subquery: ``Person.id.in_(persons_with_keys(keys))``)."""
    return (select(PersonRecord.person_id)
            .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
            .where(_key_match(keys)))


def name_text_match(query: str, *, table: FromClause | None = None) -> list[ColumnElement[bool]]:
    """Conditions on ``persons`` for the query as part of the person's best name, in the
    script it is typed in: the Persian name with letter variants folded and ZWNJs ignored,
    the Latin name regardless of case.  Any one of them matching is a match.

    ``table``: another table with ``name_fa`` and ``name_latin`` columns to match instead
    (the portal's publication snapshots)."""
    q = query.strip()
    p = Person.__table__ if table is None else table
    script = detect_script(q)
    out: list[ColumnElement[bool]] = []
    if script != "latin":
        folded = fold_letters(q).replace(_ZWNJ, "")
        out.append(func.replace(p.c.name_fa, _ZWNJ, "").contains(folded, autoescape=True))
    if script != "persian":
        out.append(p.c.name_latin.icontains(q, autoescape=True))
    return out


def person_match(query: str) -> ColumnElement[bool]:
    """Condition on ``persons``: a record behind the person has one of the
    :func:`query_keys`, or the query is part of the person's best name
    (:func:`name_text_match`).  Only names are searched, never notes or raw rows."""
    conds = name_text_match(query)
    keys = query_keys(query)
    if keys:
        conds.append(Person.id.in_(persons_with_keys(keys)))
    return or_(*conds)


# -- source records ----------------------------------------------------------------------
def search_records(case: Case, query: str | None = None, *, source: int | str | None = None,
                   limit: int | None = None, offset: int = 0,
                   viewer: Viewer | None = None) -> list[RecordView]:
    """Source records matching ``query`` (:func:`record_match`; every record when it is
    empty), from ``source`` when given, in id order; only those ``viewer`` may see."""
    visible = SourceRecord.__table__.c.id.not_in(hidden_records_select(viewer))
    where = and_(record_match(query), visible) if query and query.strip() else visible
    return list(case.iter_records(source=source, where=where, limit=limit, offset=offset))


# -- persons -----------------------------------------------------------------------------
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
    # where each display name came from: source | machine | person (register.name_forms)
    name_fa_origin: str | None = None
    name_latin_origin: str | None = None
    # all the viewer knows of them is unchecked machine readings (unverified_only_persons)
    unverified_only: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_HIT_COLUMNS = tuple(f for f in PersonHit.__dataclass_fields__ if f != "unverified_only")
"""The fields of a :class:`PersonHit` that are columns of the persons table."""


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


def _date_bound(text: str | None, which: str) -> str | None:
    if not text or not text.strip():
        return None
    interval, problem = try_parse_date(fold_digits(text.strip()))
    if interval is None:
        raise StoreError(f"Cannot read the date {text!r}: {problem}.",
                         hint="Type e.g. 1988-07-30, 1367/05/08 or مرداد ۱۳۶۷.")
    return (interval.earliest if which == "from" else interval.latest).isoformat()


def search_persons(case: Case, query: str = "", *, prison: str | None = None,
                   city: str | None = None, source: int | str | None = None,
                   died_from: str | None = None, died_to: str | None = None,
                   page: int = 1, per_page: int = PER_PAGE,
                   viewer: Viewer | None = None) -> SearchResult:
    """Active persons of the register matching ``query`` and the filters, ``per_page`` at a
    time (pages count from 1), ordered by person id.

    The query matches by cross-script key when any record has its key, else as part of a
    best name (see the module docstring); a number is also a person id.

    Only what ``viewer`` may see is searched and shown (restricted records): a person with
    a hidden record is matched and shown as its visible records describe it
    (:func:`dadkhah.register.restricted.redact_persons`), never by a hidden spelling.
    """
    page = max(1, int(page))
    per_page = max(1, min(int(per_page), 200))
    p = Person.__table__
    conds: list[Any] = [p.c.status == "active"]
    if prison:
        conds.append(p.c.prison_id == prison)
    if city:
        conds.append(p.c.city_id == city)
    sid: int | None = None
    if source not in (None, ""):
        with case.read() as conn:  # a hidden source is "no such source", as a typo is
            sid = visible_source_id(conn, int(source) if str(source).isdigit() else source,
                                    viewer)
        conds.append(exists(select(PersonRecord.record_id)
                            .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
                            .where(PersonRecord.person_id == p.c.id,
                                   SourceRecord.source_id == sid)))
    lo, hi = _date_bound(died_from, "from"), _date_bound(died_to, "to")
    if lo:
        conds.append(p.c.death_latest >= lo)
    if hi:
        conds.append(p.c.death_earliest <= hi)
    q = (query or "").strip()
    match = ""
    cols = [p.c[f] for f in _HIT_COLUMNS]
    with case.read() as conn:
        restricted = any_restrictions(conn)
        if restricted:  # persons with a hidden record are matched below, on their view
            conds.append(p.c.id.not_in(hidden_persons_select(viewer)))
        ids_query: Select[Any] | CompoundSelect[Any] = select(p.c.id).where(*conds)
        if q:
            by_id = [p.c.id == int(q)] if q.isdigit() and int(q) < 2**53 else []
            keys = query_keys(q)
            sr = SourceRecord.__table__
            key_match = _key_match(keys)
            visible_key = and_(key_match, sr.c.id.not_in(hidden_records_select(viewer))) \
                if restricted else key_match
            if keys and conn.execute(select(sr.c.id).where(visible_key).limit(1)).first():
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
                ids_query = select(p.c.id).where(*conds, or_(*name_text_match(q), *by_id))
        # One pass finds every matching id (the count); the page is then read by id.
        ids = set(conn.execute(ids_query).scalars())
        views: dict[int, dict[str, Any]] = {}
        if restricted:
            views = _redacted_matches(conn, viewer, q, match, prison=prison, city=city,
                                      source_id=sid,
                                      lo=lo, hi=hi)
            ids |= set(views)
        ordered = sorted(ids)
        total = len(ordered)
        shown = ordered[(page - 1) * per_page:page * per_page]
        rows = [r._asdict() for r in conn.execute(select(*cols).where(p.c.id.in_(shown))
                                                  .order_by(p.c.id))] if shown else []
        by_id_row = {r["id"]: r for r in rows}
        found = [i for i in shown if i in views or i in by_id_row]
    unchecked = unverified_only_persons(case, found, viewer=viewer)
    hits = [PersonHit(**{f: (views[i] if i in views else by_id_row[i])[f] for f in _HIT_COLUMNS},
                      unverified_only=i in unchecked)
            for i in found]
    return SearchResult(query=q, total=total, page=page, per_page=per_page,
                        hits=hits, match=match)


def _redacted_matches(conn: Connection, viewer: Viewer | None, q: str, match: str, *,
                      prison: str | None, city: str | None, source_id: int | None,
                      lo: str | None, hi: str | None) -> dict[int, dict[str, Any]]:
    """The persons with a record hidden from ``viewer`` that match the search as their
    visible records describe them: person id → that view.  Few persons have restricted
    records, so they are matched here, in Python, by the rules the SQL applies to the rest."""
    p = Person.__table__
    cols = [p.c[f] for f in (*_HIT_COLUMNS, "sources")]
    candidates = select(*cols).where(p.c.status == "active",
                                     p.c.id.in_(hidden_persons_select(viewer)))
    keys = query_keys(q) if q else []
    key_persons: set[int] = set()
    if keys and match == "key":
        # by name: only those a visible record of which has the key (or the id typed)
        key_persons = set(conn.execute(
            select(PersonRecord.person_id).join(SourceRecord,
                                                SourceRecord.id == PersonRecord.record_id)
            .where(_key_match(keys), SourceRecord.id.not_in(hidden_records_select(viewer)),
                   PersonRecord.person_id.in_(hidden_persons_select(viewer)))).scalars())
        wanted = key_persons | ({int(q)} if q.isdigit() and int(q) < 2**53 else set())
        candidates = candidates.where(p.c.id.in_(sorted(wanted)))
    affected = conn.execute(candidates).all()
    if not affected:
        return {}
    people = redact_persons(conn, [r._asdict() for r in affected], viewer)
    out = {}
    for x in people:
        srcs = json.loads(x["sources"]) if isinstance(x["sources"], str) else x["sources"]
        if (prison and x["prison_id"] != prison) or (city and x["city_id"] != city) \
                or (source_id is not None and source_id not in srcs) \
                or (lo and not (x["death_latest"] and x["death_latest"] >= lo)) \
                or (hi and not (x["death_earliest"] and x["death_earliest"] <= hi)):
            continue
        if q and not (q.isdigit() and int(q) == x["id"]
                      or (x["id"] in key_persons if match == "key"
                          else name_text_matches(q, x.get("name_fa"), x.get("name_latin")))):
            continue
        out[int(x["id"])] = x
    return out


def name_text_matches(q: str, name_fa: str | None, name_latin: str | None) -> bool:
    """:func:`name_text_match` in Python, for one person's names (a view computed outside
    SQL: :func:`dadkhah.register.restricted.redact_persons`)."""
    q = q.strip()
    script = detect_script(q)
    fa, la = name_fa or "", name_latin or ""
    if script != "latin" and fold_letters(q).replace(_ZWNJ, "") in fa.replace(_ZWNJ, ""):
        return True
    return script != "persian" and q.casefold() in la.casefold()


# -- what the search can be filtered by --------------------------------------------------
def place_ids(case: Case, column: str, viewer: Viewer | None = None) -> list[str]:
    """The gazetteer ids of the prisons (``column="prison_id"``) or cities (``"city_id"``)
    active persons are linked to, for the search's filter menus, as ``viewer`` (None:
    nobody in particular) may see them: a person with a hidden record offers the places
    of its visible records only, so no place only hidden records name is offered."""
    if column not in ("prison_id", "city_id"):
        raise ValueError(f"no place column {column!r}")
    p = Person.__table__
    with case.read() as conn:
        if not hides(conn, viewer):  # one indexed query: the plain read in most cases
            return [i for i in conn.execute(select(p.c[column]).distinct()
                                            .where(p.c.status == "active")).scalars() if i]
        affected = hidden_persons_select(viewer)
        sr = SourceRecord.__table__
        unaffected = select(p.c[column]).where(p.c.status == "active",
                                               p.c.id.not_in(affected))
        visible = (select(sr.c[column])
                   .join(PersonRecord, PersonRecord.record_id == sr.c.id)
                   .join(p, p.c.id == PersonRecord.person_id)
                   .where(p.c.status == "active", p.c.id.in_(affected),
                          sr.c.id.not_in(hidden_records_select(viewer))))
        return sorted({i for i in conn.execute(unaffected.union(visible)).scalars() if i})


def register_version(case: Case) -> tuple[int | None, int | None]:
    """(latest linkage run, newest source): it changes whenever the register's persons or
    its sources may have, so what was computed from them (filter menus) can be kept until
    then."""
    with case.read() as conn:
        return (conn.execute(select(func.max(LinkRun.id))).scalar(),
                conn.execute(select(func.max(Source.id))).scalar())

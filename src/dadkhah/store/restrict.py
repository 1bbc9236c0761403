"""The one predicate of restricted records (issue 16): what a :class:`~dadkhah.access.Viewer`
may not see.

An object (``source``, ``record``, ``evidence``, ``testimony``) is restricted when it has at
least one row in ``restrictions``; a viewer sees it when one of those rows names the
viewer's user, or a group the user belongs to, or when the viewer
:attr:`~dadkhah.access.Viewer.sees_all`.  A record is hidden when it is restricted itself or
its source is.  Every reader of the register, the case file, the exports, the reports and
the portal asks :func:`hidden` (or builds its SQL from :func:`hidden_ids_select`), and
``viewer=None`` means :data:`~dadkhah.access.NOBODY`: forgetting to say who reads hides
restricted data, it never shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, bindparam, exists, false, or_, select, union
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import BindParameter

from dadkhah.access import NOBODY, Viewer
from dadkhah.errors import NotFound
from dadkhah.store.tables import GroupMember, Restriction, Source, SourceRecord, User


@dataclass(frozen=True)
class Hidden:
    """The ids a viewer may not see, by kind (``records`` includes every record of a hidden
    source).  Empty when the case has no restriction the viewer is kept out of."""

    sources: frozenset[int] = frozenset()
    records: frozenset[int] = frozenset()
    evidence: frozenset[int] = frozenset()
    testimonies: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.sources or self.records or self.evidence or self.testimonies)

    def summary(self) -> str:
        return (f"hidden: {len(self.sources)} source(s), {len(self.records)} record(s), "
                f"{len(self.evidence)} evidence file(s), {len(self.testimonies)} "
                "testimony(ies)")


def _allowed_rows(viewer: Viewer, r: Any = Restriction) -> Any:
    """Condition on ``restrictions`` (or its alias ``r``): the row lets ``viewer`` in."""
    if viewer.username is None:
        return false()
    uid = select(User.id).where(User.username == viewer.username, User.disabled.is_(False))
    groups = select(GroupMember.group_id).where(GroupMember.user_id.in_(uid))
    return or_(r.user_id.in_(uid), r.group_id.in_(groups))


def hidden_ids_select(kind: str, viewer: Viewer | None) -> Select[Any]:
    """SQL: the ids of objects of ``kind`` restricted and not open to ``viewer`` (for
    ``source_records``, use :func:`hidden_records_select`, which adds the records of hidden
    sources)."""
    v = viewer or NOBODY
    q = select(Restriction.object_id).where(Restriction.kind == kind)
    if v.sees_all:
        return q.where(false())
    open_to = select(Restriction.object_id).where(Restriction.kind == kind, _allowed_rows(v))
    return q.where(Restriction.object_id.not_in(open_to)).distinct()


def hidden_records_select(viewer: Viewer | None) -> Any:
    """SQL: the ids of source records ``viewer`` may not see (restricted records and every
    record of a restricted source), for ``SourceRecord.id.not_in(…)``."""
    return union(
        hidden_ids_select("record", viewer),
        select(SourceRecord.id).where(
            SourceRecord.source_id.in_(hidden_ids_select("source", viewer))))


def any_restrictions(conn: Connection) -> bool:
    """True when the case restricts anything (else every reader can skip the work)."""
    return conn.execute(select(Restriction.id).limit(1)).first() is not None


def _hides_statements() -> tuple[Select[Any], Select[Any]]:
    """The two statements of :func:`hides`, built once (building them, the alias above
    all, costs more than running them on an empty ``restrictions`` table)."""
    kinds: BindParameter[Any] = bindparam("kinds", expanding=True)
    any_of_kinds = select(Restriction.id).where(Restriction.kind.in_(kinds)).limit(1)
    r2 = aliased(Restriction)
    uid = select(User.id).where(User.username == bindparam("username"),
                                User.disabled.is_(False))
    groups = select(GroupMember.group_id).where(GroupMember.user_id.in_(uid))
    open_to_user = select(r2.id).where(r2.kind == Restriction.kind,
                                       r2.object_id == Restriction.object_id,
                                       or_(r2.user_id.in_(uid), r2.group_id.in_(groups)))
    hidden_from_user = (select(Restriction.id)
                        .where(Restriction.kind.in_(kinds), ~exists(open_to_user)).limit(1))
    return any_of_kinds, hidden_from_user


_ANY_OF_KINDS, _HIDDEN_FROM_USER = _hides_statements()


def hides(conn: Connection, viewer: Viewer | None,
          kinds: Sequence[str] = ("source", "record")) -> bool:
    """True when some object of ``kinds`` is restricted and not open to ``viewer``: one
    query on the indexed ``restrictions`` table (it stops at the first such object, and a
    case with no restriction answers at once), so a reader can skip every viewer filter
    for a viewer who is kept out of nothing (the default kinds: what the register shows)."""
    v = viewer or NOBODY
    if v.sees_all:
        return False
    if v.username is None:
        row = conn.execute(_ANY_OF_KINDS, {"kinds": list(kinds)}).first()
    else:
        row = conn.execute(_HIDDEN_FROM_USER, {"kinds": list(kinds),
                                               "username": v.username}).first()
    return row is not None


def no_such_source(ref: int | str) -> NotFound:
    """The one answer for a source that is not there, or is hidden from the reader: the
    same words either way, so a hidden source's slug or id cannot be told from a typo."""
    return NotFound(f"No source {ref!r} in this case.",
                    hint="List sources with: dadkhah source list; add one with: "
                         "dadkhah source add")


def visible_source_id(conn: Connection, ref: int | str, viewer: Viewer | None) -> int:
    """A source's id from its number or slug, as :meth:`Case.resolve_source_id` gives it,
    but :func:`no_such_source` when the source is restricted from ``viewer``."""
    cond = Source.slug == str(ref)
    if isinstance(ref, int) or str(ref).isdigit():
        cond = or_(cond, Source.id == int(ref))
    sid = conn.execute(select(Source.id).where(cond)).scalar()
    if sid is None or source_hidden(conn, int(sid), viewer):
        raise no_such_source(ref)
    return int(sid)


def source_hidden(conn: Connection, source_id: int, viewer: Viewer | None) -> bool:
    """True when source ``source_id`` is restricted from ``viewer``."""
    if not hides(conn, viewer, ("source",)):
        return False
    return conn.execute(hidden_ids_select("source", viewer)
                        .where(Restriction.object_id == source_id).limit(1)).first() is not None


def visible_sources(conn: Connection, viewer: Viewer | None) -> list[Any]:
    """(id, slug, title) of every source ``viewer`` may see, in id order: the menus' cheap
    read (no per-source record counts)."""
    q = select(Source.id, Source.slug, Source.title).order_by(Source.id)
    if hides(conn, viewer, ("source",)):
        q = q.where(Source.id.not_in(hidden_ids_select("source", viewer)))
    return list(conn.execute(q).all())


def hidden(conn: Connection, viewer: Viewer | None) -> Hidden:
    """What ``viewer`` (None: nobody in particular) may not see, read in ``conn``."""
    v = viewer or NOBODY
    if v.sees_all or not any_restrictions(conn):
        return Hidden()

    def ids(kind: str) -> frozenset[int]:
        return frozenset(int(i) for i in conn.execute(hidden_ids_select(kind, v)).scalars())

    sources = ids("source")
    records = set(ids("record"))
    if sources:
        records.update(int(i) for i in conn.execute(
            select(SourceRecord.id).where(SourceRecord.source_id.in_(sources))).scalars())
    return Hidden(sources, frozenset(records), ids("evidence"), ids("testimony"))


__all__ = ["Hidden", "any_restrictions", "hidden", "hidden_ids_select",
           "hidden_records_select", "hides", "no_such_source", "source_hidden", "visible_source_id",
           "visible_sources"]

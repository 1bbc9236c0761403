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

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, false, or_, select, union

from dadkhah.access import NOBODY, Viewer
from dadkhah.store.tables import GroupMember, Restriction, SourceRecord, User


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


def _allowed_rows(viewer: Viewer) -> Any:
    """Condition on ``restrictions``: the row lets ``viewer`` in."""
    if viewer.username is None:
        return false()
    uid = select(User.id).where(User.username == viewer.username, User.disabled.is_(False))
    groups = select(GroupMember.group_id).where(GroupMember.user_id.in_(uid))
    return or_(Restriction.user_id.in_(uid), Restriction.group_id.in_(groups))


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
           "hidden_records_select"]

"""Restricted records (issue 16): restricting data to named users or groups, and what the
register shows a viewer who may not see some of a person's records.

**Restricting.**  :func:`restrict` restricts a source (every record of it), one source
record, an evidence file or a testimony to users and/or groups (:func:`create_group`,
:func:`add_to_group`); :func:`unrestrict` lifts it for some of them or entirely; every change
is an audit entry, and the tables are under row-hash triggers (migration 0015).  The
predicate itself is :mod:`dadkhah.store.restrict`.

**Persons.**  A person's row holds the best data of *all* its records, so a display name, a
date or a prison may come from a restricted record.  :func:`redact_persons` gives each
viewer the person as its *visible* records alone describe it, by the same rules as a
linkage run (:func:`summarise_records`; names by :mod:`dadkhah.register.name_forms`): a
person all of whose records are hidden does not exist for that viewer, one with some hidden
records is shown from the others (a team member's name correction is dropped there, as it
may rest on the hidden records).  Whatever a relink links, the view is recomputed from the
records the viewer may see.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from dadkhah.access import Viewer, require
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.register.name_forms import NAME_COLUMNS, RecordName, choose_name_forms
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.restrict import hidden_records_select, hides, visible_sources
from dadkhah.store.tables import (
    RESTRICTABLE_KINDS,
    AuditEntry,
    Evidence,
    GroupMember,
    PersonRecord,
    Restriction,
    Source,
    SourceRecord,
    Testimony,
    User,
    UserGroup,
    insert_row,
)

__all__ = ["GroupInfo", "RestrictionRow", "add_to_group", "create_group", "groups",
           "hidden_persons_select", "keeps_out", "redact_persons", "remove_from_group",
           "restrict", "restrictions", "source_choices", "summarise_records", "unrestrict"]

_OBJECTS: dict[str, Any] = {"source": Source, "record": SourceRecord, "evidence": Evidence,
                            "testimony": Testimony}


@dataclass(frozen=True)
class RestrictionRow:
    """One user or group allowed to see a restricted object."""

    id: int
    kind: str
    object_id: int
    user: str | None
    group: str | None
    reason: str | None
    created_at: str
    created_by: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        who = f"user {self.user}" if self.user else f"group {self.group}"
        return f"{self.kind} {self.object_id}: open to {who} (by {self.created_by})"


@dataclass(frozen=True)
class GroupInfo:
    """A group of users and its members' user names."""

    id: int
    name: str
    members: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return f"{self.name}: {', '.join(self.members) or '(no members)'}"


# -- groups ------------------------------------------------------------------------------
def _user_id(conn: Connection, username: str) -> int:
    uid = conn.execute(select(User.id).where(User.username == username)).scalar()
    if uid is None:
        raise NotFound(f"No user {username!r} in this case.",
                       hint="List users with: dadkhah user list")
    return int(uid)


def _group_id(conn: Connection, name: str) -> int:
    gid = conn.execute(select(UserGroup.id).where(UserGroup.name == name)).scalar()
    if gid is None:
        raise NotFound(f"No group {name!r} in this case.",
                       hint="List groups with: dadkhah restrict groups")
    return int(gid)


def create_group(case: Case, name: str, *, members: Iterable[str] = (), by: str,
                 role: str | None) -> GroupInfo:
    """Create a group of users (all or nothing: an unknown user refuses it)."""
    require(role, "restrict", what="groups")
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput("A group needs a name of 1 to 64 characters.",
                           hint="e.g. dadkhah restrict group-create legal --member amir")
    with case.write() as conn:
        if conn.execute(select(UserGroup.id).where(UserGroup.name == name)).first():
            raise InvalidInput(f"A group {name!r} exists already.",
                               hint="Add members with: dadkhah restrict group-add")
        uids = sorted({_user_id(conn, u) for u in members})
        gid = insert_row(conn, UserGroup, name=name, created_at=now_utc(), created_by=by)
        for uid in uids:
            conn.execute(insert(GroupMember).values(group_id=gid, user_id=uid))
        append(conn, by=by, action="group.create", target=f"group:{gid}",
               details={"name": name, "members": sorted(set(members))})
    return _group(case, name)


def add_to_group(case: Case, name: str, usernames: Iterable[str], *, by: str,
                 role: str | None) -> GroupInfo:
    """Add users to a group (those already in it are left as they are)."""
    require(role, "restrict", what="groups")
    with case.write() as conn:
        gid = _group_id(conn, name)
        have = set(conn.execute(select(GroupMember.user_id)
                                .where(GroupMember.group_id == gid)).scalars())
        added = []
        for u in sorted(set(usernames)):
            uid = _user_id(conn, u)
            if uid not in have:
                conn.execute(insert(GroupMember).values(group_id=gid, user_id=uid))
                added.append(u)
        if added:
            append(conn, by=by, action="group.add", target=f"group:{gid}",
                   details={"name": name, "added": added})
    return _group(case, name)


def remove_from_group(case: Case, name: str, usernames: Iterable[str], *, by: str,
                      role: str | None) -> GroupInfo:
    """Remove users from a group (they lose what is restricted to it at once)."""
    require(role, "restrict", what="groups")
    with case.write() as conn:
        gid = _group_id(conn, name)
        gone = []
        for u in sorted(set(usernames)):
            uid = _user_id(conn, u)
            n = conn.execute(delete(GroupMember).where(GroupMember.group_id == gid,
                                                       GroupMember.user_id == uid)).rowcount
            if n:
                gone.append(u)
        if gone:
            append(conn, by=by, action="group.remove", target=f"group:{gid}",
                   details={"name": name, "removed": gone})
    return _group(case, name)


def _group(case: Case, name: str) -> GroupInfo:
    return next(g for g in groups(case) if g.name == name)


def groups(case: Case) -> list[GroupInfo]:
    """Every group and its members, by name."""
    with case.read() as conn:
        members: dict[int, list[str]] = {}
        for gid, u in conn.execute(select(GroupMember.group_id, User.username)
                                   .join(User, User.id == GroupMember.user_id)
                                   .order_by(User.username)):
            members.setdefault(int(gid), []).append(u)
        return [GroupInfo(int(g.id), g.name, tuple(members.get(int(g.id), [])))
                for g in conn.execute(select(UserGroup.id, UserGroup.name)
                                      .order_by(UserGroup.name))]


# -- restrictions ------------------------------------------------------------------------
def _check_kind(kind: str) -> None:
    if kind not in RESTRICTABLE_KINDS:
        raise InvalidInput(f"Cannot restrict a {kind!r}.",
                           hint="Restrict one of: " + ", ".join(RESTRICTABLE_KINDS) + ".")


def _check_object(conn: Connection, kind: str, object_id: int) -> None:
    model = _OBJECTS[kind]
    if conn.execute(select(model.id).where(model.id == object_id)).first() is None:
        raise NotFound(f"No {kind} {object_id} in this case.",
                       hint=f"Check the id (dadkhah {'sources' if kind == 'source' else kind}"
                            " list).")


def restrict(case: Case, kind: str, object_id: int, *, users: Sequence[str] = (),
             groups: Sequence[str] = (), reason: str | None = None, by: str,
             role: str | None) -> list[RestrictionRow]:
    """Restrict an object to ``users`` and ``groups`` (added to any it is restricted to
    already); from then on only they see it, everywhere.  Returns who may see it now.

    All or nothing: an unknown object, user or group changes nothing."""
    require(role, "restrict", what=f"{kind} {object_id}")
    _check_kind(kind)
    if not users and not groups:
        raise InvalidInput(f"Restrict {kind} {object_id} to whom?",
                           hint="Name at least one user (--to-user) or group (--to-group).")
    with case.write() as conn:
        _check_object(conn, kind, object_id)
        have = {(r.user_id, r.group_id) for r in conn.execute(
            select(Restriction.user_id, Restriction.group_id).where(
                Restriction.kind == kind, Restriction.object_id == object_id))}
        at, new = now_utc(), []
        wanted = ([(_user_id(conn, u), None, f"user:{u}") for u in sorted(set(users))]
                  + [(None, _group_id(conn, g), f"group:{g}") for g in sorted(set(groups))])
        for uid, gid, label in wanted:
            if (uid, gid) not in have:
                insert_row(conn, Restriction, kind=kind, object_id=object_id, user_id=uid,
                           group_id=gid, reason=reason, created_at=at, created_by=by)
                new.append(label)
        if new:
            append(conn, by=by, action="restrict", target=f"{kind}:{object_id}",
                   details={"to": new, "reason": reason})
    return restrictions(case, kind=kind, object_id=object_id)


def unrestrict(case: Case, kind: str, object_id: int, *, users: Sequence[str] = (),
               groups: Sequence[str] = (), by: str, role: str | None) -> list[RestrictionRow]:
    """Take users or groups off a restriction; with neither, lift it entirely (the object
    is then seen by every team member).  Returns who may see it now (empty: unrestricted).
    Lifting the last user or group lifts the restriction: say so with no names."""
    require(role, "restrict", what=f"{kind} {object_id}")
    _check_kind(kind)
    with case.write() as conn:
        rows = conn.execute(select(Restriction.id, Restriction.user_id, Restriction.group_id)
                            .where(Restriction.kind == kind,
                                   Restriction.object_id == object_id)).all()
        if not rows:
            raise NotFound(f"{kind.capitalize()} {object_id} is not restricted.",
                           hint="List restrictions with: dadkhah restrict list")
        if users or groups:
            uids = {_user_id(conn, u) for u in users}
            gids = {_group_id(conn, g) for g in groups}
            drop = [r.id for r in rows if r.user_id in uids or r.group_id in gids]
            if len(drop) == len(rows):
                raise InvalidInput(
                    f"That would leave {kind} {object_id} open to nobody named.",
                    hint="To lift the restriction for everybody, give no --user/--group.")
        else:
            drop = [r.id for r in rows]
        if drop:
            conn.execute(delete(Restriction).where(Restriction.id.in_(drop)))
            append(conn, by=by, action="unrestrict", target=f"{kind}:{object_id}",
                   details={"users": sorted(users), "groups": sorted(groups),
                            "lifted": not (users or groups)})
    return restrictions(case, kind=kind, object_id=object_id)


def restrictions(case: Case, *, kind: str | None = None,
                 object_id: int | None = None) -> list[RestrictionRow]:
    """Who may see each restricted object (optionally of one kind, or one object)."""
    r = Restriction
    q = (select(r.id, r.kind, r.object_id, User.username, UserGroup.name, r.reason,
                r.created_at, r.created_by)
         .outerjoin(User, User.id == r.user_id).outerjoin(UserGroup, UserGroup.id == r.group_id)
         .order_by(r.kind, r.object_id, r.id))
    if kind is not None:
        q = q.where(r.kind == kind)
    if object_id is not None:
        q = q.where(r.object_id == object_id)
    with case.read() as conn:
        return [RestrictionRow(int(x[0]), x[1], int(x[2]), x[3], x[4], x[5], x[6], x[7])
                for x in conn.execute(q)]


# -- persons as a viewer sees them ---------------------------------------------------------
def _mode(values: Iterable[Any]) -> Any:
    """The most frequent non-empty value (ties: first seen), as a linkage run chooses."""
    counts = Counter(v for v in values if v not in (None, ""))
    return counts.most_common(1)[0][0] if counts else None


def _interval(pairs: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    """Intersection of the intervals; where they do not meet, the widest span (the rule of
    :func:`dadkhah.register.person_summaries`)."""
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not pairs:
        return None, None
    lo, hi = max(a for a, _ in pairs), min(b for _, b in pairs)
    if lo > hi:
        return min(a for a, _ in pairs), max(b for _, b in pairs)
    return lo, hi


_RECORD_COLUMNS = (SourceRecord.id, SourceRecord.source_id, SourceRecord.full_name,
                   SourceRecord.given_names, SourceRecord.surname, SourceRecord.father_name,
                   SourceRecord.sex_code, SourceRecord.birth_earliest, SourceRecord.birth_latest,
                   SourceRecord.death_earliest, SourceRecord.death_latest,
                   SourceRecord.prison_id, SourceRecord.city_id)


def summarise_records(conn: Connection, record_ids: Iterable[int]) -> dict[str, Any]:
    """A person's best data from these source records only, as ``persons`` columns (names by
    :func:`choose_name_forms`, dates intersected, prison and city by majority), for a view
    that must not rest on other records (a restricted record, an unpublished one)."""
    return _summarise_many(conn, {0: list(record_ids)})[0]


_CACHE: OrderedDict[tuple[str, int, tuple[int, ...]], dict[str, Any]] = OrderedDict()
_CACHE_SIZE = 200_000
_CACHE_LOCK = threading.Lock()


def _summarise_many(conn: Connection, groups: dict[int, list[int]]) -> dict[int, dict[str, Any]]:
    """:func:`summarise_records` of each group of records, read in one pass.

    Summaries are kept between calls, keyed by the case, the head of its audit chain and
    the records: every change to a case appends an audit entry in the same transaction, so
    a summary kept under an older head is never used again (a search as a user who may not
    see a large list would otherwise summarise hundreds of persons at every request)."""
    head = int(conn.execute(select(func.max(AuditEntry.id))).scalar() or 0)
    where = conn.engine.url.render_as_string(hide_password=True)
    out: dict[int, dict[str, Any]] = {}
    todo: dict[int, list[int]] = {}
    with _CACHE_LOCK:
        for key, rids in groups.items():
            ck = (where, head, tuple(sorted({int(r) for r in rids})))
            hit = _CACHE.get(ck)
            if hit is None:
                todo[key] = rids
            else:
                _CACHE.move_to_end(ck)
                out[key] = dict(hit)
    if not todo:
        return out
    done = _summarise_now(conn, todo)
    with _CACHE_LOCK:
        for key, summary in done.items():
            _CACHE[(where, head, tuple(sorted({int(r) for r in todo[key]})))] = summary
            out[key] = dict(summary)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return out


def _summarise_now(conn: Connection, groups: dict[int, list[int]]) -> dict[int, dict[str, Any]]:
    wanted = sorted({int(r) for rids in groups.values() for r in rids})
    rows: dict[int, Any] = {}
    for start in range(0, len(wanted), 5000):  # bounded IN lists
        chunk = wanted[start:start + 5000]
        rows.update((int(r.id), r) for r in conn.execute(
            select(*_RECORD_COLUMNS).where(SourceRecord.id.in_(chunk))))
    reliability = dict(conn.execute(select(Source.id, Source.reliability)).all())
    return {key: _summary([rows[r] for r in sorted({int(x) for x in rids}) if r in rows],
                          reliability) for key, rids in groups.items()}


def _summary(rows: list[Any], reliability: dict[int, str]) -> dict[str, Any]:
    names = choose_name_forms([RecordName(int(r.source_id), r.full_name, r.given_names,
                                          r.surname, r.father_name) for r in rows],
                              reliability)
    blo, bhi = _interval([(r.birth_earliest and int(r.birth_earliest[:4]),
                           r.birth_latest and int(r.birth_latest[:4])) for r in rows])
    dlo, dhi = _interval([(r.death_earliest, r.death_latest) for r in rows])
    srcs = sorted({int(r.source_id) for r in rows})
    support = {
        "name": [r.id for r in rows if (r.full_name or "").strip()
                 or (r.given_names or "").strip() or (r.surname or "").strip()],
        "death": [r.id for r in rows if r.death_earliest],
        "prison": [r.id for r in rows if r.prison_id]}
    return {**{c: names.get(c) for c in NAME_COLUMNS},
            "sex": _mode(r.sex_code for r in rows), "birth_year_lo": blo, "birth_year_hi": bhi,
            "death_earliest": dlo, "death_latest": dhi,
            "prison_id": _mode(r.prison_id for r in rows),
            "city_id": _mode(r.city_id for r in rows), "n_records": len(rows),
            "n_sources": len(srcs), "sources": json.dumps(srcs), "support": json.dumps(support)}


def _decode(d: dict[str, Any], like: dict[str, Any]) -> dict[str, Any]:
    """``summarise_records`` columns in the form ``like`` holds them: JSON columns decoded
    where ``like`` holds them decoded (lists, dicts), else left as JSON text."""
    out = dict(d)
    for col in ("sources", "support", "name_fa_sources", "name_latin_sources"):
        if isinstance(like.get(col), list | dict):
            out[col] = json.loads(out[col]) if isinstance(out.get(col), str) else []
    return out


def redact_persons(conn: Connection, persons: Sequence[dict[str, Any]],
                   viewer: Viewer | None) -> list[dict[str, Any]]:
    """``persons`` (dicts with ``id`` and any ``persons`` columns) as ``viewer`` may see
    them: a person with hidden records is recomputed from its visible ones (only the keys
    the dict has are replaced), one with no visible record is left out.  Unchanged, and
    cheap, when nothing is hidden from the viewer."""
    ids = [int(p["id"]) for p in persons]
    if not ids:
        return []
    affected = set(conn.execute(select(PersonRecord.person_id).distinct().where(
        PersonRecord.person_id.in_(ids),
        PersonRecord.record_id.in_(hidden_records_select(viewer)))).scalars())
    if not affected:
        return list(persons)
    visible: dict[int, list[int]] = {i: [] for i in affected}
    for pid, rid in conn.execute(select(PersonRecord.person_id, PersonRecord.record_id).where(
            PersonRecord.person_id.in_(affected),
            PersonRecord.record_id.not_in(hidden_records_select(viewer)))):
        visible[int(pid)].append(int(rid))
    views = _summarise_many(conn, {pid: rids for pid, rids in visible.items() if rids})
    out = []
    for p in persons:
        pid = int(p["id"])
        if pid not in affected:
            out.append(p)
        elif visible[pid]:
            summary = _decode(views[pid], p)
            out.append({**p, **{k: v for k, v in summary.items() if k in p}})
    return out


def hidden_persons_select(viewer: Viewer | None) -> Any:
    """SQL: the persons with at least one record ``viewer`` may not see (their ``persons``
    row may show hidden data; :func:`redact_persons` gives their visible view)."""
    return (select(PersonRecord.person_id).distinct()
            .where(PersonRecord.record_id.in_(hidden_records_select(viewer))))


# -- cheap reads for menus and counts -------------------------------------------------------
def keeps_out(case: Case, viewer: Viewer | None) -> bool:
    """True when some source or record is hidden from ``viewer`` (one indexed query;
    False at once in a case with no restriction): a page may then keep what it computed
    for everybody (filter menus) instead of computing it for this viewer."""
    with case.read() as conn:
        return hides(conn, viewer)


def source_choices(case: Case, viewer: Viewer | None) -> list[tuple[int, str, str]]:
    """(id, slug, title) of each source ``viewer`` (None: nobody in particular) may see, in
    id order, for filter menus: unlike :meth:`Case.sources` it counts no records."""
    with case.read() as conn:
        return [(int(r.id), r.slug, r.title) for r in visible_sources(conn, viewer)]

"""Actors (persons and institutions) and the roles they held over time."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Row, select

from dadkhah.access import Viewer
from dadkhah.casefile._common import (
    ACTOR_KINDS,
    CitationInfo,
    Cite,
    add_citations,
    check_choice,
    check_slug,
    citations_of,
    interval_text,
    parse_interval,
    require_write,
    resolve,
    write,
)
from dadkhah.casefile._unseen import Unseen, unseen
from dadkhah.errors import InvalidInput, StoreError
from dadkhah.store import Case, audit
from dadkhah.store.tables import Actor, Role, insert_row

ACTOR_HINT = "List actors with: dadkhah actor list; add one with: dadkhah actor add"


@dataclass(frozen=True)
class RoleInfo:
    """A position held over an interval; dates are ISO Gregorian, as parsed."""

    id: int
    holder: str
    position: str
    position_fa: str | None
    institution: str | None
    start_text: str | None
    start_earliest: str | None
    start_latest: str | None
    end_text: str | None
    end_earliest: str | None
    end_latest: str | None
    notes: str | None
    sources: tuple[CitationInfo, ...] = ()
    created_at: str = ""
    created_by: str = ""
    institution_slug: str | None = None  # the institution's actor id (slug)

    def period(self) -> str:
        """'1988-01-01 … 1988-12-31 (…) – ?' in both calendars."""
        a = interval_text(self.start_earliest, self.start_latest) or "?"
        b = interval_text(self.end_earliest, self.end_latest) or "?"
        return f"{a} – {b}"

    def summary(self) -> str:
        where = f", {self.institution}" if self.institution else ""
        return f"{self.holder}: {self.position}{where} ({self.period()})"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ActorInfo:
    """A person or institution, with names in both scripts and the roles held."""

    id: int
    slug: str
    kind: str
    name_en: str | None
    name_fa: str | None
    aliases: tuple[str, ...]
    notes: str | None
    sources: tuple[CitationInfo, ...] = ()
    roles: tuple[RoleInfo, ...] = field(default=())
    created_at: str = ""
    created_by: str = ""

    @property
    def display_name(self) -> str:
        return self.name_en or self.name_fa or self.slug

    def summary(self) -> str:
        names = " / ".join(n for n in (self.name_en, self.name_fa) if n)
        lines = [f"{self.slug} ({self.kind}): {names}"]
        if self.aliases:
            lines.append("  also: " + ", ".join(self.aliases))
        lines += [f"  role: {r.position}" + (f", {r.institution}" if r.institution else "")
                  + f" ({r.period()})" for r in self.roles]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _key(*names: str | None) -> str | None:
    from dadkhah.names import name_key

    for n in names:
        if n and n.strip():
            return name_key(n) or None
    return None


def add_actor(case: Case, *, slug: str, kind: str, name_en: str | None = None,
              name_fa: str | None = None, aliases: Sequence[str] = (),
              notes: str | None = None, sources: Iterable[Cite | str] = (),
              by: str, role: str | None = None, viewer: Viewer | None = None) -> ActorInfo:
    """Add a person or institution.  ``name_fa`` in Persian script, ``name_en`` in Latin;
    ``aliases`` any other spellings (either script); ``sources`` back the biographical notes
    (only sources ``viewer``, who writes, may see: None, nobody in particular)."""
    require_write(role, f"actor {slug}")
    check_slug(slug, "Actor")
    kind = check_choice(kind, ACTOR_KINDS, "actor kind")
    if not (name_en or name_fa):
        raise InvalidInput(f"Actor {slug!r} needs a name.",
                           hint="Pass --name-en and/or --name-fa (Persian script).")
    with write(case) as conn:
        if conn.execute(select(Actor.id).where(Actor.slug == slug)).first():
            raise StoreError(f"An actor with id {slug!r} already exists.",
                             hint="Choose another id, or add a role to that actor.")
        values = {"slug": slug, "kind": kind, "name_en": name_en, "name_fa": name_fa,
                      "name_key": _key(name_en, name_fa),
                      "aliases": json.dumps(list(aliases), ensure_ascii=False), "notes": notes,
                      "created_at": audit.now_utc(), "created_by": by}
        aid = insert_row(conn, Actor, **values)
        cites = add_citations(conn, "actor", aid, sources, viewer)
        audit.append(conn, by=by, action="actor.add", target=f"actor:{aid}",
                      details={"slug": slug, "kind": kind, "name_en": name_en,
                               "name_fa": name_fa, "sources": cites})
    return get_actor(case, aid, viewer=viewer)


def _roles(conn: Connection, actor_ids: list[int], viewer: Viewer | None = None, *,
           every: bool = False, absent: Unseen | None = None) -> dict[int, list[RoleInfo]]:
    """actor id → the roles it held as ``viewer`` may see them: a role that does not exist
    for them (:mod:`dadkhah.casefile._unseen`; ``absent`` when the caller has read it) is
    left out unless ``every`` (a writer reading back the role it has just written)."""
    a = Actor.__table__
    inst = a.alias("inst")
    holder = a.alias("holder")
    rows = conn.execute(
        select(Role.__table__, holder.c.slug.label("holder_slug"),
               inst.c.slug.label("inst_slug"), inst.c.name_en.label("inst_name"))
        .join(holder, holder.c.id == Role.actor_id)
        .outerjoin(inst, inst.c.id == Role.institution_id)
        .where(Role.actor_id.in_(actor_ids))
        .order_by(Role.start_earliest, Role.id)).all()
    cites = citations_of(conn, "role", [r.id for r in rows], viewer)
    gone = frozenset() if every else (absent or unseen(conn, viewer)).roles
    out: dict[int, list[RoleInfo]] = {i: [] for i in actor_ids}
    for r in rows:
        if r.id in gone:
            continue
        out[r.actor_id].append(RoleInfo(
            id=r.id, holder=r.holder_slug, position=r.position, position_fa=r.position_fa,
            institution=r.inst_name or r.inst_slug, start_text=r.start_text,
            start_earliest=r.start_earliest, start_latest=r.start_latest, end_text=r.end_text,
            end_earliest=r.end_earliest, end_latest=r.end_latest, notes=r.notes,
            sources=tuple(cites[r.id]), created_at=r.created_at, created_by=r.created_by,
            institution_slug=r.inst_slug))
    return out


def _infos(conn: Connection, rows: Sequence[Row[Any]], viewer: Viewer | None = None,
           absent: Unseen | None = None) -> list[ActorInfo]:
    ids = [r.id for r in rows]
    roles = _roles(conn, ids, viewer, absent=absent)
    cites = citations_of(conn, "actor", ids, viewer)
    return [ActorInfo(id=r.id, slug=r.slug, kind=r.kind, name_en=r.name_en, name_fa=r.name_fa,
                      aliases=tuple(json.loads(r.aliases)), notes=r.notes,
                      sources=tuple(cites[r.id]), roles=tuple(roles[r.id]),
                      created_at=r.created_at, created_by=r.created_by) for r in rows]


def get_actor(case: Case, ref: int | str, *, viewer: Viewer | None = None) -> ActorInfo:
    """An actor by slug or id, with roles and sources (citations of a source restricted from
    ``viewer``, None: nobody in particular, left out).  A name in either script also works
    when it matches exactly one actor's cross-script key.  An actor that does not exist for
    ``viewer`` (:mod:`dadkhah.casefile._unseen`) gets the answer an unknown one gets."""
    with case.read() as conn:
        absent = unseen(conn, viewer)
        try:
            row = resolve(conn, Actor.__table__, ref, "actor", ACTOR_HINT, absent.actors)
        except StoreError:
            found = [r for r in _search(conn, str(ref)) if r.id not in absent.actors]
            if len(found) != 1:
                raise
            row = found[0]
        return _infos(conn, [row], viewer, absent)[0]


def written_actor(case: Case, actor_id: int, viewer: Viewer | None = None) -> ActorInfo:
    """The actor a writer has just written, read back as ``viewer`` (who wrote; None:
    nobody in particular) may see its roles and sources, whoever may read it later."""
    with case.read() as conn:
        return _infos(conn, [conn.execute(select(Actor.__table__)
                                          .where(Actor.id == actor_id)).one()], viewer)[0]


def _search(conn: Connection, text: str) -> list[Row[Any]]:
    from dadkhah.names import name_key

    key = name_key(text)
    rows = conn.execute(select(Actor.__table__).order_by(Actor.id)).all()
    low = text.strip().lower()
    out = []
    for r in rows:
        names = [r.slug, r.name_en or "", r.name_fa or "", *json.loads(r.aliases)]
        if (key and (r.name_key == key or any(name_key(n) == key for n in names[3:] if n))) \
                or any(low and low in n.lower() for n in names):
            out.append(r)
    return out


def list_actors(case: Case, search: str | None = None, *,
                viewer: Viewer | None = None) -> list[ActorInfo]:
    """All actors, or those whose names (either script, any alias) match ``search``, that
    exist for ``viewer`` (their citations as ``viewer`` may see them)."""
    with case.read() as conn:
        rows = (_search(conn, search) if search else
                conn.execute(select(Actor.__table__).order_by(Actor.id)).all())
        absent = unseen(conn, viewer)
        return _infos(conn, [r for r in rows if r.id not in absent.actors], viewer, absent)


def add_role(case: Case, *, holder: int | str, position: str, position_fa: str | None = None,
             institution: int | str | None = None, start: str | None = None,
             end: str | None = None, notes: str | None = None,
             sources: Iterable[Cite | str] = (), by: str,
             role: str | None = None, viewer: Viewer | None = None) -> RoleInfo:
    """Record that ``holder`` held ``position`` from ``start`` to ``end`` (dates as written,
    any calendar; parsed into intervals), according to ``sources``.  ``viewer`` is who
    writes (None: nobody in particular): a source, holder or institution that does not
    exist for them gets the answer an unknown one gets."""
    require_write(role, f"a role of {holder}")
    if not position.strip():
        raise InvalidInput("A role needs a position.", hint="Pass --position.")
    s = parse_interval(start, "start date")
    e = parse_interval(end, "end date")
    with write(case) as conn:
        gone = unseen(conn, viewer).actors
        h = resolve(conn, Actor.__table__, holder, "actor", ACTOR_HINT, gone)
        inst = (resolve(conn, Actor.__table__, institution, "actor", ACTOR_HINT, gone)
                if institution is not None else None)
        rid = insert_row(conn, Role,
            actor_id=h.id, position=position, position_fa=position_fa,
            institution_id=inst.id if inst else None, start_text=start, start_earliest=s[0],
            start_latest=s[1], end_text=end, end_earliest=e[0], end_latest=e[1], notes=notes,
            created_at=audit.now_utc(), created_by=by)
        cites = add_citations(conn, "role", rid, sources, viewer)
        audit.append(conn, by=by, action="role.add", target=f"role:{rid}",
                      details={"actor": h.slug, "position": position,
                               "institution": inst.slug if inst else None, "start": start,
                               "end": end, "sources": cites})
        return next(r for r in _roles(conn, [h.id], viewer, every=True)[h.id] if r.id == rid)

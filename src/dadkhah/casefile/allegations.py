"""Allegations: an actor's involvement in an event, as sources state it.

The system never asserts an allegation itself.  Its text is what the sources say and is
always shown behind «According to <sources>»; its status says how far it has been tested:
``alleged`` (a source makes it), ``corroborated`` (independent sources agree),
``established_by_court`` (a court found it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Row, select, update

from dadkhah.access import INTERNAL, Viewer
from dadkhah.casefile._common import (
    MODES,
    STATUSES,
    CitationInfo,
    Cite,
    add_citations,
    add_evidence_links,
    attribution,
    check_choice,
    citations_of,
    evidence_of,
    require_write,
    resolve,
    write,
)
from dadkhah.casefile._unseen import Unseen, unseen
from dadkhah.casefile.actors import ACTOR_HINT
from dadkhah.casefile.events import EVENT_HINT
from dadkhah.errors import InvalidInput, NotFound, StoreError
from dadkhah.store import Case, audit
from dadkhah.store.tables import Actor, Allegation, Event, insert_row


@dataclass(frozen=True)
class AllegationInfo:
    """One allegation with its sources; :meth:`attributed` is the only way it is shown."""

    id: int
    accused: str
    accused_name: str
    event: str
    event_title: str
    mode: str
    status: str
    text: str
    text_fa: str | None
    sources: tuple[CitationInfo, ...] = ()
    evidence: tuple[str, ...] = ()
    created_at: str = ""
    created_by: str = ""

    def attributed(self) -> str:
        """'According to <sources>, <text>' — the claim stays the sources' claim."""
        return f"{attribution(self.sources)}: {self.text}"

    def summary(self) -> str:
        return (f"#{self.id} {self.accused_name} — {self.mode.replace('_', ' ')} — "
                f"{self.event_title} [{self.status.replace('_', ' ')}]\n  {self.attributed()}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def add_allegation(case: Case, *, accused: int | str, event: int | str, mode: str,
                   status: str = "alleged", text: str, text_fa: str | None = None,
                   sources: Iterable[Cite | str] = (), evidence: Iterable[str | int] = (),
                   by: str, role: str | None = None,
                   viewer: Viewer | None = None) -> AllegationInfo:
    """Record that, according to ``sources``, ``accused`` was involved in ``event`` by
    ``mode`` (ordered, decided, carried_out, was_present, concealed).  At least one source
    is required; ``established_by_court`` needs a ``court_record`` source.  ``viewer`` is
    who writes (None: nobody in particular): a source, evidence item, actor or event that
    does not exist for them gets the answer an unknown one gets."""
    require_write(role, f"an allegation against {accused}")
    mode = check_choice(mode, MODES, "mode of involvement")
    status = check_choice(status, STATUSES, "allegation status")
    sources = [Cite.parse(s) if isinstance(s, str) else s for s in sources]
    if not sources:
        raise InvalidInput("An allegation needs at least one source.",
                           hint="Pass --source SLUG[:CREDIBILITY]: the case file only records "
                                "what a source alleges.")
    if not text.strip():
        raise InvalidInput("An allegation needs its text, as the source states it.",
                           hint="Pass --text.")
    with write(case) as conn:
        gone = unseen(conn, viewer)
        a = resolve(conn, Actor.__table__, accused, "actor", ACTOR_HINT, gone.actors)
        e = resolve(conn, Event.__table__, event, "event", EVENT_HINT, gone.events)
        aid = insert_row(conn, Allegation,
            actor_id=a.id, event_id=e.id, mode=mode, status=status, text=text,
            text_fa=text_fa, created_at=audit.now_utc(),
            created_by=by)
        cites = add_citations(conn, "allegation", aid, sources, viewer)
        _check_court(conn, status, aid)
        items = add_evidence_links(conn, "allegation", aid, evidence, viewer)
        audit.append(conn, by=by, action="allegation.add",
                      target=f"allegation:{aid}",
                      details={"actor": a.slug, "event": e.slug, "mode": mode,
                               "status": status, "text": text, "sources": cites,
                               "evidence": items})
        return _infos(conn, [aid], viewer=viewer, every=True)[0]


def _check_court(conn: Connection, status: str, allegation_id: int) -> None:
    if status != "established_by_court":
        return
    # every citation counts here (the check shows nothing to anyone)
    kinds = {c.kind for c in citations_of(conn, "allegation", [allegation_id],
                                          INTERNAL)[allegation_id]}
    if "court_record" not in kinds:
        raise StoreError("Status 'established_by_court' needs a court judgment among the "
                         "allegation's sources.",
                         hint="Cite a source of kind court_record, or use status "
                              "'corroborated' or 'alleged'.")


def set_allegation_status(case: Case, allegation_id: int, status: str, *,
                          sources: Iterable[Cite | str] = (), by: str,
                          role: str | None = None,
                          viewer: Viewer | None = None) -> AllegationInfo:
    """Change the status (e.g. alleged → established_by_court), citing what changed it.
    ``viewer`` is who writes (None: nobody in particular): an allegation or source that does
    not exist for them gets the answer an unknown one gets."""
    require_write(role, f"allegation {allegation_id}")
    status = check_choice(status, STATUSES, "allegation status")
    with write(case) as conn:
        row = _allegation_row(conn, allegation_id, unseen(conn, viewer).allegations)
        cites = add_citations(conn, "allegation", allegation_id, sources, viewer)
        conn.execute(update(Allegation).where(Allegation.id == allegation_id)
                     .values(status=status))
        _check_court(conn, status, allegation_id)
        audit.append(conn, by=by, action="allegation.status",
                      target=f"allegation:{allegation_id}",
                      details={"from": row.status, "to": status, "sources": cites})
        return _infos(conn, [allegation_id], viewer=viewer, every=True)[0]


def _allegation_row(conn: Connection, allegation_id: int | str,
                    unseen_ids: Collection[int] = ()) -> Row[Any]:
    """The allegation's row; NotFound (with where to list them) when there is none, or when
    it is one of ``unseen_ids`` (it does not exist for the reader)."""
    row = conn.execute(select(Allegation.__table__)
                       .where(Allegation.id == int(allegation_id))).first() \
        if str(allegation_id).strip().isdigit() else None
    if row is None or row.id in unseen_ids:
        raise _no_allegation(allegation_id)
    return row


def _no_allegation(allegation_id: int | str) -> NotFound:
    return NotFound(f"No allegation {allegation_id} in this case.",
                    hint="List allegations with: dadkhah allegation list")


def get_allegation(case: Case, allegation_id: int | str, *,
                   viewer: Viewer | None = None) -> AllegationInfo:
    """One allegation by its number, with the citations and evidence ``viewer`` (None:
    nobody in particular) may see; NotFound when the case has no such allegation, or when
    every source of it is kept from ``viewer`` (the same answer)."""
    with case.read() as conn:
        row = _allegation_row(conn, allegation_id)
        found = _infos(conn, [row.id], viewer=viewer)
        if not found:
            raise _no_allegation(allegation_id)
        return found[0]


def _infos(conn: Connection, ids: list[int] | None = None, *, actor_id: int | None = None,
           event_id: int | None = None, viewer: Viewer | None = None,
           every: bool = False, absent: Unseen | None = None) -> list[AllegationInfo]:
    """The allegations asked for, as ``viewer`` may see them: one that does not exist for
    them (:mod:`dadkhah.casefile._unseen`; ``absent`` when the caller has read it) is left
    out unless ``every`` (a writer reading back what it has just written)."""
    q = (select(Allegation.__table__, Actor.slug.label("a_slug"),
                Actor.name_en.label("a_en"), Actor.name_fa.label("a_fa"),
                Event.slug.label("e_slug"), Event.title.label("e_title"))
         .join(Actor, Actor.id == Allegation.actor_id)
         .join(Event, Event.id == Allegation.event_id).order_by(Allegation.id))
    if ids is not None:
        q = q.where(Allegation.id.in_(ids))
    if actor_id is not None:
        q = q.where(Allegation.actor_id == actor_id)
    if event_id is not None:
        q = q.where(Allegation.event_id == event_id)
    rows = conn.execute(q).all()
    cites = citations_of(conn, "allegation", [r.id for r in rows], viewer)
    items = evidence_of(conn, "allegation", [r.id for r in rows], viewer)
    gone = frozenset() if every else (absent or unseen(conn, viewer)).allegations
    return [AllegationInfo(
        id=r.id, accused=r.a_slug, accused_name=r.a_en or r.a_fa or r.a_slug, event=r.e_slug,
        event_title=r.e_title, mode=r.mode, status=r.status, text=r.text, text_fa=r.text_fa,
        sources=tuple(cites[r.id]), evidence=tuple(items[r.id]), created_at=r.created_at,
        created_by=r.created_by) for r in rows if r.id not in gone]


def list_allegations(case: Case, *, accused: int | str | None = None,
                     event: int | str | None = None,
                     viewer: Viewer | None = None) -> list[AllegationInfo]:
    """Allegations, optionally against one actor and/or about one event, with the citations
    and evidence ``viewer`` (None: nobody in particular) may see."""
    with case.read() as conn:
        gone = unseen(conn, viewer)
        aid = (resolve(conn, Actor.__table__, accused, "actor", ACTOR_HINT, gone.actors).id
               if accused is not None else None)
        eid = (resolve(conn, Event.__table__, event, "event", EVENT_HINT, gone.events).id
               if event is not None else None)
        return _infos(conn, actor_id=aid, event_id=eid, viewer=viewer, absent=gone)

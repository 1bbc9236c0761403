"""Events (what happened, where, when), their victims in the register, and the figures
sources give for them — kept side by side, never reconciled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Row, or_, select

from dadkhah.access import Viewer
from dadkhah.casefile._common import (
    EVENT_TYPES,
    FIGURE_TYPES,
    CitationInfo,
    Cite,
    _restricted_for,
    add_citations,
    add_evidence_links,
    check_choice,
    check_slug,
    citations_of,
    evidence_of,
    interval_text,
    parse_interval,
    require_write,
    resolve,
    write,
)
from dadkhah.casefile._unseen import Unseen, unseen
from dadkhah.errors import InvalidInput, NotFound, StoreError
from dadkhah.store import Case, audit
from dadkhah.store.restrict import hidden_records_select, hides
from dadkhah.store.tables import (
    BurialSite,
    Event,
    EventVictim,
    Figure,
    Person,
    PersonRecord,
    SourceRecord,
    insert_row,
)

EVENT_HINT = "List events with: dadkhah event list; add one with: dadkhah event add"


@dataclass(frozen=True)
class FigureInfo:
    """A number as one source gives it, e.g. '2,800 or 3,800' persons killed."""

    id: int
    event: str
    quantity: str
    figure_type: str
    value_text: str
    low: int | None
    high: int | None
    notes: str | None
    sources: tuple[CitationInfo, ...] = ()
    created_at: str = ""
    created_by: str = ""

    def summary(self) -> str:
        who = ", ".join(c.title for c in self.sources) or "no source"
        return f"{self.quantity} ({self.figure_type}): {self.value_text} — according to {who}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventInfo:
    """An event; ``date_*`` are ISO Gregorian interval ends with the precision of the date."""

    id: int
    slug: str
    event_type: str
    title: str
    title_fa: str | None
    description: str | None
    date_text: str | None
    date_earliest: str | None
    date_latest: str | None
    date_precision: str | None
    place_id: str | None
    place_text: str | None
    burial_site: str | None
    part_of: str | None
    victims: tuple[dict[str, Any], ...] = ()
    figures: tuple[FigureInfo, ...] = ()
    sources: tuple[CitationInfo, ...] = ()
    evidence: tuple[str, ...] = ()
    created_at: str = ""
    created_by: str = ""

    def when(self) -> str:
        return interval_text(self.date_earliest, self.date_latest) or "date unknown"

    def summary(self) -> str:
        where = self.place_text or self.place_id or "place unknown"
        return f"{self.slug} [{self.event_type}] {self.title} — {self.when()}, {where}; " \
               f"{len(self.sources)} source(s), {len(self.figures)} figure(s), " \
               f"{len(self.victims)} linked victim(s)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_place(text: str | None) -> tuple[str | None, str | None]:
    """(gazetteer id, text as given).  An id (``prison:evin``) is taken as it is if known."""
    if not text or not text.strip():
        return None, None
    from dadkhah.names import load_gazetteer
    from dadkhah.names import resolve_place as resolve_name

    gaz = load_gazetteer()
    try:
        gaz[text.strip()]
        return text.strip(), None
    except KeyError:
        pass
    match = resolve_name(text)
    if match.id is None:
        raise InvalidInput(f"Place {text!r} is not in the gazetteer ({match.problem}).",
                           hint="Use a gazetteer id such as city:tehran or prison:gohardasht "
                                "(dadkhah names place NAME shows what a name resolves to).")
    return match.id, text


def add_event(case: Case, *, slug: str, event_type: str, title: str,
              title_fa: str | None = None, description: str | None = None,
              date: str | None = None, place: str | None = None,
              burial_site: int | str | None = None, part_of: int | str | None = None,
              sources: Iterable[Cite | str] = (), evidence: Iterable[str | int] = (),
              by: str, role: str | None = None, viewer: Viewer | None = None) -> EventInfo:
    """Add an event.  ``date`` as written in either calendar («28 Tir 1367», «summer 1988»,
    «1988-07-27 to 1988-09-06») becomes an interval with a precision; ``place`` a gazetteer
    id or name; ``part_of`` the slug of an encompassing event (chain of events).  ``viewer``
    is who writes (None: nobody in particular): a source, evidence item or encompassing
    event that does not exist for them gets the answer an unknown one gets."""
    require_write(role, f"event {slug}")
    check_slug(slug, "Event")
    event_type = check_choice(event_type, EVENT_TYPES, "event type")
    if not title.strip():
        raise InvalidInput(f"Event {slug!r} needs a title.", hint="Pass --title.")
    earliest, latest, precision = parse_interval(date, "event date")
    place_id, place_text = resolve_place(place)
    with write(case) as conn:
        if conn.execute(select(Event.id).where(Event.slug == slug)).first():
            raise StoreError(f"An event with id {slug!r} already exists.",
                             hint="Choose another id.")
        site = (resolve(conn, BurialSite.__table__, burial_site, "burial site",
                        "List burial sites with: dadkhah burial list")
                if burial_site is not None else None)
        parent = (resolve(conn, Event.__table__, part_of, "event", EVENT_HINT,
                          unseen(conn, viewer).events)
                  if part_of is not None else None)
        eid = insert_row(conn, Event,
            slug=slug, event_type=event_type, title=title, title_fa=title_fa,
            description=description, date_text=date, date_earliest=earliest,
            date_latest=latest, date_precision=precision, place_id=place_id,
            place_text=place_text, burial_site_id=site.id if site else None,
            part_of_id=parent.id if parent else None, created_at=audit.now_utc(),
            created_by=by)
        cites = add_citations(conn, "event", eid, sources, viewer)
        items = add_evidence_links(conn, "event", eid, evidence, viewer)
        audit.append(conn, by=by, action="event.add", target=f"event:{eid}",
                      details={"slug": slug, "type": event_type, "title": title,
                               "date": date, "place_id": place_id, "sources": cites,
                               "evidence": items})
    return written_event(case, eid, viewer)


def link_victim(case: Case, event: int | str, *, person_id: int | None = None,
                record_id: int | None = None, notes: str | None = None, by: str,
                role: str | None = None, viewer: Viewer | None = None) -> EventInfo:
    """Tie a victim of the register (a person id, or one source record) to an event.
    ``viewer`` is who writes (None: nobody in particular): an event, person or record that
    does not exist for them gets the answer an unknown one gets."""
    require_write(role, f"victims of event {event}")
    if (person_id is None) == (record_id is None):
        raise InvalidInput("Give either a person id or a source record id.",
                           hint="Pass --person ID (the register) or --record ID.")
    with write(case) as conn:
        ev = resolve(conn, Event.__table__, event, "event", EVENT_HINT,
                     unseen(conn, viewer).events)
        # records kept from the writer, and persons only such records name, are not there
        kept = hides(conn, viewer)
        if person_id is not None:
            q = select(Person.id).where(Person.id == person_id)
            if kept:
                q = q.where(select(PersonRecord.record_id).where(
                    PersonRecord.person_id == Person.id,
                    PersonRecord.record_id.not_in(hidden_records_select(viewer))).exists())
            if conn.execute(q).first() is None:
                raise NotFound(f"No person {person_id} in the register.",
                               hint="List persons with: dadkhah persons list (after dadkhah "
                                    "link)")
        if record_id is not None:
            q = select(SourceRecord.id).where(SourceRecord.id == record_id)
            if kept:
                q = q.where(SourceRecord.id.not_in(hidden_records_select(viewer)))
            if conn.execute(q).first() is None:
                raise NotFound(f"No source record {record_id} in this case.",
                               hint="List records with: dadkhah records list")
        vid = insert_row(conn, EventVictim,
            event_id=ev.id, person_id=person_id, record_id=record_id, notes=notes,
            created_at=audit.now_utc(), created_by=by)
        audit.append(conn, by=by, action="event.victim", target=f"event:{ev.id}",
                      details={"event_victim_id": vid, "person_id": person_id,
                               "record_id": record_id})
    return written_event(case, ev.id, viewer)


def add_figure(case: Case, event: int | str, *, quantity: str, figure_type: str,
               value_text: str, low: int | None = None, high: int | None = None,
               notes: str | None = None, sources: Iterable[Cite | str] = (), by: str,
               role: str | None = None, viewer: Viewer | None = None) -> FigureInfo:
    """Record a number one source gives (``value_text`` in its words; ``low``/``high`` the
    range it states, if any).  Figures are never combined: each stands with its source.
    ``viewer`` is who writes (None: nobody in particular): a source or event that does not
    exist for them gets the answer an unknown one gets."""
    require_write(role, f"figures of event {event}")
    figure_type = check_choice(figure_type, FIGURE_TYPES, "figure type")
    if not value_text.strip():
        raise InvalidInput("A figure needs its value as the source states it.",
                           hint="Pass --value, e.g. 'between 4,500 and 5,000'.")
    if low is not None and high is not None and low > high:
        raise InvalidInput(f"Figure range {low}–{high} ends before it starts.",
                           hint="Give --low no greater than --high.")
    sources = list(sources)
    if not sources:
        raise InvalidInput("A figure needs the source that gives it.",
                           hint="Pass --source SLUG: figures are recorded per source.")
    with write(case) as conn:
        ev = resolve(conn, Event.__table__, event, "event", EVENT_HINT,
                     unseen(conn, viewer).events)
        fid = insert_row(conn, Figure,
            event_id=ev.id, quantity=quantity, figure_type=figure_type, value_text=value_text,
            low=low, high=high, notes=notes, created_at=audit.now_utc(),
            created_by=by)
        cites = add_citations(conn, "figure", fid, sources, viewer)
        audit.append(conn, by=by, action="figure.add", target=f"figure:{fid}",
                      details={"event": ev.slug, "quantity": quantity, "type": figure_type,
                               "value": value_text, "low": low, "high": high,
                               "sources": cites})
        return _figures(conn, [ev.id], viewer, every=True)[ev.id][-1]


def _figures(conn: Connection, event_ids: list[int], viewer: Viewer | None = None, *,
             every: bool = False, absent: Unseen | None = None
             ) -> dict[int, list[FigureInfo]]:
    """event id → its figures as ``viewer`` may see them: a figure that does not exist for
    them (:mod:`dadkhah.casefile._unseen`; ``absent`` when the caller has read it) is left
    out unless ``every`` (a writer reading back the figure it has just written)."""
    rows = conn.execute(select(Figure.__table__, Event.slug.label("event_slug"))
                        .join(Event, Event.id == Figure.event_id)
                        .where(Figure.event_id.in_(event_ids)).order_by(Figure.id)).all()
    cites = citations_of(conn, "figure", [r.id for r in rows], viewer)
    gone = frozenset() if every else (absent or unseen(conn, viewer)).figures
    out: dict[int, list[FigureInfo]] = {i: [] for i in event_ids}
    for r in rows:
        if r.id in gone:
            continue
        out[r.event_id].append(FigureInfo(
            id=r.id, event=r.event_slug, quantity=r.quantity, figure_type=r.figure_type,
            value_text=r.value_text, low=r.low, high=r.high, notes=r.notes,
            sources=tuple(cites[r.id]), created_at=r.created_at, created_by=r.created_by))
    return out


def list_figures(case: Case, event: int | str | None = None, *,
                 viewer: Viewer | None = None) -> list[FigureInfo]:
    """Every figure (of one event, or all), each with its own sources (as ``viewer``, None:
    nobody in particular, may see them)."""
    with case.read() as conn:
        absent = unseen(conn, viewer)
        if event is None:
            ids = [r.id for r in conn.execute(select(Event.id).order_by(Event.id))]
        else:
            ids = [resolve(conn, Event.__table__, event, "event", EVENT_HINT,
                           absent.events).id]
        figs = _figures(conn, ids, viewer, absent=absent)
    return [f for i in ids for f in figs[i]]


def events_by_id(conn: Connection, rows: Sequence[Row[Any]],
                 viewer: Viewer | None = None, *, every: bool = False,
                 absent: Unseen | None = None) -> list[EventInfo]:
    """The events of ``rows`` as ``viewer`` (None: nobody in particular) may see them:
    citations, evidence and victims resting on restricted data they may not see left out,
    and the events and figures that do not exist for them (:mod:`dadkhah.casefile._unseen`;
    ``absent`` when the caller has read it) unless ``every`` (a writer reading back what it
    has just written)."""
    absent = absent or unseen(conn, viewer)
    gone = absent.events
    if not every:
        rows = [r for r in rows if r.id not in gone]
    ids = [r.id for r in rows]
    slugs = {i: s for i, s in conn.execute(select(Event.id, Event.slug)) if i not in gone}
    sites = dict(conn.execute(select(BurialSite.id, BurialSite.slug)).all())
    cites = citations_of(conn, "event", ids, viewer)
    items = evidence_of(conn, "event", ids, viewer)
    figs = _figures(conn, ids, viewer, absent=absent)
    victims: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    vq = select(EventVictim.__table__).where(EventVictim.event_id.in_(ids))
    if _restricted_for(conn, viewer):
        vq = vq.where(or_(EventVictim.record_id.is_(None),
                          EventVictim.record_id.not_in(hidden_records_select(viewer))))
    for v in conn.execute(vq.order_by(EventVictim.id)):
        victims[v.event_id].append({"person_id": v.person_id, "record_id": v.record_id,
                                    "notes": v.notes, "created_at": v.created_at,
                                    "created_by": v.created_by})
    return [EventInfo(
        id=r.id, slug=r.slug, event_type=r.event_type, title=r.title, title_fa=r.title_fa,
        description=r.description, date_text=r.date_text, date_earliest=r.date_earliest,
        date_latest=r.date_latest, date_precision=r.date_precision, place_id=r.place_id,
        place_text=r.place_text, burial_site=sites.get(r.burial_site_id),
        part_of=slugs.get(r.part_of_id), victims=tuple(victims[r.id]),
        figures=tuple(figs[r.id]), sources=tuple(cites[r.id]), evidence=tuple(items[r.id]),
        created_at=r.created_at, created_by=r.created_by) for r in rows]


def get_event(case: Case, ref: int | str, *, viewer: Viewer | None = None) -> EventInfo:
    """An event by slug or id, with victims, figures, sources and evidence (as ``viewer``,
    None: nobody in particular, may see them); one that does not exist for them gets the
    answer an unknown one gets."""
    with case.read() as conn:
        absent = unseen(conn, viewer)
        return events_by_id(conn, [resolve(conn, Event.__table__, ref, "event", EVENT_HINT,
                                           absent.events)], viewer, absent=absent)[0]


def written_event(case: Case, event_id: int, viewer: Viewer | None = None) -> EventInfo:
    """The event a writer has just written, read back as ``viewer`` may see its parts,
    whoever may read the event later."""
    with case.read() as conn:
        row = conn.execute(select(Event.__table__).where(Event.id == event_id)).one()
        return events_by_id(conn, [row], viewer, every=True)[0]


def list_events(case: Case, *, viewer: Viewer | None = None) -> list[EventInfo]:
    """Events in date order (undated last), as ``viewer`` may see them."""
    with case.read() as conn:
        rows = conn.execute(select(Event.__table__).order_by(Event.id)).all()
        infos = events_by_id(conn, rows, viewer)
    return sorted(infos, key=lambda e: (e.date_earliest is None, e.date_earliest or "", e.id))

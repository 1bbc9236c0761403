"""Changes to what the case file already holds: an actor's names, a role's position and
dates, an event's title and date, a figure's value, an allegation's wording and mode, and one
more source for any claim, or one source fewer (with a reason).

The same rules as when the item was added apply (vocabularies, dates read in either
calendar, names required, an allegation's status only through
:func:`~dadkhah.casefile.set_allegation_status`).  Each change is one transaction and one
audit entry holding every changed field as ``[before, after]``; a change that changes
nothing writes nothing.

Each takes ``viewer``, who writes (None: nobody in particular), as the writers that add do:
an item that does not exist for them (:mod:`dadkhah.casefile._unseen`), or an actor named
as a role's institution that does not, gets the answer an unknown one gets and nothing is
written; what is returned is read back as they may see it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update

from dadkhah.access import Viewer
from dadkhah.casefile._common import (
    ACTOR_KINDS,
    EVENT_TYPES,
    FIGURE_TYPES,
    MODES,
    Cite,
    _restricted_for,
    add_citations,
    check_choice,
    citations_of,
    parse_interval,
    require_write,
    resolve,
    write,
)
from dadkhah.casefile._unseen import unseen
from dadkhah.casefile.actors import ACTOR_HINT, ActorInfo, RoleInfo, _key, _roles, written_actor
from dadkhah.casefile.allegations import AllegationInfo, _allegation_row, _check_court, _infos
from dadkhah.casefile.burial import (
    BURIAL_HINT,
    BurialSiteInfo,
    check_geometry,
    get_burial_site,
)
from dadkhah.casefile.events import (
    EVENT_HINT,
    EventInfo,
    FigureInfo,
    _figures,
    resolve_place,
    written_event,
)
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store import Case, audit
from dadkhah.store.restrict import visible_source_id
from dadkhah.store.tables import (
    CLAIM_KINDS,
    Actor,
    Allegation,
    BurialSite,
    Citation,
    Event,
    Figure,
    Role,
    Source,
)

_TABLES = {"actor": Actor, "event": Event, "allegation": Allegation, "figure": Figure,
           "role": Role, "burial": BurialSite}


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _changes(row: Row[Any], values: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v}


def _apply(conn: Connection, table: Any, row: Row[Any], values: dict[str, Any], *,
           by: str, action: str, target: str, shown: Sequence[str] | None = None,
           extra: dict[str, Any] | None = None) -> bool:
    changed = _changes(row, values)
    if not changed:
        return False
    conn.execute(update(table).where(table.id == row.id)
                 .values(**{k: v[1] for k, v in changed.items()}))
    keep = changed if shown is None else {k: v for k, v in changed.items() if k in shown}
    audit.append(conn, by=by, action=action, target=target,
                 details={**(extra or {}), "changed": keep})
    return True


def update_actor(case: Case, ref: int | str, *, kind: str, name_en: str | None,
                 name_fa: str | None, aliases: Sequence[str] = (), notes: str | None = None,
                 by: str, role: str | None = None, viewer: Viewer | None = None) -> ActorInfo:
    """Set an actor's kind, names (at least one), aliases and notes; audited as
    ``actor.edit`` with the fields that changed.  The id (slug) stays."""
    require_write(role, f"actor {ref}")
    kind = check_choice(kind, ACTOR_KINDS, "actor kind")
    name_en, name_fa, notes = _clean(name_en), _clean(name_fa), _clean(notes)
    if not (name_en or name_fa):
        raise InvalidInput(f"Actor {ref!r} needs a name.",
                           hint="Give the name in Latin letters and/or in Persian script.")
    values = {"kind": kind, "name_en": name_en, "name_fa": name_fa,
              "name_key": _key(name_en, name_fa),
              "aliases": json.dumps([a.strip() for a in aliases if a.strip()],
                                    ensure_ascii=False), "notes": notes}
    with write(case) as conn:
        row = resolve(conn, Actor.__table__, ref, "actor", ACTOR_HINT,
                      unseen(conn, viewer).actors)
        _apply(conn, Actor, row, values, by=by, action="actor.edit", target=f"actor:{row.id}",
               extra={"slug": row.slug})
    return written_actor(case, row.id, viewer)


def update_event(case: Case, ref: int | str, *, event_type: str, title: str,
                 title_fa: str | None = None, description: str | None = None,
                 date: str | None = None, place: str | None = None, by: str,
                 role: str | None = None, viewer: Viewer | None = None) -> EventInfo:
    """Set an event's type, titles, description, date (as written, either calendar; read
    into an interval with its precision) and place (a gazetteer id or name); audited as
    ``event.edit``."""
    require_write(role, f"event {ref}")
    event_type = check_choice(event_type, EVENT_TYPES, "event type")
    if not title.strip():
        raise InvalidInput(f"Event {ref!r} needs a title.", hint="Give its title in English.")
    date = _clean(date)
    earliest, latest, precision = parse_interval(date, "event date")
    place_id, place_text = resolve_place(place)
    values = {"event_type": event_type, "title": title.strip(), "title_fa": _clean(title_fa),
              "description": _clean(description), "date_text": date,
              "date_earliest": earliest, "date_latest": latest, "date_precision": precision,
              "place_id": place_id, "place_text": place_text}
    with write(case) as conn:
        row = resolve(conn, Event.__table__, ref, "event", EVENT_HINT,
                      unseen(conn, viewer).events)
        _apply(conn, Event, row, values, by=by, action="event.edit", target=f"event:{row.id}",
               extra={"slug": row.slug})
    return written_event(case, row.id, viewer)


def _row_by_id(conn: Connection, table: Any, ident: int | str, what: str,
               hint: str, unseen_ids: frozenset[int] = frozenset()) -> Row[Any]:
    """The row numbered ``ident``; NotFound when there is none or it is one of
    ``unseen_ids`` (it does not exist for the reader: the same answer)."""
    row = conn.execute(select(table.__table__).where(table.id == int(ident))).first() \
        if str(ident).strip().isdigit() else None
    if row is None or row.id in unseen_ids:
        raise NotFound(f"No {what} {ident!r} in this case.", hint=hint)
    return row


_ROLE_HINT = "See an actor's roles, with their numbers, with: dadkhah actor show SLUG"
_FIGURE_HINT = "See an event's figures, with their numbers, with: dadkhah event show SLUG"


def get_role(case: Case, role_id: int | str, *, viewer: Viewer | None = None) -> RoleInfo:
    """One role by its number, with its sources (as ``viewer`` may see them); NotFound when
    the case has no such role, or when every source of it is kept from ``viewer`` (the same
    answer)."""
    with case.read() as conn:
        row = _row_by_id(conn, Role, role_id, "role", _ROLE_HINT)
        found = [r for r in _roles(conn, [row.actor_id], viewer)[row.actor_id]
                 if r.id == row.id]
        if not found:
            raise NotFound(f"No role {role_id!r} in this case.", hint=_ROLE_HINT)
        return found[0]


def get_figure(case: Case, figure_id: int | str, *, viewer: Viewer | None = None) -> FigureInfo:
    """One figure by its number, with its sources (as ``viewer`` may see them); NotFound when
    the case has no such figure, or when every source of it is kept from ``viewer`` (the
    same answer)."""
    with case.read() as conn:
        row = _row_by_id(conn, Figure, figure_id, "figure", _FIGURE_HINT)
        found = [f for f in _figures(conn, [row.event_id], viewer)[row.event_id]
                 if f.id == row.id]
        if not found:
            raise NotFound(f"No figure {figure_id!r} in this case.", hint=_FIGURE_HINT)
        return found[0]


def update_role(case: Case, role_id: int | str, *, position: str,
                position_fa: str | None = None, institution: int | str | None = None,
                start: str | None = None, end: str | None = None, notes: str | None = None,
                by: str, role: str | None = None, viewer: Viewer | None = None) -> RoleInfo:
    """Set a role's position (required), its Persian wording, institution (an actor, or
    None), start and end (as written, either calendar; read into intervals) and notes;
    audited as ``role.edit``.  The holder stays: a role held by someone else is another
    role."""
    require_write(role, f"role {role_id}")
    if not position.strip():
        raise InvalidInput(f"Role {role_id} needs a position.", hint="Give the position.")
    start, end = _clean(start), _clean(end)
    s = parse_interval(start, "start date")
    e = parse_interval(end, "end date")
    with write(case) as conn:
        gone = unseen(conn, viewer)
        row = _row_by_id(conn, Role, role_id, "role", _ROLE_HINT, gone.roles)
        inst = (resolve(conn, Actor.__table__, institution, "actor", ACTOR_HINT, gone.actors)
                if institution not in (None, "") else None)
        values = {"position": position.strip(), "position_fa": _clean(position_fa),
                  "institution_id": inst.id if inst else None, "start_text": start,
                  "start_earliest": s[0], "start_latest": s[1], "end_text": end,
                  "end_earliest": e[0], "end_latest": e[1], "notes": _clean(notes)}
        _apply(conn, Role, row, values, by=by, action="role.edit", target=f"role:{row.id}")
        return next(r for r in _roles(conn, [row.actor_id], viewer, every=True)[row.actor_id]
                    if r.id == row.id)


def update_figure(case: Case, figure_id: int | str, *, quantity: str, figure_type: str,
                  value_text: str, low: int | None = None, high: int | None = None,
                  notes: str | None = None, by: str, role: str | None = None,
                  viewer: Viewer | None = None) -> FigureInfo:
    """Set a figure's quantity, type (documented, estimate, claim …), value in the source's
    words (required), the range it states and notes; audited as ``figure.edit``.  Its
    sources change with :func:`add_citation` and :func:`remove_citation`."""
    require_write(role, f"figure {figure_id}")
    figure_type = check_choice(figure_type, FIGURE_TYPES, "figure type")
    if not quantity.strip():
        raise InvalidInput(f"Figure {figure_id} needs a quantity.",
                           hint="Say what is counted, e.g. killed.")
    if not value_text.strip():
        raise InvalidInput("A figure needs its value as the source states it.",
                           hint="Give the value, e.g. 'between 4,500 and 5,000'.")
    if low is not None and high is not None and low > high:
        raise InvalidInput(f"Figure range {low}–{high} ends before it starts.",
                           hint="Give a low end no greater than the high end.")
    values = {"quantity": quantity.strip(), "figure_type": figure_type,
              "value_text": value_text.strip(), "low": low, "high": high,
              "notes": _clean(notes)}
    with write(case) as conn:
        row = _row_by_id(conn, Figure, figure_id, "figure", _FIGURE_HINT,
                         unseen(conn, viewer).figures)
        _apply(conn, Figure, row, values, by=by, action="figure.edit",
               target=f"figure:{row.id}")
        return next(f for f in _figures(conn, [row.event_id], viewer, every=True)[row.event_id]
                    if f.id == row.id)


def update_allegation(case: Case, allegation_id: int, *, mode: str, text: str,
                      text_fa: str | None = None, by: str, role: str | None = None,
                      viewer: Viewer | None = None) -> AllegationInfo:
    """Set an allegation's mode of involvement and its wording (as the sources state it);
    audited as ``allegation.edit``.  Its status changes only with
    :func:`~dadkhah.casefile.set_allegation_status`, which checks what it needs."""
    require_write(role, f"allegation {allegation_id}")
    mode = check_choice(mode, MODES, "mode of involvement")
    if not text.strip():
        raise InvalidInput("An allegation needs its text, as the source states it.",
                           hint="Give the text in English.")
    values = {"mode": mode, "text": text.strip(), "text_fa": _clean(text_fa)}
    with write(case) as conn:
        row = _allegation_row(conn, allegation_id, unseen(conn, viewer).allegations)
        _apply(conn, Allegation, row, values, by=by, action="allegation.edit",
               target=f"allegation:{allegation_id}")
        return _infos(conn, [allegation_id], viewer=viewer, every=True)[0]


def update_burial_site(case: Case, ref: int | str, *, name_en: str | None,
                       name_fa: str | None, place: str | None = None,
                       geometry: dict[str, Any] | str | None = None,
                       description: str | None = None, by: str,
                       role: str | None = None,
                       viewer: Viewer | None = None) -> BurialSiteInfo:
    """Set a burial site's names (at least one), place (a gazetteer id or name), GeoJSON
    geometry (longitude first; None clears it) and description; audited as
    ``burial.edit``.  A burial site exists for every reader (what a restricted source says
    of it is left out of what they read), so ``viewer`` only reads it back."""
    require_write(role, f"burial site {ref}")
    name_en, name_fa = _clean(name_en), _clean(name_fa)
    if not (name_en or name_fa):
        raise InvalidInput(f"Burial site {ref!r} needs a name.",
                           hint="Give the name in Latin letters and/or in Persian script.")
    place_id, _ = resolve_place(place)
    values = {"name_en": name_en, "name_fa": name_fa, "place_id": place_id,
              "geometry": check_geometry(geometry), "description": _clean(description)}
    with write(case) as conn:
        row = resolve(conn, BurialSite.__table__, ref, "burial site", BURIAL_HINT)
        _apply(conn, BurialSite, row, values, by=by, action="burial.edit",
               target=f"burial:{row.id}", extra={"slug": row.slug})
    return get_burial_site(case, row.id, viewer=viewer)


def add_citation(case: Case, claim_kind: str, claim: int | str, cite: Cite | str, *,
                 by: str, role: str | None = None,
                 viewer: Viewer | None = None) -> dict[str, Any]:
    """One more source for a claim already recorded (an actor, role, event, figure or
    allegation, by id or slug), with its credibility grade; audited as ``citation.add``.
    Returns what was cited (source slug, credibility, locator).  ``viewer`` is who writes
    (None: nobody in particular): a source or claim that does not exist for them gets the
    answer an unknown one gets, and nothing is written."""
    if claim_kind not in _TABLES or claim_kind not in CLAIM_KINDS:
        raise InvalidInput(f"Cannot cite a source for a {claim_kind!r}.",
                           hint="Cite for: " + ", ".join(sorted(_TABLES)) + ".")
    require_write(role, f"sources of {claim_kind} {claim}")
    table = _TABLES[claim_kind].__table__
    with write(case) as conn:
        row = _claim_row(conn, claim_kind, table, claim, viewer)
        cited = add_citations(conn, claim_kind, row.id, [cite], viewer)
        audit.append(conn, by=by, action="citation.add", target=f"{claim_kind}:{row.id}",
                     details={"sources": cited})
    return cited[0]


# Claims that are never recorded without a source (add_figure and add_allegation refuse it).
_NEEDS_SOURCE = ("figure", "allegation")


def remove_citation(case: Case, claim_kind: str, claim: int | str, source: int | str, *,
                    reason: str, by: str, role: str | None = None,
                    viewer: Viewer | None = None) -> dict[str, Any]:
    """Take one source off a claim (an actor, role, event, figure, allegation or burial
    site, by id or slug), with the reason; audited as ``citation.remove`` with what was cited
    (grade, locator, quote) so the audit log keeps it.  Refused when it would leave a claim
    that needs a source with none, or an allegation established by a court with no court
    judgment among its sources: cite the replacement first; also refused, for any claim, when
    the case keeps restricted data from the writer and this is the last source they can see
    (else what the claim became would tell them whether hidden sources stand behind it).
    Returns what was removed.
    ``viewer`` is who writes (None: nobody in particular): a source or claim that does not
    exist for them gets the answer an unknown one gets, and nothing is changed."""
    if claim_kind not in _TABLES or claim_kind not in CLAIM_KINDS:
        raise InvalidInput(f"Cannot remove a source of a {claim_kind!r}.",
                           hint="Sources are kept for: " + ", ".join(sorted(_TABLES)) + ".")
    require_write(role, f"sources of {claim_kind} {claim}")
    if not (reason or "").strip():
        raise InvalidInput("Say why this source no longer supports the claim.",
                           hint="Give a reason (e.g. 'misread page', 'retracted'); it is "
                                "kept in the audit log.")
    table = _TABLES[claim_kind].__table__
    with write(case) as conn:
        row = _claim_row(conn, claim_kind, table, claim, viewer)
        src = conn.execute(select(Source.__table__).where(
            Source.id == visible_source_id(conn, source, viewer))).one()
        cites = conn.execute(select(Citation.__table__).where(
            Citation.claim_kind == claim_kind, Citation.claim_id == row.id)
            .order_by(Citation.id)).all()
        gone = [c for c in cites if c.source_id == src.id]
        # The writer's own sources count: refused or not must not tell them whether sources
        # kept from them stand behind the claim too.
        visible = [c.source for c in citations_of(conn, claim_kind, [row.id], viewer)[row.id]]
        if not gone:
            raise NotFound(f"Source {src.slug!r} is not cited for {claim_kind} {claim}.",
                           hint="Its sources: " + (", ".join(visible) or "none") + ".")
        seen = set(visible)
        if claim_kind in _NEEDS_SOURCE and seen == {src.slug}:
            raise InvalidInput(f"Source {src.slug!r} is the only source of {claim_kind} "
                               f"{claim}; a {claim_kind} is never kept without one.",
                               hint="Add the source that replaces it first, then remove "
                                    "this one.")
        # Left with no source they can see, an actor, role or event either stays unsourced
        # or, with hidden sources behind it, vanishes for this writer: which one would tell
        # them whether hidden sources exist.  So where data is kept from the writer, the
        # last source they see stays, whatever else stands behind the claim.
        if seen == {src.slug} and _restricted_for(conn, viewer):
            raise InvalidInput(f"Source {src.slug!r} is the last source of {claim_kind} "
                               f"{claim} that you can see; it stays while this case keeps "
                               "restricted data from you.",
                               hint="Add the source that replaces it first, or ask an admin "
                                    "who sees all restricted data to remove it.")
        removed = [{"source": src.slug, "credibility": c.credibility, "locator": c.locator,
                    "quote": c.quote} for c in gone]
        conn.execute(delete(Citation).where(
            Citation.id.in_([c.id for c in gone])))
        if claim_kind == "allegation":
            _check_court(conn, row.status, row.id)  # raises, and the removal is undone
        audit.append(conn, by=by, action="citation.remove", target=f"{claim_kind}:{row.id}",
                     details={"removed": removed, "reason": reason.strip()})
    return removed[0]


def _claim_row(conn: Connection, claim_kind: str, table: Any, claim: int | str,
               viewer: Viewer | None) -> Row[Any]:
    """The claim's row, or NotFound when there is none or it does not exist for
    ``viewer``."""
    found: Row[Any] | None
    gone = unseen(conn, viewer).of(claim_kind)
    if "slug" in table.c:
        found = resolve(conn, table, claim, claim_kind,
                        f"List them with: dadkhah {claim_kind} list", gone)
    else:
        found = conn.execute(select(table).where(table.c.id == int(claim))).first() \
            if str(claim).isdigit() else None
    if found is None or found.id in gone:
        raise NotFound(f"No {claim_kind} {claim!r} in this case.",
                       hint=f"List them with: dadkhah {claim_kind} list")
    return found


__all__ = ["add_citation", "get_figure", "get_role", "remove_citation", "update_actor",
           "update_allegation", "update_burial_site", "update_event", "update_figure",
           "update_role"]

"""Changes to what the case file already holds: an actor's names, an event's title and date,
an allegation's wording and mode, and one more source for any claim.

The same rules as when the item was added apply (vocabularies, dates read in either
calendar, names required, an allegation's status only through
:func:`~dadkhah.casefile.set_allegation_status`).  Each change is one transaction and one
audit entry holding every changed field as ``[before, after]``; a change that changes
nothing writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, select, update

from dadkhah.casefile._common import (
    ACTOR_KINDS,
    EVENT_TYPES,
    MODES,
    Cite,
    add_citations,
    check_choice,
    parse_interval,
    require_write,
    resolve,
    write,
)
from dadkhah.casefile.actors import ACTOR_HINT, ActorInfo, _key, get_actor
from dadkhah.casefile.allegations import AllegationInfo, _infos
from dadkhah.casefile.burial import (
    BURIAL_HINT,
    BurialSiteInfo,
    check_geometry,
    get_burial_site,
)
from dadkhah.casefile.events import EVENT_HINT, EventInfo, get_event, resolve_place
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store import Case, audit
from dadkhah.store.tables import (
    CLAIM_KINDS,
    Actor,
    Allegation,
    BurialSite,
    Event,
    Figure,
    Role,
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
                 by: str, role: str | None = None) -> ActorInfo:
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
        row = resolve(conn, Actor.__table__, ref, "actor", ACTOR_HINT)
        _apply(conn, Actor, row, values, by=by, action="actor.edit", target=f"actor:{row.id}",
               extra={"slug": row.slug})
    return get_actor(case, row.id)


def update_event(case: Case, ref: int | str, *, event_type: str, title: str,
                 title_fa: str | None = None, description: str | None = None,
                 date: str | None = None, place: str | None = None, by: str,
                 role: str | None = None) -> EventInfo:
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
        row = resolve(conn, Event.__table__, ref, "event", EVENT_HINT)
        _apply(conn, Event, row, values, by=by, action="event.edit", target=f"event:{row.id}",
               extra={"slug": row.slug})
    return get_event(case, row.id)


def update_allegation(case: Case, allegation_id: int, *, mode: str, text: str,
                      text_fa: str | None = None, by: str,
                      role: str | None = None) -> AllegationInfo:
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
        row = conn.execute(select(Allegation.__table__)
                           .where(Allegation.id == allegation_id)).first()
        if row is None:
            raise NotFound(f"No allegation {allegation_id} in this case.",
                           hint="List allegations with: dadkhah allegation list")
        _apply(conn, Allegation, row, values, by=by, action="allegation.edit",
               target=f"allegation:{allegation_id}")
        return _infos(conn, [allegation_id])[0]


def update_burial_site(case: Case, ref: int | str, *, name_en: str | None,
                       name_fa: str | None, place: str | None = None,
                       geometry: dict[str, Any] | str | None = None,
                       description: str | None = None, by: str,
                       role: str | None = None) -> BurialSiteInfo:
    """Set a burial site's names (at least one), place (a gazetteer id or name), GeoJSON
    geometry (longitude first; None clears it) and description; audited as
    ``burial.edit``."""
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
    return get_burial_site(case, row.id)


def add_citation(case: Case, claim_kind: str, claim: int | str, cite: Cite | str, *,
                 by: str, role: str | None = None) -> dict[str, Any]:
    """One more source for a claim already recorded (an actor, role, event, figure or
    allegation, by id or slug), with its credibility grade; audited as ``citation.add``.
    Returns what was cited (source slug, credibility, locator)."""
    if claim_kind not in _TABLES or claim_kind not in CLAIM_KINDS:
        raise InvalidInput(f"Cannot cite a source for a {claim_kind!r}.",
                           hint="Cite for: " + ", ".join(sorted(_TABLES)) + ".")
    require_write(role, f"sources of {claim_kind} {claim}")
    table = _TABLES[claim_kind].__table__
    with write(case) as conn:
        found: Row[Any] | None
        if "slug" in table.c:
            found = resolve(conn, table, claim, claim_kind,
                            f"List them with: dadkhah {claim_kind} list")
        else:
            found = conn.execute(select(table).where(table.c.id == int(claim))).first() \
                if str(claim).isdigit() else None
        if found is None:
            raise NotFound(f"No {claim_kind} {claim!r} in this case.",
                           hint=f"List them with: dadkhah {claim_kind} list")
        row = found
        cited = add_citations(conn, claim_kind, row.id, [cite])
        audit.append(conn, by=by, action="citation.add", target=f"{claim_kind}:{row.id}",
                     details={"sources": cited})
    return cited[0]


__all__ = ["add_citation", "update_actor", "update_allegation", "update_burial_site",
           "update_event"]

"""What of the case file does not exist for a reader (restricted records, issue 16): "what
rests only on restricted material does not exist for that reader".

Per kind, as a claim is recorded:

- a **role**, a **figure** or an **allegation** is a claim of its sources; one that has
  citations, none of a source the reader may see, rests only on what is kept from them and
  does not exist for them.  Shown with the citations they may see, none, it would say that
  it rests on restricted material (a figure or an allegation is never recorded without a
  source), which is what the restriction protects.
- an **actor** or an **event** is what claims are made about.  One whose own citations are
  all kept from the reader still exists for them while a claim they may see names it (a
  role held by the actor or at the actor as institution, an allegation against the actor
  or about the event, a figure given for the event): that claim makes it known to them.
  Otherwise it does not exist for them either.

An item recorded with no citation at all rests on nothing restricted and is always shown.
This module is the one place the rule is written: every reader and writer of the case file
asks :func:`unseen`, and a reader that has the answer passes it on (``absent``) rather than
reading it again.
A reference to an item that does not exist for the reader (an event's ``part_of``, a
testimony's event, a burial site's events) is left out of what they read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, select

from dadkhah.access import Viewer
from dadkhah.casefile._common import _restricted_for
from dadkhah.store.restrict import hidden_ids_select
from dadkhah.store.tables import Allegation, Citation, Figure, Role


@dataclass(frozen=True)
class Unseen:
    """Ids, per kind, of the case-file items that do not exist for one reader."""

    actors: frozenset[int] = frozenset()
    roles: frozenset[int] = frozenset()
    events: frozenset[int] = frozenset()
    figures: frozenset[int] = frozenset()
    allegations: frozenset[int] = frozenset()

    def of(self, claim_kind: str) -> frozenset[int]:
        """The ids of one claim kind (``actor``, ``role``, ``event``, ``figure``,
        ``allegation``; none for any other kind)."""
        return {"actor": self.actors, "role": self.roles, "event": self.events,
                "figure": self.figures, "allegation": self.allegations
                }.get(claim_kind, frozenset())


NOTHING_UNSEEN = Unseen()


def unseen(conn: Connection, viewer: Viewer | None) -> Unseen:
    """What does not exist for ``viewer`` (None: nobody in particular), read in ``conn``;
    one query when the case restricts nothing or the viewer sees everything."""
    if not _restricted_for(conn, viewer):
        return NOTHING_UNSEEN
    cited = select(Citation.claim_kind, Citation.claim_id).distinct()
    seen = cited.where(Citation.source_id.not_in(hidden_ids_select("source", viewer)))
    bare: dict[str, set[int]] = defaultdict(set)
    for kind, claim_id in conn.execute(cited.except_(seen)):
        bare[kind].add(int(claim_id))
    if not bare:
        return NOTHING_UNSEEN
    named_actors: set[int] = set()
    for holder, institution in conn.execute(
            select(Role.actor_id, Role.institution_id).where(
                Role.id.not_in(sorted(bare["role"])))):
        named_actors.update(i for i in (holder, institution) if i is not None)
    named_events = set(conn.execute(select(Figure.event_id).where(
        Figure.id.not_in(sorted(bare["figure"])))).scalars())
    for accused, event in conn.execute(select(Allegation.actor_id, Allegation.event_id).where(
            Allegation.id.not_in(sorted(bare["allegation"])))):
        named_actors.add(accused)
        named_events.add(event)
    return Unseen(actors=frozenset(bare["actor"] - named_actors),
                  roles=frozenset(bare["role"]),
                  events=frozenset(bare["event"] - named_events),
                  figures=frozenset(bare["figure"]), allegations=frozenset(bare["allegation"]))

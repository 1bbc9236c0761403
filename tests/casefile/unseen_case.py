"""A case file with actors, roles and events resting on a source kept from all but one
user (restricted records, issue 16), planted by that user into any case (SYNTHETIC).

Planted, all citing only the kept source unless said otherwise:

- ``ghost-actor`` with a role: known from nothing else, so it does not exist for others;
- ``known-actor``, which also holds a role cited from a visible source: it stays;
- a role of an actor already in the case: it does not exist for others;
- ``ghost-event`` at a burial site of the case, and ``child-event`` (cited from a visible
  source) part of it: the parent does not exist for others, the child stays without it;
- ``known-event`` with a figure cited from a visible source: it stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from dadkhah import casefile as cf
from dadkhah.access import NOBODY, Viewer
from dadkhah.register import restrict
from dadkhah.store import Case
from dadkhah.users import add_user

KEPT = "kept-memoir"
GHOSTS = ("ghost-actor", "ghost-event", "SYNTHETIC hidden post", "SYNTHETIC ghost post")


@dataclass(frozen=True)
class Planted:
    holder: str  # the existing actor given a hidden role
    hidden_role: int
    ghost_role: int
    known_role: int
    site: str | None  # the burial site of ghost-event


def add_team(case: Case, users: tuple[str, ...] = ("alice", "bob")) -> None:
    """Team members (editors) to restrict sources to, or to keep out of them."""
    for u in users:
        add_user(case, u, "correct horse battery staple", role="editor", by="admin")


def example_folder(location: str) -> None:
    """A SQLite case at ``location`` holding the 1988 example, an NGO report (SYNTHETIC)
    and the team of :func:`add_team`, for the command line's tests."""
    with Case.create(location, by="tester") as case:
        case.add_source(slug="ngo", title="An NGO report (SYNTHETIC)", kind="ngo_report",
                        reliability="B", synthetic=True, by="tester")
        cf.load_example(case, by="tester")
        add_team(case)


def plant(case: Case, user: str) -> Planted:
    """Restrict a new source to ``user`` (who must exist) and plant the claims above as
    ``user``."""
    visible = case.sources(NOBODY)[0].slug
    case.add_source(slug=KEPT, title="A kept memoir (SYNTHETIC)", kind="memoir",
                    reliability="C", synthetic=True, by="tester")
    restrict(case, "source", case.resolve_source_id(KEPT), users=[user], by="admin",
             role="admin")
    me = Viewer(user, "editor")
    kept, seen = [f"{KEPT}:2"], [f"{visible}:2"]
    holder = cf.list_actors(case, viewer=NOBODY)[0].slug
    hidden = cf.add_role(case, holder=holder, position="SYNTHETIC hidden post", sources=kept,
                         by=user, viewer=me)
    cf.add_actor(case, slug="ghost-actor", kind="person", name_en="Ghost Actor (SYNTHETIC)",
                 sources=kept, by=user, viewer=me)
    ghost = cf.add_role(case, holder="ghost-actor", position="SYNTHETIC ghost post",
                        sources=kept, by=user, viewer=me)
    cf.add_actor(case, slug="known-actor", kind="person", name_en="Known Actor (SYNTHETIC)",
                 sources=kept, by=user, viewer=me)
    known = cf.add_role(case, holder="known-actor", position="SYNTHETIC known post",
                        sources=seen, by=user, viewer=me)
    sites = cf.list_burial_sites(case, viewer=NOBODY)
    site = sites[0].slug if sites else None
    cf.add_event(case, slug="ghost-event", event_type="other", title="Ghost event (SYNTHETIC)",
                 burial_site=site, sources=kept, by=user, viewer=me)
    cf.add_event(case, slug="child-event", event_type="other", title="Child event (SYNTHETIC)",
                 part_of="ghost-event", sources=seen, by=user, viewer=me)
    cf.add_event(case, slug="known-event", event_type="other", title="Known event (SYNTHETIC)",
                 sources=kept, by=user, viewer=me)
    cf.add_figure(case, "known-event", quantity="killed", figure_type="claim",
                  value_text="7 (SYNTHETIC)", sources=seen, by=user, viewer=me)
    return Planted(holder, hidden.id, ghost.id, known.id, site)

"""The team's case-file pages and actors, roles and events resting only on a source kept
from the signed-in user (restricted records, issue 16): not on the overview, the timeline,
an actor's, an event's or a burial site's page, nor in the forms' menus; their own pages
answer as missing ones do.  The user the source is restricted to sees them all."""

from __future__ import annotations

from typing import Any

from tests.casefile.unseen_case import GHOSTS, plant
from tests.web.conftest import copy_case, login, make_client


def test_pages_leave_out_what_rests_only_on_a_kept_source(example_case: str,
                                                          tmp_path: Any) -> None:
    from dadkhah.store import Case

    target = str(copy_case(example_case, tmp_path / "case"))
    with Case.open(target) as case:
        p = plant(case, "editor")
    pages = ["/team/casefile/", "/team/casefile/timeline", f"/team/casefile/actors/{p.holder}",
             "/team/casefile/events/child-event", "/team/casefile/actors/known-actor",
             "/team/casefile/new/allegation", f"/team/casefile/actors/{p.holder}/roles/new"]
    if p.site:
        pages.append(f"/team/casefile/burial/{p.site}")
    for user, seen in (("editor", True), ("admin", False), ("viewer", False)):
        with make_client(target) as c:
            login(c, user)
            got = [(u, c.get(u)) for u in pages
                   if user != "viewer" or "/new" not in u]  # forms: writers only
            assert all(r.status_code == 200 for _, r in got), (user, got)
            html = "".join(r.text for _, r in got)
            assert all((g in html) is seen for g in GHOSTS if g != "SYNTHETIC ghost post"), user
            for kind, ghost in (("actors", "ghost-actor"), ("events", "ghost-event")):
                hidden = c.get(f"/team/casefile/{kind}/{ghost}")
                missing = c.get(f"/team/casefile/{kind}/nobody-x")
                if seen:
                    assert hidden.status_code == 200
                else:
                    assert hidden.status_code == missing.status_code == 404
                    assert hidden.text.replace(ghost, "X") == missing.text.replace("nobody-x",
                                                                                   "X")

"""A hidden source's slug on the team pages and the API (issue 16): searching or taking a
review batch of a source restricted from the user gets the very page a source that does not
exist gets, and the source menus do not offer it; the user it is restricted to gets its
batch."""

from __future__ import annotations

import re

from tests.web.conftest import login, make_client

MISSING = "no-such-list"


def _same(a, b, slug: str) -> bool:
    """The same status, and the same text once the slug and per-response tokens are set
    aside."""
    def norm(r) -> str:
        text = r.text.replace(slug, "SLUG").replace(MISSING, "SLUG")
        return re.sub(r'(nonce|csrf-token" content|csrf_token" value)="[^"]*"', r"\1", text)

    return a.status_code == b.status_code and norm(a) == norm(b)


def test_a_hidden_slug_is_answered_as_a_missing_one(fresh_case) -> None:
    from dadkhah.access import Viewer
    from dadkhah.register import restrict
    from dadkhah.store import Case

    case = Case.open(fresh_case.location)
    src = max(case.sources(Viewer(sees_all=True)), key=lambda s: s.records)
    restrict(case, "source", src.id, users=["editor"], by="admin", role="admin")
    case.close()
    with make_client(fresh_case.location) as c:
        login(c, "reviewer")
        api = {"Authorization": f"Bearer {fresh_case.tokens['reviewer']}"}
        for url in ("/team/search?source={}", "/team/review?source={}",
                    "/api/persons?source={}", "/api/review/queue?source={}"):
            hidden = c.get(url.format(src.slug), headers=api)
            missing = c.get(url.format(MISSING), headers=api)
            assert hidden.status_code == 404, url
            assert _same(hidden, missing, src.slug), url
        menu = c.get("/team/search").text
        assert f'value="{src.slug}"' not in menu and src.title not in menu
    with make_client(fresh_case.location) as c:
        login(c, "editor")
        assert c.get(f"/team/review?source={src.slug}").status_code == 200
        assert f'value="{src.slug}"' in c.get("/team/search").text

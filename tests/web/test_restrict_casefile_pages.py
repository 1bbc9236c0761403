"""Case-file team pages and restricted sources (issue 16): an actor's, an event's, a burial
site's pages, the overview and the timeline show the citations of a restricted source to the
users it is restricted to only; another team member sees the claims without them (and no
count of what was left out)."""

from __future__ import annotations

from collections import Counter

from markupsafe import escape

from tests.web.conftest import login, make_client


def _shows(text: str, html: str) -> bool:
    return text in html or str(escape(text)) in html


def test_casefile_pages_hide_citations_of_a_restricted_source(fresh_case) -> None:
    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.register import restrict
    from dadkhah.store import Case

    case = Case.open(fresh_case.location)
    cf.load_example(case, by="t")
    everything = Viewer(sees_all=True)
    allegations = cf.list_allegations(case, viewer=everything)
    slug, _ = Counter(c.source for a in allegations for c in a.sources).most_common(1)[0]
    title = next(s.title for s in case.sources(everything) if s.slug == slug)
    al = next(a for a in allegations if slug in {c.source for c in a.sources})
    sites = [b.slug for b in cf.list_burial_sites(case, viewer=everything)]
    restrict(case, "source", case.resolve_source_id(slug), users=["editor"], by="admin",
             role="admin")
    case.close()
    pages = [f"/team/casefile/actors/{al.accused}", f"/team/casefile/events/{al.event}",
             "/team/casefile/", "/team/casefile/timeline",
             *(f"/team/casefile/burial/{b}" for b in sites)]
    for role, seen in (("viewer", False), ("reviewer", False), ("editor", True)):
        with make_client(fresh_case.location) as c:
            login(c, role)
            got = [c.get(u) for u in pages]
            assert all(r.status_code == 200 for r in got), role
            html = "".join(r.text for r in got)
            assert _shows(title, html) is seen, role
            # the claim itself is still there for everybody
            assert _shows(al.text, html) or _shows(al.text_fa or al.text, html), role

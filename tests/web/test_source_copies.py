"""Which source copies which, on the team's pages: shown beside the sources and on the
dashboard (in English and Persian), recorded and withdrawn by an editor (audited), refused
to a viewer (SYNTHETIC case)."""

from __future__ import annotations

from tests.web.conftest import login, make_client
from tests.web.test_pages import _audit, _dashboard_in_both_languages, _db


def _copies(location: str) -> list[tuple[str, str, str]]:
    with _db(location) as case:
        return [(c.source, c.copied, c.extent) for c in case.source_copies()]


def test_the_simulators_copy_shows_on_sources_and_dashboard(fresh_case) -> None:
    (copier, copied, _extent), *_ = _copies(fresh_case.location)
    en, fa = _dashboard_in_both_languages(fresh_case.location)
    assert f"{copier} counted with {copied}: it copies it" in en
    assert f"{copier} همراه با {copied} شمرده می‌شود" in fa
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        page = c.get("/team/sources").text
    assert 'class="copies"' in page and f'<bdi dir="ltr">{copied}</bdi>' in page
    assert 'id="source-copy-form"' not in page  # a viewer may not write


def test_an_editor_records_and_withdraws_a_copy(fresh_case) -> None:
    loc = fresh_case.location
    (copier, copied, _extent), *_ = _copies(loc)
    with make_client(loc) as c:
        token = login(c, "editor")
        assert 'id="source-copy-form"' in c.get("/team/sources").text
        r = c.post("/team/sources/copies", data={"csrf_token": token, "source": copier,
                                                 "copied": "", "extent": "part"})
        assert r.status_code == 200
        assert _copies(loc) == []
        c.post("/team/sources/copies", data={"csrf_token": token, "source": copier,
                                             "copied": copied, "extent": "whole"})
        assert _copies(loc) == [(copier, copied, "whole")]
        c.post("/team/sources", data={"csrf_token": token, "slug": "reprint",
                                      "title": "Reprint (SYNTHETIC)", "kind": "other",
                                      "copies": copied, "copies_extent": "whole"})
    assert ("reprint", copied, "whole") in _copies(loc)
    assert [a for a, _ in _audit(loc, "source.copies.remove")] == ["editor"]
    assert [a for a, _ in _audit(loc, "source.copies")].count("editor") == 2
    with make_client(loc) as c:
        token = login(c, "viewer")
        r = c.post("/team/sources/copies", data={"csrf_token": token, "source": copier,
                                                 "copied": ""})
        assert r.status_code == 403
    assert (copier, copied, "whole") in _copies(loc)


def test_copies_of_a_restricted_source_are_only_for_those_who_may_see_it(fresh_case) -> None:
    """A source restricted to the admin: an editor kept out of it finds it neither in the
    menus nor behind its slug (answered as a missing source, nothing recorded), and
    withdrawing a source's copies leaves its copy of the hidden source in place; the admin,
    who may see it, records that copy."""
    from dadkhah.access import Viewer
    from dadkhah.register import restrict
    from tests.web.test_restrict_hidden_slug import MISSING, _same

    loc = fresh_case.location
    with _db(loc) as case:
        for c in case.source_copies():
            case.remove_source_copy(c.source, by="t")
        first, second, hidden, *_ = case.sources(Viewer(sees_all=True))
        restrict(case, "source", hidden.id, users=["admin"], by="admin", role="admin")
    with make_client(loc) as c:
        token = login(c, "admin")
        assert f'value="{hidden.slug}"' in c.get("/team/sources").text
        c.post("/team/sources/copies", data={"csrf_token": token, "source": first.slug,
                                             "copied": hidden.slug, "extent": "part"})
    assert _copies(loc) == [(first.slug, hidden.slug, "part")]
    with make_client(loc) as c:
        token = login(c, "editor")
        page = c.get("/team/sources").text
        assert f'value="{hidden.slug}"' not in page and hidden.slug not in page
        for form in ({"source": first.slug, "copied": hidden.slug},
                     {"source": hidden.slug, "copied": first.slug},
                     {"source": hidden.slug, "copied": ""}):
            shown = c.post("/team/sources/copies", data={"csrf_token": token, **form})
            missing = c.post("/team/sources/copies", data={
                "csrf_token": token,
                **{k: MISSING if v == hidden.slug else v for k, v in form.items()}})
            assert shown.status_code == 404 and _same(shown, missing, hidden.slug), form
        add = {"csrf_token": token, "slug": "reprint", "title": "Reprint (SYNTHETIC)",
               "kind": "other", "copies": hidden.slug}
        shown = c.post("/team/sources", data=add)
        assert shown.status_code == 404
        assert _same(shown, c.post("/team/sources", data=dict(add, copies=MISSING)),
                     hidden.slug)
        c.post("/team/sources/copies", data={"csrf_token": token, "source": first.slug,
                                             "copied": second.slug, "extent": "whole"})
        assert _copies(loc) == [(first.slug, second.slug, "whole"),
                                (first.slug, hidden.slug, "part")]
        c.post("/team/sources/copies", data={"csrf_token": token, "source": first.slug,
                                             "copied": ""})
    assert _copies(loc) == [(first.slug, hidden.slug, "part")]
    with _db(loc) as case:
        assert "reprint" not in {s.slug for s in case.sources(Viewer(sees_all=True))}

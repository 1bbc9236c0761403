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

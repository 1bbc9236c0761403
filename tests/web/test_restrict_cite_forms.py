"""Citing a restricted source from the case-file edit forms (issue 16): the forms offer a
source restricted to a user to that user only, list and remove its citations for them only,
and answer anybody else's posted slug of it exactly as a slug that does not exist (same
status, same page, nothing written).  SQLite: the forms add no store code of their own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markupsafe import escape

from tests.web.conftest import copy_case, login, make_client

SLUG = "jazayeri-2017"  # the example case file's most cited source
MISSING = "no-such-list"


@pytest.fixture
def case_dir(example_case: str, tmp_path: Any) -> str:
    """The example case file, with SLUG restricted to the user "editor" (the user "admin",
    who may write too, is kept out of it)."""
    from dadkhah.register import restrict
    from dadkhah.store import Case

    target = str(copy_case(example_case, tmp_path / "case"))
    with Case.open(target) as case:
        restrict(case, "source", case.resolve_source_id(SLUG), users=["editor"], by="admin",
                 role="admin")
    return target


def _claims(location: str) -> dict[str, Any]:
    """Claims citing SLUG (as everybody who may see it sees them) and the source's title."""
    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.store import Case

    every = Viewer(sees_all=True)
    with Case.open(location) as case:
        actors = cf.list_actors(case, viewer=every)
        events = cf.list_events(case, viewer=every)
        cited = {"title": case.source(SLUG, every).title,
                 "actor": next(a.slug for a in actors if SLUG in {c.source for c in a.sources}),
                 "other_actor": next(a.slug for a in actors
                                     if SLUG not in {c.source for c in a.sources}),
                 "event": next(e.slug for e in events if SLUG in {c.source for c in e.sources}),
                 "figure": next(f.id for e in events for f in e.figures
                                if SLUG in {c.source for c in f.sources}),
                 "allegation": next((a.id for a in cf.list_allegations(case, viewer=every)
                                     if SLUG in {c.source for c in a.sources}), None),
                 "role": next((r.id for a in actors for r in a.roles
                               if SLUG in {c.source for c in r.sources}), None)}
    return cited


def _shows(text: str, html: str) -> bool:
    return text in html or str(escape(text)) in html


def _same(a: Any, b: Any) -> bool:
    """The same status and the same page, once the slug and per-response tokens are set
    aside."""
    def norm(r: Any) -> str:
        text = r.text.replace(SLUG, "SLUG").replace(MISSING, "SLUG")
        return re.sub(r'(nonce|csrf-token" content|csrf_token" value)="[^"]*"', r"\1", text)

    return a.status_code == b.status_code and norm(a) == norm(b)


def _citations(location: str, kind: str, ref: Any) -> list[str]:
    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.store import Case

    every = Viewer(sees_all=True)
    with Case.open(location) as case:
        get = {"actor": cf.get_actor, "role": cf.get_role, "figure": cf.get_figure,
               "allegation": cf.get_allegation}[kind]
        return [c.source for c in get(case, ref, viewer=every).sources]


def test_the_forms_offer_a_restricted_source_to_its_users_only(case_dir: str) -> None:
    k = _claims(case_dir)
    offering = ["/team/casefile/new/actor", "/team/casefile/new/event",
                "/team/casefile/new/allegation", "/team/casefile/new/burial",
                "/team/casefile/new/evidence", f"/team/casefile/cite/actor/{k['other_actor']}",
                f"/team/casefile/events/{k['event']}/figures/new",
                f"/team/casefile/actors/{k['actor']}/roles/new",
                f"/team/casefile/figures/{k['figure']}/edit"]
    # edit forms list the claim's sources now (a role's and a figure's with a link to remove
    # each)
    listing = [(f"/team/casefile/figures/{k['figure']}/edit", True)]
    if k["role"] is not None:
        listing.append((f"/team/casefile/roles/{k['role']}/edit", True))
    if k["allegation"] is not None:
        listing.append((f"/team/casefile/allegations/{k['allegation']}/edit", False))
    for who, seen in (("editor", True), ("admin", False)):
        with make_client(case_dir) as c:
            login(c, who)
            for url in offering:
                r = c.get(url)
                assert r.status_code == 200, (who, url)
                assert (f'value="{SLUG}"' in r.text) is seen, (who, url)
                assert _shows(k["title"], r.text) is seen, (who, url)
                assert 'value="ai-2008"' in r.text, url  # an open source is offered to both
            for url, uncite in listing:
                r = c.get(url)
                assert r.status_code == 200, (who, url)
                assert _shows(k["title"], r.text) is seen, (who, url)
                assert (f'/{SLUG}"' in r.text) is (seen and uncite), (who, url)


def test_a_posted_hidden_slug_gets_the_answer_a_missing_one_gets(case_dir: str) -> None:
    k = _claims(case_dir)
    before = _citations(case_dir, "actor", k["other_actor"])
    figure_before = _citations(case_dir, "figure", k["figure"])
    with make_client(case_dir) as c:
        token = login(c, "admin")
        form = {"csrf_token": token, "credibility": "3", "locator": "p. 1", "quote": ""}
        posts = {
            f"/team/casefile/cite/actor/{k['other_actor']}": {},
            "/team/casefile/new/actor": {"slug": "test-actor", "kind": "person",
                                         "name_en": "Test actor (SYNTHETIC)", "name_fa": "",
                                         "aliases": "", "notes": ""},
            f"/team/casefile/figures/{k['figure']}/edit": {
                "quantity": "killed", "figure_type": "documented", "value_text": "thousands",
                "low": "", "high": "", "notes": ""},
        }
        for url, extra in posts.items():
            hidden = c.post(url, data={**form, **extra, "source": SLUG}, follow_redirects=False)
            missing = c.post(url, data={**form, **extra, "source": MISSING},
                             follow_redirects=False)
            assert hidden.status_code == 400, (url, hidden.text[:500])
            assert _same(hidden, missing), url
        # removing it: the same "not cited" answer as for a source that does not exist
        url = f"/team/casefile/uncite/actor/{k['actor']}/"
        hidden, missing = c.get(url + SLUG), c.get(url + MISSING)
        assert hidden.status_code == 404 and _same(hidden, missing)
        hidden = c.post(url + SLUG, data={"csrf_token": token, "reason": "test"},
                        follow_redirects=False)
        missing = c.post(url + MISSING, data={"csrf_token": token, "reason": "test"},
                         follow_redirects=False)
        assert hidden.status_code == 404 and _same(hidden, missing)
    assert _citations(case_dir, "actor", k["other_actor"]) == before
    assert SLUG in _citations(case_dir, "actor", k["actor"])
    assert _citations(case_dir, "figure", k["figure"]) == figure_before
    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.store import Case

    with Case.open(case_dir) as case:  # the refused new actor was not added either
        assert "test-actor" not in {a.slug for a in cf.list_actors(case,
                                                                   viewer=Viewer(sees_all=True))}


def test_its_user_cites_it_and_takes_it_off_from_the_web(case_dir: str) -> None:
    k = _claims(case_dir)
    with make_client(case_dir) as c:
        token = login(c, "editor")
        r = c.post(f"/team/casefile/cite/actor/{k['other_actor']}",
                   data={"csrf_token": token, "source": SLUG, "credibility": "2",
                         "locator": "p. 12", "quote": ""}, follow_redirects=False)
        assert r.status_code == 303, r.text[:2000]
        assert _shows(k["title"], c.get(f"/team/casefile/actors/{k['other_actor']}").text)
        url = f"/team/casefile/uncite/actor/{k['actor']}/{SLUG}"
        assert c.get(url).status_code == 200
        r = c.post(url, data={"csrf_token": token, "reason": "test: misread page"},
                   follow_redirects=False)
        assert r.status_code == 303, r.text[:2000]
    assert SLUG in _citations(case_dir, "actor", k["other_actor"])
    assert SLUG not in _citations(case_dir, "actor", k["actor"])
    with make_client(case_dir) as c:  # the new citation is the editor's to see only
        login(c, "admin")
        page = c.get(f"/team/casefile/actors/{k['other_actor']}")
        assert page.status_code == 200 and not _shows(k["title"], page.text)


def test_a_figure_resting_only_on_it_is_its_users_alone(case_dir: str) -> None:
    """A figure cited from the kept source alone is not on the event page of anybody else,
    and its edit form answers them as a figure that does not exist (a figure with an empty
    source cell would say it rests on restricted material)."""
    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.store import Case

    k = _claims(case_dir)
    with Case.open(case_dir) as case:
        fig = cf.add_figure(case, k["event"], quantity="killed", figure_type="claim",
                            value_text="12,345 (SYNTHETIC)", sources=[f"{SLUG}:3"],
                            by="editor", viewer=Viewer("editor", "editor"))
    missing = 10_000
    for who, seen in (("editor", True), ("admin", False), ("viewer", False)):
        with make_client(case_dir) as c:
            login(c, who)
            page = c.get(f"/team/casefile/events/{k['event']}")
            assert page.status_code == 200
            assert ("12,345 (SYNTHETIC)" in page.text) is seen, who
            assert (f'id="figure-{fig.id}"' in page.text) is seen, who
            if who == "viewer":
                continue
            form = c.get(f"/team/casefile/figures/{fig.id}/edit")
            if seen:
                assert form.status_code == 200 and "12,345 (SYNTHETIC)" in form.text
            else:
                absent = c.get(f"/team/casefile/figures/{missing}/edit")
                assert form.status_code == absent.status_code == 404
                ids = rf"\b({missing}|{fig.id})\b"
                assert re.sub(ids, "N", form.text) == re.sub(ids, "N", absent.text)


def test_an_upload_of_bytes_kept_from_the_writer_names_nothing_of_the_item(
        case_dir: str) -> None:
    """The evidence form, posting the bytes of an item of SLUG (restricted to "editor") as
    "admin": refused (400) without the item's title, file name, source or id, nothing
    written; "editor" adds the same bytes as before (the item, already present)."""
    from sqlalchemy import select

    from dadkhah import casefile as cf
    from dadkhah.access import Viewer
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry

    def state() -> tuple[int, list[str]]:
        """Every item, and the evidence entries of the audit log (logging in is logged)."""
        with Case.open(case_dir) as case, case.read() as conn:
            return (len(cf.list_evidence(case, viewer=Viewer(sees_all=True))),
                    list(conn.execute(select(AuditEntry.entry_hash).where(
                        AuditEntry.action.startswith("evidence."))).scalars()))

    body = b"A SYNTHETIC page of a restricted list, for the test.\n"
    fields = {"title": "", "description": "", "kind": "", "acquired_by": "",
              "acquired_at": "", "acquired_from": "", "acquisition_method": "", "source": ""}
    with make_client(case_dir) as c:
        token = login(c, "editor")
        r = c.post("/team/casefile/new/evidence",
                   data={"csrf_token": token, **fields, "title": "Kept page (SYNTHETIC)",
                         "source": SLUG},
                   files={"file": ("kept-page.txt", body, "text/plain")},
                   follow_redirects=False)
        assert r.status_code == 303, r.text[:1500]
        item = r.headers["location"].rsplit("/", 1)[1]
    before = state()
    with make_client(case_dir) as c:
        token = login(c, "admin")
        r = c.post("/team/casefile/new/evidence", data={"csrf_token": token, **fields},
                   files={"file": ("copy.txt", body, "text/plain")}, follow_redirects=False)
        assert r.status_code == 400, r.text[:1500]
        assert "restricted from you" in r.text
        for leak in ("Kept page", "kept-page.txt", SLUG, f"/evidence/{item}"):
            assert leak not in r.text, leak
    assert state() == before


def test_a_document_upload_of_bytes_kept_from_the_importer_imports_nothing(
        case_dir: str, tmp_path: Any) -> None:
    """A PDF whose bytes are an evidence item of SLUG (restricted to "editor"), uploaded for
    import by "admin" into another source: refused (400) before any job starts, without the
    item's title, file name, source or id, no import, record or custody entry written."""
    from sqlalchemy import func, select

    from dadkhah import casefile as cf
    from dadkhah.access import NOBODY, Viewer
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry, Job, SourceRecord
    from tests.documents.conftest import visual_pdf
    from tests.documents.test_import_documents import LINES

    pdf = visual_pdf(tmp_path / "kept-list.pdf", LINES)
    with Case.open(case_dir) as case:
        item = cf.add_evidence(case, pdf, title="Kept list (SYNTHETIC)", source=SLUG,
                               by="editor", viewer=Viewer("editor", "editor"))
        other = next(s.slug for s in case.sources(NOBODY) if s.slug != SLUG)

    def state() -> tuple[int, int, list[str]]:
        with Case.open(case_dir) as case, case.read() as conn:
            return (conn.execute(select(func.count()).select_from(SourceRecord)).scalar_one(),
                    conn.execute(select(func.count()).select_from(Job)).scalar_one(),
                    list(conn.execute(select(AuditEntry.entry_hash).where(
                        AuditEntry.action != "user.login")).scalars()))

    before = state()
    with make_client(case_dir) as c:
        token = login(c, "admin")
        r = c.post("/team/imports/preview", data={"source": other, "csrf_token": token},
                   files={"file": ("copy.pdf", pdf.read_bytes(), "application/pdf")},
                   follow_redirects=False)
        assert r.status_code == 400, r.text[:1500]
        assert "restricted from you" in r.text and "nothing was imported" in r.text
        for leak in ("Kept list", "kept-list.pdf", SLUG, f"/evidence/{item.id}"):
            assert leak not in r.text, leak
    assert state() == before


def test_the_import_steps_after_the_preview_refuse_a_hidden_source_at_once(
        case_dir: str, tmp_path: Any) -> None:
    """Editing the mapping of, or confirming, an upload staged under a source kept from the
    member (a posted slug of it) is refused at once, as a slug that does not exist: no job
    is started, the upload stays staged."""
    from sqlalchemy import func, select

    from dadkhah.access import NOBODY
    from dadkhah.store import Case
    from dadkhah.store.tables import Job
    from tests.conftest import write_csv

    csv = write_csv(tmp_path / "list.csv", [["name", "prison"], ["Reza (SYNTHETIC)", "Evin"]])
    with Case.open(case_dir) as case:
        other = next(s.slug for s in case.sources(NOBODY) if s.slug != SLUG)

    def jobs() -> int:
        with Case.open(case_dir) as case, case.read() as conn:
            return int(conn.execute(select(func.count()).select_from(Job)).scalar_one())

    before = jobs()
    with make_client(case_dir) as c:
        token = login(c, "admin")
        r = c.post("/team/imports/preview", data={"source": other, "csrf_token": token},
                   files={"file": ("list.csv", csv.read_bytes(), "text/csv")})
        assert r.status_code == 200, r.text[:1500]
        found = re.search(r'name="token" value="([^"]+)"', r.text)
        assert found is not None
        upload = found.group(1)
        for route in ("/team/imports/mapping", "/team/imports/confirm"):
            data = {"csrf_token": token, "token": upload, "col0": "name"}
            hidden = c.post(route, data={**data, "source": SLUG}, follow_redirects=False)
            missing = c.post(route, data={**data, "source": MISSING}, follow_redirects=False)
            assert hidden.status_code == 404 and _same(hidden, missing), (route, hidden.text)
            assert not _shows(_claims(case_dir)["title"], hidden.text)
    assert jobs() == before

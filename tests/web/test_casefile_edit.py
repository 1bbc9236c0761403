"""Case-file editing in the team workspace (issue #17 item 3): forms for actors, roles,
events, figures, allegations and their sources, through the library's rules; every change
audited; problems said in the user's language with nothing saved; CSRF and roles enforced.
Real SQLite case with the 1988 example case file; one test in a real browser."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.web.conftest import copy_case, csrf_of, login, make_client, served_page


@pytest.fixture
def case_dir(example_case: str, tmp_path: Any) -> str:
    return str(copy_case(example_case, tmp_path / "case"))


def _audit(location: str, action: str) -> list[Any]:
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry

    with Case.open(location) as case, case.read() as conn:
        return conn.execute(select(AuditEntry.__table__)
                            .where(AuditEntry.action == action)).all()


def _post(c: Any, url: str, token: str, data: dict[str, str]) -> Any:
    return c.post(url, data={"csrf_token": token, **data}, follow_redirects=False)


def test_an_editor_adds_an_actor_and_an_event_through_forms(case_dir: str) -> None:
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with make_client(case_dir) as c:
        token = login(c, "editor")
        assert c.get("/team/casefile/new/actor").status_code == 200
        r = _post(c, "/team/casefile/new/actor", token, {
            "slug": "test-judge", "kind": "person", "name_en": "Test Judge (SYNTHETIC)",
            "name_fa": "قاضی آزمایشی", "aliases": "T. Judge\nقاضی آ.", "notes": "",
            "source": "ai-2018", "credibility": "3", "locator": "p. 5", "quote": ""})
        assert r.status_code == 303 and r.headers["location"] == "/team/casefile/actors/test-judge"
        r = _post(c, "/team/casefile/new/event", token, {
            "slug": "test-transfer", "event_type": "transfer", "title": "A test transfer",
            "title_fa": "", "date": "۲۸ تیر ۱۳۶۷", "place": "Evin", "description": "",
            "source": "ai-2018", "credibility": "2", "locator": "", "quote": ""})
        assert r.status_code == 303, r.text[:2000]
    with Case.open(case_dir) as case:
        a = cf.get_actor(case, "test-judge")
        e = cf.get_event(case, "test-transfer")
    assert a.name_fa == "قاضی آزمایشی" and a.aliases == ("T. Judge", "قاضی آ.")
    assert [(s.source, s.credibility, s.locator) for s in a.sources] == [("ai-2018", "3", "p. 5")]
    # The Solar Hijri date was read as the library reads it: 28 Tir 1367 = 19 July 1988.
    assert (e.date_earliest, e.date_latest, e.date_precision) == ("1988-07-19", "1988-07-19",
                                                                 "day")
    assert e.place_id == "prison:evin"
    assert [json.loads(x.details)["slug"] for x in _audit(case_dir, "actor.add")
            if x.actor == "editor"] == ["test-judge"]


def test_editing_an_allegation_is_audited_with_before_and_after(case_dir: str) -> None:
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(case_dir) as case:
        al = cf.list_allegations(case)[0]
    with make_client(case_dir) as c:
        token = login(c, "editor")
        page = c.get(f"/team/casefile/allegations/{al.id}/edit")
        assert page.status_code == 200 and al.text[:30] in page.text
        r = _post(c, f"/team/casefile/allegations/{al.id}/edit", token, {
            "mode": "decided", "status": al.status, "text": al.text + " (edited)",
            "text_fa": "متن فارسی", "source": "", "credibility": "6", "locator": "",
            "quote": ""})
        assert r.status_code == 303, r.text[:2000]
    with Case.open(case_dir) as case:
        after = next(a for a in cf.list_allegations(case) if a.id == al.id)
    assert after.mode == "decided" and after.text.endswith("(edited)")
    assert after.text_fa == "متن فارسی" and after.sources == al.sources
    entries = _audit(case_dir, "allegation.edit")
    assert len(entries) == 1 and entries[0].actor == "editor"
    changed = json.loads(entries[0].details)["changed"]
    assert changed["mode"] == [al.mode, "decided"]
    assert changed["text"] == [al.text, al.text + " (edited)"]
    # an allegation the case lacks: the edit form and the remove-a-source form are 404s
    with make_client(case_dir) as c:
        login(c, "editor")
        for url in ("/team/casefile/allegations/99999/edit",
                    f"/team/casefile/uncite/allegation/99999/{al.sources[0].source}",
                    f"/team/casefile/uncite/allegation/x/{al.sources[0].source}"):
            r = c.get(url)
            assert r.status_code == 404 and "No allegation" in r.text, url


def test_a_change_without_a_source_or_with_a_bad_date_saves_nothing(case_dir: str) -> None:
    """Attribution is required: an allegation without a source is refused, in Persian for
    a Persian user, with what was typed kept; a date that cannot be read likewise."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(case_dir) as case:
        before = len(cf.list_allegations(case))
        events_before = len(cf.list_events(case))
    with make_client(case_dir) as c:
        token = login(c, "editor")
        c.post("/lang", data={"csrf_token": token, "lang": "fa", "next": "/team/"})
        token = csrf_of(c.get("/team/").text)
        r = _post(c, "/team/casefile/new/allegation", token, {
            "accused": "raisi", "event": "massacre-1988", "mode": "ordered",
            "status": "alleged", "text": "Typed text kept", "text_fa": "", "source": "",
            "credibility": "6", "locator": "", "quote": ""})
        assert r.status_code == 400
        assert "«منبع» لازم است." in r.text and "Typed text kept" in r.text
        r = _post(c, "/team/casefile/new/event", token, {
            "slug": "bad-date", "event_type": "arrest", "title": "x", "title_fa": "",
            "date": "۱۳۶۷/۱۳/۴۰", "place": "", "description": "", "source": "ai-2018",
            "credibility": "2", "locator": "", "quote": ""})
        assert r.status_code == 400 and "خوانده نشد" in r.text
        # A refusal of the library itself (a duplicate id) is shown too, nothing saved.
        r = _post(c, "/team/casefile/new/event", token, {
            "slug": "massacre-1988", "event_type": "arrest", "title": "x", "title_fa": "",
            "date": "", "place": "", "description": "", "source": "ai-2018",
            "credibility": "2", "locator": "", "quote": ""})
        assert r.status_code == 400 and "already exists" in r.text
        assert "پرونده این تغییر را نپذیرفت" in r.text
        c.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/team/"})
    with Case.open(case_dir) as case:
        assert len(cf.list_allegations(case)) == before
        assert len(cf.list_events(case)) == events_before


def test_established_by_court_needs_a_court_record(case_dir: str) -> None:
    """The form enforces the library's rule, and the refusal keeps everything as it was
    (the new wording sent with it is not saved either)."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(case_dir) as case:
        al = next(a for a in cf.list_allegations(case) if a.status == "alleged"
                  and not any(s.kind == "court_record" for s in a.sources))
    with make_client(case_dir) as c:
        token = login(c, "editor")
        r = _post(c, f"/team/casefile/allegations/{al.id}/edit", token, {
            "mode": al.mode, "status": "established_by_court", "text": al.text + " changed",
            "text_fa": al.text_fa or "", "source": "", "credibility": "6", "locator": "",
            "quote": ""})
        assert r.status_code == 400 and "court judgment" in r.text
    with Case.open(case_dir) as case:
        assert next(a for a in cf.list_allegations(case) if a.id == al.id) == al


def test_figures_roles_and_sources_are_added_with_their_sources(case_dir: str) -> None:
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with make_client(case_dir) as c:
        token = login(c, "editor")
        r = _post(c, "/team/casefile/events/massacre-1988/figures/new", token, {
            "quantity": "killed", "figure_type": "estimate", "value_text": "about 5,000",
            "low": "6000", "high": "5000", "notes": "", "source": "ai-2018",
            "credibility": "3", "locator": "", "quote": ""})
        assert r.status_code == 400  # low above high: said, nothing saved
        r = _post(c, "/team/casefile/events/massacre-1988/figures/new", token, {
            "quantity": "killed", "figure_type": "estimate", "value_text": "about 5,000",
            "low": "4000", "high": "5000", "notes": "", "source": "ai-2018",
            "credibility": "3", "locator": "", "quote": ""})
        assert r.status_code == 303
        r = _post(c, "/team/casefile/actors/raisi/roles/new", token, {
            "position": "Test position", "position_fa": "", "institution": "", "start": "1367",
            "end": "", "notes": "", "source": "ai-2018", "credibility": "2", "locator": "",
            "quote": ""})
        assert r.status_code == 303, r.text[:1500]
        r = _post(c, "/team/casefile/cite/event/massacre-1988", token, {
            "source": "ai-1989", "credibility": "1", "locator": "p. 1", "quote": ""})
        assert r.status_code == 303
    with Case.open(case_dir) as case:
        figs = cf.list_figures(case, "massacre-1988")
        e = cf.get_event(case, "massacre-1988")
        roles = cf.get_actor(case, "raisi").roles
    assert [(f.value_text, f.low, f.high, f.sources[0].source) for f in figs][-1] == (
        "about 5,000", 4000, 5000, "ai-2018")
    assert any(r.position == "Test position" and r.start_earliest == "1988-03-21"
               for r in roles)
    assert ("ai-1989", "1", "p. 1") in [(s.source, s.credibility, s.locator)
                                        for s in e.sources]
    assert len(_audit(case_dir, "citation.add")) == 1


def test_viewers_cannot_edit_and_forms_need_the_csrf_token(case_dir: str) -> None:
    with make_client(case_dir) as c:
        login(c, "viewer")
        assert c.get("/team/casefile/new/actor").status_code == 403
        assert "new-actor" not in c.get("/team/casefile/").text
    with make_client(case_dir) as c:
        login(c, "editor")
        r = c.post("/team/casefile/new/actor", data={"slug": "x", "kind": "person",
                                                     "name_en": "X"})
        assert r.status_code == 403


def test_editing_an_allegation_in_the_browser(browser: Any, case_dir: str) -> None:
    """The whole edit in real chromium, in Persian: open the actor, edit the allegation's
    Persian text, save, and see it on the page."""
    with served_page(browser, case_dir, "editor", lang="fa") as page:
        page.goto("/team/casefile/actors/raisi")
        page.locator("[id^=edit-allegation-]").first.click()
        # the edit page's own dir, not the actor page's (also right to left)
        page.wait_for_url(re.compile(r".*/team/casefile/allegations/\d+/edit$"))
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.fill("#f-text_fa", "متن ویرایش‌شده در مرورگر")
        page.click("#save")
        page.wait_for_url(re.compile(r".*/team/casefile/actors/raisi#allegation-\d+$"))
        assert "متن ویرایش‌شده در مرورگر" in page.content()


def test_a_burial_site_is_added_with_coordinates_and_moved_on_the_map(case_dir: str) -> None:
    """A site with its own coordinates is drawn there (not at its city); editing them moves
    it; half a coordinate pair, or a latitude off the globe, is refused in the user's words."""
    from dadkhah import casefile as cf
    from dadkhah.casefile.geo import project
    from dadkhah.store import Case

    with make_client(case_dir) as c:
        token = login(c, "editor")
        base = {"slug": "test-site", "name_en": "Test site (SYNTHETIC)", "name_fa": "",
                "place": "Tehran", "description": "", "source": "ai-2018",
                "credibility": "3", "locator": "", "quote": ""}
        r = _post(c, "/team/casefile/new/burial", token, {**base, "lat": "35.6", "lon": ""})
        assert r.status_code == 400 and "Give both latitude and longitude" in r.text
        r = _post(c, "/team/casefile/new/burial", token, {**base, "lat": "135", "lon": "51"})
        assert r.status_code == 400 and "between -90 and 90" in r.text
        r = _post(c, "/team/casefile/new/burial", token, {**base, "lat": "35.63", "lon": "51.58"})
        assert r.status_code == 303, r.text[:1500]
        page = c.get("/team/casefile/burial/test-site").text
        x, y = project(51.58, 35.63)
        assert f'cx="{x:g}" cy="{y:g}"' in page
        assert "Shown at the coordinates recorded for this site." in page
        r = _post(c, "/team/casefile/burial/test-site/edit", token, {
            "name_en": "Test site (SYNTHETIC)", "name_fa": "محل آزمایشی", "place": "city:tabriz",
            "lat": "38.1", "lon": "46.3", "description": ""})
        assert r.status_code == 303, r.text[:1500]
        x2, y2 = project(46.3, 38.1)
        assert f'cx="{x2:g}" cy="{y2:g}"' in c.get("/team/casefile/burial/test-site").text
    with Case.open(case_dir) as case:
        site = cf.get_burial_site(case, "test-site")
    assert site.geometry == {"type": "Point", "coordinates": [46.3, 38.1]}
    assert site.place_id == "city:tabriz" and site.name_fa == "محل آزمایشی"
    changed = json.loads(_audit(case_dir, "burial.edit")[0].details)["changed"]
    assert set(changed) == {"geometry", "place_id", "name_fa"}


def test_case_file_pages_in_persian_show_no_english_interface_text(case_dir: str) -> None:
    """The map, timeline, burial site and every form of the case file, in Persian: no English
    message of the catalogs whose Persian differs (the check of test_persian_pages)."""
    from tests.web.test_persian_pages import _english_fragments, _visible

    paths = ["/team/casefile/", "/team/casefile/map", "/team/casefile/timeline",
             "/team/casefile/burial/khavaran", "/team/casefile/actors/raisi",
             "/team/casefile/events/massacre-1988", "/team/casefile/new/actor",
             "/team/casefile/new/event", "/team/casefile/new/allegation",
             "/team/casefile/new/burial", "/team/casefile/actors/raisi/edit",
             "/team/casefile/actors/raisi/roles/new", "/team/casefile/events/massacre-1988/edit",
             "/team/casefile/events/massacre-1988/figures/new",
             "/team/casefile/burial/khavaran/edit", "/team/casefile/cite/event/massacre-1988",
             "/team/casefile/new/evidence"]
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(case_dir) as case:
        r0 = cf.get_actor(case, "raisi").roles[0]
        f0 = cf.list_figures(case)[0]
    paths += [f"/team/casefile/roles/{r0.id}/edit", f"/team/casefile/figures/{f0.id}/edit",
              f"/team/casefile/uncite/figure/{f0.id}/{f0.sources[0].source}"]
    with make_client(case_dir) as c:
        token = login(c, "editor")
        c.post("/lang", data={"csrf_token": token, "lang": "fa", "next": "/team/"})
        pages = {p: c.get(p) for p in paths}
        al = re.search(r'href="(/team/casefile/allegations/\d+/edit)"',
                       pages["/team/casefile/actors/raisi"].text)
        assert al
        pages[al.group(1)] = c.get(al.group(1))
        token = csrf_of(c.get("/team/").text)
        # A form sent back with problems, in Persian too.
        pages["refused"] = _post(c, "/team/casefile/new/event", token, {"slug": "Bad Id"})
        c.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/team/"})
    fragments = _english_fragments()
    left = {}
    for path, r in pages.items():
        assert r.status_code == (400 if path == "refused" else 200), path
        assert '<html lang="fa" dir="rtl">' in r.text, path
        shown = _visible(r.text)
        left[path] = sorted(k for k, piece in fragments.items() if piece in shown)
    assert not {p: k for p, k in left.items() if k}, left
    # The vocabulary is Persian too: event types, statuses, figure types.
    event = pages["/team/casefile/events/massacre-1988"].text
    assert "اعدام جمعی" in event and "mass_execution" not in _visible(event)


def test_roles_and_figures_are_edited_and_sources_removed_with_a_reason(case_dir: str
                                                                      ) -> None:
    """The edit forms of a role and a figure keep what the library keeps (holder, event,
    sources), are audited with before and after; a source comes off only with a reason, and
    the last source of a figure stays (the refusal is shown, nothing changes)."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(case_dir) as case:
        r = cf.get_actor(case, "raisi").roles[0]
        f = cf.list_figures(case)[0]
        other = next(s.slug for s in case.sources() if s.slug != f.sources[0].source)
    with make_client(case_dir) as c:
        token = login(c, "editor")
        actor = c.get("/team/casefile/actors/raisi").text
        assert f'href="/team/casefile/roles/{r.id}/edit"' in actor
        form = c.get(f"/team/casefile/roles/{r.id}/edit").text
        assert f'value="{r.position}"' in form
        resp = _post(c, f"/team/casefile/roles/{r.id}/edit", token, {
            "position": r.position, "position_fa": "دادستان انقلاب", "institution": "",
            "start": "مرداد ۱۳۶۷", "end": r.end_text or "", "notes": "",
            "source": "", "credibility": "6", "locator": "", "quote": ""})
        assert resp.status_code == 303 and resp.headers["location"].endswith(f"#role-{r.id}")
        # A figure: a bad range is said on the form and nothing is saved.
        event = c.get(f"/team/casefile/events/{f.event}").text
        assert f'href="/team/casefile/figures/{f.id}/edit"' in event
        base = {"quantity": f.quantity, "figure_type": "estimate", "value_text": f.value_text,
                "low": "9", "high": "3", "notes": "", "source": "", "credibility": "6",
                "locator": "", "quote": ""}
        bad = _post(c, f"/team/casefile/figures/{f.id}/edit", token, base)
        assert bad.status_code == 400 and 'id="e-high"' in bad.text
        resp = _post(c, f"/team/casefile/figures/{f.id}/edit", token,
                     {**base, "low": "", "high": "", "source": other, "credibility": "2",
                      "locator": "p. 7"})
        assert resp.status_code == 303
        # Removing: the figure now has two sources; each has a remove link on its form.
        form = c.get(f"/team/casefile/figures/{f.id}/edit").text
        first = f.sources[0].source
        assert f'href="/team/casefile/uncite/figure/{f.id}/{first}"' in form
        url = f"/team/casefile/uncite/figure/{f.id}/{first}"
        no_reason = _post(c, url, token, {"reason": " "})
        assert no_reason.status_code == 400 and 'id="e-reason"' in no_reason.text
        resp = _post(c, url, token, {"reason": "the page was misread"})
        assert resp.status_code == 303
        last = _post(c, f"/team/casefile/uncite/figure/{f.id}/{other}", token,
                     {"reason": "test"})
        assert last.status_code == 400 and 'id="form-refused"' in last.text
        assert "only source" in last.text
        assert c.get(f"/team/casefile/uncite/figure/{f.id}/nope").status_code == 404
    with Case.open(case_dir) as case:
        r2 = cf.get_role(case, r.id)
        f2 = cf.get_figure(case, f.id)
    assert (r2.position_fa, r2.start_earliest, r2.holder) == ("دادستان انقلاب", "1988-07-23",
                                                             r.holder)
    assert r2.sources == r.sources
    assert (f2.figure_type, f2.low, f2.high, f2.event) == ("estimate", None, None, f.event)
    assert [(s.source, s.credibility, s.locator) for s in f2.sources] == [(other, "2", "p. 7")]
    [removed] = _audit(case_dir, "citation.remove")
    details = json.loads(removed.details)
    assert removed.actor == "editor" and details["reason"] == "the page was misread"
    assert details["removed"][0]["source"] == first
    assert [json.loads(x.details)["changed"]["figure_type"] for x in
            _audit(case_dir, "figure.edit")] == [[f.figure_type, "estimate"]]
    assert len(_audit(case_dir, "role.edit")) == 1


def test_an_evidence_file_is_uploaded_with_its_acquisition(case_dir: str) -> None:
    """The file is stored by its SHA-256, unchanged; who obtained it, when, from where and
    how open its chain of custody; no file chosen is said, nothing stored."""
    import hashlib

    from dadkhah import casefile as cf
    from dadkhah.store import Case

    body = b"A SYNTHETIC witness statement, for the test.\n" * 50
    fields = {"title": "Test statement (SYNTHETIC)", "description": "", "kind": "",
              "acquired_by": "editor", "acquired_at": "1402-01-05",
              "acquired_from": "witness W-7", "acquisition_method": "handed over",
              "source": ""}
    with Case.open(case_dir) as case:
        before = len(cf.list_evidence(case))
    with make_client(case_dir) as c:
        token = login(c, "editor")
        r = c.post("/team/casefile/new/evidence", data={"csrf_token": token, **fields},
                   files={"file": ("", b"", "application/octet-stream")},
                   follow_redirects=False)
        assert r.status_code == 400 and "«File» is required." in r.text
        r = c.post("/team/casefile/new/evidence", data={"csrf_token": token, **fields},
                   files={"file": ("statement.txt", body, "text/plain")},
                   follow_redirects=False)
        assert r.status_code == 303, r.text[:1500]
        evidence_id = int(r.headers["location"].rsplit("/", 1)[1])
        page = c.get(r.headers["location"]).text
    assert hashlib.sha256(body).hexdigest()[:16] in page
    with Case.open(case_dir) as case:
        ev = cf.get_evidence(case, evidence_id)
        custody = cf.custody_history(case, evidence_id)
        assert cf.read_evidence(case, evidence_id, by="tests", role="admin") == body
        assert len(cf.list_evidence(case)) == before + 1
    assert ev.sha256 == hashlib.sha256(body).hexdigest() and ev.original_name == "statement.txt"
    assert ev.acquired_from == "witness W-7" and ev.kind == "document"
    assert custody[0].by == "editor"


def test_removing_a_source_in_the_browser_in_persian(browser: Any, case_dir: str) -> None:
    """Real chromium, Persian: from an event, open a figure, cite a second source, then
    remove the first with a reason; the figure keeps the second source only."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(case_dir) as case:
        f = cf.list_figures(case)[0]
        other = next(s.slug for s in case.sources() if s.slug != f.sources[0].source)
    with served_page(browser, case_dir, "editor", lang="fa") as page:
        page.goto(f"/team/casefile/events/{f.event}")
        page.click(f'#figure-{f.id} a.edit-figure')
        page.wait_for_url(re.compile(rf".*/team/casefile/figures/{f.id}/edit$"))
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.select_option("#f-source", other)
        page.select_option("#f-credibility", "2")
        page.click("#save")
        page.wait_for_url(re.compile(rf".*/team/casefile/events/{f.event}#figure-{f.id}$"))
        page.goto(f"/team/casefile/figures/{f.id}/edit")
        assert page.locator("a.remove-source").count() == 2
        page.locator(f'a.remove-source[href$="/{f.sources[0].source}"]').click()
        page.fill("#f-reason", "صفحه نادرست خوانده شده بود")
        page.click("#save")
        page.wait_for_url(re.compile(rf".*/team/casefile/events/{f.event}#figure-{f.id}$"))
    with Case.open(case_dir) as case:
        assert [s.source for s in cf.get_figure(case, f.id).sources] == [other]
    [removed] = _audit(case_dir, "citation.remove")
    assert json.loads(removed.details)["reason"] == "صفحه نادرست خوانده شده بود"

"""Every shown name says where it came from (issue 15; SYNTHETIC data): the memorial in a real
browser (Playwright driving Debian's chromium) and the public API, team search and person
pages, and the team's name-correction form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import SECRET, copy_case, csrf_of, login, make_client, serve


def _by_origin(case) -> dict[str, int]:
    """A person id per Latin-name origin (source, machine), each with a Persian name."""
    with case.read() as conn:
        out = {o: conn.exec_driver_sql(
            "SELECT min(id) FROM persons WHERE status='active' AND name_fa IS NOT NULL "
            "AND name_latin_origin = ?", (o,)).scalar() for o in ("source", "machine")}
    assert all(out.values()), out
    return out


@pytest.fixture(scope="module")
def site(web_case, tmp_path_factory) -> dict[str, Any]:
    """A copy of the web case with a machine-named, a source-named and a corrected person
    published."""
    from dadkhah import portal
    from dadkhah.register import correct_name, get_person
    from dadkhah.store import Case

    loc = copy_case(web_case.pristine, tmp_path_factory.mktemp("origin") / "case")
    case = Case.open(loc)
    ids = _by_origin(case)
    with case.read() as conn:
        corrected = conn.exec_driver_sql(
            "SELECT max(id) FROM persons WHERE status='active' AND name_latin_origin='machine'"
        ).scalar()
    correct_name(case, corrected, latin="Checkedname Byfamily", reason="family letter",
                 by="tests", role="editor")
    ids["person"] = corrected
    portal.publish(case, list(ids.values()), by="tests", role="editor")
    names = {o: get_person(case, i)["name_latin"] for o, i in ids.items()}
    case.close()
    return {"location": str(loc), "ids": ids, "names": names}


@pytest.fixture(scope="module")
def server(site) -> Iterator[str]:
    from dadkhah.web import create_app

    with serve(create_app(site["location"], secret_key=SECRET)) as url:
        yield url


def test_memorial_page_shows_the_origin_of_its_latin_name(browser, server, site) -> None:
    context = browser.new_context(base_url=server, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        want = {"machine": "(machine transliteration)", "person": "(checked by a person)",
                "source": "(as written)"}
        for origin, pid in site["ids"].items():
            page.goto(f"/memorial/{pid}")
            row = page.locator("tr", has=page.locator("th", has_text="Latin"))
            text = row.inner_text()
            assert site["names"][origin] in text, (origin, text)
            assert want[origin] in text, (origin, text)
            assert row.locator(f".name-origin[data-origin='{origin}']").is_visible()
            if origin == "source":
                assert "as written in:" in text  # and by which sources
            # the heading marks a machine or corrected form too
            heading = page.locator("h1").inner_text()
            assert (want[origin] in heading) == (origin != "source"), heading
        # the list marks every machine form
        page.goto("/memorial")
        link = page.locator(f"a[href='/memorial/{site['ids']['machine']}']")
        assert "(machine transliteration)" in link.inner_text()
    finally:
        context.close()
    context = browser.new_context(base_url=server, locale="fa-IR")  # the Persian memorial
    try:
        page = context.new_page()
        page.goto(f"/memorial/{site['ids']['machine']}")
        assert page.locator("html").get_attribute("lang") == "fa"
        assert "(نویسه‌گردانی ماشینی)" in page.locator("h1").inner_text()
        page.goto(f"/memorial/{site['ids']['person']}")
        assert "(بازبینی‌شده به دست یک نفر)" in page.locator("h1").inner_text()
    finally:
        context.close()


def test_public_api_says_where_each_name_came_from(site) -> None:
    with make_client(site["location"]) as c:
        for origin, pid in site["ids"].items():
            e = c.get(f"/api/public/persons/{pid}").json()
            assert e["name_latin_origin"] == origin
            assert e["name_latin"] == site["names"][origin]
            assert bool(e["name_latin_written_by"]) == (origin == "source")
            assert e["name_fa_origin"] == "source"


def test_team_pages_mark_machine_names_and_editors_correct_them(site, tmp_path: Path) -> None:
    from dadkhah.store import Case

    loc = copy_case(site["location"], tmp_path / "case")
    pid = site["ids"]["machine"]
    with make_client(str(loc)) as c:
        login(c, "viewer")
        page = c.get(f"/team/persons/{pid}").text
        assert 'data-origin="machine"' in page and 'id="name-form"' not in page
        hits = c.get("/team/search", params={"q": str(pid)}).text
        assert 'data-origin="machine"' in hits
        c.cookies.clear()
        token = login(c, "viewer")
        r = c.post(f"/team/persons/{pid}/name", data={"latin": "X Y", "reason": "r",
                                                      "csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 403
        c.cookies.clear()
        token = login(c, "editor")
        page = c.get(f"/team/persons/{pid}").text
        assert 'id="name-form"' in page
        r = c.post(f"/team/persons/{pid}/name",
                   data={"latin": "Mahmoud Abdolnazari", "persian": "", "reason": "family",
                         "csrf_token": csrf_of(page)}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        page = c.get(r.headers["location"]).text
        assert "Mahmoud Abdolnazari" in page and 'data-origin="person"' in page
        cid = int(re.search(r'data-correction="(\d+)"', page).group(1))
        r = c.post(f"/team/persons/{pid}/name/{cid}/withdraw",
                   data={"reason": "mistaken", "csrf_token": csrf_of(page)},
                   follow_redirects=False)
        assert r.status_code == 303
        assert 'data-origin="machine"' in c.get(r.headers["location"]).text
    case = Case.open(loc)
    try:
        with case.read() as conn:
            actions = [a for (a,) in conn.exec_driver_sql(
                "SELECT action FROM audit_log WHERE action LIKE 'name.%' ORDER BY id")]
        assert actions[-2:] == ["name.correct", "name.withdraw"]
        assert case.verify_audit().ok
    finally:
        case.close()


def test_team_api_says_where_each_name_came_from(site, web_case) -> None:
    headers = {"Authorization": f"Bearer {web_case.tokens['viewer']}"}
    with make_client(site["location"]) as c:
        for origin, pid in site["ids"].items():
            p = c.get(f"/api/persons/{pid}", headers=headers).json()
            assert (p["name_latin"], p["name_latin_origin"]) == (site["names"][origin], origin)
            hits = c.get("/api/persons", params={"q": str(pid)}, headers=headers).json()
            hit = next(h for h in hits["hits"] if h["id"] == pid)
            assert hit["name_latin_origin"] == origin

"""Every team page on a phone (issue #17 item 6): at 390 px wide, in English and in Persian,
no page is wider than the screen (document.documentElement.scrollWidth <= 390; the usability
review measured 498-1,122 px) and nothing outside a table that scrolls within itself reaches
past either edge.  Real chromium, logged in as an admin (who sees every
page); the case file pages with the 1988 example loaded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import (
    SECRET,
    WebCase,
    browser_login,
    copy_case,
    serve,
    switch_language,
)

WIDTH = 390

# Elements past the window's edges that are not inside a container scrolling on its own.
_OUTSIDE = """w => [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (!(r.width > 0 && (r.right > w + 1 || r.left < -1))) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
    }
    return true;
}).slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' +
                   Math.round(e.getBoundingClientRect().width))"""


@pytest.fixture(scope="module")
def phone_server(web_case: WebCase, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[str, list[str]]]:
    """A server over a copy of the session case with the 1988 example case file loaded
    (the session case itself stays as it is), and the team pages to measure."""
    from sqlalchemy import select

    from dadkhah import casefile as cf
    from dadkhah.store import Case
    from dadkhah.store.tables import Person
    from dadkhah.web import create_app

    location = str(copy_case(web_case.pristine, tmp_path_factory.mktemp("phone") / "case"))
    with Case.open(location) as case:
        cf.load_example(case, by="tests")
        with case.read() as conn:
            person = conn.execute(select(Person.id).order_by(Person.id).limit(1)).scalar()
        role = cf.get_actor(case, "raisi").roles[0].id
        figure = cf.list_figures(case)[0]
    pages = ["/team/", "/team/search?q=a", f"/team/persons/{person}", "/team/review",
             "/team/imports", "/team/sources", "/team/jobs", "/team/audit", "/team/users",
             "/team/casefile/", "/team/casefile/timeline", "/team/casefile/map",
             "/team/casefile/actors/raisi", "/team/casefile/events/massacre-1988",
             "/team/casefile/burial/khavaran", "/team/casefile/new/allegation",
             "/team/casefile/new/evidence", "/places", f"/team/casefile/roles/{role}/edit",
             f"/team/casefile/figures/{figure.id}/edit",
             f"/team/casefile/uncite/figure/{figure.id}/{figure.sources[0].source}"]
    with serve(create_app(location, secret_key=SECRET)) as url:
        yield url, pages


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_every_team_page_fits_a_phone(browser: Any, phone_server: tuple[str, list[str]],
                                      lang: str) -> None:
    url_base, pages = phone_server
    context = browser.new_context(base_url=url_base, locale="en-GB",
                                  viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    too_wide = {}
    try:
        browser_login(page, "admin")
        if lang == "fa":
            switch_language(page, "fa")
        for url in pages:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            assert page.locator("html").get_attribute("lang") == lang
            width = page.evaluate("document.documentElement.scrollWidth")
            outside = page.evaluate(_OUTSIDE, WIDTH)
            if width > WIDTH or outside:
                too_wide[url] = (width, outside)
    finally:
        if lang == "fa":
            switch_language(page, "en")  # the admin's language back to English
        context.close()
    assert too_wide == {}

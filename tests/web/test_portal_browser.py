"""The public portal in a real browser (Playwright driving Debian's chromium): a family sends
a report, a moderator accepts it; the Persian portal is right-to-left and finds a Persian
name typed in Latin letters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import SECRET, browser_login, serve, switch_language
from tests.web.test_portal_public import build_portal_site


@pytest.fixture(scope="module")
def portal_server(web_case, tmp_path_factory) -> Iterator[tuple[str, Any]]:
    from dadkhah.web import create_app
    from dadkhah.web.public import PortalConfig

    site = build_portal_site(web_case.location, tmp_path_factory.mktemp("pb") / "case")
    app = create_app(site.location, secret_key=SECRET)
    app.state.portal_config = PortalConfig(min_fill_seconds=1)
    with serve(app) as url:
        yield url, site


@pytest.fixture
def ppage(browser, portal_server) -> Iterator[Any]:
    context = browser.new_context(base_url=portal_server[0], locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_family_report_then_moderator_accepts(ppage, portal_server) -> None:
    page = ppage
    page.goto("/")
    page.click("a[href='/submit']")
    page.fill("#f-full_name", "Golnar Browsertest")
    page.fill("#f-death_date", "شهریور ۱۳۶۷")
    page.fill("#f-prison", "Gohardasht")
    page.fill("#f-relation", "daughter")
    page.fill("#f-contact", "golnar-family@example.org")
    page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    page.click("#submit-report")
    page.wait_for_url(re.compile(r".*/submit/thanks$"))
    expect(page.locator("#thanks")).to_have_text("Thank you")

    browser_login(page, "reviewer")
    page.goto("/team/submissions")
    row = page.locator("tr", has_text="Golnar Browsertest")
    row.locator("a.submission-link").click()
    # the submission's own page, loaded whole, before saying what it does not show
    page.wait_for_url(re.compile(r".*/team/submissions/\d+$"))
    assert "golnar-family@example.org" not in page.content()  # a reviewer may not see it
    page.click("#accept")
    expect(page.locator("#status")).to_have_text("Accepted")
    expect(page.locator("#record")).to_contain_text("Source record")


def test_persian_portal_is_rtl_and_finds_a_name_typed_in_latin(ppage, portal_server) -> None:
    from dadkhah.names import latin_form

    page = ppage
    site = portal_server[1]
    page.goto("/memorial")
    switch_language(page, "fa")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    expect(page.locator("h1").first).to_have_text("یادبود")
    typed = latin_form(site.person_fa).lower().replace("ou", "u")
    page.fill("#memorial-q", typed)
    page.click("#memorial-search")
    # the results page, loaded whole (the list before it lists names too): all_inner_texts
    # does not wait
    page.wait_for_url(re.compile(r".*/memorial\?.*q="))
    page.wait_for_load_state()
    names = page.locator("a.entry-link .persian-name").all_inner_texts()
    assert site.person_fa in names
    count = page.locator("#result-count").inner_text()
    assert re.search("[۰-۹]", count) and not re.search("[0-9]", count)
    switch_language(page, "en")
    assert page.locator("html").get_attribute("dir") == "ltr"

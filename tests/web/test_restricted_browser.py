"""The restrictions admin page in Chromium (issue 16): an editor restricts a source to a
group on /team/restrictions; a reviewer outside the group no longer sees it on the sources
page, a member does; lifting it shows it again.  On a private copy of the web case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, SECRET, serve

TITLE = "Informant list (SYNTHETIC, restricted)"


@pytest.fixture
def private_server(fresh_case) -> Iterator[str]:
    from dadkhah.store import Case
    from dadkhah.web import create_app

    case = Case.open(fresh_case.location)
    case.add_source(slug="informant", title=TITLE, kind="other", synthetic=True, by="t")
    case.close()
    with serve(create_app(fresh_case.location, secret_key=SECRET)) as url:
        yield url


def _login(browser: Any, url: str, role: str) -> Any:
    ctx = browser.new_context(base_url=url, locale="en-GB")
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    page.goto("/team/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/team/$"))
    return page


def test_restrict_a_source_to_a_group_in_the_browser(browser: Any,
                                                      private_server: str) -> None:
    editor = _login(browser, private_server, "editor")
    editor.click("a[href='/team/restrictions']")
    editor.fill("#group-form input[name=name]", "legal")
    editor.fill("#group-form input[name=members]", "editor, admin")
    editor.click("#group-form button[type=submit]")
    editor.wait_for_url(re.compile(r".*done=group$"))
    assert "legal" in editor.content()
    editor.select_option("#restrict-form select[name=kind]", "source")
    editor.fill("#restrict-form input[name=object_id]", "informant")
    editor.fill("#restrict-form input[name=groups]", "legal")
    editor.fill("#restrict-form input[name=reason]", "informant's safety")
    editor.click("#restrict-form button[type=submit]")
    editor.wait_for_url(re.compile(r".*done=restricted$"))
    assert "legal" in editor.inner_text("table.restrictions")
    reviewer = _login(browser, private_server, "reviewer")
    reviewer.goto("/team/sources")
    assert TITLE not in reviewer.content()
    assert reviewer.locator("a[href='/team/restrictions']").count() == 0
    editor.goto("/team/sources")
    assert TITLE in editor.content()
    editor.goto("/team/restrictions")
    editor.click("table.restrictions button[type=submit]")
    editor.wait_for_url(re.compile(r".*done=lifted$"))
    reviewer.goto("/team/sources")
    assert TITLE in reviewer.content()
    for pg in (editor, reviewer):
        pg.context.close()

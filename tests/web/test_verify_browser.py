"""The verification page in Chromium (issue 18): in Persian, the line's image shows beside
the fields, and the keyboard accepts a reading (a) and moves on.  On a private copy of the
web case with a SYNTHETIC list read from a PDF."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dadkhah.store import Case
from tests.web.conftest import PASSWORD, SECRET, serve, switch_language
from tests.web.test_verify_readings import _with_document


@pytest.fixture
def doc_server(fresh_case, tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    from dadkhah.web import create_app

    ids = _with_document(fresh_case.location, tmp_path)
    with serve(create_app(fresh_case.location, secret_key=SECRET)) as url:
        yield url, ids


def test_keyboard_accept_in_persian(browser: Any, doc_server, fresh_case) -> None:
    url, (first, second) = doc_server
    ctx = browser.new_context(base_url=url, locale="fa-IR")
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    page.goto("/team/login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(re.compile(r".*/team/$"))
    page.goto("/team/verify?source=doc")
    switch_language(page, "fa")
    assert page.get_attribute("html", "dir") == "rtl"
    expect(page.locator("h1")).to_contain_text("بازبینی خوانش‌های ماشینی")
    assert page.get_attribute("#reading", "data-record") == str(first)
    # the line's image was served and decoded: it has a width
    page.wait_for_function("document.querySelector('#line-image').naturalWidth > 0")
    assert "پذیرش چنان‌که خوانده شد" in page.inner_text("#accept")
    page.locator("h1").click()  # focus outside the fields: letters are shortcuts
    page.keyboard.press("a")
    page.wait_for_url(re.compile(rf".*done=accept-{first}"))
    assert page.get_attribute("#reading", "data-record") == str(second)
    ctx.close()
    with Case.open(fresh_case.location, read_only=True) as case:
        entry = next(e for e in case.audit_entries(limit=10) if e.action == "record.verify")
        assert entry.actor == "editor" and entry.target == f"record:{first}"

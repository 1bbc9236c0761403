"""The team workspace in a real browser (Playwright driving Debian's chromium).

Few and quick: one browser per session, one context per test.
"""

from __future__ import annotations

from tests.web.conftest import browser_login


def test_login_and_switch_to_persian_right_to_left(page) -> None:
    browser_login(page, "viewer")
    assert page.locator("h1").first.inner_text() == "The case at a glance"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert page.locator("h1").first.inner_text() == "پرونده در یک نگاه"
    # Figures in Persian digits, and the choice is kept for the user, not just the page.
    documented = page.locator("#documented").inner_text()
    assert documented and all(not c.isascii() for c in documented if c.isdigit())
    page.goto("/team/sources")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.click("#lang-switch")  # back to English for the other tests of this user
    page.wait_for_load_state()
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"

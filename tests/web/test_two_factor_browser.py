"""Two-factor login in a real Chromium: an editor is made to set up an authenticator app at
login (the code is computed here from the secret the page shows), logs out and in again
with a new code; a security key is registered and used to log in with Chromium's virtual
authenticator (DevTools protocol ``WebAuthn.*``), under the site's Content-Security-Policy
(the WebAuthn code is a static file).  The server runs on a copy of the case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, SECRET, WebCase, serve


@pytest.fixture
def twofa_server(fresh_case: WebCase) -> Iterator[str]:
    from dadkhah.web import create_app

    app = create_app(fresh_case.location, secret_key=SECRET, require_2fa="admin,editor")
    with serve(app) as url:
        yield url


@pytest.fixture
def twofa_page(browser, twofa_server: str):
    context = browser.new_context(base_url=twofa_server, locale="en-GB")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.csp_errors = errors
    yield pg
    context.close()


def _password(page, user: str) -> None:
    page.goto("/team/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")


def _logout(page) -> None:
    page.click("form.logout button")
    page.wait_for_url(re.compile(r".*/team/login$"))


def _webauthn(page):  # type: ignore[no-untyped-def]
    """The page's DevTools session with WebAuthn on (virtual authenticators)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    return cdp


def _add_key(cdp) -> str:  # type: ignore[no-untyped-def]
    """A virtual USB security key that answers at once; its authenticator id."""
    return cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": False,
        "hasUserVerification": False, "automaticPresenceSimulation": True}})["authenticatorId"]


def test_browser_totp_enrolment_and_login(twofa_page) -> None:
    page = twofa_page
    _password(page, "editor")
    page.wait_for_url(re.compile(r".*/team/login/enrol$"))
    assert page.locator("#totp-qr svg").count() == 1
    secret = page.inner_text("#totp-secret").replace(" ", "")
    page.fill("#totp-code", pyotp.TOTP(secret).now())
    page.click("#totp-confirm")
    # all_inner_texts() does not wait: read the codes once the next page shows them all
    # (CI once read the enrolment page still loading: 0 codes; the first <li> alone may
    # come before the others)
    codes_shown = page.locator("#recovery-codes li")
    expect(codes_shown).to_have_count(10)
    codes = codes_shown.all_inner_texts()
    assert len(set(codes)) == 10 and all(c.strip() for c in codes)
    page.click("#recovery-continue")
    page.wait_for_url(re.compile(r".*/team/$"))
    _logout(page)
    _password(page, "editor")
    page.wait_for_url(re.compile(r".*/team/login/verify$"))
    code = pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))
    page.fill("#totp-code", code)
    page.click("#totp-submit")
    page.wait_for_url(re.compile(r".*/team/$"))
    _logout(page)
    # The same code again: refused.
    _password(page, "editor")
    page.wait_for_url(re.compile(r".*/team/login/verify$"))
    page.fill("#totp-code", code)
    page.click("#totp-submit")
    expect(page.locator(".flash.error")).to_contain_text("already used")
    assert re.search(r"/team/login/verify$", page.url)


def test_browser_security_key_register_and_login(twofa_page) -> None:
    page = twofa_page
    cdp = _webauthn(page)
    key = _add_key(cdp)
    # A viewer (not required) adds a key from the account page.
    _password(page, "viewer")
    page.wait_for_url(re.compile(r".*/team/$"))
    page.goto("/team/account")
    page.fill("#webauthn-name", "blue key")
    page.click("#webauthn-register")
    expect(page.locator("#webauthn-recovery li")).to_have_count(10)
    creds = cdp.send("WebAuthn.getCredentials", {"authenticatorId": key})
    assert len(creds["credentials"]) == 1
    page.goto("/team/account")
    assert page.locator("#security-keys li").count() == 1
    assert "blue key" in page.inner_text("#security-keys")
    _logout(page)
    # Logging in now asks for the key; the virtual authenticator answers.
    _password(page, "viewer")
    page.wait_for_url(re.compile(r".*/team/login/verify$"))
    assert page.locator("#totp-code").count() == 0  # no authenticator app: key only
    page.click("#webauthn-login")
    page.wait_for_url(re.compile(r".*/team/$"))
    page.goto("/team/account")
    assert page.locator("#account-link").count() == 1
    creds = cdp.send("WebAuthn.getCredentials", {"authenticatorId": key})
    assert creds["credentials"][0]["signCount"] >= 1
    # No script was blocked by the Content-Security-Policy on the way.
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]


def test_browser_security_key_of_another_authenticator_is_refused(twofa_page) -> None:
    """A key registered on one authenticator; login attempted with a different one."""
    page = twofa_page
    cdp = _webauthn(page)
    first = _add_key(cdp)
    _password(page, "reviewer")
    page.wait_for_url(re.compile(r".*/team/$"))
    page.goto("/team/account")
    page.click("#webauthn-register")
    page.wait_for_selector("#webauthn-recovery li")
    _logout(page)
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": first})
    _add_key(cdp)
    _password(page, "reviewer")
    page.wait_for_url(re.compile(r".*/team/login/verify$"))
    page.click("#webauthn-login")
    # The browser finds no matching credential and gives up: no session.
    # a locator, not wait_for_function: polling a JavaScript string is eval, which the
    # site's Content-Security-Policy refuses whenever the status is not set at the first look
    page.locator("#webauthn-status").filter(has_text=re.compile(r"\S")).wait_for(
        timeout=90_000)
    page.goto("/team/")
    assert re.search(r"/team/login", page.url)


def test_browser_admin_enrols_a_security_key_at_login(twofa_page) -> None:
    """An admin without a second factor picks a security key instead of an app."""
    page = twofa_page
    _add_key(_webauthn(page))
    _password(page, "admin")
    page.wait_for_url(re.compile(r".*/team/login/enrol$"))
    page.fill("#webauthn-name", "admin key")
    page.click("#webauthn-register")
    expect(page.locator("#webauthn-recovery li")).to_have_count(10)
    page.click("#webauthn-continue")
    page.wait_for_url(re.compile(r".*/team/$"))
    _logout(page)
    _password(page, "admin")
    page.wait_for_url(re.compile(r".*/team/login/verify$"))
    page.click("#webauthn-login")
    page.wait_for_url(re.compile(r".*/team/$"))
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]

"""The team workspace in a real browser (Playwright driving Debian's chromium).

Few and quick: one browser per session, one context per test.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import browser_login, switch_language


def test_login_and_switch_to_persian_right_to_left(page) -> None:
    browser_login(page, "viewer")
    assert page.locator("h1").first.inner_text() == "The case at a glance"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    switch_language(page, "fa")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    expect(page.locator("h1").first).to_have_text("پرونده در یک نگاه")
    # Figures in Persian digits, and the choice is kept for the user, not just the page.
    documented = page.locator("#documented").inner_text()
    assert documented and all(not c.isascii() for c in documented if c.isdigit())
    page.goto("/team/sources")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    switch_language(page, "en")  # back to English for the other tests of this user
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"


def test_search_a_persian_name_typed_in_latin(page, web_case) -> None:
    from tests.web.test_pages import _persian_only_person, latin_variant

    pid, recs = _persian_only_person(web_case.location)
    browser_login(page, "viewer")
    page.click("nav.main >> text=Register")
    page.fill("#q", latin_variant(recs[0].name_fa))
    page.click("#search-submit")
    link = page.locator(f'table.results a[href="/team/persons/{pid}"]').first
    link.wait_for()
    link.click()
    page.wait_for_url(f"**/team/persons/{pid}")
    expect(page.locator("h1")).to_contain_text(recs[0].name_fa)


def test_review_a_pair_with_the_keyboard(page, web_case) -> None:
    from sqlalchemy import select

    from dadkhah.store import Case
    from dadkhah.store.tables import Decision

    browser_login(page, "reviewer")
    page.goto("/team/review")
    pair = page.locator("table.side-by-side").get_attribute("data-pair")
    left, right = map(int, pair.split("-"))
    page.keyboard.press("u")
    expect(page.locator("#saved")).to_contain_text("Unsure")
    expect(page.locator("table.side-by-side")).not_to_have_attribute("data-pair", pair)
    with Case.open(web_case.location) as case, case.read() as conn:
        row = conn.execute(select(Decision.__table__).where(
            Decision.record_l == min(left, right), Decision.record_r == max(left, right),
            Decision.superseded_by.is_(None))).first()
    assert row is not None and row.decision == "unsure" and row.reviewer == "reviewer"
    # Typing in the reason field must not trigger a shortcut.
    page.fill("input[name=reason]", "")
    page.locator("input[name=reason]").type("mn")
    assert page.locator("input[name=reason]").input_value() == "mn"
    assert page.locator("table.side-by-side").get_attribute("data-pair") != pair


def _press_on_persian_layout(page, code: str, key: str, in_field: bool = False) -> None:
    """What a keyboard with the Persian layout sends: the physical key's code, a Persian
    letter as the key (Playwright's own keyboard knows only the US layout)."""
    page.evaluate(
        "([code, key, inField]) => (inField ? document.activeElement : document.body)"
        ".dispatchEvent(new KeyboardEvent('keydown',"
        " {key: key, code: code, bubbles: true, cancelable: true}))", [code, key, in_field])


def test_review_shortcuts_work_on_a_persian_keyboard_layout(page, web_case) -> None:
    from sqlalchemy import select

    from dadkhah.store import Case
    from dadkhah.store.tables import Decision

    def decisions() -> int:
        with Case.open(web_case.location) as case, case.read() as conn:
            return len(conn.execute(select(Decision.id)).all())

    browser_login(page, "reviewer")
    page.goto("/team/review")
    pair = page.locator("table.side-by-side").get_attribute("data-pair")
    left, right = map(int, pair.split("-"))
    before = decisions()
    # In a field, the same key is typing, not a decision.
    page.locator("input[name=reason]").focus()
    _press_on_persian_layout(page, "KeyN", "د", "document.activeElement")  # «د»
    assert page.locator("#saved").count() == 0
    page.locator("input[name=reason]").blur()
    _press_on_persian_layout(page, "KeyN", "د")  # the key marked N types «د»
    page.locator("#saved").wait_for()
    expect(page.locator("table.side-by-side")).not_to_have_attribute("data-pair", pair)
    # "#saved" absent just after the first key proves little (the request is sent later):
    # once the page is quiet, exactly one decision was written, not one per key
    page.wait_for_load_state("networkidle")
    assert decisions() == before + 1
    with Case.open(web_case.location) as case, case.read() as conn:
        row = conn.execute(select(Decision.__table__).where(
            Decision.record_l == min(left, right), Decision.record_r == max(left, right),
            Decision.superseded_by.is_(None))).first()
    assert row is not None and row.decision == "no_match" and row.reviewer == "reviewer"


# The colours a element is drawn with: its text colour, and the first background that is not
# transparent from it upwards (as Chromium computed them).
_COLOURS = """el => {
  let bg = 'rgba(0, 0, 0, 0)', n = el;
  while (n && /rgba\\(.*, 0\\)$|transparent/.test(bg)) {
    bg = getComputedStyle(n).backgroundColor; n = n.parentElement;
  }
  return [getComputedStyle(el).color, bg];
}"""


def _contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two opaque CSS rgb() colours."""
    import re

    def luminance(c: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"\d+", c)[:3])
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_review_buttons_and_their_key_badges_are_readable(page) -> None:
    assert _contrast("rgb(255, 255, 255)", "rgb(244, 244, 244)") < 1.2  # the old badge
    browser_login(page, "reviewer")
    page.goto("/team/review")
    for key in ("m", "n", "u"):
        button = page.locator(f'button[data-shortcut="{key}"]')
        badge = button.locator("kbd")
        assert badge.inner_text() == key
        for el in (badge, button):
            fg, bg = el.evaluate(_COLOURS)
            assert _contrast(fg, bg) >= 4.5, (key, fg, bg)


def test_upload_a_csv_and_confirm_the_import(page, web_case, tmp_path) -> None:
    from tests.conftest import write_csv

    csv = write_csv(tmp_path / "browser-upload.csv", [
        ["full_name", "father_name", "death_date", "prison"],
        ["Mahmoud Zarei (SYNTHETIC)", "Ahmad", "1988-08-05", "Evin"],
        ["Parvin Ghaffari (SYNTHETIC)", "", "1367/05/20", "Gohardasht"],
        ["Kamran Safavi (SYNTHETIC)", "Reza", "summer 1988", "Evin"],
    ])
    browser_login(page, "editor")
    page.goto("/team/imports")
    page.set_input_files("input[type=file]", str(csv))
    page.click("#preview-button")
    # the preview is a new page: read each part once it holds what is looked for
    expect(page.locator("#mapping")).to_contain_text("full_name")
    expect(page.locator("#preview")).to_contain_text("Parvin Ghaffari")
    page.click("#confirm-import")
    page.wait_for_selector("#job[data-status=done]")  # the import runs as a job
    expect(page.locator("#job-done")).to_contain_text("Imported 3 records")
    page.goto("/team/imports")
    assert "browser-upload.csv" in page.locator("table.imports").inner_text()

"""The review page on a phone: no sideways scrolling at 390 px, in English and in Persian
(the usability review measured 608 px).  Real chromium, a plain 390-px-wide window."""

from __future__ import annotations

import pytest

from tests.web.conftest import browser_login, switch_language

WIDTH = 390


def _overflow(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Elements whose box reaches past the window's edges (what makes a page scroll)."""
    return page.evaluate("""w => [...document.querySelectorAll('body *')]
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.width > 0 && (r.right > w + 1 || r.left < -1); })
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' +
                         Math.round(e.getBoundingClientRect().width))""", WIDTH)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_review_page_fits_a_phone(browser, live_server, lang) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    try:
        browser_login(page, "viewer")
        if lang == "fa":
            switch_language(page, "fa")
        page.goto("/team/review")
        page.locator("table.side-by-side").wait_for()
        page.locator("#evidence").wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, (lang, width, _overflow(page))
        # The whole pair is readable without zooming: both records' cells are on screen.
        cells = page.locator("table.side-by-side tbody tr").first.locator("td")
        assert cells.count() == 2
        for i in range(2):
            box = cells.nth(i).bounding_box()
            assert box and box["x"] >= -1 and box["x"] + box["width"] <= WIDTH + 1
    finally:
        if lang == "fa":
            switch_language(page, "en")  # the viewer's language back to English
        context.close()

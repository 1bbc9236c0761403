"""The web's import preview lists the name cells it could not read as names, with their row
and field, in English and in Persian, and writes nothing (issue 15, part 4)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import write_csv
from tests.web.conftest import login, make_client
from tests.web.test_persian_pages import _english_fragments, _visible

HEADER = ["نام", "نام خانوادگی", "نام پدر", "تاریخ اعدام"]
ROWS = [
    ["علی", "رضایی", "12/34 -", "مرداد ۱۳۶۷"],              # father: digits and punctuation
    ["پرویز", "نیک‌نام (SYNTHETIC)", "حسن", "شهریور ۱۳۶۷"],  # a stray Latin note
    ["زهرا", "کاظمی", "محمد", "مرداد ۱۳۶۷"],                # nothing to say
]


def _items(html: str) -> list[tuple[dict[str, str], str]]:
    block = re.search(r'<ul id="name-warnings">(.*?)</ul>', html, re.S)
    assert block is not None, "no name warnings in the preview"
    out = []
    for attrs, body in re.findall(r"<li([^>]*)>(.*?)</li>", block.group(1), re.S):
        out.append((dict(re.findall(r'data-(\w+)="([^"]*)"', attrs)),
                    _visible(body)))
    return out


def _preview(client, token: str, slug: str, path: Path) -> str:  # type: ignore[no-untyped-def]
    r = client.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
                    files={"file": (path.name, path.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text[:500]
    return str(r.text)


def test_preview_lists_unreadable_names_in_english_and_persian(  # type: ignore[no-untyped-def]
        fresh_case, tmp_path: Path) -> None:
    from dadkhah.store import Case

    path = write_csv(tmp_path / "names.csv", [HEADER, *ROWS])
    with Case.open(fresh_case.location) as case:
        slug = case.sources()[0].slug
        before = len(case.imports())
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        items = _items(_preview(c, token, slug, path))
        assert [(a["row"], a["field"], a["kind"]) for a, _ in items] == [
            ("1", "father_name", "no_letters"), ("2", "surname", "left_out")]
        assert "Row 1, Father's name:" in items[0][1] and "12/34 -" in items[0][1]
        assert "no letters" in items[0][1]
        assert "Row 2, Surname:" in items[1][1] and "SYNTHETIC" in items[1][1]
        assert "«نیک‌نام»" in items[1][1] and "left out of the name" in items[1][1]

        c.post("/lang", data={"lang": "fa", "next": "/team/imports", "csrf_token": token})
        html = _preview(c, token, slug, path)
        fa = _items(html)
        assert [(a["row"], a["field"], a["kind"]) for a, _ in fa] == [
            (a["row"], a["field"], a["kind"]) for a, _ in items]
        assert "ردیف ۱، نام پدر:" in fa[0][1] and "بی‌حرف" in fa[0][1]
        assert "ردیف ۲، نام خانوادگی:" in fa[1][1] and "SYNTHETIC" in fa[1][1]
        assert "نام‌هایی که باید بررسی شوند" in _visible(html)
        text = _visible(html)
        english = {k: f for k, f in _english_fragments().items()
                   if k.startswith("imports.name_warning") and f in text}
        assert not english, english
        c.post("/lang", data={"lang": "en", "next": "/team/imports", "csrf_token": token})
    with Case.open(fresh_case.location) as case:
        assert len(case.imports()) == before  # a preview writes nothing


def test_persian_preview_in_a_browser(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """In Chromium, the Persian preview shows the list right to left, rows in Persian
    digits, each cell as written; cancelling leaves nothing behind."""
    from tests.web.conftest import browser_login, switch_language

    path = write_csv(tmp_path / "names-browser.csv", [HEADER, *ROWS])
    browser_login(page, "editor")
    switch_language(page, "fa")
    try:
        page.goto("/team/imports")
        page.set_input_files("input[type=file]", str(path))
        page.click("#preview-button")
        items = page.locator("#name-warnings li")
        expect(items).to_have_count(2)  # the preview page may still be loading
        page.wait_for_load_state()
        first, second = items.nth(0), items.nth(1)
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert first.evaluate("e => getComputedStyle(e).direction") == "rtl"
        expect(first).to_contain_text("ردیف ۱، نام پدر:")
        expect(first.locator("bdi.cell")).to_have_text("12/34 -")
        expect(second).to_contain_text("ردیف ۲، نام خانوادگی:")
        expect(second.locator("bdi.cell")).to_have_text("نیک‌نام (SYNTHETIC)")
        assert first.is_visible() and second.is_visible()
        page.screenshot(path=str(tmp_path / "preview-fa.png"), full_page=True)
    finally:
        switch_language(page, "en")  # back to English for the other tests of this user

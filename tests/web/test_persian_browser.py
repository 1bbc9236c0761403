"""The translation test in a real browser (issue #17, checks): what Chromium shows a Persian
user (``innerText``: the text as laid out, hidden parts left out, the collapsed English
originals of errors included only if opened) holds no English interface message that the
Persian catalog translates, on every team page, the case file's pages, a person, a job, the
import preview with its mapping editor and the public portal with a memorial entry.  The
same check on the English review page finds its English messages: it sees what it looks
for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_csv
from tests.web.conftest import (
    SECRET,
    WebCase,
    browser_login,
    copy_case,
    serve,
    switch_language,
)
from tests.web.test_persian_pages import PAGES, _english_fragments


@pytest.fixture(scope="module")
def fa_server(web_case: WebCase, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[str, int]]:
    from dadkhah import casefile as cf
    from dadkhah import portal
    from dadkhah.store import Case
    from dadkhah.web import create_app

    location = str(copy_case(web_case.pristine, tmp_path_factory.mktemp("fa-br") / "case"))
    with Case.open(location) as case:
        cf.load_example(case, by="tests")
        ids = portal.synthetic_person_ids(case)[:10]
        portal.publish(case, ids, by="tests", role="editor")
        entry = next(e.person_id for e in portal.memorial_entries(case, limit=10)[0]
                     if e.prison is not None)
    with serve(create_app(location, secret_key=SECRET)) as url:
        yield url, entry


def _shown(page: Any) -> str:
    return " ".join(page.evaluate("document.body.innerText").split())


def test_persian_pages_show_no_english_interface_text_in_chromium(
        browser: Any, fa_server: tuple[str, int], tmp_path: Path) -> None:
    url, entry = fa_server
    fragments = _english_fragments()
    assert len(fragments) > 50
    ctx = browser.new_context(base_url=url, locale="fa-IR")
    ctx.set_default_timeout(15_000)
    try:
        page = ctx.new_page()
        browser_login(page, "admin")
        page.goto("/team/review")
        english = _shown(page)
        assert {"evidence.intro", "review.keys"} <= {k for k, piece in fragments.items()
                                                    if piece in english}
        switch_language(page, "fa")
        left: dict[str, list[str]] = {}
        paths = [*PAGES, "/team/casefile/actors/raisi", "/team/casefile/events/massacre-1988",
                 "/team/casefile/burial/khavaran", "/team/casefile/timeline",
                 "/team/casefile/new/allegation", f"/memorial/{entry}", "/memorial", "/",
                 "/submit"]
        for path in paths:
            page.goto(path)
            assert page.locator("html").get_attribute("dir") == "rtl", path
            found = sorted(k for k, piece in fragments.items() if piece in _shown(page))
            if found:
                left[path] = found
        # A person found by search, a job started from the dashboard, an import preview
        # whose name header is unknown (the mapping editor) and one with a bad row.
        page.goto("/team/search?q=a")
        href = page.locator('a[href^="/team/persons/"]').first.get_attribute("href")
        page.goto(href)
        left.update({href: k} if (k := sorted(
            k for k, p in fragments.items() if p in _shown(page))) else {})
        csv = write_csv(tmp_path / "list.csv", [["ستون الف", "نام پدر", "سن"],
                                                ["مهتاب کریمی", "حسین", "سی و اندی"]])
        page.goto("/team/imports")
        page.set_input_files("input[type=file]", str(csv))
        page.select_option("select[name=source]", index=1)
        page.click("#preview-button")
        page.locator("#mapping-problem").wait_for()
        page.wait_for_load_state()  # innerText does not wait: the whole page first
        found = sorted(k for k, p in fragments.items() if p in _shown(page))
        if found:
            left["import preview (unknown header)"] = found
        page.select_option("#col0", "full_name")
        page.click("#apply-mapping")
        page.locator("#import-problems").wait_for()
        page.wait_for_load_state()
        shown = _shown(page)
        assert re.search(r"ردیف ۱ \(خط ۲\)", shown), shown[:600]
        found = sorted(k for k, p in fragments.items() if p in shown)
        if found:
            left["import preview (bad row)"] = found
        assert not left, left
    finally:
        ctx.close()

"""Dates in a real browser: a Persian person page shows birth and death in the Solar Hijri
calendar with Persian digits; the Gregorian calendar on request (the header's toggle)."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import text

from tests.web.conftest import browser_login, switch_language
from tests.web.test_portal_public import portal_site  # noqa: F401 (the published site)

_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _person_with_birth_and_day_of_death(location) -> tuple[int, int, int, str]:
    from dadkhah.store import Case

    with Case.open(location) as case, case.read() as conn:
        row = conn.execute(text(
            "SELECT id, birth_year_lo, birth_year_hi, death_earliest FROM persons "
            "WHERE status = 'active' AND birth_year_lo IS NOT NULL "
            "AND birth_year_lo = birth_year_hi AND death_earliest = death_latest "
            "ORDER BY id LIMIT 1")).first()
    assert row is not None, "the web case has no person with a birth year and a day of death"
    return row.id, row.birth_year_lo, row.birth_year_hi, row.death_earliest


def test_persian_person_page_shows_solar_hijri_birth_and_death(page, web_case) -> None:
    import jdatetime

    pid, born, _, died = _person_with_birth_and_day_of_death(web_case.location)
    # the truth, from jdatetime directly: a Gregorian year overlaps two Solar Hijri years
    first = jdatetime.date.fromgregorian(year=born, month=1, day=1).year
    last = jdatetime.date.fromgregorian(year=born, month=12, day=31).year
    want_birth = f"{first}–{last}".translate(_FA)
    y, m, d = map(int, died.split("-"))
    want_death = jdatetime.date.fromgregorian(year=y, month=m, day=d).strftime(
        "%Y/%m/%d").translate(_FA)

    browser_login(page, "viewer")
    switch_language(page, "fa")
    try:
        page.goto(f"/team/persons/{pid}")
        birth = page.locator("td.date.birth").inner_text().strip()
        death = page.locator("td.date.death").inner_text().strip()
        assert birth == want_birth and death == want_death, (birth, death)
        assert not re.search("[0-9]", birth + death)  # Persian digits only

        # the Gregorian calendar on request, still in Persian digits, and remembered
        # the toggle's page is a new page: wait for its dates, not the old page's
        page.click("#calendar-switch")
        expect(page.locator("td.date.birth")).to_have_text(str(born).translate(_FA))
        expect(page.locator("td.date.death")).to_have_text(died.translate(_FA))
        page.goto(f"/team/persons/{pid}")
        assert page.locator("td.date.death").inner_text().strip() == died.translate(_FA)
        page.click("#calendar-switch")  # back to Solar Hijri
        expect(page.locator("td.date.death")).to_have_text(want_death)
        page.wait_for_load_state()  # the calendar is kept before the language changes
    finally:
        switch_language(page, "en")  # back to English for the other tests of this user
    # English pages: Gregorian
    page.goto(f"/team/persons/{pid}")
    assert page.locator("td.date.death").inner_text().strip() == died


def test_memorial_entry_shows_the_birth_year_in_solar_hijri(portal_site) -> None:  # noqa: F811
    """The public memorial in Persian: the birth year as the Solar Hijri years it overlaps;
    in English the Gregorian year."""
    import sqlite3
    from pathlib import Path

    import jdatetime

    from tests.web.conftest import make_client

    with sqlite3.connect(Path(portal_site.location) / "case.db") as db:
        row = db.execute(
            "SELECT person_id, birth_year_lo FROM published_persons WHERE birth_year_lo "
            "IS NOT NULL AND birth_year_lo = birth_year_hi ORDER BY person_id").fetchone()
    assert row is not None
    pid, born = row
    a = jdatetime.date.fromgregorian(year=born, month=1, day=1).year
    b = jdatetime.date.fromgregorian(year=born, month=12, day=31).year
    with make_client(portal_site.location) as c:
        c.cookies.set("dadkhah_lang", "fa")
        fa = c.get(f"/memorial/{pid}").text
        c.cookies.set("dadkhah_lang", "en")
        en = c.get(f"/memorial/{pid}").text
    birth_fa = re.search(r'<td class="date birth"><bdi>([^<]*)</bdi>', fa).group(1)
    assert birth_fa == f"{a}–{b}".translate(_FA)
    birth_en = re.search(r'<td class="date birth"><bdi>([^<]*)</bdi>', en).group(1)
    assert birth_en == str(born)

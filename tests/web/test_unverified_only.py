"""Persons known only from machine readings no person has checked are marked in the lists
of persons: ``dadkhah persons list`` and the team's search results (issue 18, as the report
marks them; SYNTHETIC).

The case: ``readings_case`` (tests/conftest.py), a small simulated case plus a saved web page
of four entries imported as a document, one of them checked by a person; linked.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from dadkhah import users
from dadkhah.access import NOBODY, Viewer
from dadkhah.cli import app
from dadkhah.register import (
    register_of,
    restrict,
    unrestrict,
    unverified_only_persons,
)
from dadkhah.store import Case
from dadkhah.web.i18n import translate
from tests.web.conftest import PASSWORD, login, make_client


@pytest.fixture(scope="module")
def marked(readings_case):
    """(case location, persons every record of whom is an unchecked reading, the person
    of the checked reading), the case with an editor to log in."""
    with Case.open(readings_case.location) as case:
        if "editor" not in {u.username for u in users.list_users(case)}:
            users.add_user(case, "editor", PASSWORD, role="editor", by="tests")
        reg = register_of(case)
    readings = readings_case.readings
    members: dict[int, set[int]] = {}
    for rid, pid in reg.items():
        members.setdefault(int(pid), set()).add(int(rid))
    expected = {p for p, recs in members.items() if recs <= set(readings[1:])}
    checked = int(reg[readings[0]])
    assert expected and checked not in expected
    return readings_case.location, expected, checked


def test_the_register_names_them(marked) -> None:
    loc, expected, checked = marked
    with Case.open(loc) as case:
        assert unverified_only_persons(case) == expected
        page = sorted(expected | {checked, 1, 2})
        assert unverified_only_persons(case, page) == expected
        assert unverified_only_persons(case, [checked, 1]) == set()
        assert unverified_only_persons(case, []) == set()
        # a source hidden from the viewer: its persons are not shown, nor marked
        restrict(case, "source", case.resolve_source_id("web-list"), users=["editor"],
                 by="tests", role="admin")
        try:
            assert unverified_only_persons(case, viewer=NOBODY) == set()
            assert unverified_only_persons(case, page, viewer=NOBODY) == set()
            assert unverified_only_persons(case, page,
                                           viewer=Viewer("editor", "editor")) == expected
        finally:
            unrestrict(case, "source", case.resolve_source_id("web-list"), by="tests",
                       role="admin")


def test_persons_list_on_the_command_line(marked) -> None:
    loc, expected, checked = marked
    runner = CliRunner()
    res = runner.invoke(app, ["-C", loc, "persons", "list", "--limit", "100000", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {p["id"] for p in rows if p["unverified_only"]} == expected
    assert len(rows) > len(expected) + 100
    text = runner.invoke(app, ["-C", loc, "persons", "list", "--limit", "100000"])
    assert text.exit_code == 0, text.output
    flagged = {int(m) for m in re.findall(r"^\S*\s*(\d+) ‡", text.stdout, re.M)}
    assert flagged == expected
    assert "no person has checked" in text.stdout and "بازبینی‌نشده" in text.stdout
    first = runner.invoke(app, ["-C", loc, "persons", "list", "--limit", "5"])
    assert "‡" not in first.stdout  # a page without them: no mark, no note


def test_the_team_search_results(marked) -> None:
    loc, expected, checked = marked
    with make_client(loc) as c:
        token = login(c, "editor")
        for lang in ("en", "fa"):
            c.post("/lang", data={"csrf_token": token, "lang": lang, "next": "/team/"})
            page = c.get("/team/search", params={"source": "web-list"})
            assert page.status_code == 200
            rows = re.findall(r'<tr><td><a href="/team/persons/(\d+)">.*?</tr>', page.text,
                              re.S)
            assert {int(p) for p in rows} >= expected | {checked}
            flagged = {int(p) for p in re.findall(
                r'<tr><td><a href="/team/persons/(\d+)">(?:(?!</tr>).)*data-unverified-only',
                page.text, re.S)}
            assert flagged == expected
            assert f"({translate(lang, 'verify.only_unchecked')})" in page.text
        assert "فقط خوانش ماشینیِ بازبینی‌نشده" in page.text


def test_the_json_search_api_and_person(marked) -> None:
    """``/api/persons`` flags each hit as the team's search does; ``/api/persons/{id}`` too."""
    loc, expected, checked = marked
    with make_client(loc) as c:
        login(c, "editor")
        r = c.get("/api/persons", params={"source": "web-list", "per_page": 200})
        assert r.status_code == 200, r.text
        hits = r.json()["hits"]
        assert {h["id"] for h in hits} >= expected | {checked}
        assert {h["id"] for h in hits if h["unverified_only"]} == expected
        one = next(iter(expected))
        assert c.get(f"/api/persons/{one}").json()["unverified_only"] is True
        assert c.get(f"/api/persons/{checked}").json()["unverified_only"] is False
        schema = c.get("/api/openapi.json").json()["components"]["schemas"]
        assert "unverified_only" in schema["PersonHitOut"]["properties"]


def test_the_team_person_page(marked) -> None:
    loc, expected, checked = marked
    one = next(iter(expected))
    with make_client(loc) as c:
        token = login(c, "editor")
        for lang in ("en", "fa"):
            c.post("/lang", data={"csrf_token": token, "lang": lang, "next": "/team/"})
            page = c.get(f"/team/persons/{one}")
            assert page.status_code == 200
            assert 'id="unverified-only"' in page.text
            assert f"({translate(lang, 'verify.only_unchecked')})" in page.text
            assert translate(lang, "verify.only_unchecked_check") in page.text
            assert 'id="unverified-only"' not in c.get(f"/team/persons/{checked}").text
        assert "بازبینی‌نشده" in page.text

"""The report tells machine readings from checked records (issue 18, item 5; SYNTHETIC).

A small simulated case, plus a saved web page of four entries imported as a document (each
entry an unverified machine reading); one of them checked by a person.  Linked
(``readings_case`` in tests/conftest.py), then reported.
"""

from __future__ import annotations

import pytest

from dadkhah.register import register_of
from dadkhah.report import gather_report_data, render_html
from dadkhah.store import Case
from tests.report._html import parse


@pytest.fixture(scope="module")
def reported(readings_case):
    with Case.open(readings_case.location) as case:
        data = gather_report_data(case, by=(), methods=("loglinear",), include_names=True,
                                  linkage_draws=0)
        reg = register_of(case)
    return readings_case.link, data, render_html(data), readings_case.readings, reg


def test_the_link_weighs_the_unchecked_readings_less(reported) -> None:
    link = reported[0]
    assert any("3 machine reading(s)" in n for n in link.notes), link.notes


def test_sources_count_readings_and_checks(reported) -> None:
    _, data, html, _, _ = reported
    by_slug = {s.slug: s for s in data.sources}
    assert (by_slug["web-list"].readings, by_slug["web-list"].readings_checked) == (4, 1)
    assert all(s.readings == 0 for slug, s in by_slug.items() if slug != "web-list")
    rows = parse(html).tables["table-readings"].body()
    assert [(a["data-source"], [c.text for c in cells[2:]]) for a, cells in rows] == [
        ("web-list", ["4", "1", "3"])]
    assert "خوانش‌های ماشینی" in html


def test_persons_known_only_from_unchecked_readings_are_counted_and_marked(reported) -> None:
    _, data, html, readings, reg = reported
    unchecked = set(readings[1:])
    members: dict[int, set[int]] = {}
    for rid, pid in reg.items():
        members.setdefault(int(pid), set()).add(int(rid))
    expected = {p for p, recs in members.items() if recs <= unchecked}
    assert expected  # names no simulated list holds: persons of their own
    assert data.unverified_only == len(expected)
    marked = {p.id for p in data.names if p.unverified_only}
    assert marked == expected
    assert reg[readings[0]] not in marked  # the checked one counts as any record
    rows = parse(html).tables["table-names"].body()
    shown = {int(a["data-person"]) for a, cells in rows
             if "(unchecked machine reading" in cells[-1].text}
    assert shown == expected
    assert 'id="unverified-only"' in html

"""The register's one search: letter variants, cross-script keys, and the same answers for the
team's search, the memorial portal and ``records list --search`` (SYNTHETIC data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dadkhah.register import (
    normalize_case,
    query_keys,
    query_variants,
    search_persons,
    search_records,
)
from dadkhah.store.tables import Person, PersonRecord
from tests.register.conftest import case_from_csv

# Row 1 is stored with Arabic letter forms (ي, ك), as some lists are typed; rows 2 and 3 are
# one person in two scripts; row 4 is a name that contains another («Soltanzadeh»).
CSV = """full_name,father_name,prison
علي كاظمي,حسن,اوين
علی‌اکبر حسین‌زاده,حسن,گوهردشت
Ali-Akbar Hosseinzadeh,Hassan,Rajaei Shahr
Reza Soltanzadeh,,Evin
"""

# person id → (records, name_fa, name_latin)
PERSONS = {1: ([1], "علی کاظمی", "Ali Kazemi"),
           2: ([2, 3], "علی‌اکبر حسین‌زاده", "Ali-Akbar Hosseinzadeh"),
           3: ([4], None, "Reza Soltanzadeh")}


@pytest.fixture
def case(tmp_path: Path):
    case = case_from_csv(tmp_path / "case", CSV, tmp_path)
    normalize_case(case, by="tester")
    # The register as linkage would leave it (written directly: linkage is not under test).
    with case.write() as conn:
        for pid, (records, fa, latin) in PERSONS.items():
            conn.execute(Person.__table__.insert().values(
                id=pid, status="active", name_fa=fa, name_latin=latin,
                n_records=len(records), n_sources=1, sources="[]", support="{}"))
            conn.execute(PersonRecord.__table__.insert(),
                         [{"record_id": r, "person_id": pid} for r in records])
    yield case
    case.close()


def test_query_variants_fold_arabic_letters_and_keep_what_was_typed() -> None:
    assert query_variants(" علي كاظمي ") == ["علي كاظمي", "علی کاظمی"]
    assert query_variants("علی کاظمی") == ["علی کاظمی", "علي كاظمي"]
    assert query_variants("Kazemi") == ["Kazemi"]


def test_query_keys_are_the_same_in_both_scripts() -> None:
    assert query_keys("Hosseinzadeh") == query_keys("حسین‌زاده") != []
    assert query_keys("   ") == []


@pytest.mark.parametrize("typed", ["علی کاظمی", "علي كاظمي", "كاظمي", "کاظمی"])
def test_records_found_whichever_letter_forms_are_typed_or_stored(case, typed) -> None:
    assert [r.id for r in search_records(case, typed)] == [1]


def test_records_found_across_scripts_by_their_keys(case) -> None:
    assert {r.id for r in search_records(case, "Hosseinzadeh")} == {2, 3}
    assert {r.id for r in search_records(case, "حسین‌زاده")} == {2, 3}
    assert len(search_records(case, None)) == 4
    assert [r.id for r in search_records(case, "evin", limit=1)] == [4]


@pytest.mark.parametrize("typed", ["علي كاظمي", "کاظمی", "kazemi"])
def test_persons_found_by_letter_variants(case, typed) -> None:
    assert [h.id for h in search_persons(case, typed).hits] == [1]


def test_persons_found_across_scripts_then_by_part_of_a_name(case) -> None:
    r = search_persons(case, "Hoseinzade")  # spelt unlike the stored Latin form
    assert ([h.id for h in r.hits], r.match) == ([2], "key")
    assert [h.id for h in search_persons(case, "حسین‌زاده").hits] == [2]
    r = search_persons(case, "Soltan")  # no record has this key: a part of a name
    assert ([h.id for h in r.hits], r.match) == ([3], "text")
    assert [h.id for h in search_persons(case, "3").hits] == [3]  # a number is an id


def test_the_memorial_and_the_team_find_the_same_published_persons(case) -> None:
    from dadkhah.portal import publish, search_memorial

    publish(case, [1, 2], by="ed", role="editor")
    for typed in ("علي كاظمي", "Hoseinzade", "حسین‌زاده", "kazemi"):
        team = [h.id for h in search_persons(case, typed).hits]
        assert [e.person_id for e in search_memorial(case, typed)] == team
    # Person 3 is not published: the memorial does not find it, the team does.
    assert search_memorial(case, "Soltanzadeh") == []
    assert [h.id for h in search_persons(case, "Soltanzadeh").hits] == [3]


def test_records_list_search_on_the_command_line(case) -> None:
    from dadkhah.cli import app

    location = case.location
    case.close()
    r = CliRunner().invoke(app, ["--case", location, "records", "list", "--search",
                                 "Hosseinzadeh", "--json"])
    assert r.exit_code == 0, r.output
    assert {rec["id"] for rec in json.loads(r.output)} == {2, 3}

"""`dadkhah normalize`: parsed columns of source records in the case store (SYNTHETIC data)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.register import normalize_case, normalize_fields
from dadkhah.store import Case
from dadkhah.store.tables import AuditEntry, SourceRecord
from tests.register.conftest import case_from_csv

CSV = """full_name,father_name,sex,age,death_date,prison,city
علی‌اکبر حسین‌زاده,حسن,مرد,۲۳,۱۰ مرداد ۱۳۶۷,گوهردشت,
Ali-Akbar Hosseinzadeh,Hassan,M,23,1988-08-01,Rajaei Shahr,Karaj
Maryam Ahmadi,,F,about 30,summer 1988,Evin,Tehran
Seyed Reza Mousavi,,?,,yesterday,Nowhere prison,Mashhad
"""


def _case(tmp_path: Path, location: str | None = None) -> Case:
    return case_from_csv(location or tmp_path / "case", CSV, tmp_path)


def _rows(case: Case) -> list:
    with case.read() as conn:
        return conn.execute(select(SourceRecord.__table__).order_by(SourceRecord.id)).all()


def test_normalize_fills_parsed_columns_and_is_idempotent(
    tmp_path: Path, case_location: str
) -> None:
    case = _case(tmp_path, case_location)
    seen: list[tuple[int, int]] = []
    report = normalize_case(case, by="test", progress=lambda d, t: seen.append((d, t)))
    assert report.records == report.changed == 4
    assert seen[-1] == (4, 4)
    r1, r2, r3, r4 = _rows(case)
    # the same person in two scripts gets the same keys
    assert r1.name_key == r2.name_key == "_lYkbrhsYnzdE"
    assert r1.father_key == r2.father_key
    assert r1.death_earliest == r2.death_earliest == "1988-08-01"
    assert r1.prison_id == r2.prison_id == "prison:gohardasht"
    assert r1.city_id is None  # a prison's city is not taken for the record's city
    assert r2.city_id == "city:karaj" and r2.province_id == "prov:alborz"  # city → province
    assert r1.sex_code == r2.sex_code == "m"
    assert (r1.age_min, r1.age_max) == (23, 23)
    assert r1.birth_precision == "from_age"
    assert r1.name_fa and r1.name_latin == "Aliakbar Hosseinzadeh"
    assert r3.death_precision == "season" and (r3.age_min, r3.age_max) == (28, 32)
    assert r4.name_titles == "seyed"
    assert r4.death_earliest is None and r4.prison_id is None and r4.age_min is None
    problems = {p["field"] for p in json.loads(r4.parse_problems)}
    assert {"death_date", "prison", "sex"} <= problems
    assert r4.full_name == "Seyed Reza Mousavi"  # the mapped text is untouched
    assert report.unparsed[("synthetic-1", "death_date")] == 1
    assert report.examples[("synthetic-1", "death_date")] == ["yesterday"]

    again = normalize_case(case, by="test")
    assert again.changed == 0 and again.unchanged == 4
    assert [r.normalized_at for r in _rows(case)] == [r.normalized_at for r in (r1, r2, r3, r4)]
    with case.read() as conn:
        actions = [a for (a,) in conn.execute(select(AuditEntry.action))]
    assert actions.count("normalize") == 1  # the no-op run writes nothing
    assert case.verify_audit().ok
    case.close()


def test_normalize_cli(tmp_path: Path) -> None:
    _case(tmp_path).close()
    runner = CliRunner()
    loc = str(tmp_path / "case")
    res = runner.invoke(app, ["--case", loc, "normalize"])
    assert res.exit_code == 0, res.output
    assert "4 records: 4 updated" in res.output
    assert "yesterday" in res.output
    res = runner.invoke(app, ["--case", loc, "normalize", "--json"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["changed"] == 0 and data["records"] == 4


def test_explain_cli() -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["names", "explain", "10 Mordad 1367", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["kind"] == "date" and data["result"]["earliest"] == "1988-08-01"
    res = runner.invoke(app, ["names", "explain", "Seyed Hussein Rezaei", "--as", "name"])
    assert res.exit_code == 0 and "hsYn" in res.output
    res = runner.invoke(app, ["names", "explain", "x", "--as", "bogus"])
    assert res.exit_code == 2 and "is not one of" in res.output  # a usage error (Click)


def test_normalize_fields_conflicting_province_is_a_note() -> None:
    r = normalize_fields({"prison": "Evin", "city": "Mashhad", "province": "Fars"})
    assert r["prison_id"] == "prison:evin" and r["city_id"] == "city:mashhad"
    assert r["province_id"] == "prov:fars"  # the record's own value is kept
    problems = json.loads(r["parse_problems"])
    assert problems == [{"field": "province", "kind": "note",
                         "problem": "city:mashhad is in prov:razavi_khorasan, the record says "
                                    "prov:fars"}]
    # Khorasan (one province in 1988) contains Razavi Khorasan: no note
    assert normalize_fields({"city": "Mashhad", "province": "Khorasan"})["parse_problems"] is None


def test_normalize_fields_unreadable_age() -> None:
    r = normalize_fields({"age": "old", "death_date": "1988"})
    assert r["age_min"] is None and r["birth_earliest"] is None
    assert "age" in r["parse_problems"]


def test_swapped_given_and_surname_columns() -> None:
    r = normalize_fields({"given_names": "محمدی", "surname": "مجتبی"})
    assert r["name_key"] == normalize_fields({"full_name": "Mojtaba Mohammadi"})["name_key"]
    assert "swapped" in r["parse_problems"]


def test_a_given_name_cell_holding_only_a_title() -> None:
    """«Seyed» alone in the given-name column beside a surname is the title, not a given
    name: the record's name key is the surname's, as a list that left the title out has."""
    for title in ("Seyed", "سید", "Haj"):
        r = normalize_fields({"given_names": title, "surname": "Hosseini"})
        assert r["given_key"] is None
        assert r["name_key"] == r["surname_key"] == normalize_fields(
            {"surname": "Hosseini"})["surname_key"]
        assert r["name_titles"] in ("seyed", "haj")
        assert "only a title" in r["parse_problems"]
        assert r["name_latin"]  # nothing the source wrote is lost
    # a title alone with no surname stays the only name the record has
    assert normalize_fields({"given_names": "Seyed"})["given_key"]
    # a title before a given name is a title, as before
    r = normalize_fields({"given_names": "Seyed Ali", "surname": "Hosseini"})
    assert r["given_key"] == normalize_fields({"given_names": "Ali"})["given_key"]


def test_saeed_is_a_given_name_not_a_lone_title() -> None:
    """«Saeed»/«سعید» share the cross-script key of «Seyed»; the import keeps them as the
    given name (the lone-title rule reads the title's spellings, names.lone_titles)."""
    for given in ("Saeed", "سعید", "Saeedeh"):
        r = normalize_fields({"given_names": given, "surname": "Hosseini"})
        assert r["given_key"], given
        assert r["name_titles"] is None and "only a title" not in (r["parse_problems"] or "")


def test_a_surname_cell_is_romanised_apart_and_keeps_its_title_word() -> None:
    # «الله» opening the surname is not joined to the given name (was "Mortezallah Khah");
    # «حاجی زاده» in a surname cell is Hajizadeh, not the title Haj and the surname Zadeh
    r = normalize_fields({"given_names": "مرتضی", "surname": "الله خواه"})
    assert r["name_latin"] == "Morteza Allah Khah"
    r = normalize_fields({"given_names": "رضا", "surname": "حاجی زاده"})
    assert (r["name_latin"], r["name_titles"]) == ("Reza Hajizadeh", None)
    assert r["surname_key"] == normalize_fields({"surname": "حاجی‌زاده"})["surname_key"]

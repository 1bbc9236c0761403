from pathlib import Path

import pytest

from dadkhah.errors import MappingError
from dadkhah.ingest import detect_mapping, import_file, load_mapping
from dadkhah.store import Case
from tests.conftest import write_csv


def test_persian_headers_are_detected() -> None:
    header = ["ردیف", "نام", "نام خانوادگی", "نام پدر", "سن", "جنسیت", "تاریخ اعدام", "زندان",
              "شهر", "استان", "وابستگی سیاسی", "ستون ناشناخته"]
    m = detect_mapping(header)
    assert m.columns == {
        "external_id": "ردیف", "given_names": "نام", "surname": "نام خانوادگی",
        "father_name": "نام پدر", "age": "سن", "sex": "جنسیت", "death_date": "تاریخ اعدام",
        "prison": "زندان", "city": "شهر", "province": "استان", "affiliation": "وابستگی سیاسی",
    }
    assert m.unmapped(header) == ["ستون ناشناخته"]


def test_arabic_letter_forms_and_zwnj_in_headers() -> None:
    # Windows-1256 files spell ی as ي; typists vary ZWNJ and spaces.
    m = detect_mapping(["نام", "نام\u200cخانوادگي", "تاريخ اعدام", "نام_پدر"])
    assert m.columns == {"given_names": "نام", "surname": "نام\u200cخانوادگي",
                         "death_date": "تاريخ اعدام", "father_name": "نام_پدر"}


def test_english_headers_are_detected_case_insensitively() -> None:
    m = detect_mapping(["Full Name", "Father's name", "AGE", "Date of Execution", "Prison",
                        "City", "Gender", "Notes"])
    assert m.columns == {"full_name": "Full Name", "father_name": "Father's name", "age": "AGE",
                         "death_date": "Date of Execution", "prison": "Prison", "city": "City",
                         "sex": "Gender", "notes": "Notes"}


def test_lone_name_column_is_the_full_name() -> None:
    assert detect_mapping(["نام", "سن"]).columns == {"full_name": "نام", "age": "سن"}


def test_mapping_file(tmp_path: Path, case: Case) -> None:
    mp = tmp_path / "m.toml"
    mp.write_text('[columns]\nfull_name = "Victim"\ndeath_date = "When"\n'
                  '[options]\ndelimiter = ";"\n', encoding="utf-8")
    path = write_csv(tmp_path / "a.csv", [["Victim", "When", "x"], ["علی رضایی", "1367", "y"]],
                     delimiter=";")
    rep = import_file(case, path, source="s1", mapping=mp)
    assert rep.mapping_origin == "file" and rep.unmapped_columns == ["x"]
    rec = case.records()[0]
    assert rec.fields["full_name"] == "علی رضایی" and rec.fields["death_date"] == "1367"


@pytest.mark.parametrize("text,message", [
    ('[columns]\nfullname = "Victim"\n', "unknown field"),
    ('columns = 3\n', "no \\[columns\\] table"),
    ('[columns\n', "not valid TOML"),
    ('[columns]\nfull_name = "Victim"\n[options]\ncolor = "red"\n', "unknown option"),
])
def test_bad_mapping_files(tmp_path: Path, text: str, message: str) -> None:
    mp = tmp_path / "bad.toml"
    mp.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message) as exc:
        load_mapping(mp)
    assert "bad.toml" in exc.value.message and exc.value.hint


def test_mapped_column_missing_from_file(tmp_path: Path, case: Case) -> None:
    mp = tmp_path / "m.toml"
    mp.write_text('[columns]\nfull_name = "Nom"\n', encoding="utf-8")
    path = write_csv(tmp_path / "a.csv", [["Name"], ["Ali"]])
    with pytest.raises(MappingError, match="'Nom'.*not in the header") as exc:
        import_file(case, path, source="s1", mapping=mp)
    assert "'Name'" in exc.value.hint
    assert case.imports() == []


def test_no_name_column_detected(tmp_path: Path, case: Case) -> None:
    path = write_csv(tmp_path / "a.csv", [["foo", "bar"], ["Ali", "x"]])
    with pytest.raises(MappingError, match="no column holds a name"):
        import_file(case, path, source="s1")


# A bare «نام» / "Name" / "Nom" is read from the other columns (issue 15, part 5).
@pytest.mark.parametrize("header,expected", [
    # with a surname column: the bare name is the given name
    (["Name", "Surname", "Age"], {"given_names": "Name", "surname": "Surname"}),
    (["Name", "Last name"], {"given_names": "Name", "surname": "Last name"}),
    (["Name", "Family name"], {"given_names": "Name", "surname": "Family name"}),
    (["نام", "نام خانوادگی", "نام پدر"],
     {"given_names": "نام", "surname": "نام خانوادگی", "father_name": "نام پدر"}),
    (["اسم", "فامیل"], {"given_names": "اسم", "surname": "فامیل"}),
    (["First name", "Surname"], {"given_names": "First name", "surname": "Surname"}),
    (["Prénom", "Nom de famille"], {"given_names": "Prénom", "surname": "Nom de famille"}),
    # French: Nom beside Prénom is the family name
    (["Nom", "Prénom", "Date de décès"],
     {"surname": "Nom", "given_names": "Prénom", "death_date": "Date de décès"}),
    (["Prenom", "Nom"], {"given_names": "Prenom", "surname": "Nom"}),
    # without a surname column: the full name
    (["Name", "Father", "Age"], {"full_name": "Name", "father_name": "Father"}),
    (["نام", "سن"], {"full_name": "نام"}),
    (["Nom complet", "Âge"], {"full_name": "Nom complet", "age": "Âge"}),
    (["Nom", "Âge"], {"full_name": "Nom", "age": "Âge"}),
    # an explicit full-name column stays the full name beside a surname column
    (["Full name", "Surname"], {"full_name": "Full name", "surname": "Surname"}),
])
def test_bare_name_column_is_read_from_the_others(header: list[str],
                                                  expected: dict[str, str]) -> None:
    m = detect_mapping(header)
    assert {f: c for f, c in m.columns.items() if f in expected} == expected
    assert set(m.reasons) == set(m.columns)  # every choice says why


@pytest.mark.parametrize("header,expected", [
    # the one date of a list of the executed is the date of death (session 19: a second
    # blind probe's English list «Date» was left unmapped, and every date of it lost)
    (["No.", "Name", "Surname", "Age", "Date", "Prison"], "Date"),
    (["نام", "نام خانوادگی", "تاریخ"], "تاریخ"),
    (["Name", "Date of birth", "Date (dd/mm/yyyy)"], "Date (dd/mm/yyyy)"),
    # another column already says it: the bare date is left in the raw row
    (["Name", "Date of execution", "Date"], "Date of execution"),
    # "Year" or a date of something else is not a bare date
    (["Name", "Year"], None),
    (["Name", "Date of arrest"], None),
])
def test_a_bare_date_column_is_the_date_of_death_flagged(header: list[str],
                                                         expected: str | None) -> None:
    m = detect_mapping(header)
    assert m.columns.get("death_date") == expected
    bare = expected is not None and expected != "Date of execution"
    assert ("death_date" in m.unsure) == bare
    if bare:
        assert "date of death" in m.reasons["death_date"]
        assert "check that" in m.unsure["death_date"]


def test_english_name_and_surname_keeps_the_given_name(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "en.csv", [["Name", "Surname"], ["Ali", "Rezaei"]])
    rep = import_file(case, path, source="s1", dry_run=True)
    assert rep.mapping == {"given_names": "Name", "surname": "Surname"}
    assert rep.preview[0]["given_names"] == "Ali" and "full_name" not in rep.preview[0]
    assert "surname column 'Surname'" in rep.mapping_reasons["given_names"]
    assert "given_names ← 'Name': a bare name beside the surname column" in rep.summary()


@pytest.mark.parametrize("header,field,why", [
    (["Nom", "Âge"], "full_name", "family name"),
    (["First name", "Age"], "full_name", "given names only"),
    (["Name", "First name", "Surname"], "full_name", "given-name column 'First name'"),
    (["Name", "Surname", "Surname"], "surname", "also names this field"),
])
def test_unsure_choices_are_flagged(header: list[str], field: str, why: str) -> None:
    m = detect_mapping(header)
    assert why in m.unsure[field]
    assert any("(unsure: " in line for line in m.explain())


def test_sure_choices_are_not_flagged() -> None:
    assert detect_mapping(["نام", "نام خانوادگی", "سن"]).unsure == {}
    assert detect_mapping(["Name", "Age"]).unsure == {}


def test_unsure_choice_is_shown_in_the_dry_run(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "fr.csv", [["Nom", "Âge"], ["Ali Rezaei", "25"]])
    rep = import_file(case, path, source="s1", dry_run=True)
    assert "full_name" in rep.mapping_unsure
    assert "UNSURE: in French lists" in rep.summary()
    assert rep.to_dict()["mapping_unsure"] == rep.mapping_unsure


def test_mapping_file_reasons_name_the_file(tmp_path: Path) -> None:
    mp = tmp_path / "m.toml"
    mp.write_text('[columns]\nfull_name = "Victim"\n', encoding="utf-8")
    assert load_mapping(mp).reasons == {"full_name": "named in the mapping file m.toml"}


def test_a_wide_sheets_unmapped_columns_are_summarised_not_listed(case, tmp_path):
    head = ["Victim", *[f"c{i}" for i in range(500)]]
    path = write_csv(tmp_path / "wide.csv", [head, ["علی رضایی", *["x"] * 500]])
    rep = import_file(case, path, source="s1")
    assert len(rep.unmapped_columns) == 500  # all kept in the result and the raw row
    text = rep.summary()
    assert "'c19'" in text and "'c20'" not in text and "… and 480 more" in text
    assert len(text) < 2000


@pytest.mark.parametrize("header,field", [
    (["نام", "شهر", "بند"], "prison"),  # a memoir: the ward is where the person was held
    (["Name", "Surname", "Ward"], "prison"),
    (["Name", "Surname", "Prison", "Ward"], "notes"),  # beside a prison column: a note
])
def test_a_ward_column_is_read(header: list[str], field: str) -> None:
    m = detect_mapping(header)
    assert m.columns.get(field) == header[-1]
    assert field in m.unsure


def test_a_memoirs_wards_give_the_prison_or_stay_as_written(case: Case,
                                                            tmp_path: Path) -> None:
    from dadkhah.register.normalize import normalize_fields

    # SYNTHETIC memoir rows: Evin's ward 209 gives Evin; «بند ۴» names no prison, kept
    path = write_csv(tmp_path / "memoir.csv", [["نام", "شهر", "بند"], ["کاظم", "تهران", "بند ۲۰۹"],
                                               ["ناصر", "کرج", "بند ۴"]])
    rep = import_file(case, path, source="s1", dry_run=True)
    assert [r["prison"] for r in rep.preview] == ["بند ۲۰۹", "بند ۴"]
    evin = normalize_fields({"full_name": "کاظم", "prison": "بند ۲۰۹"})
    assert evin["prison_id"] == "prison:evin"
    other = normalize_fields({"full_name": "ناصر", "prison": "بند ۴"})
    assert other["prison_id"] is None and "ward" in str(other["parse_problems"])


def test_a_relation_and_an_address_column_are_placed_with_the_reason() -> None:
    # SYNTHETIC household-list headers: «نسبت» (relation) and «نشانی» (address) were unmapped
    header = ["نام", "نام خانوادگی", "نسبت", "شهر", "نشانی"]
    m = detect_mapping(header)
    assert m.columns["notes"] == "نسبت" and "relation" in m.reasons["notes"]
    assert m.columns["city"] == "شهر"
    assert "'نشانی' holds an address" in m.unsure["notes"]  # said, kept in the raw row
    # without a city column the address gives the town, flagged to check
    m = detect_mapping(["نام", "نام خانوادگی", "نشانی"])
    assert m.columns["city"] == "نشانی" and "address" in m.reasons["city"]
    assert "city" in m.unsure
    # beside a notes column and a city column, the address is said, not mapped
    m = detect_mapping(["Name", "Surname", "City", "Address", "Notes"])
    assert m.columns["notes"] == "Notes" and "Address" in m.unmapped(
        ["Name", "Surname", "City", "Address", "Notes"]) and "'Address'" in m.unsure["notes"]

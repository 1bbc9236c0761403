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

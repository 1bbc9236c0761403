"""Raw rows survive import byte for byte, in every encoding and format we read."""

import csv
import io
import json
from pathlib import Path

import pytest

from dadkhah.ingest import import_file
from dadkhah.store import Case
from tests.conftest import write_csv

# Cells chosen to break careless readers: ZWNJ inside names, Persian and Arabic-Indic digits,
# Arabic-form yeh/kaf, quotes, commas, embedded newline, leading/trailing spaces, RTL marks.
PERSIAN_ROWS = [
    ["نام", "نام خانوادگی", "نام پدر", "سن", "تاریخ اعدام", "توضیحات"],
    ["علی‌اکبر", "حسین‌زاده", "محمد", "۲۵", "۱۳۶۷/۰۵/۱۰", 'گفت: "نه", بعد'],
    ["مریم", " احمدی ", "", "٣١", "مرداد ۶۷", "line one\nline two"],
    ["Ali-Akbar", "Hosseinzadeh", "Mohammad", "25", "1 Aug 1988", "\u200fRTL mark"],
]
# Windows-1256 has no Persian ی, ک-only, or Persian digits: such files use Arabic forms.
CP1256_ROWS = [
    ["نام", "نام خانوادگي", "نام پدر", "سن", "تاريخ اعدام", "توضيحات"],
    ["علي‌اکبر", "حسين‌زاده", "محمد", "25", "1367/05/10", 'گفت: "نه", بعد'],
    ["مريم", " احمدي ", "", "31", "مرداد 67", "line one\nline two"],
]


def _cells_from_raw(raw: str) -> list[str]:
    return json.loads(raw)


@pytest.mark.parametrize("encoding,rows", [
    ("utf-8", PERSIAN_ROWS), ("utf-8-sig", PERSIAN_ROWS), ("utf-16", PERSIAN_ROWS),
    ("cp1256", CP1256_ROWS),
])
def test_csv_raw_rows_round_trip_byte_exact(case: Case, tmp_path: Path, encoding: str,
                                            rows: list[list[str]]) -> None:
    path = write_csv(tmp_path / f"list-{encoding}.csv", rows, encoding=encoding)
    report = import_file(case, path, source="s1")
    assert report.encoding.replace("_", "-").lower().startswith(encoding.split("-sig")[0]
                                                                .replace("_", "-"))
    assert report.rows_imported == len(rows) - 1
    stored = [_cells_from_raw(r.raw) for r in case.records()]
    assert stored == rows[1:]
    # Re-encoding the stored cells as CSV in the file's encoding gives the file's bytes.
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows([rows[0], *stored])
    assert buf.getvalue().encode(encoding) == path.read_bytes()


def test_detected_encoding_names(tmp_path: Path) -> None:
    from dadkhah.ingest.readers import detect_encoding, file_facts

    def enc(rows, e):
        return detect_encoding(file_facts(write_csv(tmp_path / "x.csv", rows, encoding=e)))

    assert enc(PERSIAN_ROWS, "utf-8") == "utf-8"
    assert enc(PERSIAN_ROWS, "utf-8-sig") == "utf-8-sig"
    assert enc(PERSIAN_ROWS, "utf-16") == "utf-16"
    assert enc(PERSIAN_ROWS, "utf-16-le") == "utf-16-le"
    assert enc(CP1256_ROWS, "cp1256") == "cp1256"


def test_raw_hash_is_sha256_of_stored_raw(case: Case, tmp_path: Path) -> None:
    import hashlib

    import_file(case, write_csv(tmp_path / "a.csv", PERSIAN_ROWS), source="s1")
    for r in case.records():
        assert r.raw_sha256 == hashlib.sha256(r.raw.encode("utf-8")).hexdigest()


def test_explicit_encoding_overrides_detection(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", CP1256_ROWS, encoding="cp1256")
    report = import_file(case, path, source="s1", encoding="cp1256")
    assert report.encoding == "cp1256"
    assert _cells_from_raw(case.records()[0].raw) == CP1256_ROWS[1]


def test_wrong_explicit_encoding_is_a_clear_error(case: Case, tmp_path: Path) -> None:
    from dadkhah.errors import IngestError

    path = write_csv(tmp_path / "a.csv", CP1256_ROWS, encoding="cp1256")
    with pytest.raises(IngestError, match=r"a\.csv.*utf-8"):
        import_file(case, path, source="s1", encoding="utf-8")
    assert case.records() == []


def test_xlsx_cells_round_trip(case: Case, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in PERSIAN_ROWS:
        ws.append(row)
    ws.append(["Reza", "Karimi", "Hasan", 40, None, None])  # a number cell
    path = tmp_path / "list.xlsx"
    wb.save(path)
    report = import_file(case, path, source="s1")
    assert report.file_format == "xlsx" and report.rows_imported == 4
    stored = [_cells_from_raw(r.raw) for r in case.records()]
    assert stored[:3] == PERSIAN_ROWS[1:]
    assert stored[3] == ["Reza", "Karimi", "Hasan", "40", "", ""]  # padded to the header
    assert case.records()[3].fields["age"] == "40"


def test_jsonl_lines_stored_verbatim(case: Case, tmp_path: Path) -> None:
    lines = [
        '{"name": "علی‌اکبر حسین‌زاده", "father": "محمد", "age": 25}',
        '{"age": "۳۱",   "name": "مریم احمدی"}',
        '{"name":"Reza Karimi","extra":{"k":[1,2]}}',
    ]
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(case, path, source="s1")
    assert report.rows_imported == 3
    assert report.mapping["full_name"] == "name" and report.mapping["father_name"] == "father"
    recs = case.records()
    assert [r.raw for r in recs] == lines
    assert recs[0].fields["age"] == "25" and recs[1].fields["age"] == "۳۱"
    assert recs[2].fields["father_name"] == ""  # key absent: an empty cell, as in CSV


def test_export_records_carries_raw_exactly(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    loc = str(tmp_path / "c")
    path = write_csv(tmp_path / "a.csv", PERSIAN_ROWS, encoding="utf-16")
    r = CliRunner()
    assert r.invoke(app, ["-C", loc, "init"]).exit_code == 0
    assert r.invoke(app, ["-C", loc, "source", "add", "s", "--title", "T", "--kind",
                          "memoir"]).exit_code == 0
    assert r.invoke(app, ["-C", loc, "import", str(path), "-s", "s"]).exit_code == 0
    out = tmp_path / "out.csv"
    res = r.invoke(app, ["-C", loc, "export", "records", "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    exported = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [json.loads(e["raw"]) for e in exported] == PERSIAN_ROWS[1:]
    assert exported[0]["source_title"] == "T" and exported[0]["row_number"] == "1"
    assert exported[1]["surname"] == " احمدی "
    res = r.invoke(app, ["-C", loc, "export", "records", "--format", "jsonl"])
    first = json.loads(res.stdout.splitlines()[0])
    assert json.loads(first["raw"]) == PERSIAN_ROWS[1] and first["import_id"] == 1


@pytest.mark.parametrize("bad_at_end", [True, False])
def test_one_legacy_row_in_a_utf8_file_is_refused_not_misdecoded(case: Case, tmp_path: Path,
                                                                 bad_at_end: bool) -> None:
    """Review I4: 1,000 UTF-8 rows and one Windows-1256 row were all decoded as cp1256
    (1,001 mojibake names, 0 rejected).  The file is refused, naming the line to fix."""
    from dadkhah.errors import IngestError

    rows = "".join(f"علی رضایی {i},حسن,30,1988-08-01,اوین\n" for i in range(1000)).encode()
    bad = "محمد كريمي,رضا,31,1988-08-02,اوين\n".encode("cp1256")
    if bad_at_end:
        body, line = rows + bad, 1002
    else:  # past the detection sample (64 KiB)
        body, line = rows * 2 + bad + rows, 2002
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,father name,age,death date,prison\n" + body)
    with pytest.raises(IngestError, match=rf"mixed\.csv .*line {line}\b") as exc:
        import_file(case, path, source="s1")
    assert exc.value.hint and "--encoding" in exc.value.hint
    assert case.count_records() == 0 and case.verify_audit().ok


def test_xlsx_declaring_a_huge_sheet_is_read_by_its_real_cells(case: Case,
                                                               tmp_path: Path) -> None:
    """Review I22/K4: a 4.9 KB workbook declaring A1:XFD1048576 with one far cell never
    finished (openpyxl padded every row to 16,384 cells) and held the write lock."""
    import time

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["name", "age"])
    ws.append(["Xlsx Person", 30])
    ws.cell(row=1048576, column=16384, value="far corner")
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert path.stat().st_size < 10_000
    start = time.monotonic()
    report = import_file(case, path, source="s1")
    assert time.monotonic() - start < 30
    assert (report.rows_imported, report.rows_rejected) == (1, 1)  # the far cell is kept
    assert case.records()[0].fields["full_name"] == "Xlsx Person"


def test_xlsx_with_cells_far_right_on_many_rows_is_refused(case: Case, tmp_path: Path) -> None:
    from openpyxl import Workbook

    from dadkhah.errors import IngestError

    wb = Workbook()
    ws = wb.active
    ws.append(["name", "age"])
    for r in range(2, 400):
        ws.cell(row=r, column=1, value=f"Person {r}")
        ws.cell(row=r, column=16384, value="x")
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    with pytest.raises(IngestError, match=r"wide\.xlsx: sheet .* cells far to the right") as exc:
        import_file(case, path, source="s1")
    assert exc.value.hint and "empty rows and columns" in exc.value.hint
    assert case.count_records() == 0 and case.verify_audit().ok


def test_jsonl_line_nested_too_deep_is_a_clear_error(case: Case, tmp_path: Path) -> None:
    """Review I17: a line nested 50,000 deep gave a RecursionError traceback."""
    from dadkhah.errors import IngestError

    path = tmp_path / "deep.jsonl"
    path.write_text('{"name": "A"}\n{"name": ' + "[" * 50_000 + "]" * 50_000 + "}\n",
                    encoding="utf-8")
    with pytest.raises(IngestError, match=r"deep\.jsonl, line 2: JSON nested too deeply"):
        import_file(case, path, source="s1")
    assert case.count_records() == 0

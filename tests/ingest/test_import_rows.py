"""import_rows: rows in memory through the same path as a file, with the same guarantees."""

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dadkhah.errors import DuplicateImport, IngestError, NotFound, RowValidationError
from dadkhah.ingest import Mapping, import_file, import_rows
from dadkhah.store import Case
from dadkhah.store.audit import append
from dadkhah.store.tables import AuditEntry, Import, SourceRecord

ROWS = [
    {"full_name": "علی‌اکبر حسین‌زاده", "father_name": "محمد", "age": "۲۵", "sex": "مرد",
     "notes": 'گفت: "نه", بعد\nline two'},
    {"full_name": "Maryam Ahmadi", "age": 31, "sex": None, "extra": {"k": [1, 2]}},
]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_rows_are_kept_verbatim_with_their_hash_and_digest(case: Case) -> None:
    rep = import_rows(case, ROWS, source="s1", name="families-call", by="tester")
    assert (rep.rows_read, rep.rows_imported, rep.rows_rejected) == (2, 2, 0)
    assert rep.file_name == "families-call" and rep.file_format == "jsonl"
    recs = case.records()
    for rec, row in zip(recs, ROWS, strict=True):
        assert rec.raw == json.dumps(row, ensure_ascii=False)  # the row's text, one line
        assert json.loads(rec.raw) == row
        assert rec.raw_sha256 == _sha(rec.raw)
    assert recs[0].fields["full_name"] == "علی‌اکبر حسین‌زاده"
    assert recs[1].fields["age"] == "31" and recs[1].fields["sex"] == ""  # as from a file
    document = "".join(r.raw + "\n" for r in recs)
    imp = case.imports()[0]
    assert (imp.file_sha256, imp.file_size) == (_sha(document), len(document.encode()))
    assert imp.imported_by == "tester" and imp.mapping["full_name"] == "full_name"
    with case.read() as conn:
        details = json.loads(conn.execute(select(AuditEntry.details)
                                          .where(AuditEntry.action == "import")).scalar())
    assert details["records_digest"] and details["rows_imported"] == 2
    assert details["file_name"] == "families-call"
    assert case.verify_audit().ok


def test_rows_hash_like_the_json_lines_file_holding_them(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "same.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS),
                    encoding="utf-8")
    import_file(case, path, source="s1")
    with pytest.raises(DuplicateImport, match="already imported"):
        import_rows(case, ROWS, source="s1")
    import_rows(case, ROWS, source="s1", force=True)
    assert len(case.records()) == 4 and case.verify_audit().ok


def test_header_and_lists_of_cells(case: Case) -> None:
    rows = [["Reza Karimi", "20-25", "m"], ["", "30", "f"], ["Sara Nabavi", None, "زن"]]
    rep = import_rows(case, rows, header=["نام", "سن", "جنسیت"], source="s1")
    assert (rep.rows_imported, rep.rows_rejected) == (2, 1)
    assert rep.mapping == {"full_name": "نام", "age": "سن", "sex": "جنسیت"}
    recs = case.records()
    assert [json.loads(r.raw) for r in recs] == [["Reza Karimi", "20-25", "m"],
                                                 ["Sara Nabavi", "", "زن"]]
    assert recs[0].fields["age"] == "20-25"  # a range is read, not rejected
    rejected = case.rejected_rows(rep.import_id)
    assert [r["row_number"] for r in rejected] == [2]
    assert json.loads(rejected[0]["raw"]) == ["", "30", "f"]
    assert rejected[0]["raw_sha256"] == _sha(rejected[0]["raw"])
    assert rejected[0]["problems"][0]["kind"] == "no_name"
    assert rep.problems[0]["message"].startswith("rows, row 2 (line 2)")
    assert case.verify_audit().ok


def test_strict_rows_refused_whole_with_row_numbers(case: Case) -> None:
    rows = [{"full_name": "Ali"}, {"full_name": "Reza", "age": "twenty"},
            {"full_name": "Hassan", "sex": "x"}]
    with pytest.raises(RowValidationError) as err:
        import_rows(case, rows, source="s1", strict=True)
    assert [(p["row"], p["kind"]) for p in err.value.problems] == [(2, "bad_age"),
                                                                   (3, "bad_sex")]
    assert case.records() == [] and case.imports() == []


def test_inside_the_callers_transaction_rolls_back_with_it(case: Case) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), case.write() as conn:
        rep = import_rows(case, ROWS[:1], source="s1", by="mod", conn=conn)
        assert rep.rows_imported == 1
        # the caller's own write sees the import, in the same transaction
        n = conn.execute(select(func.count()).select_from(SourceRecord)).scalar()
        assert n == 1
        raise Boom
    with case.read() as conn:
        assert conn.execute(select(func.count()).select_from(Import)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(SourceRecord)).scalar() == 0
    assert case.verify_audit().ok


def test_inside_the_callers_transaction_commits_with_its_audit_entry(case: Case) -> None:
    with case.write() as conn:
        rep = import_rows(case, ROWS[:1], source="s1", by="mod", conn=conn,
                          mapping=Mapping(columns={"full_name": "full_name"}, origin="file"))
        append(conn, by="mod", action="test.after", target=f"import:{rep.import_id}",
               details={})
    with case.read() as conn:
        actions = conn.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions[-2:] == ["import", "test.after"]
    assert case.records()[0].fields["age"] is None  # not mapped: kept in the raw row only
    assert case.verify_audit().ok


def test_dry_run_writes_nothing(case: Case) -> None:
    rep = import_rows(case, ROWS, source="s1", dry_run=True)
    assert rep.dry_run and rep.import_id is None and rep.rows_imported == 2
    assert rep.preview[0]["full_name"] == "علی‌اکبر حسین‌زاده"
    assert case.imports() == []


@pytest.mark.parametrize(("rows", "kwargs", "error"), [
    ([], {}, IngestError),
    ([["a"]], {}, IngestError),
    ([{"full_name": "a"}], {"header": ["full_name"]}, IngestError),
    ([{"full_name": object()}], {}, IngestError),
    ([{"notes": "no name column"}], {}, IngestError),  # MappingError is an IngestError
    ([{"full_name": "a"}], {"source": "nope"}, NotFound),
])
def test_bad_input_is_refused_before_anything_is_written(case: Case, rows, kwargs,
                                                         error) -> None:
    with pytest.raises(error):
        import_rows(case, rows, **{"source": "s1", **kwargs})
    assert case.imports() == []

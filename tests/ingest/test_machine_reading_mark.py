"""Each record's ``source_records.machine_reading`` mark is written with the record itself
(the row tuple the row processor builds), in every reader and in the worker process: True for
a raw row that is a document entry, NULL for a row of a list (SYNTHETIC data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from dadkhah.documents import provenance
from dadkhah.ingest import import_file
from dadkhah.ingest import importer as importer_module
from dadkhah.ingest._rows import RECORD_COLUMNS, RowProcessor
from dadkhah.ingest.readers import open_reader
from dadkhah.store import Case
from dadkhah.store.tables import SourceRecord

ENTRY = {"full_name": "علی رضایی", "reading": "۱. علی رضایی", "page": 1,
         "box": [1, 2, 3, 4], "file_sha256": "ab", "verified": False}
"""A document entry's raw row as an export of the records would give it (SYNTHETIC)."""
PLAIN = [{"full_name": "حسن احمدی"}, {"full_name": "رضا کریمی", "file_sha256": "cd"},
         {"full_name": "مریم احمدی", "reading": "x"}]
"""List rows, two of them with one of the entry's keys but not both."""


def _marks(case: Case) -> list[bool | None]:
    with case.read() as conn:
        return [None if v is None else bool(v) for v in conn.execute(
            select(SourceRecord.machine_reading).order_by(SourceRecord.id)).scalars()]


def _jsonl(path: Path) -> Path:
    rows = [PLAIN[0], ENTRY, *PLAIN[1:], dict(ENTRY, full_name="فاطمه کریمی")]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_the_row_tuple_carries_the_mark(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "list.jsonl")
    reader = open_reader(path, "jsonl", None, encoding="utf-8")
    header = reader.header
    proc = RowProcessor(header, {"full_name": header.index("full_name")}, source_id=1,
                        import_id=1, strict=False, preview_rows=0)
    records = [rec for batch in proc.batches(reader) for rec in batch[0]]
    at = RECORD_COLUMNS.index("machine_reading")
    assert [rec[at] for rec in records] == [None, True, None, None, True]
    assert len(records[0]) == len(RECORD_COLUMNS)


@pytest.mark.parametrize("in_worker", [False, True], ids=["in-process", "worker"])
def test_jsonl_entries_are_marked_list_rows_are_not(case: Case, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   in_worker: bool) -> None:
    if in_worker:  # the reader process, which large files take
        monkeypatch.setattr(importer_module, "WORKER_MIN_BYTES", 1)
    import_file(case, _jsonl(tmp_path / "list.jsonl"), source="s1")
    recs = case.records()
    assert _marks(case) == [None, True, None, None, True]
    assert _marks(case) == [True if provenance(r.raw) else None for r in recs]
    assert case.verify_audit().ok


def test_list_formats_are_never_marked(case: Case, tmp_path: Path) -> None:
    from openpyxl import Workbook

    cell = json.dumps(ENTRY, ensure_ascii=False)  # a cell holding an entry's text
    csv = tmp_path / "list.csv"
    csv.write_text('full_name,note\nعلی رضایی,"' + cell.replace('"', '""') + '"\n',
                   encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.append(["full_name", "note"])
    ws.append(["حسن احمدی", cell])
    xlsx = tmp_path / "list.xlsx"
    wb.save(xlsx)
    import_file(case, csv, source="s1")
    import_file(case, xlsx, source="s1")
    assert _marks(case) == [None, None]

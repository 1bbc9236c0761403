"""Migration 0017 marks the records read from a document (``source_records.machine_reading``,
indexed) so that the verification queue and its counts no longer scan every raw row
(SYNTHETIC data): the import sets the mark, the upgrade of an older case fills it, and the
counts are the same before and after."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from dadkhah.documents import provenance, reading_counts, reading_states, unverified_records
from dadkhah.ingest import import_file, import_rows
from dadkhah.store import Case
from dadkhah.store._engine import head_revision
from tests.conftest import downgrade
from tests.documents.test_import_documents import SAVED


def _marks(case: Case) -> dict[int, bool | None]:
    with case.read() as conn:
        return {r[0]: (None if r[1] is None else bool(r[1])) for r in conn.execute(text(
            "SELECT id, machine_reading FROM source_records ORDER BY id"))}


def _counts(case: Case) -> list[tuple[str, int, int]]:
    return [(c.slug, c.readings, c.unverified) for c in reading_counts(case)]


def test_import_marks_readings_and_the_upgrade_fills_older_records(
        case: Case, case_location: str, tmp_path: Path) -> None:
    case.add_source(slug="s2", title="Second list (SYNTHETIC)", kind="ngo_list",
                    reliability="B", synthetic=True, by="tester")
    import_rows(case, [{"full_name": "علی رضایی"}, {"full_name": "حسن احمدی"}], source="s1",
                by="t")
    page = tmp_path / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    import_file(case, page, source="s2", by="reader")
    # a JSON row that looks like a document entry but has no reading is no machine reading
    import_rows(case, [{"full_name": "رضا کریمی", "file_sha256": "ab"}], source="s1", by="t")
    recs = case.records()
    readings = {r.id for r in recs if provenance(r.raw) is not None}
    assert len(readings) >= 3 and len(readings) < len(recs)
    assert _marks(case) == {r.id: (True if r.id in readings else None) for r in recs}
    before = _counts(case)
    assert before == [("s2", len(readings), len(readings))]
    queue = unverified_records(case)
    assert queue == sorted(readings)
    states = reading_states(case, [r.id for r in recs])
    assert set(states) == readings
    downgrade(case, "0016")
    with case.engine.connect() as conn:
        cols = {r[1] for r in conn.execute(text("PRAGMA table_info(source_records)"))} \
            if conn.dialect.name == "sqlite" else set(conn.execute(text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'source_records'")).scalars())
        last = conn.execute(text("SELECT action, details FROM audit_log "
                                 "ORDER BY id DESC LIMIT 1")).one()
    assert "machine_reading" not in cols
    # the downgrade sealed the rows it unmarked (their hashes as revision 0016 reads them)
    assert last.action == "downgrade"
    assert json.loads(last.details)["rows_sealed"]["count"] == len(readings)
    case.close()
    upgraded = Case.upgrade(case_location, by="t")
    assert upgraded.schema_revision() == head_revision()
    assert _marks(upgraded) == {r.id: (True if r.id in readings else None) for r in recs}
    assert _counts(upgraded) == before
    assert unverified_records(upgraded) == queue
    assert reading_states(upgraded, [r.id for r in recs]) == states
    assert upgraded.verify_audit().ok
    upgraded.close()

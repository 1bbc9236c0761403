import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from dadkhah.ingest import import_file
from dadkhah.store import Case
from tests.conftest import backends, write_csv

ROWS = [["name", "father", "age"], ["علی رضایی", "حسن", "25"], ["Maryam Ahmadi", "", "31"],
        ["رضا کریمی", "محمد", "40"]]


def test_fresh_case_chain_is_intact(case: Case, tmp_path: Path) -> None:
    import_file(case, write_csv(tmp_path / "a.csv", ROWS), source="s1", by="tester")
    report = case.verify_audit()
    assert report.ok, report.problem
    assert report.entries == 3  # init, source.add, import
    assert report.records_checked == 3


def _exec(case: Case, sql: str) -> None:
    # Tampering "by hand", bypassing the library, as an attacker with the file would.
    with case.read() as conn:
        conn.exec_driver_sql("BEGIN") if case.engine.dialect.name == "postgresql" else None
        conn.execute(text(sql))
        conn.commit()


def test_edited_audit_entry_is_named(case: Case, tmp_path: Path) -> None:
    import_file(case, write_csv(tmp_path / "a.csv", ROWS), source="s1", by="tester")
    _exec(case, "UPDATE audit_log SET actor = 'someone else' WHERE id = 2")
    report = case.verify_audit()
    assert not report.ok
    assert report.broken_entry == 2
    assert "audit entry 2" in report.problem and "altered" in report.problem


def test_rehashed_audit_entry_breaks_next_link(case: Case, tmp_path: Path) -> None:
    """Editing an entry and recomputing its own hash still breaks the link after it."""
    from dadkhah.store.audit import entry_hash

    import_file(case, write_csv(tmp_path / "a.csv", ROWS), source="s1", by="tester")
    with case.write() as conn:
        e = conn.execute(text("SELECT * FROM audit_log WHERE id = 2")).one()
        h = entry_hash(e.id, e.at, "forger", e.action, e.target, e.details, e.prev_hash)
        conn.execute(text("UPDATE audit_log SET actor='forger', entry_hash=:h WHERE id=2"),
                     {"h": h})
    report = case.verify_audit()
    assert not report.ok and report.broken_entry == 3
    assert "does not follow entry 2" in report.problem


def test_deleted_audit_entry_is_found(case: Case, tmp_path: Path) -> None:
    import_file(case, write_csv(tmp_path / "a.csv", ROWS), source="s1", by="tester")
    _exec(case, "DELETE FROM audit_log WHERE id = 2")
    report = case.verify_audit()
    assert not report.ok and "audit entry 2 is missing" in report.problem


def test_edited_source_record_is_named(case: Case, tmp_path: Path) -> None:
    import_file(case, write_csv(tmp_path / "a.csv", ROWS), source="s1", by="tester")
    rid = case.records()[1].id
    _exec(case, f"UPDATE source_records SET raw = replace(raw, 'Maryam', 'Miriam') "
                f"WHERE id = {rid}")
    report = case.verify_audit()
    assert not report.ok
    assert f"source record {rid}" in report.problem


def test_deleted_source_record_is_found(case: Case, tmp_path: Path) -> None:
    import_file(case, write_csv(tmp_path / "a.csv", ROWS), source="s1", by="tester")
    rid = case.records()[0].id
    _exec(case, f"DELETE FROM source_records WHERE id = {rid}")
    report = case.verify_audit()
    assert not report.ok and "import 1" in report.problem


def test_cli_verify_exits_nonzero_on_tamper(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    loc = tmp_path / "c"
    Case.create(loc).close()
    db = sqlite3.connect(loc / "case.db")
    db.execute("UPDATE audit_log SET action='x' WHERE id=1")
    db.commit()
    db.close()
    res = CliRunner().invoke(app, ["--case", str(loc), "audit", "verify"])
    assert res.exit_code == 2
    assert "audit entry 1" in res.output


@pytest.mark.parametrize("backend", backends)
def test_concurrent_writers_keep_one_chain(tmp_path: Path, backend: str) -> None:
    """Two processes adding sources at once must not fork the chain (each backend)."""
    import subprocess
    import sys

    from tests.conftest import _pg_database

    n_writers = 2
    gen = _pg_database() if backend == "postgres" else None
    loc = next(gen) if gen is not None else str(tmp_path / "c")
    Case.create(loc).close()
    code = ("import sys; from dadkhah.store import Case\n"
            "c = Case.open(sys.argv[1])\n"
            "for i in range(15): c.add_source(slug=f'w{sys.argv[2]}-{i}', title='t', "
            "kind='other')\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(loc), str(w)])
             for w in range(n_writers)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    with Case.open(loc) as c:
        report = c.verify_audit()
        assert report.ok, report.problem
        assert report.entries == 1 + 15 * n_writers
    if gen is not None:
        gen.close()  # drops the database


def test_a_new_case_is_readable_by_its_owner_only(tmp_path) -> None:
    """T24: with umask 022, case.db was 0644 and the folder 0755."""
    import os
    import stat

    old = os.umask(0o022)
    try:
        with Case.create(str(tmp_path / "new" / "case"), by="t") as case, case.write():
            pass
    finally:
        os.umask(old)
    folder = tmp_path / "new" / "case"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for p in folder.iterdir():
        if p.name.startswith("case.db"):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name

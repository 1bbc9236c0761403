"""Readers beside a writer: a read-only case on SQLite neither waits for nor writes."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy.exc import OperationalError

from dadkhah.store import Case


@pytest.fixture
def folder(tmp_path):
    with Case.create(tmp_path / "case", by="tester") as c:
        c.add_source(slug="s1", title="List (SYNTHETIC)", kind="ngo_list", synthetic=True,
                     by="tester")
    return tmp_path / "case"


def test_a_reader_does_not_wait_for_a_writer(folder) -> None:
    writer = sqlite3.connect(folder / "case.db", isolation_level=None)
    # The row-hash triggers call dadkhah_tx(), which only dadkhah's connections define.
    writer.create_function("dadkhah_tx", 0, lambda: "outside")
    writer.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
    writer.execute("INSERT INTO sources (slug, title, kind, reliability, synthetic, "
                   "created_at, created_by) VALUES ('s2', 'x', 'other', 'F', 1, 'now', 't')")
    try:
        with Case.open(folder, read_only=True) as reader:
            t = time.perf_counter()
            slugs = [s.slug for s in reader.sources()]
            waited = time.perf_counter() - t
        # the writer's uncommitted row is not seen; and no busy wait (timeout is 30 s)
        assert slugs == ["s1"]
        assert waited < 5
        # a writing case opens at once (opening only reads), but its writes wait for the lock
        t = time.perf_counter()
        other = Case.open(folder)
        assert time.perf_counter() - t < 5
        with other:
            done = threading.Event()

            def write() -> None:
                other.add_source(slug="s3", title="y", kind="other", by="t")
                done.set()

            th = threading.Thread(target=write, daemon=True)
            th.start()
            assert not done.wait(1.0)
            writer.execute("COMMIT")
            assert done.wait(30)
            th.join()
    finally:
        if writer.in_transaction:
            writer.execute("ROLLBACK")
        writer.close()
    with Case.open(folder, read_only=True) as reader:
        assert [s.slug for s in reader.sources()] == ["s1", "s2", "s3"]


def test_a_read_only_case_refuses_writes_and_changes_nothing(folder) -> None:
    with (Case.open(folder, read_only=True) as reader,
          pytest.raises(OperationalError, match="readonly|read-only|query_only")):
        reader.add_source(slug="s9", title="z", kind="other", by="t")
    with Case.open(folder) as case:
        assert [s.slug for s in case.sources()] == ["s1"]
        assert case.verify_audit().ok


@pytest.mark.parametrize("command", [["records", "list"], ["source", "list"],
                                     ["audit", "verify"]])
def test_read_commands_do_not_wait_for_an_import(folder, command, tmp_path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    if command[-1] == "-":
        command = [*command[:-1], str(tmp_path / "out.csv")]
    writer = sqlite3.connect(folder / "case.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        t = time.perf_counter()
        res = CliRunner().invoke(app, ["--case", str(folder), *command])
        waited = time.perf_counter() - t
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert res.exit_code == 0, res.output
    assert waited < 10


def test_an_export_is_an_audited_read_so_a_busy_case_refuses_it_cleanly(
        folder, tmp_path, monkeypatch) -> None:
    """An export writes its audit entry (who exported what, the file's SHA-256), so it needs
    the write lock for a moment: while an import holds it, the export waits
    ``$DADKHAH_WRITE_WAIT`` seconds, then stops with the busy message and leaves no file; once
    the lock is free the same export succeeds and is in the log."""
    from typer.testing import CliRunner

    from dadkhah.cli import app

    monkeypatch.setenv("DADKHAH_WRITE_WAIT", "1")
    out = tmp_path / "out.csv"
    command = ["--case", str(folder), "export", "records", "-o", str(out)]
    writer = sqlite3.connect(folder / "case.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        res = CliRunner().invoke(app, command)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert res.exit_code == 1 and "busy" in res.output, res.output
    assert not out.exists()
    res = CliRunner().invoke(app, command)
    assert res.exit_code == 0, res.output
    with Case.open(folder, read_only=True) as reader:
        assert [e.action for e in reader.audit_entries(limit=1, action="export")] == [
            "export.records"]

"""Reads and exports are in the audit chain (issue 16 part 3): each ``dadkhah export``,
``dadkhah report``, dossier and testimony reveal made through the command line appends
exactly one entry naming who read what, and ``audit verify`` stays intact after them.

Through a read-only handle (``Case.open(read_only=True)``: ``report`` and ``export`` open
the case so) the entry is written by a short writer of its own; a read whose entry cannot
be written leaves no file behind."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.store import Case, audit
from dadkhah.store.tables import AuditEntry

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    res = runner.invoke(app, list(args), env=env)
    assert res.exit_code == 0, res.output
    return res


def entries(loc: str) -> list[Any]:
    with Case.open(loc, read_only=True) as case, case.read() as conn:
        return list(conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)))


def new_entries(loc: str, since: int) -> list[Any]:
    """Entries after the first ``since`` ones, without the row-sealing entries a write may
    add (none here: a read changes no protected row)."""
    return [e for e in entries(loc)[since:] if e.action != "rows.sealed"]


def verified(loc: str) -> None:
    assert "Audit chain intact" in run("-C", loc, "audit", "verify").stdout


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> str:
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    tmp = tmp_path_factory.mktemp("reads")
    sc = simulated_case(tmp / "case", scenario="small", persons=300, seed=3)
    normalize_case(sc.case, by="tester")
    link_case(sc.case, by="tester")
    loc = str(sc.case.location)
    sc.case.close()
    return loc


@pytest.mark.parametrize("command,what,suffix", [
    (["export", "register", "--format", "xlsx"], "register", "xlsx"),
    (["export", "register", "--format", "json"], "register", "json"),
    (["export", "histories", "--by", "sex"], "histories", "csv"),
    (["export", "every-casualty"], "every-casualty", "csv"),
    (["export", "records", "--format", "csv"], "records", "csv"),
])
def test_each_export_is_one_entry(linked: str, tmp_path: Path, command: list[str],
                                  what: str, suffix: str) -> None:
    before = len(entries(linked))
    out = tmp_path / f"out.{suffix}"
    if what == "records":  # no --json: the rows are counted from the file
        run("-C", linked, "--user", "reader-1", *command, "-o", str(out))
        with out.open(encoding="utf-8", newline="") as fh:
            rows = sum(1 for _ in csv.reader(fh)) - 1
    else:
        res = run("-C", linked, "--user", "reader-1", *command, "-o", str(out), "--json")
        rows = json.loads(res.stdout)["rows"]
    [e] = new_entries(linked, before)
    assert (e.actor, e.action, e.target) == ("reader-1", f"export.{what}", f"export:{what}")
    d = json.loads(e.details)
    # what was read: the file as written (its hash) and how many rows
    assert d["path"] == str(out) and d["rows"] == rows > 0
    assert d["sha256"] == audit.file_sha256(out)
    assert e.at[:4].isdigit()  # when
    verified(linked)


def test_report_is_one_entry(linked: str, tmp_path: Path) -> None:
    before = len(entries(linked))
    out = tmp_path / "r.html"
    run("-C", linked, "--user", "reader-2", "report", "--out", str(out), "--by", "none",
        "--method", "chapman", "--no-names")
    [e] = new_entries(linked, before)
    assert (e.actor, e.action, e.target) == ("reader-2", "report.write", "report")
    d = json.loads(e.details)
    assert d["path"] == str(out) and d["sha256"] == {"r.html": audit.file_sha256(out)}
    assert d["persons"] > 0
    verified(linked)


def test_dossier_and_testimony_reveal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_KEY", "DADKHAH_KEY_FILE", "DADKHAH_ROLE"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    run("-C", loc, "init")
    run("-C", loc, "casefile", "example")
    before = len(entries(loc))
    out = tmp_path / "raisi.html"
    run("-C", loc, "--user", "lawyer", "dossier", "raisi", "-o", str(out))
    [e] = new_entries(loc, before)
    assert (e.actor, e.action) == ("lawyer", "dossier.write")
    assert json.loads(e.details)["actor"] == "raisi"

    key = tmp_path / "k"
    run("testimony", "keygen", str(key))
    run("-C", loc, "testimony", "add", "w1", "--identity", "Witness (SYNTHETIC)",
        "--contact", "nowhere", "--key-file", str(key))
    before = len(entries(loc))
    run("-C", loc, "--user", "lawyer", "testimony", "show", "w1")  # no reveal: no entry
    assert new_entries(loc, before) == []
    shown = run("-C", loc, "--user", "lawyer", "testimony", "show", "w1", "--reveal",
                "--key-file", str(key))
    assert "Witness (SYNTHETIC)" in shown.stdout
    [e] = new_entries(loc, before)
    assert (e.actor, e.action) == ("lawyer", "testimony.read")
    assert json.loads(e.details)["pseudonym"] == "w1"
    verified(loc)


def test_read_only_handle_writes_its_entry(linked: str, tmp_path: Path) -> None:
    """The library through a read-only handle: the handle stays read-only, the entry is
    written anyway (by a short writer of its own)."""
    from dadkhah.report.exports import write_histories

    before = len(entries(linked))
    with Case.open(linked, read_only=True) as case:
        res = write_histories(case, tmp_path / "h.csv", actor="ro-reader")
        assert case.read_only
    [e] = new_entries(linked, before)
    assert (e.actor, e.action, json.loads(e.details)["rows"]) == (
        "ro-reader", "export.histories", res.rows)


def test_no_export_without_its_entry(linked: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """When the entry cannot be written the exported file is removed and the error raised:
    nothing leaves the case unaccounted for."""
    from dadkhah.report.exports import write_register

    def refuse(*_a: Any, **_k: Any) -> int:
        raise RuntimeError("the audit chain is not writable")

    monkeypatch.setattr(audit, "append", refuse)
    before = len(entries(linked))
    out = tmp_path / "reg.csv"
    with Case.open(linked) as case, pytest.raises(RuntimeError, match="not writable"):
        write_register(case, out, actor="someone")
    assert not out.exists()
    assert len(entries(linked)) == before


def test_audit_log_command_filters(linked: str, tmp_path: Path) -> None:
    """``dadkhah audit log --action export --actor NAME`` lists that user's exports."""
    run("-C", linked, "--user", "filter-me", "export", "histories", "-o",
        str(tmp_path / "h.csv"))
    res = run("-C", linked, "audit", "log", "--action", "export", "--actor", "filter-me",
              "--json")
    shown = json.loads(res.stdout)
    assert [(e["actor"], e["action"]) for e in shown] == [("filter-me", "export.histories")]
    assert shown[0]["details"]["path"] == str(tmp_path / "h.csv")
    text = run("-C", linked, "audit", "log", "--action", "export.histories", "-n", "1").stdout
    assert "filter-me" in text and "export.histories" in text
    assert json.loads(run("-C", linked, "audit", "log", "--action", "export.hist",
                          "--json").stdout) == []  # whole names only

"""The audit log as a member reads it (restricted records): an entry about material kept
from the reader (an import into a source restricted from them and its file's name, an
evidence item's file, a claim resting only on a kept source) is left out and counted, never
named; an admin who asks (``--include-restricted --role admin``) reads every entry, and
that read is in the log; checking the chain walks every entry whoever asks.  SYNTHETIC."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dadkhah import casefile as cf
from dadkhah.access import Viewer
from dadkhah.ingest import import_file
from dadkhah.register import restrict
from dadkhah.store import Case
from tests.casefile.unseen_case import KEPT, add_team, plant
from tests.conftest import write_csv

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "editor")
LIST_NAME = "informants-of-the-kept-memoir.csv"
ITEM_NAME = "scan-of-informant-r.txt"
# What an entry about the kept material would say: the import's file, the item's file, the
# kept source's slug, the claims resting on it alone.
SECRETS = (LIST_NAME, ITEM_NAME, KEPT, "ghost-actor", "ghost-event", "SYNTHETIC ghost post")


def _kept_material(case: Case, tmp_path: Path) -> set[str]:
    """A source kept for alice, with claims resting on it alone (unseen_case.plant), a list
    imported into it and an evidence item kept for her; and an item everyone sees.  Returns
    the audit targets of the kept source, import and item."""
    add_team(case)
    plant(case, "alice")
    rows = [["full_name", "father_name", "death_date"],
            ["Secret Informant One (SYNTHETIC)", "Hassan", "1988-08-01"]]
    imported = import_file(case, write_csv(tmp_path / LIST_NAME, rows), source=KEPT,
                           by="alice", viewer=ALICE)
    item = tmp_path / ITEM_NAME
    item.write_bytes(b"SYNTHETIC scan of an informant's note\n")
    kept = cf.add_evidence(case, item, title="Informant R. (SYNTHETIC)", by="alice",
                           viewer=ALICE)
    restrict(case, "evidence", kept.id, users=["alice"], by="admin", role="admin")
    shared = tmp_path / "public-note.txt"
    shared.write_bytes(b"SYNTHETIC public note\n")
    note = cf.add_evidence(case, shared, title="A public note (SYNTHETIC)", by="bob",
                           viewer=BOB)
    # what bob may see, naming what he may not: a link of his item to the ghost actor, a
    # testimony about the ghost event
    cf.link_evidence(case, note.id, claim_kind="actor", claim_id="ghost-actor", by="alice",
                     viewer=ALICE)
    cf.add_testimony(case, pseudonym="w-synthetic", identity="SYNTHETIC witness",
                     event="ghost-event", key=cf.TestimonyKey.generate(), by="alice",
                     role="editor", viewer=ALICE)
    ghost = cf.get_actor(case, "ghost-actor", viewer=ALICE).id
    return {f"source:{case.resolve_source_id(KEPT)}", f"import:{imported.import_id}",
            f"evidence:{kept.id}", f"actor:{ghost}"}


def _targets(text: str) -> set[str]:
    return set(re.findall(r"\b[a-z_]+:\d+\b", text))


def _said(entries: Any) -> str:
    return "\n".join(f"{e.target} {e.details}" for e in entries)


def test_a_member_reads_no_entry_about_what_is_kept_from_them(example_case: Case,
                                                              tmp_path: Path) -> None:
    case = example_case
    targets = _kept_material(case, tmp_path)
    every = case.audit_entries(limit=100_000)
    page = cf.audit_log(case, viewer=BOB, by="bob", limit=100_000)
    said = _said(page.entries)
    for secret in SECRETS:
        assert secret in _said(every), secret  # the log holds it ...
        assert secret not in said, secret  # ... and bob does not read it
    assert targets <= _targets(_said(every)) and not targets & _targets(said)
    assert page.not_shown == len(every) - len(page.entries) > 0
    assert page.note() == (f"{page.not_shown} entries about material kept from you are not "
                           "shown (an admin sees them with --include-restricted --role admin).")
    assert "public-note.txt" in said and "user.add" in {e.action for e in page.entries}
    for who in (ALICE, Viewer.everything("root", "admin")):
        theirs = cf.audit_log(case, viewer=who, by=who.username or "", limit=100_000)
        assert theirs.not_shown == 0 and theirs.note() is None
        assert all(s in _said(theirs.entries) for s in SECRETS)
    newest = case.audit_entries(limit=1)[0]  # the admin's read is in the log, alice's not
    assert (newest.actor, newest.action) == ("root", "audit.read")
    assert json.loads(newest.details)["include_restricted"] is True
    with pytest.raises(Exception, match="may not"):
        Viewer.everything("bob", "editor")

    # Page by page, each entry is shown or counted once.
    shown, counted, before = 0, 0, None
    total = len(case.audit_entries(limit=100_000))
    while True:
        p = cf.audit_log(case, viewer=BOB, by="bob", before=before, limit=7)
        shown, counted = shown + len(p.entries), counted + p.not_shown
        assert not any(s in _said(p.entries) for s in SECRETS)
        if len(p.entries) < 7:
            break
        before = p.entries[-1].id
    assert (shown + counted, counted) == (total, page.not_shown)

    # The chain's check walks every entry, those bob does not read too.
    rep = case.verify_audit()
    assert rep.ok and rep.entries == total


def test_the_command_line_reads_as_the_user(example_case: Case, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if example_case.is_server:
        pytest.skip("the command line's case here is the SQLite folder")
    targets = _kept_material(example_case, tmp_path)
    for var in ("DADKHAH_ROLE", "DADKHAH_USER", "DADKHAH_CASE"):
        monkeypatch.delenv(var, raising=False)
    from dadkhah.cli import app

    loc, run = example_case.location, CliRunner()

    def log(*args: str, code: int = 0) -> Any:
        out = run.invoke(app, ["-C", loc, *args])
        assert out.exit_code == code, out.output
        return out

    for args in (["-n", "1000", "--json"], ["-n", "1000"], ["--action", "import"]):
        out = log("--user", "bob", "audit", "log", *args)
        assert not any(s in out.stdout for s in SECRETS), out.stdout
        assert not targets & _targets(out.stdout), out.stdout
        assert "entries about material kept from you are not shown" in out.output
    listed = json.loads(log("--user", "bob", "audit", "log", "-n", "1000", "--json").stdout)
    assert isinstance(listed, list) and listed  # the same list as before, without them
    mine = log("--user", "alice", "audit", "log", "-n", "1000").stdout
    assert "not shown" not in mine and targets <= _targets(mine)
    assert LIST_NAME in log("--user", "alice", "audit", "log", "--json").stdout
    out = log("--user", "bob", "audit", "log", "--include-restricted", code=1)
    assert LIST_NAME not in out.output and "may not" in out.output
    root = log("--user", "root", "audit", "log", "--include-restricted", "--role", "admin",
               "-n", "1000", "--json").stdout
    assert all(s in root for s in SECRETS)
    newest = json.loads(log("--user", "root", "audit", "log", "-n", "1", "--json").stdout)[0]
    assert (newest["actor"], newest["action"]) == ("root", "audit.read")
    rep = json.loads(log("--user", "bob", "audit", "verify", "--json").stdout)
    assert rep["ok"] and rep["entries"] == len(example_case.audit_entries(limit=100_000))

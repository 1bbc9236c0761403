"""Citing a restricted source (restricted records, issue 16): every writer of the case file
refuses a source kept from whoever writes with the very answer a source the case does not
hold gets, and leaves the case as it was; the users it is restricted to cite it.  Through
the library (SQLite and PostgreSQL) and the command line's ``--user``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dadkhah import casefile as cf
from dadkhah.access import NOBODY, Viewer
from dadkhah.errors import InvalidInput, NotFound, StoreError
from dadkhah.register import restrict
from dadkhah.store import Case
from tests.casefile.unseen_case import KEPT, add_team, example_folder

MISSING = "no-such-memoir"
ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "editor")


def _kept_source(case: Case) -> None:
    case.add_source(slug=KEPT, title="A kept memoir (SYNTHETIC)", kind="memoir",
                    reliability="C", synthetic=True, by="tester")
    restrict(case, "source", case.resolve_source_id(KEPT), users=["alice"], by="admin",
             role="admin")


def _state(case: Case) -> tuple[str, Any]:
    """Everything the case file holds, and the head of the audit log."""
    from dadkhah.casefile.exchange import casefile_document
    from dadkhah.store import audit

    with case.read() as conn:
        doc = casefile_document(conn, Viewer(sees_all=True))
        return json.dumps(doc, ensure_ascii=False), audit.head(conn)


def _writers(case: Case, doc: Path) -> dict[str, Callable[[str, Viewer | None], Any]]:
    """Each writer that cites, citing ``source`` as ``viewer`` (``doc``: a file to add as
    evidence)."""
    actor = cf.list_actors(case, viewer=NOBODY)[0].slug
    event = cf.list_events(case, viewer=NOBODY)[0].slug
    al = cf.list_allegations(case, viewer=NOBODY)[0].id
    return {
        "actor": lambda s, v: cf.add_actor(case, slug="synthetic-a", kind="person",
                                           name_en="A (SYNTHETIC)", sources=[s], by="w",
                                           viewer=v),
        "role": lambda s, v: cf.add_role(case, holder=actor, position="SYNTHETIC post",
                                         sources=[s], by="w", viewer=v),
        "event": lambda s, v: cf.add_event(case, slug="synthetic-e", event_type="other",
                                           title="E (SYNTHETIC)", sources=[s], by="w",
                                           viewer=v),
        "figure": lambda s, v: cf.add_figure(case, event, quantity="killed",
                                             figure_type="claim", value_text="1 (SYNTHETIC)",
                                             sources=[s], by="w", viewer=v),
        "allegation": lambda s, v: cf.add_allegation(case, accused=actor, event=event,
                                                     mode="ordered", text="SYNTHETIC",
                                                     sources=[s], by="w", viewer=v),
        "status": lambda s, v: cf.set_allegation_status(case, al, "corroborated",
                                                        sources=[s], by="w", viewer=v),
        "burial": lambda s, v: cf.add_burial_site(case, slug="synthetic-b",
                                                  name_en="B (SYNTHETIC)", sources=[s],
                                                  by="w", viewer=v),
        "citation": lambda s, v: cf.add_citation(case, "event", event, s, by="w", viewer=v),
        # the source an evidence file belongs to (no grade)
        "evidence": lambda s, v: cf.add_evidence(case, doc, title="D (SYNTHETIC)",
                                                 source=s.partition(":")[0], by="w",
                                                 viewer=v),
    }


def test_a_writer_cites_only_sources_it_may_see(example_case: Case, tmp_path: Path) -> None:
    case = example_case
    add_team(case)
    _kept_source(case)
    doc = tmp_path / "note.txt"
    doc.write_text("a note (SYNTHETIC)\n", encoding="utf-8")
    writers = _writers(case, doc)
    before = _state(case)
    for name, write in writers.items():
        for who in (BOB, NOBODY, None):
            with pytest.raises(NotFound) as kept:
                write(f"{KEPT}:2", who)
            with pytest.raises(NotFound) as missing:
                write(f"{MISSING}:2", who)
            assert (kept.value.message.replace(KEPT, "X"), kept.value.hint) \
                == (missing.value.message.replace(MISSING, "X"), missing.value.hint), name
            assert KEPT in kept.value.message and "dadkhah source list" in kept.value.hint
    assert _state(case) == before  # nothing written, nothing audited
    for name, write in writers.items():
        out = write(f"{KEPT}:2", ALICE)
        if name == "evidence":
            assert out.source == KEPT
        elif name != "citation":
            assert KEPT in {c.source for c in out.sources}, name


def test_a_source_kept_from_the_writer_is_not_removed_either(example_case: Case) -> None:
    case = example_case
    add_team(case)
    _kept_source(case)
    event = cf.list_events(case, viewer=NOBODY)[0].slug
    cf.add_citation(case, "event", event, f"{KEPT}:2", by="alice", viewer=ALICE)
    before = _state(case)
    for who in (BOB, NOBODY):
        with pytest.raises(NotFound) as kept:
            cf.remove_citation(case, "event", event, KEPT, reason="r", by="bob", viewer=who)
        with pytest.raises(NotFound) as missing:
            cf.remove_citation(case, "event", event, MISSING, reason="r", by="bob",
                               viewer=who)
        assert (kept.value.message.replace(KEPT, "X"), kept.value.hint) \
            == (missing.value.message.replace(MISSING, "X"), missing.value.hint)
    assert _state(case) == before
    cf.remove_citation(case, "event", event, KEPT, reason="r", by="alice", viewer=ALICE)


def test_the_command_line_cites_as_its_user(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """``--user bob`` citing a source restricted to alice: refused as a missing source
    (exit 1, the same words), the case unchanged; ``--user alice`` cites it."""
    from dadkhah.cli import app

    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    example_folder(loc)
    with Case.open(loc) as case:
        _kept_source(case)
    runner = CliRunner()

    def run(user: str, *args: str) -> Any:
        return runner.invoke(app, ["-C", loc, "--user", user, *args])

    commands = [("actor", "add", "synthetic-a", "--name-en", "A (SYNTHETIC)"),
                ("actor", "role", "raisi", "--position", "SYNTHETIC post"),
                ("event", "figure", "massacre-1988", "--type", "claim", "--value", "1"),
                ("casefile", "source-add", "event", "massacre-1988")]
    note = tmp_path / "note.txt"
    note.write_text("a note (SYNTHETIC)\n", encoding="utf-8")
    with Case.open(loc) as case:
        before = _state(case)
    commands.append(("evidence", "add", str(note)))
    for command in commands:
        grade = "" if command[0] == "evidence" else ":2"  # an evidence file's own source
        kept = run("bob", *command, "--source", f"{KEPT}{grade}")
        missing = run("bob", *command, "--source", f"{MISSING}{grade}")
        assert kept.exit_code == missing.exit_code == 1, kept.output
        assert f"No source '{KEPT}' in this case." in kept.output
        assert "dadkhah source list" in kept.output
        assert kept.output.replace(KEPT, "X") == missing.output.replace(MISSING, "X")
    with Case.open(loc) as case:
        assert _state(case) == before
    for command in commands:
        grade = "" if command[0] == "evidence" else ":2"
        ok = run("alice", *command, "--source", f"{KEPT}{grade}")
        assert ok.exit_code == 0, ok.output


def test_the_last_source_a_writer_sees_stays_on_a_figure(example_case: Case) -> None:
    """Removing the only source of a figure that the writer may see is refused whether or
    not a source kept from them stands behind it too (success would tell them one does)."""
    case = example_case
    add_team(case)
    _kept_source(case)
    event = cf.list_events(case, viewer=NOBODY)[0].slug
    answers = []
    for kept in (False, True):
        fig = cf.add_figure(case, event, quantity="killed", figure_type="claim",
                            value_text=f"{kept} (SYNTHETIC)", sources=["ngo:2"], by="alice",
                            viewer=ALICE)
        if kept:
            cf.add_citation(case, "figure", fig.id, f"{KEPT}:2", by="alice", viewer=ALICE)
        with pytest.raises(InvalidInput) as refused:
            cf.remove_citation(case, "figure", fig.id, "ngo", reason="r", by="bob", viewer=BOB)
        answers.append((refused.value.message.replace(str(fig.id), "N"), refused.value.hint))
    assert answers[0] == answers[1]


def test_the_last_source_a_writer_sees_stays_whatever_stands_behind_it(
        example_case: Case) -> None:
    """An actor whose one visible source is removed would stay unsourced, or, with a hidden
    source behind it, vanish for the writer: the answer would tell bob whether alice's
    source exists.  With restricted data in the case bob is refused alike either way; an
    admin who sees everything may leave an actor unsourced."""
    case = example_case
    add_team(case)
    _kept_source(case)
    public = "public-memoir"
    case.add_source(slug=public, title="A public memoir (SYNTHETIC)", kind="memoir",
                    reliability="C", synthetic=True, by="tester")
    hidden, bare = (cf.add_actor(case, slug=f"synthetic-{k}", kind="person",
                                 name_en=f"{k} (SYNTHETIC)", sources=[public], by="w")
                    for k in ("a", "b"))
    cf.add_citation(case, "actor", hidden.slug, f"{KEPT}:2", by="alice", viewer=ALICE)
    before = _state(case)
    answers = []
    for actor in (hidden, bare):
        with pytest.raises(InvalidInput) as refused:
            cf.remove_citation(case, "actor", actor.slug, actor.sources[0].source,
                               reason="r", by="bob", viewer=BOB)
        answers.append((refused.value.message.replace(actor.slug, "X")
                        .replace(actor.sources[0].source, "S"), refused.value.hint))
    assert answers[0] == answers[1]
    assert _state(case) == before
    cf.remove_citation(case, "actor", bare.slug, bare.sources[0].source, reason="r",
                       by="admin", viewer=Viewer.everything("admin", "admin"))
    assert cf.get_actor(case, bare.slug, viewer=BOB).sources == ()


def test_an_import_into_a_source_kept_from_the_importer_is_a_missing_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``dadkhah --user bob import … --source <alice's source>`` and the web's import preview
    as bob: refused with the words a missing source gets, nothing imported; alice imports."""
    from dadkhah.cli import app
    from tests.conftest import write_csv
    from tests.web.conftest import SECRET

    for var in ("DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    example_folder(loc)
    with Case.open(loc) as case:
        _kept_source(case)
    rows = write_csv(tmp_path / "list.csv", [["full_name", "death_date"],
                                             ["Kamran Safavi (SYNTHETIC)", "1988-08-05"]])
    runner = CliRunner()

    def run(user: str, source: str) -> Any:
        return runner.invoke(app, ["-C", loc, "--user", user, "import", str(rows),
                                   "--source", source])

    kept, missing = run("bob", KEPT), run("bob", MISSING)
    assert kept.exit_code == missing.exit_code == 1, kept.output
    assert f"No source '{KEPT}' in this case." in kept.output
    assert kept.output.replace(KEPT, "X") == missing.output.replace(MISSING, "X")
    with Case.open(loc) as case:
        assert [s.records for s in case.sources(Viewer(sees_all=True)) if s.slug == KEPT] == [0]

    from fastapi.testclient import TestClient

    from dadkhah.web import create_app

    with TestClient(create_app(loc, secret_key=SECRET), base_url="https://testserver") as c:
        page = c.get("/team/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        c.post("/team/login", data={"csrf_token": token, "username": "bob",
                                    "password": "correct horse battery staple"})
        token = c.get("/team/imports").text.split('name="csrf_token" value="')[1].split('"')[0]
        answers = [c.post("/team/imports/preview", data={"csrf_token": token, "source": s},
                          files={"file": ("list.csv", rows.read_bytes(), "text/csv")})
                   for s in (KEPT, MISSING)]
        assert answers[0].status_code == answers[1].status_code == 404, answers[0].text
        assert answers[0].text.replace(KEPT, "X") == answers[1].text.replace(MISSING, "X")
    ok = run("alice", KEPT)
    assert ok.exit_code == 0, ok.output


def test_adding_bytes_already_kept_from_the_writer_tells_nothing_of_the_item(
        cf_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same bytes as an evidence item restricted from the writer (itself, or through
    its source): refused without the item's id, title, name or source, nothing written or
    audited, the store as it was; the users it is restricted to add them again as before.
    Through the library and ``dadkhah --user``."""
    from dadkhah.cli import app

    case = cf_case
    add_team(case)
    _kept_source(case)
    secret = b"SYNTHETIC scan of an informant's note\n"
    kept_file, via_source = tmp_path / "informant-scan.txt", tmp_path / "memoir-page.txt"
    kept_file.write_bytes(secret)
    via_source.write_bytes(b"SYNTHETIC page of a kept memoir\n")
    own = cf.add_evidence(case, kept_file, title="Informant R. at Evin (SYNTHETIC)",
                          by="alice", viewer=ALICE)
    restrict(case, "evidence", own.id, users=["alice"], by="admin", role="admin")
    sourced = cf.add_evidence(case, via_source, title="Page 12 of the memoir (SYNTHETIC)",
                              source=KEPT, by="alice", viewer=ALICE)
    from dadkhah.casefile.evidence import evidence_root

    store = evidence_root(case)
    files_before = sorted(p.relative_to(store) for p in store.rglob("*") if p.is_file())
    before = _state(case)
    for item, original in ((own, kept_file), (sourced, via_source)):
        copy = tmp_path / "innocent-name.txt"
        copy.write_bytes(original.read_bytes())
        for who in (BOB, NOBODY, None):
            with pytest.raises(StoreError) as refused:
                cf.add_evidence(case, copy, title="bob's copy", by="bob", viewer=who)
            said = str(refused.value)
            assert "restricted" in said and item.sha256 in said, said
            for leak in (item.title, original.name, KEPT, f"evidence {item.id}"):
                assert leak not in said, (leak, said)
            assert not isinstance(refused.value, NotFound)  # it may not be added as new
    assert _state(case) == before  # nothing written, nothing audited
    assert sorted(p.relative_to(store) for p in store.rglob("*") if p.is_file()) \
        == files_before
    again = cf.add_evidence(case, kept_file, by="alice", viewer=ALICE)
    assert (again.id, again.title, again.already_present) == (own.id, own.title, True)

    for var in ("DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    if case.is_server:
        return  # the command line's case below is a SQLite folder
    loc = str(tmp_path / "cli-case")
    example_folder(loc)
    with Case.open(loc) as c:
        item = cf.add_evidence(c, kept_file, title="Informant R. at Evin (SYNTHETIC)",
                               by="alice", viewer=ALICE)
        restrict(c, "evidence", item.id, users=["alice"], by="admin", role="admin")
        cli_before = _state(c)
    out = CliRunner().invoke(app, ["-C", loc, "--user", "bob", "evidence", "add",
                                   str(kept_file)])
    assert out.exit_code == 1, out.output
    assert "restricted" in out.output and "Informant" not in out.output, out.output
    with Case.open(loc) as c:
        assert _state(c) == cli_before


def _imports(case: Case) -> tuple[int, int]:
    """How many imports and records the case holds, whoever may see them."""
    from sqlalchemy import func, select

    from dadkhah.store.tables import Import, SourceRecord

    with case.read() as conn:
        return (conn.execute(select(func.count()).select_from(Import)).scalar_one(),
                conn.execute(select(func.count()).select_from(SourceRecord)).scalar_one())


def test_importing_a_document_already_kept_from_the_importer_is_refused_whole(
        cf_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document (PDF) whose bytes are already an evidence item restricted from the
    importer: the import is refused before anything is written (no import, no record, no
    custody entry, the item neither named nor numbered), because the document it would rest
    on could not be kept for them; the user it is restricted to imports it as before.
    Through the library and ``dadkhah --user``."""
    from dadkhah.cli import app
    from tests.documents.conftest import visual_pdf
    from tests.documents.test_import_documents import LINES

    case = cf_case
    add_team(case)
    pdf = visual_pdf(tmp_path / "SYNTHETIC-list.pdf", LINES)
    item = cf.add_evidence(case, pdf, title="Informant's list (SYNTHETIC)", by="alice",
                           viewer=ALICE)
    restrict(case, "evidence", item.id, users=["alice"], by="admin", role="admin")
    before, counts = _state(case), _imports(case)
    copy = tmp_path / "bobs-copy.pdf"
    copy.write_bytes(pdf.read_bytes())
    for who in (BOB, NOBODY):
        with pytest.raises(StoreError) as refused:
            cf.check_document_keepable(case, copy, viewer=who)
        said = str(refused.value)
        assert "restricted" in said and item.sha256 in said, said
        for leak in (item.title, pdf.name, f"evidence {item.id}"):
            assert leak not in said, (leak, said)
        with pytest.raises(StoreError):  # kept after an import: refused all the same
            cf.keep_document(case, copy, source="ngo", by="bob", viewer=who)
    assert (_state(case), _imports(case)) == (before, counts)
    cf.check_document_keepable(case, copy, viewer=ALICE)  # alice may: nothing to say
    csv = tmp_path / "rows.csv"  # a file that is no document is never kept: nothing to check
    csv.write_bytes(pdf.read_bytes())
    cf.check_document_keepable(case, csv, viewer=BOB)

    for var in ("DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    if case.is_server:
        return  # the command line's case below is a SQLite folder
    loc = str(tmp_path / "cli-case")
    example_folder(loc)
    with Case.open(loc) as c:
        item = cf.add_evidence(c, pdf, title="Informant's list (SYNTHETIC)", by="alice",
                               viewer=ALICE)
        restrict(c, "evidence", item.id, users=["alice"], by="admin", role="admin")
        cli_before, cli_counts = _state(c), _imports(c)
    for extra in ([], ["--dry-run"]):
        out = CliRunner().invoke(app, ["-C", loc, "--user", "bob", "import", str(copy),
                                       "-s", "ngo", *extra])
        assert out.exit_code == 1, out.output
        assert "restricted" in out.output and "nothing was imported" in out.output, out.output
        for leak in ("Informant", "Kept as evidence", f"evidence {item.id}"):
            assert leak not in out.output, (leak, out.output)
    with Case.open(loc) as c:
        assert (_state(c), _imports(c)) == (cli_before, cli_counts)
    out = CliRunner().invoke(app, ["-C", loc, "--user", "alice", "import", str(copy),
                                   "-s", "ngo"])
    assert out.exit_code == 0 and f"Kept as evidence {item.id}" in out.output, out.output


def _stored(case: Case) -> dict[str, int]:
    """What an import and the keeping of its document write: imports, records, rejected
    rows, evidence items, and their audit entries."""
    from sqlalchemy import func, select

    from dadkhah.store.tables import AuditEntry, Evidence, Import, RejectedRow, SourceRecord

    with case.read() as conn:
        out = {t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
               for t in (Import, SourceRecord, RejectedRow, Evidence)}
        for action in ("import", "evidence.acquire"):
            out[action] = conn.execute(select(func.count()).select_from(AuditEntry)
                                       .where(AuditEntry.action == action)).scalar_one()
    return out


def test_a_restriction_set_after_the_check_leaves_the_store_as_it_was(
        cf_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document's bytes are an evidence item bob may see when the import asks
    (check_document_keepable), and restricted from him before the import stores anything:
    the check made again with the storing, in one transaction, refuses it, and the store
    is exactly as it was (no import, no record, no rejected row, no custody entry).  Through
    the library (``import_file(..., on_stored=…)``) and ``dadkhah --user bob import``, where
    the restriction lands right after the command's own check (it used to leave the records
    imported and refuse only the keeping)."""
    from dadkhah.cli import app
    from dadkhah.ingest import import_file
    from tests.documents.conftest import visual_pdf
    from tests.documents.test_import_documents import LINES

    case = cf_case
    add_team(case)
    pdf = visual_pdf(tmp_path / "SYNTHETIC-list.pdf", LINES)
    item = cf.add_evidence(case, pdf, title="Informant's list (SYNTHETIC)", by="alice",
                           viewer=ALICE)
    copy = tmp_path / "bobs-copy.pdf"
    copy.write_bytes(pdf.read_bytes())
    cf.check_document_keepable(case, copy, viewer=BOB)  # not restricted yet: nothing to say
    before = _stored(case)
    restrict(case, "evidence", item.id, users=["alice"], by="admin", role="admin")

    def keep(conn: Any, report: Any) -> None:
        cf.keep_document(case, copy, source="ngo", by="bob", viewer=BOB, conn=conn)

    with pytest.raises(StoreError, match="restricted from you"):
        import_file(case, copy, source="ngo", by="bob", viewer=BOB, on_stored=keep)
    assert _stored(case) == before
    # alice, who may see the item, imports it and keeps it in the same transaction
    rep = import_file(case, copy, source="ngo", by="alice", viewer=ALICE,
                      on_stored=lambda conn, r: cf.keep_document(
                          case, copy, source="ngo", by="alice", viewer=ALICE, conn=conn))
    after = _stored(case)
    assert after["source_records"] == before["source_records"] + rep.rows_imported > 0
    assert (after["evidence"], after["evidence.acquire"]) == (
        before["evidence"], before["evidence.acquire"] + 1)

    for var in ("DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    if case.is_server:
        return  # the command line's case below is a SQLite folder
    loc = str(tmp_path / "cli-case")
    example_folder(loc)
    with Case.open(loc) as c:
        item = cf.add_evidence(c, pdf, title="Informant's list (SYNTHETIC)", by="alice",
                               viewer=ALICE)
        cli_before = _stored(c)
    checked = cf.check_document_keepable

    def check_then_restrict(case_: Case, path: Any, **kw: Any) -> None:
        checked(case_, path, **kw)  # bob may see it when asked …
        restrict(case_, "evidence", item.id, users=["alice"], by="admin", role="admin")

    monkeypatch.setattr(cf, "check_document_keepable", check_then_restrict)
    out = CliRunner().invoke(app, ["-C", loc, "--user", "bob", "import", str(copy),
                                   "-s", "ngo"])
    assert out.exit_code == 1, out.output
    assert "restricted from you" in out.output, out.output
    for leak in ("Informant", "Kept as evidence", f"evidence {item.id}"):
        assert leak not in out.output, (leak, out.output)
    with Case.open(loc) as c:
        assert _stored(c) == cli_before  # … and restricted before the import stored anything

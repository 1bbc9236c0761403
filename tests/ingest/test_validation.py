import json
from pathlib import Path

import pytest

from dadkhah.errors import DuplicateImport, RowValidationError
from dadkhah.ingest import PROBLEM_KINDS, import_file
from dadkhah.names import parse_age
from dadkhah.store import Case
from tests.conftest import write_csv

HEADER = ["name", "father", "age", "sex", "notes"]
GOOD = ["علی رضایی", "حسن", "25", "مرد", ""]
BAD = {  # one row per problem class, and the column it must name
    "misaligned": (["Ali", "Hasan", "25", "m", "", "extra"], None),
    "no_name": (["", "Hasan", "25", "m", ""], None),
    "bad_age": (["Reza", "", "twenty", "m", ""], "age"),
    "bad_sex": (["Reza", "", "30", "x", ""], "sex"),
    "bad_text": (["Re\x00za", "", "30", "m", ""], "name"),
    "too_long": (["Reza", "", "30", "m", "n" * 10_001], "notes"),
}


def test_every_problem_class_is_covered() -> None:
    assert set(BAD) == set(PROBLEM_KINDS)


@pytest.mark.parametrize("kind", sorted(BAD))
def test_each_problem_names_file_row_column_and_value(case: Case, tmp_path: Path,
                                                      kind: str) -> None:
    row, column = BAD[kind]
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD, row, GOOD])
    rep = import_file(case, path, source="s1")
    assert (rep.rows_read, rep.rows_imported, rep.rows_rejected) == (3, 2, 1)
    assert rep.problem_counts == {kind: 1}
    p = rep.problems[0]
    assert p["row"] == 2 and p["line"] == 3 and p["kind"] == kind and p["column"] == column
    assert p["message"].startswith("list.csv, row 2 (line 3)")
    if column:
        assert f"column {column!r}" in p["message"]
    # The rejected row is kept verbatim with its reason.
    (rej,) = case.rejected_rows(rep.import_id)
    assert json.loads(rej["raw"]) == row and rej["problems"][0]["kind"] == kind


def test_strict_rejects_whole_file_and_writes_nothing(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD, BAD["bad_age"][0], GOOD])
    with pytest.raises(RowValidationError, match="nothing was imported") as exc:
        import_file(case, path, source="s1", strict=True)
    assert exc.value.problems[0]["column"] == "age"
    assert case.imports() == [] and case.records() == []
    assert case.verify_audit().entries == 2  # init and source.add only


def test_strict_accepts_a_clean_file(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD, GOOD])
    assert import_file(case, path, source="s1", strict=True).rows_imported == 2


def test_duplicate_import_is_refused_unless_forced(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD])
    import_file(case, path, source="s1")
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(DuplicateImport, match="import 1"):
        import_file(case, copy, source="s1")
    assert len(case.records()) == 1
    import_file(case, copy, source="s1", force=True)
    assert len(case.records()) == 2 and case.verify_audit().ok


def test_resaved_list_is_refused_as_duplicate_unless_forced(case: Case,
                                                             tmp_path: Path) -> None:
    # review I24: `sed 's/$/\r/'` or a re-save with a BOM / another encoding changes the
    # file's SHA-256 but not its rows; importing it again duplicated every record.
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD, ["Reza", "", "30", "m", ""]])
    import_file(case, path, source="s1")
    data = path.read_bytes()
    lf = tmp_path / "list-lf.csv"  # write_csv writes CRLF; the other line ending
    lf.write_bytes(data.replace(b"\r\n", b"\n"))
    bom = tmp_path / "list-bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + data)
    for again in (lf, bom):
        assert again.read_bytes() != path.read_bytes()
        with pytest.raises(DuplicateImport, match=r"list\.csv.*import 1"):
            import_file(case, again, source="s1")
    assert len(case.records()) == 2 and len(case.imports()) == 1
    rep = import_file(case, lf, source="s1", force=True)
    assert rep.file_sha256 != case.imports()[0].file_sha256
    assert len(case.records()) == 4 and case.verify_audit().ok


def test_dry_run_writes_nothing_and_previews(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD, BAD["bad_sex"][0]])
    rep = import_file(case, path, source="s1", dry_run=True)
    assert rep.dry_run and rep.import_id is None and rep.rows_rejected == 1
    assert rep.preview[0]["full_name"] == "علی رضایی"
    assert case.records() == [] and case.imports() == []


def test_blank_rows_are_skipped_not_rejected(case: Case, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, GOOD, ["", "", "", "", ""], [], GOOD])
    rep = import_file(case, path, source="s1", strict=True)
    assert (rep.rows_imported, rep.rows_rejected, rep.blank_rows) == (2, 0, 2)


@pytest.mark.parametrize("text,age", [("25", (25, 25)), ("۲۵", (25, 25)), ("٢٥", (25, 25)),
                                      ("about 25", (23, 27)), ("حدود ۲۵", (23, 27)),
                                      ("۲۵ ساله", (25, 25)), ("25?", (23, 27)), ("0", (0, 0)),
                                      ("121", None), ("25-30", (25, 30)), ("bist", None),
                                      ("", None)])
def test_parse_age(text: str, age: tuple[int, int] | None) -> None:
    # One parse_age (dadkhah.names) for import and the register: an approximate age is an
    # interval, and a range is read instead of rejected.
    assert parse_age(text) == age


@pytest.mark.parametrize("age", ["20-25", "around 25", "25?", "حدود ۲۵", "۲۰ تا ۲۵", "60+"])
def test_age_the_register_reads_is_imported_not_rejected(case: Case, tmp_path: Path,
                                                         age: str) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, ["Reza Ahmadi", "", age, "m", ""]])
    rep = import_file(case, path, source="s1", strict=True)
    assert (rep.rows_imported, rep.rows_rejected) == (1, 0)
    assert case.records()[0].fields["age"] == age  # kept as written


@pytest.mark.parametrize("age", ["twenty", "121", "25-20", "1367", "old"])
def test_age_nobody_can_read_is_rejected(case: Case, tmp_path: Path, age: str) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, ["Reza Ahmadi", "", age, "m", ""]])
    rep = import_file(case, path, source="s1")
    assert (rep.rows_imported, rep.rows_rejected) == (0, 1)
    assert rep.problems[0]["kind"] == "bad_age"


@pytest.mark.parametrize("sex", ["m", "F", "مرد", "زن", "ذ", "اناث", "girl", "Mr.", "?",
                                 "نامعلوم", "n/a", "-", "Unknown"])
def test_every_sex_word_names_reads_is_imported(case: Case, tmp_path: Path, sex: str) -> None:
    path = write_csv(tmp_path / "list.csv", [HEADER, ["Reza Ahmadi", "", "30", sex, ""]])
    rep = import_file(case, path, source="s1", strict=True)
    assert rep.rows_imported == 1


def test_problem_report_is_bounded_but_all_rows_kept(case: Case, tmp_path: Path) -> None:
    rows = [HEADER] + [["", "x", "1", "m", ""]] * 500
    rep = import_file(case, write_csv(tmp_path / "bad.csv", rows), source="s1")
    assert rep.rows_rejected == 500 and len(rep.problems) == 200
    assert len(case.rejected_rows(rep.import_id)) == 500


def test_two_concurrent_imports_of_one_file_commit_once(case: Case, tmp_path: Path,
                                                        monkeypatch) -> None:
    """K2: both imports pass the early duplicate check before either writes (a barrier holds
    them there); the check under the write lock lets only one of them commit."""
    import threading

    from dadkhah.ingest import importer

    path = write_csv(tmp_path / "race.csv", [HEADER, GOOD])
    barrier = threading.Barrier(2, timeout=20)
    real = importer.open_reader

    def open_after_both_checked(*args, **kwargs):
        barrier.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "open_reader", open_after_both_checked)
    outcomes: list[str] = []

    def run() -> None:
        with Case.open(case.location) as c:
            try:
                import_file(c, path, source="s1")
                outcomes.append("imported")
            except DuplicateImport:
                outcomes.append("duplicate")

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["duplicate", "imported"]
    assert len(case.records()) == 1 and case.verify_audit().ok


def test_a_duplicate_of_an_import_into_a_source_kept_from_the_importer_names_nothing_of_it(
        case: Case, tmp_path: Path) -> None:
    """The same file, or the same rows re-saved, already imported into a source restricted
    from the importer: still refused (it would count the list twice), but the refusal names
    neither that import, nor its source, date or file; whoever may see the source is told
    which import it was, as before."""
    from dadkhah.access import Viewer
    from dadkhah.register import restrict
    from dadkhah.users import add_user

    for u in ("alice", "bob"):
        add_user(case, u, "correct horse battery staple", role="editor", by="admin")
    case.add_source(slug="kept", title="Kept list (SYNTHETIC)", kind="ngo_list",
                    reliability="B", synthetic=True, by="tester")
    kept = case.resolve_source_id("kept")
    restrict(case, "source", kept, users=["alice"], by="admin", role="admin")
    path = write_csv(tmp_path / "secret-list-2019.csv", [HEADER, GOOD])
    import_file(case, path, source="kept", by="alice", viewer=Viewer("alice", "editor"))
    (prior,) = case.imports()
    copy, resaved = tmp_path / "bobs.csv", tmp_path / "bobs-crlf.csv"
    copy.write_bytes(path.read_bytes())
    resaved.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # with a byte-order mark
    bob, alice = Viewer("bob", "editor"), Viewer("alice", "editor")
    for again in (copy, resaved):
        with pytest.raises(DuplicateImport) as refused:
            import_file(case, again, source="s1", by="bob", viewer=bob)
        said = str(refused.value)
        assert again.name in said and "restricted from you" in said, said
        for leak in (f"import {prior.id}", f"source {kept}", "kept", prior.imported_at[:10],
                     path.name):
            assert leak not in said, (leak, said)
        with pytest.raises(DuplicateImport) as told:
            import_file(case, again, source="s1", by="alice", viewer=alice)
        assert f"import {prior.id} into source {kept}" in str(told.value)
    assert len(case.imports()) == 1 and len(case.records()) == 1


def test_the_command_line_names_no_import_kept_from_its_user(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """``dadkhah --user bob import`` of a list already imported into a source kept from bob:
    refused (exit 1) without the import's number, source or date."""
    from typer.testing import CliRunner

    from dadkhah.access import Viewer
    from dadkhah.cli import app
    from dadkhah.register import restrict
    from dadkhah.users import add_user

    for var in ("DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    path = write_csv(tmp_path / "secret-list-2019.csv", [HEADER, GOOD])
    with Case.create(loc, by="tester") as case:
        for u in ("alice", "bob"):
            add_user(case, u, "correct horse battery staple", role="editor", by="admin")
        for slug in ("open", "kept"):
            case.add_source(slug=slug, title=f"{slug} list (SYNTHETIC)", kind="ngo_list",
                            reliability="B", synthetic=True, by="tester")
        restrict(case, "source", case.resolve_source_id("kept"), users=["alice"], by="admin",
                 role="admin")
        import_file(case, path, source="kept", by="alice", viewer=Viewer("alice", "editor"))
        (prior,) = case.imports()
    out = CliRunner().invoke(app, ["-C", loc, "--user", "bob", "import", str(path),
                                   "-s", "open"])
    assert out.exit_code == 1 and "restricted from you" in out.output, out.output
    for leak in (f"import {prior.id}", f"source {prior.source_id}", prior.imported_at[:10]):
        assert leak not in out.output, (leak, out.output)
    with Case.open(loc) as case:
        assert len(case.imports()) == 1

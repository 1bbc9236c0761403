"""Tampering with a real case file (SYNTHETIC data) is detected by ``audit verify``: the
security review's T2, T4, T6, T9, T10, T13-T20 and chain truncation, each reproduced on a
fresh copy of one case built through the library (import, normalize, link, review, relink,
the example case file with evidence, publication, users, estimates, a public submission).

An attacker here has the database file and sqlite3, as in the review.  dadkhah's triggers
call ``dadkhah_tx()``, which only dadkhah's connections define, so a plain ``UPDATE`` fails;
the attacker of these tests therefore saves the triggers, drops them, edits, and puts them
back (``attack``): only the row hashes can then tell.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from dadkhah.errors import IntegrityError
from dadkhah.store import Case, integrity
from dadkhah.store.audit import canonical_json, entry_hash
from dadkhah.store.integrity_anchor import (
    CheckpointKey,
    checkpoint_case,
    read_checkpoints,
    verify_case,
)

pytestmark = pytest.mark.filterwarnings("ignore")


# -- the case under attack ----------------------------------------------------------------------
def _ok(case: Case, step: str) -> None:
    report = case.verify_audit()
    assert report.ok, f"after {step}: {report.summary()}"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed case folder that went through every kind of normal write, verify green
    after each one (the test that normal operations keep the chain intact)."""
    from dadkhah.casefile import load_example
    from dadkhah.linkage import link_case
    from dadkhah.portal import accept, publish
    from dadkhah.portal.submissions import submit, validate_submission
    from dadkhah.register import normalize_case
    from dadkhah.register.estimates import compute_estimates
    from dadkhah.register.review import record_decision, review_queue
    from dadkhah.testing import simulated_case
    from dadkhah.users.accounts import add_user, authenticate, set_role
    from dadkhah.users.sessions import start_session

    root = tmp_path_factory.mktemp("tamper")
    sc = simulated_case(root / "base", scenario="small", persons=150, seed=2)
    case = sc.case
    _ok(case, "import")
    normalize_case(case, by="editor1")
    _ok(case, "normalize")
    link_case(case, by="editor1")
    _ok(case, "link")
    pair = review_queue(case, limit=1)[0]
    record_decision(case, pair.record_l, pair.record_r, "match", by="reviewer1",
                    reason="same father, same prison")
    _ok(case, "review")
    link_case(case, by="editor1")
    _ok(case, "relink")
    load_example(case, by="editor1", role="admin")
    _ok(case, "case file example")
    with case.read() as conn:
        ids = [int(i) for i in conn.execute(text(
            "SELECT id FROM persons WHERE status = 'active' ORDER BY id LIMIT 3")).scalars()]
    publish(case, ids, by="admin1", role="admin")
    _ok(case, "publish")
    add_user(case, "reviewer1", "a long enough password", role="viewer", by="admin1")
    set_role(case, "reviewer1", "reviewer", by="admin1")
    start_session(case, authenticate(case, "reviewer1", "a long enough password"))
    _ok(case, "users and a login")
    compute_estimates(case, by="editor1")
    _ok(case, "estimates")
    form = validate_submission({"kind": "report", "full_name": "Hossein Planted (SYNTHETIC)",
                                "relation": "brother", "language": "en",
                                "contact": "family@example.org"})
    sub = submit(case, form)
    accept(case, sub.id, by="admin1", role="admin")
    _ok(case, "a public submission, accepted")
    with case.read() as conn:
        actions = [a for (a,) in conn.execute(text("SELECT action FROM audit_log"))]
    # Every write sealed its rows in its own entry: none needed an extra one.
    assert "rows.sealed" not in actions
    case.close()
    return root / "base"


@pytest.fixture
def loc(base: Path, tmp_path: Path) -> Path:
    """A fresh copy of the base case (with its evidence folder)."""
    target = tmp_path / "case"
    shutil.copytree(base, target)
    return target


@pytest.fixture(autouse=True)
def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keys and checkpoint files in a per-test folder, never the user's ~/.config."""
    monkeypatch.setenv("DADKHAH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DADKHAH_CHECKPOINT_KEY", raising=False)
    yield


def attack(loc: Path, *sql: str, params: tuple[object, ...] = ()) -> None:
    """Edit the file with sqlite3 as a knowing attacker: save the triggers, drop them, run
    ``sql``, put the triggers back."""
    db = sqlite3.connect(loc / "case.db")
    saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    with db:
        for name, _ in saved:
            db.execute(f"DROP TRIGGER {name}")
        for s in sql:
            db.execute(s, params) if params else db.execute(s)
        for _, ddl in saved:
            db.execute(ddl)
    db.close()


def verify(loc: Path, **kw: object):
    with Case.open(loc, read_only=True) as case:
        return case.verify_audit(**kw)  # type: ignore[arg-type]


def findings(report) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(r.table, r.kind, r.fields) for r in report.tampered}


def one(loc: Path, sql: str) -> int:
    db = sqlite3.connect(loc / "case.db")
    v = db.execute(sql).fetchone()[0]
    db.close()
    return int(v)


# -- the direct edits of the review -------------------------------------------------------------
def test_the_base_case_verifies(loc: Path) -> None:
    report = verify(loc)
    assert report.ok, report.summary()
    assert report.tables_checked == len(integrity.PROTECTED)
    assert report.rows_checked > 500


def test_a_plain_sqlite3_edit_is_refused(loc: Path) -> None:
    db = sqlite3.connect(loc / "case.db")
    with pytest.raises(sqlite3.OperationalError, match="dadkhah_tx"):
        db.execute("UPDATE source_records SET full_name = 'Someone Else' WHERE id = 1")
    db.close()


def test_t2_a_records_mapped_name_is_detected(loc: Path) -> None:
    rid = one(loc, "SELECT min(id) FROM source_records")
    attack(loc, "UPDATE source_records SET full_name = 'Someone Else Entirely', "
                f"father_name = 'Changed' WHERE id = {rid}")
    report = verify(loc)
    assert not report.ok
    assert ("source_records", "changed", ("full_name", "father_name")) in findings(report)
    assert f"source_records row id {rid} was altered" in report.summary()
    assert "full_name, father_name" in report.summary()


def test_t13_a_swapped_evidence_item_is_detected(loc: Path) -> None:
    """New bytes stored under their own hash, evidence.sha256/size updated: evidence verify
    is content with that; audit verify is not."""
    new = b"forged replacement document\n"
    sha = hashlib.sha256(new).hexdigest()
    store = loc / "evidence" / "sha256" / sha[:2]
    store.mkdir(parents=True, exist_ok=True)
    (store / sha[2:]).write_bytes(new)
    eid = one(loc, "SELECT min(id) FROM evidence")
    attack(loc, "UPDATE evidence SET sha256 = ?, size = ? WHERE id = ?",
           params=(sha, len(new), eid))
    report = verify(loc)
    assert not report.ok
    assert ("evidence", "changed", ("sha256", "size")) in findings(report)


def test_t14_an_allegation_raised_to_established_is_detected(loc: Path) -> None:
    attack(loc, "UPDATE allegations SET status = 'established_by_court', text = 'edited' "
                "WHERE id = (SELECT max(id) FROM allegations)")
    report = verify(loc)
    assert ("allegations", "changed", ("status", "text")) in findings(report)


def test_t15_a_death_toll_figure_is_detected(loc: Path) -> None:
    fid = one(loc, "SELECT min(id) FROM figures")
    attack(loc, f"UPDATE figures SET value_text = '50', low = 50, high = 50 WHERE id = {fid}")
    report = verify(loc)
    assert ("figures", "changed", ("value_text", "low", "high")) in findings(report)


def test_t15_a_stored_estimate_is_detected(loc: Path) -> None:
    attack(loc, "UPDATE web_estimates SET total = 50, low = 40, high = 60")
    report = verify(loc)
    changed = [r for r in report.tampered if r.table == "web_estimates"]
    assert changed and all(r.fields == ("total", "low", "high") for r in changed)


def test_t16_a_forged_decision_is_detected(loc: Path) -> None:
    attack(loc, "INSERT INTO decisions (record_l, record_r, decision, reviewer, reason, at, "
                "origin) VALUES (1, 2, 'match', 'admin1', 'forged decision', "
                "'2026-01-01T00:00:00+00:00', 'review')")
    report = verify(loc)
    assert ("decisions", "added", ()) in findings(report)


def test_t17_t18_t19_register_evidence_and_publication(loc: Path) -> None:
    pid = one(loc, "SELECT min(id) FROM persons")
    unpublished = one(loc, "SELECT max(id) FROM persons WHERE id NOT IN "
                           "(SELECT person_id FROM published_persons)")
    attack(loc, f"UPDATE persons SET name_latin = 'Renamed Person' WHERE id = {pid}",
           "UPDATE evidence SET acquired_from = 'the prosecutor himself'",
           "INSERT INTO published_persons (person_id, published_at, published_by) "
           f"VALUES ({unpublished}, '2026-01-01T00:00:00+00:00', 'admin1')")
    f = findings(verify(loc))
    assert ("persons", "changed", ("name_latin",)) in f
    assert ("evidence", "changed", ("acquired_from",)) in f
    assert ("published_persons", "added", ()) in f


def test_t9_t10_rejected_rows(loc: Path, tmp_path: Path) -> None:
    from dadkhah.ingest import import_file
    from tests.conftest import write_csv

    with Case.open(loc) as case:
        import_file(case, write_csv(tmp_path / "r.csv", [
            ["name", "age"], ["Ali Planted", "30"], ["Reza Planted", "not an age at all"]]),
            source=case.sources()[0].slug, by="editor1")
        _ok(case, "an import with a rejected row")
    n = one(loc, "SELECT count(*) FROM rejected_rows")
    if n == 0:
        pytest.skip("this import rejected no row")
    attack(loc, "UPDATE rejected_rows SET raw = '[\"Tampered\",\"abc\"]' "
                "WHERE id = (SELECT min(id) FROM rejected_rows)")
    assert ("rejected_rows", "changed", ("raw",)) in findings(verify(loc))


def test_a_deleted_row_is_named(loc: Path) -> None:
    fid = one(loc, "SELECT max(id) FROM figures")
    attack(loc, f"DELETE FROM citations WHERE claim_kind = 'figure' AND claim_id = {fid}",
           f"DELETE FROM figures WHERE id = {fid}")
    report = verify(loc)
    assert ("figures", "missing", ()) in findings(report)
    assert f"figures row id {fid} was deleted" in report.summary()


def _changed(value: object, col: object) -> object:
    from sqlalchemy import Boolean, Float, Integer

    t = getattr(col, "type", None)
    if isinstance(t, Boolean):
        return 0 if value else 1
    if value is None:
        return 7 if isinstance(t, Integer | Float) else "x"
    if isinstance(value, bool | int):
        return value + 1
    if isinstance(value, float):
        return value + 0.5
    return f"{value}x"


def test_every_protected_table_with_rows_names_the_changed_column(loc: Path,
                                                                  tmp_path: Path) -> None:
    """One column of one row of each protected table, each on a fresh copy: every one is
    named with its table, row and column."""
    db = sqlite3.connect(loc / "case.db")
    exercised = []
    for name, spec in integrity.PROTECTED.items():
        col = next((c for c in reversed(spec.columns) if c not in spec.keys), spec.keys[-1])
        row = db.execute(f"SELECT {', '.join(spec.keys)}, \"{col}\" FROM {name} "
                         f"ORDER BY {', '.join(spec.keys)} LIMIT 1").fetchone()
        if row is None:
            continue
        copy = tmp_path / f"t-{name}"
        shutil.copytree(loc, copy)
        where = " AND ".join(f"{k} = {v}" for k, v in zip(spec.keys, row, strict=False))
        new = _changed(row[-1], spec.table.c[col])
        attack(copy, f"UPDATE {name} SET \"{col}\" = ? WHERE {where}", params=(new,))
        report = verify(copy)
        if col in spec.keys:  # a row of keys only: the old row is gone, a new one is there
            assert {(name, "missing", ()), (name, "added", ())} <= findings(report), name
        else:
            assert (name, "changed", (col,)) in findings(report), (name, report.summary())
        exercised.append(name)
        shutil.rmtree(copy)
    db.close()
    # The base case fills nearly every table the review named.
    assert {"source_records", "persons", "person_records", "decisions", "evidence",
            "allegations", "figures", "events", "actors", "roles", "citations", "sources",
            "published_persons", "web_estimates", "users", "portal_submissions",
            "portal_submission_contacts"} <= set(exercised)


def test_dropped_triggers_are_reported(loc: Path) -> None:
    db = sqlite3.connect(loc / "case.db")
    with db:
        db.execute("DROP TRIGGER rowhash_figures_upd")
    db.close()
    report = verify(loc)
    assert not report.ok and "triggers are missing on figures" in report.problem


def test_an_edit_noted_by_a_foreign_connection_is_never_sealed(loc: Path) -> None:
    """An attacker who defines dadkhah_tx() themselves gets their edit noted, but a later
    dadkhah write does not seal it (another transaction's token): still detected."""
    db = sqlite3.connect(loc / "case.db")
    db.create_function("dadkhah_tx", 0, lambda: "attacker")
    with db:
        db.execute("UPDATE persons SET name_latin = 'Renamed' WHERE id = "
                   "(SELECT min(id) FROM persons)")
    db.close()
    with Case.open(loc) as case:
        case.add_source(slug="later", title="A later, honest write", kind="other", by="t")
    report = verify(loc)
    assert ("persons", "changed", ("name_latin",)) in findings(report)
    assert "outside a dadkhah write" in report.summary()


# -- truncation and rewriting: checkpoints --------------------------------------------------------
def _export_evidence(loc: Path, tmp_path: Path) -> None:
    from dadkhah.casefile import export_evidence, read_evidence

    with Case.open(loc) as case:
        read_evidence(case, 1, by="admin1", role="admin", purpose="witness identity check")
        export_evidence(case, 1, tmp_path / "out", by="admin1", role="admin",
                        recipient="journalist X")


def test_t6_tail_truncation_needs_a_checkpoint(loc: Path, tmp_path: Path) -> None:
    _export_evidence(loc, tmp_path)
    with Case.open(loc, read_only=True) as case:
        cp, path, created = checkpoint_case(case)
    assert created and path.exists()
    n = one(loc, "SELECT max(id) FROM audit_log")
    assert cp.entries == n
    db = sqlite3.connect(loc / "case.db")
    with db:
        db.execute(f"DELETE FROM audit_log WHERE id > {n - 2}")
    db.close()
    # The chain alone cannot tell (these entries sealed no rows) …
    assert verify(loc).ok
    # … the checkpoint can, and verify finds it on its own (the default file).
    with Case.open(loc, read_only=True) as case:
        report = verify_case(case)
    assert not report.ok
    assert f"the checkpoint of {cp.at} covers {n}" in report.problem
    assert f"entries {n - 1}–{n}" in report.problem


def test_t20_dropping_the_last_import_is_detected(loc: Path, tmp_path: Path) -> None:
    from dadkhah.ingest import import_file
    from tests.conftest import write_csv

    with Case.open(loc) as case:
        import_file(case, write_csv(tmp_path / "last.csv", [["name"], ["Last Import One"],
                                                            ["Last Import Two"]]),
                    source=case.sources()[0].slug, by="editor1")
        checkpoint_case(case)
    imp = one(loc, "SELECT max(id) FROM imports")
    entry = one(loc, f"SELECT id FROM audit_log WHERE target = 'import:{imp}'")
    drop = (f"DELETE FROM source_records WHERE import_id = {imp}",
            f"DELETE FROM rejected_rows WHERE import_id = {imp}",
            f"DELETE FROM imports WHERE id = {imp}",
            f"DELETE FROM audit_log WHERE id >= {entry}")
    naive = tmp_path / "naive"
    shutil.copytree(loc, naive)
    attack(naive, *drop)
    # An attacker who does not know the row-hash log is caught without a checkpoint.
    report = verify(naive)
    assert not report.ok and "entries at the end of the chain were removed" in report.summary()
    # One who also cuts the log and the cache is caught by the checkpoint only.
    attack(loc, *drop, f"DELETE FROM row_hash_log WHERE entry_id >= {entry}",
           f"DELETE FROM row_hashes WHERE entry_id >= {entry}")
    assert verify(loc).ok
    with Case.open(loc, read_only=True) as case:
        report = verify_case(case)
    assert not report.ok and "were removed" in report.problem


def _rewrite_chain(loc: Path, from_entry: int) -> None:
    """What a forger with dadkhah's own code does: recompute the row-hash log digest of
    every entry from ``from_entry`` and every entry hash after it."""
    db = sqlite3.connect(loc / "case.db")
    db.row_factory = sqlite3.Row
    saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    with db:
        for t in saved:
            db.execute(f"DROP TRIGGER {t['name']}")
        prev = db.execute("SELECT entry_hash FROM audit_log WHERE id = ?",
                          (from_entry - 1,)).fetchone()[0]
        for e in db.execute("SELECT * FROM audit_log WHERE id >= ? ORDER BY id",
                            (from_entry,)).fetchall():
            details = json.loads(e["details"])
            if "rows_sealed" in details:
                d = integrity.LogDigest()
                for r in db.execute("SELECT tbl, k1, k2, row_hash FROM row_hash_log "
                                    "WHERE entry_id = ? ORDER BY id", (e["id"],)):
                    d.add(r["tbl"], r["k1"], r["k2"], r["row_hash"])
                details["rows_sealed"]["digest"] = d.hexdigest()
            det = canonical_json(details)
            h = entry_hash(e["id"], e["at"], e["actor"], e["action"], e["target"], det, prev)
            db.execute("UPDATE audit_log SET details = ?, prev_hash = ?, entry_hash = ? "
                       "WHERE id = ?", (det, prev, h, e["id"]))
            prev = h
        for t in saved:
            db.execute(t["sql"])
    db.close()


def test_t4_a_recomputed_chain_is_caught_by_the_checkpoint(loc: Path) -> None:
    with Case.open(loc, read_only=True) as case:
        cp, _, _ = checkpoint_case(case)
    # Rename a person and make the log, the cache and every later entry agree with it.
    with Case.open(loc, read_only=True) as case, case.read() as conn:
        spec = integrity.PROTECTED["persons"]
        pid = conn.execute(text("SELECT min(id) FROM persons")).scalar_one()
        sealed_by = conn.execute(text(
            "SELECT max(entry_id) FROM row_hash_log WHERE tbl = 'persons' AND k1 = :p"),
            {"p": pid}).scalar_one()
    attack(loc, f"UPDATE persons SET name_latin = 'Renamed Person' WHERE id = {pid}")
    with Case.open(loc, read_only=True) as case, case.read() as conn:
        row = conn.execute(spec.table.select().where(spec.table.c.id == pid)).one()
        new_hash = integrity.row_hash(spec, row)
    attack(loc, "UPDATE row_hash_log SET row_hash = ? WHERE tbl = 'persons' AND k1 = ? "
                "AND entry_id = ?", params=(new_hash, pid, sealed_by))
    attack(loc, "UPDATE row_hashes SET row_hash = ? WHERE tbl = 'persons' AND k1 = ?",
           params=(new_hash, pid))
    _rewrite_chain(loc, sealed_by)
    assert verify(loc).ok  # the forgery is complete: the chain alone cannot tell
    with Case.open(loc, read_only=True) as case:
        report = verify_case(case)
    assert not report.ok
    assert f"audit entry {cp.entries} is not the one checkpointed" in report.problem


def test_a_checkpoint_is_extended_by_later_writes(loc: Path) -> None:
    with Case.open(loc) as case:
        checkpoint_case(case)
        case.add_source(slug="after", title="Added after the checkpoint", kind="other", by="t")
        checkpoint_case(case)
        report = verify_case(case)
    assert report.ok and report.anchors_checked == 2, report.summary()


def test_a_forged_or_foreign_checkpoint_is_refused(loc: Path, tmp_path: Path) -> None:
    with Case.open(loc, read_only=True) as case:
        cp, path, _ = checkpoint_case(case)
    # Edited line: the signature no longer matches.
    forged = tmp_path / "forged.jsonl"
    d = json.loads(path.read_text())
    d["entries"] = cp.entries - 3
    forged.write_text(json.dumps(d) + "\n")
    with pytest.raises(IntegrityError, match="signature does not match"):
        read_checkpoints(forged)
    # Re-signed with the forger's own key: refused against the case owner's key.
    other = CheckpointKey.create(tmp_path / "other.pem")
    with Case.open(loc, read_only=True) as case:
        _, theirs, _ = checkpoint_case(case, key_file=tmp_path / "other.pem",
                                       out=tmp_path / "theirs.jsonl")
        with pytest.raises(IntegrityError, match="not by the checkpoint key"):
            verify_case(case, [theirs])  # the default key is the owner's
    assert other.fingerprint in theirs.read_text()
    # A public key is enough to verify.
    owner_pub = Path(str(tmp_path / "config" / "checkpoint-ed25519.pem") + ".pub")
    with Case.open(loc, read_only=True) as case:
        assert verify_case(case, [path], key_file=owner_pub).ok


# -- the upgrade of an existing case -----------------------------------------------------------
def test_upgrade_to_0010_hashes_existing_rows_and_audits_it(loc: Path) -> None:
    from dadkhah.store._engine import head_revision
    from tests.conftest import downgrade

    with Case.open(loc) as case:
        # 0016 refuses to downgrade while a source is recorded as copying another
        for c in case.source_copies():
            case.remove_source_copy(c.source, by="admin1")
        rows = verify(loc).rows_checked
        downgrade(case, "0009")
    # A case as it was before row hashes: an edit now is one the upgrade cannot know of.
    upgraded = Case.upgrade(loc, by="admin1")
    assert upgraded.schema_revision() == head_revision()
    with upgraded.read() as conn:
        last = conn.execute(text("SELECT action, actor, details FROM audit_log "
                                 "ORDER BY id DESC LIMIT 1")).one()
    upgraded.close()
    assert last.action == "upgrade" and last.actor == "admin1"
    assert json.loads(last.details)["rows_sealed"]["count"] == rows
    report = verify(loc)
    assert report.ok, report.summary()
    attack(loc, "UPDATE figures SET value_text = '50' WHERE id = (SELECT min(id) FROM figures)")
    assert ("figures", "changed", ("value_text",)) in findings(verify(loc))


# -- the command line ---------------------------------------------------------------------------
def test_cli_checkpoint_and_verify(loc: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    run = CliRunner()
    cpf = tmp_path / "anchors.jsonl"
    key = tmp_path / "keys" / "cp.pem"
    res = run.invoke(app, ["--case", str(loc), "audit", "checkpoint", "--key-file", str(key),
                           "--out", str(cpf), "--tsq", str(tmp_path / "cp.tsq")])
    assert res.exit_code == 0, res.output
    assert "Created a checkpoint key" in res.output and key.exists()
    assert (key.stat().st_mode & 0o777) == 0o600
    assert (tmp_path / "cp.tsq").read_bytes()[:1] == b"\x30"
    res = run.invoke(app, ["--case", str(loc), "audit", "verify", "--checkpoint", str(cpf),
                           "--key-file", str(key)])
    assert res.exit_code == 0, res.output
    assert "Checked against 1 checkpoint(s)" in res.output
    db = sqlite3.connect(loc / "case.db")
    with db:
        db.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    db.close()
    res = run.invoke(app, ["--case", str(loc), "audit", "verify", "--checkpoint", str(cpf),
                           "--key-file", str(key), "--json"])
    assert res.exit_code == 2
    assert json.loads(res.output)["ok"] is False


# -- RFC 3161: a local time-stamping authority (openssl ts) ------------------------------------
def _local_tsa(folder: Path) -> tuple[Path, Path, Path, Path]:
    """A throw-away CA and TSA certificate and an `openssl ts` configuration."""
    import subprocess

    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=dadkhah test root", "-days", "2",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")
    ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=dadkhah test TSA")
    (folder / "ext.cnf").write_text("extendedKeyUsage=critical,timeStamping\n"
                                    "keyUsage=critical,digitalSignature\n")
    ssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf")
    (folder / "ts.cnf").write_text(
        "[ tsa ]\ndefault_tsa = tsa1\n[ tsa1 ]\nserial = ./tsaserial\n"
        "crypto_device = builtin\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n"
        "digests = sha256\naccuracy = secs:1\nordering = yes\ntsa_name = yes\n"
        "ess_cert_id_chain = no\ness_cert_id_alg = sha256\n")
    (folder / "tsaserial").write_text("01\n")
    return folder / "ca.pem", folder / "tsa.pem", folder / "tsa.key", folder / "ts.cnf"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl program")
def test_rfc3161_timestamp_of_a_checkpoint(loc: Path, tmp_path: Path) -> None:
    import subprocess
    from dataclasses import replace

    from dadkhah.store.integrity_anchor import timestamp_request, verify_timestamp

    tsa = tmp_path / "tsa"
    tsa.mkdir()
    ca, cert, key, cnf = _local_tsa(tsa)
    with Case.open(loc, read_only=True) as case:
        cp, _, _ = checkpoint_case(case)
    tsq = tmp_path / "cp.tsq"
    tsq.write_bytes(timestamp_request(cp))
    shown = subprocess.run(["openssl", "ts", "-query", "-in", str(tsq), "-text"],
                           capture_output=True, text=True, check=True).stdout
    assert "sha256" in shown and "Certificate required: yes" in shown
    tsr = tmp_path / "cp.tsr"
    subprocess.run(["openssl", "ts", "-reply", "-config", str(cnf), "-queryfile", str(tsq),
                    "-signer", str(cert), "-inkey", str(key), "-out", str(tsr)],
                   cwd=tsa, check=True, capture_output=True)
    good = verify_timestamp(cp, tsr, ca_file=ca)
    assert good.ok, good.detail
    # The reply covers this checkpoint only: one line changed, and it no longer verifies.
    other = replace(cp, entries=cp.entries + 1)
    assert not verify_timestamp(other, tsr, ca_file=ca).ok


# -- the same on both databases (PostgreSQL when scripts/test started one) ---------------------
def _raw_sql(case: Case, *sql: str) -> None:
    """Edit with the database's own client, outside dadkhah (sqlite3 / psycopg)."""
    if case.is_server:
        import psycopg
        from sqlalchemy.engine import make_url

        dsn = make_url(case.location).set(drivername="postgresql").render_as_string(
            hide_password=False)
        with psycopg.connect(dsn) as conn:  # one transaction, committed on exit
            for s in sql:
                conn.execute(s)  # type: ignore[arg-type]
    else:
        db = sqlite3.connect(Path(case.location) / "case.db")
        db.create_function("dadkhah_tx", 0, lambda: "outside")
        with db:
            for s in sql:
                db.execute(s)
        db.close()


def test_both_databases_detect_direct_edits(case_location: str, tmp_path: Path) -> None:
    from dadkhah.casefile import load_example
    from dadkhah.ingest import import_file
    from dadkhah.register import normalize_case
    from tests.conftest import write_csv

    case = Case.create(case_location, by="tester")
    case.add_source(slug="s1", title="Test list (SYNTHETIC)", kind="ngo_list", synthetic=True,
                    by="tester")
    import_file(case, write_csv(tmp_path / "a.csv", [["name", "father"], ["Ali Rezaei", "Hasan"],
                                                     ["Maryam Ahmadi", "Reza"]]),
                source="s1", by="tester")
    normalize_case(case, by="tester")
    load_example(case, by="tester", role="admin", evidence_dir=tmp_path / "evidence")
    _ok(case, "import, normalize, the example case file")
    try:
        _raw_sql(case, "UPDATE figures SET value_text = '50', low = 50, high = 50 "
                       "WHERE id = (SELECT min(id) FROM figures)",
                 "UPDATE source_records SET full_name = 'Someone Else' "
                 "WHERE id = (SELECT min(id) FROM source_records)")
        # A later honest write does not seal the edit (another transaction's token).
        case.add_source(slug="later", title="Later", kind="other", by="tester")
        report = case.verify_audit()
        f = findings(report)
        assert ("figures", "changed", ("value_text", "low", "high")) in f
        assert ("source_records", "changed", ("full_name",)) in f
        assert "outside a dadkhah write" in report.summary()
        # Tail truncation against a checkpoint.
        cp, _, _ = checkpoint_case(case)
        _raw_sql(case, f"DELETE FROM audit_log WHERE id = {cp.entries}")
        report = verify_case(case)
        assert not report.ok and "were removed" in report.problem
    finally:
        case.close()


def test_a_write_without_an_audit_entry_gets_one(loc: Path) -> None:
    """Library code that changes a protected row and forgets its entry (or writes after
    it) does not leave the change unsealed: the commit appends ``rows.sealed``."""
    from dadkhah.store.audit import append

    with Case.open(loc) as case:
        with case.write() as conn:
            append(conn, by="editor1", action="note", target="case", details={})
            conn.execute(text("UPDATE figures SET notes = 'after the entry' "
                              "WHERE id = (SELECT min(id) FROM figures)"))
        with case.write() as conn:  # a login-like write: excluded columns only
            conn.execute(text("UPDATE users SET last_login_at = 'now', language = 'fa'"))
        with case.read() as conn:
            last = conn.execute(text("SELECT action, actor, details FROM audit_log "
                                     "ORDER BY id DESC LIMIT 2")).all()
    assert [r.action for r in last] == ["rows.sealed", "note"]
    assert last[0].actor == "editor1"
    assert json.loads(last[0].details)["rows_sealed"]["tables"] == {"figures": 1}
    assert verify(loc).ok

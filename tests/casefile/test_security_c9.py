"""Review finding C9 (reviews/security-review.md): a crafted case file with a forged
testimony row — garbage ciphertext, the case's (public) key fingerprint, ``created_by`` and
``created_at`` chosen by the file — was imported, and ``testimony rekey`` then failed for the
whole case with a raw base64 error."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.errors import ConfigError, IntegrityError, InvalidInput
from dadkhah.store import Case
from dadkhah.store.tables import Testimony as TestimonyRow

WITNESS = "Parvaneh Synthetic-Witness"  # SYNTHETIC: not a real person


def _case_with_testimony(location: Path, key: cf.TestimonyKey) -> Case:
    case = Case.create(str(location), by="tester")
    cf.add_testimony(case, pseudonym="witness-1", identity=WITNESS, summary="SYNTHETIC",
                     key=key, by="tester", role="editor")
    return case


def _forged_zip(tmp_path: Path, key: cf.TestimonyKey, protected: str) -> Path:
    """F-forged-testimony.zip of the review: an exported case file plus one forged row."""
    with Case.create(str(tmp_path / "exporter"), by="t") as src:
        cf.export_casefile(src, tmp_path / "export", by="t", role="editor")
    manifest = tmp_path / "export" / "casefile.json"
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["testimonies"] = [{"pseudonym": "w-forged", "protected": protected,
                           "key_fingerprint": key.fingerprint, "created_by": "admin1",
                           "created_at": "2020-01-01T00:00:00+00:00"}]
    manifest.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "F-forged-testimony.zip"
    with zipfile.ZipFile(out, "w") as z:
        for p in sorted((tmp_path / "export").rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(tmp_path / "export").as_posix())
    return out


def _rows(case: Case) -> list[tuple[str, str]]:
    with case.read() as conn:
        return [tuple(r) for r in conn.execute(  # type: ignore[misc]
            TestimonyRow.__table__.select().with_only_columns(
                TestimonyRow.pseudonym, TestimonyRow.protected).order_by(TestimonyRow.id))]


def test_c9_garbage_ciphertext_is_refused_naming_the_row(tmp_path: Path) -> None:
    key = cf.TestimonyKey.generate()
    forged = _forged_zip(tmp_path, key, "this is *not* base64 ciphertext!!")
    with _case_with_testimony(tmp_path / "case", key) as case:
        before = _rows(case)
        with pytest.raises(IntegrityError, match=r"testimonies\[0\] \(w-forged\).*not base64"):
            cf.import_casefile(case, forged, by="t", role="editor")
        assert _rows(case) == before  # nothing imported
        assert case.verify_audit().ok


def test_c9_a_forged_row_of_the_right_form_is_refused_given_the_key(tmp_path: Path) -> None:
    key = cf.TestimonyKey.generate()
    # base64 of random bytes: the right form, but not encrypted with the case's key
    garbage = base64.b64encode(os.urandom(80)).decode()
    forged = _forged_zip(tmp_path, key, garbage)
    with _case_with_testimony(tmp_path / "case", key) as case:
        before = _rows(case)
        with pytest.raises(IntegrityError, match=r"w-forged.*does not decrypt"):
            cf.import_casefile(case, forged, by="t", role="editor", testimony_key=key)
        assert _rows(case) == before


def test_c9_a_stamp_from_the_future_or_with_controls_is_refused(tmp_path: Path) -> None:
    key = cf.TestimonyKey.generate()
    blob = key.encrypt({"identity": WITNESS, "contact": None}, "w-forged")
    forged = _forged_zip(tmp_path, key, blob)
    manifest_doc = None
    with zipfile.ZipFile(forged) as z:
        manifest_doc = json.loads(z.read("casefile.json"))
    for field, value, message in (("created_at", "2999-01-01T00:00:00", "in the future"),
                                  ("created_at", "yesterday", "not an ISO 8601"),
                                  ("created_by", "admin\u202e1", "not a user name")):
        doc = json.loads(json.dumps(manifest_doc))
        doc["testimonies"][0][field] = value
        folder = tmp_path / f"bad-{field}-{message[:6]}"
        folder.mkdir()
        (folder / "casefile.json").write_text(json.dumps(doc), encoding="utf-8")
        with Case.create(str(folder / "case"), by="t") as case:
            with pytest.raises(InvalidInput, match=message):
                cf.import_casefile(case, folder, by="t", role="editor")
            assert _rows(case) == []


def test_c9_a_well_formed_row_without_the_key_is_refused(tmp_path: Path) -> None:
    """The review's reproduction: ciphertext of the right form, the case's (public) key
    fingerprint, no key given.  It used to be imported and then stop every re-key."""
    key, new_key = cf.TestimonyKey.generate(), cf.TestimonyKey.generate()
    forged = _forged_zip(tmp_path, key, base64.b64encode(os.urandom(80)).decode())
    with _case_with_testimony(tmp_path / "case", key) as case:
        before = _rows(case)
        with pytest.raises(ConfigError, match=r"testimonies\[0\] \(w-forged\).*only be "
                                              r"imported with the key"):
            cf.import_casefile(case, forged, by="t", role="editor")
        assert _rows(case) == before
        # key rotation still works
        cf.rekey_testimonies(case, old_key=key, new_key=new_key, by="t", role="admin")
        assert cf.reveal_testimony(case, "witness-1", key=new_key, by="t",
                                   role="admin").identity == WITNESS
        assert case.verify_audit().ok


def test_c9_a_real_testimony_imports_with_its_key(tmp_path: Path) -> None:
    key = cf.TestimonyKey.generate()
    with _case_with_testimony(tmp_path / "src", key) as src:
        cf.export_casefile(src, tmp_path / "export", by="t", role="editor")
    with Case.create(str(tmp_path / "dst"), by="t") as dst:
        rep = cf.import_casefile(dst, tmp_path / "export", by="t", role="editor",
                                 testimony_key=key)
        assert rep.counts.get("testimonies") == 1, rep.summary()
        assert cf.reveal_testimony(dst, "witness-1", key=key, by="t",
                                   role="admin").identity == WITNESS


def test_c9_rekey_names_the_bad_row_and_changes_nothing(tmp_path: Path) -> None:
    """A forged row that reached the case anyway (an import by an older version, or a direct
    write) is named by key rotation, which changes nothing."""
    from sqlalchemy import insert

    key, new_key = cf.TestimonyKey.generate(), cf.TestimonyKey.generate()
    garbage = base64.b64encode(os.urandom(80)).decode()
    with _case_with_testimony(tmp_path / "case", key) as case:
        with case.write() as conn:
            conn.execute(insert(TestimonyRow).values(
                pseudonym="w-forged", protected=garbage, key_fingerprint=key.fingerprint,
                created_by="admin1", created_at="2020-01-01T00:00:00+00:00"))
        before = _rows(case)
        assert [p for p, _ in before] == ["witness-1", "w-forged"]
        with pytest.raises(IntegrityError) as exc:
            cf.rekey_testimonies(case, old_key=key, new_key=new_key, by="t", role="admin")
        assert "1 of 2 testimony row(s)" in exc.value.message
        assert "'w-forged'" in exc.value.message and "'witness-1'" not in exc.value.message
        assert "Nothing was changed" in (exc.value.hint or "")
        assert _rows(case) == before
        assert cf.reveal_testimony(case, "witness-1", key=key, by="t",
                                   role="admin").identity == WITNESS
        assert case.verify_audit().ok


def test_c9_cli_refuses_the_forged_file_in_one_line(tmp_path: Path) -> None:
    key = cf.TestimonyKey.generate()
    forged = _forged_zip(tmp_path, key, "AAAA")  # base64, but far too short to be ciphertext
    _case_with_testimony(tmp_path / "case", key).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    env.pop("DADKHAH_KEY", None)
    env.pop("DADKHAH_KEY_FILE", None)
    r = subprocess.run([str(Path(sys.executable).with_name("dadkhah")), "--case",
                        str(tmp_path / "case"), "casefile", "import", str(forged)],
                       capture_output=True, text=True, env=env, timeout=120)
    out = r.stdout + r.stderr
    assert r.returncode != 0 and "w-forged" in out and "shorter than" in out, out
    assert "Traceback" not in out and "binascii" not in out, out

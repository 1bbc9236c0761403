"""Protected testimony: encrypted at rest, wrong key, rotation, access by role."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.errors import AccessDenied, ConfigError, IntegrityError
from dadkhah.store import Case

WITNESS = "Parvaneh Synthetic-Witness"  # SYNTHETIC: not a real person
WITNESS_FA = "پروانه شاهدِ ساختگی"
CONTACT = "+00 555 0100 (SYNTHETIC)"


def _add(case: Case, key: cf.TestimonyKey, n: int = 2) -> None:
    for i in range(n):
        cf.add_testimony(case, pseudonym=f"witness-{i + 1}",
                         identity=f"{WITNESS} {i}" if i else WITNESS_FA + " / " + WITNESS,
                         contact=CONTACT, summary="Saw prisoners taken away (SYNTHETIC).",
                         consent="UN mechanisms only", key=key, by="tester", role="editor")


def _case_bytes(case: Case) -> bytes:
    # The database and its write-ahead log: a committed row may still sit in the WAL.
    folder = Path(case.location)
    return b"".join(p.read_bytes() for p in sorted(folder.glob("case.db*")))


def test_identity_is_not_in_the_sqlite_file(tmp_path: Path) -> None:
    case = Case.create(str(tmp_path / "c"), by="tester")
    key = cf.TestimonyKey.generate()
    _add(case, key)
    raw = _case_bytes(case)
    assert b"witness-1" in raw  # the pseudonym is plain, so the grep itself works
    for secret in (WITNESS, WITNESS_FA, CONTACT, "Synthetic-Witness"):
        assert secret.encode("utf-8") not in raw
    assert key.to_base64().encode() not in raw and key.key not in raw
    assert cf.reveal_testimony(case, "witness-1", key=key, by="t",
                               role="editor").identity == WITNESS_FA + " / " + WITNESS
    case.close()


def test_wrong_key_is_a_clear_error_and_loses_nothing(cf_case: Case) -> None:
    key, wrong = cf.TestimonyKey.generate(), cf.TestimonyKey.generate()
    _add(cf_case, key)
    with pytest.raises(ConfigError, match="Wrong testimony key") as exc:
        cf.reveal_testimony(cf_case, "witness-2", key=wrong, by="t", role="admin")
    assert "key file" in exc.value.hint
    with pytest.raises(ConfigError, match="Wrong testimony key"):
        cf.add_testimony(cf_case, pseudonym="witness-9", identity="x", key=wrong, by="t",
                         role="admin")
    with pytest.raises(ConfigError, match="Wrong testimony key"):
        cf.rekey_testimonies(cf_case, old_key=wrong, new_key=cf.TestimonyKey.generate(),
                             by="t", role="admin")
    assert [t.pseudonym for t in cf.list_testimonies(cf_case)] == ["witness-1", "witness-2"]
    assert {t.key_fingerprint for t in cf.list_testimonies(cf_case)} == {key.fingerprint}
    got = cf.reveal_testimony(cf_case, "witness-2", key=key, by="t", role="admin")
    assert (got.identity, got.contact) == (f"{WITNESS} 1", CONTACT)
    assert WITNESS not in repr(got) and key.to_base64() not in repr(key)


def test_rekey_reencrypts_every_row_without_loss(cf_case: Case) -> None:
    old, new = cf.TestimonyKey.generate(), cf.TestimonyKey.generate()
    _add(cf_case, old, n=3)
    before = {t.pseudonym: cf.reveal_testimony(cf_case, t.id, key=old, by="t",
                                               role="admin").to_dict()
              for t in cf.list_testimonies(cf_case)}
    rep = cf.rekey_testimonies(cf_case, old_key=old, new_key=new, by="keeper", role="admin")
    assert rep.rows == 3 and rep.new_fingerprint == new.fingerprint
    after = {t.pseudonym: cf.reveal_testimony(cf_case, t.id, key=new, by="t",
                                              role="admin").to_dict()
             for t in cf.list_testimonies(cf_case)}
    assert after == before
    with pytest.raises(ConfigError, match="Wrong testimony key"):
        cf.reveal_testimony(cf_case, "witness-1", key=old, by="t", role="admin")
    assert cf_case.verify_audit().ok


def test_roles_without_permission_are_refused(cf_case: Case) -> None:
    key = cf.TestimonyKey.generate()
    _add(cf_case, key, n=1)
    for role in ("viewer", "reviewer", None, "public"):
        with pytest.raises(AccessDenied, match="protected read"):
            cf.reveal_testimony(cf_case, "witness-1", key=key, by="v", role=role)
    for role in ("editor", "reviewer", "viewer"):
        with pytest.raises(AccessDenied, match="keys manage"):
            cf.rekey_testimonies(cf_case, old_key=key, new_key=cf.TestimonyKey.generate(),
                                 by="v", role=role)
    with pytest.raises(AccessDenied):
        cf.add_testimony(cf_case, pseudonym="w-x", identity="x", key=key, by="v",
                         role="viewer")
    # A reader without the permission still sees the pseudonymised record.
    assert cf.list_testimonies(cf_case)[0].summary_text.startswith("Saw prisoners")


def test_a_damaged_row_is_an_integrity_error(cf_case: Case) -> None:
    from dadkhah.store.tables import Testimony

    key = cf.TestimonyKey.generate()
    _add(cf_case, key)
    t = Testimony.__table__
    with cf_case.write() as conn:  # swap two rows' ciphertexts behind the API
        a, b = conn.execute(t.select().order_by(t.c.id)).all()
        conn.execute(t.update().where(t.c.id == a.id).values(protected=b.protected))
    with pytest.raises(IntegrityError, match="altered or damaged"):
        cf.reveal_testimony(cf_case, a.id, key=key, by="t", role="admin")
    assert cf.reveal_testimony(cf_case, b.id, key=key, by="t", role="admin").identity


def test_losing_the_key_leaves_the_rest_of_the_case_usable(example_case: Case,
                                                           tmp_path: Path) -> None:
    _add(example_case, cf.TestimonyKey.generate())  # ... and the key is now lost
    assert len(cf.list_testimonies(example_case)) == 2
    assert "Ebrahim Raisi" in cf.render_dossier(example_case, "raisi")
    cf.export_casefile(example_case, tmp_path / "x", by="t", role="admin")
    # Its export cannot be imported elsewhere without the key (review C9: every testimony
    # row is decrypted before it enters a case), and the refusal says so and writes nothing.
    with Case.create(str(tmp_path / "copy"), by="t") as copy:
        with pytest.raises(ConfigError, match="key it was encrypted with") as exc:
            cf.import_casefile(copy, tmp_path / "x", by="t")
        assert "--key-file" in exc.value.hint
        assert cf.list_testimonies(copy) == [] and cf.list_actors(copy) == []
    assert cf.verify_evidence(example_case, by="t").ok and example_case.verify_audit().ok


def test_keys_from_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DADKHAH_KEY_FILE", raising=False)
    monkeypatch.delenv("DADKHAH_KEY", raising=False)
    with pytest.raises(ConfigError, match="No testimony key") as exc:
        cf.load_key()
    assert "keygen" in exc.value.hint
    key = cf.write_key_file(tmp_path / "k")
    assert (tmp_path / "k").stat().st_mode & 0o077 == 0
    assert cf.load_key(tmp_path / "k").fingerprint == key.fingerprint
    with pytest.raises(ConfigError, match="already exists"):
        cf.write_key_file(tmp_path / "k")
    monkeypatch.setenv("DADKHAH_KEY_FILE", str(tmp_path / "k"))
    assert cf.load_key().fingerprint == key.fingerprint
    monkeypatch.delenv("DADKHAH_KEY_FILE")
    monkeypatch.setenv("DADKHAH_KEY", key.to_base64())
    assert cf.load_key().fingerprint == key.fingerprint
    monkeypatch.setenv("DADKHAH_KEY", base64.b64encode(b"short").decode())
    with pytest.raises(ConfigError, match="32 bytes"):
        cf.load_key()
    monkeypatch.setenv("DADKHAH_KEY", "not base64!")
    with pytest.raises(ConfigError, match="not base64"):
        cf.load_key()

"""dadkhah.users two-factor login without the web stack: TOTP with replay protection,
recovery codes hashed and single-use, secrets encrypted with the case key, resets audited,
tamper evidence on the new tables."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from dadkhah import users
from dadkhah.errors import AccessDenied, ConfigError, InvalidInput
from dadkhah.store.tables import AuditEntry, RecoveryCode, UserTotp

PASSWORD = "correct horse battery"


def _actions(case) -> list[str]:
    with case.read() as conn:
        return list(conn.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


def _enrol(case, name: str = "ed", key=None) -> tuple[str, users.RecoveryCodes]:
    users.add_user(case, name, PASSWORD, role="editor", by="tester")
    enrolment = users.begin_totp(case, name, by=name, key=key)
    codes = users.confirm_totp(case, name, pyotp.TOTP(enrolment.secret).now(), by=name,
                               key=key)
    assert codes is not None
    return enrolment.secret, codes


def _code_for_next_step(secret: str) -> str:
    """The code of the step after now: accepted (one step of clock drift) and not yet used."""
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30))


def test_totp_enrolment_and_login_refuse_a_replayed_code(case) -> None:
    users.add_user(case, "ed", PASSWORD, role="editor", by="tester")
    assert not users.two_factor_status(case, "ed").enrolled
    enrolment = users.begin_totp(case, "ed", by="ed")
    assert enrolment.uri.startswith("otpauth://totp/dadkhah:ed?secret=" + enrolment.secret)
    assert "<svg" in enrolment.qr_svg() and "style=" not in enrolment.qr_svg()
    assert enrolment.secret not in repr(enrolment)
    assert users.two_factor_status(case, "ed").totp_pending
    with pytest.raises(AccessDenied):
        users.confirm_totp(case, "ed", "000000" if pyotp.TOTP(enrolment.secret).now()
                           != "000000" else "111111", by="ed")
    now_code = pyotp.TOTP(enrolment.secret).now()
    codes = users.confirm_totp(case, "ed", now_code, by="ed")
    assert codes is not None and len(codes.codes) == users.RECOVERY_CODES
    status = users.two_factor_status(case, "ed")
    assert status.totp and status.enrolled and status.recovery_left == users.RECOVERY_CODES
    # The code used to confirm is spent: it cannot log in, within its window.
    with pytest.raises(AccessDenied, match="already used"):
        users.verify_totp(case, "ed", now_code)
    nxt = _code_for_next_step(enrolment.secret)
    users.verify_totp(case, "ed", nxt)
    with pytest.raises(AccessDenied):
        users.verify_totp(case, "ed", nxt)  # the same code twice: a replay
    with pytest.raises(AccessDenied):
        users.verify_totp(case, "ed", "12345")  # not six digits
    acts = _actions(case)
    assert "user.2fa.totp_start" in acts and "user.2fa.enrol" in acts
    assert "user.2fa.recovery_codes" in acts
    with pytest.raises(InvalidInput, match="already has"):
        users.begin_totp(case, "ed", by="ed")


def test_recovery_codes_are_hashed_and_work_once(case) -> None:
    _, codes = _enrol(case)
    with case.read() as conn:
        stored = conn.execute(select(RecoveryCode.code_hash, RecoveryCode.hint)).all()
    assert len(stored) == users.RECOVERY_CODES
    assert all(h.code_hash.startswith("$argon2id$") for h in stored)
    assert not {c for c in codes.codes} & {h.code_hash for h in stored}
    first = codes.codes[0]
    # Typed in upper case and without dashes, as people do.
    left = users.use_recovery_code(case, "ed", first.upper().replace("-", " "), by="ed")
    assert left == users.RECOVERY_CODES - 1
    with pytest.raises(AccessDenied, match="already used"):
        users.use_recovery_code(case, "ed", first, by="ed")
    with pytest.raises(AccessDenied):
        users.use_recovery_code(case, "ed", "abcd-efgh-jkmn", by="ed")
    assert users.two_factor_status(case, "ed").recovery_left == users.RECOVERY_CODES - 1
    assert "user.2fa.recovery_used" in _actions(case)
    new = users.new_recovery_codes(case, "ed", by="ed")
    with pytest.raises(AccessDenied):
        users.use_recovery_code(case, "ed", codes.codes[1], by="ed")  # replaced
    assert users.use_recovery_code(case, "ed", new.codes[1], by="ed") == \
        users.RECOVERY_CODES - 1


def test_secret_is_encrypted_with_the_case_key(case, tmp_path: Path) -> None:
    from dadkhah.casefile import TestimonyKey

    key = TestimonyKey.generate()
    secret, _ = _enrol(case, key=key)
    with case.read() as conn:
        row = conn.execute(select(UserTotp.secret, UserTotp.key_fingerprint)).one()
    assert secret not in row.secret and row.key_fingerprint == key.fingerprint
    users.verify_totp(case, "ed", _code_for_next_step(secret), key=key)
    with pytest.raises(ConfigError, match="key"):
        users.verify_totp(case, "ed", pyotp.TOTP(secret).now())  # server without the key
    with pytest.raises(ConfigError):
        users.verify_totp(case, "ed", pyotp.TOTP(secret).now(), key=TestimonyKey.generate())


def test_reset_removes_every_factor_and_is_audited(case) -> None:
    secret, codes = _enrol(case)
    status = users.reset_two_factor(case, "ed", by="admin1")
    assert not status.enrolled and status.recovery_left == 0
    with pytest.raises(AccessDenied):
        users.verify_totp(case, "ed", _code_for_next_step(secret))
    with pytest.raises(AccessDenied):
        users.use_recovery_code(case, "ed", codes.codes[0], by="ed")
    with case.read() as conn:
        last = conn.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "user.2fa.reset" and last.actor == "admin1"
    assert case.verify_audit().ok


def test_required_roles_parse() -> None:
    assert users.parse_required_roles(None) == ("admin", "editor")
    assert users.parse_required_roles("none") == ()
    assert users.parse_required_roles("all") == ("admin", "editor", "reviewer", "viewer")
    assert users.parse_required_roles("Editor, admin") == ("admin", "editor")
    with pytest.raises(ConfigError, match="owner"):
        users.parse_required_roles("admin,owner")


def test_a_revived_recovery_code_is_caught_by_audit_verify(case, case_location) -> None:
    """Tamper evidence: marking a used recovery code unused with sqlite3 is named."""
    if not Path(case_location).is_dir():
        pytest.skip("edits the SQLite file")
    _, codes = _enrol(case)
    users.use_recovery_code(case, "ed", codes.codes[0], by="ed")
    assert case.verify_audit().ok
    # A login writes only columns left out of the hashes: still intact.
    secret = users.two_factor_status(case, "ed")
    assert secret.totp
    db = sqlite3.connect(Path(case_location) / "case.db")
    db.create_function("dadkhah_tx", 0, lambda: "outside")
    with db:
        db.execute("UPDATE user_recovery_codes SET used_at = NULL")
    db.close()
    report = case.verify_audit()
    assert not report.ok
    assert "user_recovery_codes" in str(report.summary())

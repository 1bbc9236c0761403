"""Two-factor login: TOTP (authenticator apps), single-use recovery codes, and the policy of
which roles must have a second factor.  Security keys (WebAuthn) are in :mod:`.security_keys`.

* TOTP (RFC 6238, 30-second steps, 6 digits, pyotp): :func:`begin_totp` makes a secret and
  its ``otpauth://`` address (shown as a QR code), :func:`confirm_totp` turns it on once the
  user has typed a first code, :func:`verify_totp` checks a code at login.  A code is
  accepted one step either side of now, and **only once**: the newest accepted step is kept
  and a code for that step or an older one is refused (replay within the window).
* The secret is encrypted at rest with the case's key when the caller has one — the same
  AES-256-GCM key that protects testimony and submitters' contacts (``DADKHAH_KEY_FILE``),
  passed in as ``key=`` (anything with ``encrypt``/``decrypt``/``fingerprint`` like
  :class:`dadkhah.casefile.TestimonyKey`) — else kept as is, and the server warns.
* Recovery codes: :data:`RECOVERY_CODES` random codes made when the first second factor is
  turned on (and on request), shown once, stored as argon2id hashes like passwords, each
  usable once (:func:`use_recovery_code`).
* :func:`reset_two_factor` removes every second factor of a user (an admin's ``dadkhah user
  2fa-reset``, or the user turning two-factor login off).

Turning a factor on or off, using a recovery code and a reset are written to the audit log.
API tokens are not interactive logins and are not asked for a second factor.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update

from dadkhah.access import ROLES
from dadkhah.errors import AccessDenied, ConfigError, InvalidInput
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import (
    RecoveryCode,
    UserTotp,
    WebAuthnCredential,
    WebSession,
    insert_row,
)
from dadkhah.users.accounts import _verify_slots, get_user

DEFAULT_REQUIRED_ROLES: tuple[str, ...] = ("admin", "editor")
"""Roles that must log in with a second factor unless the server is told otherwise."""

RECOVERY_CODES = 10
"""Recovery codes made at a time."""

TOTP_ISSUER = "dadkhah"
"""The issuer shown in authenticator apps."""

_HINT = 4  # characters of a recovery code kept in clear to find its row
# Recovery codes are argon2id hashes like passwords, at OWASP's minimum parameters (19 MiB,
# two passes) rather than the password defaults (64 MiB, three passes, four lanes): a code
# holds ~59 random bits, not a chosen password, and ten are hashed at once at enrolment
# (measured on the loaded test machine: 1.6 s for ten instead of 11.7 s).
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper


class SecretBox(Protocol):
    """What encrypts a TOTP secret at rest: the case's key (``TestimonyKey``)."""

    @property
    def fingerprint(self) -> str: ...

    def encrypt(self, payload: dict[str, Any], pseudonym: str) -> str: ...

    def decrypt(self, blob: str, pseudonym: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class SecurityKeyInfo:
    """A registered security key, as the account page shows it."""

    id: int
    name: str
    created_at: str
    last_used_at: str | None

    def summary(self) -> str:
        """One line: name, when added and last used."""
        used = f", last used {self.last_used_at[:19]}" if self.last_used_at else ""
        return f"security key {self.name!r} (added {self.created_at[:10]}{used})"


@dataclass(frozen=True)
class TwoFactorStatus:
    """Which second factors a user has."""

    user_id: int
    username: str
    totp: bool
    totp_pending: bool
    security_keys: tuple[SecurityKeyInfo, ...]
    recovery_left: int

    @property
    def enrolled(self) -> bool:
        """True when the user has a second factor (TOTP or a security key)."""
        return self.totp or bool(self.security_keys)

    def summary(self) -> str:
        """One line for people."""
        if not self.enrolled:
            return f"{self.username}: no second factor"
        parts = (["authenticator app"] if self.totp else []) + \
            [f"{len(self.security_keys)} security key(s)"] * bool(self.security_keys)
        return (f"{self.username}: {' and '.join(parts)}; "
                f"{self.recovery_left} recovery code(s) left")


@dataclass(frozen=True, repr=False)
class TotpEnrolment:
    """A new TOTP secret waiting for its first code: the secret (for typing in by hand) and
    its ``otpauth://`` address (for the QR code).  ``repr`` hides the secret."""

    username: str
    secret: str
    uri: str

    def qr_svg(self) -> str:
        """The address as a QR code, an inline ``<svg>`` element (no script, no style
        attribute: allowed by the site's Content-Security-Policy)."""
        return str(segno.make(self.uri, error="m").svg_inline(scale=4, border=2, dark="#000",
                                                              light="#fff"))

    def grouped_secret(self) -> str:
        """The secret in groups of four letters, as apps ask for it to be typed."""
        return " ".join(self.secret[i:i + 4] for i in range(0, len(self.secret), 4))

    def __repr__(self) -> str:
        return f"TotpEnrolment(username={self.username!r}, <secret>)"

    def summary(self) -> str:
        """One line (without the secret)."""
        return f"authenticator app enrolment for {self.username}: waiting for a first code"


@dataclass(frozen=True, repr=False)
class RecoveryCodes:
    """New recovery codes, in clear: shown to the user once, never stored so."""

    username: str
    codes: tuple[str, ...]

    def __repr__(self) -> str:
        return f"RecoveryCodes(username={self.username!r}, {len(self.codes)} codes)"

    def summary(self) -> str:
        """One line (without the codes)."""
        return f"{len(self.codes)} new recovery codes for {self.username} (each works once)"


def parse_required_roles(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """The roles that must use a second factor, from ``"admin,editor"``, ``"all"`` or
    ``"none"`` (or a list of roles); None gives :data:`DEFAULT_REQUIRED_ROLES`."""
    if text is None:
        return DEFAULT_REQUIRED_ROLES
    items = [s.strip().lower() for s in (text.split(",") if isinstance(text, str) else text)]
    items = [s for s in items if s]
    if items in (["none"], []):
        return ()
    if items == ["all"]:
        return ROLES
    unknown = [s for s in items if s not in ROLES]
    if unknown:
        raise ConfigError(f"Unknown role(s) for two-factor login: {', '.join(unknown)}.",
                          hint="Name roles from " + ", ".join(ROLES)
                               + ", separated by commas, or 'all' or 'none'.")
    return tuple(r for r in ROLES if r in items)


# -- status ----------------------------------------------------------------------------------
def two_factor_status(case: Case, ref: int | str) -> TwoFactorStatus:
    """The second factors of a user (by id or user name)."""
    user = get_user(case, ref)
    with case.read() as conn:
        totp = conn.execute(select(UserTotp.confirmed_at)
                            .where(UserTotp.user_id == user.id)).first()
        keys = conn.execute(select(WebAuthnCredential.id, WebAuthnCredential.name,
                                   WebAuthnCredential.created_at,
                                   WebAuthnCredential.last_used_at)
                            .where(WebAuthnCredential.user_id == user.id)
                            .order_by(WebAuthnCredential.id)).all()
        left = conn.execute(select(func.count()).select_from(RecoveryCode)
                            .where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.used_at.is_(None))).scalar_one()
    return TwoFactorStatus(
        user_id=user.id, username=user.username,
        totp=totp is not None and totp.confirmed_at is not None,
        totp_pending=totp is not None and totp.confirmed_at is None,
        security_keys=tuple(SecurityKeyInfo(k.id, k.name, k.created_at, k.last_used_at)
                            for k in keys),
        recovery_left=int(left))


# -- TOTP ------------------------------------------------------------------------------------
def _label(user_id: int) -> str:
    # Bound into the ciphertext: a secret copied onto another user's row does not decrypt.
    return f"totp:user:{user_id}"


def _seal(secret: str, user_id: int, key: SecretBox | None) -> tuple[str, str | None]:
    if key is None:
        return secret, None
    return key.encrypt({"secret": secret}, _label(user_id)), key.fingerprint


def _open(row: Any, user_id: int, key: SecretBox | None) -> str:
    if row.key_fingerprint is None:
        return str(row.secret)
    if key is None or key.fingerprint != row.key_fingerprint:
        raise ConfigError(
            "This user's authenticator secret is encrypted with the case's key, and the "
            "server was not given that key.",
            hint="Start the server with the case's key (DADKHAH_KEY_FILE), or have an admin "
                 "run: dadkhah user 2fa-reset USER")
    return str(key.decrypt(row.secret, _label(user_id))["secret"])


def begin_totp(case: Case, ref: int | str, *, by: str,
               key: SecretBox | None = None) -> TotpEnrolment:
    """A new TOTP secret for a user, stored unconfirmed (an earlier unconfirmed one is
    replaced).  Refused when the user already has a confirmed one: turn it off first."""
    user = get_user(case, ref)
    secret = pyotp.random_base32()  # 160 bits
    stored, fingerprint = _seal(secret, user.id, key)
    with case.write() as conn:
        row = conn.execute(select(UserTotp.confirmed_at)
                           .where(UserTotp.user_id == user.id)).first()
        if row is not None and row.confirmed_at is not None:
            raise InvalidInput(f"{user.username} already has an authenticator app.",
                               hint="Turn two-factor login off first, or ask an admin to "
                                    "reset it (dadkhah user 2fa-reset).")
        conn.execute(delete(UserTotp).where(UserTotp.user_id == user.id))
        insert_row(conn, UserTotp, user_id=user.id, secret=stored,
                   key_fingerprint=fingerprint, created_at=now_utc(), confirmed_at=None,
                   last_step=None)
        append(conn, by=by, action="user.2fa.totp_start", target=f"user:{user.id}",
               details={"username": user.username, "encrypted": fingerprint is not None})
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    return TotpEnrolment(user.username, secret, uri)


def _matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The 30-second step (one either side of now) whose code is ``code``, else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = now or datetime.now(UTC)
    step = totp.timecode(now)
    for s in (step, step - 1, step + 1):
        # pyotp's at() takes a time; step * interval is the start of step s.
        if secrets.compare_digest(totp.at(s * totp.interval), code):
            return s
    return None


def _accept_step(conn: Any, user_id: int, step: int) -> bool:
    """Record ``step`` as used; False when it (or a later step) was used already.  One
    conditional UPDATE, so two requests with the same code cannot both pass."""
    r = conn.execute(update(UserTotp)
                     .where(UserTotp.user_id == user_id,
                            (UserTotp.last_step.is_(None)) | (UserTotp.last_step < step))
                     .values(last_step=step))
    return bool(r.rowcount == 1)


def _wrong_code() -> AccessDenied:
    return AccessDenied("Wrong or already used code.",
                        hint="Type the code your authenticator app shows now (each code "
                             "works once), or use a recovery code.")


def confirm_totp(case: Case, ref: int | str, code: str, *, by: str,
                 key: SecretBox | None = None) -> RecoveryCodes | None:
    """Turn on the user's pending TOTP secret once ``code`` matches it.  Returns new recovery
    codes when the user had none left (their first second factor), else None."""
    user = get_user(case, ref)
    with case.write() as conn:
        row = conn.execute(select(UserTotp.__table__)
                           .where(UserTotp.user_id == user.id)).first()
        if row is None or row.confirmed_at is not None:
            raise InvalidInput(f"{user.username} has no authenticator app waiting to be "
                               f"confirmed.", hint="Start again from the account page.")
        step = _matching_step(_open(row, user.id, key), code)
        if step is None or not _accept_step(conn, user.id, step):
            raise _wrong_code()
        conn.execute(update(UserTotp).where(UserTotp.user_id == user.id)
                     .values(confirmed_at=now_utc()))
        append(conn, by=by, action="user.2fa.enrol", target=f"user:{user.id}",
               details={"username": user.username, "method": "totp"})
        return _codes_if_none(conn, user.id, user.username, by=by)


def verify_totp(case: Case, ref: int | str, code: str, *,
                key: SecretBox | None = None) -> None:
    """Check a TOTP code at login; :class:`AccessDenied` when it is wrong, not confirmed, or
    was already used (its step or a later one was accepted before)."""
    user = get_user(case, ref)
    with case.write() as conn:
        row = conn.execute(select(UserTotp.__table__)
                           .where(UserTotp.user_id == user.id)).first()
        if row is None or row.confirmed_at is None:
            raise _wrong_code()
        step = _matching_step(_open(row, user.id, key), code)
        if step is None or not _accept_step(conn, user.id, step):
            raise _wrong_code()


# -- recovery codes --------------------------------------------------------------------------
def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))  # ~59 bits
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _normal_code(code: str) -> str:
    raw = "".join(c for c in code.lower() if c.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _replace_codes(conn: Any, user_id: int, username: str, *, by: str) -> RecoveryCodes:
    codes = tuple(_new_code() for _ in range(RECOVERY_CODES))
    conn.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    now = now_utc()
    for c in codes:
        insert_row(conn, RecoveryCode, user_id=user_id, hint=c[:_HINT],
                   code_hash=_code_hasher.hash(c), created_at=now, used_at=None)
    append(conn, by=by, action="user.2fa.recovery_codes", target=f"user:{user_id}",
           details={"username": username, "codes": len(codes)})
    return RecoveryCodes(username, codes)


def _codes_if_none(conn: Any, user_id: int, username: str, *, by: str) -> RecoveryCodes | None:
    left = conn.execute(select(func.count()).select_from(RecoveryCode)
                        .where(RecoveryCode.user_id == user_id,
                               RecoveryCode.used_at.is_(None))).scalar_one()
    return None if left else _replace_codes(conn, user_id, username, by=by)


def new_recovery_codes(case: Case, ref: int | str, *, by: str) -> RecoveryCodes:
    """New recovery codes for a user who has a second factor; the old ones stop working."""
    user = get_user(case, ref)
    if not two_factor_status(case, user.id).enrolled:
        raise InvalidInput(f"{user.username} has no second factor, so recovery codes would "
                           f"not be asked for.", hint="Set up an authenticator app or a "
                                                      "security key first.")
    with case.write() as conn:
        return _replace_codes(conn, user.id, user.username, by=by)


def ensure_recovery_codes(case: Case, ref: int | str, *, by: str) -> RecoveryCodes | None:
    """New recovery codes when the user has none left (after a first security key is
    registered), else None."""
    user = get_user(case, ref)
    with case.write() as conn:
        return _codes_if_none(conn, user.id, user.username, by=by)


def use_recovery_code(case: Case, ref: int | str, code: str, *, by: str) -> int:
    """Accept one unused recovery code of the user and mark it used (audited); returns how
    many are left.  :class:`AccessDenied` for a wrong or used code."""
    user = get_user(case, ref)
    normal = _normal_code(code)
    with case.read() as conn:
        rows = conn.execute(select(RecoveryCode.id, RecoveryCode.code_hash)
                            .where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.hint == normal[:_HINT],
                                   RecoveryCode.used_at.is_(None))).all()
    match = None
    for r in rows:
        try:
            with _verify_slots:
                _code_hasher.verify(r.code_hash, normal)
            match = r.id
            break
        except (VerificationError, InvalidHashError):
            continue
    if match is None:
        raise AccessDenied("Wrong or already used recovery code.",
                           hint="Each recovery code works once; an admin can reset your "
                                "second factor with dadkhah user 2fa-reset.")
    with case.write() as conn:
        # Conditional: two requests with one code cannot both use it.
        done = conn.execute(update(RecoveryCode)
                            .where(RecoveryCode.id == match, RecoveryCode.used_at.is_(None))
                            .values(used_at=now_utc()))
        if done.rowcount != 1:
            raise AccessDenied("Wrong or already used recovery code.",
                               hint="Each recovery code works once.")
        left = conn.execute(select(func.count()).select_from(RecoveryCode)
                            .where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.used_at.is_(None))).scalar_one()
        append(conn, by=by, action="user.2fa.recovery_used", target=f"user:{user.id}",
               details={"username": user.username, "left": int(left)})
    return int(left)


# -- turning off -----------------------------------------------------------------------------
def reset_two_factor(case: Case, ref: int | str, *, by: str,
                     action: str = "user.2fa.reset") -> TwoFactorStatus:
    """Remove every second factor of a user (TOTP, security keys, recovery codes), audited.
    An admin's reset (``dadkhah user 2fa-reset``, after a lost phone or key: it also ends
    the user's logins, which whoever holds the phone may have) or the user turning it off
    (``action="user.2fa.disable"``); a role that requires it is asked to enrol again at the
    next login.  API tokens are not touched."""
    if action not in ("user.2fa.reset", "user.2fa.disable"):
        raise ValueError(f"unknown action {action!r}")
    user = get_user(case, ref)
    before = two_factor_status(case, user.id)
    with case.write() as conn:
        conn.execute(delete(UserTotp).where(UserTotp.user_id == user.id))
        conn.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        conn.execute(delete(WebAuthnCredential).where(WebAuthnCredential.user_id == user.id))
        if action == "user.2fa.reset":
            conn.execute(delete(WebSession).where(WebSession.user_id == user.id))
        append(conn, by=by, action=action, target=f"user:{user.id}",
               details={"username": user.username, "totp": before.totp,
                        "security_keys": len(before.security_keys),
                        "recovery_left": before.recovery_left})
    return two_factor_status(case, user.id)

"""Security keys (WebAuthn / FIDO2) as a second factor, with the ``webauthn`` library
(py_webauthn).

Each ceremony has two halves and no HTTP in it: ``*_options`` returns the JSON the browser's
``navigator.credentials`` call takes plus the random challenge, which the caller keeps (the
web application: in memory, a few minutes) and hands back to ``finish_*`` with the browser's
answer.  The relying party is the site's host name (``rp_id``) and the browser must report
the site's own origin (``origin``); both come from the request in the web application.

A registered key is stored as its credential id and public key (not secret: a public key);
adding and removing keys are audited, logins with a key update its counter only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from dadkhah.errors import AccessDenied, InvalidInput, NotFound
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import WebAuthnCredential, insert_row
from dadkhah.users.accounts import get_user
from dadkhah.users.two_factor import RecoveryCodes, SecurityKeyInfo, ensure_recovery_codes

RP_NAME = "dadkhah"
"""The relying party's name shown by the browser."""


@dataclass(frozen=True)
class Ceremony:
    """The options to send to the browser (JSON text) and the challenge to keep."""

    options_json: str
    challenge: bytes

    def summary(self) -> str:
        """One line."""
        return f"WebAuthn options ({len(self.options_json)} characters of JSON)"


@dataclass(frozen=True)
class KeyAdded:
    """A newly registered key, and new recovery codes when it was the first second factor."""

    key: SecurityKeyInfo
    recovery: RecoveryCodes | None

    def summary(self) -> str:
        """One line."""
        extra = f"; {self.recovery.summary()}" if self.recovery else ""
        return f"added {self.key.summary()}{extra}"


def _descriptors(case: Case, user_id: int) -> list[PublicKeyCredentialDescriptor]:
    with case.read() as conn:
        ids = conn.execute(select(WebAuthnCredential.credential_id)
                           .where(WebAuthnCredential.user_id == user_id)).scalars().all()
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(i)) for i in ids]


def registration_options(case: Case, ref: int | str, *, rp_id: str) -> Ceremony:
    """Options for registering a new security key for the user (keys they already have are
    excluded, so one key is not registered twice)."""
    user = get_user(case, ref)
    opts = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME, user_name=user.username,
        user_id=f"dadkhah-user-{user.id}".encode(),
        user_display_name=user.display_name or user.username,
        exclude_credentials=_descriptors(case, user.id),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.DISCOURAGED))
    return Ceremony(options_to_json(opts), opts.challenge)


def finish_registration(case: Case, ref: int | str, credential: str | dict[str, Any], *,
                        challenge: bytes, rp_id: str, origin: str, name: str,
                        by: str) -> KeyAdded:
    """Check the browser's answer to :func:`registration_options` and store the key
    (audited); new recovery codes come with a first second factor."""
    user = get_user(case, ref)
    name = (name or "").strip()[:200] or "security key"
    try:
        v = verify_registration_response(credential=credential, expected_challenge=challenge,
                                          expected_rp_id=rp_id, expected_origin=origin)
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError) as e:
        raise InvalidInput(f"The security key's answer was refused: {e}",
                           hint="Try again; if it keeps failing, use another key or an "
                                "authenticator app.") from None
    cred_id = bytes_to_base64url(v.credential_id)
    with case.write() as conn:
        if conn.execute(select(WebAuthnCredential.id)
                        .where(WebAuthnCredential.credential_id == cred_id)).first():
            raise InvalidInput("This security key is registered already.",
                               hint="Each key is registered once.")
        kid = insert_row(conn, WebAuthnCredential, user_id=user.id, credential_id=cred_id,
                         public_key=bytes_to_base64url(v.credential_public_key),
                         sign_count=v.sign_count, name=name, created_at=now_utc(),
                         last_used_at=None)
        append(conn, by=by, action="user.2fa.enrol", target=f"user:{user.id}",
               details={"username": user.username, "method": "webauthn", "key_id": kid,
                        "name": name})
        row = conn.execute(select(WebAuthnCredential.created_at)
                           .where(WebAuthnCredential.id == kid)).one()
    recovery = ensure_recovery_codes(case, user.id, by=by)
    return KeyAdded(SecurityKeyInfo(kid, name, row.created_at, None), recovery)


def authentication_options(case: Case, ref: int | str, *, rp_id: str) -> Ceremony:
    """Options for logging in with one of the user's security keys; :class:`NotFound` when
    they have none."""
    user = get_user(case, ref)
    allowed = _descriptors(case, user.id)
    if not allowed:
        raise NotFound(f"{user.username} has no security key.",
                       hint="Use the authenticator app or a recovery code.")
    opts = generate_authentication_options(
        rp_id=rp_id, allow_credentials=allowed,
        user_verification=UserVerificationRequirement.DISCOURAGED)
    return Ceremony(options_to_json(opts), opts.challenge)


def finish_authentication(case: Case, ref: int | str, credential: str | dict[str, Any], *,
                          challenge: bytes, rp_id: str, origin: str) -> SecurityKeyInfo:
    """Check the browser's answer to :func:`authentication_options`: the key must be one of
    this user's and its signature valid.  Updates the key's counter; :class:`AccessDenied`
    otherwise."""
    user = get_user(case, ref)
    try:
        raw = json.loads(credential) if isinstance(credential, str) else dict(credential)
        cred_id = str(raw["id"])
    except (ValueError, KeyError, TypeError):
        raise AccessDenied("The security key's answer is not readable.",
                           hint="Try again.") from None
    with case.read() as conn:
        row = conn.execute(select(WebAuthnCredential.__table__)
                           .where(WebAuthnCredential.credential_id == cred_id,
                                  WebAuthnCredential.user_id == user.id)).first()
    if row is None:
        raise AccessDenied("This security key is not registered for this user.",
                           hint="Use your own key, the authenticator app or a recovery code.")
    try:
        v = verify_authentication_response(
            credential=raw, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=base64url_to_bytes(row.public_key),
            credential_current_sign_count=row.sign_count)
    except (InvalidAuthenticationResponse, InvalidJSONStructure, ValueError, KeyError) as e:
        raise AccessDenied(f"The security key's answer was refused: {e}",
                           hint="Try again, or use the authenticator app.") from None
    now = now_utc()
    with case.write() as conn:
        conn.execute(update(WebAuthnCredential).where(WebAuthnCredential.id == row.id)
                     .values(sign_count=v.new_sign_count, last_used_at=now))
    return SecurityKeyInfo(row.id, row.name, row.created_at, now)


def remove_security_key(case: Case, ref: int | str, key_id: int, *, by: str) -> None:
    """Remove one of the user's security keys (audited)."""
    user = get_user(case, ref)
    with case.write() as conn:
        r = conn.execute(delete(WebAuthnCredential)
                         .where(WebAuthnCredential.id == key_id,
                                WebAuthnCredential.user_id == user.id))
        if r.rowcount != 1:
            raise NotFound(f"{user.username} has no security key {key_id}.",
                           hint="See the keys on the account page.")
        append(conn, by=by, action="user.2fa.key_removed", target=f"user:{user.id}",
               details={"username": user.username, "key_id": key_id})

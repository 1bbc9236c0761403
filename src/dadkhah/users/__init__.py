"""Users of a case: accounts, roles, passwords, logins and API tokens.

A library API over a :class:`dadkhah.store.Case`, with no HTTP in it: the web application
(:mod:`dadkhah.web`) sets cookies and reads headers, then calls these functions; the
``dadkhah user`` commands call them directly.

* accounts: :func:`add_user`, :func:`get_user`, :func:`list_users`, :func:`set_role`,
  :func:`set_password`, :func:`set_disabled`, :func:`set_language`;
* checking a password: :func:`authenticate` (argon2id, :func:`hash_password`);
* logins: :func:`start_session`, :func:`session_user`, :func:`end_session`;
* API tokens: :func:`create_api_token`, :func:`token_user`;
* two-factor login (:mod:`.two_factor`, :mod:`.security_keys`): :func:`two_factor_status`,
  TOTP (:func:`begin_totp`, :func:`confirm_totp`, :func:`verify_totp`), recovery codes
  (:func:`new_recovery_codes`, :func:`use_recovery_code`), security keys
  (:func:`registration_options`, :func:`finish_registration`, :func:`authentication_options`,
  :func:`finish_authentication`, :func:`remove_security_key`), :func:`reset_two_factor`, and
  the roles that must use it (:func:`parse_required_roles`).  API tokens are not interactive
  logins and ask for no second factor.

Roles are those of :data:`dadkhah.access.ROLES`.  Changes to users are audited with the
acting user (``by=``).
"""

from dadkhah.users.accounts import (
    LANGUAGES,
    MIN_PASSWORD,
    UserInfo,
    add_user,
    authenticate,
    get_user,
    hash_password,
    list_users,
    set_disabled,
    set_language,
    set_password,
    set_role,
)
from dadkhah.users.security_keys import (
    Ceremony,
    KeyAdded,
    authentication_options,
    finish_authentication,
    finish_registration,
    registration_options,
    remove_security_key,
)
from dadkhah.users.sessions import (
    SESSION_DAYS,
    create_api_token,
    end_session,
    session_user,
    start_session,
    token_user,
)
from dadkhah.users.two_factor import (
    DEFAULT_REQUIRED_ROLES,
    RECOVERY_CODES,
    RecoveryCodes,
    SecretBox,
    SecurityKeyInfo,
    TotpEnrolment,
    TwoFactorStatus,
    begin_totp,
    confirm_totp,
    ensure_recovery_codes,
    new_recovery_codes,
    parse_required_roles,
    reset_two_factor,
    two_factor_status,
    use_recovery_code,
    verify_totp,
)

__all__ = [
    "DEFAULT_REQUIRED_ROLES",
    "LANGUAGES",
    "MIN_PASSWORD",
    "RECOVERY_CODES",
    "SESSION_DAYS",
    "Ceremony",
    "KeyAdded",
    "RecoveryCodes",
    "SecretBox",
    "SecurityKeyInfo",
    "TotpEnrolment",
    "TwoFactorStatus",
    "UserInfo",
    "add_user",
    "authenticate",
    "authentication_options",
    "begin_totp",
    "confirm_totp",
    "create_api_token",
    "end_session",
    "ensure_recovery_codes",
    "finish_authentication",
    "finish_registration",
    "get_user",
    "hash_password",
    "list_users",
    "new_recovery_codes",
    "parse_required_roles",
    "registration_options",
    "remove_security_key",
    "reset_two_factor",
    "session_user",
    "set_disabled",
    "set_language",
    "set_password",
    "set_role",
    "start_session",
    "token_user",
    "two_factor_status",
    "use_recovery_code",
    "verify_totp",
]

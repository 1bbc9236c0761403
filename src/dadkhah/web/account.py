"""Logging in and the user's own account: password, second factor, security keys.

URLs (all under ``/team``)::

    GET/POST /login                      user name and password
    POST     /logout
    GET/POST /login/verify               second step: authenticator code or recovery code
    POST     /login/webauthn/options     second step with a security key (JSON, static JS)
    POST     /login/webauthn/verify
    GET/POST /login/enrol                a role that must use two-factor login and has no
                                         second factor yet sets up an authenticator app…
    POST     /login/webauthn/register-options  …or a security key (JSON, static JS)
    POST     /login/webauthn/register
    GET      /account                    the user's second factors
    GET/POST /account/totp               add an authenticator app
    POST     /account/recovery           new recovery codes (password asked again)
    POST     /account/disable            turn two-factor login off (password asked again)
    POST     /account/webauthn/options   add a security key (JSON, static JS)
    POST     /account/webauthn/register
    POST     /account/keys/{key_id}/remove

Between the password and the second factor the browser holds a short-lived signed cookie
(:data:`PENDING_COOKIE`, :data:`PENDING_SECONDS`) naming the user; the session cookie is set
only once the second factor is given, and each pending login completes once.  Failed second
factors are throttled like failed passwords (per user and address, and per user from any
address).  The roles that must use a second factor are the application's
``require_2fa`` (``dadkhah serve --require-2fa``; default admin and editor).  API tokens
are not interactive logins and are not asked for one.

Every login (``user.login``), failed password (``user.login.failed``, with the user name
tried and the address, never the password) and failed second factor (``user.2fa.failed``) is
an entry of the case's audit chain (see :func:`_audit_login` for why failures cannot flood it).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from dadkhah import users as accounts
from dadkhah.errors import AccessDenied, DadkhahError, InvalidInput, NotFound
from dadkhah.store import Case, audit
from dadkhah.users import UserInfo
from dadkhah.web.app import (
    SESSION_COOKIE,
    LoginRequired,
    _safe_next,
    audit_name,
    require_user,
    set_cookie,
)
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)

SELF_SERVICE_PATHS = frozenset({
    "/team/logout", "/team/login/verify", "/team/login/enrol", "/team/login/webauthn/options",
    "/team/login/webauthn/verify", "/team/login/webauthn/register-options",
    "/team/login/webauthn/register", "/team/account/totp", "/team/account/recovery",
    "/team/account/disable", "/team/account/webauthn/options", "/team/account/webauthn/register",
    "/team/account/keys/{key_id}/remove"})
"""Unsafe routes about the caller's own login and account, open to every role (the others
need a permission; the security tests check that split)."""

PENDING_COOKIE = "dadkhah_login"
"""The cookie that carries a login between the password and the second factor."""
PENDING_SECONDS = 600
"""How long the second step may take after the password."""

LOGIN_ATTEMPTS = 5
"""Failed logins allowed per user name and address within :data:`LOGIN_WINDOW` seconds
(the same limit holds for second factors)."""
ADDRESS_ATTEMPTS = 10
"""Failed logins allowed per address, whatever the user names, within :data:`LOGIN_WINDOW`
seconds: a few guesses at each of many accounts (password spraying) meet this one."""
USER_SECOND_FACTOR_ATTEMPTS = 10
"""Failed second factors allowed per user from any address within :data:`LOGIN_WINDOW`
seconds (whoever tries them already knows the password)."""
LOGIN_WINDOW = 900
CHALLENGE_SECONDS = 300
"""How long a security key challenge stays valid."""


def _writer(request: Request) -> Case:
    """The writing case, for the two GET pages that store a new (unconfirmed) secret."""
    case: Case = request.app.state.case
    return case


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- throttle ----------------------------------------------------------------------------
def _throttled(request: Request, username: str, failed: bool = False, *,
               second_factor: bool = False) -> bool:
    """True when this user name from this address, or this address for any user names, has
    failed too often lately (kept in memory: a restart forgets, which is acceptable against
    online guessing).  ``second_factor``: the user's failed second factors, counted apart
    from passwords, and also per user from any address."""
    failures: dict[tuple[str, str], list[float]] = request.app.state.login_failures
    host = request.client.host if request.client else ""
    now = time.monotonic()
    name = username.strip().lower()
    # The address key's first part cannot be a stripped user name.
    keys = [((name, host), LOGIN_ATTEMPTS), ((" any", host), ADDRESS_ATTEMPTS)]
    if second_factor:
        keys = [((" 2fa " + name, host), LOGIN_ATTEMPTS), ((" any", host), ADDRESS_ATTEMPTS),
                ((" 2fa " + name, " any"), USER_SECOND_FACTOR_ATTEMPTS)]
    over = False
    for key, limit in keys:
        recent = [t for t in failures.get(key, []) if now - t < LOGIN_WINDOW]
        if failed:
            recent.append(now)
        failures[key] = recent
        over = over or len(recent) >= limit
    return over


# -- audit -------------------------------------------------------------------------------
LOGIN_NAME_CHARS = 64
"""How much of a user name tried at a failed login the audit entry keeps."""


def _address(request: Request) -> str:
    """The caller's address as the server sees it (a proxy's X-Forwarded-For counts only
    from the proxies named by ``dadkhah serve --forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"


def _audit_login(request: Request, *, by: str, action: str, target: str,
                 **details: Any) -> None:
    """One entry in the case's audit chain for a login, a failed login or a failed second
    factor: who, from which address, when (the entry's time).  Never a password or a code.

    Written through the writing case (GET pages read through a read-only one), in a short
    transaction of its own.  Failed attempts do not flood the chain: every failure counted
    here was first let through :func:`_throttled`, which refuses, without checking and
    without an entry, more than :data:`ADDRESS_ATTEMPTS` failures per address (and
    :data:`LOGIN_ATTEMPTS` per user name and address) per :data:`LOGIN_WINDOW` seconds; so an
    address adds at most :data:`ADDRESS_ATTEMPTS` entries a window.  The failure that
    reaches the limit says so (``throttled``), so the refusals after it are accounted for."""
    audit.record_access(request.app.state.case, by=by, action=action, target=target,
                        details={"address": _address(request), **details})


def _failed_login(request: Request, username: str, step: str) -> None:
    """Count a failed password and audit it with the name tried (cut to
    :data:`LOGIN_NAME_CHARS`), never the password."""
    limited = _throttled(request, username, failed=True)
    name = username.strip().lower()[:LOGIN_NAME_CHARS]
    _audit_login(request, by="anonymous" if step == "password" else name,
                 action="user.login.failed", target=f"login:{name}", username=name,
                 step=step, throttled=limited)


def _failed_second_factor(request: Request, user: UserInfo, method: str) -> None:
    """Count a failed second factor and audit it (the method, never the code)."""
    limited = _throttled(request, user.username, failed=True, second_factor=True)
    _audit_login(request, by=audit_name(user), action="user.2fa.failed",
                 target=f"user:{user.id}", method=method, throttled=limited)


# -- policy and key ----------------------------------------------------------------------
def required_roles(request: Request) -> tuple[str, ...]:
    """The roles this application asks for a second factor."""
    return tuple(getattr(request.app.state, "require_2fa", accounts.DEFAULT_REQUIRED_ROLES))


def _box(request: Request) -> Any:
    """What TOTP secrets are encrypted at rest with: the case's key (``DADKHAH_KEY_FILE`` /
    ``DADKHAH_KEY``) when the server has one, else the server's own key for this case, kept
    outside it (:func:`dadkhah.web.public.server_secret_key`), as submitters' contacts are.
    Secrets stored in clear by an older server are still read."""
    state = request.app.state
    if not hasattr(state, "secret_box"):
        from dadkhah.web.public import server_secret_key

        state.secret_box = server_secret_key(state.case)
    return state.secret_box


# -- pending logins ----------------------------------------------------------------------
@dataclass(frozen=True)
class Pending:
    """A login whose password was right, waiting for its second factor."""

    user: UserInfo
    next: str
    nonce: str


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="dadkhah-second-factor")


def pending_login(request: Request) -> Pending:
    """Dependency: the pending login of this browser, or :class:`LoginRequired` (so an
    anonymous visitor is sent to the login form)."""
    raw = request.cookies.get(PENDING_COOKIE)
    if not raw:
        raise LoginRequired()
    try:
        data = _serializer(request).loads(raw, max_age=PENDING_SECONDS)
        user_id, nxt, nonce = int(data["u"]), str(data["n"]), str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise LoginRequired() from None
    if nonce in _done(request):
        raise LoginRequired()
    try:
        user = accounts.get_user(_case(request), user_id)
    except NotFound:
        raise LoginRequired() from None
    if user.disabled:
        raise LoginRequired()
    return Pending(user, _safe_next(nxt, "/team/"), nonce)


def _done(request: Request) -> dict[str, float]:
    state = request.app.state
    if not hasattr(state, "logins_done"):
        state.logins_done = {}
    done: dict[str, float] = state.logins_done
    now = time.monotonic()
    for k in [k for k, t in done.items() if now - t > PENDING_SECONDS]:
        del done[k]
    return done


def _start_pending(request: Request, user: UserInfo, nxt: str, target: str) -> Response:
    response = redirect(target)
    token = _serializer(request).dumps({"u": user.id, "n": nxt,
                                        "k": secrets.token_urlsafe(16)})
    set_cookie(request, response, PENDING_COOKIE, token, max_age=PENDING_SECONDS)
    return response


def _log_in(request: Request, user: UserInfo, response: Response,
            pending: Pending | None = None) -> Response:
    """Start the session on ``response`` and end the pending login."""
    if pending is not None:
        _done(request)[pending.nonce] = time.monotonic()
    # A session says whether its login gave a second factor: a role that requires one
    # is refused on a session without (see users.session_user).
    token = accounts.start_session(_case(request), user, second_factor=pending is not None)
    _audit_login(request, by=audit_name(user), action="user.login", target=f"user:{user.id}",
                 second_factor=pending is not None)
    set_cookie(request, response, SESSION_COOKIE, token,
               max_age=accounts.SESSION_DAYS * 86400)
    response.delete_cookie(PENDING_COOKIE, path="/")
    return response


# -- password ----------------------------------------------------------------------------
@router.get("/login")
def login_form(request: Request, next: str = "/team/") -> Response:
    return render(request, "team/login.html", {"next": _safe_next(next, "/team/")})


@router.post("/login")
def login(request: Request, username: str = Form(...), password: str = Form(...),
          next: str = Form("/team/")) -> Response:
    case = _case(request)
    nxt = _safe_next(next, "/team/")
    if _throttled(request, username):
        return render(request, "team/login.html", {"next": nxt, "throttled": True},
                      status_code=429)
    try:
        user = accounts.authenticate(case, username, password)
    except AccessDenied:
        _failed_login(request, username, "password")
        return render(request, "team/login.html", {"next": nxt, "failed": True},
                      status_code=401)
    status = accounts.two_factor_status(case, user.id)
    if status.enrolled:
        return _start_pending(request, user, nxt, "/team/login/verify")
    if user.role in required_roles(request):
        return _start_pending(request, user, nxt, "/team/login/enrol")
    return _log_in(request, user, redirect(nxt))


@router.post("/logout")
def logout(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    accounts.end_session(_case(request), request.cookies.get(SESSION_COOKIE))
    response = redirect("/team/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- second step -------------------------------------------------------------------------
def _verify_page(request: Request, pending: Pending, *, status_code: int = 200,
                 **flags: Any) -> Response:
    status = accounts.two_factor_status(_case(request), pending.user.id)
    return render(request, "team/second_factor.html",
                  {"status": status, "pending_user": pending.user, **flags},
                  status_code=status_code)


@router.get("/login/verify")
def second_factor_form(request: Request,
                       pending: Pending = Depends(pending_login)) -> Response:
    return _verify_page(request, pending)


@router.post("/login/verify")
def second_factor(request: Request, code: str = Form(""),
                  pending: Pending = Depends(pending_login)) -> Response:
    user = pending.user
    if _throttled(request, user.username, second_factor=True):
        return _verify_page(request, pending, status_code=429, throttled=True)
    case = _case(request)
    digits = "".join(code.split())
    try:
        if digits.isdigit() and len(digits) <= 8:  # a TOTP code; recovery codes are longer
            accounts.verify_totp(case, user.id, digits, key=_box(request))
        else:
            left = accounts.use_recovery_code(case, user.id, code, by=audit_name(user))
            if left == 0:
                pending = Pending(user, "/team/account?recovery=0", pending.nonce)
    except AccessDenied:
        _failed_second_factor(request, user, "totp" if digits.isdigit() and len(digits) <= 8
                              else "recovery_code")
        return _verify_page(request, pending, status_code=401, failed=True)
    return _log_in(request, user, redirect(pending.next), pending)


# -- security keys -----------------------------------------------------------------------
def _rp(request: Request) -> tuple[str, str]:
    """The relying party id (host name) and the origin the browser must report."""
    return request.url.hostname or "localhost", f"{request.url.scheme}://{request.url.netloc}"


def _challenges(request: Request) -> dict[tuple[str, int], tuple[bytes, float]]:
    state = request.app.state
    if not hasattr(state, "webauthn_challenges"):
        state.webauthn_challenges = {}
    out: dict[tuple[str, int], tuple[bytes, float]] = state.webauthn_challenges
    return out


def _keep_challenge(request: Request, kind: str, user_id: int, challenge: bytes) -> None:
    _challenges(request)[(kind, user_id)] = (challenge, time.monotonic() + CHALLENGE_SECONDS)


def _take_challenge(request: Request, kind: str, user_id: int) -> bytes:
    """The challenge handed out for this ceremony; each works once."""
    found = _challenges(request).pop((kind, user_id), None)
    if found is None or found[1] < time.monotonic():
        raise InvalidInput("The security key request has expired.",
                           hint="Press the button again.")
    return found[0]


def _error_json(exc: DadkhahError) -> JSONResponse:
    return JSONResponse({"ok": False, "error": exc.message, "hint": exc.hint,
                         "status": exc.http_status}, status_code=exc.http_status)


async def _credential(request: Request) -> tuple[dict[str, Any], str]:
    try:
        body = await request.json()
        return dict(body["credential"]), str(body.get("name") or "")
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("The security key's answer is missing.",
                           hint="Send JSON {\"credential\": …}.") from None


@router.post("/login/webauthn/options")
def login_key_options(request: Request, pending: Pending = Depends(pending_login)) -> Response:
    rp_id, _ = _rp(request)
    ceremony = accounts.authentication_options(_case(request), pending.user.id, rp_id=rp_id)
    _keep_challenge(request, "login", pending.user.id, ceremony.challenge)
    return JSONResponse({"ok": True, "options": json.loads(ceremony.options_json)})


@router.post("/login/webauthn/verify")
async def login_key_verify(request: Request,
                           pending: Pending = Depends(pending_login)) -> Response:
    from starlette.concurrency import run_in_threadpool

    user = pending.user
    if _throttled(request, user.username, second_factor=True):
        return JSONResponse({"ok": False, "error": "Too many failed attempts.",
                             "hint": "Wait 15 minutes.", "status": 429}, status_code=429)
    try:
        credential, _ = await _credential(request)
        challenge = _take_challenge(request, "login", user.id)
        rp_id, origin = _rp(request)
        await run_in_threadpool(accounts.finish_authentication, _case(request), user.id,
                                credential, challenge=challenge, rp_id=rp_id, origin=origin)
    except (AccessDenied, InvalidInput) as exc:
        await run_in_threadpool(_failed_second_factor, request, user, "security_key")
        return _error_json(exc)
    response = JSONResponse({"ok": True, "redirect": pending.next})
    return await run_in_threadpool(_log_in, request, user, response, pending)


# -- forced enrolment --------------------------------------------------------------------
@router.get("/login/enrol")
def enrol_form(request: Request, failed: str = "",
               pending: Pending = Depends(pending_login)) -> Response:
    return _totp_setup(request, pending.user, forced=True, failed=bool(failed))


@router.post("/login/enrol")
def enrol(request: Request, code: str = Form(""),
          pending: Pending = Depends(pending_login)) -> Response:
    user = pending.user
    if _throttled(request, user.username, second_factor=True):
        return render(request, "team/totp_setup.html", {"throttled": True, "forced": True},
                      status_code=429)
    try:
        codes = accounts.confirm_totp(_case(request), user.id, code, by=audit_name(user),
                                      key=_box(request))
    except (AccessDenied, InvalidInput):
        _failed_second_factor(request, user, "totp_enrol")
        return redirect("/team/login/enrol?failed=1")
    response = render(request, "team/recovery_codes.html",
                      {"codes": codes, "next": pending.next})
    return _log_in(request, user, response, pending)


def _key_options(request: Request, user: UserInfo) -> Response:
    rp_id, _ = _rp(request)
    ceremony = accounts.registration_options(_case(request), user.id, rp_id=rp_id)
    _keep_challenge(request, "register", user.id, ceremony.challenge)
    return JSONResponse({"ok": True, "options": json.loads(ceremony.options_json)})


async def _key_register(request: Request, user: UserInfo, redirect_to: str,
                        pending: Pending | None = None) -> Response:
    from starlette.concurrency import run_in_threadpool

    try:
        credential, name = await _credential(request)
        challenge = _take_challenge(request, "register", user.id)
        rp_id, origin = _rp(request)
        added = await run_in_threadpool(
            lambda: accounts.finish_registration(
                _case(request), user.id, credential, challenge=challenge, rp_id=rp_id,
                origin=origin, name=name, by=audit_name(user)))
    except InvalidInput as exc:
        return _error_json(exc)
    response = JSONResponse({"ok": True, "key": added.key.name,
                             "recovery_codes": list(added.recovery.codes) if added.recovery
                             else [], "redirect": redirect_to})
    if pending is None:
        return response
    return await run_in_threadpool(_log_in, request, user, response, pending)


@router.post("/login/webauthn/register-options")
def enrol_key_options(request: Request, pending: Pending = Depends(pending_login)) -> Response:
    if accounts.two_factor_status(_case(request), pending.user.id).enrolled:
        # Enrolling at login is for a user with no second factor; others give theirs.
        raise AccessDenied("You have a second factor already.",
                           hint="Log in with it, then add keys on the account page.")
    return _key_options(request, pending.user)


@router.post("/login/webauthn/register")
async def enrol_key(request: Request, pending: Pending = Depends(pending_login)) -> Response:
    return await _key_register(request, pending.user, pending.next, pending)


# -- the account page --------------------------------------------------------------------
def _account_page(request: Request, user: UserInfo, *, status_code: int = 200,
                  **flags: Any) -> Response:
    status = accounts.two_factor_status(_case(request), user.id)
    return render(request, "team/account.html",
                  {"status": status, "required": user.role in required_roles(request),
                   **flags}, status_code=status_code)


@router.get("/account")
def account(request: Request, done: str = "",
            user: UserInfo = Depends(require_user)) -> Response:
    return _account_page(request, user, done=done)


@router.get("/account/totp")
def account_totp_form(request: Request, failed: str = "",
                      user: UserInfo = Depends(require_user)) -> Response:
    return _totp_setup(request, user, forced=False, failed=bool(failed))


def _totp_setup(request: Request, user: UserInfo, *, forced: bool, failed: bool) -> Response:
    """A new authenticator-app secret for ``user`` and the page that shows it: at login
    when a second factor is required (``forced``), else from the account page."""
    enrolment = accounts.begin_totp(_writer(request), user.id, by=audit_name(user),
                                    key=_box(request))
    return render(request, "team/totp_setup.html",
                  {"enrolment": enrolment, "forced": forced, "failed": failed,
                   "action": "/team/login/enrol" if forced else "/team/account/totp"})


@router.post("/account/totp")
def account_totp(request: Request, code: str = Form(""),
                 user: UserInfo = Depends(require_user)) -> Response:
    if _throttled(request, user.username, second_factor=True):
        return _account_page(request, user, status_code=429, throttled=True)
    try:
        codes = accounts.confirm_totp(_case(request), user.id, code, by=audit_name(user),
                                      key=_box(request))
    except AccessDenied:
        _failed_second_factor(request, user, "totp_enrol")
        return redirect("/team/account/totp?failed=1")
    if codes is None:
        return redirect("/team/account?done=totp")
    return render(request, "team/recovery_codes.html", {"codes": codes, "next": "/team/account"})


def _recheck_password(request: Request, user: UserInfo, password: str) -> None:
    """Ask for the password again before a change that weakens or replaces the second
    factor (a session left open must not be enough); failures count as failed logins."""
    if _throttled(request, user.username):
        raise AccessDenied("Too many failed attempts.", hint="Wait 15 minutes.")
    try:
        accounts.authenticate(_case(request), user.username, password)
    except AccessDenied:
        _failed_login(request, user.username, "password_again")
        raise


@router.post("/account/recovery")
def account_recovery(request: Request, password: str = Form(...),
                     user: UserInfo = Depends(require_user)) -> Response:
    _recheck_password(request, user, password)
    codes = accounts.new_recovery_codes(_case(request), user.id, by=audit_name(user))
    return render(request, "team/recovery_codes.html", {"codes": codes, "next": "/team/account"})


@router.post("/account/disable")
def account_disable(request: Request, password: str = Form(...),
                    user: UserInfo = Depends(require_user)) -> Response:
    if user.role in required_roles(request):
        raise AccessDenied("Your role must log in with a second factor, so it cannot be "
                           "turned off.", hint="Add a new authenticator app or key first; "
                                               "an admin can reset it (dadkhah user "
                                               "2fa-reset).")
    _recheck_password(request, user, password)
    accounts.reset_two_factor(_case(request), user.id, by=audit_name(user),
                              action="user.2fa.disable")
    return redirect("/team/account?done=disabled")


@router.post("/account/webauthn/options")
def account_key_options(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    return _key_options(request, user)


@router.post("/account/webauthn/register")
async def account_key_register(request: Request,
                               user: UserInfo = Depends(require_user)) -> Response:
    return await _key_register(request, user, "/team/account?done=key")


@router.post("/account/keys/{key_id}/remove")
def account_key_remove(request: Request, key_id: int,
                       user: UserInfo = Depends(require_user)) -> Response:
    status = accounts.two_factor_status(_case(request), user.id)
    if user.role in required_roles(request) and not status.totp \
            and len(status.security_keys) <= 1:
        raise AccessDenied("This is your only second factor, and your role must use one.",
                           hint="Add another key or an authenticator app first.")
    accounts.remove_security_key(_case(request), user.id, key_id, by=audit_name(user))
    return redirect("/team/account?done=key_removed")

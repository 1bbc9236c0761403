"""The web application: :func:`create_app` builds it over one case.

Layout of URLs::

    /team/...     the team's workspace (login required; :mod:`dadkhah.web.team`)
    /api/...      the JSON API, OpenAPI schema at /api/openapi.json (:mod:`dadkhah.web.api`)
    /             the public memorial portal (:mod:`dadkhah.web.public`)
    /lang         switch the interface language (anyone)
    /static/...   shipped assets (HTMX, style sheet)

A middleware resolves, for every request, who is asking (session cookie or API token), the
interface language and the CSRF token; routes then ask for a user and a permission with the
:func:`require_user` and :func:`requires` dependencies.  One exception handler turns every
:class:`~dadkhah.errors.DadkhahError` into an error page or ``{"ok": false, …}`` JSON with the
error's ``http_status``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Callable, Collection
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from dadkhah import access, users
from dadkhah.errors import DadkhahError, InvalidInput, StoreBusy
from dadkhah.store import Case, is_server_url
from dadkhah.store.jobs import list_jobs
from dadkhah.users import UserInfo
from dadkhah.web import csrf, i18n
from dadkhah.web.jobs import JobRunner
from dadkhah.web.templating import make_environment, render

SESSION_COOKIE = "dadkhah_session"
VISITOR_COOKIE = "dadkhah_visitor"
SECRET_FILE = "web-secret"
STATIC = Path(__file__).parent / "static"


class LoginRequired(Exception):
    """Raised by :func:`require_user` for an anonymous request to a team page or the API."""


def _secret_key(case: Case, given: str | None) -> str:
    """The key behind CSRF tokens: given, from DADKHAH_SECRET_KEY, or kept in the case folder
    (so tokens survive a restart); random per process for a server case without either."""
    if given:
        return given
    if os.environ.get("DADKHAH_SECRET_KEY"):
        return os.environ["DADKHAH_SECRET_KEY"]
    folder = Path(case.location)
    if folder.is_dir():
        path = folder / SECRET_FILE
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        return path.read_text().strip()
    return secrets.token_hex(32)


def set_cookie(request: Request, response: Response, name: str, value: str, *,
               max_age: int | None = None) -> None:
    """Set a cookie the way every dadkhah cookie is set: HttpOnly, SameSite=Lax, Secure
    unless the application was created with ``secure_cookies=False`` (plain-HTTP testing)."""
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=request.app.state.secure_cookies)


def wants_json(request: Request) -> bool:
    return (request.url.path.startswith("/api")
            or "application/json" in request.headers.get("accept", "")
            and "text/html" not in request.headers.get("accept", ""))


def require_user(request: Request) -> UserInfo:
    """Dependency: the logged-in user, or :class:`LoginRequired`."""
    user = getattr(request.state, "user", None)
    if user is None:
        raise LoginRequired()
    return user


def requires(permission: str) -> Any:
    """Dependency factory: the logged-in user, who must hold ``permission``
    (see :data:`dadkhah.access.PERMISSIONS`)."""

    def dependency(user: UserInfo = Depends(require_user)) -> UserInfo:
        access.require(user.role, permission)
        return user

    return Depends(dependency)


def case_for(request: Request) -> Case:
    """The case a request works on: GET and HEAD read through the read-only case (on SQLite
    they then never wait for an import or another writer), everything else through the
    writing case."""
    state = request.app.state
    return state.reader if request.method in ("GET", "HEAD") else state.case


def audit_name(user: UserInfo) -> str:
    """How a web user is named in the audit log and on decisions: the user name, as
    ``dadkhah --user NAME`` names them on the command line."""
    return user.username


def _safe_next(target: str | None, default: str) -> str:
    # Only paths on this site: "//evil.example" and "https://…" would be open redirects.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


# Scripts, styles, images and fonts from this site only; nothing inline, no frames, no
# plugins, forms posted here only (security review W26).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; "
                           "frame-ancestors 'none'")


def content_security_policy(tiles: Any = None) -> str:
    """The site's Content-Security-Policy: :data:`CONTENT_SECURITY_POLICY`, its images also
    allowed from the tile server's origin when the operator named one (``tiles``: a
    :class:`dadkhah.casefile.geo.TileServer`), and from nowhere else."""
    if tiles is None:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:",
                                           f"img-src 'self' data: {tiles.origin}")


WRITE_WAIT = 10.0  # seconds a web write waits for another writer (a login must not hang 30 s)


def create_app(case_location: str, *, secret_key: str | None = None,
               secure_cookies: bool = True, upload_dir: str | Path | None = None,
               require_2fa: str | Collection[str] | None = None,
               run_jobs: bool = True, write_wait: float | None = None,
               files_dir: str | Path | None = None, tile_url: str | None = None,
               tile_attribution: str | None = None) -> FastAPI:
    """The web application over the case at ``case_location`` (folder or PostgreSQL URL).

    ``require_2fa``: the roles that must log in with a second factor (``"admin,editor"``,
    ``"all"``, ``"none"`` or a list); not given, ``$DADKHAH_REQUIRE_2FA``, else admin and
    editor (:data:`dadkhah.users.DEFAULT_REQUIRED_ROLES`).

    ``secure_cookies=False`` only for plain-HTTP use on one's own machine: otherwise browsers
    send the session cookie only over HTTPS.  ``upload_dir`` holds uploaded files between the
    preview and the confirmation of an import (default: ``uploads/`` in the case folder, or a
    temporary folder for a server case).  ``run_jobs=False`` leaves queued jobs to a
    separate ``dadkhah worker`` (``serve --no-worker``).  ``files_dir`` (default
    ``$DADKHAH_FILES_DIR``): one folder for uploads, reports and live job progress, shared
    with separate workers given the same folder: a case on PostgreSQL has no folder of its
    own, so its workers can reach the server's uploads only through it.

    ``tile_url`` (default ``$DADKHAH_TILE_URL``): a tile server's URL template such as
    ``https://tiles.example.org/{z}/{x}/{y}.png``; the maps are then drawn over its tiles
    (credited with ``tile_attribution``, default ``$DADKHAH_TILE_ATTRIBUTION``) and the
    Content-Security-Policy allows images from its host.  Not given: the offline base map,
    and no page names any other host.

    ``write_wait``: seconds a request's write (a login, a form) waits for another process
    holding the case's write lock (a long CLI import) before the user gets a "busy, retry"
    page (HTTP 503 with Retry-After) instead of a hung request; default
    ``$DADKHAH_WRITE_WAIT``, else :data:`WRITE_WAIT`.
    """
    if write_wait is None:
        write_wait = float(os.environ.get("DADKHAH_WRITE_WAIT") or WRITE_WAIT)
    from dadkhah.casefile.geo import TileServer

    # Checked before the case is opened: a bad setting leaves nothing open.
    tile_url = tile_url or os.environ.get("DADKHAH_TILE_URL") or None
    tiles = TileServer.parse(
        tile_url, tile_attribution or os.environ.get("DADKHAH_TILE_ATTRIBUTION")) \
        if tile_url else None
    policy = content_security_policy(tiles)
    case = Case.open(case_location, busy_timeout=write_wait)
    # PostgreSQL readers never wait for writers: one engine serves both there.
    reader = case if is_server_url(case_location) else Case.open(case_location, read_only=True)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        _app.state.jobs.stop()
        case.close()
        if reader is not case:
            reader.close()

    app = FastAPI(title="dadkhah", lifespan=lifespan, version=_version(),
                  # No docs page: FastAPI's loads Swagger UI from a public CDN, which would
                  # run third-party script on the team's origin (security review W28), and
                  # no Swagger UI assets are installed to serve from here.
                  docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="The team workspace's JSON API. Authenticate with the session "
                              "cookie (and the X-CSRF-Token header on writes) or with "
                              "`Authorization: Bearer <token>` (dadkhah user token).")
    app.state.case = case
    app.state.reader = reader  # GET and HEAD requests read through it: see case_for
    app.state.secret_key = _secret_key(case, secret_key)
    app.state.secure_cookies = secure_cookies
    app.state.templates = make_environment()
    app.state.login_failures = {}  # (user name, address) → times of failed logins
    app.state.require_2fa = users.parse_required_roles(
        require_2fa if require_2fa is not None else os.environ.get("DADKHAH_REQUIRE_2FA"))
    app.state.filter_options = {}  # search filter menus, see team._filter_options
    app.state.tiles = tiles
    files_dir = files_dir or os.environ.get("DADKHAH_FILES_DIR") or None
    if upload_dir is None and files_dir:
        upload_dir = Path(files_dir) / "uploads"
    if upload_dir is None:
        folder = Path(case.location)
        if folder.is_dir():
            upload_dir = folder / "uploads"
        else:
            upload_dir = tempfile.mkdtemp(prefix="dadkhah-uploads-")
    app.state.upload_dir = Path(upload_dir)
    app.state.upload_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Reports written by jobs: in the case folder (kept with the case), else a temporary one.
    folder = Path(case.location)
    output_dir = Path(files_dir) / "reports" if files_dir else folder / "reports" \
        if folder.is_dir() else Path(tempfile.mkdtemp(prefix="dadkhah-reports-"))
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Long operations run as jobs in a thread of this process (see dadkhah.web.jobs); jobs
    # left queued by an earlier run start at once.
    app.state.jobs = JobRunner(case, output_dir=output_dir, upload_dir=app.state.upload_dir,
                               reader=reader, autostart=run_jobs,
                               progress_dir=Path(files_dir) / "job-progress" if files_dir
                               else None)
    if run_jobs and list_jobs(case, limit=1, active_only=True):
        app.state.jobs.start()

    @app.middleware("http")
    async def _visitor(request: Request, call_next: Callable[[Request], Any]) -> Response:
        request.state.api_token = False
        user = None
        new_visitor = None
        authz = request.headers.get("authorization", "")
        session = request.cookies.get(SESSION_COOKIE)
        if authz.lower().startswith("bearer "):
            user = await run_in_threadpool(users.token_user, reader, authz[7:].strip())
            request.state.api_token = user is not None
        elif session:
            user = await run_in_threadpool(
                lambda: users.session_user(reader, session,
                                           second_factor_roles=app.state.require_2fa))
        if user is not None and session and not request.state.api_token:
            session_id = "s:" + session
        else:
            visitor = request.cookies.get(VISITOR_COOKIE)
            if not visitor:
                visitor = new_visitor = secrets.token_urlsafe(24)
            session_id = "v:" + visitor
        request.state.user = user
        request.state.csrf_token = csrf.token_for(app.state.secret_key, session_id)
        request.state.lang = _language(request, user)
        response = await call_next(request)
        if new_visitor:
            set_cookie(request, response, VISITOR_COOKIE, new_visitor, max_age=365 * 86400)
        # Pages show victims' data: never cache them in shared caches or the back button.
        if not request.url.path.startswith("/static"):
            response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", policy)
        if request.url.scheme == "https":
            # uvicorn says https only over TLS or from a proxy named by --forwarded-allow-ips
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        return response

    @app.exception_handler(DadkhahError)
    async def _dadkhah_error(request: Request, exc: DadkhahError) -> Response:
        status = exc.http_status
        message, hint, headers = exc.message, exc.hint, None
        if isinstance(exc, StoreBusy):
            # Another process holds the write lock (a long import): say so in the user's
            # language (the case's path is not the visitor's business) and when to retry.
            lang = getattr(request.state, "lang", "en")
            message = i18n.translate(lang, "error.busy")
            hint = i18n.translate(lang, "error.busy_hint")
            headers = {"Retry-After": str(exc.retry_after)}
        if wants_json(request):
            return JSONResponse({"ok": False, "error": message, "hint": hint,
                                 "status": status}, status_code=status, headers=headers)
        from dadkhah.web.error_text import error_particulars

        lang = getattr(request.state, "lang", "en")
        response = render(request, "error.html", {
            "status": status, "message": message, "hint": hint,
            "particulars": [] if isinstance(exc, StoreBusy) else error_particulars(lang, exc),
            # the busy message is already in the user's language
            "kind": None if isinstance(exc, StoreBusy)
            else i18n.error_kind(getattr(request.state, "lang", "en"), exc)},
            status_code=status)
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse({"ok": False, "error": "Login required.",
                                 "hint": "Log in, or send Authorization: Bearer <token>.",
                                 "status": 401}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        if request.method != "GET":
            return render(request, "error.html", {
                "status": 401, "message": i18n.translate(request.state.lang, "error.login"),
                "hint": None}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/team/login?next={quote(target)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"ok": False, "error": str(exc.detail), "hint": None,
                                 "status": exc.status_code}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return render(request, "error.html", {"status": exc.status_code,
                                              "message": str(exc.detail), "hint": None},
                      status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in exc.errors())
        if wants_json(request):
            return JSONResponse({"ok": False, "error": f"Invalid request: {problems}",
                                 "hint": "See /api/openapi.json.", "status": 422},
                                status_code=422)
        return render(request, "error.html", {
            "status": 422, "message": f"Invalid form: {problems}", "hint": None,
            "kind": i18n.error_kind(getattr(request.state, "lang", "en"), InvalidInput(""))},
            status_code=422)

    @app.post("/lang", include_in_schema=False, dependencies=[Depends(csrf.csrf_protect)])
    async def switch_language(request: Request, lang: str = Form(...),
                              next: str = Form("/")) -> Response:
        if lang not in i18n.LANGUAGES:
            lang = "en"
        user = request.state.user
        if user is not None:
            await run_in_threadpool(users.set_language, case, user.id, lang)
        response = RedirectResponse(_safe_next(next, "/"), status_code=303)
        set_cookie(request, response, i18n.LANG_COOKIE, lang, max_age=365 * 86400)
        return response

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    from dadkhah.web import (
        account,
        api,
        casefile_pages,
        job_pages,
        restricted,
        team,
        verify_pages,
    )

    routers = [account.router, team.router, casefile_pages.router, job_pages.router, api.router,
               job_pages.api_router, restricted.router, verify_pages.router]
    # The public portal is built alongside; the team workspace works without it.
    has_portal = importlib.util.find_spec("dadkhah.web.public") is not None
    if has_portal:
        from dadkhah.web import public, public_map

        routers += [public.router, public_map.router]
    for router in routers:
        app.include_router(router)
    app.state.routers = routers
    if not has_portal:
        @app.get("/", include_in_schema=False)
        async def _home() -> Response:
            return RedirectResponse("/team/", status_code=303)

    return app


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route the application serves, its included routers' too
    (the security tests walk this list, so a new route is checked without being named)."""
    out: list[tuple[str, str]] = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            out += [(m, route.path) for m in sorted(route.methods or ())]
    for router in app.state.routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                out += [(m, route.path) for m in sorted(route.methods or ())]
    return out


def _language(request: Request, user: UserInfo | None) -> str:
    if user is not None and user.language in i18n.LANGUAGES:
        return user.language
    lang = request.cookies.get(i18n.LANG_COOKIE)
    if lang in i18n.LANGUAGES:
        return lang
    accept = request.headers.get("accept-language", "")
    return "fa" if accept.lower().startswith("fa") else "en"


def _version() -> str:
    from dadkhah import __version__

    return __version__

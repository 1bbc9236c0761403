"""The public memorial portal (no login) and the team's moderation queue.

Public pages::

    /                      home: search box, latest articles, how to send a report
    /memorial              memorial entries; ?q= searches a name in either script
    /memorial/{person_id}  one memorial entry (only persons marked public; else 404)
    /articles, /articles/{slug}
    /submit                the family report / correction form (GET, POST with CSRF token)
    /api/public/...        the same public data as JSON, with response models

Team pages (login and ``moderate``): ``/team/submissions`` and the accept / reject actions.

Text in the public JSON API follows the pages' rule: bidi embedding, override and isolate
controls (U+202A-U+202E, U+2066-U+2069) are removed from every string sent
(:func:`dadkhah.web.templating.strip_bidi_controls`), so ``\u202eevil\u202c Hosseini``
cannot reach a client that displays it reversed; the stored text stays verbatim.  The family
form removes them on the way in and tells the submitter.

Every public page and response is built from :class:`dadkhah.portal.MemorialEntry` and
:class:`dadkhah.portal.ArticleView` only, so nothing unpublished or protected can reach it;
``tests/web/test_portal_public.py`` crawls the site to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from dadkhah import access, portal
from dadkhah.portal.ratelimit import HONEYPOT_FIELD, TOKEN_FIELD
from dadkhah.users import UserInfo
from dadkhah.web.app import audit_name, requires
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect

if TYPE_CHECKING:
    from dadkhah.store import Case
from dadkhah.web.templating import render, strip_bidi_controls

router = APIRouter(dependencies=[Depends(csrf_protect)])

PAGE_SIZE = 30
MAX_ID = 2**62  # larger ids cannot be persons (and would overflow the database's integers)


@dataclass
class PortalConfig:
    """Spam resistance of the submission form (set ``app.state.portal_config`` to change)."""

    min_fill_seconds: float = 3.0
    max_form_age: float = 7200.0
    burst: int = 5
    refill_seconds: float = 600.0


class _PortalState:
    def __init__(self, secret: str, config: PortalConfig, case: Case | None = None) -> None:
        self.config = config
        self.secret = secret.encode()
        self.guard = portal.FormGuard(self.secret, min_seconds=config.min_fill_seconds,
                                      max_age=config.max_form_age)
        self.bucket = portal.TokenBucket(config.burst, config.refill_seconds)
        self.key = _testimony_key(case)


def server_key_file(case: Case) -> FilePath:
    """Where a server that was given no key keeps the one it made for this case: in the
    user's dadkhah folder (``$DADKHAH_CONFIG_DIR``, else ``~/.config/dadkhah``), outside the
    case, so that a copy of ``case.db`` or a backup never holds a readable contact."""
    from dadkhah.store.integrity_anchor import server_key_file as key_file

    with case.read() as conn:
        return key_file(conn)


def _testimony_key(case: Case | None = None) -> Any:
    """The case's testimony key when the server was given one (DADKHAH_KEY_FILE or
    DADKHAH_KEY), else the server's own key for this case (:func:`server_key_file`, made on
    first use): submitters' contacts are always encrypted at rest (review W36)."""
    from dadkhah.casefile.testimony import load_key, write_key_file
    from dadkhah.errors import ConfigError

    try:
        return load_key()
    except ConfigError:
        if case is None:
            return None
    path = server_key_file(case)
    if path.is_file():
        return load_key(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_key_file(path)


def server_secret_key(case: Case) -> Any:
    """The key a server encrypts secrets at rest with: the case's testimony key when it was
    given one, else its own key for this case (:func:`server_key_file`).  Submitters'
    contacts and the team's authenticator-app secrets both use it."""
    return _testimony_key(case)


def portal_state(request: Request) -> _PortalState:
    """The form guard and rate limiter of this application, made on first use."""
    return _app_portal_state(request.app)


def _app_portal_state(app: Any) -> _PortalState:
    state = getattr(app.state, "portal", None)
    if state is None:
        config = getattr(app.state, "portal_config", None) or PortalConfig()
        state = app.state.portal = _PortalState(app.state.secret_key, config, app.state.case)
    return state


def contact_key_file(app: Any) -> FilePath:
    """Make (or load) now the key a server given none encrypts contacts with, rather than at
    the first submission; its file, for ``dadkhah serve`` to name."""
    _app_portal_state(app)
    return server_key_file(app.state.case)




def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- public pages ------------------------------------------------------------------------
@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    case = _case(request)
    _, total = portal.memorial_entries(case, limit=0)
    articles = portal.list_articles(case)
    return render(request, "public/home.html", {"total": total, "articles": articles[-5:]})


@router.get("/memorial", include_in_schema=False)
def memorial(request: Request, q: str = Query("", max_length=200),
             page: int = Query(1, ge=1, le=100_000)) -> Response:
    case = _case(request)
    if q.strip():
        entries, total = portal.search_memorial(case, q, limit=100), None
    else:
        entries, total = portal.memorial_entries(case, limit=PAGE_SIZE,
                                                 offset=(page - 1) * PAGE_SIZE)
    pages = None if total is None else max(1, -(-total // PAGE_SIZE))
    return render(request, "public/memorial.html", {"entries": entries, "q": q, "total": total,
                                                    "page": page, "pages": pages})


@router.get("/memorial/{person_id}", include_in_schema=False)
def memorial_entry(request: Request, person_id: int = Path(ge=1, le=MAX_ID)) -> Response:
    entry = portal.memorial_entry(_case(request), person_id)
    return render(request, "public/entry.html", {"e": entry, **_entry_map(request, entry)})


def _entry_map(request: Request, entry: Any) -> dict[str, Any]:
    """A small map of the person's prison and city, from the published entry only, each at
    its city's centre (as on /places: nothing more precise is ever shown publicly)."""
    from dadkhah.casefile.geo import place_point
    from dadkhah.web import i18n
    from dadkhah.web.maps import draw_map

    points = [p for place, kind in ((entry.prison, "prison"), (entry.city, "city"))
              if place is not None and (p := place_point(place.id, kind)) is not None]
    if not points:
        return {"entry_map": None, "entry_places": []}
    lang = getattr(request.state, "lang", "en")
    return {"entry_map": draw_map(request, points,
                                  label=i18n.translate(lang, "public.entry.map_label")),
            "entry_places": points}


@router.get("/articles", include_in_schema=False)
def articles(request: Request) -> Response:
    return render(request, "public/articles.html", {"articles": portal.list_articles(
        _case(request))})


@router.get("/articles/{slug}", include_in_schema=False)
def article(request: Request, slug: str = Path(max_length=64)) -> Response:
    return render(request, "public/article.html", {"a": portal.get_article(_case(request),
                                                                           slug)})


def _form_page(request: Request, values: dict[str, str], *, problems: Any = None,
               refusal: str | None = None, status_code: int = 200,
               entry: Any = None) -> Response:
    lang = request.state.lang
    shown: dict[str, list[str]] = {}
    for p in problems or []:
        from dadkhah.web import i18n

        key = f"public.problem.{p.code}"
        text = p.message if lang == "en" else i18n.translate(lang, key)
        shown.setdefault(p.field, []).append(p.message if text == key else text)
    return render(request, "public/submit.html", {
        "v": values, "problems": shown, "refusal": refusal, "entry": entry,
        "form_token": portal_state(request).guard.issue(), "token_field": TOKEN_FIELD,
        "honeypot": HONEYPOT_FIELD, "fields": portal.SUBMISSION_FIELDS,
    }, status_code=status_code)


@router.get("/submit", include_in_schema=False)
def submit_form(request: Request, person_id: int | None = Query(None, ge=1, le=MAX_ID)
                ) -> Response:
    entry = None
    values: dict[str, str] = {"kind": "report"}
    if person_id is not None:
        entry = portal.memorial_entry(_case(request), person_id)  # 404 unless public
        values = {"kind": "correction", "person_id": str(person_id)}
    return _form_page(request, values, entry=entry)


@router.post("/submit", include_in_schema=False)
async def submit(request: Request) -> Response:
    form = await request.form()
    data = {k: v for k, v in form.items() if isinstance(v, str)}
    values = {k: v for k, v in data.items() if k not in ("csrf_token", TOKEN_FIELD)}
    state = portal_state(request)
    try:
        state.guard.check(data)
        portal.check_content(data, (*portal.SUBMISSION_FIELDS, "relation"))
        checked = portal.validate_submission({**data, "language": request.state.lang})
        host = request.client.host if request.client else "unknown"
        state.bucket.take(portal.client_hash(host, state.secret))
    except portal.SubmissionInvalid as exc:
        return _form_page(request, values, problems=exc.problems, status_code=422)
    except portal.RateLimited:
        return _form_page(request, values, refusal="rate", status_code=429)
    except portal.SpamRefused as exc:
        kind = ("stamp" if "stamp" in exc.message or "expired" in exc.message
                else "quick" if "quickly" in exc.message else "spam")
        return _form_page(request, values, refusal=kind, status_code=400)
    if checked.person_id is not None and not await run_in_threadpool(
            portal.is_public, _case(request), checked.person_id):
        from dadkhah.portal.submissions import FieldProblem

        return _form_page(request, values, status_code=422, problems=[FieldProblem(
            "person_id", "person_id", "is not the number of a memorial entry.")])
    await run_in_threadpool(portal.submit, _case(request), checked,
                            client_hash=portal.client_hash(host, state.secret), key=state.key)
    # Tell the submitter that invisible direction controls were removed (review I21).
    return _redirect("/submit/thanks?bidi=1" if checked.bidi_removed else "/submit/thanks")


@router.get("/submit/thanks", include_in_schema=False)
def submit_thanks(request: Request, bidi: int = Query(0, ge=0, le=1)) -> Response:
    return render(request, "public/thanks.html", {"bidi_removed": bool(bidi)})


# -- the moderation queue (team) -----------------------------------------------------------
@router.get("/team/submissions", include_in_schema=False)
def queue(request: Request, status: str = Query("pending", pattern="^(pending|accepted|rejected)$"),
          user: UserInfo = requires("moderate")) -> Response:
    subs = portal.list_submissions(_case(request), role=user.role, status=status, limit=200)
    return render(request, "public/team_submissions.html", {"subs": subs, "status": status})


@router.get("/team/submissions/{submission_id}", include_in_schema=False)
def submission_page(request: Request, submission_id: int = Path(ge=1, le=MAX_ID),
                    user: UserInfo = requires("moderate")) -> Response:
    # The contact is shown only by the audited POST below, never from the address.
    sub = portal.get_submission(_case(request), submission_id, role=user.role)
    return render(request, "public/team_submission.html", {
        "s": sub, "contact": None,
        "may_read_contact": access.allowed(user.role, "protected.read")})


@router.post("/team/submissions/{submission_id}/contact", include_in_schema=False)
def reveal_contact(request: Request, submission_id: int = Path(ge=1, le=MAX_ID),
                   user: UserInfo = requires("protected.read")) -> Response:
    case = _case(request)
    contact = portal.submission_contact(case, submission_id, role=user.role, by=audit_name(user),
                                        key=portal_state(request).key)
    sub = portal.get_submission(case, submission_id, role=user.role)
    return render(request, "public/team_submission.html", {
        "s": sub, "contact": contact or "", "may_read_contact": True})


@router.post("/team/submissions/{submission_id}/accept", include_in_schema=False)
def accept(request: Request, submission_id: int = Path(ge=1, le=MAX_ID),
           user: UserInfo = requires("moderate")) -> Response:
    portal.accept(_case(request), submission_id, by=audit_name(user), role=user.role)
    return _redirect(f"/team/submissions/{submission_id}")


@router.post("/team/submissions/{submission_id}/reject", include_in_schema=False)
def reject(request: Request, submission_id: int = Path(ge=1, le=MAX_ID),
           reason: str = Form(""), user: UserInfo = requires("moderate")) -> Response:
    portal.reject(_case(request), submission_id, reason=reason, by=audit_name(user),
                  role=user.role)
    return _redirect(f"/team/submissions/{submission_id}")


# -- the public JSON API -------------------------------------------------------------------
class PublicPlaceOut(BaseModel):
    id: str
    name_en: str
    name_fa: str


class PublicDateOut(BaseModel):
    earliest: str
    latest: str
    gregorian: str
    jalali: str


class PublicPersonOut(BaseModel):
    """A memorial entry: public fields only."""

    person_id: int
    name_fa: str | None
    name_latin: str | None
    birth_year: str | None
    death: PublicDateOut | None
    prison: PublicPlaceOut | None
    city: PublicPlaceOut | None
    sources: list[str]
    synthetic: bool
    name_fa_origin: str | None = Field(None, description=(
        "where name_fa came from: source (as written by a source) or person (checked and "
        "corrected by a team member)"))
    name_latin_origin: str | None = Field(None, description=(
        "where name_latin came from: source (as written by a source), machine (a machine "
        "transliteration: no source wrote the name in Latin letters) or person (checked "
        "and corrected by a team member)"))
    name_fa_written_by: list[str] = Field(default_factory=list, description=(
        "titles of the sources that wrote name_fa so"))
    name_latin_written_by: list[str] = Field(default_factory=list, description=(
        "titles of the sources that wrote name_latin so"))
    url: str  # the memorial page
    api_url: str


class PublicPersonsOut(BaseModel):
    total: int | None  # null for a search
    persons: list[PublicPersonOut]
    next: str | None = None  # the next page, when there is one


class PublicFootnoteOut(BaseModel):
    number: int
    text: str


class PublicArticleOut(BaseModel):
    slug: str
    title: str
    language: str
    summary: str | None
    url: str
    api_url: str


class PublicArticleFullOut(PublicArticleOut):
    html: str
    footnotes: list[PublicFootnoteOut]


class PublicIndexOut(BaseModel):
    persons: str
    articles: str
    submit: str


_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "Not public, or no such entry"}}


def _person_out(e: portal.MemorialEntry) -> PublicPersonOut:
    d = e.to_dict()
    # bidi controls removed from every value sent (the module docstring's rule; review I21)
    return PublicPersonOut(**strip_bidi_controls(
        {**d, "sources": list(e.sources), "url": f"/memorial/{e.person_id}",
         "api_url": f"/api/public/persons/{e.person_id}"}))


def _article_out(a: portal.ArticleView) -> dict[str, Any]:
    return strip_bidi_controls(
        {"slug": a.slug, "title": a.title, "language": a.language, "summary": a.summary,
         "url": f"/articles/{a.slug}", "api_url": f"/api/public/articles/{a.slug}"})


@router.get("/api/public/", response_model=PublicIndexOut, tags=["public"])
def api_index() -> PublicIndexOut:
    """Where the public data is."""
    return PublicIndexOut(persons="/api/public/persons", articles="/api/public/articles",
                    submit="/submit")


@router.get("/api/public/persons", response_model=PublicPersonsOut, tags=["public"])
def api_persons(request: Request, q: str = Query("", max_length=200),
                limit: int = Query(50, ge=1, le=200),
                offset: int = Query(0, ge=0, le=10_000_000)) -> PublicPersonsOut:
    """Memorial entries (persons marked public), or those whose name matches ``q`` in either
    script; ``total`` is null for a search."""
    case = _case(request)
    if q.strip():
        return PublicPersonsOut(total=None, persons=[_person_out(e) for e in
                                               portal.search_memorial(case, q, limit=limit)])
    entries, total = portal.memorial_entries(case, limit=limit, offset=offset)
    more = offset + limit < total
    return PublicPersonsOut(total=total, persons=[_person_out(e) for e in entries],
                      next=f"/api/public/persons?limit={limit}&offset={offset + limit}"
                      if more else None)


@router.get("/api/public/persons/{person_id}", response_model=PublicPersonOut, tags=["public"],
            responses=_NOT_FOUND)
def api_person(request: Request, person_id: int = Path(ge=1, le=MAX_ID)) -> PublicPersonOut:
    """One memorial entry."""
    return _person_out(portal.memorial_entry(_case(request), person_id))


@router.get("/api/public/articles", response_model=list[PublicArticleOut], tags=["public"])
def api_articles(request: Request) -> list[dict[str, Any]]:
    """The published articles."""
    return [_article_out(a) for a in portal.list_articles(_case(request))]


@router.get("/api/public/articles/{slug}", response_model=PublicArticleFullOut, tags=["public"],
            responses=_NOT_FOUND)
def api_article(request: Request, slug: str = Path(max_length=64)) -> dict[str, Any]:
    """One published article, its body as safe HTML, and its footnotes."""
    a = portal.get_article(_case(request), slug)
    return {**_article_out(a), **strip_bidi_controls(
        {"html": a.html, "footnotes": [{"number": f.number, "text": f.text}
                                        for f in a.footnotes]})}

"""Server-rendered pages: one Jinja2 environment, and :func:`render` which gives every template
the visitor's language, text direction, user, CSRF token and the display filters.

Filters (all follow the page language): ``num`` (thousands separators, Persian digits in
Persian), ``jdate`` (an ISO date with its precision, in the page's calendar), ``years``
(Gregorian birth years: «۱۳۳۸–۱۳۳۹» for 1960 in Solar Hijri), ``digits`` (Persian digits in
Persian), ``weblink`` (a stored URL as a link only if it is http(s), otherwise as plain text,
so a ``javascript:`` address written into the database never becomes clickable).
``t("key", name=value)`` looks a message up in the catalogs (:mod:`.i18n`);
``interval(lo, hi)`` shows a date interval with its precision.

Every date goes through :func:`dadkhah.names.format_interval` (one formatter for pages, the
memorial and the report).  The page's calendar is Solar Hijri for Persian and Gregorian for
English unless the reader asks: ``?cal=gregorian`` or ``?cal=jalali`` on any page (the toggle
in the header) switches it and is remembered in the ``dadkhah_cal`` cookie.

Every value a template prints loses its bidi embedding, override and isolate controls
(U+202A-U+202E, U+2066-U+2069): a stored ``\u202eevil`` would otherwise reverse the text after
it on the page, so a reader (or a moderator) would see something other than what is stored.
The stored text stays verbatim; user text sits in ``<bdi>`` where it meets page text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup

from dadkhah.access import allowed
from dadkhah.errors import InvalidInput
from dadkhah.names import CALENDARS, default_calendar, format_years
from dadkhah.store import check_url
from dadkhah.web import i18n

TEMPLATES = Path(__file__).parent / "templates"
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(value: Any) -> Any:
    """``value`` with bidi embedding, override and isolate controls removed from every string
    in it (nested in dicts, lists and tuples too): the rule for pages and the public JSON API
    alike.  Stored text is never changed; only what is shown or sent."""
    if isinstance(value, str):
        return _BIDI_CONTROLS.sub("", value) if _BIDI_CONTROLS.search(value) else value
    if isinstance(value, dict):
        return {k: strip_bidi_controls(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(strip_bidi_controls(v) for v in value)
    return value


def _finalize(value: Any) -> Any:
    """Drop bidi controls from a printed value; Markup stays Markup (they are not markup)."""
    if isinstance(value, str) and _BIDI_CONTROLS.search(value):
        cleaned = _BIDI_CONTROLS.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


@pass_context
def _num(ctx: Any, value: Any, decimals: int = 0) -> str:
    return i18n.format_number(value, ctx.get("lang", "en"), decimals=decimals)


CALENDAR_COOKIE = "dadkhah_cal"


@pass_context
def _jdate(ctx: Any, value: str | None) -> str:
    return i18n.format_date(value, ctx.get("lang", "en"), ctx.get("calendar"))


@pass_context
def _years(ctx: Any, lo: int | str | None, hi: int | str | None = None) -> str:
    return format_years(lo, hi, lang=ctx.get("lang", "en"), calendar=ctx.get("calendar"))


@pass_context
def _digits(ctx: Any, value: Any) -> str:
    if value is None:
        return ""
    return i18n.persian_digits(value) if ctx.get("lang") == "fa" else str(value)


@pass_context
def _interval(ctx: Any, lo: str | None, hi: str | None, calendar: str | None = None) -> str:
    return i18n.format_interval(lo, hi, ctx.get("lang", "en"), calendar or ctx.get("calendar"))


def _weblink(value: str | None) -> Markup:
    if not value:
        return Markup("")
    try:
        url = check_url(value)
    except InvalidInput:
        url = None
    if url is None:
        return Markup('<span dir="ltr" class="unsafe-url">{}</span>').format(value)
    return Markup('<a href="{}" rel="noreferrer noopener" dir="ltr">{}</a>').format(url, url)


def _may_start(role: str | None, kind: str) -> bool:
    """Whether ``role`` may start a job of ``kind`` (the permission is the job kind's)."""
    from dadkhah.web.jobs import KINDS

    spec = KINDS.get(kind)
    return spec is not None and role is not None and allowed(role, spec.permission)


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True, finalize=_finalize)
    env.filters.update(num=_num, jdate=_jdate, digits=_digits, weblink=_weblink, years=_years)
    env.globals["interval"] = _interval
    env.globals["years"] = _years
    env.globals["allowed"] = allowed  # allowed(user.role, "moderate"): one permission table
    env.globals["may_start"] = _may_start  # may_start(user.role, "link"): a job's button
    return env


def _asked_calendar(request: Request) -> str | None:
    """The calendar the reader asked for on this request (``?cal=``), if a valid one."""
    cal = request.query_params.get("cal")
    return cal if cal in CALENDARS else None


def page_calendar(request: Request, lang: str) -> str:
    """The calendar dates are shown in: asked on this request, else remembered in the
    cookie, else Solar Hijri for Persian and Gregorian for English."""
    cal = _asked_calendar(request) or request.cookies.get(CALENDAR_COOKIE)
    return cal if cal in CALENDARS else default_calendar(lang)


def _return_to(request: Request) -> str:
    url = request.url.remove_query_params("cal")
    return url.path + (f"?{url.query}" if url.query else "")


def _back(request: Request, signed_in: bool) -> str:
    """Where an error page's "Back" goes: the page the visitor came from when it is on this
    site (a path only), else the start page.  A link, not ``javascript:history.back()``,
    which the site's Content-Security-Policy refuses."""
    from urllib.parse import urlsplit

    ref = urlsplit(request.headers.get("referer") or "")
    if ref.netloc == request.url.netloc and ref.path.startswith("/") \
            and not ref.path.startswith("//") and ref.path != request.url.path:
        return ref.path + (f"?{ref.query}" if ref.query else "")
    return "/team/" if signed_in else "/"


def page_context(request: Request) -> dict[str, Any]:
    """What every template sees about the visitor."""
    lang = getattr(request.state, "lang", "en")
    calendar = page_calendar(request, lang)
    other = "gregorian" if calendar == "jalali" else "jalali"

    def t(key: str, **values: Any) -> str:
        return i18n.translate(lang, key, **values)

    def job_note(message: str | None) -> tuple[str, bool]:
        return i18n.job_note(lang, message)

    def error_kind(name: str | None) -> str | None:
        return i18n.error_kind_named(lang, name)

    def particulars(error: Any = None, *, name: str | None = None,
                    message: str | None = None) -> list[Any]:
        from dadkhah.web.error_text import error_particulars

        if isinstance(error, BaseException):
            return error_particulars(lang, error)
        return error_particulars(lang, name=name, message=message)

    def said(text: str, wordings: Any = None) -> str:
        # a library note (an estimator's warning) in the page's language when it has a
        # wording; in English, and without one, as the library wrote it
        wording = (wordings or {}).get(text)
        return text if wording is None or lang == "en" else i18n.render_wording(lang, wording)

    def problem_text(problem: Any, file_name: str) -> Any:
        from dadkhah.web.error_text import problem_text as text

        return text(lang, problem, file_name)

    return {"request": request, "lang": lang, "dir": i18n.text_direction(lang), "t": t,
            "job_note": job_note, "error_kind": error_kind, "particulars_of": particulars,
            "problem_text": problem_text, "said": said,
            "user": getattr(request.state, "user", None),
            "csrf_token": getattr(request.state, "csrf_token", ""),
            "path": request.url.path, "calendar": calendar,
            # a path, never an absolute URL: pages name no origin, not even their own (W28)
            "calendar_toggle": (other, _relative(request.url.include_query_params(cal=other))),
            # where the language switch returns to: without ?cal=, so a calendar asked for
            # in one language is not carried into the other
            "return_to": _return_to(request),
            "back": _back(request, getattr(request.state, "user", None) is not None)}


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render ``template`` (a path under ``web/templates``) as the response to ``request``."""
    env: Environment = request.app.state.templates
    html = env.get_template(template).render({**page_context(request), **(context or {})})
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    asked = _asked_calendar(request)
    if asked is not None:
        # remember a choice away from the language's own calendar; asking for that one
        # again forgets it (so English pages are Gregorian again, Persian Solar Hijri)
        if asked == default_calendar(getattr(request.state, "lang", "en")):
            if CALENDAR_COOKIE in request.cookies:
                response.delete_cookie(CALENDAR_COOKIE, path="/")
        elif asked != request.cookies.get(CALENDAR_COOKIE):
            from dadkhah.web.app import set_cookie  # the one way cookies are set

            set_cookie(request, response, CALENDAR_COOKIE, asked, max_age=365 * 86400)
    return response


def _relative(url: Any) -> str:
    """``url`` without scheme and host: its path and query."""
    return url.path + (f"?{url.query}" if url.query else "")

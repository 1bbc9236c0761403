"""Case-file editing in the team workspace: forms that add and change actors, roles, events,
allegations, death-toll figures and the sources behind each (a source is removed with a
reason), for users who may write (editors and admins).

Every form goes through the library (:mod:`dadkhah.casefile`), so the same rules hold as on
the command line: a claim needs a source (attribution is never optional), grades come from
the Admiralty scale, dates are read in either calendar, each change is one audited
transaction, and a refused change leaves the case as it was.  What a user can get wrong in a
field (a missing value, an unusable id, a date or a number that cannot be read) is checked
here first and said in the user's language next to the form, with what they typed kept.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from dadkhah import casefile as cf
from dadkhah.access import Viewer
from dadkhah.errors import DadkhahError
from dadkhah.users import UserInfo
from dadkhah.web.app import audit_name, requires
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.restricted import viewer_of
from dadkhah.web.templating import render

# Its routes are served as part of dadkhah.web.casefile_pages.router.
router = APIRouter(prefix="/team/casefile", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class FormField:
    """One input of a case-file form."""

    name: str
    label: str  # message key
    kind: str = "text"  # text | textarea | select | number | coordinate | file
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, message key or text)
    dir: str = "auto"
    hint: str | None = None  # message key


@dataclass
class Form:
    """A form being shown or checked: its fields, the values typed, and the problems."""

    title: str  # message key
    fields: list[FormField]
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field name → message
    refused: str | None = None  # the library's reason for refusing the whole change
    refused_hint: str | None = None
    cancel: str = "/team/casefile/"
    intro: str | None = None  # message key
    sources: tuple[Any, ...] = ()  # the sources the item already has (shown above the form)
    uncite: str | None = None  # where each of those sources can be removed ("<url>/<slug>")
    multipart: bool = False  # has a file input (evidence)

    def value(self, name: str) -> str:
        return self.values.get(name, "")


_SLUG_FIELD = FormField("slug", "cfedit.slug", required=True, dir="ltr", hint="cfedit.slug_hint")
"""The first field of a form that adds an item named by a slug (actor, event, burial site)."""


def _vocab(prefix: str, values: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
    return tuple((v, f"cfv.{prefix}.{v}") for v in values)


def _citation_fields(case: Any, user: UserInfo, *, required: bool) -> list[FormField]:
    """The fields of one citation.  The sources offered are those ``user`` may see
    (restricted records: a source restricted to them is offered to them only); a posted slug
    outside them is refused by :func:`_check` as one that does not exist, in the same words."""
    sources = tuple((s.slug, s.title) for s in case.sources(viewer_of(user)))
    blank = () if required else (("", "cfedit.no_source"),)
    return [
        FormField("source", "cfedit.source", "select", required, blank + sources,
                  hint="cfedit.source_hint"),
        FormField("credibility", "cfedit.credibility", "select", True,
                  tuple((k, f"cfv.credibility.{k}") for k in cf.CREDIBILITY)),
        FormField("locator", "cfedit.locator", dir="ltr", hint="cfedit.locator_hint"),
        FormField("quote", "cfedit.quote", "textarea"),
    ]


def _cite(values: dict[str, str]) -> list[cf.Cite]:
    if not values.get("source"):
        return []
    return [cf.Cite(values["source"], values.get("credibility") or "6",
                    values.get("locator") or None, values.get("quote") or None)]


def _check(form: Form, request: Request) -> None:
    """Field checks said in the user's language (the library checks again on write)."""
    from dadkhah.names.dates import try_parse_date

    t = _translator(request)
    for f in form.fields:
        if f.kind == "file":  # checked by _handle, which has the file
            continue
        v = form.value(f.name).strip()
        if f.required and not v:
            form.errors[f.name] = t("cfedit.required", field=t(f.label))
        elif v and f.choices and v not in {c[0] for c in f.choices}:
            form.errors[f.name] = t("cfedit.bad_choice", field=t(f.label))
        elif v and f.name == "slug" and not _SLUG.match(v):
            form.errors[f.name] = t("cfedit.bad_slug")
        elif v and f.kind == "number" and not v.isdigit():
            form.errors[f.name] = t("cfedit.bad_number", field=t(f.label))
        elif v and f.kind == "coordinate":
            limit = 90 if f.name == "lat" else 180
            try:
                ok = -limit <= float(v) <= limit
            except ValueError:
                ok = False
            if not ok:
                form.errors[f.name] = t("cfedit.bad_coordinate", field=t(f.label), limit=limit)
        elif v and f.name in ("date", "start", "end"):
            interval, _problem = try_parse_date(v)
            if interval is None:
                form.errors[f.name] = t("cfedit.bad_date", value=v)
        elif v and f.name == "place":
            try:
                from dadkhah.casefile.events import resolve_place

                resolve_place(v)
            except DadkhahError:
                form.errors[f.name] = t("cfedit.bad_place", value=v)
    if bool(form.value("lat").strip()) != bool(form.value("lon").strip()) and \
            "lat" not in form.errors and "lon" not in form.errors:
        form.errors["lon" if form.value("lat").strip() else "lat"] = t("cfedit.both_coordinates")
    lo, hi = form.value("low").strip(), form.value("high").strip()
    if lo.isdigit() and hi.isdigit() and int(lo) > int(hi):
        form.errors["high"] = t("cfedit.bad_range")


def _translator(request: Request) -> Callable[..., str]:
    from dadkhah.web import i18n

    lang = getattr(request.state, "lang", "en")
    return lambda key, **kw: i18n.translate(lang, key, **kw)


async def _handle(request: Request, form: Form, save: Callable[[dict[str, str]], str],
                  upload: Callable[[Any], Awaitable[None]] | None = None) -> Response:
    """Show ``form`` (GET) or check and save it (POST): ``save`` writes through the library
    and returns where to go next; a refusal shows the form again with the reason.
    ``upload`` receives the form's file (of its ``file`` field) before ``save`` runs."""
    if request.method == "POST":
        data = await request.form()
        t = _translator(request)
        form.values = {f.name: str(data.get(f.name) or "") for f in form.fields
                       if f.kind != "file"}
        _check(form, request)
        files = [(f, data.get(f.name)) for f in form.fields if f.kind == "file"]
        for f, sent in files:
            if not getattr(sent, "filename", None):
                form.errors[f.name] = t("cfedit.required", field=t(f.label))
        if not form.errors:
            try:
                if upload is not None and files:
                    await upload(files[0][1])
                target = await run_in_threadpool(save, {k: v.strip() for k, v in
                                                        form.values.items()})
            except DadkhahError as exc:
                form.refused, form.refused_hint = exc.message, exc.hint
            else:
                return RedirectResponse(target, status_code=303)
    status = 400 if (form.errors or form.refused) else 200
    return render(request, "team/casefile/form.html", {"form": form}, status_code=status)


def _lines(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[\n،,]", text) if p.strip()]


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


# -- actors ----------------------------------------------------------------------------------
def _actor_fields() -> list[FormField]:
    return [FormField("kind", "casefile.kind", "select", True,
                      _vocab("actor_kind", cf.ACTOR_KINDS)),
            FormField("name_en", "cfedit.name_en", dir="ltr"),
            FormField("name_fa", "cfedit.name_fa", dir="rtl", hint="cfedit.name_hint"),
            FormField("aliases", "cfedit.aliases", "textarea", hint="cfedit.aliases_hint"),
            FormField("notes", "cfedit.notes", "textarea")]


@router.api_route("/new/actor", methods=["GET", "POST"])
async def new_actor(request: Request, user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    form = Form("cfedit.new_actor", [_SLUG_FIELD, *_actor_fields(),
                                     *_citation_fields(case, user, required=False)])

    def save(v: dict[str, str]) -> str:
        a = cf.add_actor(case, slug=v["slug"], kind=v["kind"], name_en=v["name_en"] or None,
                         name_fa=v["name_fa"] or None, aliases=_lines(v["aliases"]),
                         notes=v["notes"] or None, sources=_cite(v), by=audit_name(user),
                         role=user.role, viewer=viewer_of(user))
        return f"/team/casefile/actors/{a.slug}"

    return await _handle(request, form, save)


@router.api_route("/actors/{ref}/edit", methods=["GET", "POST"])
async def edit_actor(request: Request, ref: str, user: UserInfo = requires("write")
                     ) -> Response:
    case = _case(request)
    a = cf.get_actor(case, ref, viewer=viewer_of(user))
    form = Form("cfedit.edit_actor", _actor_fields(), cancel=f"/team/casefile/actors/{a.slug}",
                values={"kind": a.kind, "name_en": a.name_en or "", "name_fa": a.name_fa or "",
                        "aliases": "\n".join(a.aliases), "notes": a.notes or ""})

    def save(v: dict[str, str]) -> str:
        cf.update_actor(case, a.id, kind=v["kind"], name_en=v["name_en"], name_fa=v["name_fa"],
                        aliases=_lines(v["aliases"]), notes=v["notes"], by=audit_name(user),
                        role=user.role, viewer=viewer_of(user))
        return f"/team/casefile/actors/{a.slug}"

    return await _handle(request, form, save)


def _role_fields(case: Any, user: UserInfo) -> list[FormField]:
    institutions = tuple((x.slug, x.display_name)
                         for x in cf.list_actors(case, viewer=viewer_of(user))
                         if x.kind == "institution")
    return [FormField("position", "casefile.position", required=True, dir="ltr"),
            FormField("position_fa", "cfedit.position_fa", dir="rtl"),
            FormField("institution", "casefile.institution", "select",
                      choices=(("", "cfedit.none_chosen"), *institutions)),
            FormField("start", "casefile.from", hint="cfedit.date_hint"),
            FormField("end", "casefile.to", hint="cfedit.date_hint"),
            FormField("notes", "cfedit.notes", "textarea")]


@router.api_route("/actors/{ref}/roles/new", methods=["GET", "POST"])
async def new_role(request: Request, ref: str, user: UserInfo = requires("write")
                   ) -> Response:
    case = _case(request)
    a = cf.get_actor(case, ref, viewer=viewer_of(user))
    form = Form("cfedit.new_role", [*_role_fields(case, user),
                                    *_citation_fields(case, user, required=True)],
                cancel=f"/team/casefile/actors/{a.slug}")

    def save(v: dict[str, str]) -> str:
        cf.add_role(case, holder=a.id, position=v["position"],
                    position_fa=v["position_fa"] or None, institution=v["institution"] or None,
                    start=v["start"] or None, end=v["end"] or None, notes=v["notes"] or None,
                    sources=_cite(v), by=audit_name(user), role=user.role, viewer=viewer_of(user))
        return f"/team/casefile/actors/{a.slug}"

    return await _handle(request, form, save)


@router.api_route("/roles/{role_id}/edit", methods=["GET", "POST"])
async def edit_role(request: Request, role_id: int, user: UserInfo = requires("write")
                    ) -> Response:
    """Change a role (position, institution, dates, notes); its sources are listed with a
    link to remove each, and one more can be cited."""
    case = _case(request)
    r = cf.get_role(case, role_id, viewer=viewer_of(user))
    back = f"/team/casefile/actors/{r.holder}#role-{r.id}"
    form = Form("cfedit.edit_role", [*_role_fields(case, user),
                                     *_citation_fields(case, user, required=False)], cancel=back,
                values={"position": r.position, "position_fa": r.position_fa or "",
                        "institution": r.institution_slug or "", "start": r.start_text or "",
                        "end": r.end_text or "", "notes": r.notes or "", "credibility": "6"},
                sources=r.sources, uncite=f"/team/casefile/uncite/role/{r.id}")

    def save(v: dict[str, str]) -> str:
        by, role = audit_name(user), user.role
        cf.update_role(case, r.id, position=v["position"], position_fa=v["position_fa"],
                       institution=v["institution"] or None, start=v["start"], end=v["end"],
                       notes=v["notes"], by=by, role=role, viewer=viewer_of(user))
        for c in _cite(v):
            cf.add_citation(case, "role", r.id, c, by=by, role=role, viewer=viewer_of(user))
        return back

    return await _handle(request, form, save)


# -- events and figures ----------------------------------------------------------------------
def _event_fields() -> list[FormField]:
    return [FormField("event_type", "casefile.type", "select", True,
                      _vocab("event_type", cf.EVENT_TYPES)),
            FormField("title", "cfedit.title_en", required=True, dir="ltr"),
            FormField("title_fa", "cfedit.title_fa", dir="rtl"),
            FormField("date", "casefile.date", hint="cfedit.date_hint"),
            FormField("place", "cfedit.place", hint="cfedit.place_hint"),
            FormField("description", "cfedit.description", "textarea")]


@router.api_route("/new/event", methods=["GET", "POST"])
async def new_event(request: Request, user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    form = Form("cfedit.new_event", [_SLUG_FIELD, *_event_fields(),
                                     *_citation_fields(case, user, required=True)])

    def save(v: dict[str, str]) -> str:
        e = cf.add_event(case, slug=v["slug"], event_type=v["event_type"], title=v["title"],
                         title_fa=v["title_fa"] or None, description=v["description"] or None,
                         date=v["date"] or None, place=v["place"] or None, sources=_cite(v),
                         by=audit_name(user), role=user.role, viewer=viewer_of(user))
        return f"/team/casefile/events/{e.slug}"

    return await _handle(request, form, save)


@router.api_route("/events/{ref}/edit", methods=["GET", "POST"])
async def edit_event(request: Request, ref: str, user: UserInfo = requires("write")
                     ) -> Response:
    case = _case(request)
    e = cf.get_event(case, ref, viewer=viewer_of(user))
    form = Form("cfedit.edit_event", _event_fields(), cancel=f"/team/casefile/events/{e.slug}",
                values={"event_type": e.event_type, "title": e.title,
                        "title_fa": e.title_fa or "", "date": e.date_text or "",
                        "place": e.place_id or e.place_text or "",
                        "description": e.description or ""})

    def save(v: dict[str, str]) -> str:
        cf.update_event(case, e.id, event_type=v["event_type"], title=v["title"],
                        title_fa=v["title_fa"], description=v["description"], date=v["date"],
                        place=v["place"] or None, by=audit_name(user), role=user.role,
                        viewer=viewer_of(user))
        return f"/team/casefile/events/{e.slug}"

    return await _handle(request, form, save)


@router.api_route("/events/{ref}/figures/new", methods=["GET", "POST"])
async def new_figure(request: Request, ref: str, user: UserInfo = requires("write")
                     ) -> Response:
    case = _case(request)
    e = cf.get_event(case, ref, viewer=viewer_of(user))
    form = Form("cfedit.new_figure", [
        *_figure_fields(), *_citation_fields(case, user, required=True)],
        cancel=f"/team/casefile/events/{e.slug}", intro="cfedit.figure_intro")

    def save(v: dict[str, str]) -> str:
        cf.add_figure(case, e.id, quantity=v["quantity"], figure_type=v["figure_type"],
                      value_text=v["value_text"], low=_int(v["low"]), high=_int(v["high"]),
                      notes=v["notes"] or None, sources=_cite(v), by=audit_name(user),
                      role=user.role, viewer=viewer_of(user))
        return f"/team/casefile/events/{e.slug}#figures"

    return await _handle(request, form, save)


def _figure_fields() -> list[FormField]:
    return [FormField("quantity", "casefile.quantity", "select", True,
                      _vocab("quantity", ("killed", "secretly_buried", "names_listed",
                                          "killed_in_one_night", "executed", "detained"))),
            FormField("figure_type", "casefile.type", "select", True,
                      _vocab("figure_type", cf.FIGURE_TYPES), hint="cfedit.figure_type_hint"),
            FormField("value_text", "cfedit.value_text", required=True,
                      hint="cfedit.value_text_hint"),
            FormField("low", "cfedit.low", "number"),
            FormField("high", "cfedit.high", "number"),
            FormField("notes", "cfedit.notes", "textarea")]


@router.api_route("/figures/{figure_id}/edit", methods=["GET", "POST"])
async def edit_figure(request: Request, figure_id: int, user: UserInfo = requires("write")
                      ) -> Response:
    """Change a figure as its source gives it; its sources are listed with a link to remove
    each (never the last one), and one more can be cited."""
    case = _case(request)
    f = cf.get_figure(case, figure_id, viewer=viewer_of(user))
    back = f"/team/casefile/events/{f.event}#figure-{f.id}"
    fields = _figure_fields()
    known = {c[0] for c in fields[0].choices}
    if f.quantity not in known:  # a quantity recorded on the command line keeps its word
        fields[0] = FormField("quantity", "casefile.quantity", "select", True,
                              ((f.quantity, f.quantity), *fields[0].choices))
    form = Form("cfedit.edit_figure", [*fields, *_citation_fields(case, user, required=False)],
                cancel=back, intro="cfedit.figure_intro",
                values={"quantity": f.quantity, "figure_type": f.figure_type,
                        "value_text": f.value_text,
                        "low": "" if f.low is None else str(f.low),
                        "high": "" if f.high is None else str(f.high), "notes": f.notes or "",
                        "credibility": "6"},
                sources=f.sources, uncite=f"/team/casefile/uncite/figure/{f.id}")

    def save(v: dict[str, str]) -> str:
        by, role = audit_name(user), user.role
        cf.update_figure(case, f.id, quantity=v["quantity"], figure_type=v["figure_type"],
                         value_text=v["value_text"], low=_int(v["low"]), high=_int(v["high"]),
                         notes=v["notes"], by=by, role=role, viewer=viewer_of(user))
        for c in _cite(v):
            cf.add_citation(case, "figure", f.id, c, by=by, role=role, viewer=viewer_of(user))
        return back

    return await _handle(request, form, save)


# -- allegations -----------------------------------------------------------------------------
def _allegation_fields(text_hint: str | None = None) -> list[FormField]:
    """The fields of an allegation a new one and an edit share (the new one also names the
    accused and the event)."""
    return [FormField("mode", "cfedit.mode", "select", True, _vocab("mode", cf.MODES)),
            FormField("status", "cfedit.status", "select", True, _vocab("status", cf.STATUSES),
                      hint="cfedit.status_hint"),
            FormField("text", "cfedit.text_en", "textarea", True, dir="ltr", hint=text_hint),
            FormField("text_fa", "cfedit.text_fa", "textarea", dir="rtl")]


@router.api_route("/new/allegation", methods=["GET", "POST"])
async def new_allegation(request: Request, user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    q = request.query_params
    form = Form("cfedit.new_allegation", [
        FormField("accused", "cfedit.accused", "select", True,
                  tuple((a.slug, a.display_name)
                        for a in cf.list_actors(case, viewer=viewer_of(user)))),
        FormField("event", "casefile.event", "select", True,
                  tuple((e.slug, e.title)
                        for e in cf.list_events(case, viewer=viewer_of(user)))),
        *_allegation_fields(text_hint="cfedit.text_hint"),
        *_citation_fields(case, user, required=True)],
        values={"accused": q.get("accused", ""), "event": q.get("event", ""),
                "status": "alleged", "credibility": "6"}, intro="cfedit.allegation_intro")

    def save(v: dict[str, str]) -> str:
        al = cf.add_allegation(case, accused=v["accused"], event=v["event"], mode=v["mode"],
                               status=v["status"], text=v["text"], text_fa=v["text_fa"] or None,
                               sources=_cite(v), by=audit_name(user), role=user.role,
                               viewer=viewer_of(user))
        return f"/team/casefile/actors/{al.accused}#allegation-{al.id}"

    return await _handle(request, form, save)


@router.api_route("/allegations/{allegation_id}/edit", methods=["GET", "POST"])
async def edit_allegation(request: Request, allegation_id: int,
                          user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    al = cf.get_allegation(case, allegation_id, viewer=viewer_of(user))
    form = Form("cfedit.edit_allegation", [
        *_allegation_fields(), *_citation_fields(case, user, required=False)],
        cancel=f"/team/casefile/actors/{al.accused}#allegation-{al.id}",
        values={"mode": al.mode, "status": al.status, "text": al.text,
                "text_fa": al.text_fa or "", "credibility": "6"},
        intro="cfedit.edit_allegation_intro", sources=al.sources)

    def save(v: dict[str, str]) -> str:
        # One form is up to two library calls, each its own transaction.  The one that can
        # be refused on the case's state (a status "established by a court" without a court
        # record among the sources) goes first, so a refusal leaves everything as it was;
        # the wording is checked by the form before either runs.
        by, role = audit_name(user), user.role
        cites = _cite(v)
        if v["status"] != al.status:
            cf.set_allegation_status(case, al.id, v["status"], sources=cites, by=by,
                                     role=role, viewer=viewer_of(user))
        elif cites:
            cf.add_citation(case, "allegation", al.id, cites[0], by=by, role=role,
                            viewer=viewer_of(user))
        cf.update_allegation(case, al.id, mode=v["mode"], text=v["text"],
                             text_fa=v["text_fa"], by=by, role=role, viewer=viewer_of(user))
        return f"/team/casefile/actors/{al.accused}#allegation-{al.id}"

    return await _handle(request, form, save)


# -- burial sites ----------------------------------------------------------------------------
def _burial_fields() -> list[FormField]:
    return [FormField("name_en", "cfedit.name_en", dir="ltr"),
            FormField("name_fa", "cfedit.name_fa", dir="rtl", hint="cfedit.name_hint"),
            FormField("place", "cfedit.place", hint="cfedit.burial_place_hint"),
            FormField("lat", "cfedit.lat", "coordinate", dir="ltr"),
            FormField("lon", "cfedit.lon", "coordinate", dir="ltr",
                      hint="cfedit.coordinates_hint"),
            FormField("description", "cfedit.description", "textarea")]


def _point(v: dict[str, str]) -> dict[str, Any] | None:
    if not (v.get("lat") and v.get("lon")):
        return None
    return {"type": "Point", "coordinates": [float(v["lon"]), float(v["lat"])]}


@router.api_route("/new/burial", methods=["GET", "POST"])
async def new_burial(request: Request, user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    form = Form("cfedit.new_burial", [_SLUG_FIELD, *_burial_fields(),
                                      *_citation_fields(case, user, required=True)],
                cancel="/team/casefile/map", values={"credibility": "6"})

    def save(v: dict[str, str]) -> str:
        b = cf.add_burial_site(case, slug=v["slug"], name_en=v["name_en"] or None,
                               name_fa=v["name_fa"] or None, place=v["place"] or None,
                               geometry=_point(v), description=v["description"] or None,
                               sources=_cite(v), by=audit_name(user), role=user.role,
                               viewer=viewer_of(user))
        return f"/team/casefile/burial/{b.slug}"

    return await _handle(request, form, save)


@router.api_route("/burial/{ref}/edit", methods=["GET", "POST"])
async def edit_burial(request: Request, ref: str, user: UserInfo = requires("write")
                      ) -> Response:
    case = _case(request)
    b = cf.get_burial_site(case, ref, viewer=viewer_of(user))
    point = b.geometry if b.geometry and b.geometry.get("type") == "Point" else None
    form = Form("cfedit.edit_burial", _burial_fields(), cancel=f"/team/casefile/burial/{b.slug}",
                values={"name_en": b.name_en or "", "name_fa": b.name_fa or "",
                        "place": b.place_id or "", "description": b.description or "",
                        "lon": str(point["coordinates"][0]) if point else "",
                        "lat": str(point["coordinates"][1]) if point else ""})
    if b.geometry and not point:
        # An area (polygon) is kept as it is: this form edits points only.
        form.fields = [f for f in form.fields if f.name not in ("lat", "lon")]

    def save(v: dict[str, str]) -> str:
        geometry = _point(v) if point or not b.geometry else b.geometry
        cf.update_burial_site(case, b.id, name_en=v["name_en"], name_fa=v["name_fa"],
                              place=v["place"] or None, geometry=geometry,
                              description=v["description"], by=audit_name(user),
                              role=user.role, viewer=viewer_of(user))
        return f"/team/casefile/burial/{b.slug}"

    return await _handle(request, form, save)


# -- evidence files ------------------------------------------------------------------------
@router.api_route("/new/evidence", methods=["GET", "POST"])
async def new_evidence(request: Request, user: UserInfo = requires("write")) -> Response:
    """Upload an evidence file: stored by its SHA-256 in the case's evidence folder, its
    acquisition (who, when, from whom, how) recorded as the first link of its chain of
    custody in the audit log."""
    import shutil
    import tempfile
    from pathlib import Path

    case = _case(request)
    sources = tuple((s.slug, s.title) for s in case.sources(viewer_of(user)))
    form = Form("cfedit.new_evidence", [
        FormField("file", "cfedit.file", "file", True),
        FormField("title", "casefile.title_col"),
        FormField("description", "cfedit.description", "textarea"),
        FormField("kind", "casefile.kind", "select",
                  choices=(("", "cfedit.kind_auto"), *_vocab("evidence_kind",
                                                               cf.EVIDENCE_KINDS))),
        FormField("acquired_by", "cfedit.acquired_by"),
        FormField("acquired_at", "cfedit.acquired_at", hint="cfedit.date_hint"),
        FormField("acquired_from", "cfedit.acquired_from", hint="cfedit.acquired_from_hint"),
        FormField("acquisition_method", "cfedit.acquisition_method",
                  hint="cfedit.acquisition_method_hint"),
        FormField("source", "cfedit.source", "select",
                  choices=(("", "cfedit.no_source"), *sources))],
        intro="cfedit.evidence_intro", multipart=True)
    folder = Path(tempfile.mkdtemp(prefix="dadkhah-evidence-"))
    staged: dict[str, Path] = {}

    async def upload(file: Any) -> None:
        # The file's own name is kept (the evidence records it): its last part only.
        name = Path(str(file.filename or "").replace("\\", "/")).name[:200]
        target = folder / (name if name not in ("", ".", "..") else "upload")
        with target.open("wb") as out:
            while chunk := await file.read(1 << 20):
                out.write(chunk)
        staged["path"] = target

    def save(v: dict[str, str]) -> str:
        ev = cf.add_evidence(case, staged["path"], title=v["title"] or None,
                             description=v["description"] or None, kind=v["kind"] or None,
                             acquired_by=v["acquired_by"] or None,
                             acquired_at=v["acquired_at"] or None,
                             acquired_from=v["acquired_from"] or None,
                             acquisition_method=v["acquisition_method"] or None,
                             source=v["source"] or None, by=audit_name(user), role=user.role,
                             viewer=viewer_of(user))
        return f"/team/casefile/evidence/{ev.id}"

    try:
        return await _handle(request, form, save, upload)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- one more source for any claim -----------------------------------------------------------
_CITE_BACK = {"actor": "/team/casefile/actors/{ref}", "event": "/team/casefile/events/{ref}",
              "burial": "/team/casefile/burial/{ref}"}


@router.api_route("/cite/{claim_kind}/{ref}", methods=["GET", "POST"])
async def cite(request: Request, claim_kind: str, ref: str,
               user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    if claim_kind not in _CITE_BACK:
        from dadkhah.errors import NotFound

        raise NotFound(f"Sources are added here to actors and events, not to {claim_kind!r}.",
                       hint="Edit an allegation to add a source to it.")
    back = _CITE_BACK[claim_kind].format(ref=ref)
    form = Form("cfedit.add_source", _citation_fields(case, user, required=True), cancel=back,
                values={"credibility": "6"})

    def save(v: dict[str, str]) -> str:
        cf.add_citation(case, claim_kind, ref, _cite(v)[0], by=audit_name(user),
                        role=user.role, viewer=viewer_of(user))
        return back

    return await _handle(request, form, save)


def _claim_page(case: Any, claim_kind: str, ref: str, viewer: Viewer
                ) -> tuple[str, tuple[Any, ...]]:
    """Where a claim is shown, and its sources ``viewer`` may see now (NotFound when there
    is no such claim)."""
    from dadkhah.errors import NotFound

    if claim_kind == "actor":
        a = cf.get_actor(case, ref, viewer=viewer)
        return f"/team/casefile/actors/{a.slug}", a.sources
    if claim_kind == "event":
        e = cf.get_event(case, ref, viewer=viewer)
        return f"/team/casefile/events/{e.slug}", e.sources
    if claim_kind == "burial":
        b = cf.get_burial_site(case, int(ref) if ref.isdigit() else ref, viewer=viewer)
        return f"/team/casefile/burial/{b.slug}", b.sources
    if claim_kind == "role":
        r = cf.get_role(case, ref, viewer=viewer)
        return f"/team/casefile/actors/{r.holder}#role-{r.id}", r.sources
    if claim_kind == "figure":
        f = cf.get_figure(case, ref, viewer=viewer)
        return f"/team/casefile/events/{f.event}#figure-{f.id}", f.sources
    if claim_kind == "allegation":
        al = cf.get_allegation(case, ref, viewer=viewer)
        return f"/team/casefile/actors/{al.accused}#allegation-{al.id}", al.sources
    raise NotFound(f"Sources are not kept for {claim_kind!r}.",
                   hint="Choose an actor, role, event, figure, allegation or burial site.")


@router.api_route("/uncite/{claim_kind}/{ref}/{source}", methods=["GET", "POST"])
async def uncite(request: Request, claim_kind: str, ref: str, source: str,
                 user: UserInfo = requires("write")) -> Response:
    """Remove one source from a claim, with the reason (kept in the audit log).  The library
    refuses to leave a figure or an allegation without a source, or a court finding without
    its judgment; the refusal is shown on the form and nothing changes."""
    from dadkhah.errors import NotFound

    case = _case(request)
    back, sources = _claim_page(case, claim_kind, ref, viewer_of(user))
    cited = tuple(c for c in sources if c.source == source)
    if not cited:
        raise NotFound(f"Source {source!r} is not cited for this {claim_kind}.",
                       hint="Open the page of the claim and choose one of its sources.")
    form = Form("cfedit.remove_source", [
        FormField("reason", "cfedit.remove_reason", "textarea", True,
                  hint="cfedit.remove_reason_hint")],
        cancel=back, intro="cfedit.remove_source_intro", sources=cited)

    def save(v: dict[str, str]) -> str:
        cf.remove_citation(case, claim_kind, ref, source, reason=v["reason"],
                           by=audit_name(user), role=user.role, viewer=viewer_of(user))
        return back

    return await _handle(request, form, save)


__all__ = ["Form", "FormField", "router"]

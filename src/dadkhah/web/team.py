"""The team's workspace: server-rendered pages under ``/team`` (login required).

Every route here depends on a logged-in user (:func:`~dadkhah.web.app.require_user` or
:func:`~dadkhah.web.app.requires`) except the login form itself, and every unsafe method on
:func:`~dadkhah.web.csrf.csrf_protect` (router-wide).  Writes go through the library
functions, which write the audit log with ``web:<username>`` as the audit identity (``by=``).
"""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from dadkhah import users as accounts
from dadkhah.access import Viewer, allowed
from dadkhah.casefile import audit_log
from dadkhah.documents import ReadingCount, document_kind, reading_counts, reading_states
from dadkhah.errors import AccessDenied, InvalidInput, NotFound
from dadkhah.ingest import import_file
from dadkhah.portal import is_public, publish, unpublish
from dadkhah.register import (
    ReviewBatch,
    answer_question,
    audit_progress,
    correct_name,
    count_persons,
    get_person,
    keeps_out,
    latest_estimates,
    merge_persons,
    name_corrections,
    next_review_pair,
    record_decision,
    record_fields,
    register_version,
    review_backlog,
    review_pair,
    review_question,
    search_persons,
    source_choices,
    split_person,
    undo_decision,
    withdraw_correction,
)
from dadkhah.store import Case
from dadkhah.users import UserInfo
from dadkhah.web import i18n
from dadkhah.web.app import (
    audit_name,
    require_user,
    requires,
)
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.restricted import viewer_of
from dadkhah.web.search import place_label, place_options
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)

PUBLIC_TEAM_PATHS = frozenset({"/team/login"})
"""Team paths an anonymous visitor may open (the security tests enumerate all others).
Logging in, the second factor and the account page are in :mod:`dadkhah.web.account`."""




def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- dashboard ---------------------------------------------------------------------------
def dashboard_figures(case: Case, viewer: Viewer | None = None) -> dict[str, Any]:
    """Sources, counts, the review backlog, the stored estimates and the latest audit
    sample's linkage quality shown on the dashboard (the sources, records, persons and
    pairs ``viewer`` may see)."""
    sources = case.sources(viewer)
    return {"sources": sources, "records": case.count_records(viewer),
            "copies_of": _copies_of(case, {s.slug for s in sources}),
            "persons": count_persons(case, viewer), "run_id": register_version(case)[0],
            "backlog": review_backlog(case, viewer=viewer),
            "estimates": latest_estimates(case),
            "audit": audit_progress(case), "readings": _readings(case, viewer)}


def _readings(case: Case, viewer: Viewer | None) -> dict[str, ReadingCount]:
    """source slug → its machine readings of documents and how many are unchecked."""
    return {c.slug: c for c in reading_counts(case, viewer=viewer)}


@router.get("/")
def dashboard(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    return render(request, "team/dashboard.html",
                  dashboard_figures(_case(request), viewer_of(user)))


@router.post("/estimates")
def refresh_estimates(request: Request, user: UserInfo = requires("write")) -> Response:
    """Compute the estimates as a background job (about 20 s on a large register)."""
    job = request.app.state.jobs.submit("estimate", {}, by=audit_name(user), role=user.role)
    return redirect(f"/team/jobs/{job.id}")


# -- register search and persons ---------------------------------------------------------
def _search_args(request: Request) -> dict[str, Any]:
    q = request.query_params
    return {k: (q.get(k) or None) for k in ("prison", "city", "source", "died_from",
                                            "died_to")}


@router.get("/search")
def search(request: Request, q: str = "", page: int = 1,
           user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    filters = _search_args(request)
    viewer = viewer_of(user)
    result = search_persons(case, q, page=page, viewer=viewer, **filters) \
        if (q or any(filters.values())) else None
    context = {"q": q, "filters": filters, "result": result, "label": place_label,
               "query_string": _query_without_page(request)}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "team/_search_results.html", context)
    return render(request, "team/search.html", {**context, **_filter_options(request, user)})


def _filter_options(request: Request, user: UserInfo) -> dict[str, Any]:
    """The prisons, cities and sources offered as filters, as the user may see them
    (restricted records).  Reading the places scans the register, so for a user kept out
    of nothing (one indexed query says so) they are kept until a linkage run or a new
    source changes them; a user some records are hidden from gets menus of their own."""
    case = _case(request)
    viewer = viewer_of(user)
    # mappings, not tuples: the templates read ``s.slug`` and ``s.title``
    sources = [{"slug": slug, "title": title}
               for _, slug, title in source_choices(case, viewer)]
    if keeps_out(case, viewer):
        return {"prisons": place_options(case, "prison_id", viewer),
                "cities": place_options(case, "city_id", viewer), "sources": sources}
    version = register_version(case)
    cached = request.app.state.filter_options
    if cached.get("version") != version:
        cached.clear()
        cached.update(version=version, prisons=place_options(case, "prison_id", viewer),
                      cities=place_options(case, "city_id", viewer))
    return {**{k: v for k, v in cached.items() if k != "version"}, "sources": sources}


def _query_without_page(request: Request) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in request.query_params.multi_items()
                      if k != "page" and v])


NAME_FIELDS = frozenset({"full_name", "given_names", "surname", "father_name"})


def _comparable(field: str, value: Any) -> str:
    """What two records' values are compared by: names by their cross-script key (so the
    same name in two scripts is not a difference), other fields by their folded text."""
    from dadkhah.names import fold_digits, name_key

    text = fold_digits(str(value)).strip()
    if field in NAME_FIELDS:
        return name_key(text) or text.casefold()
    return " ".join(text.casefold().split())


LABEL_KEYS = {"name (Latin)": "name_latin", "father (Latin)": "father_latin"}
"""The catalog key (``field.<key>``) of the two Latin-letter rows the review adds."""


def side_by_side(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of (field, a cell per record), a cell marked ``differs`` when its value differs
    from the value most of the records that give this field agree on."""
    from collections import Counter

    from dadkhah.store import RECORD_FIELDS

    rows = []
    for f in (*RECORD_FIELDS, "name (Latin)", "father (Latin)"):
        values = [r.get(f) for r in records]
        if not any(values):
            continue
        keys = [_comparable(f, v) if v else None for v in values]
        common = Counter(k for k in keys if k is not None).most_common(1)[0][0]
        rows.append({"field": f, "key": LABEL_KEYS.get(f, f), "cells": [
            {"value": v, "differs": k is not None and k != common}
            for v, k in zip(values, keys, strict=True)
        ]})
    return rows


def _person_records(case: Case, person: dict[str, Any],
                    viewer: Viewer) -> list[dict[str, Any]]:
    titles = {s.id: s for s in case.sources(viewer)}
    recs = record_fields(case, [r["id"] for r in person["records"]], viewer=viewer)
    states = reading_states(case, [r["id"] for r in recs])
    for r in recs:
        r["source"] = titles.get(r["source_id"])
        r["reading"] = states.get(r["id"])  # a machine reading: checked or not
    return recs


@router.get("/persons/{person_id}")
def person_page(request: Request, person_id: int, done: str = "",
                user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    person = get_person(case, person_id, viewer=viewer_of(user))
    records = _person_records(case, person, viewer_of(user))
    return render(request, "team/person.html", {
        "p": person, "records": records, "rows": side_by_side(records), "label": place_label,
        "unverified_only": person["unverified_only"],
        "done": done, "can_review": allowed(user.role, "review"),
        "can_correct": allowed(user.role, "write"),
        "can_publish": allowed(user.role, "publish"), "public": is_public(case, person_id),
        "corrections": name_corrections(case, person_id=person_id,
                                        viewer=viewer_of(user))})


@router.post("/persons/{person_id}/publish")
def person_publish(request: Request, person_id: int, action: str = Form(...),
                   user: UserInfo = requires("publish")) -> Response:
    """Put the person on the public memorial, or withdraw it (the register is untouched);
    audited as ``publish`` / ``unpublish``, exactly as ``dadkhah portal publish`` does."""
    case = _case(request)
    if action == "publish":
        publish(case, [person_id], by=audit_name(user), role=user.role)
    elif action == "unpublish":
        unpublish(case, [person_id], by=audit_name(user), role=user.role)
    else:
        raise InvalidInput(f"Unknown action {action!r}.", hint="Use publish or unpublish.")
    return redirect(f"/team/persons/{person_id}?done={action}ed")


@router.post("/persons/{person_id}/name")
def person_name(request: Request, person_id: int, latin: str = Form(""),
                persian: str = Form(""), reason: str = Form(...),
                father_latin: str = Form(""), father_persian: str = Form(""),
                user: UserInfo = requires("write")) -> Response:
    """Correct the person's and/or the father's display name (the library checks the role
    again and audits)."""
    correct_name(_case(request), person_id, latin=latin or None, persian=persian or None,
                 reason=reason, by=audit_name(user), role=user.role,
                 father_latin=father_latin or None, father_persian=father_persian or None)
    return redirect(f"/team/persons/{person_id}?done=named")


@router.post("/persons/{person_id}/name/{correction_id}/withdraw")
def person_name_withdraw(request: Request, person_id: int, correction_id: int,
                         reason: str = Form(...),
                         user: UserInfo = requires("write")) -> Response:
    res = withdraw_correction(_case(request), correction_id, reason=reason,
                              by=audit_name(user), role=user.role)
    return redirect(f"/team/persons/{res.person_id or person_id}?done=name-withdrawn")


@router.post("/persons/{person_id}/merge")
def person_merge(request: Request, person_id: int, other: int = Form(...),
                 reason: str = Form(...), user: UserInfo = requires("review")) -> Response:
    merge_persons(_case(request), person_id, other, by=audit_name(user), reason=reason,
                  role=user.role, viewer=viewer_of(user))
    return redirect(f"/team/persons/{person_id}?done=merged-{other}")


@router.post("/persons/{person_id}/split")
def person_split(request: Request, person_id: int, records: list[int] = Form(...),
                 reason: str = Form(...), user: UserInfo = requires("review")) -> Response:
    new_id = split_person(_case(request), person_id, records, by=audit_name(user),
                          role=user.role, reason=reason, viewer=viewer_of(user))
    return redirect(f"/team/persons/{new_id}?done=split")


# -- review queue -------------------------------------------------------------------------
EVIDENCE_LEVELS = ((3.0, "agrees_strongly"), (0.5, "agrees"), (-0.5, "neutral"),
                   (-3.0, "disagrees"))
"""Match weight (log2 Bayes factor) from which a comparison's evidence is put in words:
at least 3 (8 times likelier for the same person) agrees strongly, … below -3 disagrees
strongly."""


def evidence(weights: dict[str, float]) -> list[dict[str, Any]]:
    """The model's per-comparison match weights of a pair, strongest first, each with its
    level in words (:data:`EVIDENCE_LEVELS`) and a bar width in percent (10 = full)."""
    rows = []
    for name, w in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        level = next((lv for t, lv in EVIDENCE_LEVELS if w >= t), "disagrees_strongly")
        rows.append({"comparison": name, "weight": w, "level": level,
                     "width": round(min(abs(w) / 10, 1) * 100)})
    return rows


def _pair_param(pair: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{1,15})-(\d{1,15})", pair)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _review_batch(request: Request) -> ReviewBatch:
    """The batch of the queue asked for in the address (``?source=slug&prison=id``)."""
    q = request.query_params
    return ReviewBatch(source=(q.get("source") or None), prison=(q.get("prison") or None))


def _review_url(batch: ReviewBatch, page: str = "/team/review", **params: Any) -> str:
    """The address of a review ``page`` (pairs, or questions), keeping the reviewer's
    batch."""
    from urllib.parse import urlencode

    keep = {"source": batch.source, "prison": batch.prison, **params}
    query = urlencode({k: v for k, v in keep.items() if v not in (None, "")})
    return page + (f"?{query}" if query else "")


@router.get("/review")
def review(request: Request, saved: str = "", did: int | None = None, pair: str = "",
           undone: str = "", user: UserInfo = Depends(require_user)) -> Response:
    """The next pair awaiting review (or the pair ``l-r`` just undone), side by side, with
    why the model proposed it; only the pairs of one source or prison when asked
    (``?source=``, ``?prison=``)."""
    case = _case(request)
    batch = _review_batch(request)
    chosen = _pair_param(pair)
    viewer = viewer_of(user)
    shown = review_pair(case, *chosen, viewer=viewer) if chosen \
        else next_review_pair(case, batch, viewer=viewer)
    rows = side_by_side([shown.left, shown.right]) if shown else []
    return render(request, "team/review.html", {
        "pair": shown, "rows": rows, "saved": saved if saved in DECISION_WORDS else "",
        "did": did, "undone": undone if undone in DECISION_WORDS else "",
        "undone_pair": chosen, "evidence": evidence(shown.weights) if shown else [],
        "backlog": review_backlog(case, batch, viewer=viewer), "batch": batch,
        "question_url": _review_url(batch, "/team/review/question"),
        "whole_backlog": review_backlog(case, viewer=viewer) if batch else None,
        "can_review": allowed(user.role, "review"), **_filter_options(request, user)})


DECISION_WORDS = frozenset({"match", "no_match", "unsure"})


@router.get("/review/question")
def review_question_page(request: Request, saved: int | None = None,
                         user: UserInfo = Depends(require_user)) -> Response:
    """The question the next queued pair opens (:func:`dadkhah.register.review_question`):
    its record beside up to four records of other persons, "which are the same person?";
    only the pairs of one source or prison when asked (``?source=``, ``?prison=``)."""
    case = _case(request)
    batch = _review_batch(request)
    viewer = viewer_of(user)
    pair = next_review_pair(case, batch, viewer=viewer)
    question = review_question(case, pair, viewer=viewer) if pair else None
    rows = side_by_side([question.focal.fields, *[c.fields for c in question.candidates]]) \
        if question else []
    return render(request, "team/review_question.html", {
        "question": question, "rows": rows, "saved": saved, "batch": batch,
        "pair_url": _review_url(batch),
        "backlog": review_backlog(case, batch, viewer=viewer),
        "can_review": allowed(user.role, "review"), **_filter_options(request, user)})


@router.post("/review/answer")
def review_answer(request: Request, focal: int = Form(...), candidate: list[int] = Form(...),
                  same: list[int] = Form([]), unsure: str = Form(""), reason: str = Form(""),
                  source: str = Form(""), prison: str = Form(""),
                  user: UserInfo = requires("review")) -> Response:
    """Record the answer to a question: a decision on every record it showed."""
    ids = answer_question(_case(request), focal, candidate, None if unsure else same,
                          by=audit_name(user), role=user.role, reason=reason.strip() or None,
                          viewer=viewer_of(user))
    batch = ReviewBatch(source=source or None, prison=prison or None)
    return redirect(_review_url(batch, "/team/review/question", saved=len(ids)))


@router.post("/review/decide")
def review_decide(request: Request, record_l: int = Form(...), record_r: int = Form(...),
                  decision: str = Form(...), reason: str = Form(""),
                  source: str = Form(""), prison: str = Form(""),
                  user: UserInfo = requires("review")) -> Response:
    did = record_decision(_case(request), record_l, record_r, decision, by=audit_name(user),
                          role=user.role, reason=reason.strip() or None,
                          viewer=viewer_of(user))
    batch = ReviewBatch(source=source or None, prison=prison or None)
    return redirect(_review_url(batch, saved=decision, did=did))


@router.post("/review/undo")
def review_undo(request: Request, decision_id: int = Form(...),
                source: str = Form(""), prison: str = Form(""),
                user: UserInfo = requires("review")) -> Response:
    """Undo a decision with a new one (nothing is deleted; see
    :func:`dadkhah.register.undo_decision`), then show that pair again."""
    done = undo_decision(_case(request), decision_id, by=audit_name(user), role=user.role,
                         viewer=viewer_of(user))
    batch = ReviewBatch(source=source or None, prison=prison or None)
    return redirect(_review_url(batch, undone=done.decision,
                                pair=f"{done.record_l}-{done.record_r}"))


# -- sources ------------------------------------------------------------------------------
@router.get("/sources")
def sources(request: Request, added: str = "",
            user: UserInfo = Depends(require_user)) -> Response:
    from dadkhah.store import COPY_EXTENTS, RELIABILITY_GRADES, SOURCE_KINDS

    case = _case(request)
    sources = case.sources(viewer_of(user))
    return render(request, "team/sources.html", {
        "sources": sources, "kinds": SOURCE_KINDS,
        "grades": RELIABILITY_GRADES, "added": added, "extents": COPY_EXTENTS,
        "copies_of": _copies_of(case, {s.slug for s in sources}),
        "readings": _readings(case, viewer_of(user)),
        "can_write": allowed(user.role, "write")})


def _copies_of(case: Case, visible: set[str]) -> dict[str, list[Any]]:
    """source slug → the recorded copies it makes (of sources ``visible`` to the user)."""
    out: dict[str, list[Any]] = {}
    for c in case.source_copies():
        if c.source in visible and c.copied in visible:
            out.setdefault(c.source, []).append(c)
    return out


@router.post("/sources")
def source_add(request: Request, slug: str = Form(...), title: str = Form(...),
               kind: str = Form(...), reliability: str = Form("F"),
               organisation: str = Form(""), citation: str = Form(""),
               copies: str = Form(""), copies_extent: str = Form("part"),
               user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    # the menu offers the sources the user may see; a slug of one hidden from them is
    # answered as a missing one
    copied = case.source(copies, viewer_of(user)).id if copies else None
    s = case.add_source(slug=slug.strip(), title=title, kind=kind, reliability=reliability,
                        organisation=organisation or None, citation=citation or None,
                        copies=copied, copies_extent=copies_extent, by=audit_name(user),
                        viewer=viewer_of(user))
    return redirect(f"/team/sources?added={s.slug}")


@router.post("/sources/copies")
def source_copies(request: Request, source: str = Form(...), copied: str = Form(""),
                  extent: str = Form("part"),
                  user: UserInfo = requires("write")) -> Response:
    """Record which source ``source`` copies (``copied`` empty: withdraw what was recorded);
    every estimate from the case counts the two lists together.

    Only between sources the user may see, as the page shows them: a source restricted
    from them is answered as a missing one, and a withdrawal leaves a copy of a source
    hidden from them recorded (they cannot see it, so they did not mean it)."""
    case, viewer = _case(request), viewer_of(user)
    src = case.source(source, viewer)
    if copied:
        case.set_source_copy(src.id, case.source(copied, viewer).id, extent=extent,
                             by=audit_name(user), viewer=viewer)
    else:
        case.remove_source_copy(src.id, None, by=audit_name(user), viewer=viewer)
    return redirect("/team/sources")


# -- imports ------------------------------------------------------------------------------
_UPLOAD_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _staged(request: Request, token: str) -> Path:
    """The uploaded file waiting under ``token``, or a clear error."""
    folder = request.app.state.upload_dir / token
    files = [f for f in folder.iterdir() if f.is_file()] \
        if _UPLOAD_TOKEN.match(token) and folder.is_dir() else []
    if len(files) != 1:
        raise NotFound(i18n.translate(request.state.lang, "imports.expired"),
                       hint="Upload the file again.")
    return files[0]


MAPPING_FILE = "_mapping/mapping.toml"
"""Where an upload's edited column mapping waits, beside the file (a sub-folder, so the
upload folder still holds exactly one file)."""


def _mapping_path(staged: Path) -> Path | None:
    path = staged.parent / MAPPING_FILE
    return path if path.is_file() else None


def mapping_toml(columns: dict[str, str]) -> str:
    """A column mapping as the TOML file ``dadkhah import --mapping`` reads.  Header texts
    are written as TOML basic strings (JSON string escapes are valid TOML)."""
    import json

    lines = ["# Column mapping made in the dadkhah web workspace.", "[columns]"]
    lines += [f"{f} = {json.dumps(c, ensure_ascii=False)}" for f, c in columns.items()]
    return "\n".join(lines) + "\n"


def _file_header(path: Path) -> list[str]:
    """The header row of an uploaded file (to offer its columns when none was recognised)."""
    from dadkhah.ingest.readers import detect_format, file_facts, open_reader

    fmt = detect_format(path)
    reader = open_reader(path, fmt, None if fmt == "xlsx" else file_facts(path))
    try:
        return list(reader.header)
    finally:
        reader.close()


UPLOAD_HOURS = 24
"""An upload neither confirmed nor cancelled is deleted after this many hours."""


def _sweep_uploads(folder: Path) -> None:
    import time

    for staged in folder.iterdir():
        if staged.is_dir() and time.time() - staged.stat().st_mtime > UPLOAD_HOURS * 3600:
            shutil.rmtree(staged, ignore_errors=True)


@router.get("/imports")
def imports(request: Request, done: int | None = None, n: int | None = None,
            user: UserInfo = Depends(require_user)) -> Response:
    case = _case(request)
    shown = case.sources(viewer_of(user))
    ids = {s.id for s in shown}
    return render(request, "team/imports.html", {
        "imports": [i for i in reversed(case.imports()) if i.source_id in ids],
        "sources": shown,
        "slugs": {s.id: s.slug for s in shown}, "done": done, "n": n,
        "readings": _readings(case, viewer_of(user)),
        "can_write": allowed(user.role, "write")})


MAX_UPLOAD_NAME = 200
"""Longest upload file name kept (bytes of UTF-8; file systems allow 255)."""


EDITOR_COLUMNS = 200
"""The mapping editor offers a file's mapped columns and its first this many columns."""


async def _preview(request: Request, path: Path, token: str, source: str,
                   user: UserInfo) -> Response:
    """The dry run of ``path`` under its edited mapping (if any), shown with the mapping
    editor; a file whose columns cannot be mapped shows the editor and the reason, in the
    page, instead of an error page."""
    from dadkhah.errors import MappingError
    from dadkhah.store import RECORD_FIELDS

    mapping = _mapping_path(path)
    report, problem = None, None
    try:
        report = await run_in_threadpool(import_file, _case(request), path, source=source,
                                         mapping=mapping, dry_run=True, preview_rows=8,
                                         by=audit_name(user))
    except MappingError as exc:
        problem = exc
    header = await run_in_threadpool(_file_header, path)
    if report is not None:
        columns = report.mapping
    else:  # what was chosen so far: the edited mapping, else what the headers tell
        from dadkhah.ingest import detect_mapping, load_mapping

        columns = (load_mapping(mapping) if mapping else detect_mapping(header)).columns
    chosen = {c: f for f, c in columns.items()}
    # A sheet can have thousands of columns: the editor offers the mapped ones and the
    # first EDITOR_COLUMNS; the rest stay unmapped (kept in the raw row) and are counted.
    shown = [(i, h) for i, h in enumerate(header) if i < EDITOR_COLUMNS or h in chosen]
    return render(request, "team/import_preview.html", {
        "report": report, "problem": problem, "token": token, "source": source,
        "file_name": path.name, "header": shown, "columns_not_shown": len(header) - len(shown),
        "chosen": chosen, "fields": RECORD_FIELDS, "edited": mapping is not None},
        status_code=200 if report else 400)


@router.post("/imports/preview")
async def import_preview(request: Request, file: UploadFile = File(...),
                         source: str = Form(...),
                         user: UserInfo = requires("write")) -> Response:
    case = _case(request)
    # a bad source, or one kept from this member, fails before anything is stored
    case.resolve_source_id(source, viewer_of(user))
    _sweep_uploads(request.app.state.upload_dir)
    name = Path((file.filename or "").replace("\\", "/")).name
    if name in ("", ".", ".."):
        name = "upload"
    if len(name.encode("utf-8")) > MAX_UPLOAD_NAME:
        raise InvalidInput(f"The file name is too long ({len(name.encode('utf-8'))} bytes).",
                           hint=f"Rename the file to at most {MAX_UPLOAD_NAME} bytes "
                                "and upload it again.")
    token = secrets.token_urlsafe(24)
    folder = request.app.state.upload_dir / token
    folder.mkdir(parents=True)
    target = folder / name
    try:
        with target.open("wb") as out:
            while chunk := await file.read(1 << 20):
                out.write(chunk)
        if document_kind(target) is not None:
            from dadkhah.casefile import check_document_keepable

            # it is kept as evidence after the import: bytes already kept from this member
            # are refused now, before a job starts or anything is written
            await run_in_threadpool(check_document_keepable, case, target,
                                    viewer=viewer_of(user))
            # a document has no columns to map and reading it (OCR) takes a while: it is
            # imported at once as a background job, which reports each page read
            return _start_import(request, target, token, source, user)
        return await _preview(request, target, token, source, user)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@router.post("/imports/mapping")
async def import_remap(request: Request, user: UserInfo = requires("write")) -> Response:
    """Check the upload again under the mapping chosen in the editor (``col<i>`` = field
    for the i-th column), kept beside the upload as a TOML mapping file."""
    from dadkhah.store import RECORD_FIELDS

    form = await request.form()
    token, source = str(form.get("token", "")), str(form.get("source", ""))
    path = _staged(request, token)
    # a source kept from this member is answered as a missing one, before anything is read
    _case(request).resolve_source_id(source, viewer_of(user))
    header = await run_in_threadpool(_file_header, path)
    columns: dict[str, str] = {}
    for i, h in enumerate(header):
        fld = str(form.get(f"col{i}", ""))
        if not fld:
            continue
        if fld not in RECORD_FIELDS:
            raise InvalidInput(f"Unknown field {fld!r}.", hint="Choose a field from the list.")
        if fld in columns:
            raise InvalidInput(
                i18n.translate(request.state.lang, "mapping.twice", field=i18n.translate(
                    request.state.lang, f"field.{fld}"), a=columns[fld], b=h),
                hint=i18n.translate(request.state.lang, "mapping.twice_hint"))
        columns[fld] = h
    target = path.parent / MAPPING_FILE
    target.parent.mkdir(exist_ok=True)
    target.write_text(mapping_toml(columns), encoding="utf-8")
    return await _preview(request, path, token, source, user)


@router.get("/imports/mapping.toml")
def import_mapping_file(request: Request, token: str,
                        user: UserInfo = requires("write")) -> Response:
    """The upload's edited mapping, as the TOML file the command line reads."""
    from fastapi.responses import PlainTextResponse

    mapping = _mapping_path(_staged(request, token))
    if mapping is None:
        raise NotFound("This upload has no edited mapping.", hint="Edit the mapping first.")
    return PlainTextResponse(mapping.read_text(encoding="utf-8"),
                             media_type="application/toml; charset=utf-8",
                             headers={"Content-Disposition":
                                      'attachment; filename="mapping.toml"'})


@router.post("/imports/confirm")
def import_confirm(request: Request, token: str = Form(...), source: str = Form(...),
                   user: UserInfo = requires("write")) -> Response:
    """Start the import as a background job (it normalises the new records too); the job's
    page follows it and offers the relink."""
    path = _staged(request, token)
    # refused now as a missing source, not later by the job
    _case(request).resolve_source_id(source, viewer_of(user))
    return _start_import(request, path, token, source, user)


def _start_import(request: Request, path: Path, token: str, source: str,
                  user: UserInfo) -> Response:
    """Queue the import of the staged upload ``path`` and show its job's page."""
    runner = request.app.state.jobs
    params = {"token": token, "file": path.name, "source": source,
              "mapping": MAPPING_FILE if _mapping_path(path) else None, "role": user.role}
    # The upload is renamed so that it cannot be confirmed twice while the job waits.
    busy = request.app.state.upload_dir / f"job-{token}"
    path.parent.rename(busy)
    params["token"] = busy.name
    try:
        job = runner.submit("import", params, by=audit_name(user), role=user.role)
    except Exception:
        busy.rename(path.parent)
        raise
    return redirect(f"/team/jobs/{job.id}")


@router.post("/imports/cancel")
def import_cancel(request: Request, token: str = Form(...),
                  user: UserInfo = requires("write")) -> Response:
    shutil.rmtree(_staged(request, token).parent, ignore_errors=True)
    return redirect("/team/imports")


# -- users --------------------------------------------------------------------------------
@router.get("/users")
def users(request: Request, saved: str = "",
          user: UserInfo = requires("users.manage")) -> Response:
    from dadkhah.access import ROLES

    return render(request, "team/users.html", {
        "users": accounts.list_users(_case(request)), "roles": ROLES, "saved": saved})


@router.post("/users")
def user_add(request: Request, username: str = Form(...), password: str = Form(...),
             role: str = Form(...), display_name: str = Form(""), language: str = Form("en"),
             user: UserInfo = requires("users.manage")) -> Response:
    accounts.add_user(_case(request), username, password, role=role,
                  display_name=display_name or None, language=language, by=audit_name(user))
    return redirect("/team/users?saved=1")


@router.post("/users/{user_id}/role")
def user_role(request: Request, user_id: int, role: str = Form(...),
              user: UserInfo = requires("users.manage")) -> Response:
    accounts.set_role(_case(request), user_id, role, by=audit_name(user))
    return redirect("/team/users?saved=1")


@router.post("/users/{user_id}/disable")
def user_disable(request: Request, user_id: int, disabled: bool = Form(...),
                 user: UserInfo = requires("users.manage")) -> Response:
    if user_id == user.id and disabled:
        raise AccessDenied("You cannot disable yourself.",
                           hint="Ask another admin, so that a case always keeps one.")
    accounts.set_disabled(_case(request), user_id, disabled, by=audit_name(user))
    return redirect("/team/users?saved=1")


@router.post("/users/{user_id}/password")
def user_password(request: Request, user_id: int, password: str = Form(...),
                  user: UserInfo = requires("users.manage")) -> Response:
    accounts.set_password(_case(request), user_id, password, by=audit_name(user))
    return redirect("/team/users?saved=1")


# -- audit log ----------------------------------------------------------------------------
AUDIT_PAGE = 100


@router.get("/audit")
def audit(request: Request, before: int | None = None, verify: bool = False,
          action: str = "", actor: str = "", everything: bool = False,
          user: UserInfo = requires("write")) -> Response:
    """The audit log, newest first, as the member reads it: entries about material kept
    from them are left out and counted (:func:`dadkhah.casefile.audit_log`); an admin asks
    for every entry with ``everything`` (audited).  ``verify`` re-walks the whole hash chain and
    re-hashes every source record (seconds on a large case, so only on request).
    ``action`` (an action or its prefix, e.g. ``export`` or ``user.login``) and ``actor``
    filter the entries."""
    case = _case(request)
    action, actor = action.strip()[:100], actor.strip()[:100]
    viewer = Viewer.everything(user.username, user.role) if everything else viewer_of(user)
    page = audit_log(case, viewer=viewer, by=audit_name(user), before=before,
                     limit=AUDIT_PAGE, action=action or None, actor=actor or None)
    entries = list(page.entries)
    report = case.verify_audit() if verify else None
    return render(request, "team/audit.html", {
        "entries": entries, "report": report, "action": action, "actor": actor,
        "not_shown": page.not_shown, "everything": everything,
        "admin": allowed(user.role, "restricted.read_all"),
        "older": entries[-1].id if len(entries) == AUDIT_PAGE else None})

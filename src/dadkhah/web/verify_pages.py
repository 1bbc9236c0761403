"""Checking machine readings in the team workspace (``/team/verify``): a record read from a
document, its line's image beside its fields, accepted as read, with the proposals, or
corrected — one record after another, from the keyboard.

Every action goes through :func:`dadkhah.documents.verify_entry` (one ``record.verify``
audit entry; the raw row keeps the machine reading).  The line's image is cut from the
document kept as evidence (:func:`dadkhah.casefile.record_line_image`): serving it reads
the evidence, so it is logged (``evidence.access``) and needs a record and a document the
user may see (restricted records, issue 16) — a hidden one is "not found", as an unknown id.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dadkhah.casefile import record_line_image
from dadkhah.documents import (
    provenance,
    reading_counts,
    unverified_records,
    verifications,
    verify_entry,
)
from dadkhah.errors import InvalidInput
from dadkhah.users import UserInfo
from dadkhah.web.app import audit_name, requires
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.restricted import viewer_of
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)

VERIFY_FIELDS = ("full_name", "father_name", "sex", "age", "birth_date", "death_date",
                 "prison", "city", "affiliation", "notes")
"""The fields the verification form offers (those a list line holds)."""
ACTIONS = ("accept", "proposals", "save", "skip")
"""What the form's buttons do: accept as read, accept with the proposals, save the fields
as corrected, go on without checking."""


def _verify_url(source: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in {"source": source, **params}.items()
                       if v not in (None, "")})
    return f"/team/verify?{query}"


@router.get("/verify")
def verify_page(request: Request, source: str = "", record: int | None = None,
                after: int | None = None, done: str = "",
                user: UserInfo = requires("write")) -> Response:
    """The next unverified reading of ``source`` (after record ``after``, wrapping round),
    or record ``record``; without a source, the sources with readings to check."""
    case = _case(request)
    viewer = viewer_of(user)
    counts = reading_counts(case, viewer=viewer)
    context: dict[str, Any] = {"counts": counts, "source": source, "done": done,
                               "rec": None, "fields": VERIFY_FIELDS}
    if not source:
        return render(request, "team/verify.html", context)
    left = unverified_records(case, source=source, viewer=viewer)
    if record is None:
        later = [r for r in left if after is None or r > after]
        ahead = later or left
        record = ahead[0] if ahead else None
    context.update(left=len(left), count=next((c for c in counts if source in
                                               (c.slug, str(c.source_id))), None))
    if record is not None:
        rec = case.record(record, viewer=viewer)
        prov = provenance(rec.raw)
        if prov is None:
            raise InvalidInput(f"Record {record} is a row of a list file, not a machine "
                               f"reading.", hint="Choose a source read from a document.")
        raw = json.loads(rec.raw)
        checked = verifications(case, [rec.id]).get(rec.id)
        context.update(rec=rec, prov=prov, reading=raw.get("reading") or "",
                       read_fields={f: raw.get(f) for f in VERIFY_FIELDS},
                       proposals={p.get("field"): p for p in prov.get("proposals") or []},
                       checked=checked, has_image=bool(prov.get("box")))
    return render(request, "team/verify.html", context)


@router.post("/verify")
async def verify_action(request: Request, user: UserInfo = requires("write")) -> Response:
    """Accept, accept with proposals, save corrections (only the fields changed from the
    record's current values), or skip; then the next reading of the source."""
    form = await request.form()
    source = str(form.get("source", ""))
    action = str(form.get("action", ""))
    try:
        record_id = int(str(form.get("record_id", "")))
    except ValueError as exc:
        raise InvalidInput("No record was given.", hint="Open the verification page "
                                                        "again.") from exc
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action {action!r}.", hint="Use: " + ", ".join(ACTIONS))
    case = _case(request)
    rec = case.record(record_id, viewer=viewer_of(user))  # hidden: not found
    if action == "skip":
        return RedirectResponse(_verify_url(source, after=record_id), status_code=303)
    corrections: dict[str, str | None] = {}
    if action == "save":
        for f in VERIFY_FIELDS:
            if f in form:
                value = str(form.get(f, "")).strip() or None
                if value != rec.fields.get(f):
                    corrections[f] = value
    note = str(form.get("note", "")).strip() or None
    verify_entry(case, record_id, by=audit_name(user), corrections=corrections,
                 accept_proposals=action == "proposals", note=note)
    return RedirectResponse(_verify_url(source, after=record_id, done=f"{action}-{record_id}"),
                            status_code=303)


@router.get("/records/{record_id}/line.png")
def line_png(request: Request, record_id: int, user: UserInfo = requires("read")) -> Response:
    """The image of the line ``record_id`` was read from (PNG), cut from the document kept
    as evidence; reading the document is logged, so this uses the writing case."""
    png = record_line_image(request.app.state.case, record_id, by=audit_name(user),
                            role=user.role, viewer=viewer_of(user))
    return Response(png, media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})

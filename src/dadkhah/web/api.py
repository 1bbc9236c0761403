"""The JSON API under ``/api`` (OpenAPI schema at ``/api/openapi.json``; no docs page,
which would load Swagger UI from a public CDN).

Authentication: the session cookie of a logged-in browser (writes then need the
``X-CSRF-Token`` header) or ``Authorization: Bearer <token>`` (``dadkhah user token``).
Errors are ``{"ok": false, "error": …, "hint": …, "status": …}`` with that HTTP status.
The API reads what the team pages show; it writes only review decisions.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from dadkhah.register import PER_PAGE, search_persons, unverified_only_persons
from dadkhah.users import UserInfo
from dadkhah.web.app import audit_name, require_user, requires
from dadkhah.web.app import case_for as _case
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.restricted import viewer_of

router = APIRouter(prefix="/api", dependencies=[Depends(csrf_protect)], tags=["team"])

MAX_ID = 2**53  # ids beyond what JSON numbers carry exactly are refused, not overflowed


class ErrorOut(BaseModel):
    ok: bool = False
    error: str
    hint: str | None = None
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 409, 422)
}


class MeOut(BaseModel):
    username: str
    display_name: str | None
    role: str
    language: str


class _PersonFields(BaseModel):
    """What a search hit and a person both say of a person: defined once."""

    id: int
    name_fa: str | None
    name_latin: str | None
    name_fa_origin: str | None = Field(None, description=(
        "where name_fa came from: source (as written by a source) or person (corrected)"))
    name_latin_origin: str | None = Field(None, description=(
        "where name_latin came from: source (as written by a source), machine (machine "
        "transliteration: no source wrote it in Latin letters) or person (corrected)"))
    father_fa: str | None
    father_latin: str | None
    death_earliest: str | None = Field(description="ISO date: earliest possible death date")
    death_latest: str | None = Field(description="ISO date: latest possible death date")
    prison_id: str | None = Field(description="gazetteer id, e.g. prison:evin")
    city_id: str | None
    n_records: int
    n_sources: int
    unverified_only: bool = Field(False, description=(
        "every record of this person (that the caller may see) is a machine reading of a "
        "document no person has checked: the name and dates are as a machine read them"))


class PersonHitOut(_PersonFields):
    """One person on a page of search results."""


class SearchOut(BaseModel):
    query: str
    total: int = Field(description="persons matching (all pages)")
    page: int
    pages: int
    per_page: int
    hits: list[PersonHitOut]
    match: str = Field(description="key: cross-script name keys; text: part of a name")


class RecordOut(BaseModel):
    id: int
    source_id: int
    row_number: int
    fields: dict[str, str | None] = Field(description="mapped fields, as the source wrote them")


class PersonOut(_PersonFields):
    """One person of the register with every source record behind them."""

    status: str = Field(description="active, merged or split")
    sex: str | None
    birth_year_lo: int | None
    birth_year_hi: int | None
    records: list[RecordOut]


class SourceOut(BaseModel):
    id: int
    slug: str
    title: str
    kind: str
    reliability: str
    synthetic: bool
    records: int
    imports: int


class PairOut(BaseModel):
    pair_id: int
    record_l: int
    record_r: int
    match_probability: float
    left: dict[str, Any]
    right: dict[str, Any]
    person_l: int | None
    person_r: int | None


class DecisionIn(BaseModel):
    record_l: int = Field(ge=1, le=MAX_ID)
    record_r: int = Field(ge=1, le=MAX_ID)
    decision: Literal["match", "no_match", "unsure"]
    reason: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    decision_id: int
    record_l: int
    record_r: int
    decision: str
    reviewer: str


class EstimateOut(BaseModel):
    method: str
    observed: int = Field(description="documented persons the estimate rests on")
    total: float = Field(description="estimated total, including persons on no list")
    low: float
    high: float
    level: float
    synthetic: bool
    current: bool = Field(description="made from the latest linkage run")
    notes: list[str]
    computed_at: str




@router.get("/me", response_model=MeOut, responses=ERRORS)
def me(user: UserInfo = Depends(require_user)) -> MeOut:
    """The user the request is authenticated as."""
    return MeOut(username=user.username, display_name=user.display_name, role=user.role,
                 language=user.language)


@router.get("/persons", response_model=SearchOut, responses=ERRORS)
def persons(request: Request,
            q: str = Query("", max_length=200,
                           description="a name in any spelling, either script"),
            prison: str | None = Query(None, max_length=64),
            city: str | None = Query(None, max_length=64),
            source: str | None = Query(None, max_length=64, description="source id or slug"),
            died_from: str | None = Query(None, max_length=64,
                                          description="any calendar: 1988-07-30, 1367/05/08"),
            died_to: str | None = Query(None, max_length=64),
            page: int = Query(1, ge=1, le=100_000),
            per_page: int = Query(PER_PAGE, ge=1, le=200),
            user: UserInfo = requires("read")) -> SearchOut:
    """Search the register of persons (the same search as the team's search page); each hit
    says whether it is known only from unchecked machine readings (``unverified_only``)."""
    case, viewer = _case(request), viewer_of(user)
    r = search_persons(case, q, prison=prison, city=city, source=source,
                       died_from=died_from, died_to=died_to, page=page, per_page=per_page,
                       viewer=viewer)
    out = r.to_dict()
    unverified = unverified_only_persons(case, [h["id"] for h in out["hits"]], viewer=viewer)
    for h in out["hits"]:
        h["unverified_only"] = h["id"] in unverified
    return SearchOut(**out)


@router.get("/persons/{person_id}", response_model=PersonOut, responses=ERRORS)
def person(request: Request, person_id: int = Path(ge=1, le=MAX_ID),
           user: UserInfo = requires("read")) -> PersonOut:
    """One person of the register and every source record behind them."""
    from dadkhah.register import get_person
    from dadkhah.store import RECORD_FIELDS

    case, viewer = _case(request), viewer_of(user)
    p = get_person(case, person_id, viewer=viewer)
    records = [RecordOut(id=r["id"], source_id=r["source_id"], row_number=r["row_number"],
                         fields={f: r.get(f) for f in RECORD_FIELDS})
               for r in p["records"]]
    unverified = person_id in unverified_only_persons(case, [person_id], viewer=viewer)
    return PersonOut(**{k: p[k] for k in PersonOut.model_fields
                        if k not in ("records", "unverified_only")},
                     unverified_only=unverified, records=records)


@router.get("/sources", response_model=list[SourceOut], responses=ERRORS)
def sources(request: Request, user: UserInfo = requires("read")) -> list[SourceOut]:
    """The case's sources with their record counts."""
    return [SourceOut(**{k: getattr(s, k) for k in SourceOut.model_fields})
            for s in _case(request).sources(viewer_of(user))]


@router.get("/review/queue", response_model=list[PairOut], responses=ERRORS)
def review_queue(request: Request, limit: int = Query(10, ge=1, le=100),
                 source: str | None = Query(None, max_length=64,
                                            description="only pairs with a record of this "
                                                        "source (its slug)"),
                 prison: str | None = Query(None, max_length=64,
                                            description="only pairs with a record placed in "
                                                        "this prison (gazetteer id)"),
                 user: UserInfo = requires("read")) -> list[PairOut]:
    """Undecided pairs of the latest linkage run, most consequential first (of one source
    or prison when asked: a review batch)."""
    from dadkhah.register import ReviewBatch
    from dadkhah.register import review_queue as queue

    batch = ReviewBatch(source=source or None, prison=prison or None)
    return [PairOut(**{k: getattr(p, k) for k in PairOut.model_fields})
            for p in queue(_case(request), limit=limit, batch=batch, viewer=viewer_of(user))]


@router.post("/review/decisions", response_model=DecisionOut, status_code=201,
             responses=ERRORS)
def decide(request: Request, body: DecisionIn,
           user: UserInfo = requires("review")) -> DecisionOut:
    """Record a decision on a pair of records, exactly as ``dadkhah review decide`` does;
    it binds every later linkage run."""
    from dadkhah.register import record_decision

    did = record_decision(_case(request), body.record_l, body.record_r, body.decision,
                          by=audit_name(user), reason=body.reason, role=user.role,
                          viewer=viewer_of(user))
    return DecisionOut(decision_id=did, record_l=min(body.record_l, body.record_r),
                       record_r=max(body.record_l, body.record_r), decision=body.decision,
                       reviewer=audit_name(user))


@router.get("/estimates", response_model=list[EstimateOut], responses=ERRORS)
def estimates(request: Request, user: UserInfo = requires("read")) -> list[EstimateOut]:
    """The latest stored estimate of the total for each method (see the dashboard)."""
    from dadkhah.register import latest_estimates

    return [EstimateOut(**{k: getattr(e, k) for k in EstimateOut.model_fields})
            for e in latest_estimates(_case(request))]

"""Background jobs in the team workspace: start, follow, cancel, download (``/team/jobs``),
and the same as JSON (``/api/jobs``).

The work runs in the application's :class:`~dadkhah.web.jobs.JobRunner`; these routes only
queue a job (after checking the user's role for its kind), show its state and its next
step, and serve a finished report.  A job page polls itself with HTMX every second while the
job runs, so a reload, a second tab or another team member sees the same progress.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path as FsPath
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from dadkhah import access
from dadkhah.errors import AccessDenied, InvalidInput, NotFound
from dadkhah.store import audit
from dadkhah.store.jobs import JobInfo
from dadkhah.users import UserInfo
from dadkhah.web.api import ERRORS
from dadkhah.web.app import audit_name, require_user, requires
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.jobs import EXPORTS, KINDS, JobRunner, check_export
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)
api_router = APIRouter(prefix="/api", dependencies=[Depends(csrf_protect)], tags=["jobs"])

STARTABLE = ("link", "estimate", "report", "export", "dossier")
"""Kinds a user starts with a button (an import starts from its preview page)."""
DOWNLOADS = {"report": ("text/html; charset=utf-8", "report.download"),
             "dossier": ("text/html; charset=utf-8", "dossier.download"),
             "export": (None, "export.download")}
"""Kinds whose finished job leaves a file: its media type (None: by its name) and the
audit action of each download."""
PERSONAL = ("export", "dossier")
"""Kinds whose file holds what its starter may see (restricted records), for them alone;
a report is written with no restricted data at all, for the whole team."""
START_PERMISSION = "review"
"""The least permission that starts or cancels any job (each kind then checks its own):
a viewer changes nothing, so starts nothing."""


def runner_of(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _as_seen(request: Request, user: UserInfo, job: JobInfo) -> JobInfo | None:
    """``job`` as ``user`` may see it.  Another member's import into a source kept from
    the user is no job of theirs (None: its file's name, number and rows would tell them
    of the list); another member's export or dossier comes without its result (its counts
    are of what its starter may see, restricted records included)."""
    if job.created_by == audit_name(user):
        return job
    if job.kind == "import":
        from dadkhah.web.restricted import viewer_of

        try:
            runner_of(request).reader.resolve_source_id(str(job.params.get("source", "")),
                                                        viewer_of(user))
        except NotFound:
            return None
    return replace(job, result=None) if job.kind in PERSONAL else job


def _job(request: Request, user: UserInfo, job_id: int) -> JobInfo:
    """Job ``job_id`` as ``user`` may see it (:func:`_as_seen`), or the answer a job the
    case does not hold gets."""
    job = _as_seen(request, user, runner_of(request).status(job_id))
    if job is None:
        raise NotFound(f"No job {job_id} in this case.", hint="See the list of jobs.")
    return job


def _jobs(request: Request, user: UserInfo) -> list[JobInfo]:
    """The latest 100 jobs the user may see, newest first."""
    from dadkhah.store.jobs import list_jobs

    return [j for job in list_jobs(runner_of(request).reader, limit=100)
            if (j := _as_seen(request, user, job)) is not None]


def _may_cancel(user: UserInfo, job: JobInfo) -> bool:
    """The one who started a job may cancel it, and anyone who may start its kind."""
    kind = KINDS.get(job.kind)
    return job.created_by == audit_name(user) or (
        kind is not None and access.allowed(user.role, kind.permission))


def _cancel(request: Request, job_id: int, user: UserInfo) -> JobInfo:
    """Cancel job ``job_id`` for ``user`` (the page and the API alike), if they may."""
    runner = runner_of(request)
    if not _may_cancel(user, _job(request, user, job_id)):
        raise AccessDenied(f"You may not cancel job {job_id}.",
                           hint="Only the one who started it, or whoever may start such "
                                "jobs, may cancel it.")
    return runner.cancel(job_id, by=audit_name(user))


@router.get("/jobs")
def job_list(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    from dadkhah.casefile import list_actors
    from dadkhah.web.restricted import viewer_of

    reader = runner_of(request).reader
    # the dossier's menu offers the actors the member may see, as its job resolves them
    actors = (list_actors(reader, viewer=viewer_of(user))
              if access.allowed(user.role, "write") else [])
    return render(request, "team/jobs.html", {
        "jobs": _jobs(request, user), "exports": EXPORTS, "actors": actors})


def job_params(kind: str, what: str | None, fmt: str | None,
               actor: str | None, role: str | None = None) -> dict[str, Any]:
    """The parameters of a job started by hand, checked before it is queued (a bad choice is
    refused at once, not after the job starts); a dossier keeps the starter's ``role``, which
    its audit entry records."""
    if kind not in STARTABLE:
        raise NotFound(f"No job kind {kind!r} can be started here.",
                       hint="Start one of: " + ", ".join(STARTABLE) + ".")
    if kind == "export":
        check_export(what or "", fmt or "csv")
        return {"what": what, "fmt": fmt or "csv"}
    if kind == "dossier":
        if not actor:
            raise InvalidInput("A dossier needs an actor.",
                               hint="Choose the actor whose dossier to write.")
        return {"actor": actor, "role": role}
    return {}


@router.post("/jobs")
def job_start(request: Request, kind: str = Form(...), what: str = Form(""),
              fmt: str = Form(""), actor: str = Form(""),
              user: UserInfo = requires(START_PERMISSION)) -> Response:
    params = job_params(kind, what, fmt, actor, user.role)
    job = runner_of(request).submit(kind, params, by=audit_name(user), role=user.role)
    return RedirectResponse(f"/team/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, user: UserInfo = Depends(require_user)
             ) -> Response:
    job = _job(request, user, job_id)
    context = {"job": job, "can_cancel": _may_cancel(user, job)}
    if request.headers.get("HX-Request"):
        return render(request, "team/_job.html", context)
    return render(request, "team/job.html", context)


@router.post("/jobs/{job_id}/cancel")
def job_cancel(request: Request, job_id: int, user: UserInfo = requires(START_PERMISSION)
               ) -> Response:
    _cancel(request, job_id, user)
    return RedirectResponse(f"/team/jobs/{job_id}", status_code=303)


def job_file(runner: JobRunner, job: JobInfo) -> FsPath:
    """The file a finished report, export or dossier job wrote, or a clear NotFound."""
    name = (job.result or {}).get("file")
    path = runner.output_dir / name if job.kind in DOWNLOADS and job.status == "done" \
        and isinstance(name, str) and "/" not in name and "\\" not in name else None
    if path is None or not path.is_file():
        raise NotFound(f"Job {job.id} has no file to download.",
                       hint="Start the job again from the jobs page; files are kept until the "
                            "server's report folder is cleaned.")
    return path



def _serve(request: Request, user: UserInfo, job_id: int, download: bool,
           kinds: tuple[str, ...]) -> Response:
    access.require(user.role, "read")
    runner = runner_of(request)
    job = runner.status(job_id)
    _job(request, user, job_id)  # one kept from the user is not there for them
    if job.kind not in kinds:
        raise NotFound(f"Job {job_id} has no file to download here.",
                       hint=f"Open /team/jobs/{job_id} to see what it made.")
    if job.kind in PERSONAL and job.created_by != audit_name(user):
        # Written as what its starter may see (restricted records): theirs alone.
        raise AccessDenied(f"Only {job.created_by} may download what job {job_id} wrote.",
                           hint="Start the same export or dossier yourself on the jobs page.")
    path = job_file(runner, job)
    media, action = DOWNLOADS[job.kind]
    # Each view or download of a file made from the case is a read of the case: logged
    # through the writing case (a GET reads through the read-only one), with its hash.
    audit.record_access(request.app.state.case, by=audit_name(user), action=action,
                        target=f"job:{job_id}",
                        details={"file": path.name, "sha256": audit.file_sha256(path),
                                 "download": download,
                                 "address": request.client.host if request.client else None})
    # Reports and dossiers are self-contained files: their styles and images are inline,
    # and they run no script, so they get a policy of their own that allows exactly that.
    # An export is always a download: a spreadsheet is never rendered by the browser.
    inline = media is not None and not download
    return FileResponse(path, media_type=media, filename=None if inline else path.name,
                        content_disposition_type="inline" if inline else "attachment",
                        headers={"Content-Security-Policy": REPORT_POLICY})


@router.get("/jobs/{job_id}/report")
def job_report(request: Request, job_id: int, download: bool = False,
               user: UserInfo = Depends(require_user)) -> Response:
    return _serve(request, user, job_id, download, ("report",))


@router.get("/jobs/{job_id}/file")
def job_download(request: Request, job_id: int, download: bool = False,
                 user: UserInfo = Depends(require_user)) -> Response:
    """The file an export or dossier job wrote (a dossier opens in the browser unless
    ``download``; an export always downloads)."""
    return _serve(request, user, job_id, download, ("export", "dossier"))


REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                 "font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


# -- JSON ----------------------------------------------------------------------------------
class JobOut(BaseModel):
    id: int
    kind: str
    status: str = Field(description="queued, running, done, failed or cancelled")
    finished: bool
    progress: float | None = Field(description="0 to 1 when known")
    message: str | None = Field(description="the latest progress line")
    result: dict[str, Any] | None
    error: str | None
    hint: str | None
    created_by: str
    created_at: str
    started_at: str | None
    finished_at: str | None


class JobIn(BaseModel):
    kind: Literal["link", "estimate", "report", "export", "dossier"] = Field(
        description="link (rebuild the register), estimate (the totals), report, export "
                    "(with what and fmt) or dossier (with actor)")
    what: str | None = Field(None, max_length=32,
                             description="export: register, every_casualty or histories")
    fmt: str | None = Field(None, max_length=8, description="export: csv, xlsx or json")
    actor: str | None = Field(None, max_length=200, description="dossier: actor id or slug")


def _out(job: JobInfo) -> JobOut:
    d = job.to_dict()
    return JobOut(**{k: d[k] for k in JobOut.model_fields})


@api_router.post("/jobs", response_model=JobOut, status_code=202, responses=ERRORS)
def api_job_start(request: Request, body: JobIn, user: UserInfo = requires(START_PERMISSION)
                  ) -> JobOut:
    """Start a job (``link``, ``estimate``, ``report``, ``export`` or ``dossier``); poll
    ``GET /api/jobs/{id}``; a finished export or dossier is at ``/team/jobs/{id}/file``."""
    params = job_params(body.kind, body.what, body.fmt, body.actor, user.role)
    return _out(runner_of(request).submit(body.kind, params, by=audit_name(user),
                                          role=user.role))


@api_router.get("/jobs", response_model=list[JobOut], responses=ERRORS)
def api_jobs(request: Request, user: UserInfo = Depends(require_user)) -> list[JobOut]:
    """The latest 100 jobs the user may see, newest first (another member's import into a
    source kept from the user is not among them; another's export or dossier has no
    result)."""
    return [_out(j) for j in _jobs(request, user)]


@api_router.get("/jobs/{job_id}", response_model=JobOut, responses=ERRORS)
def api_job(request: Request, job_id: int = Path(ge=1, le=2**53),
            user: UserInfo = Depends(require_user)) -> JobOut:
    """One job, with its live progress (as :func:`api_jobs` shows it)."""
    return _out(_job(request, user, job_id))


@api_router.post("/jobs/{job_id}/cancel", response_model=JobOut, responses=ERRORS)
def api_job_cancel(request: Request, job_id: int = Path(ge=1, le=2**53),
                   user: UserInfo = requires(START_PERMISSION)) -> JobOut:
    """Cancel a queued job, or stop a running one (its work is rolled back)."""
    return _out(_cancel(request, job_id, user))

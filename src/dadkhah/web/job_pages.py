"""Background jobs in the team workspace: start, follow, cancel, download (``/team/jobs``),
and the same as JSON (``/api/jobs``).

The work runs in the application's :class:`~dadkhah.web.jobs.JobRunner`; these routes only
queue a job (after checking the user's role for its kind), show its state and its next
step, and serve a finished report.  A job page polls itself with HTMX every second while the
job runs, so a reload, a second tab or another team member sees the same progress.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from dadkhah import access
from dadkhah.errors import AccessDenied, NotFound
from dadkhah.store import audit
from dadkhah.store.jobs import JobInfo
from dadkhah.users import UserInfo
from dadkhah.web.api import ERRORS
from dadkhah.web.app import audit_name, require_user, requires
from dadkhah.web.csrf import csrf_protect
from dadkhah.web.jobs import KINDS, JobRunner
from dadkhah.web.templating import render

router = APIRouter(prefix="/team", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False)
api_router = APIRouter(prefix="/api", dependencies=[Depends(csrf_protect)], tags=["jobs"])

STARTABLE = ("link", "estimate", "report")
"""Kinds a user starts with a button (an import starts from its preview page)."""
START_PERMISSION = "review"
"""The least permission that starts or cancels any job (each kind then checks its own):
a viewer changes nothing, so starts nothing."""


def runner_of(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _may_cancel(user: UserInfo, job: JobInfo) -> bool:
    """The one who started a job may cancel it, and anyone who may start its kind."""
    kind = KINDS.get(job.kind)
    return job.created_by == audit_name(user) or (
        kind is not None and access.allowed(user.role, kind.permission))


@router.get("/jobs")
def job_list(request: Request, user: UserInfo = Depends(require_user)) -> Response:
    from dadkhah.store.jobs import list_jobs

    return render(request, "team/jobs.html", {
        "jobs": list_jobs(runner_of(request).reader, limit=100)})


@router.post("/jobs")
def job_start(request: Request, kind: str = Form(...),
              user: UserInfo = requires(START_PERMISSION)) -> Response:
    if kind not in STARTABLE:
        raise NotFound(f"No job kind {kind!r} can be started here.",
                       hint="Start one of: " + ", ".join(STARTABLE) + ".")
    job = runner_of(request).submit(kind, {}, by=audit_name(user), role=user.role)
    return RedirectResponse(f"/team/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, user: UserInfo = Depends(require_user)
             ) -> Response:
    job = runner_of(request).status(job_id)
    context = {"job": job, "can_cancel": _may_cancel(user, job)}
    if request.headers.get("HX-Request"):
        return render(request, "team/_job.html", context)
    return render(request, "team/job.html", context)


@router.post("/jobs/{job_id}/cancel")
def job_cancel(request: Request, job_id: int, user: UserInfo = requires(START_PERMISSION)
               ) -> Response:
    runner = runner_of(request)
    job = runner.status(job_id)
    if not _may_cancel(user, job):
        raise AccessDenied(f"You may not cancel job {job_id}.",
                           hint="Only the one who started it, or whoever may start such "
                                "jobs, may cancel it.")
    runner.cancel(job_id, by=audit_name(user))
    return RedirectResponse(f"/team/jobs/{job_id}", status_code=303)


def report_file(runner: JobRunner, job: JobInfo) -> FsPath:
    """The file a finished report job wrote, or a clear NotFound."""
    name = (job.result or {}).get("file")
    path = runner.output_dir / name if job.kind == "report" and job.status == "done" \
        and isinstance(name, str) and "/" not in name and "\\" not in name else None
    if path is None or not path.is_file():
        raise NotFound(f"Job {job.id} has no report to download.",
                       hint="Write a report from the dashboard; it is kept until the server's "
                            "report folder is cleaned.")
    return path


@router.get("/jobs/{job_id}/report")
def job_report(request: Request, job_id: int, download: bool = False,
               user: UserInfo = Depends(require_user)) -> Response:
    access.require(user.role, "read")
    runner = runner_of(request)
    path = report_file(runner, runner.status(job_id))
    # Each view or download of a report is a read of the case: logged through the writing
    # case (a GET reads through the read-only one), with the file's hash.
    audit.record_access(request.app.state.case, by=audit_name(user), action="report.download",
                        target=f"job:{job_id}",
                        details={"file": path.name, "sha256": audit.file_sha256(path),
                                 "download": download,
                                 "address": request.client.host if request.client else None})
    # The report is one self-contained file: its styles and images are inline, and it
    # runs no script, so it gets a policy of its own that allows exactly that.
    return FileResponse(path, media_type="text/html; charset=utf-8",
                        filename=path.name if download else None,
                        content_disposition_type="attachment" if download else "inline",
                        headers={"Content-Security-Policy": REPORT_POLICY})


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
    kind: Literal["link", "estimate", "report"] = Field(
        description="link (rebuild the register), estimate (the totals) or report")


def _out(job: JobInfo) -> JobOut:
    d = job.to_dict()
    return JobOut(**{k: d[k] for k in JobOut.model_fields})


@api_router.post("/jobs", response_model=JobOut, status_code=202, responses=ERRORS)
def api_job_start(request: Request, body: JobIn, user: UserInfo = requires(START_PERMISSION)
                  ) -> JobOut:
    """Start a job (``link``, ``estimate`` or ``report``); poll ``GET /api/jobs/{id}``."""
    if body.kind not in STARTABLE:
        raise NotFound(f"No job kind {body.kind!r} can be started here.",
                       hint="Start one of: " + ", ".join(STARTABLE) + ".")
    return _out(runner_of(request).submit(body.kind, {}, by=audit_name(user), role=user.role))


@api_router.get("/jobs", response_model=list[JobOut], responses=ERRORS)
def api_jobs(request: Request, user: UserInfo = Depends(require_user)) -> list[JobOut]:
    """The latest 100 jobs, newest first."""
    from dadkhah.store.jobs import list_jobs

    return [_out(j) for j in list_jobs(runner_of(request).reader, limit=100)]


@api_router.get("/jobs/{job_id}", response_model=JobOut, responses=ERRORS)
def api_job(request: Request, job_id: int = Path(ge=1, le=2**53),
            user: UserInfo = Depends(require_user)) -> JobOut:
    """One job, with its live progress."""
    return _out(runner_of(request).status(job_id))


@api_router.post("/jobs/{job_id}/cancel", response_model=JobOut, responses=ERRORS)
def api_job_cancel(request: Request, job_id: int = Path(ge=1, le=2**53),
                   user: UserInfo = requires(START_PERMISSION)) -> JobOut:
    """Cancel a queued job, or stop a running one (its work is rolled back)."""
    runner = runner_of(request)
    job = runner.status(job_id)
    if not _may_cancel(user, job):
        raise AccessDenied(f"You may not cancel job {job_id}.",
                           hint="Only the one who started it, or whoever may start such "
                                "jobs, may cancel it.")
    return _out(runner.cancel(job_id, by=audit_name(user)))

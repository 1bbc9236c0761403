"""Background jobs kept in the case: what was asked, by whom, how far it got, how it ended.

The web workspace runs long operations (an import, a linkage run, estimates, a report) as
jobs instead of inside a request (:mod:`dadkhah.web.jobs` runs them).  The state lives here,
in the case's ``jobs`` table, so a page reload, another browser or another server process
sees the same job, and a server restart finds the jobs it was running and says so
(:func:`recover_jobs`).  A job's *work* writes the case through the library, each operation
in one transaction of its own: a job that fails or is cancelled leaves the case as it was.

Submitting and cancelling are audited (who started or stopped what); progress lines are
not (they are the runner's notes, not facts about the case).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Row, insert, select, update

from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store.audit import append, now_utc
from dadkhah.store.case import Case
from dadkhah.store.tables import Job

JOB_STATES: tuple[str, ...] = ("queued", "running", "done", "failed", "cancelled")
"""A job's states, in the order it moves through them (the last three are final)."""
FINAL_STATES = frozenset({"done", "failed", "cancelled"})


@dataclass(frozen=True)
class JobInfo:
    """One job as stored (``params`` and ``result`` decoded from JSON)."""

    id: int
    kind: str
    params: dict[str, Any]
    status: str
    progress: float | None
    message: str | None
    result: dict[str, Any] | None
    error: str | None
    hint: str | None
    cancel_requested: bool
    created_by: str
    created_at: str
    started_at: str | None
    finished_at: str | None

    @property
    def finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self.status in FINAL_STATES

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "finished": self.finished}

    def summary(self) -> str:
        line = f"job {self.id} ({self.kind}, by {self.created_by}): {self.status}"
        if self.message and not self.finished:
            line += f" — {self.message}"
        if self.error:
            line += f" — {self.error}"
        return line


def _info(r: Row[Any]) -> JobInfo:
    return JobInfo(id=int(r.id), kind=r.kind, params=json.loads(r.params), status=r.status,
                   progress=r.progress, message=r.message,
                   result=json.loads(r.result) if r.result else None, error=r.error,
                   hint=r.hint, cancel_requested=bool(r.cancel_requested),
                   created_by=r.created_by, created_at=r.created_at, started_at=r.started_at,
                   finished_at=r.finished_at)


def submit_job(case: Case, kind: str, params: dict[str, Any], *, by: str) -> JobInfo:
    """Queue a job of ``kind`` with JSON-able ``params``, audited as ``job.submit``."""
    if not kind or len(kind) > 32:
        raise InvalidInput(f"Job kind {kind!r} is not valid.", hint="Name a known job kind.")
    with case.write() as conn:
        key = conn.execute(insert(Job).values(
            kind=kind, params=json.dumps(params, ensure_ascii=False, sort_keys=True),
            status="queued", cancel_requested=False, created_by=by,
            created_at=now_utc())).inserted_primary_key
        assert key is not None  # a single-row INSERT always has its key
        job_id = int(key[0])
        append(conn, by=by, action="job.submit", target=f"job:{job_id}",
               details={"job": job_id, "kind": kind})
    return get_job(case, job_id)


def get_job(case: Case, job_id: int) -> JobInfo:
    """The job ``job_id``, or :class:`~dadkhah.errors.NotFound`."""
    with case.read() as conn:
        r = conn.execute(select(Job.__table__).where(Job.id == job_id)).first()
    if r is None:
        raise NotFound(f"No job {job_id} in this case.", hint="See the list of jobs.")
    return _info(r)


def list_jobs(case: Case, *, limit: int = 50, kind: str | None = None,
              active_only: bool = False) -> list[JobInfo]:
    """The latest jobs, newest first (only queued and running ones with ``active_only``)."""
    q = select(Job.__table__).order_by(Job.id.desc()).limit(limit)
    if kind:
        q = q.where(Job.kind == kind)
    if active_only:
        q = q.where(Job.status.in_(("queued", "running")))
    with case.read() as conn:
        return [_info(r) for r in conn.execute(q)]


def claim_job(case: Case, worker: str, *, kinds: tuple[str, ...] | None = None
              ) -> JobInfo | None:
    """Move the oldest queued job (of ``kinds``, when given) to running for ``worker``, or
    None when none waits.  Safe with several runners (``dadkhah worker`` processes and
    servers): the UPDATE only takes a job still queued, so two runners never claim the same
    one; a runner that lost the race to another (PostgreSQL lets both read the same oldest
    job) tries the next one instead of concluding that none waits."""
    for _ in range(_CLAIM_TRIES):
        with case.write() as conn:
            q = select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(1)
            if kinds:
                q = q.where(Job.kind.in_(kinds))
            job_id = conn.execute(q).scalar()
            if job_id is None:
                return None
            done = conn.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                                .values(status="running", worker=worker,
                                        started_at=now_utc()))
        if done.rowcount == 1:
            return get_job(case, int(job_id))
    return None


_CLAIM_TRIES = 20  # races lost in a row before a runner gives up for this round


def set_progress(case: Case, job_id: int, progress: float | None, message: str | None
                 ) -> bool:
    """Record how far a running job got; True when someone asked to cancel it."""
    with case.write() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(
            progress=None if progress is None else max(0.0, min(1.0, progress)),
            message=(message or "")[:500] or None))
        flag = conn.execute(select(Job.cancel_requested).where(Job.id == job_id)).scalar()
    return bool(flag)


def finish_job(case: Case, job_id: int, result: dict[str, Any]) -> None:
    """Mark a job done with its JSON-able ``result``."""
    with case.write() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(
            status="done", progress=1.0, result=json.dumps(result, ensure_ascii=False,
                                                           default=str),
            finished_at=now_utc()))


def fail_job(case: Case, job_id: int, error: str, hint: str | None = None, *,
             cancelled: bool = False, kind: str | None = None) -> None:
    """Mark a job failed (or cancelled) with the message a user reads; ``kind``, the class
    name of the error (``InvalidInput`` …), is kept in the job's result so that a page can
    say what kind of failure it was in the reader's language."""
    values: dict[str, Any] = {
        "status": "cancelled" if cancelled else "failed", "error": error[:2000],
        "hint": (hint or "")[:1000] or None, "finished_at": now_utc()}
    if kind:
        values["result"] = json.dumps({"error_kind": kind[:64]})
    with case.write() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(**values))


def cancel_job(case: Case, job_id: int, *, by: str) -> JobInfo:
    """Cancel a queued job at once, or ask a running one to stop at its next progress
    report (its work then rolls back).  Audited as ``job.cancel``; a finished job is left
    as it is."""
    with case.write() as conn:
        r = conn.execute(select(Job.status).where(Job.id == job_id)).first()
        if r is None:
            raise NotFound(f"No job {job_id} in this case.", hint="See the list of jobs.")
        if r.status in FINAL_STATES:
            return get_job(case, job_id)
        values: dict[str, Any] = {"cancel_requested": True}
        if r.status == "queued":
            values.update(status="cancelled", error=f"Cancelled by {by} before it started.",
                          finished_at=now_utc())
        conn.execute(update(Job).where(Job.id == job_id).values(**values))
        append(conn, by=by, action="job.cancel", target=f"job:{job_id}",
               details={"job": job_id, "was": r.status})
    return get_job(case, job_id)


def recover_jobs(case: Case, is_alive: Callable[[str], bool]) -> list[int]:
    """Mark as failed the running jobs whose runner is gone (``is_alive(worker)`` false):
    a server that stopped in the middle of one.  Their work rolled back with the process,
    so the case is as it was before they started.  Returns their ids."""
    with case.write() as conn:
        stale = [int(r.id) for r in conn.execute(
            select(Job.id, Job.worker).where(Job.status == "running"))
            if not is_alive(r.worker or "")]
        if stale:
            conn.execute(update(Job).where(Job.id.in_(stale)).values(
                status="failed", finished_at=now_utc(),
                error="Interrupted: the server stopped while this job ran. Nothing it was "
                      "writing was kept.",
                hint="Start it again."))
    return stale


__all__ = ["FINAL_STATES", "JOB_STATES", "JobInfo", "cancel_job", "claim_job", "fail_job",
           "finish_job", "get_job", "list_jobs", "recover_jobs", "set_progress", "submit_job"]

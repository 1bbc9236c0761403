"""Background jobs for the web workspace: long operations run outside a request.

Design (why not Celery, RQ or a job library): the state of every job is a row in the case
(:mod:`dadkhah.store.jobs`), so it needs no broker, works the same on the embedded SQLite
default and on PostgreSQL, is backed up with the case, and a page reload, another browser
or a restart reads the same job.  A :class:`JobRunner` is a thread of the server process that
claims queued jobs one at a time (SQLite has one writer anyway) and runs the library
function behind each :data:`KINDS` entry.  Live progress is kept in memory, not written
from inside the work: on SQLite every transaction of the writing engine (reads included)
holds the write lock, and the library reports progress from inside its transactions, so a
progress write there would wait on its own job.  Pages read jobs through the read-only case
(``reader``), which never waits for a writer.

Failure leaves the case as it was: each library operation (import, linkage, estimates)
writes in one transaction of its own, so an error or a cancellation raised from a progress
report rolls that transaction back; the job row then says what went wrong and how to fix
it.  A server that stops mid-job marks it interrupted at its next start
(:func:`dadkhah.store.jobs.recover_jobs`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from dadkhah import access
from dadkhah.errors import DadkhahError, InvalidInput, StoreBusy
from dadkhah.store import Case
from dadkhah.store import jobs as store_jobs
from dadkhah.store.jobs import JobInfo

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0
"""How often an idle runner looks for jobs queued by another process."""
SHARE_SECONDS = 1.0
"""Least time between two writes of a running job's progress file (see JobRunner.status)."""
PERSIST_SECONDS = 2.0
"""Least time between two writes of a running job's progress to the store."""
BUSY_RETRY_SECONDS = 900.0
"""How long a job keeps trying again while another process (a ``dadkhah import`` on the
command line, a separate worker) holds the case's write lock, before it fails with the
busy message.  A request must not wait that long, but a job has nobody waiting on it."""
BUSY_PAUSE_SECONDS = 5.0
"""Pause between two tries of a job that found the case busy."""
WAITING_MESSAGE = "waiting for another writer to finish"
"""The progress message of a job waiting on the write lock (translated on the job page)."""


class JobCancelled(Exception):
    """Raised from a progress report when the job was asked to stop."""


@dataclass
class JobContext:
    """What a job's work receives: the case, the job, where to write files, and
    :meth:`progress` to report how far it got (which raises :class:`JobCancelled` when
    someone cancelled the job)."""

    runner: JobRunner
    job: JobInfo
    kind: JobKind
    done: dict[str, Any] = field(default_factory=dict)
    """Steps of this job already committed, so that a try started again after the case
    was busy (:meth:`JobRunner._run_when_free`) does not repeat them."""

    @property
    def case(self) -> Case:
        return self.runner.case

    @property
    def by(self) -> str:
        return self.job.created_by

    @property
    def output_dir(self) -> Path:
        return self.runner.output_dir

    def progress(self, fraction: float | None, message: str | None = None) -> None:
        self.runner._progress(self, fraction, message)


@dataclass(frozen=True)
class JobKind:
    """A kind of job: the permission needed to start it and the work it runs."""

    name: str
    permission: str
    run: Callable[[JobContext], dict[str, Any]]
    persist_progress: bool = False
    """Write progress to the job row (every :data:`PERSIST_SECONDS`): only for work that
    reports progress outside any transaction of the case."""


# -- the work behind each kind (thin calls into the library) ---------------------------------
def _run_import(ctx: JobContext) -> dict[str, Any]:
    from dadkhah.access import Viewer
    from dadkhah.casefile import check_document_keepable, evidence_root, keep_document
    from dadkhah.documents import document_kind
    from dadkhah.ingest import import_file
    from dadkhah.register import normalize_case

    p = ctx.job.params
    folder = ctx.runner.upload_dir / p["token"]
    path = folder / p["file"]
    if "import" not in ctx.done and not path.is_file():
        raise InvalidInput("The uploaded file is no longer there.",
                           hint="Upload the file again.")
    mapping = folder / p["mapping"] if p.get("mapping") else None

    def rows(done: int, total: int) -> None:
        ctx.progress(done / total if total else None, f"{done:,} / {total:,} rows")

    def pages(done: int, total: int) -> None:
        # reading the pages (OCR above all) is most of a document's import
        ctx.progress(0.9 * done / total if total else None,
                     f"page {done:,} of {total:,} read")

    report = ctx.done.get("import")
    viewer = Viewer(ctx.by, p.get("role"))
    if report is None and document_kind(path) is not None:
        # the document is kept as evidence after the import: a PostgreSQL case with no
        # evidence folder, or bytes kept from this member since the upload, are refused
        # before anything is written
        evidence_root(ctx.case)
        check_document_keepable(ctx.case, path, viewer=viewer)
    held: dict[str, int | None] = {}

    def keep(conn: Any, stored: Any) -> None:
        # in the import's own transaction: bytes restricted from the member since the
        # check above roll the records back too
        if stored.document is not None:
            kept = keep_document(ctx.case, path, source=p["source"], by=ctx.by,
                                 role=p.get("role"), name=p["file"],
                                 acquired_from=stored.document.get("url"), viewer=viewer,
                                 conn=conn)
            held["kept"] = kept.id if kept else None

    if report is None:
        report = ctx.done["import"] = import_file(ctx.case, path, source=p["source"],
                                                  mapping=mapping, by=ctx.by, progress=rows,
                                                  page_progress=pages, viewer=viewer,
                                                  on_stored=keep)
        ctx.done.update(held)  # committed with the records
    if report.document is not None and "kept" not in ctx.done:
        # the document itself, kept as evidence (custody), so each line's image can be
        # checked against its reading (/team/verify)
        kept = keep_document(ctx.case, path, source=p["source"], by=ctx.by,
                             role=p.get("role"), name=p["file"],
                             acquired_from=report.document.get("url"), viewer=viewer)
        ctx.done["kept"] = kept.id if kept else None
    ctx.progress(None, "normalising names, dates and places")
    # New records are searchable by their cross-script keys only once normalised;
    # normalising is derived data, rebuilt from the stored rows whenever it runs.
    normalize_case(ctx.case, by=ctx.by)
    shutil.rmtree(folder, ignore_errors=True)
    out = {"import_id": report.import_id, "file": report.file_name,
           "rows_imported": report.rows_imported, "rows_rejected": report.rows_rejected}
    if report.document is not None:
        out.update(document=report.document.get("kind"), evidence_id=ctx.done.get("kept"),
                   source=p["source"])
    return out


def _run_link(ctx: JobContext) -> dict[str, Any]:
    from dadkhah.linkage import link_case

    report = link_case(ctx.case, by=ctx.by, progress=lambda m: ctx.progress(None, m))
    out = report.to_dict()
    out.pop("timings", None)
    return out


WEB_LINKAGE_DRAWS = 10
"""Registers the workspace's estimate job draws from the linkage's uncertainty (as
``dadkhah estimate`` does by default, with fewer draws to keep the job short)."""


def _run_estimate(ctx: JobContext) -> dict[str, Any]:
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import compute_estimates

    # As the CLI: each method pooled over registers drawn from the linkage's uncertainty
    # (calibrated on the audit sample's answers when there are any), the register taken as
    # certain kept beside it, so the dashboard shows both intervals.
    ctx.progress(None, f"fitting the models on {WEB_LINKAGE_DRAWS} drawn registers")
    rows = compute_estimates(ctx.case, by=ctx.by, linkage_draws=WEB_LINKAGE_DRAWS,
                             cluster=cluster_records, features=compute_features)
    return {"estimates": len(rows), "linkage_draws": WEB_LINKAGE_DRAWS}


def _run_report(ctx: JobContext) -> dict[str, Any]:
    from dadkhah.register import latest_estimates
    from dadkhah.report import write_report
    from dadkhah.web.i18n import render_wording

    # The totals the dashboard shows (estimated from the current register) are reused, so
    # the report says what the dashboard says.  Strata only when asked for: log-linear model
    # search per prison takes minutes once a case has six lists or more.
    current = [r for r in latest_estimates(ctx.case) if r.current and r.estimate is not None]
    stored = {r.method: r.estimate for r in current}
    by = tuple(ctx.job.params.get("by") or ())
    out = ctx.output_dir / f"report-{ctx.job.id}.html"
    res = write_report(ctx.case, out, actor=ctx.by, by=by,
                       methods=() if stored else ("loglinear",),
                       headline="lcmcr" if "lcmcr" in stored else None, precomputed=stored,
                       precomputed_wordings={r.method: r.wordings for r in current},
                       persian=partial(render_wording, "fa"),
                       command=f"dadkhah web workspace, report job {ctx.job.id}"
                               + (f" (by {', '.join(by)})" if by else ""),
                       progress=lambda m: ctx.progress(None, str(m)))
    return {"file": out.name, "persons": res.persons, "synthetic": res.synthetic}


EXPORTS: dict[str, tuple[str, ...]] = {
    "register": ("csv", "xlsx", "json"),
    "every_casualty": ("csv",),
    "histories": ("csv",),
}
"""What an export job writes (:mod:`dadkhah.report.exports`) and the formats of each."""


def check_export(what: str, fmt: str) -> None:
    """:class:`InvalidInput` unless ``what`` is a known export with format ``fmt``."""
    if what not in EXPORTS:
        raise InvalidInput(f"Unknown export {what!r}.",
                           hint="Export one of: " + ", ".join(EXPORTS) + ".")
    if fmt not in EXPORTS[what]:
        raise InvalidInput(f"The {what} export has no format {fmt!r}.",
                           hint="Use " + " or ".join(EXPORTS[what]) + ".")


def _run_export(ctx: JobContext) -> dict[str, Any]:
    from dadkhah.access import Viewer
    from dadkhah.report import exports

    p = ctx.job.params
    what, fmt = p.get("what", ""), p.get("fmt", "csv")
    check_export(what, fmt)
    out = ctx.output_dir / f"export-{ctx.job.id}-{what}.{fmt}"
    ctx.progress(None, f"exporting: {what}")
    # What the one who started it may see (restricted records): only they may download it.
    viewer = Viewer(ctx.by)
    if what == "register":
        res = exports.write_register(ctx.case, out, fmt=fmt, actor=ctx.by, viewer=viewer)
    elif what == "every_casualty":
        res = exports.write_every_casualty(ctx.case, out, actor=ctx.by, viewer=viewer)
    else:
        res = exports.write_histories(ctx.case, out, actor=ctx.by, viewer=viewer)
    return {"file": out.name, "rows": res.rows, "what": what, "format": fmt,
            "synthetic": res.synthetic}


def _run_dossier(ctx: JobContext) -> dict[str, Any]:
    from dadkhah.access import Viewer
    from dadkhah.casefile import get_actor, write_dossier

    # The member who started it, as they read the case file: an actor that exists only
    # for them is theirs to write, one kept from them is missing, as on the actor's page.
    role = ctx.job.params.get("role")
    viewer = Viewer(ctx.by, role)
    actor = get_actor(ctx.case, ctx.job.params.get("actor", ""), viewer=viewer)
    out = ctx.output_dir / f"dossier-{ctx.job.id}-{actor.id}.html"
    ctx.progress(None, "writing the dossier")
    write_dossier(ctx.case, actor.id, out, by=ctx.by, role=role, viewer=viewer)
    return {"file": out.name, "actor": actor.display_name, "actor_id": actor.id}


KINDS: dict[str, JobKind] = {k.name: k for k in (
    JobKind("import", "write", _run_import),
    JobKind("link", "review", _run_link),
    JobKind("estimate", "write", _run_estimate),
    JobKind("report", "write", _run_report),
    JobKind("export", "write", _run_export),
    JobKind("dossier", "write", _run_dossier),
)}
"""Job kinds the workspace runs, with the permission each needs (:mod:`dadkhah.access`)."""

_RUNNERS: set[str] = set()  # ids of the runners alive in this process


def _host() -> str:
    return socket.gethostname()[:100]


def worker_alive(worker: str) -> bool:
    """Whether the runner named ``worker`` (host:pid:id) may still be running: on this
    host, its process must be alive and, in this process, the runner itself; a runner on
    another host is assumed alive (only its own host can tell)."""
    host, _, rest = worker.partition(":")
    pid_text, _, rid = rest.partition(":")
    if host != _host() or not pid_text.isdigit():
        return host != _host()
    pid = int(pid_text)
    if pid == os.getpid():
        return rid in _RUNNERS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobRunner:
    """Runs the case's queued jobs in one background thread (started on the first
    :meth:`submit`, or by :meth:`start`).  ``dadkhah worker`` style use: call
    :meth:`run_forever` in a process of its own."""

    def __init__(self, case: Case, *, output_dir: Path, upload_dir: Path,
                 kinds: dict[str, JobKind] | None = None, reader: Case | None = None,
                 autostart: bool = True, progress_dir: Path | None = None) -> None:
        self.case = case
        # Where live progress is shared with other processes: job-progress/ in the case
        # folder, or in the files folder a server case's server and workers share.
        folder = Path(case.location)
        self.progress_dir = progress_dir or (folder / "job-progress" if folder.is_dir()
                                             else None)
        # False when a separate ``dadkhah worker`` runs the jobs (``serve --no-worker``):
        # then submitting only queues.
        self.autostart = autostart
        self.reader = reader or case  # what status pages read through
        self.output_dir = output_dir
        self.upload_dir = upload_dir
        self.kinds = dict(KINDS if kinds is None else kinds)
        self.id = f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._live: dict[int, tuple[float | None, str | None]] = {}
        self._cancel: set[int] = set()
        self._persisted: dict[int, float] = {}
        self._checked: dict[int, float] = {}  # job id → when its cancel flag was last read
        self._shared: dict[int, float] = {}  # job id → when its progress file was written
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        _RUNNERS.add(self.id)
        self.recovered = store_jobs.recover_jobs(case, worker_alive)

    # -- the team's side ------------------------------------------------------------------
    def submit(self, kind: str, params: dict[str, Any], *, by: str,
               role: str | None) -> JobInfo:
        """Queue a job after checking that ``role`` may start it, and wake the runner."""
        spec = self.kinds.get(kind)
        if spec is None:
            raise InvalidInput(f"Unknown job kind {kind!r}.",
                               hint="Kinds: " + ", ".join(sorted(self.kinds)) + ".")
        access.require(role, spec.permission, what=f"{kind} jobs")
        job = store_jobs.submit_job(self.case, kind, params, by=by)
        if self.autostart:
            self.start()
            self._wake.set()
        return job

    def status(self, job_id: int) -> JobInfo:
        """The job as stored, with the live progress of a job this runner is running."""
        job = store_jobs.get_job(self.reader, job_id)
        live = self._live.get(job_id)
        if live is None and job.status == "running":
            live = self._shared_progress(job_id)  # run by another process (dadkhah worker)
        if live is not None and job.status == "running":
            job = replace(job, progress=live[0], message=live[1])
        return job

    # Live progress shared between processes: the runner of a job writes it to a small file
    # in the case folder (a write to the job row could wait on the job's own transaction on
    # SQLite), so a server whose jobs run in a separate ``dadkhah worker`` shows it too.
    def _progress_file(self, job_id: int) -> Path | None:
        return self.progress_dir / f"{job_id}.json" if self.progress_dir else None

    def _shared_progress(self, job_id: int) -> tuple[float | None, str | None] | None:
        path = self._progress_file(job_id)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else None
        except (OSError, ValueError):
            return None
        return (data.get("progress"), data.get("message")) if isinstance(data, dict) else None

    def _share_progress(self, job_id: int, fraction: float | None,
                        message: str | None) -> None:
        path = self._progress_file(job_id)
        if path is None:
            return
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"progress": fraction, "message": message}),
                           encoding="utf-8")
            tmp.replace(path)  # atomic: a reader sees the old or the new text, never half
        except OSError:
            log.warning("job %s: could not share its progress", job_id, exc_info=True)

    def cancel(self, job_id: int, *, by: str) -> JobInfo:
        """Cancel a queued job, or stop a running one at its next progress report."""
        self._cancel.add(job_id)
        return store_jobs.cancel_job(self.case, job_id, by=by)

    # -- the runner's side ----------------------------------------------------------------
    def start(self) -> None:
        """Start the background thread (once)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self.run_forever, daemon=True,
                                                name=f"dadkhah-jobs-{self.id}")
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to stop after the current job, and wait for it a little."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        _RUNNERS.discard(self.id)

    def run_forever(self) -> None:
        """Run queued jobs until :meth:`stop`; idle, look again every :data:`POLL_SECONDS`."""
        while not self._stop.is_set():
            try:
                ran = self.run_one()
            except Exception:  # never let the thread die: the next job deserves its run
                log.exception("job runner: could not claim a job")
                ran = False
            if not ran:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()

    def run_until_idle(self, *, stop: threading.Event | None = None) -> int:
        """Run queued jobs one after another until none waits (or ``stop`` is set); how
        many ran.  What ``dadkhah worker --once`` does."""
        ran = 0
        while not (stop is not None and stop.is_set()) and self.run_one():
            ran += 1
        return ran

    def run_one(self) -> bool:
        """Claim and run one queued job in this thread; False when none waits."""
        job = store_jobs.claim_job(self.case, self.id, kinds=tuple(self.kinds))
        if job is None:
            return False
        ctx = JobContext(self, job, self.kinds[job.kind])
        self._live[job.id] = (None, None)
        try:
            if job.cancel_requested or job.id in self._cancel:
                raise JobCancelled()
            result = self._run_when_free(ctx)
        except JobCancelled:
            self._record(store_jobs.fail_job, job.id,
                         "Cancelled; nothing it was writing was kept.", cancelled=True)
        except DadkhahError as exc:
            self._record(store_jobs.fail_job, job.id, exc.message, exc.hint,
                         kind=type(exc).__name__)
        except Exception as exc:
            log.exception("job %s (%s) failed", job.id, job.kind)
            self._record(
                store_jobs.fail_job, job.id, f"Unexpected error: {type(exc).__name__}: {exc}",
                "The case was left as it was before the job. This is a fault in dadkhah: "
                "report it with the server log.")
        else:
            self._record(store_jobs.finish_job, job.id, result)
        finally:
            self._live.pop(job.id, None)
            if job.id in self._shared:
                self._shared.pop(job.id)
                path = self._progress_file(job.id)
                if path is not None:
                    path.unlink(missing_ok=True)
            self._persisted.pop(job.id, None)
            self._checked.pop(job.id, None)
            self._cancel.discard(job.id)
        return True

    def _record(self, write: Callable[..., None], *args: Any, **kwargs: Any) -> None:
        """Write how a job ended, waiting (up to :data:`BUSY_RETRY_SECONDS`) while another
        process holds the write lock: a job whose end is not written would stay "running"
        until the next restart."""
        deadline = time.monotonic() + BUSY_RETRY_SECONDS
        while True:
            try:
                write(self.case, *args, **kwargs)
                return
            except StoreBusy:
                if time.monotonic() >= deadline:
                    raise
            time.sleep(BUSY_PAUSE_SECONDS)

    def _run_when_free(self, ctx: JobContext) -> dict[str, Any]:
        """Run the job's work, trying again while another process holds the write lock.

        Each library operation writes in one transaction, so a try that found the case busy
        left nothing behind and can simply start again.  The job shows that it waits (and
        can be cancelled meanwhile) instead of failing after the web's short write wait."""
        deadline = time.monotonic() + BUSY_RETRY_SECONDS
        while True:
            try:
                return ctx.kind.run(ctx)
            except StoreBusy:
                if time.monotonic() >= deadline or self._stop.is_set():
                    raise
                log.info("job %s (%s): the case is busy; trying again", ctx.job.id,
                         ctx.job.kind)
            # Not ctx.progress: its store write would wait on the very lock that is held.
            self._live[ctx.job.id] = (None, WAITING_MESSAGE)
            self._share_progress(ctx.job.id, None, WAITING_MESSAGE)
            self._stop.wait(BUSY_PAUSE_SECONDS)
            if ctx.job.id in self._cancel or \
                    store_jobs.get_job(self.reader, ctx.job.id).cancel_requested:
                raise JobCancelled()

    def _progress(self, ctx: JobContext, fraction: float | None, message: str | None) -> None:
        job_id = ctx.job.id
        self._live[job_id] = (fraction, message)
        cancelled = job_id in self._cancel
        now = time.monotonic()
        if now - self._shared.get(job_id, 0.0) >= SHARE_SECONDS:
            self._shared[job_id] = now
            self._share_progress(job_id, fraction, message)
        if ctx.kind.persist_progress and now - self._persisted.get(job_id, 0.0) >= \
                PERSIST_SECONDS:
            self._persisted[job_id] = now
            cancelled = store_jobs.set_progress(self.case, job_id, fraction, message) \
                or cancelled
        elif not cancelled and self.reader is not self.case and \
                now - self._checked.get(job_id, 0.0) >= PERSIST_SECONDS:
            # A cancel asked through another process (the server, when a separate worker
            # runs the job) is only in the job row: read it through the read-only case,
            # which never waits for the write transaction this work may be inside.
            self._checked[job_id] = now
            cancelled = store_jobs.get_job(self.reader, job_id).cancel_requested
        if cancelled:
            raise JobCancelled()


def job_folders(case: Case, files_dir: Path | None = None) -> tuple[Path, Path]:
    """(output_dir, upload_dir) where the server and a separate worker both find a job's
    files: ``reports/`` and ``uploads/`` in ``files_dir`` when given (needed for a case on
    PostgreSQL, which has no folder), else in the case folder."""
    if files_dir is not None:
        return Path(files_dir) / "reports", Path(files_dir) / "uploads"
    folder = Path(case.location)
    if not folder.is_dir():
        raise InvalidInput(
            "This case is on a database server, so it has no folder for uploads and reports.",
            hint="Start the server and every worker with the same --files-dir (or "
                 "$DADKHAH_FILES_DIR), a folder they all can read and write.")
    return folder / "reports", folder / "uploads"


def run_worker(case_location: str, *, once: bool = False, output_dir: Path | None = None,
               upload_dir: Path | None = None, stop: threading.Event | None = None,
               poll: float = POLL_SECONDS, files_dir: Path | None = None) -> int:
    """Run the case's queued jobs in this process (``dadkhah worker``): until none waits
    with ``once``, else until ``stop`` is set (or the process is interrupted).  Several
    workers (and a server that runs jobs itself) can share a case: a job is claimed by one
    of them only (:func:`dadkhah.store.jobs.claim_job`).  ``files_dir``: the folder of
    uploads, reports and live progress shared with the server (``serve --files-dir``);
    ``output_dir``/``upload_dir`` override its parts.  Returns how many jobs ran."""
    from dadkhah.store import is_server_url

    case = Case.open(case_location)
    reader = case if is_server_url(case_location) else Case.open(case_location,
                                                                read_only=True)
    try:
        if output_dir is None or upload_dir is None:
            out, up = job_folders(case, files_dir)
            output_dir, upload_dir = output_dir or out, upload_dir or up
        for d in (output_dir, upload_dir):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
        runner = JobRunner(case, output_dir=output_dir, upload_dir=upload_dir, reader=reader,
                           autostart=False,
                           progress_dir=Path(files_dir) / "job-progress" if files_dir else None)
        ran = 0
        try:
            while True:
                ran += runner.run_until_idle(stop=stop)
                if once:
                    break
                if stop is None:
                    time.sleep(poll)
                elif stop.wait(poll):
                    break
        finally:
            _RUNNERS.discard(runner.id)
        return ran
    finally:
        if reader is not case:
            reader.close()
        case.close()


__all__ = ["KINDS", "JobCancelled", "JobContext", "JobKind", "JobRunner", "job_folders",
           "run_worker", "worker_alive"]

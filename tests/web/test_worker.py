"""``dadkhah worker``: queued jobs run in a process of their own, and two workers sharing a
case run each job once.  Real SQLite case, real import jobs, real worker processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import write_csv
from tests.web.conftest import login

DADKHAH = str(Path(sys.executable).with_name("dadkhah"))


def _queue_imports(location: str, tmp_path: Path, n: int) -> tuple[list[int], str]:
    """``n`` import jobs of small files (each a different file), queued, none started."""
    from dadkhah.store import Case
    from dadkhah.store.jobs import submit_job

    case = Case.open(location)
    try:
        slug = case.sources()[0].slug
        ids = []
        for i in range(n):
            csv = write_csv(tmp_path / f"list-{i}.csv", [["full_name", "death_date", "prison"]]
                            + [[f"Worker Test {i}-{j} (SYNTHETIC)", "1988-08-05", "Evin"]
                               for j in range(3)])
            token = f"tok{i}"
            (Path(location) / "uploads" / token).mkdir(parents=True)
            shutil.copy(csv, Path(location) / "uploads" / token / csv.name)
            ids.append(submit_job(case, "import", {"token": token, "file": csv.name,
                                                   "source": slug}, by="editor").id)
    finally:
        case.close()
    return ids, slug


def _imports_of(location: str, ids: list[int]) -> tuple[list[tuple[int, str, str | None]],
                                                        int]:
    from dadkhah.store import Case
    from dadkhah.store.jobs import get_job
    from dadkhah.store.tables import Import, Job

    case = Case.open(location)
    try:
        jobs = [get_job(case, i) for i in ids]
        with case.read() as conn:
            imports = conn.execute(select(func.count()).select_from(Import)).scalar_one()
            workers = dict(conn.execute(select(Job.id, Job.worker)).all())
    finally:
        case.close()
    return [(j.id, j.status, workers[j.id]) for j in jobs], int(imports)


def test_two_workers_run_each_queued_job_once(fresh_case, tmp_path) -> None:
    """Two ``dadkhah worker --once`` processes started together on four queued imports:
    every job ends done, each import is made once (four more imports, not eight)."""
    from dadkhah.store import Case
    from dadkhah.store.tables import Import

    with Case.open(fresh_case.location) as case, case.read() as conn:
        before = conn.execute(select(func.count()).select_from(Import)).scalar_one()
    ids, _ = _queue_imports(fresh_case.location, tmp_path, 4)
    env = {**os.environ, "DADKHAH_CASE": fresh_case.location, "PYTHONPATH": "src"}
    procs = [subprocess.Popen([DADKHAH, "worker", "--once"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, (out, err)
    jobs, after = _imports_of(fresh_case.location, ids)
    assert [s for _, s, _ in jobs] == ["done"] * 4, jobs
    assert after == before + 4
    ran = [int(out.split("Ran ")[1].split()[0]) if "Ran " in out else 0 for out, _ in outs]
    assert sum(ran) == 4, outs  # each job counted by exactly one worker


def test_claiming_is_safe_between_two_runners_racing(fresh_case, tmp_path) -> None:
    """Two runners, each on its own connection to the case (as two processes), claim from one
    queue of 30 jobs at the same time: every job is run exactly once."""
    from dadkhah.store import Case
    from dadkhah.store.jobs import get_job, submit_job
    from dadkhah.web.jobs import JobKind, JobRunner

    ran: list[tuple[str, int]] = []
    lock = threading.Lock()

    def note(ctx):  # type: ignore[no-untyped-def]
        with lock:
            ran.append((ctx.runner.id, ctx.job.id))
        time.sleep(0.01)
        return {"ok": True}

    kinds = {"noop": JobKind("noop", "read", note)}
    cases = [Case.open(fresh_case.location) for _ in range(2)]
    try:
        ids = [submit_job(cases[0], "noop", {"i": i}, by="tests").id for i in range(30)]
        runners = [JobRunner(c, output_dir=tmp_path / "out", upload_dir=tmp_path / "up",
                             kinds=kinds, autostart=False) for c in cases]
        go = threading.Barrier(2)

        def work(r: JobRunner) -> None:
            go.wait()
            r.run_until_idle()

        threads = [threading.Thread(target=work, args=(r,)) for r in runners]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert sorted(j for _, j in ran) == ids  # each once, none missed
        assert {get_job(cases[0], i).status for i in ids} == {"done"}
        for r in runners:
            r.stop()
    finally:
        for c in cases:
            c.close()


def test_serve_without_worker_only_queues(fresh_case, tmp_path) -> None:
    """With ``run_jobs=False`` (``serve --no-worker``) a started job stays queued until a
    worker runs it; the job page then shows it done."""
    from fastapi.testclient import TestClient

    from dadkhah.web import create_app
    from dadkhah.web.jobs import run_worker
    from tests.web.conftest import SECRET

    with TestClient(create_app(fresh_case.location, secret_key=SECRET, run_jobs=False),
                    base_url="https://testserver") as c:
        token = login(c, "editor")
        r = c.post("/team/jobs", data={"csrf_token": token, "kind": "estimate"},
                   follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        job_id = int(r.headers["location"].rstrip("/").split("/")[-1])
        time.sleep(1.0)
        assert c.get(f"/api/jobs/{job_id}").json()["status"] == "queued"
        assert run_worker(fresh_case.location, once=True) == 1
        job = c.get(f"/api/jobs/{job_id}").json()
        assert job["status"] == "done", job


def test_a_server_shows_the_progress_of_a_job_a_worker_runs(fresh_case, tmp_path) -> None:
    """The worker's live progress reaches another process's status page (through the case
    folder), and is gone once the job ends."""
    from dadkhah.store import Case
    from dadkhah.store.jobs import submit_job
    from dadkhah.web.jobs import JobKind, JobRunner

    halfway, release = threading.Event(), threading.Event()

    def slow(ctx):  # type: ignore[no-untyped-def]
        ctx.progress(0.5, "half way")
        halfway.set()
        release.wait(30)
        return {"ok": True}

    kinds = {"slow": JobKind("slow", "read", slow)}
    worker_case, server_case = Case.open(fresh_case.location), Case.open(fresh_case.location)
    server_reader = Case.open(fresh_case.location, read_only=True)
    try:
        job = submit_job(worker_case, "slow", {}, by="tests")
        worker = JobRunner(worker_case, output_dir=tmp_path / "o", upload_dir=tmp_path / "u",
                           kinds=kinds, autostart=False)
        server = JobRunner(server_case, output_dir=tmp_path / "o", upload_dir=tmp_path / "u",
                           kinds=kinds, reader=server_reader, autostart=False)
        t = threading.Thread(target=worker.run_one)
        t.start()
        assert halfway.wait(30)
        seen = server.status(job.id)
        release.set()
        t.join(30)
        assert (seen.status, seen.progress, seen.message) == ("running", 0.5, "half way")
        done = server.status(job.id)
        assert done.status == "done" and done.message is None
        assert not list((Path(fresh_case.location) / "job-progress").glob("*.json"))
        worker.stop()
        server.stop()
    finally:
        for c in (worker_case, server_case, server_reader):
            c.close()


def test_racing_runners_claim_each_job_once_on_either_backend(case_location: str,
                                                               tmp_path: Path) -> None:
    """The claim itself on SQLite and PostgreSQL: three runners, each with its own
    connection, empty one queue of 40 jobs together; each job runs once and none is left
    behind (a runner that loses a race goes on to the next job rather than stopping)."""
    from dadkhah.store import Case
    from dadkhah.store.jobs import get_job, submit_job
    from dadkhah.web.jobs import JobKind, JobRunner

    ran: list[int] = []
    lock = threading.Lock()

    def note(ctx):  # type: ignore[no-untyped-def]
        with lock:
            ran.append(ctx.job.id)
        return {}

    kinds = {"noop": JobKind("noop", "read", note)}
    first = Case.create(case_location, by="tester")
    cases = [first, Case.open(case_location), Case.open(case_location)]
    try:
        ids = [submit_job(first, "noop", {"i": i}, by="tests").id for i in range(40)]
        runners = [JobRunner(c, output_dir=tmp_path / "o", upload_dir=tmp_path / "u",
                             kinds=kinds, autostart=False) for c in cases]
        go = threading.Barrier(len(runners))
        counts: list[int] = []

        def work(r: JobRunner) -> None:
            go.wait()
            counts.append(r.run_until_idle())

        threads = [threading.Thread(target=work, args=(r,)) for r in runners]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert sorted(ran) == ids and sum(counts) == 40
        assert {get_job(first, i).status for i in ids} == {"done"}
        for r in runners:
            r.stop()
    finally:
        for c in cases:
            c.close()


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("DADKHAH_TEST_PG_URL"),
                    reason="DADKHAH_TEST_PG_URL not set (scripts/test sets it)")
def test_a_worker_runs_a_web_started_import_on_postgresql(tmp_path: Path) -> None:
    """A case on PostgreSQL has no folder: the server (``serve --no-worker --files-dir``)
    keeps the uploaded file in the shared files folder, and a separate worker process given
    the same folder imports it; the job page then shows it done.  Without the folder the
    worker says what to pass, and ``serve --no-worker`` refuses to start."""
    from typer.testing import CliRunner

    from dadkhah import users
    from dadkhah.cli import app as cli_app
    from dadkhah.store import Case
    from dadkhah.store.jobs import get_job
    from dadkhah.web import create_app
    from tests.conftest import _pg_database
    from tests.web.conftest import PASSWORD, SECRET
    from tests.web.test_jobs import _upload

    gen = _pg_database()
    url = next(gen)
    try:
        with Case.create(url, by="tests") as case:
            case.add_source(slug="pg-list", title="PG list (SYNTHETIC)", kind="ngo_list",
                            reliability="B", synthetic=True, by="tests")
            users.add_user(case, "editor", PASSWORD, role="editor", by="tests")
        files = tmp_path / "files"
        csv = write_csv(tmp_path / "pg-list.csv", [["full_name", "death_date", "prison"]] + [
            [f"PG Worker {i} (SYNTHETIC)", "1988-08-05", "Evin"] for i in range(4)])
        from fastapi.testclient import TestClient

        with TestClient(create_app(url, secret_key=SECRET, run_jobs=False, files_dir=files),
                        base_url="https://testserver") as c:
            token = login(c, "editor")
            r = _upload(c, token, "pg-list", csv)
            assert r.status_code == 200, r.text[:500]
            upload = re.search(r'name="token" value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
            assert (files / "uploads" / upload / csv.name).is_file()
            r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload,
                                                       "source": "pg-list"})
            job_id = int(r.url.path.rstrip("/").split("/")[-1])
            assert c.get(f"/api/jobs/{job_id}").json()["status"] == "queued"
            env = {k: v for k, v in os.environ.items() if not k.startswith("DADKHAH_FILES")}
            lost = subprocess.run([DADKHAH, "-C", url, "worker", "--once"], env=env,
                                  capture_output=True, text=True, timeout=300)
            assert lost.returncode != 0 and "--files-dir" in lost.stdout + lost.stderr
            done = subprocess.run([DADKHAH, "-C", url, "worker", "--once", "--files-dir",
                                   str(files)], env=env, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, done.stdout + done.stderr
            assert "Ran 1 job" in done.stdout
            job = c.get(f"/api/jobs/{job_id}").json()
            assert job["status"] == "done", job
        with Case.open(url) as case:
            assert get_job(case, job_id).status == "done"
            from dadkhah.store.tables import SourceRecord

            with case.read() as conn:
                assert conn.execute(select(func.count()).select_from(SourceRecord)
                                    ).scalar_one() == 4
        refused = CliRunner().invoke(cli_app, ["-C", url, "serve", "--no-worker"], env=env)
        assert refused.exit_code != 0 and "--files-dir" in refused.output
    finally:
        gen.close()

"""A web job that finds the case busy waits for the other writer instead of failing.

A long `dadkhah import` on the command line holds SQLite's write lock for minutes; the web's
own writes give up after a short wait (a login must not hang), but a job has nobody waiting
on it, so it tries again, says that it waits (in the user's language), can be cancelled
meanwhile, and runs once the lock is free.  Real SQLite case, a real second process holding
the lock, the real linkage job."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

from tests.web.test_security_k4_c9_i21 import write_lock_held


def _runner_with_lock_taken_after_claim(location: str, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A runner whose ``link`` job, once claimed, finds another process holding the lock
    (the holder starts inside the job, after the claim): the situation of a web-started
    relink while someone imports on the command line."""
    from dadkhah.store import Case
    from dadkhah.web import jobs as web_jobs

    monkeypatch.setattr(web_jobs, "BUSY_PAUSE_SECONDS", 0.2)
    holder: dict[str, object] = {}
    taken = threading.Event()
    real_link = web_jobs.KINDS["link"]

    def link_after_lock(ctx):  # type: ignore[no-untyped-def]
        if "cm" not in holder:
            cm = write_lock_held(location)
            cm.__enter__()
            holder["cm"] = cm
            taken.set()
        return real_link.run(ctx)

    kinds = {"link": web_jobs.JobKind("link", "review", link_after_lock)}
    case = Case.open(location, busy_timeout=0.3)
    reader = Case.open(location, read_only=True)
    runner = web_jobs.JobRunner(case, output_dir=tmp_path / "o", upload_dir=tmp_path / "u",
                                kinds=kinds, reader=reader, autostart=False)
    return case, reader, runner, holder, taken


def _wait_message(runner, job_id: int, timeout: float = 60):  # type: ignore[no-untyped-def]
    from dadkhah.web.jobs import WAITING_MESSAGE

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = runner.status(job_id)
        if job.message == WAITING_MESSAGE:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never said it waits: {runner.status(job_id)}")


@contextmanager
def _waiting_job(location: str, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """A relink job run in a thread, once it says it waits for the other process's lock:
    yields (case, runner, release: the other process lets the lock go, job id, the thread,
    the job's status then); the lock, the runner and the case are let go on the way out."""
    from dadkhah.store.jobs import submit_job

    case, reader, runner, holder, taken = _runner_with_lock_taken_after_claim(
        location, tmp_path, monkeypatch)

    def release() -> None:
        # "cm" stays in holder: the job's next try must not take the lock again
        if not holder.get("released"):
            holder["released"] = True
            holder["cm"].__exit__(None, None, None)  # type: ignore[attr-defined]

    try:
        job = submit_job(case, "link", {}, by="reviewer")
        t = threading.Thread(target=runner.run_one)
        t.start()
        assert taken.wait(60)
        yield case, runner, release, job.id, t, _wait_message(runner, job.id)
    finally:
        if "cm" in holder:
            release()
        runner.stop()
        case.close()
        reader.close()


def test_a_job_waits_for_the_other_writer_and_then_runs(fresh_case, tmp_path: Path,
                                                        monkeypatch) -> None:
    from dadkhah.register import count_persons
    from dadkhah.web.i18n import job_note, translate
    from dadkhah.web.templating import make_environment

    with _waiting_job(fresh_case.location, tmp_path, monkeypatch) as (
            case, runner, release, job_id, t, waiting):
        assert waiting.status == "running"

        # the job page says so in the user's language, not in the library's English
        tpl = make_environment().get_template("team/_job.html")
        for lang in ("en", "fa"):
            html = tpl.render(job=waiting, can_cancel=False, csrf_token="x",
                              t=lambda k, lang=lang, **v: translate(lang, k, **v),
                              job_note=lambda m, lang=lang: job_note(lang, m))
            assert translate(lang, "job_note.waiting") in html
            assert "waiting for another writer" not in html

        release()
        t.join(120)
        assert not t.is_alive()
        done = runner.status(job_id)
        assert done.status == "done", (done.error, done.hint)
        assert count_persons(case) > 0  # the relink really ran once the lock was free


def test_a_waiting_job_can_be_cancelled_and_leaves_the_case_as_it_was(
        fresh_case, tmp_path: Path, monkeypatch) -> None:
    with _waiting_job(fresh_case.location, tmp_path, monkeypatch) as (
            _case, runner, release, job_id, t, _waiting):
        runner._cancel.add(job_id)  # what runner.cancel does first (its row write would wait)
        time.sleep(1)  # the job sees the cancel between two tries, while the lock is held
        release()
        t.join(60)  # and writes that it was cancelled once it can
        assert not t.is_alive()
        ended = runner.status(job_id)
        assert ended.status == "cancelled", ended


def test_every_progress_note_of_a_job_reads_in_persian() -> None:
    """Each note the library gives a web job (import, linkage, estimates, report) has a
    Persian wording: a new note added in the library without one fails here."""
    import re

    from dadkhah.web.i18n import catalog, job_note

    src = Path(__file__).parents[2] / "src" / "dadkhah"
    notes = set()
    for path in (src / "linkage" / "run.py", src / "report" / "data.py",
                 src / "web" / "jobs.py"):
        for m in re.finditer(r"""(?:say|ctx\.progress)\((?:None, )?(f?)"([^"]+)"\s*[,)+]""",
                             path.read_text(encoding="utf-8")):
            notes.add(re.sub(r"\{[^}]*\}", "12", m.group(2)) if m.group(1) else m.group(2))
    notes.add("waiting for another writer to finish")
    assert len(notes) >= 10, notes  # the scan found the notes
    missing = [n for n in notes if not job_note("fa", n)[1]]
    assert not missing, f"job notes with no Persian wording: {missing}"
    for n in notes:
        text = job_note("fa", n)[0]
        assert not re.search(r"[A-Za-z]", text), (n, text)
    assert set(catalog("fa")) >= {k for k in catalog("en") if k.startswith("job_note.")}

    text, known = job_note("fa", "1,200 / 3,400 rows")
    assert known and "۱٬۲۰۰" in text and "۳٬۴۰۰" in text
    assert job_note("en", "1,200 / 3,400 rows") == ("1,200 of 3,400 rows read", True)
    assert job_note("fa", "something new") == ("something new", False)

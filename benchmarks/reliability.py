"""Reliability: kill -9 at random points of import, normalise, link, relink and backup, then
check the case; and the web application's p95 under load while an import runs.

Usage: python benchmarks/reliability.py [--runs 50] [--ops import,normalize,link,relink,backup]
                                        [--persons 1500] [--seed 1] [--work DIR]
                                        [--users 20] [--load-seconds 20] [--think 0]
                                        [--no-web]
                                        [--no-retry] [--backend sqlite|postgres]

``--backend postgres`` puts every case in a database of the server named by ``--pg-url``
(default ``$DADKHAH_TEST_PG_URL``; ``eval "$(bash scripts/postgres.sh)"`` starts one); each
run's case is a ``CREATE DATABASE … TEMPLATE`` copy, and server sessions still attached after
the kill are reported too.

Everything runs on SYNTHETIC data from the simulator.  A base case is built once per
operation (the state just before it); each run copies it, starts the real command line
(``dadkhah import|normalize|link|backup create``) as a child process, sends SIGKILL to that
process alone after a random delay (uniform up to 1.2 times the operation's
uninterrupted duration, measured first and then re-measured by every run that finished
before its kill — the median of the last five —, as the machine's load changes; never before
half the bare start-up time of ``dadkhah --version``), then checks the copy:

* ``audit verify`` (the chain, every record's hash, every protected row's hash);
* SQLite ``integrity_check`` and ``foreign_key_check`` (on SQLite);
* no half-written import: each import holds exactly ``rows_imported`` records and
  ``rows_rejected`` rejected rows, and the records total is the base's or the base's plus
  the whole list (the source's committed rows);
* every record in at most one person; every active person has records and its
  ``n_records`` is their count; a linked register covers every record; no link run left
  unfinished; no orphan rows (records without import, person rows without person or
  record, pairs without run); no row noted dirty but unsealed;
* no process of the killed command left alive (e.g. a forked reader) after 2 s;
* backup: the output is absent or verifies; no plain-text snapshot left after the next
  backup;
* the same operation run again afterwards completes (``--no-retry`` skips this).

Then the web: ``dadkhah serve`` on a linked copy, ``--users`` threads each logged in
(viewer) requesting ``/team/search?q=<a person's name>`` and ``/team/persons/<id>`` in turn
for ``--load-seconds`` without and then with an import of a large list running (each user
sends its next request as soon as the last is answered, or after ``--think`` seconds on
average); prints
p50/p95/max per page, errors, and the machine's load average.  Prints every failure found;
exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

OPS = ("import", "normalize", "link", "relink", "backup")
IMPORT_LIST = "families"  # the list whose import is killed (the largest)


def dadkhah_cmd() -> list[str]:
    script = Path(sys.executable).parent / "dadkhah"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from dadkhah.cli import main; main()"]


def run_cli(*args: str, check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess:
    res = subprocess.run([*dadkhah_cmd(), *args], capture_output=True, text=True,
                         timeout=timeout, check=False)
    if check and res.returncode != 0:
        raise SystemExit(f"dadkhah {' '.join(args)} failed ({res.returncode}):\n"
                         f"{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return res


# -- the bases -----------------------------------------------------------------------------
@dataclass
class Bases:
    work: Path
    lists: Path
    manifest: dict
    key: Path
    folders: dict[str, str] = field(default_factory=dict)  # op -> case location
    seconds: dict[str, float] = field(default_factory=dict)
    list_rows: int = 0
    startup: float = 0.0  # seconds before a command does anything (Python, imports)
    pg: str | None = None  # PostgreSQL server URL (cases are databases there)


# -- where cases live: folders, or databases on a PostgreSQL server ---------------------------
def _pg_admin(b: Bases):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(b.pg, autocommit=True)


def new_location(b: Bases, name: str, copy_of: str | None = None) -> str:
    """A case location ``name`` (empty, or a copy of ``copy_of``)."""
    if b.pg is None:
        folder = b.work / name / "case"
        folder.parent.mkdir(parents=True, exist_ok=True)
        if copy_of:
            shutil.copytree(copy_of, folder)
        return str(folder)
    from sqlalchemy.engine import make_url

    db = f"rel_{b.work.name.replace('-', '_')}_{name.replace('-', '_')}"[:63]
    with _pg_admin(b) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        if copy_of:
            conn.execute(f'CREATE DATABASE "{db}" TEMPLATE "{make_url(copy_of).database}"')
        else:
            conn.execute(f'CREATE DATABASE "{db}"')
    (b.work / db).mkdir(parents=True, exist_ok=True)  # the run's files (run_dir)
    return make_url(b.pg).set(database=db).render_as_string(hide_password=False)


def drop_location(b: Bases, loc: str) -> None:
    if b.pg is None:
        shutil.rmtree(Path(loc).parent, ignore_errors=True)
        return
    from sqlalchemy.engine import make_url

    with _pg_admin(b) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{make_url(loc).database}" WITH (FORCE)')


def run_dir(loc: str, b: Bases) -> Path:
    """The folder that holds a run's files (the case folder's parent, or one per database)."""
    if b.pg is None:
        return Path(loc).parent
    from sqlalchemy.engine import make_url

    return b.work / str(make_url(loc).database)


def _list_file(b: Bases, list_id: str) -> Path:
    lst = next(x for x in b.manifest["lists"] if x["id"] == list_id)
    return b.lists / lst["file"]


def op_args(b: Bases, op: str, case: str) -> list[str]:
    if op == "import":
        return ["-C", str(case), "import", str(_list_file(b, IMPORT_LIST)), "-s", IMPORT_LIST]
    if op == "normalize":
        return ["-C", str(case), "normalize"]
    if op in ("link", "relink"):
        return ["-C", str(case), "link"]
    if op == "backup":
        return ["-C", str(case), "backup", "create", str(run_dir(case, b) / "out.age"),
                "--key-file", str(b.key)]
    raise ValueError(op)


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    run_cli(*args)
    return time.perf_counter() - t


def build_bases(work: Path, persons: int, seed: int, pg: str | None) -> Bases:
    """One case per operation, in the state just before it; each op timed once."""
    lists = work / "lists"
    run_cli("simulate", "-s", "small", "-n", str(persons), "--seed", str(seed), "-o", str(lists))
    manifest = json.loads((lists / "SYNTHETIC-manifest.json").read_text(encoding="utf-8"))
    key = work / "backup.key"
    run_cli("backup", "keygen", str(key))
    b = Bases(work, lists, manifest, key, pg=pg)
    b.startup = min(timed(["--version"]) for _ in range(3))
    base = new_location(b, "base-import")
    run_cli("-C", base, "init")
    for lst in manifest["lists"]:
        run_cli("-C", base, "source", "add", lst["id"], "--title", lst["title"],
                "--kind", lst["kind"], "-r", lst["reliability"], "--synthetic")
        if lst["id"] != IMPORT_LIST:
            run_cli("-C", base, "import", str(lists / lst["file"]), "-s", lst["id"])
    b.folders["import"] = base
    nxt = new_location(b, "base-normalize", base)
    b.seconds["import"] = timed(op_args(b, "import", nxt))
    b.folders["normalize"] = nxt
    b.list_rows = records(nxt) - records(base)
    nxt2 = new_location(b, "base-link", nxt)
    b.seconds["normalize"] = timed(op_args(b, "normalize", nxt2))
    b.folders["link"] = nxt2
    nxt3 = new_location(b, "base-relink", nxt2)
    b.seconds["link"] = timed(op_args(b, "link", nxt3))
    b.folders["relink"] = nxt3
    b.folders["backup"] = nxt3
    tmp = new_location(b, "timing-relink", nxt3)
    b.seconds["relink"] = timed(op_args(b, "relink", tmp))
    drop_location(b, tmp)
    tmp = new_location(b, "timing-backup", nxt3)
    b.seconds["backup"] = timed(op_args(b, "backup", tmp))
    drop_location(b, tmp)
    shutil.rmtree(run_dir(tmp, b), ignore_errors=True)
    return b


# -- killing -------------------------------------------------------------------------------
def session_pids(sid: int) -> list[int]:
    """Processes whose session is ``sid`` (the killed command and whatever it forked)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
            out.append(int(d.name))
    return out


def run_and_kill(args: list[str], delay: float) -> tuple[bool, list[int], str]:
    """Start the command in a session of its own, SIGKILL that one process after ``delay``
    seconds; returns (killed before it finished, pids of its session still alive 2 s
    later — which are then killed too, the error output of a command that failed)."""
    error = ""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: a full pipe would stall it
        proc = subprocess.Popen([*dadkhah_cmd(), *args], stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)
        try:
            proc.wait(timeout=delay)
            killed = False
            if proc.returncode != 0:
                err.seek(0)
                error = (f"exited with {proc.returncode} before the kill: "
                         f"{err.read().decode(errors='replace').strip()[-300:]}")
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed = True
    time.sleep(2.0)
    left = session_pids(proc.pid)
    for pid in left:  # only processes of the session this script started
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return killed, left, error


# -- checking ------------------------------------------------------------------------------
def _one(conn, sql: str, **args: object) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    return int(conn.execute(text(sql), args).scalar() or 0)


def records(loc: str) -> int:
    from dadkhah.store import Case

    with Case.open(loc, read_only=True) as c:
        return c.count_records()


def check_case(case: str, base_records: int, list_rows: int, op: str) -> list[str]:
    """What is inconsistent in ``case`` (empty list: nothing)."""
    from sqlalchemy import text

    from dadkhah.store import Case

    problems: list[str] = []
    try:
        c = Case.open(case, read_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is a finding
        problems.append(f"case does not open: {type(exc).__name__}: {exc}")
        return problems
    try:
        rep = c.verify_audit()
        if not rep.ok:
            problems.append("audit verify: " + "; ".join(rep.problems[:3]))
        with c.read() as conn:
            if not c.is_server:
                ic = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
                if ic != "ok":
                    problems.append(f"integrity_check: {ic}")
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fk:
                    problems.append(f"foreign_key_check: {len(fk)} rows, e.g. {fk[:3]}")
            for imp_id, n_imp, n_rej in conn.execute(text(
                    "SELECT id, rows_imported, rows_rejected FROM imports")).fetchall():
                got = _one(conn, "SELECT count(*) FROM source_records WHERE import_id = :i",
                           i=imp_id)
                rej = _one(conn, "SELECT count(*) FROM rejected_rows WHERE import_id = :i",
                           i=imp_id)
                if got != n_imp or rej != n_rej:
                    problems.append(f"half-written import {imp_id}: {got} records, {rej} "
                                    f"rejected rows; its batch says {n_imp} and {n_rej}")
            total = _one(conn, "SELECT count(*) FROM source_records")
            allowed = ({base_records, base_records + list_rows} if op == "import"
                       else {base_records})
            if total not in allowed:
                problems.append(f"{total} records; the committed states hold {sorted(allowed)}")
            checks = {
                "records without their import": "SELECT count(*) FROM source_records r LEFT "
                "JOIN imports i ON i.id = r.import_id WHERE i.id IS NULL",
                "records in more than one person": "SELECT count(*) FROM (SELECT record_id "
                "FROM person_records GROUP BY record_id HAVING count(*) > 1) AS t",
                "person rows without a person": "SELECT count(*) FROM person_records pr LEFT "
                "JOIN persons p ON p.id = pr.person_id WHERE p.id IS NULL",
                "person rows without a record": "SELECT count(*) FROM person_records pr LEFT "
                "JOIN source_records r ON r.id = pr.record_id WHERE r.id IS NULL",
                "active persons without records": "SELECT count(*) FROM persons p WHERE "
                "p.status = 'active' AND NOT EXISTS (SELECT 1 FROM person_records pr WHERE "
                "pr.person_id = p.id)",
                "persons whose n_records is not their count": "SELECT count(*) FROM persons p "
                "WHERE p.status = 'active' AND p.n_records != (SELECT count(*) FROM "
                "person_records pr WHERE pr.person_id = p.id)",
                "pairs without their link run": "SELECT count(*) FROM link_pairs lp LEFT JOIN "
                "link_runs r ON r.id = lp.run_id WHERE r.id IS NULL",
                "unfinished link runs": "SELECT count(*) FROM link_runs WHERE finished_at IS "
                "NULL",
                "rows noted dirty but never sealed": "SELECT count(*) FROM row_dirty",
            }
            for what, sql in checks.items():
                n = _one(conn, sql)
                if n:
                    problems.append(f"{n} {what}")
            in_person = _one(conn, "SELECT count(*) FROM person_records")
            if in_person and in_person != total:
                problems.append(f"the register covers {in_person} of {total} records")
    finally:
        c.close()
    return problems


def pg_sessions_left(b: Bases, loc: str) -> list[str]:
    """Server sessions still attached to the killed command's database (an open transaction
    would hold its locks until the server notices)."""
    if b.pg is None:
        return []
    from sqlalchemy.engine import make_url

    with _pg_admin(b) as conn:
        # Client sessions only: an autovacuum worker may be on the database too (state NULL).
        rows = conn.execute("SELECT pid, state FROM pg_stat_activity WHERE datname = %s "
                            "AND backend_type = 'client backend'",
                            (make_url(loc).database,)).fetchall()
    return [f"backend {pid} ({state})" for pid, state in rows]


def check_backup(work: Path, key: Path) -> list[str]:
    out = work / "out.age"
    problems = []
    if out.exists():
        res = run_cli("backup", "verify", str(out), "--key-file", str(key), check=False)
        if res.returncode != 0:
            problems.append(f"the backup file exists but does not verify: {res.stdout[-300:]}")
    return problems


def leftovers(work: Path) -> list[str]:
    return [str(p.relative_to(work)) for p in work.rglob("*")
            if p.name.startswith(".backup-tmp-") or p.name.endswith(".partial")]


@dataclass
class OpResult:
    op: str
    runs: int = 0
    killed: int = 0
    failures: list[str] = field(default_factory=list)
    orphans: int = 0
    seconds: float = 0.0


def fault_injection(b: Bases, op: str, runs: int, rng: random.Random, retry: bool) -> OpResult:
    res = OpResult(op)
    t0 = time.perf_counter()
    base = b.folders[op]
    base_records = records(base)
    # Kills land between half the bare start-up time and 1.2 times the whole operation:
    # most of them inside its work, a few before it starts or after it ends.
    lo, span = b.startup * 0.5, b.seconds[op] * 1.2
    finished: list[float] = []
    for i in range(runs):
        case = new_location(b, f"run-{op}-{i}", base)
        rdir = run_dir(case, b)
        delay = rng.uniform(lo, span)
        t_run = time.perf_counter()
        killed, left, error = run_and_kill(op_args(b, op, case), delay)
        if not killed and not error:
            # The machine's load changes: a run that finished before its kill says how long
            # the operation takes now, so later kills land inside it, not after it.
            finished.append(time.perf_counter() - t_run - 2.0)  # less run_and_kill's 2 s wait
            span = max(lo * 2, 1.2 * statistics.median(finished[-5:]))
        res.runs += 1
        res.killed += killed
        found = check_case(case, base_records, b.list_rows, op)
        if error:
            found.append(error)
        if left:
            res.orphans += 1
            found.append(f"{len(left)} process(es) of the killed command still alive 2 s "
                         f"later: {left}")
        sessions = pg_sessions_left(b, case)
        if sessions:
            res.orphans += 1
            found.append(f"server sessions still attached 2 s after the kill: {sessions}")
        if op == "backup":
            found += check_backup(rdir, b.key)
        committed_import = op == "import" and records(case) == base_records + b.list_rows
        if retry and not committed_import:  # a committed import is refused again (rightly)
            again = run_cli(*op_args(b, op, case), check=False)
            if op == "backup" and (rdir / "out.age").exists() and again.returncode != 0 \
                    and "already exists" in again.stderr:
                (rdir / "out.age").unlink()
                again = run_cli(*op_args(b, op, case), check=False)
            if again.returncode != 0:
                found.append(f"running {op} again fails: {again.stderr.strip()[-300:]}")
            else:
                found += [f"after the retry: {p}" for p in
                          check_case(case, base_records, b.list_rows, op)]
                if op == "backup":
                    left_files = leftovers(rdir)
                    if left_files:
                        found.append(f"plain-text leftovers after the next backup: "
                                     f"{left_files}")
        status = "killed" if killed else "finished"
        print(f"  {op} run {i + 1}/{runs}: {status} at {delay:5.2f} s — "
              + ("OK" if not found else "FAIL: " + " | ".join(found)), flush=True)
        res.failures += [f"{op} run {i + 1} ({status} at {delay:.2f} s): {f}" for f in found]
        if not found:
            drop_location(b, case)
            shutil.rmtree(rdir, ignore_errors=True)
    res.seconds = time.perf_counter() - t0
    return res


# -- the web under load --------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _login(client, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    form = client.get("/team/login")
    token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', form.text)
    assert token, "the login page carries no CSRF token"
    r = client.post("/team/login", data={"username": user, "password": password,
                                         "csrf_token": token.group(1), "next": "/team/"},
                    follow_redirects=False)
    assert r.status_code == 303, f"login failed: {r.status_code} {r.text[:300]}"


def _q(ts: list[float], p: float) -> float:
    if len(ts) < 2:
        return ts[0] if ts else float("nan")
    return statistics.quantiles(ts, n=100, method="inclusive")[int(p) - 1]


def web_under_load(b: Bases, users: int, seconds: float, persons: int,
                   seed: int, think: float = 0.0) -> list[str]:
    import httpx

    from dadkhah import users as accounts
    from dadkhah.store import Case

    failures: list[str] = []
    case_dir = new_location(b, "web", b.folders["backup"])  # a linked case
    # A large list to import while the pages are loaded: a bigger simulation's lists.
    big = b.work / "web" / "big-lists"
    run_cli("simulate", "-s", "small", "-n", str(persons * 4), "--seed", str(seed + 1),
            "-o", str(big))
    big_manifest = json.loads((big / "SYNTHETIC-manifest.json").read_text(encoding="utf-8"))
    big_lists = [x for x in big_manifest["lists"] if x["file"].endswith(".csv")]
    with Case.open(case_dir) as case:
        accounts.add_user(case, "loadtest", "load-test-password-1", role="viewer", by="bench")
    with Case.open(case_dir, read_only=True) as case, case.read() as conn:
        people = conn.exec_driver_sql("SELECT id, name_fa FROM persons WHERE status = "
                                      "'active' AND name_fa IS NOT NULL").fetchall()
    rng = random.Random(seed)
    port = free_port()
    server = subprocess.Popen([*dadkhah_cmd(), "-C", str(case_dir), "serve", "--port",
                               str(port), "--insecure-cookies"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                httpx.get(base_url + "/team/login", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            failures.append("the web server did not start")
            return failures
        clients = []
        for _ in range(users):
            c = httpx.Client(base_url=base_url, timeout=60)
            _login(c, "loadtest", "load-test-password-1")
            clients.append(c)
        for pid, name in people[:20]:  # warm the server's caches before anything is timed
            clients[0].get(f"/team/search?q={name}")
            clients[0].get(f"/team/persons/{pid}")

        def phase(label: str, with_import: bool) -> None:
            times: dict[str, list[float]] = {"search": [], "person": []}
            errors: list[str] = []
            stop = threading.Event()
            imports_done = [0]
            reconnects = [0]

            def importer() -> None:
                i = 0
                while not stop.is_set():
                    lst = big_lists[i % len(big_lists)]
                    slug = f"big{i}"
                    run_cli("-C", str(case_dir), "source", "add", slug, "--title",
                            f"{lst['title']} (load test)", "--kind", lst["kind"],
                            "--synthetic")
                    again = ["--force"] if i >= len(big_lists) else []  # a list seen before
                    r = run_cli("-C", str(case_dir), "import", str(big / lst["file"]),
                                "-s", slug, *again, check=False)
                    if r.returncode != 0:
                        errors.append(f"import during the load failed: {r.stderr[-200:]}")
                    else:
                        imports_done[0] += 1
                    i += 1

            def user(c, k: int) -> None:  # type: ignore[no-untyped-def]
                local = random.Random(rng.random() + k)
                n = 0
                while not stop.is_set():
                    pid, name = local.choice(people)
                    kind = "search" if n % 2 == 0 else "person"
                    url = (f"/team/search?q={name}" if kind == "search"
                           else f"/team/persons/{pid}")
                    t = time.perf_counter()
                    try:
                        try:
                            r = c.get(url)
                        except (httpx.ReadError, httpx.RemoteProtocolError):
                            # The server closed an idle keep-alive connection as the
                            # request went out (a race of HTTP/1.1, not a page error).
                            reconnects[0] += 1
                            t = time.perf_counter()
                            r = c.get(url)
                        ms = (time.perf_counter() - t) * 1000
                        if r.status_code != 200:
                            errors.append(f"{url}: HTTP {r.status_code}")
                        else:
                            times[kind].append(ms)
                    except httpx.HTTPError as exc:
                        errors.append(f"{url}: {type(exc).__name__}")
                    n += 1
                    if think:
                        stop.wait(local.uniform(0.5, 1.5) * think)

            threads = [threading.Thread(target=user, args=(c, k)) for k, c in
                       enumerate(clients)]
            imp = threading.Thread(target=importer) if with_import else None
            load_before = os.getloadavg()
            if imp:
                imp.start()
                time.sleep(1.0)  # the import is under way before the pages are timed
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            time.sleep(seconds)
            stop.set()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - t0
            load_after = os.getloadavg()
            if imp:
                imp.join()
            print(f"\n  {label}: {users} users for {elapsed:.0f} s, "
                  + (f"{think:g} s mean think time" if think else "no think time")
                  + (f", {imports_done[0]} import(s) of {len(big_lists)} lists "
                     f"completed meanwhile" if with_import else ""))
            print("    page      n   req/s    p50     p95     max  (ms)")
            for kind, ts in times.items():
                if ts:
                    print(f"    {kind:<7} {len(ts):>5} {len(ts) / elapsed:>6.1f} "
                          f"{statistics.median(ts):>6.0f} {_q(ts, 95):>7.0f} {max(ts):>7.0f}")
            print(f"    errors: {len(errors)}" + (f" (e.g. {errors[:3]})" if errors else "")
                  + f"; requests sent again on a closed keep-alive connection: "
                    f"{reconnects[0]}")
            print(f"    load average (1, 5, 15 min) before {load_before[0]:.2f} "
                  f"{load_before[1]:.2f} {load_before[2]:.2f}, after {load_after[0]:.2f} "
                  f"{load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} CPUs")
            failures.extend(f"web ({label}): {e}" for e in errors[:20])

        phase("pages alone", with_import=False)
        phase("pages while imports run", with_import=True)
        for c in clients:
            c.close()
        with Case.open(case_dir, read_only=True) as case:
            rep = case.verify_audit()
        if not rep.ok:
            failures.append(f"web case after the load: audit verify: {rep.problem}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    if not failures:
        drop_location(b, case_dir)
    return failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50, help="kills per operation")
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--persons", type=int, default=1500, help="true persons simulated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--load-seconds", type=float, default=20.0)
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean seconds each web user waits between requests (0: none, every "
                         "user always has a request waiting)")
    ap.add_argument("--no-web", action="store_true")
    ap.add_argument("--no-retry", action="store_true")
    ap.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("DADKHAH_TEST_PG_URL"),
                    help="PostgreSQL server (a user that may create databases); default "
                         "$DADKHAH_TEST_PG_URL (eval \"$(bash scripts/postgres.sh)\")")
    args = ap.parse_args()
    pg = None
    if args.backend == "postgres":
        if not args.pg_url:
            raise SystemExit("--backend postgres needs --pg-url or DADKHAH_TEST_PG_URL "
                             "(eval \"$(bash scripts/postgres.sh)\")")
        pg = args.pg_url
    ops = [o for o in args.ops.split(",") if o]
    unknown = set(ops) - set(OPS)
    if unknown:
        raise SystemExit(f"unknown operations {sorted(unknown)}; use {', '.join(OPS)}")
    work = args.work or Path(f"/tmp/dadkhah-reliability-{os.getpid()}")
    saved = work / "bases.json"
    if work.exists() and any(work.iterdir()) and not saved.exists():
        raise SystemExit(f"{work} is not empty (and holds no bases.json to reuse)")
    work.mkdir(parents=True, exist_ok=True)
    for old in [*work.glob("run-*"), work / "web"]:  # an earlier run's leftovers
        shutil.rmtree(old, ignore_errors=True)
    rng = random.Random(args.seed)
    print(f"work folder: {work}; {args.backend}; SYNTHETIC small scenario, "
          f"{args.persons} persons; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)
    t = time.perf_counter()
    if saved.exists():
        b = Bases(**{**json.loads(saved.read_text()), "work": work})
        b.lists, b.key = Path(b.lists), Path(b.key)
        if b.pg != pg:
            raise SystemExit(f"{saved} holds bases for another backend; use another --work")
        print("bases reused from " + str(saved))
    else:
        b = build_bases(work, args.persons, args.seed, pg)
        saved.write_text(json.dumps({
            "lists": str(b.lists), "manifest": b.manifest, "key": str(b.key),
            "folders": b.folders, "seconds": b.seconds, "list_rows": b.list_rows,
            "startup": b.startup, "pg": b.pg}))
    print(f"bases ready in {time.perf_counter() - t:.0f} s; uninterrupted durations: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in b.seconds.items())
          + f"; the killed import's list has {b.list_rows} rows", flush=True)

    results = []
    for op in ops:
        print(f"\n{op}: {args.runs} runs, kill -9 after {b.startup * 0.5:.1f}–"
              f"{b.seconds[op] * 1.2:.1f} s",
              flush=True)
        results.append(fault_injection(b, op, args.runs, rng, retry=not args.no_retry))
    web_failures: list[str] = []
    if not args.no_web:
        print("\nweb under load", flush=True)
        web_failures = web_under_load(b, args.users, args.load_seconds, args.persons,
                                      args.seed, args.think)

    print("\nsummary (kill -9)")
    print("  operation  runs  killed  inconsistent  orphan processes  seconds")
    for r in results:
        bad = len({f.split(":")[0] for f in r.failures})
        print(f"  {r.op:<10} {r.runs:>4} {r.killed:>7} {bad:>13} {r.orphans:>17} "
              f"{r.seconds:>8.0f}")
    failures = [f for r in results for f in r.failures] + web_failures
    print(f"\n{len(failures)} failure(s)" + (":" if failures else "."))
    for f in failures:
        print(f"  {f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

"""An import killed with SIGKILL half-way leaves the store exactly as before."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dadkhah.ingest import import_file
from dadkhah.store import Case

CHILD = r"""
import sys
import time
import pytest

from dadkhah.ingest import import_file
from dadkhah.store import Case
case = Case.open(sys.argv[1])
def progress(done, total):
    print(f"progress {done} {total}", flush=True)
import_file(case, sys.argv[2], source="s1", progress=progress)
print("finished", flush=True)
"""


def _big_csv(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("نام,نام خانوادگی,نام پدر,سن,تاریخ اعدام,زندان\n")
        for i in range(n):
            f.write(f"علی{i},رضایی{i % 977},حسن,{20 + i % 40},۱۳۶۷/۰۵/{1 + i % 29:02d},اوین\n")
    return path


def test_sigkill_mid_import_leaves_store_unchanged(case: Case, tmp_path: Path) -> None:
    small = _big_csv(tmp_path / "small.csv", 10)
    import_file(case, small, source="s1")
    before_records = case.count_records()
    before_audit = case.verify_audit()
    big = _big_csv(tmp_path / "big.csv", 200_000)

    proc = subprocess.Popen([sys.executable, "-c", CHILD, case.location, str(big)],
                            stdout=subprocess.PIPE, text=True)
    batches = 0
    for line in proc.stdout:  # wait until several batches were written in the transaction
        if line.startswith("progress"):
            batches += 1
            if batches == 3:
                os.kill(proc.pid, signal.SIGKILL)
                break
        assert not line.startswith("finished"), "import finished before it could be killed"
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    case.close()
    with Case.open(case.location) as after:
        assert after.count_records() == before_records
        assert [i.file_name for i in after.imports()] == ["small.csv"]
        report = after.verify_audit()
        assert report.ok, report.problem
        assert report.entries == before_audit.entries
        # The killed file was never recorded, so importing it again is not a duplicate.
        assert import_file(after, big, source="s1").rows_imported == 200_000
        assert after.verify_audit().ok


def test_errors_found_by_the_reader_process_keep_their_hint(case: Case, tmp_path: Path) -> None:
    """A large file is read in a worker process; its errors reach the user intact."""
    from dadkhah.errors import IngestError
    from dadkhah.ingest._rows import WORKER_MIN_BYTES

    big = _big_csv(tmp_path / "big.csv", 200_000)
    assert big.stat().st_size > WORKER_MIN_BYTES
    with big.open("ab") as f:  # a line that is not UTF-8, at the very end
        f.write("علی,".encode() + b"\xff\xfe broken\n")
    with pytest.raises(IngestError, match=r"big\.csv, line 200002") as exc:
        import_file(case, big, source="s1", encoding="utf-8")
    assert exc.value.hint and "encoding" in exc.value.hint
    assert case.count_records() == 0 and case.verify_audit().ok


def test_large_import_from_a_plain_script(case: Case, tmp_path: Path) -> None:
    """A user's script with no ``if __name__ == "__main__"`` guard can import a large file
    (the reader process must not re-run the script)."""
    big = _big_csv(tmp_path / "big.csv", 150_000)
    script = tmp_path / "user_script.py"
    script.write_text(
        "import sys\nfrom dadkhah.ingest import import_file\nfrom dadkhah.store import Case\n"
        "case = Case.open(sys.argv[1])\n"
        "print(import_file(case, sys.argv[2], source='s1').rows_imported)\n", encoding="utf-8")
    case.close()
    out = subprocess.run([sys.executable, str(script), case.location, str(big)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "150000"


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_reader_process_dies_with_a_killed_import(case: Case, tmp_path: Path, sig: int) -> None:
    """Review I26/K5: the forked reader of a large file must not outlive the import (it held
    the database files, and on PostgreSQL the dead import's open transaction)."""
    big = _big_csv(tmp_path / "big.csv", 200_000)
    case.close()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, case.location, str(big)],
                            stdout=subprocess.PIPE, text=True)
    readers: list[int] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("progress"):
            readers = _children(proc.pid)
            if readers:
                break
        assert not line.startswith("finished"), "import finished before it could be killed"
    assert readers, "no reader process was started"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(_alive(r) for r in readers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [r for r in readers if _alive(r)]
    for r in left:  # do not leave the orphan behind if the test fails
        os.kill(r, signal.SIGKILL)
    assert not left, f"reader process(es) {left} outlived the killed import"
